#!/usr/bin/env bash
# One tlsf at every optimisation level (issue 18). For each of the four tlsf
# configurations (tests/tlsf.cmake: default, portable bit scan,
# RTMEM_CFG_HARDEN=1 and =2), the library and tests/levels/tlsf_levels.c are
# built at -O0, -Og, -Os and -O2 (the application at one level, the library
# at the next, so every level is met on both sides and mixed) with -Werror,
# and the probe's output -- layout constants, library bounds, every address
# of a fixed random run, statistics, bad-input codes, an 8 MiB heap with a
# 100,000-byte request -- must be the same at every level. On target the
# default configuration runs at the four levels and the other three at -Os
# and -O2 (each against the library at the other): what differs between the
# configurations is source, not the optimiser, and the host run covers them
# at every level.
# Then an application built with another RTMEM_CFG_HARDEN than the library,
# or passing another layout version, must be refused at init: RTM_ERR_ARG in
# a release build, a trap in a debug one.
#
#   tests/levels/levels_test.sh host   [OUT]   gcc; also -m32 when it links
#                                              (run under qemu-i386 if need be)
#   tests/levels/levels_test.sh target [OUT]   arm-none-eabi-gcc on QEMU's
#                                              mps2-an386 (Cortex-M4) and
#                                              mps2-an505 (Cortex-M33), the
#                                              8 MiB heap in their PSRAM
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
mode=${1:-host}
out=${2:-$root/build/levels}
mkdir -p "$out"
rm -rf "$out/lib" # the library objects of this run only
cd "$root"

configs=("default|" "softclz|-DRTMEM_CFG_TLSF_USE_BUILTIN_CLZ=0"
         "harden1|-DRTMEM_CFG_HARDEN=1" "harden2|-DRTMEM_CFG_HARDEN=2")
# (application level, library level) pairs: every level on both sides
all_pairs=("-O0 -Og" "-Og -Os" "-Os -O2" "-O2 -O0")
few_pairs=("-Os -O2" "-O2 -Os")
warn=(-std=c11 -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wundef -Wshadow -Werror)
# the probe hands rtm_tlsf_free bad pointers on purpose
pwarn=(-Wno-free-nonheap-object -Wno-use-after-free -DRTMEM_NO_ALLOC_SIZE)
libsrc=("$root"/src/tlsf.c "$root"/src/tlsf_setup.c "$root"/src/tlsf_check.c "$root"/src/tlsf_realloc.c
        "$root"/src/common.c "$root"/src/hooks.c)
fail=0

# build NAME ARCHFLAGS LIBOPT APPOPT DEFS...: the library at LIBOPT, the probe
# at APPOPT, into $out/NAME. The library's objects are compiled once per
# (arch, flags, level, options) in a run and shared ($out/lib/; libdir).
build() {
  local name=$1 arch=$2 lopt=$3 aopt=$4 d=$out/$1 l
  shift 4
  rm -rf "$d"
  mkdir -p "$d"
  l=$out/lib/$(echo "$cc|$arch|${common[*]}|$lopt|$*" | md5sum | cut -c1-16)
  if [ ! -d "$l" ]; then
    mkdir -p "$l.tmp"
    # the library's sources two at a time (JOBS, as make's -j)
    printf '%s\n' "${libsrc[@]}" | (cd "$l.tmp" && xargs -P "${JOBS:-2}" -n 3 \
      $cc $arch "${warn[@]}" "$lopt" -g "${common[@]/#-I/-I$root/}" "$@" -c)
    mv "$l.tmp" "$l"
  fi
  libdir=$l
  local objs=("$l"/*.o)
  $cc $arch "${warn[@]}" "${pwarn[@]}" "$aopt" -g "${common[@]}" "$@" tests/levels/tlsf_levels.c \
    "${objs[@]}" "${link[@]}" -o "$d/probe"
}

# compare CONFIG FILES...: every output the same as the first.
compare() {
  local cfg=$1 first=$2 f
  shift
  for f in "$@"; do
    if ! cmp -s "$first" "$f"; then
      echo "levels: FAILED: $cfg: $(basename "$f") differs from $(basename "$first"):" >&2
      diff "$first" "$f" | head -20 >&2
      fail=1
    fi
  done
  [ "$fail" -ne 0 ] || echo "levels: $cfg: the same output at $pairs_seen (application/library; $(wc -l < "$first") lines)"
}

# run_levels TAG ARCH FEW RUNNER...: the four configurations, each at the
# (application, library) level pairs of all_pairs; with FEW=1 only the
# default at all_pairs and the others at few_pairs.
run_levels() {
  local tag=$1 arch=$2 few=$3 c name defs i outs pairs p aopt lopt
  shift 3
  for c in "${configs[@]}"; do
    name=${c%%|*}
    defs=${c#*|}
    pairs=("${all_pairs[@]}")
    [ "$few" -eq 0 ] || [ "$name" = default ] || pairs=("${few_pairs[@]}")
    outs=()
    pairs_seen=
    for i in "${!pairs[@]}"; do
      p=${pairs[$i]}
      aopt=${p% *}
      lopt=${p#* }
      build "$tag-$name$i" "$arch" "$lopt" "$aopt" $defs
      if ! "$@" "$out/$tag-$name$i/probe" > "$out/$tag-$name$i.txt" 2>&1; then
        echo "levels: FAILED: $tag $name: the probe at $aopt (library $lopt) failed:" >&2
        tail -5 "$out/$tag-$name$i.txt" >&2
        fail=1
      fi
      outs+=("$out/$tag-$name$i.txt")
      pairs_seen+="${pairs_seen:+, }$aopt/$lopt"
    done
    compare "$tag $name" "${outs[@]}"
  done
}

# mismatch ARCH RUNNER...: an application compiled with another
# RTMEM_CFG_HARDEN than the default library, or passing another layout
# version, is refused at init.
mismatch() {
  local arch=$1 opts rc
  shift
  # the library as released (NDEBUG) and as a debug build (the -O0 library
  # of run_levels' default configuration)
  build mismatch-rel "$arch" -O2 -O2 -DNDEBUG
  local rel=("$libdir"/*.o)
  build mismatch-dbg "$arch" -O0 -O0
  local dbg=("$libdir"/*.o)
  for opts in "-DLEVELS_MISMATCH=1 -DRTMEM_CFG_HARDEN=1" "-DLEVELS_MISMATCH=1 -DRTMEM_CFG_HARDEN=2" \
              "-DLEVELS_MISMATCH=2"; do
    # release: init returns RTM_ERR_ARG and the heap stays dead
    $cc $arch "${warn[@]}" "${pwarn[@]}" -O2 -DNDEBUG $opts "${common[@]}" \
      tests/levels/tlsf_levels.c "${rel[@]}" "${link[@]}" -o "$out/mismatch-rel/probe"
    if ! "$@" "$out/mismatch-rel/probe" > "$out/mismatch.txt" 2>&1; then
      echo "levels: FAILED: an application built with $opts was not refused:" >&2
      cat "$out/mismatch.txt" >&2
      fail=1
      continue
    fi
    # debug: the refusal's fault reaches the default hook, which traps
    $cc $arch "${warn[@]}" "${pwarn[@]}" -O0 $opts "${common[@]}" \
      tests/levels/tlsf_levels.c "${dbg[@]}" "${link[@]}" -o "$out/mismatch-dbg/probe"
    set +e
    ("$@" "$out/mismatch-dbg/probe"; exit $?) > "$out/mismatch.txt" 2>&1
    rc=$?
    set -e
    if [ "$rc" -eq 0 ] || grep -q "init with another layout" "$out/mismatch.txt"; then
      echo "levels: FAILED: debug build with $opts: init did not trap (exit $rc)" >&2
      fail=1
      continue
    fi
    echo "levels: $tag_m: an application built with $opts is refused at init (release: RTM_ERR_ARG; debug: trap, exit $rc)"
  done
}

# og_warnings ARCH PORT PORTFILE: every library source, and the port's, compiles
# at -Og with -Werror (the other levels are built by the Debug, Release and
# MinSizeRel trees; -Og's flow analysis warns where they do not).
og_warnings() {
  local arch=$1 port=$2 f bad=0
  mkdir -p "$out/og"
  for f in src/*.c "$3"; do
    if ! $cc $arch "${warn[@]}" -Og -DRTMEM_CFG_PORT="$port" -Iinclude -Isrc -c "$f" \
         -o "$out/og/$(basename "$f").o"; then
      echo "levels: FAILED: $f does not build at -Og with -Werror" >&2
      bad=1
    fi
  done
  [ "$bad" -eq 0 ] || { fail=1; return; }
  echo "levels: every library source checked at -Og with -Werror ($cc)"
}

case $mode in
  host)
    cc=${CC:-gcc}
    common=(-Iinclude -Isrc -DRTMEM_CFG_PORT=RTMEM_PORT_NONE)
    link=()
    tag_m=host
    og_warnings "" RTMEM_PORT_NONE src/port/port_none.c
    run_levels host "" 0 env
    mismatch "" env
    # 32-bit: the pointer size of Cortex-M
    if echo 'int main(void){return 0;}' | $cc -m32 -x c - -o "$out/m32" 2>/dev/null; then
      run32=env
      "$out/m32" 2>/dev/null || run32=qemu-i386
      configs=("${configs[0]}")
      run_levels host32 -m32 0 $run32
    else
      echo "levels: no -m32 toolchain: the 32-bit run is skipped (make test32 needs it)"
    fi
    ;;
  target)
    cc=arm-none-eabi-gcc
    # QEMU runner: the exit status is the probe's (semihosting)
    qemu() { timeout 300 qemu-system-arm "${machine[@]}" -icount shift=0 -nographic -monitor none \
               -semihosting-config enable=on,target=native -kernel "$1" 2>&1; }
    for b in an386 an505; do
      case $b in
        an386) arch="-mthumb -mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard"; machine=(-M mps2-an386)
               big=0x21000000 ;; # 16 MiB PSRAM
        an505) arch="-mthumb -mcpu=cortex-m33 -mfpu=fpv5-sp-d16 -mfloat-abi=hard"; machine=(-M mps2-an505)
               big=0x80000000 ;; # 16 MiB PSRAM
      esac
      common=(-ffunction-sections -fdata-sections -Iinclude -Isrc -Itests/target
              -DRTMEM_CFG_PORT=RTMEM_PORT_NONE -DLEVELS_BIG_ADDR=$big)
      link=(tests/target/startup.c -Wl,--gc-sections -Ltests/target --specs=nosys.specs -nostartfiles
            -T "tests/target/mps2-$b.ld")
      tag_m=$b
      [ "$b" != an386 ] || og_warnings "$arch" RTMEM_PORT_CORTEX_M src/port/port_cortex_m.c
      run_levels "$b" "$arch" 1 qemu
      mismatch "$arch" qemu
    done
    ;;
  *) echo "usage: $0 host|target [OUT]" >&2; exit 2 ;;
esac
if [ "$fail" -ne 0 ]; then
  echo "levels: FAILED" >&2
  exit 1
fi
echo "levels: all passed"
