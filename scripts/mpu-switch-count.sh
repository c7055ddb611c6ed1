#!/usr/bin/env bash
# Instructions per context switch spent loading a task's MPU regions, on the
# emulated Cortex-M4 (mps2-an386, ARMv7-M) and Cortex-M33 (mps2-an505,
# ARMv8-M) under qemu-system-arm -icount shift=0 (tests/target/target_mpu.c
# built with -DMPU_BENCH: three tasks that only yield, 3,000 switches; built
# again with -DMPU_NOLOAD, the same switch without the region load; the
# difference is the load); then the task runtime (runtime/cortex_m) with
# the rtm_mpu switch extension (mpu_cm.c) against the runtime without it
# (target_mpu_rt.c -DMPU_BENCH [-DMPU_NOHOOK]). Also rtm_mpu's -Os code size.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build/target
warn=(-std=c11 -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wundef -Wshadow -Werror)
common=(-mthumb -ffunction-sections -fdata-sections -Iinclude -Isrc -Itests/target
        -Wl,--gc-sections -Ltests/target --specs=nosys.specs -nostartfiles)
for b in an386 an505; do
  case $b in
    an386) cpu=(-mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard) ;;
    an505) cpu=(-mcpu=cortex-m33 -mfpu=fpv5-sp-d16 -mfloat-abi=hard) ;;
  esac
  for v in load noload; do
    defs=(-DMPU_BENCH)
    [ $v = noload ] && defs+=(-DMPU_NOLOAD)
    out=build/target/mpubench-$b-$v.elf
    arm-none-eabi-gcc "${warn[@]}" -O2 "${defs[@]}" "${cpu[@]}" "${common[@]}" -T tests/target/mps2-$b.ld \
      src/mpu.c src/common.c tests/target/startup.c tests/target/target_mpu.c -o "$out"
    timeout 120 qemu-system-arm -M mps2-$b -icount shift=0 -nographic -monitor none \
      -semihosting-config enable=on,target=native -kernel "$out"
  done
  # the task runtime (runtime/cortex_m) with and without the rtm_mpu extension
  for v in hook nohook; do
    defs=(-DMPU_BENCH -DRTMEM_CFG_PORT=RTMEM_PORT_CORTEX_M)
    [ $v = nohook ] && defs+=(-DMPU_NOHOOK)
    out=build/target/mpubench-rt-$b-$v.elf
    arm-none-eabi-gcc "${warn[@]}" -O2 -DNDEBUG "${defs[@]}" "${cpu[@]}" "${common[@]}" -Iruntime \
      -Iruntime/cortex_m -T tests/target/mps2-$b.ld src/*.c src/port/port_cortex_m.c \
      tests/target/startup.c runtime/rt_core.c runtime/cortex_m/rt_cortex_m.c \
      runtime/cortex_m/mpu_cm.c tests/target/target_mpu_rt.c -o "$out"
    timeout 120 qemu-system-arm -M mps2-$b -icount shift=0 -nographic -monitor none \
      -semihosting-config enable=on,target=native -kernel "$out"
  done
  arm-none-eabi-gcc -std=c11 -Os -DNDEBUG "${cpu[@]}" -mthumb -ffunction-sections -Iinclude -Isrc \
    -c src/mpu.c -o build/target/mpu-$b-Os.o
  arm-none-eabi-size -A build/target/mpu-$b-Os.o | awk -v cpu="${cpu[0]}" '
    $1 ~ /^\.text/ {t += $2} $1 ~ /^\.rodata/ {r += $2}
    END {printf "rtm_mpu -Os %s: %d B code, %d B read-only data (rule sentences, tables)\n", cpu, t, r}'
done
