# Observation (issue 15): leak tracker, call-site tags and injection, the
# observer fan-out, the trace recorder and its decoder, built with
# RTMEM_CFG_EVENTS=1 (and once with 0: the calls compile and say so).
rtm_add_lib_variant(NAME rtmem_events DEFS RTMEM_CFG_EVENTS=1)
rtm_add_test(NAME test_leak SOURCES test_leak.c LIBS rtmem_events TIMEOUT 120)
rtm_add_test(NAME test_leak_noevents SOURCES test_leak.c TIMEOUT 120)
# The pool's misuse tests with the observer compiled in (their event test
# is skipped in the default build)
rtm_add_test(NAME test_pool_corrupt_events SOURCES test_pool_corrupt.c LIBS rtmem_events)
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
    "rm -f mtrace.log && MALLOC_TRACE=mtrace.log LD_PRELOAD=${RTM_MALLOC_DEBUG_LIB} $<TARGET_FILE:mtrace_prog> && $<TARGET_FILE:rtmem_tool> decode mtrace.log -o mtrace.trace && head -c 16 mtrace.trace && echo && $<TARGET_FILE:rtmem_tool> replay mtrace.trace --scheme heap_4 --check && $<TARGET_FILE:rtmem_tool> replay mtrace.log --scheme heap_4 --check")
  set_tests_properties(test_mtrace_glibc PROPERTIES TIMEOUT 120
    PASS_REGULAR_EXPRESSION "# rtmem-trace v1.*85 events \\(40 alloc, 35 free, 10 realloc\\).*leak report: 5 blocks.*check: ok.*mtrace.log: 85 events \\(40 alloc, 35 free, 10 realloc\\).*check: ok")
endif()

# Sanitizers see inside the heaps (rtmem/san.h). rtm_san_lib(NAME n DEFS ..)
# builds the library without any sanitizer flag (ASan must not check the
# allocator's own accesses; valgrind runs need no ASan runtime).
function(rtm_san_lib)
  cmake_parse_arguments(V "" "NAME" "DEFS" ${ARGN})
  get_target_property(_srcs rtmem SOURCES)
  add_library(${V_NAME} STATIC ${_srcs})
  target_include_directories(${V_NAME} PUBLIC ${PROJECT_SOURCE_DIR}/include PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_compile_definitions(${V_NAME} PUBLIC RTMEM_CFG_PORT=RTMEM_PORT_${_rtmem_port_uc} RTMEM_CFG_EVENTS=1 ${V_DEFS})
  set_property(TARGET ${V_NAME} PROPERTY COMPILE_OPTIONS ${RTMEM_WARNINGS} -g)
  if(RTMEM_PORT STREQUAL "posix")
    target_link_libraries(${V_NAME} PUBLIC Threads::Threads)
  endif()
endfunction()

if(RTMEM_SANITIZE MATCHES "address")
  rtm_san_lib(NAME rtmem_san_asan DEFS RTMEM_CFG_SAN=1)
  add_executable(san_victim_asan san_victim.c)
  target_link_libraries(san_victim_asan PRIVATE rtmem_san_asan)
  # its mistakes are on purpose: the compiler's own diagnostics of them
  # (from rtmem/attrs.h) would stop the build before the sanitizer sees them
  target_compile_options(san_victim_asan PRIVATE ${RTM_TEST_NOWARN})
  target_compile_definitions(san_victim_asan PRIVATE RTMEM_NO_ALLOC_SIZE)
  rtm_add_test(NAME test_san SOURCES test_san.c
    DEFS "SAN_VICTIM=\"$<TARGET_FILE:san_victim_asan>\"" "SAN_VICTIM_SRC=\"${CMAKE_CURRENT_SOURCE_DIR}/san_victim.c\""
    TIMEOUT 120)
  add_dependencies(test_san san_victim_asan)
endif()

# Valgrind memcheck: an invalid write into a freed rtmem block is reported
# with the faulty line and the free's stack; a correct run has no error.
find_program(RTM_VALGRIND valgrind)
find_path(RTM_VALGRIND_INCLUDE valgrind/memcheck.h)
if(RTM_VALGRIND AND RTM_VALGRIND_INCLUDE)
  rtm_san_lib(NAME rtmem_san_vg DEFS RTMEM_CFG_SAN=2)
  add_executable(san_victim_vg san_victim.c)
  set_property(TARGET san_victim_vg PROPERTY COMPILE_OPTIONS ${RTMEM_WARNINGS} ${RTM_TEST_NOWARN} -g) # file:line in the report
  target_compile_definitions(san_victim_vg PRIVATE RTMEM_NO_ALLOC_SIZE)
  set_property(TARGET san_victim_vg PROPERTY LINK_OPTIONS "")
  target_link_libraries(san_victim_vg PRIVATE rtmem_san_vg)
  rtm_add_test(NAME test_san_valgrind SOURCES test_san.c
    DEFS "SAN_VICTIM=\"$<TARGET_FILE:san_victim_vg>\"" "SAN_VICTIM_SRC=\"${CMAKE_CURRENT_SOURCE_DIR}/san_victim.c\""
         "SAN_VALGRIND=\"${RTM_VALGRIND}\"" "SAN_SUPP=\"${PROJECT_SOURCE_DIR}/tools/valgrind/rtmem.supp\""
    TIMEOUT 300)
  add_dependencies(test_san_valgrind san_victim_vg)
endif()

# The corruption matrix, per hardening level (RTMEM_CFG_HARDEN 0 and 2).
rtm_add_lib_variant(NAME rtmem_harden2 DEFS RTMEM_CFG_HARDEN=2)
rtm_add_test(NAME test_corruption_matrix
  SOURCES test_corruption_matrix.c ${PROJECT_SOURCE_DIR}/tools/rtmem/matrix.c
  INCLUDES ${PROJECT_SOURCE_DIR}/tools/rtmem DEFS _GNU_SOURCE TIMEOUT 600)
rtm_add_test(NAME test_corruption_matrix_h2
  SOURCES test_corruption_matrix.c ${PROJECT_SOURCE_DIR}/tools/rtmem/matrix.c
  LIBS rtmem_harden2 INCLUDES ${PROJECT_SOURCE_DIR}/tools/rtmem DEFS _GNU_SOURCE TIMEOUT 600)
