/* Cortex-M build check of the FreeRTOS layer (cmake/modules/freertos.cmake
 * builds it for every scheme, portBYTE_ALIGNMENT 4 and 8, in cross builds). */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H
#ifndef configFRTOS_MEMORY_SCHEME
#define configFRTOS_MEMORY_SCHEME 4
#endif
#define configTOTAL_HEAP_SIZE 8192
#define configUSE_MALLOC_FAILED_HOOK 1
#define configHEAP_CLEAR_MEMORY_ON_FREE 1
#if configFRTOS_MEMORY_SCHEME == 4 || configFRTOS_MEMORY_SCHEME == 5
#define configENABLE_HEAP_PROTECTOR 1
#endif
void vAssertCalled(const char *file, int line);
#define configASSERT(x)                         \
    do {                                        \
        if (!(x)) {                             \
            vAssertCalled(__FILE__, __LINE__);  \
        }                                       \
    } while (0)
#endif
