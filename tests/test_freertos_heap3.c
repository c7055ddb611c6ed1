/*
 * FreeRTOS layer, heap_3: the C library's malloc/free behind the layer,
 * the malloc-failed hook exactly on NULL, counts in vPortGetHeapStats, and
 * the values rtmem reports where upstream heap_3 has no function (free size
 * and minimum ever free unknown: 0; smallest block portMAX_DELAY).
 */
#include "frt_expect.h"

/* Let the sanitizers' allocators return NULL for impossible sizes, as the
 * C library does, instead of stopping the test. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "allocator_may_return_null=1"; }
const char *__tsan_default_options(void);
const char *__tsan_default_options(void) { return "allocator_may_return_null=1"; }

static void test_counts_only(void **state)
{
    (void)state;
    assert_int_equal(rtm_freertos_heap_scheme(), 3);
    EXPECT(0, 0, MAXD, 0, 0, 0, 0);
    uint8_t *p = pvPortMalloc(100);
    uint8_t *q = pvPortCalloc(10, 10);
    assert_non_null(p);
    assert_non_null(q);
    for (size_t i = 0; i < 100; i++) {
        assert_int_equal(q[i], 0);
    }
    memset(p, 0x11, 100);
    EXPECT(0, 0, MAXD, 0, 0, 2, 0);
    vPortFree(p);
    vPortFree(q);
    vPortFree(NULL);
    EXPECT(0, 0, MAXD, 0, 0, 2, 2);
    xPortResetHeapMinimumEverFreeHeapSize();
    vPortInitialiseBlocks();
    vPortHeapResetState(); /* nothing to reset: counts stay */
    EXPECT(0, 0, MAXD, 0, 0, 2, 2);
    assert_int_equal(frt_malloc_failed_calls, 0);
}

static void test_failed_hook_exactly_on_null(void **state)
{
    (void)state;
    frt_hooks_clear();
    assert_null(pvPortMalloc(SIZE_MAX));
    assert_int_equal(frt_malloc_failed_calls, 1);
    /* malloc(0) is the C library's choice; the hook follows the result. */
    void *z = pvPortMalloc(0);
    assert_int_equal(frt_malloc_failed_calls, z == NULL ? 2 : 1);
    vPortFree(z);
    int before = frt_malloc_failed_calls;
    assert_null(pvPortCalloc(SIZE_MAX, 2)); /* overflow: no hook */
    assert_int_equal(frt_malloc_failed_calls, before);
}

static void test_free_with_nothing_live_is_a_fault(void **state)
{
    (void)state;
    frt_hooks_clear();
    HeapStats_t s;
    vPortGetHeapStats(&s);
    if (s.xNumberOfSuccessfulAllocations != s.xNumberOfSuccessfulFrees) {
        skip();
    }
    int local;
    size_t faults = rtm_freertos_heap_faults();
    vPortFree(&local);
    assert_int_equal(rtm_freertos_heap_faults(), faults + 1u);
    assert_int_equal(rtm_freertos_heap_last_fault(), RTM_ERR_FOREIGN_PTR);
    assert_int_equal(frt_assert_calls, 1);
    HeapRegion_t regions[] = {{(uint8_t *)&local, sizeof(local)}, {NULL, 0}};
    vPortDefineHeapRegions(regions);
    assert_int_equal(rtm_freertos_heap_last_fault(), RTM_ERR_NOT_SUPPORTED);
    rtm_check_t r;
    assert_int_equal(rtm_freertos_heap_check(&r), RTM_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_only),
        cmocka_unit_test(test_failed_hook_exactly_on_null),
        cmocka_unit_test(test_free_with_nothing_live_is_a_fault),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
