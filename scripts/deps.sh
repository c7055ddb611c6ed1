#!/usr/bin/env bash
# Make sure the Debian packages a make target needs are installed.
# As root, missing packages are installed with apt-get; otherwise the one
# apt-get line needed is printed and the script fails.
# usage: scripts/deps.sh demo|test|bench|fuzz
set -euo pipefail
what=${1:-test}
# gcc-multilib and qemu-user: the 32-bit builds (make test's test32, the
# bench's rtmem32 for W3) need -m32, and qemu-user runs them where the kernel
# has 32-bit execution turned off. qemu-system-arm: make test runs the
# Cortex-M build on emulated boards (tests/target). python3: the path-bound
# check (scripts/path-bound.py). valgrind: the memcheck run of rtmem/san.h.
# make demo builds the library and the tool for the host, without tests.
need=(cmake make gcc libc6-dev)
case "$what" in
  demo) ;;
  test|bench|fuzz)
    need+=(libcmocka-dev pkg-config gcc-arm-none-eabi binutils-arm-none-eabi
           libnewlib-arm-none-eabi gcc-multilib qemu-user qemu-system-arm python3 valgrind)
    # chromium (headless) renders the report page in make test, to check that
    # every plot has its data drawn; the font keeps the page readable.
    need+=(chromium fonts-dejavu-core)
    if [ "$what" = "fuzz" ]; then
      need+=(clang) # libFuzzer comes with it (libclang-common-*-dev)
    fi ;;
  *) echo "usage: scripts/deps.sh demo|test|bench|fuzz" >&2; exit 2 ;;
esac
missing=()
for p in "${need[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  echo "deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "deps: missing Debian packages. Run:"
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}"
  exit 1
fi
