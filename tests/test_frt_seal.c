/* vPortHeapSeal / vPortHeapUnseal and the FreeRTOS auto-seal mapping
 * (rtmem/seal_compat.h) on the heap_4 layer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "frt_hooks.h"
#include "rtmem/freertos_heap.h"
#include "rtmem/seal_compat.h"

RTM_FREERTOS_SEAL_ON_START_HOOK

static void test_seal_unseal(void **state)
{
    (void)state;
    frt_hooks_clear();
    void *a = pvPortMalloc(64);
    assert_non_null(a);
    size_t free_now = xPortGetFreeHeapSize();
    size_t faults = rtm_freertos_heap_faults();
    assert_int_equal(xPortHeapIsSealed(), 0);
    vPortHeapSeal();
    assert_int_equal(xPortHeapIsSealed(), 1);
    assert_null(pvPortMalloc(16));
    assert_null(pvPortCalloc(2, 8));
    assert_int_equal(frt_malloc_failed_calls, 2);
    assert_int_equal(rtm_freertos_heap_faults(), faults + 2u);
    assert_int_equal(rtm_freertos_heap_last_fault(), RTM_ERR_SEALED);
    assert_int_equal(xPortGetFreeHeapSize(), free_now);
    vPortFree(a); /* frees still work */
    assert_true(xPortGetFreeHeapSize() > free_now);
    assert_int_equal(rtm_freertos_heap_check(NULL), RTM_OK);
    vPortHeapUnseal();
    void *b = pvPortMalloc(16);
    assert_non_null(b);
    vPortFree(b);
}

static void test_auto_seal(void **state)
{
    (void)state;
    frt_hooks_clear();
    rtm_seal_at_start_reset();
    assert_int_equal(rtm_freertos_heap_seal_at_start(), RTM_OK);
    void *warm = pvPortMalloc(32); /* warm-up before the scheduler starts */
    assert_non_null(warm);
    vApplicationDaemonTaskStartupHook(); /* what the kernel calls once started */
    assert_int_equal(xPortHeapIsSealed(), 1);
    assert_null(pvPortMalloc(8));
    assert_int_equal(frt_malloc_failed_calls, 1);
    vPortFree(warm);
    vPortHeapUnseal();
    rtm_seal_at_start_reset();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seal_unseal),
        cmocka_unit_test(test_auto_seal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
