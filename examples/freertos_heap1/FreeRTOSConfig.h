/* FreeRTOSConfig.h of the heap_1 example: only the heap settings the rtmem
 * layer reads (see include/rtmem/freertos_heap.h). */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H

#define configFRTOS_MEMORY_SCHEME 1
#define configTOTAL_HEAP_SIZE 2048
#define configUSE_MALLOC_FAILED_HOOK 1
#define portBYTE_ALIGNMENT 8

void example_assert_failed(const char *file, int line);
#define configASSERT(x)                                \
    do {                                               \
        if (!(x)) {                                    \
            example_assert_failed(__FILE__, __LINE__); \
        }                                              \
    } while (0)

#endif
