# rtmem: the two set-up commands are `make demo` and `make test` (see README.md).
# Everything is built by CMake in build/; this file only sequences it.
JOBS   ?= 2
export MAKEFLAGS += --no-print-directory
SHARED ?= $(abspath ../shared)
CPUS   := cortex-m0plus cortex-m4 cortex-m33
# Host release flags are BENCH.md's: -O2, assertions off.
CMAKE_HOST := -DRTMEM_SHARED_DIR=$(SHARED) -DCMAKE_C_FLAGS_RELEASE="-O2 -DNDEBUG"

.PHONY: demo-target gate-cost all deps test test-asan test-tsan test-release test32 test-target bench-target cross sizes paths demo bench release fuzz clean w3sim w3sim-build w4ladder

all: release

deps:
	@scripts/deps.sh test

# make test: clean builds; all tests under ASan+UBSan, threaded tests under
# TSan, the Cortex-M cross builds with -Werror, and the code-size table.
test: deps
	rm -rf build/asan build/tsan build/reltest build/cross
	$(MAKE) --no-print-directory test-asan test-tsan test-release test32 test-target cross sizes paths w3sim-build
	@echo "make test: all steps passed"

test-asan:
	cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DRTMEM_SANITIZE=address,undefined $(CMAKE_HOST)
	cmake --build build/asan -j$(JOBS)
	cd build/asan && ctest --output-on-failure -j$(JOBS)

# Only the tests labelled "threads" run under TSan, so only their targets
# (test names are target names) are built.
test-tsan:
	cmake -S . -B build/tsan -DCMAKE_BUILD_TYPE=Debug -DRTMEM_SANITIZE=thread $(CMAKE_HOST)
	cd build/tsan && targets=$$(ctest -L threads -N | sed -n 's/.*Test *#[0-9]*: //p') && \
	  test -n "$$targets" && cmake --build . -j$(JOBS) --target $$targets
	cd build/tsan && ctest -L threads --output-on-failure -j$(JOBS)

# The same tests built as released (-O2, NDEBUG: assertions off, faults only
# counted), plus the install test (find_package, add_subdirectory, pkg-config).
test-release:
	cmake -S . -B build/reltest -DCMAKE_BUILD_TYPE=Release $(CMAKE_HOST)
	cmake --build build/reltest -j$(JOBS)
	cd build/reltest && ctest --output-on-failure -j$(JOBS)

# The fuzz interpreter on PRNG programs as a 32-bit binary: the block layouts
# of Cortex-M (4-byte pointers, 8-byte heap_4 headers) under UBSan, run
# under qemu-i386 where this kernel does not run 32-bit code; then in a
# 200,000-byte arena (tlsf blocks beyond 16-bit sizes).
TEST32_CFLAGS := -m32 -std=c11 -O1 -g -fsanitize=undefined -fno-sanitize-recover=all \
  -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wundef -Wshadow \
  -Wstrict-prototypes -Wmissing-prototypes -Werror
test32:
	mkdir -p build/test32
	$(CC) $(TEST32_CFLAGS) -Iinclude -Isrc -Ifuzz -DRTMEM_CFG_PORT=RTMEM_PORT_NONE \
	  fuzz/fuzz_prng_main.c fuzz/fuzz_alloc.c $(wildcard src/*.c) src/port/port_none.c \
	  -o build/test32/fuzz_prng
	$(CC) $(TEST32_CFLAGS) -Iinclude -Isrc -Ifuzz -DRTMEM_CFG_PORT=RTMEM_PORT_NONE -DFUZZ_ARENA=200000u \
	  fuzz/fuzz_prng_main.c fuzz/fuzz_alloc.c $(wildcard src/*.c) src/port/port_none.c \
	  -o build/test32/fuzz_prng_big
	if build/test32/fuzz_prng 0 >/dev/null 2>&1; then run=; else run=qemu-i386; fi; \
	  $$run build/test32/fuzz_prng 1000 && $$run build/test32/fuzz_prng_big 300 && \
	  $(CC) $(TEST32_CFLAGS) -Wno-free-nonheap-object -Wno-use-after-free -DRTMEM_NO_ALLOC_SIZE -Iinclude -Isrc -DRTMEM_CFG_PORT=RTMEM_PORT_NONE tests/c32/rtx_cb32.c \
	    $(wildcard src/*.c) src/compat/cmsis_os2_pool.c src/port/port_none.c -o build/test32/rtx_cb32 && \
	  $$run build/test32/rtx_cb32

# The core as built for Cortex-M, run on QEMU's emulated M4 (mps2-an386),
# M33 (mps2-an505) and M0 (microbit): fuzz programs with the shadow model and
# the cortex_m port's critical sections; then a short instruction-count bench
# run so that it keeps building (tests/target/run.sh); then tlsf built at
# -O0/-Og/-Os/-O2 must behave the same, with an 8 MiB heap in the boards'
# PSRAM, and refuse an application of another layout (tests/levels).
test-target:
	tests/target/run.sh test
	tests/target/run.sh bench-quick
	tests/levels/levels_test.sh target build/target/levels

# The BENCH.md workloads on the emulated Cortex-M4, in instructions executed
# (QEMU -icount), rtmem beside newlib's malloc; also the last step of make bench.
# The guest prints through semihosting, which QEMU writes to its stderr.
bench-target:
	@scripts/deps.sh test
	@mkdir -p build/target
	tests/target/run.sh bench > build/target/bench-an386.txt 2>&1; rc=$$?; \
	  cat build/target/bench-an386.txt; exit $$rc

# The allocation gate's cost in Cortex-M4 instructions (QEMU -icount), with
# and without the gate compiled in (scripts/gate-cost.sh).
gate-cost:
	scripts/gate-cost.sh

# Cortex-M cross builds of the core (MinSizeRel = -Os -DNDEBUG, -Werror), plus a BASEPRI variant.
cross:
	@for cpu in $(CPUS); do \
	  cmake -S . -B build/cross/$$cpu -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake \
	        -DRTMEM_CPU=$$cpu -DCMAKE_BUILD_TYPE=MinSizeRel -DRTMEM_WERROR=ON >/dev/null && \
	  cmake --build build/cross/$$cpu -j$(JOBS) || exit 1; \
	done
	cmake -S . -B build/cross/cortex-m4-basepri -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake \
	      -DRTMEM_CPU=cortex-m4 -DCMAKE_BUILD_TYPE=MinSizeRel -DRTMEM_WERROR=ON \
	      -DRTMEM_DEFINES=RTMEM_CFG_CORTEX_M_BASEPRI=0x50 >/dev/null
	cmake --build build/cross/cortex-m4-basepri -j$(JOBS)

sizes:
	@scripts/size-table.sh build/cross $(CPUS)

# Worst-case instruction paths of the O(1) functions on Cortex-M0+/M4/M33 at
# -Os and -O2, from the disassembly; fails if one of them has a loop.
paths:
	@scripts/path-bounds.sh build/paths

release:
	@scripts/deps.sh demo
	cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DRTMEM_BUILD_TESTS=OFF $(CMAKE_HOST) >/dev/null
	cmake --build build/release -j$(JOBS)

demo: release
	build/release/tools/rtmem/rtmem demo --shared $(SHARED)

# The same scene on the emulated Cortex-M4 (QEMU mps2-an386), where the
# protection is the real MPU: builds tests/target/target_demo.c, runs it (the
# memory report over semihosting; exit 1 if the scene misbehaved), decodes
# its binary trace and runs `rtmem advise` on it (tests/target/run.sh demo).
demo-target: deps release
	RTMEM=build/release/tools/rtmem/rtmem tests/target/run.sh demo

# make bench: every measured figure, written with the date, the machine and
# the commands into docs/MEASURED.md (scripts/measured.sh); the figures live
# there only. Extra measurements may drop build/bench/extra-NAME.txt files
# (first line "# command: ...") to be included.
bench:
	@scripts/deps.sh bench
	$(MAKE) --no-print-directory release cross
	@mkdir -p build/bench
	$(MAKE) --no-print-directory sizes | tee build/bench/sizes.txt
	build/release/tools/rtmem/rtmem bench --runs 3 --shared $(SHARED) --json build/release/bench.json \
	  | tee build/bench/host.txt
	$(MAKE) --no-print-directory bench-target
	scripts/measured.sh docs/MEASURED.md

# libFuzzer over every allocator (fuzz/fuzz_alloc.c), ASan+UBSan, for
# FUZZ_SECONDS; the corpus grows in build/fuzz/corpus. make test runs the same
# interpreter on PRNG-made programs (test_fuzz_alloc).
FUZZ_SECONDS ?= 600
fuzz:
	@scripts/deps.sh fuzz
	mkdir -p build/fuzz/corpus
	clang -std=c11 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	  -Iinclude -Isrc -Ifuzz -DRTMEM_CFG_PORT=RTMEM_PORT_NONE \
	  fuzz/fuzz_libfuzzer.c fuzz/fuzz_alloc.c $(wildcard src/*.c) src/port/port_none.c \
	  -o build/fuzz/fuzz_alloc
	build/fuzz/fuzz_alloc -max_total_time=$(FUZZ_SECONDS) -max_len=3600 -print_final_stats=1 \
	  build/fuzz/corpus

# W3 placement-policy simulator (scripts/w3sim.c): the fill each policy and
# header size can reach, on BENCH.md's seeds 1..200 and on seeds 201..1200.
W3SIM_CFLAGS := -std=c11 -O2 -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wundef -Werror
w3sim-build:
	@mkdir -p build && $(CC) $(W3SIM_CFLAGS) scripts/w3sim.c -o build/w3sim
	@$(CC) $(W3SIM_CFLAGS) -D_GNU_SOURCE -DNDEBUG -Iinclude -Isrc -Itools/rtmem \
	  -DRTMEM_CFG_PORT=RTMEM_PORT_NONE scripts/w4ladder.c tools/rtmem/timing.c src/pool.c src/pool_check.c src/pool_lockfree.c src/pool_walk.c src/hooks.c \
	  src/common.c src/waitq.c src/port/port_none.c -o build/w4ladder

# W4 ladder (scripts/w4ladder.c): what each part of a checked pool's
# alloc/free pair costs on this CPU, beside the system malloc.
w4ladder: w3sim-build
	build/w4ladder

w3sim: w3sim-build
	@for a in "0" "1 1024" "2" "3 1024" "4 24" "5" "6 2048" "0 1024 0" "0 1024 348 2" "0 1024 348 0"; do \
	  build/w3sim $$a; S0=201 S1=1200 build/w3sim $$a; done

clean:
	rm -rf build
