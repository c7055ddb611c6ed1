#!/usr/bin/env bash
# Build rtmem's core for Cortex-M and run it on QEMU's emulated boards.
#   tests/target/run.sh test  [BOARD...]   fuzz programs, port and interrupt checks (make test)
#   tests/target/run.sh bench [BOARD...]   instruction counts of the BENCH.md
#                                          workloads (make bench, make bench-target)
#   tests/target/run.sh bench-quick        the same, few steps: a smoke run (make test)
#   tests/target/run.sh demo               the demo scene on the M4 (make demo-target;
#                                          also the last step of test)
# BOARD: an386 (Cortex-M4F), an505 (Cortex-M33), microbit (Cortex-M0),
# an386-basepri (M4F, the port's BASEPRI variant); default all four for
# test, an386 for bench. Output in build/target/.
# bench: BENCH_OPT (default -O2) and BENCH_DEFS (extra -D options, e.g.
# -DRTMEM_CFG_HARDEN=2) choose how the library is built.
set -euo pipefail
cd "$(dirname "$0")/../.."
mode=${1:-test}
shift || true
boards=("$@")
if [ ${#boards[@]} -eq 0 ]; then
  if [ "$mode" = test ]; then boards=(an386 an505 microbit an386-basepri); else boards=(an386); fi
fi

warn=(-std=c11 -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wundef -Wshadow -Werror)
# the tests hand rtmem bad pointers on purpose: rtmem/attrs.h's warnings for that are off
warn+=(-Wno-free-nonheap-object -Wno-use-after-free -Wno-mismatched-dealloc -Wno-alloc-size-larger-than)
common=(-mthumb -Itools/rtmem -ffunction-sections -fdata-sections -Iinclude -Isrc -Ifuzz -Itests/target
        -DRTMEM_CFG_PORT=RTMEM_PORT_CORTEX_M -Wl,--gc-sections -Ltests/target --specs=nosys.specs -nostartfiles)
srcs=(src/*.c src/port/port_cortex_m.c tests/target/startup.c)

# The demo scene (tools/rtmem/scene_app.c) on the emulated M4 with the real
# MPU (tests/target/target_demo.c): it prints the memory report and exits 1
# if an expectation failed; its binary trace, drained over semihosting into
# build/target/demo-an386.bin, is decoded on the host and must hold every
# event the target recorded, then `rtmem advise` turns it into a memory
# plan. RTMEM names the host tool; by default the first one built.
demo_target() {
  local out=build/target/demo-an386.elf rtmem=${RTMEM:-} d
  mkdir -p build/target
  arm-none-eabi-gcc "${warn[@]}" -Os -g -mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard "${common[@]}" \
    -Iruntime -Iruntime/cortex_m -D_DEFAULT_SOURCE -DRTMEM_CFG_EVENTS=1 -DRTMEM_CFG_HARDEN=2 \
    -DSCENE_GUARD='"MPU guard region"' -T tests/target/mps2-an386.ld "${srcs[@]}" runtime/rt_core.c \
    runtime/cortex_m/rt_cortex_m.c runtime/cortex_m/mpu_cm.c tools/rtmem/scene_app.c tools/rtmem/scene_facts.c \
    tools/rtmem/demo_facts.c tests/target/target_demo.c -o "$out" 2> >(grep -v 'is not implemented and will always fail' >&2)
  rm -f build/target/demo-an386.bin build/target/demo-an386.tsv
  echo "[target] demo scene on an386"
  local log
  log=$(cd build/target && timeout 120 qemu-system-arm -M mps2-an386 -icount shift=0 -nographic -monitor none \
    -semihosting-config enable=on,target=native -kernel demo-an386.elf 2>&1) || { echo "$log"
    echo "[target] FAILED: the demo scene on an386 did not behave as it should" >&2; exit 1; }
  echo "$log"
  if [ -z "$rtmem" ]; then
    for d in release asan reltest dev; do
      [ -x "build/$d/tools/rtmem/rtmem" ] && { rtmem=build/$d/tools/rtmem/rtmem; break; }
    done
  fi
  [ -n "$rtmem" ] || { make --no-print-directory release >/dev/null && rtmem=build/release/tools/rtmem/rtmem; }
  local dlog want got
  dlog=$("$rtmem" decode build/target/demo-an386.bin -o build/target/demo-an386.trace 2>&1)
  echo "$dlog"
  want=$(echo "$log" | sed -n 's/.* \([0-9]*\) allocation events recorded on the target.*, 0 lost$/\1/p')
  got=$(echo "$dlog" | sed -n 's/^rtmem decode: \([0-9]*\) events, .* 0 records lost.*/\1/p')
  if [ -z "$want" ] || [ "$want" != "$got" ]; then
    echo "[target] FAILED: demo trace: the target recorded '$want' events, the host decoded '$got'" >&2
    exit 1
  fi
  echo "[target] demo trace: $got events decoded on the host; rtmem advise on it:"
  "$rtmem" advise build/target/demo-an386.trace --html build/target/demo-an386.html 2>/dev/null
}
if [ "$mode" = demo ]; then
  demo_target
  exit 0
fi

# board B: build and run MODE on board B.
board() {
  local b=$1
  case $b in
    # the test builds M4 and M0 at -Os, M33 at -O2 (no option follows the
    # level: the same behaviour both ways); each board runs one of the four
    # tlsf configurations: default (an386), RTMEM_CFG_HARDEN=2 (an505),
    # portable bit scan (microbit), RTMEM_CFG_HARDEN=1 (basepri)
    an386)    cpu=(-mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard); machine=(-M mps2-an386)
              small=(); topt=-Os ;;
    an505)    cpu=(-mcpu=cortex-m33 -mfpu=fpv5-sp-d16 -mfloat-abi=hard); machine=(-M mps2-an505)
              small=(-DRTMEM_CFG_HARDEN=2); topt=-O2 ;;
    # the port's BASEPRI variant (interrupts at priority 0x50 and above stay on)
    an386-basepri) cpu=(-mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard
                        -DRTMEM_CFG_CORTEX_M_BASEPRI=0x50); machine=(-M mps2-an386)
              small=(-DRTMEM_CFG_HARDEN=1); topt=-O2 ;;
    # ARMv6-M faults on an unaligned word or halfword access, and QEMU's
    # microbit does too, so every run here checks that rule (target_fault.c
    # below proves it still does)
    microbit) cpu=(-mcpu=cortex-m0 -mfloat-abi=soft); machine=(-M microbit)
              small=(-DFUZZ_ARENA=4096u -DFUZZ_MAX_LIVE=64u -DTARGET_PROGRAMS=100u
                     -DRTMEM_CFG_TLSF_USE_BUILTIN_CLZ=0 -DRTMEM_CFG_CMSIS_HEAP_SIZE=0); topt=-Os ;;
    *) echo "run.sh: unknown board $b (an386, an505, microbit, an386-basepri)" >&2; exit 2 ;;
  esac
  ld=tests/target/mps2-${b%-basepri}.ld
  [ "$b" = microbit ] && ld=tests/target/microbit.ld
  out=build/target/$mode-$b.elf
  mkdir -p build/target
  if [ "$mode" != test ]; then
    # BENCH.md timing flags: -O2, assertions off
    opt=${BENCH_OPT:--O2}
    quick=()
    [ "$mode" = bench-quick ] && quick=(-DTARGET_QUICK)
    arm-none-eabi-gcc "${warn[@]}" "$opt" -DBENCH_OPT_STR="\"$opt\"" -DNDEBUG "${quick[@]}" ${BENCH_DEFS:-} \
      "${cpu[@]}" "${common[@]}" -T "$ld" "${srcs[@]}" tests/target/target_bench.c -o "$out"
    icount=(-icount shift=0)
  else
    # assertions on: RTM_ASSERT checks run on the target too
    arm-none-eabi-gcc "${warn[@]}" "$topt" -g "${cpu[@]}" "${common[@]}" "${small[@]}" -T "$ld" \
      "${srcs[@]}" src/compat/cmsis_os2_pool.c fuzz/fuzz_alloc.c tests/target/target_isr.c tests/target/target_test.c -o "$out"
    # instruction-driven time here too: the interrupts land at the same
    # instructions on every machine, so a failure replays exactly
    icount=(-icount shift=0)
  fi
  echo "[target] $mode on $b"
  timeout 900 qemu-system-arm "${machine[@]}" "${icount[@]}" -nographic -monitor none \
    -semihosting-config enable=on,target=native -kernel "$out"
  if [ "$mode" = test ] && { [ "$b" = an386 ] || [ "$b" = an505 ]; }; then
    # the task runtime (runtime/cortex_m): tasks on rtm_stack stacks under
    # SysTick + PendSV, the high-water mark against recursion depth, overflow
    # methods 1-3 (and 4, PSPLIM, on the M33), delete, and the per-switch
    # instruction counts of the checks (tests/target/target_rt.c)
    rout=build/target/rt-$b.elf
    arm-none-eabi-gcc "${warn[@]}" "$topt" -g "${cpu[@]}" "${common[@]}" -Iruntime -Iruntime/cortex_m \
      -T "$ld" src/*.c src/port/port_cortex_m.c tests/target/startup.c runtime/rt_core.c \
      runtime/cortex_m/rt_cortex_m.c tests/target/target_rt.c -o "$rout"
    echo "[target] runtime on $b"
    timeout 120 qemu-system-arm "${machine[@]}" -icount shift=0 -nographic -monitor none \
      -semihosting-config enable=on,target=native -kernel "$rout"
    # memory protection: unprivileged tasks, rtm_mpu regions at each switch,
    # MemManage reports (tests/target/target_mpu.c)
    mout=build/target/mpu-$b.elf
    arm-none-eabi-gcc "${warn[@]}" "$topt" -g "${cpu[@]}" "${common[@]}" -T "$ld" \
      src/mpu.c src/common.c tests/target/startup.c tests/target/target_mpu.c -o "$mout"
    echo "[target] mpu on $b"
    timeout 120 qemu-system-arm "${machine[@]}" "${icount[@]}" -nographic -monitor none \
      -semihosting-config enable=on,target=native -kernel "$mout"
    # the same on the task runtime with the rtm_mpu switch extension
    # (runtime/cortex_m/mpu_cm.c; tests/target/target_mpu_rt.c)
    mrout=build/target/mpu-rt-$b.elf
    arm-none-eabi-gcc "${warn[@]}" "$topt" -g "${cpu[@]}" "${common[@]}" -Iruntime -Iruntime/cortex_m \
      -T "$ld" src/*.c src/port/port_cortex_m.c tests/target/startup.c runtime/rt_core.c \
      runtime/cortex_m/rt_cortex_m.c runtime/cortex_m/mpu_cm.c tests/target/target_mpu_rt.c -o "$mrout"
    echo "[target] mpu on the runtime, $b"
    timeout 120 qemu-system-arm "${machine[@]}" -icount shift=0 -nographic -monitor none \
      -semihosting-config enable=on,target=native -kernel "$mrout"
  fi
  if [ "$mode" = test ] && [ "$b" = microbit ]; then
    # the harness itself: a misaligned store must fault on the emulated M0
    # and report its own PC (tests/target/target_fault.c)
    fout=build/target/fault-$b.elf
    arm-none-eabi-gcc "${warn[@]}" "$topt" -g "${cpu[@]}" "${common[@]}" "${small[@]}" -T "$ld" \
      tests/target/startup.c tests/target/target_fault.c -o "$fout"
    set +e
    log=$(timeout 60 qemu-system-arm "${machine[@]}" "${icount[@]}" -nographic -monitor none \
      -semihosting-config enable=on,target=native -kernel "$fout" 2>&1)
    rc=$?
    set -e
    echo "$log"
    read -r start size < <(arm-none-eabi-nm -S "$fout" | awk '$4 == "misaligned_store" {print $1, $2}')
    pc=$(echo "$log" | sed -n 's/^target: fault at pc 0x\([0-9a-f]*\)$/\1/p')
    if [ "$rc" -ne 1 ] || [ -z "$pc" ] ||
       [ $((16#$pc)) -lt $((16#$start)) ] || [ $((16#$pc)) -ge $((16#$start + 16#$size)) ]; then
      echo "[target] FAILED: fault-$b: exit $rc, pc '${pc}', misaligned_store at $start size $size" >&2
      exit 1
    fi
    echo "[target] fault-$b: the misaligned store faulted at 0x$pc, inside misaligned_store (exit 1)"
  fi
  if [ "$mode" = test ] && [ "$b" = an386 ]; then
    # the malloc guard with newlib (tests/target/target_guard.c): newlib's own
    # allocations go through --wrap to an rtmem heap and are listed; a
    # real-time owner's strdup must fault with a return address in strdup
    gout=build/target/guard-$b.elf
    gwrap=-Wl,--wrap=malloc,--wrap=free,--wrap=calloc,--wrap=realloc,--wrap=_malloc_r,--wrap=_free_r,--wrap=_calloc_r,--wrap=_realloc_r
    arm-none-eabi-gcc "${warn[@]}" "$topt" -g "${cpu[@]}" "${common[@]}" "$gwrap" -T "$ld" \
      "${srcs[@]}" tests/target/target_guard.c -o "$gout" 2> >(grep -v 'is not implemented and will always fail' >&2)
    glog=$(timeout 120 qemu-system-arm "${machine[@]}" "${icount[@]}" -nographic -monitor none \
      -semihosting-config enable=on,target=native -kernel "$gout" 2>&1)
    echo "$glog"
    gpc=$(echo "$glog" | sed -n 's/^target_guard: owner 3 refused, caller 0x\([0-9a-f]*\)$/\1/p')
    gfn=$(arm-none-eabi-addr2line -f -e "$gout" "0x$(printf %x $((16#${gpc:-0} & ~1)))" | head -1)
    case $gfn in
      strdup|_strdup_r) echo "[target] guard-$b: the refused malloc was called from $gfn (0x$gpc)" ;;
      *) echo "[target] FAILED: guard-$b: refusal caller 0x${gpc} is in '$gfn', not strdup" >&2; exit 1 ;;
    esac
    # static allocation: heap_1 ready at link time, the rest from the
    # rtm_static_init section (tests/target/target_static.c)
    sout=build/target/static-$b.elf
    arm-none-eabi-gcc "${warn[@]}" "$topt" -g "${cpu[@]}" "${common[@]}" -T "$ld" \
      "${srcs[@]}" tests/target/target_static.c -o "$sout" 2> >(grep -v 'is not implemented and will always fail' >&2)
    timeout 60 qemu-system-arm "${machine[@]}" "${icount[@]}" -nographic -monitor none \
      -semihosting-config enable=on,target=native -kernel "$sout"
  fi
}

# The test mode runs the boards JOBS at a time (each QEMU is one thread),
# every board's output kept in its own log and printed in board order;
# the other modes (and a single board) run one board after another.
if [ "$mode" = test ] && [ ${#boards[@]} -gt 1 ]; then
  mkdir -p build/target
  pids=()
  for b in "${boards[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "${JOBS:-2}" ]; do wait -n || true; done
    ( board "$b" ) > "build/target/log-$b.txt" 2>&1 &
    pids+=($!)
  done
  failed=0
  for i in "${!boards[@]}"; do
    rc=0
    wait "${pids[$i]}" || rc=$?
    cat "build/target/log-${boards[$i]}.txt"
    if [ "$rc" -ne 0 ]; then
      echo "[target] FAILED: ${boards[$i]} (exit $rc)" >&2
      failed=1
    fi
  done
  [ "$failed" -eq 0 ] || exit 1
else
  for b in "${boards[@]}"; do
    board "$b"
  done
fi

# Traces recorded where the firmware runs (issue 15): the workload of
# tests/trace_workload.h recorded on the emulated M4 with RTMEM_CFG_EVENTS=1,
# drained over semihosting into build/target/trace-an386.bin, decoded and
# replayed on the host (tests/target/trace_check.c, ASan+UBSan): the events
# must equal the host's run of the workload and the replay's result line the
# target's.
if [ "$mode" = test ]; then
  mkdir -p build/target
  out=build/target/trace-an386.elf
  arm-none-eabi-gcc "${warn[@]}" -Os -g -mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard "${common[@]}" \
    -Itests -DRTMEM_CFG_EVENTS=1 -T tests/target/mps2-an386.ld "${srcs[@]}" tests/target/target_trace.c -o "$out"
  rm -f build/target/trace-an386.bin
  echo "[target] trace on an386"
  tlog=$(cd build/target && timeout 300 qemu-system-arm -M mps2-an386 -icount shift=0 -nographic \
    -monitor none -semihosting-config enable=on,target=native -kernel trace-an386.elf 2>&1)
  echo "$tlog"
  gcc -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -Wall -Wextra -Werror \
    -Iinclude -Isrc -Itests -Itools/rtmem -DRTMEM_CFG_PORT=RTMEM_PORT_NONE -DRTMEM_CFG_EVENTS=1 \
    tests/target/trace_check.c tools/rtmem/decode.c tools/rtmem/trace.c src/*.c src/port/port_none.c \
    -o build/target/trace_check
  hres=$(build/target/trace_check build/target/trace-an386.bin)
  tres=$(echo "$tlog" | grep '^trace-result:')
  echo "[target] host replay: $hres"
  if [ -z "$tres" ] || [ "$tres" != "$hres" ]; then
    echo "[target] FAILED: trace: target '$tres', host replay '$hres'" >&2
    exit 1
  fi
  echo "[target] trace: decoded on the host, replayed with the target's result"
fi
if [ "$mode" = test ]; then
  demo_target
fi
