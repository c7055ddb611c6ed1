/* Test-side FreeRTOS hooks: count instead of halting. */
#include "frt_hooks.h"

#include "rtmem/freertos_heap.h"

volatile int frt_malloc_failed_calls;
volatile int frt_assert_calls;
volatile int frt_canary_calls;
uintptr_t frt_canary_value = (uintptr_t)0x5a3c96e1u;

void frt_hooks_clear(void)
{
    frt_malloc_failed_calls = 0;
    frt_assert_calls = 0;
    frt_canary_calls = 0;
}

void frt_test_assert_failed(const char *file, int line)
{
    (void)file;
    (void)line;
    frt_assert_calls = frt_assert_calls + 1;
}

#if configUSE_MALLOC_FAILED_HOOK == 1
void vApplicationMallocFailedHook(void) { frt_malloc_failed_calls = frt_malloc_failed_calls + 1; }
#endif

#if configENABLE_HEAP_PROTECTOR == 1
void vApplicationGetRandomHeapCanary(portPOINTER_SIZE_TYPE *pxHeapCanary)
{
    frt_canary_calls = frt_canary_calls + 1;
    *pxHeapCanary = (portPOINTER_SIZE_TYPE)frt_canary_value;
}
#endif
