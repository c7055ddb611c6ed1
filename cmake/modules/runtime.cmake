# The reference task runtime (runtime/rtm_rt.h): the host port as a static
# library for the tests and examples. Host only; the Cortex-M port is built by
# tests/target/run.sh. Built without AddressSanitizer even in the ASan build:
# ASan keeps shadow state per stack and cannot follow swapcontext between
# task stacks, a signal handler that leaves by setcontext, or a scan of stack
# memory that a stopped task's frames (with their redzones) still poison; it
# reports false errors there. UndefinedBehaviorSanitizer stays on.
# Only in rtmem's own build with a host port: an application that adds rtmem
# with add_subdirectory (RTMEM_PORT=freertos, say) must not build a host copy
# of the core, which would need the kernel's headers and is of no use to it.
if(NOT CMAKE_CROSSCOMPILING AND RTMEM_TOP_LEVEL AND NOT RTMEM_PORT STREQUAL "freertos")
  add_library(rtmem_rt_host STATIC
    ${PROJECT_SOURCE_DIR}/runtime/rt_core.c ${PROJECT_SOURCE_DIR}/runtime/host/rt_host.c)
  target_include_directories(rtmem_rt_host PUBLIC ${PROJECT_SOURCE_DIR}/runtime
    ${PROJECT_SOURCE_DIR}/runtime/host)
  target_compile_options(rtmem_rt_host PRIVATE ${RTMEM_WARNINGS})
  # the runtime's tests link a copy of the core built the same way (no ASan)
  get_target_property(_rt_core_srcs rtmem SOURCES)
  add_library(rtmem_noasan STATIC ${_rt_core_srcs})
  target_include_directories(rtmem_noasan PUBLIC ${PROJECT_SOURCE_DIR}/include
    PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_compile_definitions(rtmem_noasan PUBLIC RTMEM_CFG_PORT=RTMEM_PORT_${_rtmem_port_uc} ${RTMEM_DEFINES})
  target_compile_options(rtmem_noasan PRIVATE ${RTMEM_WARNINGS})
  if(RTMEM_PORT STREQUAL "posix")
    target_link_libraries(rtmem_noasan PUBLIC Threads::Threads)
  endif()
  target_link_libraries(rtmem_rt_host PUBLIC rtmem_noasan)
  if(RTMEM_SANITIZE MATCHES "address")
    foreach(_t rtmem_rt_host rtmem_noasan)
      target_compile_options(${_t} PRIVATE -fno-sanitize=address)
    endforeach()
  endif()
endif()
