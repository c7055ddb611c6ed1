/* FreeRTOS-layer test configuration: kernel mode against the stub kernel
 * headers in tests/stubs/freertos (heap_4 with every option on). */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H
#define configFRTOS_MEMORY_SCHEME 4
#define configTOTAL_HEAP_SIZE 4096
#define configTICK_TYPE_WIDTH_IN_BITS TICK_TYPE_WIDTH_32_BITS
#define configUSE_MALLOC_FAILED_HOOK 1
#define configHEAP_CLEAR_MEMORY_ON_FREE 1
#define configENABLE_HEAP_PROTECTOR 1
void kernel_stub_assert(int line);
#define configASSERT(x)                   \
    do {                                  \
        if (!(x)) {                       \
            kernel_stub_assert(__LINE__); \
        }                                 \
    } while (0)
#endif
