# rtm_mpu: region planning and encoding (ARMv7-M, ARMv8-M), checked against
# register values worked out by hand from the Architecture Reference Manuals.
rtm_add_test(NAME test_mpu SOURCES test_mpu.c)
# Host enforcement: tasks of the host runtime behind page protection. Built
# without AddressSanitizer like the runtime's own tests (swapcontext, signal
# handlers that leave by setcontext); UBSan stays.
rtm_add_test(NAME test_mpu_host SOURCES test_mpu_host.c LIBS rtmem_mpu_host)
if(RTMEM_SANITIZE MATCHES "address")
  target_compile_options(test_mpu_host PRIVATE -fno-sanitize=address)
  target_link_options(test_mpu_host PRIVATE -fno-sanitize=address)
endif()
# The cost of exact cover for the sample layout (stacks 1, 1.5, 3, 5 KiB,
# partitions 6 and 10 KiB) per rule; prints the table, checks its ordering.
rtm_add_test(NAME mpu_cost SOURCES mpu_cost.c)
