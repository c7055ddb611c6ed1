# rtm_stack, rtm_alloc, rtm_partition / rtm_quota, and the host task runtime.
rtm_add_test(NAME test_stack SOURCES test_stack.c)
rtm_add_test(NAME test_partition SOURCES test_partition.c)
# The runtime's tests run tasks on their own stacks (swapcontext, signal
# handlers that leave by setcontext): built without AddressSanitizer, which
# cannot follow those switches (see cmake/modules/runtime.cmake); UBSan stays.
rtm_add_test(NAME test_rt_host SOURCES test_rt_host.c LIBS rtmem_rt_host)
if(RTMEM_SANITIZE MATCHES "address")
  target_compile_options(test_rt_host PRIVATE -fno-sanitize=address)
  target_link_options(test_rt_host PRIVATE -fno-sanitize=address)
endif()
target_link_options(test_rt_host PRIVATE -Wl,-z,now) # no lazy binding inside a task: the resolver's stack use would differ between the first and later callers
# FreeRTOS applications: the stack layer against the stub kernel headers.
rtm_add_test(NAME test_frt_stack SOURCES test_frt_stack.c ${PROJECT_SOURCE_DIR}/src/compat/freertos_stack.c
  INCLUDES ${CMAKE_CURRENT_SOURCE_DIR}/stubs/freertos ${CMAKE_CURRENT_SOURCE_DIR}/stubs/freertos/port
           ${CMAKE_CURRENT_SOURCE_DIR}/freertos_cfg/stack)
