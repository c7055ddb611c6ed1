#!/usr/bin/env python3
"""Longest path, in instructions, through Cortex-M (Thumb) functions of an ELF.

    scripts/path-bound.py ELF FUNC... [--exclude F,G,...] [--objdump TOOL]

For each FUNC: build the control-flow graph from `objdump -d`, add at every
`bl` the longest path of the callee (recursively; a tail call `b` to another
function counts the same way), and print the longest path from entry to any
return. Instructions inside an IT block count whether or not their condition
holds, as the core issues them either way. A callee named in --exclude counts
as its `bl` alone (say why where the bound is published: a user hook, a
memcpy whose length is the caller's request).

The bound is an upper bound on instructions executed: every path counts,
feasible or not. A function whose graph has a cycle (a loop) gets no bound:
the script names the backward branch and exits 1, so this is also the check
that the constant-time functions have no loop at all. Indirect calls (blx
reg) and table branches (tbb/tbh) outside excluded callees exit 1 too.
"""
import re
import subprocess
import sys

BRANCH_COND = re.compile(r"^b(eq|ne|cs|cc|hs|lo|mi|pl|vs|vc|hi|ls|ge|lt|gt|le)(\.n|\.w)?$")
TARGET = re.compile(r"^([0-9a-f]+) <([^>+]+)(\+0x[0-9a-f]+)?>")


class Unbounded(Exception):
    pass


def disassemble(elf, objdump):
    """{name: [(addr, mnemonic, operands)]} and {addr: name} of function starts."""
    out = subprocess.run([objdump, "-d", "--no-show-raw-insn", elf], check=True,
                         capture_output=True, text=True).stdout
    funcs, starts, cur = {}, {}, None
    for line in out.splitlines():
        m = re.match(r"^([0-9a-f]+) <(.+)>:$", line)
        if m:
            cur = m.group(2)
            funcs[cur] = []
            starts[int(m.group(1), 16)] = cur
            continue
        m = re.match(r"^\s+([0-9a-f]+):\s+(\S+)\s*(.*)$", line)
        if m and cur is not None:
            funcs[cur].append((int(m.group(1), 16), m.group(2), m.group(3).split(";")[0].strip()))
    return funcs, starts


def is_return(mn, ops):
    return ((mn == "bx" and ops == "lr") or (mn.startswith("pop") and "pc" in ops) or
            (mn.startswith("ldm") and "pc" in ops) or (mn.startswith("ldr") and ops.startswith("pc")) or
            mn in ("udf", "bkpt", "udf.w"))


class Bounds:
    def __init__(self, funcs, starts, exclude):
        self.funcs, self.starts, self.exclude = funcs, starts, exclude
        self.memo = {}

    def callee(self, ops):
        m = TARGET.match(ops)
        if not m:
            raise Unbounded("unparsed branch target '%s'" % ops)
        return int(m.group(1), 16), m.group(2), m.group(3) is None

    def cost(self, name, stack=()):
        if name in self.exclude:
            return 0
        if name in self.memo:
            return self.memo[name]
        if name in stack:
            raise Unbounded("recursion through %s" % name)
        insns = self.funcs.get(name)
        if not insns:
            raise Unbounded("no code for %s" % name)
        index = {a: i for i, (a, _, _) in enumerate(insns)}
        best = {}

        def longest(i, path):
            if i in best:
                return best[i]
            if i in path:
                raise Unbounded("loop in %s: branch back to 0x%x" % (name, insns[i][0]))
            if i >= len(insns):
                raise Unbounded("%s runs off its end" % name)
            path = path | {i}
            addr, mn, ops = insns[i]
            base = mn.split(".")[0]
            if is_return(mn, ops):
                res = 1
            elif base in ("bl",):
                _, f, _ = self.callee(ops)
                res = 1 + self.cost(f, stack + (name,)) + longest(i + 1, path)
            elif base == "blx" or base in ("tbb", "tbh") or (base == "bx" and ops != "lr"):
                raise Unbounded("%s at 0x%x in %s" % (mn, addr, name))
            elif base in ("b", "cbz", "cbnz") or BRANCH_COND.match(mn):
                tgt, f, exact = self.callee(ops.split(",")[-1].strip())
                if tgt in index:
                    succ = longest(index[tgt], path)
                elif exact:  # tail call
                    succ = self.cost(f, stack + (name,))
                else:
                    raise Unbounded("branch out of %s to 0x%x" % (name, tgt))
                res = 1 + (succ if base == "b" else max(succ, longest(i + 1, path)))
            else:
                res = 1 + longest(i + 1, path)
            best[i] = res
            return res

        sys.setrecursionlimit(100000)
        self.memo[name] = longest(0, frozenset())
        return self.memo[name]


def main(argv):
    args, exclude, objdump = [], set(), "arm-none-eabi-objdump"
    it = iter(argv[1:])
    for a in it:
        if a == "--exclude":
            exclude |= set(next(it).split(","))
        elif a == "--objdump":
            objdump = next(it)
        else:
            args.append(a)
    if len(args) < 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    funcs, starts = disassemble(args[0], objdump)
    b = Bounds(funcs, starts, exclude)
    status = 0
    for f in args[1:]:
        try:
            print("%-28s <= %d instructions" % (f, b.cost(f)))
        except Unbounded as e:
            print("%-28s no bound: %s" % (f, e))
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
