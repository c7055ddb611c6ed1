/*
 * FreeRTOS layer, heap_1: upstream's numbers (free = configTOTAL_HEAP_SIZE -
 * portBYTE_ALIGNMENT - used, requests rounded up to the alignment, the
 * strict `<` capacity test), the functions upstream lacks (calloc, min-ever,
 * stats), faults for any free, and both resets. Tests run in order on the one
 * global heap; the first sees it before any allocation.
 */
#include "frt_expect.h"

#define TOTAL ((size_t)configTOTAL_HEAP_SIZE)
#define ADJ (TOTAL - A)

#if configAPPLICATION_ALLOCATED_HEAP == 1
uint8_t ucHeap[configTOTAL_HEAP_SIZE];
#endif

static uint8_t *g_start; /* first block of the heap, found by the first malloc */

/* heap_1 stats: the free part as one block; allocations since set-up. */
static void expect_free(size_t f, size_t allocs, const char *file, int line)
{
    frt_expect(f, f, f, 1, f, allocs, 0, file, line);
}
#define EXPECT_FREE(f, allocs) expect_free(f, allocs, __FILE__, __LINE__)

static void test_before_first_malloc(void **state)
{
    (void)state;
    /* Upstream returns configADJUSTED_HEAP_SIZE - 0 before any allocation. */
    EXPECT_FREE(ADJ, 0);
    xPortResetHeapMinimumEverFreeHeapSize();
    vPortInitialiseBlocks();
    EXPECT_FREE(ADJ, 0);
    assert_int_equal(rtm_freertos_heap_scheme(), 1);
    assert_null(pvPortCalloc(SIZE_MAX, SIZE_MAX)); /* refused before malloc */
    assert_int_equal(frt_malloc_failed_calls, 0);
}

static void test_bump_and_rounding(void **state)
{
    (void)state;
    uint8_t *p = pvPortMalloc(1);
    assert_non_null(p);
    ASSERT_ALIGNED(p);
    g_start = p;
#if configAPPLICATION_ALLOCATED_HEAP == 1
    /* The start is ucHeap rounded up to the alignment. */
    assert_int_equal((uintptr_t)p, ((uintptr_t)ucHeap + A - 1u) & ~(uintptr_t)(A - 1u));
#endif
    EXPECT_FREE(ADJ - A, 1);
    uint8_t *q = pvPortMalloc(A + 1u);
    assert_ptr_equal(q, p + A);
    EXPECT_FREE(ADJ - 3u * A, 2);
    uint8_t *r = pvPortMalloc(2u * A);
    assert_ptr_equal(r, q + 2u * A);
    EXPECT_FREE(ADJ - 5u * A, 3);
    assert_int_equal(frt_malloc_failed_calls, 0);
}

static void test_strict_capacity_test(void **state)
{
    (void)state;
    /* used + taken must stay below ADJ: the whole free part cannot go. */
    assert_null(pvPortMalloc(ADJ));
    assert_int_equal(frt_malloc_failed_calls, 1);
    EXPECT_FREE(ADJ, 0); /* the failed call set the heap up */
    uint8_t *p = pvPortMalloc(ADJ - A);
    assert_ptr_equal(p, g_start);
    EXPECT_FREE(A, 1);
    assert_null(pvPortMalloc(1)); /* would reach ADJ exactly */
    assert_int_equal(frt_malloc_failed_calls, 2);
    EXPECT_FREE(A, 1);
}

static void test_failed_hook_exactly_on_null(void **state)
{
    (void)state;
    assert_null(pvPortMalloc(0));
    assert_null(pvPortMalloc(SIZE_MAX));     /* rounding wraps: size 0 */
    assert_null(pvPortMalloc(SIZE_MAX - A)); /* no wrap, far too large */
    assert_int_equal(frt_malloc_failed_calls, 3);
    uint8_t *p = pvPortCalloc(4, 4);
    assert_non_null(p);
    assert_int_equal(frt_malloc_failed_calls, 3);
    assert_null(pvPortCalloc(SIZE_MAX / 4u + 1u, 4)); /* overflow: no hook */
    assert_int_equal(frt_malloc_failed_calls, 3);
    assert_null(pvPortCalloc(0, 4));
    assert_int_equal(frt_malloc_failed_calls, 4);
    EXPECT_FREE(ADJ - ROUND_UP(16), 1);
    assert_int_equal(frt_assert_calls, 0);
}

static void test_calloc_zeroes_reused_bytes(void **state)
{
    (void)state;
    uint8_t *p = pvPortMalloc(64);
    memset(p, 0xcd, 64);
    vPortInitialiseBlocks(); /* forget it: the bytes stay */
    uint8_t *q = pvPortCalloc(16, 4);
    assert_ptr_equal(q, p);
    for (size_t i = 0; i < 64; i++) {
        assert_int_equal(q[i], 0);
    }
    /* vPortInitialiseBlocks keeps the counters, vPortHeapResetState not. */
    EXPECT_FREE(ADJ - ROUND_UP(64), 2);
}

static void test_every_free_is_a_fault(void **state)
{
    (void)state;
    uint8_t *p = pvPortMalloc(8);
    vPortFree(NULL); /* upstream: configASSERT(pv == NULL) holds */
    assert_int_equal(frt_assert_calls, 0);
    size_t faults = rtm_freertos_heap_faults();
    vPortFree(p);
    assert_int_equal(rtm_freertos_heap_last_fault(), RTM_ERR_NOT_SUPPORTED);
    int local;
    vPortFree(&local);
    assert_int_equal(rtm_freertos_heap_last_fault(), RTM_ERR_FOREIGN_PTR);
    assert_int_equal(rtm_freertos_heap_faults(), faults + 2u);
    assert_int_equal(frt_assert_calls, 2);
    EXPECT_FREE(ADJ - A, 1); /* untouched */
}

static void test_resets_and_unsupported(void **state)
{
    (void)state;
    uint8_t *p = pvPortMalloc(100);
    assert_ptr_equal(p, g_start);
    vPortHeapResetState();
    EXPECT_FREE(ADJ, 0);
    assert_ptr_equal(pvPortMalloc(100), g_start);
    EXPECT_FREE(ADJ - ROUND_UP(100), 1);
    xPortResetHeapMinimumEverFreeHeapSize(); /* nothing to do */
    EXPECT_FREE(ADJ - ROUND_UP(100), 1);
    HeapRegion_t regions[] = {{p, 64}, {NULL, 0}};
    vPortDefineHeapRegions(regions);
    assert_int_equal(rtm_freertos_heap_last_fault(), RTM_ERR_NOT_SUPPORTED);
    EXPECT_FREE(ADJ - ROUND_UP(100), 1);
}

static void test_fill_in_small_steps(void **state)
{
    (void)state;
    size_t n = 0;
    while (pvPortMalloc(1) != NULL) {
        n++;
    }
    /* Every A-byte step but the last (strict test). */
    assert_int_equal(n, ADJ / A - 1u);
    EXPECT_FREE(A, n);
    assert_int_equal(frt_malloc_failed_calls, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_before_first_malloc),
        cmocka_unit_test(test_bump_and_rounding),
        cmocka_unit_test_setup(test_strict_capacity_test, frt_fresh),
        cmocka_unit_test_setup(test_failed_hook_exactly_on_null, frt_fresh),
        cmocka_unit_test_setup(test_calloc_zeroes_reused_bytes, frt_fresh),
        cmocka_unit_test_setup(test_every_free_is_a_fault, frt_fresh),
        cmocka_unit_test_setup(test_resets_and_unsupported, frt_fresh),
        cmocka_unit_test_setup(test_fill_in_small_steps, frt_fresh),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
