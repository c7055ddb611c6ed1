#!/usr/bin/env bash
# What each hardening level costs (RTMEM_CFG_HARDEN 0, 1, 2; include/rtmem/config.h):
# Cortex-M4 instructions per alloc and free from the target benchmark
# (tests/target/run.sh bench with BENCH_DEFS=-DRTMEM_CFG_HARDEN=N: -O2,
# NDEBUG, QEMU -icount, exact and repeatable), and -Os code size from the
# size table (scripts/size-table.sh over a MinSizeRel cortex-m4 build per
# level). Per call: W2 at K=100 (one unchanging heap, so every call takes the
# same path: its mean is that operation's count), W1's means (a mixed run),
# W4's alloc+free pairs (the pools). heap_5 is heap_4's core over several
# regions and heap_1/heap_3 have no hardening to pay; the benchmark runs
# heap_2, heap_4, tlsf and the pools.
# usage: scripts/harden-cost.sh [OUT]   (make bench: build/bench/extra-harden.txt)
# HARDEN_COST_REUSE=1 only rewrites the table from the last run's files.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/dev/stdout}
w=build/harden-cost
mkdir -p "$w" "$(dirname "$out")"
for n in 0 1 2; do
  [ "${HARDEN_COST_REUSE:-0}" = 1 ] && [ -s "$w/sizes-h$n.txt" ] && continue
  echo "harden-cost: level $n: target bench" >&2
  # the benchmark prints through semihosting, on stderr
  BENCH_DEFS=-DRTMEM_CFG_HARDEN=$n tests/target/run.sh bench > "$w/bench-h$n.txt" 2>&1
  echo "harden-cost: level $n: cortex-m4 -Os build" >&2
  cmake -S . -B "$w/h$n/cortex-m4" -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake \
    -DRTMEM_CPU=cortex-m4 -DCMAKE_BUILD_TYPE=MinSizeRel -DRTMEM_WERROR=ON \
    "-DRTMEM_DEFINES=RTMEM_CFG_HARDEN=$n" > /dev/null
  cmake --build "$w/h$n/cortex-m4" -j2 --target rtmem > /dev/null
  scripts/size-table.sh "$w/h$n" cortex-m4 > "$w/sizes-h$n.txt"
done
python3 - "$w" > "$out" <<'EOF'
import re, sys
w = sys.argv[1]
LV = (0, 1, 2)

def section(text, head):
    """The rows of the section whose title starts with `head`."""
    rows, on = [], False
    for line in text.splitlines():
        if line.startswith("== "):
            on = line.startswith("== " + head)
            continue
        if on and line.strip() and not line.startswith(("scheme", "(")):
            rows.append(line)
    return rows

def split(row):
    """Name (may hold spaces) and the numbers after it."""
    m = re.match(r"^(.*?)\s+((?:-?[\d.]+\s*)+)$", row)
    return m.group(1).strip(), [float(x) for x in m.group(2).split()]

bench = {n: open(f"{w}/bench-h{n}.txt").read() for n in LV}
print("# command: scripts/harden-cost.sh (per level N: BENCH_DEFS=-DRTMEM_CFG_HARDEN=N "
      "tests/target/run.sh bench; a MinSizeRel cortex-m4 build and scripts/size-table.sh)")
print("Cortex-M4 (mps2-an386, -O2 -DNDEBUG): instructions per call at RTMEM_CFG_HARDEN = 0 / 1 / 2")
print(f"{'call':56s} {'H=0':>9s} {'H=1':>9s} {'H=2':>9s}")
def emit(label, vals):
    print(f"{label:56s} " + " ".join(f"{v:9.1f}" for v in vals))
def rows(head, pick):
    got = {n: dict(split(r) for r in section(bench[n], head)) for n in LV}
    for name in got[0]:
        if name.startswith("newlib"):
            continue
        for label, col in pick:
            emit(f"{name} {label}", [got[n][name][col] for n in LV])
rows("W2", [("alloc (W2, K=100)", 0), ("free (W2, K=100)", 3)])
rows("W1", [("alloc mean (W1)", 1), ("free mean (W1)", 3)])
rows("W4", [("alloc+free pair (W4)", 0)])
print()
print("Cortex-M4 code size, -Os (scripts/size-table.sh: text bytes of the scheme's objects; "
      "min-link: init+alloc+free alone)")
print(f"{'scheme':10s} {'text H=0':>9s} {'H=1':>7s} {'H=2':>7s}   {'min-link H=0':>12s} {'H=1':>7s} {'H=2':>7s}")
size = {}
for n in LV:
    for line in open(f"{w}/sizes-h{n}.txt"):
        if line.startswith("#"):
            continue
        f = line.split()
        size.setdefault(f[0], {})[n] = (f[1], f[5] if len(f) > 5 else "-")
for s in ("heap_1", "heap_2", "heap_3", "heap_4", "heap_5", "tlsf", "pool"):
    if s in size:
        t = [size[s][n][0] for n in LV]
        m = [size[s][n][1] for n in LV]
        print(f"{s:10s} {t[0]:>9s} {t[1]:>7s} {t[2]:>7s}   {m[0]:>12s} {m[1]:>7s} {m[2]:>7s}")
EOF
echo "harden-cost: wrote $out" >&2
