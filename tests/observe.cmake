# Observation (issue 15): leak tracker, call-site tags and injection, the
# observer fan-out, the trace recorder and its decoder, built with
# RTMEM_CFG_EVENTS=1 (and once with 0: the calls compile and say so).
rtm_add_lib_variant(NAME rtmem_events DEFS RTMEM_CFG_EVENTS=1)
rtm_add_test(NAME test_leak SOURCES test_leak.c LIBS rtmem_events TIMEOUT 120)
rtm_add_test(NAME test_leak_noevents SOURCES test_leak.c TIMEOUT 120)
rtm_add_test(NAME test_trace_rec
  SOURCES test_trace_rec.c ${PROJECT_SOURCE_DIR}/tools/rtmem/decode.c ${PROJECT_SOURCE_DIR}/tools/rtmem/trace.c
  LIBS rtmem_events INCLUDES ${PROJECT_SOURCE_DIR}/tools/rtmem DEFS _GNU_SOURCE TIMEOUT 120)

# A real glibc mtrace log (libc_malloc_debug.so, glibc >= 2.34) read by
# `rtmem replay`: the program is built without sanitizers (ASan would take
# malloc over and nothing would be traced).
find_library(RTM_MALLOC_DEBUG_LIB NAMES libc_malloc_debug.so.0 c_malloc_debug)
if(RTMEM_BUILD_TOOLS AND RTM_MALLOC_DEBUG_LIB)
  add_executable(mtrace_prog mtrace_prog.c)
  set_property(TARGET mtrace_prog PROPERTY COMPILE_OPTIONS "")
  set_property(TARGET mtrace_prog PROPERTY LINK_OPTIONS "")
  add_test(NAME test_mtrace_glibc COMMAND sh -c
    "rm -f mtrace.log && MALLOC_TRACE=mtrace.log LD_PRELOAD=${RTM_MALLOC_DEBUG_LIB} $<TARGET_FILE:mtrace_prog> && $<TARGET_FILE:rtmem_tool> replay mtrace.log --scheme heap_4 --check")
  set_tests_properties(test_mtrace_glibc PROPERTIES TIMEOUT 120
    PASS_REGULAR_EXPRESSION "85 events \\(40 alloc, 35 free, 10 realloc\\).*leak report: 5 blocks.*check: ok")
endif()
