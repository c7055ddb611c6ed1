/* FreeRTOSConfig.h of the heap_5 example: only the heap settings the rtmem
 * layer reads (see include/rtmem/freertos_heap.h). */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H

#define configFRTOS_MEMORY_SCHEME 5
/* heap_5: the regions come from vPortDefineHeapRegions() in main.c. */
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
