#!/usr/bin/env bash
# Code size of every rtmem module on Cortex-M, per BENCH.md ("Code size"):
# each module's object file alone (-Os -mthumb -ffunction-sections
# -fdata-sections, assertions off), text/data/bss from arm-none-eabi-size.
# Also a "minimal link" column per scheme: init+alloc+free only, linked with
# --gc-sections, which is what firmware that calls just those pays.
# Writes build/cross/sizes-<cpu>.txt and prints the tables.
# usage: scripts/size-table.sh BUILD_ROOT CPU...
set -euo pipefail
root=$1; shift
SIZE=arm-none-eabi-size
declare -A scheme_objs=(
  [heap_1]="heap1" [heap_2]="heap2 freelist freelist_size freelist_init freelist_check" [heap_3]="heap3" [heap_4]="heap4 freelist freelist_init freelist_check"
  [heap_5]="heap5 freelist freelist_init freelist_check" [tlsf]="tlsf tlsf_realloc tlsf_setup tlsf_check" [pool]="pool pool_lockfree pool_check pool_walk pool_wait" [queue]="rtm_queue" [common]="common"
  [stack]="stack" [partition]="partition" [alloc]="alloc"
)
order="heap_1 heap_2 heap_3 heap_4 heap_5 tlsf pool queue common stack partition alloc"

# min_link CPU_DIR SCHEME [DEFS]: text bytes of init+alloc+free alone after
# --gc-sections. With DEFS (-D options), the scheme's source and common.c are
# compiled here with them instead of taking the library's objects.
min_link() {
  local dir=$1 s=$2 defs=${3:-} fn init_call alloc_call
  case $s in
    heap_1) fn=heap1 ;; heap_2) fn=heap2 ;; heap_4) fn=heap4 ;; tlsf) fn=tlsf ;; pool) fn=pool ;;
    *) echo "-"; return ;;
  esac
  init_call="(void)rtm_${fn}_init(&h, mem, sizeof mem);"
  alloc_call="void *p = rtm_${fn}_alloc(&h, 100);"
  if [ "$fn" = pool ]; then
    init_call="(void)rtm_pool_init(&h, mem, sizeof mem, 32, 8, 0, RTM_POOL_DEFAULT);"
    alloc_call="void *p = rtm_pool_alloc(&h);"
  fi
  [ -f "$PWD/include/rtmem/${fn}.h" ] || { echo "-"; return; }
  local tmp; tmp=$(mktemp -d)
  cat > "$tmp/m.c" <<EOC
#include "rtmem/${fn}.h"
static rtm_${fn}_t h;
static unsigned char mem[4096] __attribute__((aligned(8)));
void rtm_size_entry(void);
void rtm_size_entry(void) {
  ${init_call}
  ${alloc_call}
  (void)rtm_${fn}_free(&h, p);
}
EOC
  local flags; flags=$(grep -m1 '^C_FLAGS' "$dir/CMakeFiles/rtmem.dir/flags.make" | cut -d= -f2-)
  # shellcheck disable=SC2086
  # the C library's mem* are not rtmem's code: scripts/libc_stubs.c stands
  # in for them, and their size is left out of the count below
  local lib="$dir/librtmem.a"
  if [ -n "$defs" ]; then
    lib="$tmp/$fn.o $tmp/common.o"
    for src in "$fn" common; do
      # shellcheck disable=SC2086
      arm-none-eabi-gcc $flags -Os -DNDEBUG -DRTMEM_CFG_PORT=RTMEM_PORT_CORTEX_M $defs -Iinclude -Isrc \
        -c "src/$src.c" -o "$tmp/$src.o" 2>/dev/null || { echo "-"; rm -rf "$tmp"; return; }
    done
  fi
  # shellcheck disable=SC2086
  if arm-none-eabi-gcc $flags -Os -DNDEBUG -DRTMEM_CFG_PORT=RTMEM_PORT_CORTEX_M $defs -Iinclude -c "$tmp/m.c" -o "$tmp/m.o" 2>/dev/null &&
     arm-none-eabi-gcc $flags -Os -c scripts/libc_stubs.c -o "$tmp/stubs.o" 2>/dev/null &&
     arm-none-eabi-gcc $flags -nostdlib -Wl,--gc-sections -Wl,-e,rtm_size_entry "$tmp/stubs.o" "$tmp/m.o" $lib -lgcc -o "$tmp/m.elf" 2>/dev/null; then
    local total local_sz
    total=$($SIZE -A "$tmp/m.elf" | awk '$1==".text"{print $2}')
    local_sz=0
    for hex in $(arm-none-eabi-nm -S "$tmp/m.elf" | awk '$4=="rtm_size_entry"||$4=="memset"||$4=="memcpy"||$4=="memmove"{print $2}'); do
      local_sz=$((local_sz + 16#$hex))
    done
    # the gate's slow half is reached through a weak reference
    # (src/rtm_hooks.h): a firmware that arms no gate must not link it
    if arm-none-eabi-nm "$tmp/m.elf" | grep -q ' rtm_gate_slow_$'; then
      echo "size-table: the $s min link holds rtm_gate_slow_: something pulls src/hooks.c in" >&2
      echo "FAIL"
    else
      echo $((total - local_sz))
    fi
  else
    echo "-"
  fi
  rm -rf "$tmp"
}

for cpu in "$@"; do
  dir=$root/$cpu
  objdir=$dir/CMakeFiles/rtmem.dir/src
  [ -d "$objdir" ] || { echo "size-table: no build in $dir"; exit 1; }
  out=$root/sizes-$cpu.txt
  {
    echo "# rtmem code size on $cpu (arm-none-eabi-gcc -Os -mthumb -ffunction-sections -fdata-sections, NDEBUG)"
    echo "# scheme  text  data  bss  objects  min-link(init+alloc+free)"
    for s in $order; do
      t=0; d=0; b=0; objs=""
      for o in ${scheme_objs[$s]}; do
        f=$objdir/$o.c.obj
        [ -f "$f" ] || continue
        read -r tt dd bb _ < <($SIZE "$f" | tail -1)
        t=$((t + tt)); d=$((d + dd)); b=$((b + bb)); objs="$objs${objs:++}$o.o"
      done
      [ -n "$objs" ] || continue
      printf "%-7s %6d %5d %5d  %-20s %s\n" "$s" "$t" "$d" "$b" "$objs" "$(min_link "$dir" "$s")"
    done
  } > "$out"
  cat "$out"
  if grep -q FAIL "$out"; then exit 1; fi
done
