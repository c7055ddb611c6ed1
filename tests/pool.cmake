# Pools, queues and their CMSIS-RTOS / FreeRTOS layers.
rtm_add_test(NAME test_pool SOURCES test_pool.c)
rtm_add_test(NAME test_pool_corrupt SOURCES test_pool_corrupt.c)
rtm_add_test(NAME test_pool_threads SOURCES test_pool_threads.c LABELS threads)
rtm_add_test(NAME test_queue SOURCES test_queue.c)
rtm_add_test(NAME test_queue_threads SOURCES test_queue_threads.c LABELS threads)
rtm_add_test(NAME test_cmsis_os2_pool SOURCES test_cmsis_os2_pool.c LABELS threads)
rtm_add_test(NAME test_cmsis_os_pool SOURCES test_cmsis_os_pool.c)
