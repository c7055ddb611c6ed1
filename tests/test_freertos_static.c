/*
 * configSUPPORT_DYNAMIC_ALLOCATION 0 (tests/freertos_cfg/demo_static): the
 * heap layer compiles to nothing but its rtmem queries, so a static-only
 * application can keep it in the build. Its object is linked here (through
 * rtm_freertos_heap_scheme), and the heap API is looked up weakly: had the
 * layer defined pvPortMalloc or vPortFree, they would resolve.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "rtmem/freertos_heap.h"

extern void *pvPortMalloc(size_t xWantedSize) __attribute__((weak));
extern void vPortFree(void *pv) __attribute__((weak));
extern size_t xPortGetFreeHeapSize(void) __attribute__((weak));

static void test_layer_is_empty(void **state)
{
    (void)state;
    assert_int_equal(rtm_freertos_heap_scheme(), 0);
    assert_int_equal(rtm_freertos_heap_faults(), 0);
    assert_int_equal(rtm_freertos_heap_check(NULL), RTM_OK);
    assert_null((void *)(uintptr_t)pvPortMalloc);
    assert_null((void *)(uintptr_t)vPortFree);
    assert_null((void *)(uintptr_t)xPortGetFreeHeapSize);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layer_is_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
