# Pools, queues and their CMSIS-RTOS / FreeRTOS layers.
rtm_add_test(NAME test_pool SOURCES test_pool.c)
rtm_add_test(NAME test_pool_corrupt SOURCES test_pool_corrupt.c)
rtm_add_test(NAME test_pool_threads SOURCES test_pool_threads.c LABELS threads)
rtm_add_test(NAME test_queue SOURCES test_queue.c)
rtm_add_test(NAME test_queue_threads SOURCES test_queue_threads.c LABELS threads)
rtm_add_test(NAME test_cmsis_os2_pool SOURCES test_cmsis_os2_pool.c LABELS threads)
rtm_add_test(NAME test_cmsis_os_pool SOURCES test_cmsis_os_pool.c)
# The CMSIS layers against headers declared the way the real ones are
# (tests/stubs/cmsis*, written from the CMSIS documentation), in both
# include orders for v2, and after an upstream-style v1 cmsis_os.h.
rtm_add_test(NAME test_cmsis_os2_pool_hdr_first SOURCES test_cmsis_os2_pool.c LABELS threads
  INCLUDES ${CMAKE_CURRENT_SOURCE_DIR}/stubs/cmsis DEFS TEST_OS2_HEADER_FIRST)
rtm_add_test(NAME test_cmsis_os2_pool_hdr_after SOURCES test_cmsis_os2_pool.c LABELS threads
  INCLUDES ${CMAKE_CURRENT_SOURCE_DIR}/stubs/cmsis DEFS TEST_OS2_HEADER_AFTER)
rtm_add_test(NAME test_cmsis_os_pool_upstream SOURCES test_cmsis_os_pool.c
  INCLUDES ${CMAKE_CURRENT_SOURCE_DIR}/stubs/cmsis_v1 DEFS TEST_OS1_HEADER)

# The freertos port's pool/queue side compiled against the stub kernel
# headers with a notification index to spare (the kernel-mode check in
# freertos.cmake covers the single-entry, polling case). Compile only.
add_library(frt_port_freertos_index_check OBJECT ${PROJECT_SOURCE_DIR}/src/port/port_freertos.c)
target_include_directories(frt_port_freertos_index_check PRIVATE ${PROJECT_SOURCE_DIR}/include
  ${PROJECT_SOURCE_DIR}/src ${CMAKE_CURRENT_SOURCE_DIR}/stubs/freertos
  ${CMAKE_CURRENT_SOURCE_DIR}/stubs/freertos/port ${CMAKE_CURRENT_SOURCE_DIR}/freertos_cfg/kernel)
target_compile_definitions(frt_port_freertos_index_check PRIVATE
  RTMEM_CFG_PORT=RTMEM_PORT_FREERTOS configTASK_NOTIFICATION_ARRAY_ENTRIES=3)
target_compile_options(frt_port_freertos_index_check PRIVATE ${RTMEM_WARNINGS})

# v1 pools with the v1-on-v2 compatibility cmsis_os.h (issue 12 item 12):
# rtmem built with RTMEM_CFG_CMSIS_V1_ON_V2=1, tested against a stub of that
# header (tests/stubs/cmsis_v1v2, written from the CMSIS documentation) in
# both include orders, and with rtmem's own declarations of it.
rtm_add_lib_variant(NAME rtmem_cmsis_v1v2 DEFS RTMEM_CFG_CMSIS_V1_ON_V2=1)
rtm_add_test(NAME test_cmsis_os_pool_v1v2 SOURCES test_cmsis_os_pool_v1v2.c LIBS rtmem_cmsis_v1v2)
rtm_add_test(NAME test_cmsis_os_pool_v1v2_hdr_first SOURCES test_cmsis_os_pool_v1v2.c
  LIBS rtmem_cmsis_v1v2 INCLUDES ${CMAKE_CURRENT_SOURCE_DIR}/stubs/cmsis_v1v2
  ${CMAKE_CURRENT_SOURCE_DIR}/stubs/cmsis DEFS TEST_V1V2_HEADER_FIRST)
rtm_add_test(NAME test_cmsis_os_pool_v1v2_hdr_after SOURCES test_cmsis_os_pool_v1v2.c
  LIBS rtmem_cmsis_v1v2 INCLUDES ${CMAKE_CURRENT_SOURCE_DIR}/stubs/cmsis_v1v2
  ${CMAKE_CURRENT_SOURCE_DIR}/stubs/cmsis DEFS TEST_V1V2_HEADER_AFTER)
