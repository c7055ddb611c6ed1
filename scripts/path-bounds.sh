#!/usr/bin/env bash
# Worst-case path lengths, in instructions, of the constant-time functions as
# compiled for Cortex-M0+, M4 and M33 at -Os and -O2 (NDEBUG), computed from
# the disassembly by scripts/path-bound.py (longest path through each
# function's control-flow graph, callees included). Fails if any of them has
# a loop: the structural proof that tlsf alloc/free/realloc/aligned_alloc and
# the pool's locked paths take a bounded number of steps whatever the heap
# holds. Excluded callees: rtm_fault_raise (it calls the user's fault hook),
# memcpy/memmove/memset (their length is the caller's request size), and
# rtm_pool_walk_ (the free-list walk that confirms a suspected double free on
# a pool without a bitmap: O(free blocks), off the normal path).
# The pool is built with RTMEM_CFG_POOL_LOCKFREE=0 so that its graph holds
# only the locked and NOLOCK paths: the lock-free mode retries its CAS
# (lock-free, O(1) per attempt) and has no instruction bound.
# usage: scripts/path-bounds.sh [OUTDIR]   (default build/paths)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/paths}
mkdir -p "$out"
cat > "$out/entry.c" <<'EOC'
/* Calls every function whose bound is computed, so --gc-sections keeps them. */
#include "rtmem/pool.h"
#include "rtmem/tlsf.h"
static rtm_tlsf_t t;
static rtm_pool_t p;
static unsigned char mem[4096] __attribute__((aligned(8)));
void entry(void);
void entry(void)
{
    (void)rtm_tlsf_init(&t, mem, 2048);
    void *a = rtm_tlsf_alloc(&t, 100);
    a = rtm_tlsf_realloc(&t, a, 200);
    void *b = rtm_tlsf_aligned_alloc(&t, 64, 50);
    (void)rtm_tlsf_free(&t, a);
    (void)rtm_tlsf_free(&t, b);
#ifdef ENTRY_LOCKFREE
    (void)rtm_pool_init(&p, mem + 2048, 2048, 32, 8, 0, RTM_POOL_LOCKFREE);
#else
    (void)rtm_pool_init(&p, mem + 2048, 2048, 32, 8, 0, RTM_POOL_DEFAULT);
#endif
    void *c = rtm_pool_alloc(&p);
    (void)rtm_pool_free(&p, c);
}
EOC
funcs=(rtm_tlsf_alloc rtm_tlsf_free rtm_tlsf_realloc rtm_tlsf_aligned_alloc rtm_pool_alloc rtm_pool_free)
# link ELF FLAGS...: the entry and the O(1) sources, linked bare with --gc-sections
link() {
  local elf=$1; shift
  arm-none-eabi-gcc -std=c11 -DNDEBUG -mthumb "$@" -ffunction-sections -fdata-sections -Iinclude \
    -Isrc -DRTMEM_CFG_PORT=RTMEM_PORT_CORTEX_M -nostdlib -Wl,--gc-sections -Wl,-e,entry \
    "$out/entry.c" scripts/libc_stubs.c src/tlsf.c src/tlsf_realloc.c src/tlsf_setup.c src/tlsf_check.c src/pool.c src/pool_lockfree.c src/pool_walk.c src/common.c src/hooks.c src/waitq.c \
    src/port/port_cortex_m.c -lgcc -o "$elf"
}

status=0
echo "# longest path in instructions (scripts/path-bound.py; callees included; rtm_fault_raise, mem* and rtm_pool_walk_ excluded)"
for cpu in cortex-m0plus cortex-m4 cortex-m33; do
  case $cpu in
    cortex-m4) fpu=(-mfpu=fpv4-sp-d16 -mfloat-abi=hard) ;;
    cortex-m33) fpu=(-mfpu=fpv5-sp-d16 -mfloat-abi=hard) ;;
    *) fpu=(-mfloat-abi=soft) ;;
  esac
  for opt in -Os -O2; do
    elf=$out/$cpu$opt.elf
    link "$elf" "$opt" -mcpu=$cpu "${fpu[@]}" -DRTMEM_CFG_POOL_LOCKFREE=0
    line=$(python3 scripts/path-bound.py "$elf" "${funcs[@]}" --exclude rtm_fault_raise,memcpy,memmove,memset,rtm_pool_walk_) || status=1
    echo "$cpu $opt"
    echo "$line" | sed 's/^/  /'
  done
done
# The check must be able to fail: the lock-free pool's CAS retry is a loop.
elf=$out/lockfree.elf
link "$elf" -Os -mcpu=cortex-m4 -mfloat-abi=soft -DRTMEM_CFG_POOL_LOCKFREE=1 -DENTRY_LOCKFREE
if python3 scripts/path-bound.py "$elf" rtm_pool_alloc --exclude rtm_fault_raise >/dev/null; then
  echo "path-bounds: the loop in the lock-free pool was not found: the check is broken"
  status=1
fi
exit $status
