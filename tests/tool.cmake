# Tests of the rtmem host tool (tools/rtmem): the trace parser, the workloads,
# bisection, the scheme-adapter table, replays of the shared traces with the
# integrity check after every event, and smoke runs of the tool itself.
include(${PROJECT_SOURCE_DIR}/tools/rtmem/detect.cmake)
set(_rtm_tool_dir ${PROJECT_SOURCE_DIR}/tools/rtmem)

rtm_add_test(NAME test_trace
  SOURCES test_trace.c ${_rtm_tool_dir}/trace.c
  INCLUDES ${_rtm_tool_dir}
  DEFS _GNU_SOURCE)

rtm_add_test(NAME test_tool
  SOURCES test_tool.c ${RTM_TOOL_LIB_SOURCES}
  LIBS rtmem ${CMAKE_DL_LIBS} m
  INCLUDES ${_rtm_tool_dir}
  DEFS _GNU_SOURCE ${RTM_TOOL_DEFS} "RTM_TEST_SHARED_DIR=\"${RTMEM_SHARED_DIR}\""
  TIMEOUT 600)

if(RTMEM_BUILD_TOOLS)
  # The demo is also a test: it exits 1 when anything in the scene did not
  # behave (the scene checks its own expectations). --quick (hidden) cuts the
  # steps. Its report page must have every plot's data drawn. Its static
  # section declares objects with the _DEFINE macros; its MPU section shows
  # the sample stack's registers, worked out by hand from the ARMs: ARMv7-M
  # 1536 B at 0x20001000 in region 4 = RBAR 0x20001014 (VALID | 4), RASR
  # 0x130bc015 (XN, AP 011, TEX 001 C B, SRD 0xc0, SIZE 10: 2 KiB, ENABLE);
  # ARMv8-M RBAR 0x20001003 (AP 01, XN), RLAR 0x200015e3 (limit, AttrIndx 1, EN);
  # a write into another task's stack faults on both, and the host's page
  # protection stopped the scene's intruder.
  add_test(NAME test_tool_demo
    COMMAND sh -c "$<TARGET_FILE:rtmem_tool> demo --quick --html demo.html > demo.out 2>&1; rc=$?; cat demo.out; test $rc -eq 0 && grep -q 'the scene behaved as it should' demo.out && grep -q 'logger leaks' demo.out && grep -q 'heap_1 never frees' demo.out && grep -q 'stack overflow caught by the guard page' demo.out && grep -q 'RTM_POOL_DEFINE(demo_samples' demo.out && grep -q 'rtm_static_init_all() at start-up: 4 records found by the linker, all initialised' demo.out && grep -q 'RBAR 0x20001014 RASR 0x130bc015' demo.out && grep -q 'RBAR 0x20001003 RLAR 0x200015e3' demo.out && grep -q 'MAIR0 0x44aaff04' demo.out && grep -q \"another task's stack *v7: MemManage v8: MemManage\" demo.out && grep -q 'task intruder: access violation' demo.out && python3 ${PROJECT_SOURCE_DIR}/tests/report/check_report.py demo.html stacks owners bench-latency occupancy heap-map free-histogram"
    WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  set_tests_properties(test_tool_demo PROPERTIES TIMEOUT 300)

  # W4 on the host has the pool's rows (they went missing once, silently,
  # when the pool's init became inline and detect.cmake no longer saw it).
  add_test(NAME test_tool_bench_pool
    COMMAND rtmem_tool bench --quick --workload W4 --runs 1)
  set_tests_properties(test_tool_bench_pool PROPERTIES TIMEOUT 120
    PASS_REGULAR_EXPRESSION "pool\\(empty\\).*pool\\(call\\).*pool\\(locked\\)")

  # `rtmem replay` on a small trace written here: sizing advice and leak report.
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/tool_small.trace
    "# rtmem-trace v1\n# three blocks, one left live\na 1 100\na 2 200\nr 2 300\nf 1\na 3 150\nf 3\n")
  add_test(NAME test_tool_replay
    COMMAND rtmem_tool replay ${CMAKE_CURRENT_BINARY_DIR}/tool_small.trace --check)
  set_tests_properties(test_tool_replay PROPERTIES TIMEOUT 60
    PASS_REGULAR_EXPRESSION "leak report: 1 blocks \\(300 bytes\\).*check: ok.*recommendation: .*configTOTAL_HEAP_SIZE = [0-9]+")
  # A resize to 0 bytes frees the block (it stays named by its id, empty):
  # the later free of that id gives nothing back twice, the later resize
  # allocates anew; the same on every scheme, native realloc or emulated.
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/tool_r0.trace
    "# rtmem-trace v1\na 1 100\na 2 64\nr 1 0\nf 1\na 3 40\nr 3 0\nr 3 80\nf 3\nf 2\n")
  add_test(NAME test_tool_replay_r0
    COMMAND rtmem_tool replay ${CMAKE_CURRENT_BINARY_DIR}/tool_r0.trace --check)
  set_tests_properties(test_tool_replay_r0 PROPERTIES TIMEOUT 60
    PASS_REGULAR_EXPRESSION "every block is freed.*check: ok.*recommendation: ")
  add_test(NAME test_tool_replay_r0_arena
    COMMAND rtmem_tool replay ${CMAKE_CURRENT_BINARY_DIR}/tool_r0.trace --arena 8192 --check)
  set_tests_properties(test_tool_replay_r0_arena PROPERTIES TIMEOUT 60
    PASS_REGULAR_EXPRESSION "heap_1 +arena 8192: 0 failed.*check: ok.*heap_3 +arena 8192: 0 failed.*check: ok.*tlsf +arena 8192: 0 failed.*check: ok.*malloc +arena 8192: 0 failed")
  # `rtmem advise` on a shared trace writes the report page; headless Chromium
  # renders it and every plot must have its data drawn (DOM and pixels).
  add_test(NAME test_tool_advise_page
    COMMAND sh -c "$<TARGET_FILE:rtmem_tool> advise ${RTMEM_SHARED_DIR}/traces/sqlite-log.trace --html advise.html && python3 ${PROJECT_SOURCE_DIR}/tests/report/check_report.py advise.html occupancy fragmentation free-histogram heap-map scheme-size latency"
    WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  set_tests_properties(test_tool_advise_page PROPERTIES TIMEOUT 300
    PASS_REGULAR_EXPRESSION "recommendation:.*configTOTAL_HEAP_SIZE = [0-9]+.*report check: 6 plots asked for, 0 problems")
  # The interface: every command's --help, an unknown command's short usage.
  foreach(_cmd demo bench replay advise decode selftest help)
    add_test(NAME test_tool_help_${_cmd} COMMAND rtmem_tool ${_cmd} --help)
    set_tests_properties(test_tool_help_${_cmd} PROPERTIES TIMEOUT 30
      PASS_REGULAR_EXPRESSION "usage: rtmem ${_cmd} ")
  endforeach()
  add_test(NAME test_tool_unknown
    COMMAND sh -c "$<TARGET_FILE:rtmem_tool> frobnicate 2>&1; echo exit=$?")
  set_tests_properties(test_tool_unknown PROPERTIES TIMEOUT 30
    PASS_REGULAR_EXPRESSION "unknown command 'frobnicate'.*commands: demo bench replay advise.*exit=2")
  add_test(NAME test_tool_demo_missing_value
    COMMAND sh -c "$<TARGET_FILE:rtmem_tool> demo --html 2>&1; echo exit=$?")
  set_tests_properties(test_tool_demo_missing_value PROPERTIES TIMEOUT 30
    PASS_REGULAR_EXPRESSION "rtmem demo: --html needs a value.*exit=2")
  # An option error says which it is: an option missing its value (named),
  # an unknown option, or a stray word; exit 2 (usage) in each case.
  add_test(NAME test_tool_option_errors
    COMMAND sh -c "R=$<TARGET_FILE:rtmem_tool>; T=${CMAKE_CURRENT_BINARY_DIR}/tool_small.trace; for c in \"advise $T --scheme\" \"advise $T --frob\" \"bench --runs\" \"bench --frob\" \"decode $T -o\" \"decode $T --frob\" \"replay $T --arena\" \"replay $T --frob\" \"replay $T extra\"; do $R $c 2>&1; echo exit=$?; done")
  set_tests_properties(test_tool_option_errors PROPERTIES TIMEOUT 60
    PASS_REGULAR_EXPRESSION "rtmem advise: option '--scheme' needs a value\nexit=2\nrtmem advise: unknown option '--frob'\nexit=2\nrtmem bench: option '--runs' needs a value\nexit=2\nrtmem bench: unknown option '--frob'\nexit=2\nrtmem decode: option '-o' needs a value\nexit=2\nrtmem decode: unknown option '--frob'\nexit=2\nrtmem replay: option '--arena' needs a value\nexit=2\nrtmem replay: unknown option '--frob'\nexit=2\nrtmem replay: unexpected argument 'extra'\nexit=2")
  # A malformed trace: the line and the reason, exit 1.
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/tool_bad2.trace "# rtmem-trace v1\na 1 10\na x 5\n")
  add_test(NAME test_tool_advise_bad COMMAND rtmem_tool advise ${CMAKE_CURRENT_BINARY_DIR}/tool_bad2.trace --html -)
  set_tests_properties(test_tool_advise_bad PROPERTIES TIMEOUT 30
    PASS_REGULAR_EXPRESSION "tool_bad2.trace:3: ")
  # Bisection where no scheme fits under --max-arena: no recommendation, exit 1
  # (README: a trace that does not fit is a failure), as advise does.
  add_test(NAME test_tool_replay_nofit
    COMMAND sh -c "$<TARGET_FILE:rtmem_tool> replay ${CMAKE_CURRENT_BINARY_DIR}/tool_small.trace --max-arena 64 2>&1; echo exit=$?")
  set_tests_properties(test_tool_replay_nofit PROPERTIES TIMEOUT 60
    PASS_REGULAR_EXPRESSION "tlsf +no arena up to --max-arena 64 bytes.*recommendation: none: no scheme ran the trace within 64 bytes[^\n]*\nexit=1")
  # A byte count beyond what the host can hold is refused, not clamped.
  add_test(NAME test_tool_replay_arena_range
    COMMAND sh -c "$<TARGET_FILE:rtmem_tool> replay ${CMAKE_CURRENT_BINARY_DIR}/tool_small.trace --arena 99999999999999999999 2>&1; echo exit=$?")
  set_tests_properties(test_tool_replay_arena_range PROPERTIES TIMEOUT 30
    PASS_REGULAR_EXPRESSION "bad --arena '99999999999999999999'.*exit=2")
  # A file that cannot be read says why (not "the trace is empty").
  add_test(NAME test_tool_replay_unreadable
    COMMAND sh -c "$<TARGET_FILE:rtmem_tool> replay ${CMAKE_CURRENT_BINARY_DIR} 2>&1; echo exit=$?; $<TARGET_FILE:rtmem_tool> advise ${CMAKE_CURRENT_BINARY_DIR} 2>&1; echo exit=$?; $<TARGET_FILE:rtmem_tool> decode ${CMAKE_CURRENT_BINARY_DIR}/no-such.bin 2>&1; echo exit=$?")
  set_tests_properties(test_tool_replay_unreadable PROPERTIES TIMEOUT 30
    PASS_REGULAR_EXPRESSION "rtmem replay: [^\n]*/tests: cannot read: Is a directory\nexit=1\nrtmem advise: [^\n]*/tests: cannot read: Is a directory\nexit=1\n.*cannot read [^\n]*no-such.bin: No such file or directory\nexit=1")
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/tool_bad.trace "# rtmem-trace v1\na 1 10\nf 2\n")
  add_test(NAME test_tool_replay_bad
    COMMAND rtmem_tool replay ${CMAKE_CURRENT_BINARY_DIR}/tool_bad.trace)
  set_tests_properties(test_tool_replay_bad PROPERTIES TIMEOUT 60
    PASS_REGULAR_EXPRESSION "tool_bad.trace:3: unknown id 2")
endif()
