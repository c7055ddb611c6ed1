#!/usr/bin/env bash
# The allocation gate's cost on the emulated Cortex-M4, in instructions:
# tests/target/gate_cost.c built with the gate (the library as shipped) and
# without it (tests/target/gate_off.h force-included into the schemes), at
# -Os and -O2, run under qemu-system-arm -icount shift=0. Prints both runs
# and the differences (make gate-cost).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build/target
cpu=(-mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard -mthumb)
common=(-std=c11 -DNDEBUG -ffunction-sections -fdata-sections -Iinclude -Isrc -Itests/target
        -DRTMEM_CFG_PORT=RTMEM_PORT_CORTEX_M -Wl,--gc-sections -Ltests/target --specs=nosys.specs
        -nostartfiles -T tests/target/mps2-an386.ld)
# everything else the program and seal.c reach (--gc-sections drops the rest)
other=(src/common.c src/hooks.c src/seal.c src/freelist_init.c src/freelist_check.c src/freelist_size.c src/heap2.c
       src/heap3.c src/heap5.c src/tlsf.c src/tlsf_realloc.c src/tlsf_setup.c src/tlsf_check.c
       src/pool.c src/pool_check.c src/pool_lockfree.c src/pool_walk.c src/rtm_queue.c src/waitq.c
       src/port/port_cortex_m.c tests/target/startup.c)
run() { # opt, label, extra flags for the gated sources
  local opt=$1 label=$2; shift 2
  local dir=build/target/gate-$label$opt
  mkdir -p "$dir"
  for s in heap1 heap4 freelist; do
    arm-none-eabi-gcc "${cpu[@]}" "${common[@]}" "$opt" "$@" -c src/$s.c -o "$dir/$s.o"
  done
  arm-none-eabi-gcc "${cpu[@]}" "${common[@]}" "$opt" -DGATE_BUILD="\"$label $opt\"" \
    "$dir"/*.o "${other[@]}" tests/target/gate_cost.c -o "$dir/gate_cost.elf"
  timeout 120 qemu-system-arm -M mps2-an386 -icount shift=0 -nographic -monitor none \
    -semihosting-config enable=on,target=native -kernel "$dir/gate_cost.elf" 2>&1
}
for opt in -Os -O2; do
  on=$(run "$opt" gate)
  off=$(run "$opt" nogate -include tests/target/gate_off.h)
  echo "$on"; echo "$off"
  paste <(echo "$on" | grep '^gate_cost: heap') <(echo "$off" | grep '^gate_cost: heap') |
    awk -F'\t' -v opt="$opt" '{
      n = split($1, a, " "); split($2, b, " "); d = a[n] - b[n];
      sub(/^gate_cost: /, "", $1); sub(/ +[0-9.]+$/, "", $1);
      printf "gate-cost %s: %-34s %+.2f instructions (gate %s, none %s)\n", opt, $1, d, a[n], b[n] }'
done
