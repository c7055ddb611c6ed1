#!/usr/bin/env bash
# Install rtmem from the build tree into a scratch prefix, then build
# consumers: find_package(rtmem), add_subdirectory(rtmem) and pkg-config
# (tests/consumer: the library, and the FreeRTOS heap layer without the
# kernel); then a FreeRTOS application (tests/consumer/freertos) against the
# stub kernel's CMake targets: find_package, add_subdirectory with rtmem
# added before the kernel, and add_subdirectory with the kernel's include
# directories given through RTMEM_FREERTOS_INCLUDE_DIRS instead of targets.
# usage: install_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1; build=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# Sanitizer flags of the surrounding build must not leak into the consumers.
unset CFLAGS LDFLAGS
quiet() { "$@" >"$tmp/log" 2>&1 || { cat "$tmp/log"; return 1; }; }
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
test -f "$tmp/prefix/share/rtmem/src/compat/freertos_heap.c"
test -f "$tmp/prefix/share/rtmem/src/port/port_freertos.c"
quiet cmake -S "$src/tests/consumer" -B "$tmp/fp" -DCMAKE_PREFIX_PATH="$tmp/prefix"
quiet cmake --build "$tmp/fp"
"$tmp/fp/consumer"
"$tmp/fp/consumer_heap"
quiet cmake -S "$src/tests/consumer" -B "$tmp/sub" -DRTMEM_SOURCE_DIR="$src"
quiet cmake --build "$tmp/sub" --target consumer consumer_heap
"$tmp/sub/consumer"
"$tmp/sub/consumer_heap"
export PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig:$tmp/prefix/lib64/pkgconfig"
# shellcheck disable=SC2046
cc -std=c11 "$src/tests/consumer/main.c" $(pkg-config --cflags --libs --static rtmem) -o "$tmp/pc"
"$tmp/pc"
test -f "$(pkg-config --variable=srcdir rtmem)/compat/freertos_heap.c"

stub="$src/tests/stubs/freertos"
frt() { # name, cmake options...
  local name=$1; shift
  quiet cmake -S "$src/tests/consumer/freertos" -B "$tmp/$name" -DSTUB_KERNEL_DIR="$stub" "$@"
  quiet cmake --build "$tmp/$name" --target app
  "$tmp/$name/app"
}
frt frt_fp -DCMAKE_PREFIX_PATH="$tmp/prefix"
frt frt_sub_first -DRTMEM_SOURCE_DIR="$src" -DRTMEM_FIRST=ON
frt frt_sub_dirs -DRTMEM_SOURCE_DIR="$src" -DKERNEL_TARGETS=OFF
frt frt_fp_dirs -DCMAKE_PREFIX_PATH="$tmp/prefix" -DKERNEL_TARGETS=OFF
echo "install test: find_package, add_subdirectory and pkg-config consumers and the FreeRTOS applications all ran"
