/* FreeRTOS configuration of test_frt_isr* (stub kernel headers): rtmem's
 * freertos port, pools and CMSIS layer run against the recording stub
 * kernel. The number of notification entries comes from the build
 * (tests/pool.cmake), so the indexed and the polling wait both run. */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H
#define configTICK_TYPE_WIDTH_IN_BITS TICK_TYPE_WIDTH_32_BITS
#ifndef configTASK_NOTIFICATION_ARRAY_ENTRIES
#define configTASK_NOTIFICATION_ARRAY_ENTRIES 3
#endif
/* How rtmem's freertos port recognises an interrupt: the port's own test
 * (declared by portmacro.h, which FreeRTOS.h includes after this file). */
#define RTMEM_CFG_FREERTOS_IN_ISR() (xPortIsInsideInterrupt() != pdFALSE)
void kernel_stub_assert(int line);
#define configASSERT(x)                   \
    do {                                  \
        if (!(x)) {                       \
            kernel_stub_assert(__LINE__); \
        }                                 \
    } while (0)
#endif
