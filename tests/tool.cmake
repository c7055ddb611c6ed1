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
  # The real demo runs full size; --quick (hidden) cuts the steps for this smoke run.
  add_test(NAME test_tool_demo COMMAND rtmem_tool demo --quick --shared ${RTMEM_SHARED_DIR})
  set_tests_properties(test_tool_demo PROPERTIES TIMEOUT 300
    PASS_REGULAR_EXPRESSION "W1 \\(256 KiB\\) +heap_1 .*\n +heap_4 +[0-9]+ .*demo took")

  # `rtmem replay` on a small trace written here: sizing advice and leak report.
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/tool_small.trace
    "# rtmem-trace v1\n# three blocks, one left live\na 1 100\na 2 200\nr 2 300\nf 1\na 3 150\nf 3\n")
  add_test(NAME test_tool_replay
    COMMAND rtmem_tool replay ${CMAKE_CURRENT_BINARY_DIR}/tool_small.trace --check)
  set_tests_properties(test_tool_replay PROPERTIES TIMEOUT 60
    PASS_REGULAR_EXPRESSION "leak report: 1 blocks \\(300 bytes\\).*check: ok.*recommendation: .*configTOTAL_HEAP_SIZE = [0-9]+")
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/tool_bad.trace "# rtmem-trace v1\na 1 10\nf 2\n")
  add_test(NAME test_tool_replay_bad
    COMMAND rtmem_tool replay ${CMAKE_CURRENT_BINARY_DIR}/tool_bad.trace)
  set_tests_properties(test_tool_replay_bad PROPERTIES TIMEOUT 60
    PASS_REGULAR_EXPRESSION "tool_bad.trace:3: unknown id 2")
endif()
