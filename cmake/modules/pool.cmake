# Pools and queues: the CMSIS-RTOS v1/v2 pool layers and the FreeRTOS-named
# static queue layer (which compiles to nothing in a FreeRTOS build).
target_sources(rtmem PRIVATE
  ${PROJECT_SOURCE_DIR}/src/compat/cmsis_os2_pool.c
  ${PROJECT_SOURCE_DIR}/src/compat/cmsis_os_pool.c
  ${PROJECT_SOURCE_DIR}/src/compat/freertos_queue.c)
