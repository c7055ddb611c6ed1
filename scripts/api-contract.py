#!/usr/bin/env python3
"""Every public function states its time bound and its behaviour on bad input
in its header (issue 18, project brief).

For each function declared in include/rtmem/*.h (prototypes and static inline
definitions; not macros, not typedefs of function pointers), the comment that
documents it -- the comment block right above it, or above the group of
declarations it belongs to (no blank line between them), or the comment on
the same line -- must name:
  - a time bound: O(...), "Time:", "time bound", "the scheme's" (a wrapper
    whose bound is the wrapped scheme's), "not real-time", "constant time";
  - the behaviour on bad input: NULL, RTM_ERR_*, fault, refus*, "bad",
    "invalid", "ignored", "no-op", "never fails", "cannot fail", or
    "bad input" / "errors" -- or the header states one rule for all its
    functions in a line containing "Every call" / "every function" (e.g.
    "Every call with t == NULL returns RTM_ERR_NULL").
Functions whose names end in '_' are internal halves of inline wrappers and
are skipped. Prints each gap as FILE:LINE: name: missing ...; exits 1 if any.
  scripts/api-contract.py [include/rtmem/*.h]
"""
import re
import sys
from pathlib import Path

TIME = re.compile(r"O\(|\bTime:|time bound|the scheme's|not real-time|constant[- ]time|"
                  r"Bounds? and bad-input rules", re.I)
BAD = re.compile(r"NULL|RTM_ERR_|fault|refus|\bbad\b|invalid|ignored|no-op|never fails|nothing done|"
                 r"cannot fail|bad input|errors?:|Errors", re.I)
GLOBAL_BAD = re.compile(r"every call|every function|all calls", re.I)
DECL = re.compile(r"^(?:static\s+inline\s+|extern\s+)?[A-Za-z_][\w\s\*\(\),]*?\b(rtm_\w+)\s*\(")


def check(path):
    text = path.read_text()
    lines = text.split("\n")
    global_bad = bool(GLOBAL_BAD.search(text))
    gaps = []
    comment = ""         # the comment block that documents the current group
    in_comment = False
    buf = []
    depth = 0            # brace depth (inline bodies, structs)
    group_open = False   # declarations since the last comment without a blank line
    paren = 0            # inside a multi-line declaration
    in_macro = False
    cplusplus = False
    for no, raw in enumerate(lines, 1):
        line = raw.strip()
        if in_macro:
            in_macro = raw.endswith("\\")
            continue
        if in_comment:
            buf.append(line)
            if "*/" in line:
                in_comment = False
                comment = " ".join(buf)
                group_open = True
            continue
        if line.startswith("/*"):
            if depth == 0 and paren == 0:
                buf = [line]
                if "*/" in line:
                    comment = line
                    group_open = True
                else:
                    in_comment = True
            continue
        if line.startswith("#"):
            in_macro = raw.endswith("\\")
            cplusplus = line.startswith("#ifdef __cplusplus")
            continue
        if cplusplus and line in ('extern "C" {', "}"):
            continue  # the C++ linkage wrapper is no scope
        if line == "":
            if depth == 0 and paren == 0:
                if not group_open:
                    comment = ""
                group_open = False
            continue
        if depth == 0 and paren == 0:
            m = DECL.match(line)
            if m and not line.startswith("typedef") and not line.startswith("return"):
                name = m.group(1)
                trailing = line.split("/*", 1)[1] if "/*" in line else ""
                doc = comment + " " + trailing
                if not name.endswith("_"):
                    missing = []
                    if not TIME.search(doc):
                        missing.append("time bound")
                    if not (BAD.search(doc) or global_bad):
                        missing.append("bad-input behaviour")
                    if missing:
                        gaps.append(f"{path}:{no}: {name}: missing {' and '.join(missing)}")
                group_open = True
        paren += line.count("(") - line.count(")")
        depth += line.count("{") - line.count("}")
    return gaps


def main(argv):
    files = [Path(a) for a in argv[1:]] or sorted(Path("include/rtmem").glob("*.h"))
    gaps = []
    for f in files:
        gaps += check(f)
    for g in gaps:
        print(g)
    print(f"api-contract: {len(gaps)} public functions without a stated time bound or bad-input rule",
          file=sys.stderr)
    return 1 if gaps else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
