#!/usr/bin/env bash
# scripts/deps.sh as a user without root on a machine that has none of the
# packages: it must install nothing, print the one apt-get line with the
# packages the target needs (no more: `make demo` needs a host compiler, not
# the Cortex-M tool chain, QEMU or Chromium), and fail. dpkg-query, id and
# apt-get are stand-ins on PATH, so nothing on this machine is touched.
# usage: deps_test.sh SOURCE_DIR WORK_DIR
set -u
src=$1
work=$2/deps_test
rm -rf "$work" && mkdir -p "$work/bin"
printf '#!/bin/sh\nexit 1\n' > "$work/bin/dpkg-query"  # nothing installed
printf '#!/bin/sh\necho 1000\n' > "$work/bin/id"       # not root
printf '#!/bin/sh\necho "apt-get called" >&2\nexit 99\n' > "$work/bin/apt-get"
chmod +x "$work/bin/"*
fails=0
check() { # target, wanted package, unwanted packages...
  local target=$1 want=$2; shift 2
  out=$(PATH="$work/bin:$PATH" "$src/scripts/deps.sh" "$target" 2>&1); rc=$?
  line=$(printf '%s\n' "$out" | grep 'apt-get install')
  if [ $rc -eq 0 ] || [ "$(printf '%s\n' "$out" | grep -c 'apt-get install')" -ne 1 ] ||
     printf '%s\n' "$out" | grep -q 'apt-get called' || ! printf '%s\n' "$line" | grep -qw -- "$want"; then
    echo "deps.sh $target: expected one apt-get line with $want and exit 1, got rc=$rc:"; echo "$out"
    fails=$((fails + 1))
  fi
  for p in "$@"; do
    if printf '%s\n' "$line" | grep -qw -- "$p"; then
      echo "deps.sh $target: asks for $p, which it does not need: $line"
      fails=$((fails + 1))
    fi
  done
}
check demo gcc chromium qemu-system-arm gcc-arm-none-eabi valgrind libcmocka-dev
check test chromium
check test gcc-arm-none-eabi
[ $fails -eq 0 ] && echo "deps test: ok"
exit $fails
