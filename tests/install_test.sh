#!/usr/bin/env bash
# Install rtmem from the build tree into a scratch prefix, then build a consumer
# three ways: find_package(rtmem), add_subdirectory(rtmem), pkg-config.
# usage: install_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1; build=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# Sanitizer flags of the surrounding build must not leak into the consumers.
unset CFLAGS LDFLAGS
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
cmake -S "$src/tests/consumer" -B "$tmp/fp" -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
cmake --build "$tmp/fp" >/dev/null
"$tmp/fp/consumer"
cmake -S "$src/tests/consumer" -B "$tmp/sub" -DRTMEM_SOURCE_DIR="$src" >/dev/null
cmake --build "$tmp/sub" --target consumer >/dev/null
"$tmp/sub/consumer"
export PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig:$tmp/prefix/lib64/pkgconfig"
# shellcheck disable=SC2046
cc -std=c11 "$src/tests/consumer/main.c" $(pkg-config --cflags --libs --static rtmem) -o "$tmp/pc"
"$tmp/pc"
echo "install test: find_package, add_subdirectory and pkg-config consumers all ran"
