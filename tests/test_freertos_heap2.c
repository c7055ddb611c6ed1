/*
 * FreeRTOS layer, heap_2: upstream's free size (configTOTAL_HEAP_SIZE -
 * portBYTE_ALIGNMENT before and after set-up, minus NEED(n) per block), best
 * fit from the size-ordered list, no coalescing, the split rule, and the
 * min-ever / HeapStats_t numbers rtmem adds (heap_4's definitions).
 */
#include "frt_expect.h"

#define TOTAL ((size_t)configTOTAL_HEAP_SIZE)
#define ADJ (TOTAL - A)

static void test_before_first_malloc(void **state)
{
    (void)state;
    /* Upstream's xFreeBytesRemaining starts at configADJUSTED_HEAP_SIZE. */
    EXPECT(ADJ, ADJ, ADJ, 1, ADJ, 0, 0);
    assert_int_equal(rtm_freertos_heap_scheme(), 2);
    uint8_t *p = pvPortMalloc(100);
    assert_non_null(p);
    ASSERT_ALIGNED(p);
    size_t f = ADJ - NEED(100);
    EXPECT(f, f, f, 1, f, 1, 0);
    vPortFree(p);
    EXPECT(ADJ, f, NEED(100), 2, f, 1, 1); /* never merged */
    vPortHeapResetState();
    EXPECT(ADJ, ADJ, ADJ, 1, ADJ, 0, 0);
}

static void test_best_fit_without_coalescing(void **state)
{
    (void)state;
    uint8_t *a = pvPortMalloc(200);
    uint8_t *b = pvPortMalloc(8);
    uint8_t *c = pvPortMalloc(100);
    uint8_t *d = pvPortMalloc(8);
    size_t used = NEED(200) + 2u * NEED(8) + NEED(100);
    size_t rest = ADJ - used;
    EXPECT(rest, rest, rest, 1, rest, 4, 0);
    vPortFree(a);
    vPortFree(c);
    EXPECT(rest + NEED(200) + NEED(100), rest, NEED(100), 3, rest, 4, 2);
    /* Best fit takes c's block although a's comes first in memory; the
     * leftover (at most 2H) is not split off. */
    assert_true(NEED(100) - NEED(90) <= 2u * H);
    uint8_t *e = pvPortMalloc(90);
    assert_ptr_equal(e, c);
    EXPECT(rest + NEED(200), rest, NEED(200), 2, rest, 5, 2);
    /* b and its free neighbour a stay two blocks: heap_2 never merges. */
    vPortFree(b);
    EXPECT(rest + NEED(200) + NEED(8), rest, NEED(8), 3, rest, 5, 3);
    vPortFree(e);
    vPortFree(d);
    EXPECT(ADJ, rest, NEED(8), 5, rest, 5, 5);
    xPortResetHeapMinimumEverFreeHeapSize();
    EXPECT(ADJ, rest, NEED(8), 5, ADJ, 5, 5);
    /* ... so a request larger than any block fails although ADJ is free. */
    assert_null(pvPortMalloc(rest));
    assert_int_equal(frt_malloc_failed_calls, 1);
}

static void test_split_leaves_more_than_2h(void **state)
{
    (void)state;
    uint8_t *a = pvPortMalloc(300);
    uint8_t *guard = pvPortMalloc(8);
    vPortFree(a);
    size_t n1 = NEED(300);
    size_t rest = ADJ - n1 - NEED(8);
    /* Leaves 2H + A: split. */
    uint8_t *p = pvPortMalloc(n1 - 3u * H - A);
    assert_ptr_equal(p, a);
    size_t n = NEED(n1 - 3u * H - A);
    assert_int_equal(n1 - n, 2u * H + A);
    EXPECT(rest + 2u * H + A, rest, 2u * H + A, 2, rest, 3, 1);
    vPortFree(p);
    vPortFree(guard);
}

static void test_failed_hook_and_calloc(void **state)
{
    (void)state;
    assert_null(pvPortMalloc(0));
    assert_null(pvPortMalloc(SIZE_MAX));
    assert_null(pvPortMalloc(SIZE_MAX - H - 1u));
    assert_null(pvPortMalloc(ADJ - H + 1u));
    assert_int_equal(frt_malloc_failed_calls, 4);
    uint8_t *p = pvPortMalloc(32);
    memset(p, 0x5a, 32);
    vPortFree(p);
    uint8_t *q = pvPortCalloc(8, 4);
    assert_ptr_equal(q, p);
    for (size_t i = 0; i < 32; i++) {
        assert_int_equal(q[i], 0);
    }
    assert_null(pvPortCalloc(SIZE_MAX, 3)); /* overflow: no hook */
    assert_int_equal(frt_malloc_failed_calls, 4);
    vPortFree(q);
#if configHEAP_CLEAR_MEMORY_ON_FREE == 1
    uint8_t *r = pvPortMalloc(64);
    uint8_t *keep = pvPortMalloc(8);
    memset(r, 0x99, 64);
    vPortFree(r);
    for (size_t i = 0; i < NEED(64) - H; i++) {
        assert_int_equal(r[i], 0);
    }
    vPortFree(keep);
#endif
}

static void test_bad_frees(void **state)
{
    (void)state;
    uint8_t *p = pvPortMalloc(24);
    vPortFree(p);
    size_t faults = rtm_freertos_heap_faults();
    vPortFree(p);
    assert_int_equal(rtm_freertos_heap_last_fault(), RTM_ERR_DOUBLE_FREE);
    int local;
    vPortFree(&local);
    assert_int_equal(rtm_freertos_heap_last_fault(), RTM_ERR_FOREIGN_PTR);
    assert_int_equal(rtm_freertos_heap_faults(), faults + 2u);
    assert_int_equal(frt_assert_calls, 2);
    size_t f = ADJ - NEED(24);
    EXPECT(ADJ, f, NEED(24), 2, f, 1, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_before_first_malloc),
        cmocka_unit_test_setup(test_best_fit_without_coalescing, frt_fresh),
        cmocka_unit_test_setup(test_split_leaves_more_than_2h, frt_fresh),
        cmocka_unit_test_setup(test_failed_hook_and_calloc, frt_fresh),
        cmocka_unit_test_setup(test_bad_frees, frt_fresh),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
