/*
 * FreeRTOS layer, heap_4: exact xPortGetFreeHeapSize / min-ever / HeapStats_t
 * values after scripted sequences, computed from upstream's layout rules
 * (frt_expect.h), for portBYTE_ALIGNMENT 8..64 and the clear-on-free,
 * application-heap and protector configurations. The tests share the one
 * global heap and run in order: the first sees it before any allocation.
 */
#include "frt_expect.h"

#define TOTAL ((size_t)configTOTAL_HEAP_SIZE)

#if configAPPLICATION_ALLOCATED_HEAP == 1
/* The application's heap, with whatever alignment the compiler gives it:
 * the expected numbers are computed from its address. */
uint8_t ucHeap[configTOTAL_HEAP_SIZE];
#endif

/* Free bytes right after set-up: the start rounded up to A if needed, the
 * end marker at (start + size - H) rounded down. */
static size_t initial_free(uintptr_t heap)
{
    uintptr_t start = (heap + A - 1u) & ~(uintptr_t)(A - 1u);
    size_t size = TOTAL - (size_t)(start - heap);
    uintptr_t end = (start + size - H) & ~(uintptr_t)(A - 1u);
    return (size_t)(end - start);
}

static size_t F0; /* free bytes of a frt_fresh heap, known after the first malloc */

static void test_before_first_malloc(void **state)
{
    (void)state;
    /* Upstream heap_4: nothing is set up until pvPortMalloc. */
    EXPECT(0, 0, MAXD, 0, 0, 0, 0);
    xPortResetHeapMinimumEverFreeHeapSize();
    vPortInitialiseBlocks();
    EXPECT(0, 0, MAXD, 0, 0, 0, 0);
    assert_int_equal(rtm_freertos_heap_scheme(), 4);
    /* A free before the heap exists cannot be one of its blocks. */
    int x;
    size_t faults = rtm_freertos_heap_faults();
    vPortFree(&x);
    assert_int_equal(rtm_freertos_heap_faults(), faults + 1u);
    assert_int_equal(frt_assert_calls, 1);
    frt_assert_calls = 0;
    /* An overflowing calloc does not even set the heap up (upstream checks
     * the product before calling pvPortMalloc) and skips the hook. */
    assert_null(pvPortCalloc(SIZE_MAX, 2));
    assert_int_equal(frt_malloc_failed_calls, 0);
    EXPECT(0, 0, MAXD, 0, 0, 0, 0);
}

static void test_lazy_init_and_first_block(void **state)
{
    (void)state;
    uint8_t *p = pvPortMalloc(100);
    assert_non_null(p);
    ASSERT_ALIGNED(p);
    uintptr_t heap = (uintptr_t)(p - H);
#if configAPPLICATION_ALLOCATED_HEAP == 1
    heap = (uintptr_t)ucHeap;
    assert_true(p >= ucHeap && p < ucHeap + TOTAL);
#endif
    F0 = initial_free(heap);
#if configAPPLICATION_ALLOCATED_HEAP == 0
    /* The layer's own ucHeap is aligned: only the end marker is lost. */
    assert_int_equal(F0, ROUND_DOWN(TOTAL - H));
#endif
    size_t n1 = NEED(100);
    EXPECT(F0 - n1, F0 - n1, F0 - n1, 1, F0 - n1, 1, 0);
    vPortFree(p);
    EXPECT(F0, F0, F0, 1, F0 - n1, 1, 1);
    assert_int_equal(frt_malloc_failed_calls, 0);
#if configENABLE_HEAP_PROTECTOR == 1
    assert_int_equal(frt_canary_calls, 1); /* once per set-up */
#endif
}

static void test_split_rule_and_coalescing(void **state)
{
    (void)state;
    size_t n1 = NEED(300);
    uint8_t *p1 = pvPortMalloc(300);
    uint8_t *p2 = pvPortMalloc(1);
    size_t n2 = NEED(1);
    assert_non_null(p1);
    assert_non_null(p2);
    assert_ptr_equal(p2, p1 + n1); /* first fit, address order */
    size_t rest = F0 - n1 - n2;
    EXPECT(rest, rest, rest, 1, rest, 2, 0);

    vPortFree(p1); /* [free n1][p2][rest] */
    EXPECT(F0 - n2, rest, n1, 2, rest, 2, 1);

    /* A request leaving exactly 2H in the n1 block is not split: the whole
     * block goes (upstream splits only when the rest is > 2H). */
    size_t ask = n1 - 3u * H;
    assert_int_equal(NEED(ask), n1 - 2u * H);
    uint8_t *p3 = pvPortMalloc(ask);
    assert_ptr_equal(p3, p1);
    EXPECT(rest, rest, rest, 1, rest, 3, 1);
    vPortFree(p3);
    EXPECT(F0 - n2, rest, n1, 2, rest, 3, 2);

    /* One alignment unit less and the rest (2H + A) is split off. */
    uint8_t *p4 = pvPortMalloc(ask - A);
    assert_ptr_equal(p4, p1);
    size_t n4 = NEED(ask - A);
    assert_int_equal(n1 - n4, 2u * H + A);
    EXPECT(F0 - n2 - n4, rest, 2u * H + A, 2, rest, 4, 2); /* min: from p3 */

    /* Freeing p2 joins [2H+A][p2][rest] into one block. */
    vPortFree(p2);
    EXPECT(F0 - n4, F0 - n4, F0 - n4, 1, rest, 4, 3);
    vPortFree(p4);
    EXPECT(F0, F0, F0, 1, rest, 4, 4);
    xPortResetHeapMinimumEverFreeHeapSize();
    EXPECT(F0, F0, F0, 1, F0, 4, 4);
    assert_int_equal(frt_malloc_failed_calls, 0);
}

static void test_full_heap_and_fragmentation(void **state)
{
    (void)state;
    /* Exactly the whole heap: one block, nothing left (upstream reports
     * portMAX_DELAY as the smallest block of an empty free list). */
    uint8_t *all = pvPortMalloc(F0 - H);
    assert_non_null(all);
    EXPECT(0, 0, MAXD, 0, 0, 1, 0);
    assert_null(pvPortMalloc(1));
    assert_int_equal(frt_malloc_failed_calls, 1);
    vPortFree(all);
    EXPECT(F0, F0, F0, 1, 0, 1, 1);

    /* Three blocks, free the outer two: enough bytes, no block large enough. */
    size_t third = ROUND_DOWN(F0 / 3u);
    uint8_t *a = pvPortMalloc(third - H);
    uint8_t *b = pvPortMalloc(third - H);
    uint8_t *c = pvPortMalloc(F0 - 2u * third - H);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    EXPECT(0, 0, MAXD, 0, 0, 4, 1);
    vPortFree(a);
    vPortFree(c);
    size_t tail = F0 - 2u * third;
    EXPECT(third + tail, tail > third ? tail : third, tail < third ? tail : third, 2, 0, 4, 3);
    int before = frt_malloc_failed_calls;
    size_t big = tail > third ? tail : third;
    assert_null(pvPortMalloc(big - H + 1u)); /* needs more than either block */
    assert_int_equal(frt_malloc_failed_calls, before + 1);
    EXPECT(third + tail, tail > third ? tail : third, tail < third ? tail : third, 2, 0, 4, 3);
    vPortFree(b);
    EXPECT(F0, F0, F0, 1, 0, 4, 4);
}

static void test_failed_hook_exactly_on_null(void **state)
{
    (void)state;
    assert_null(pvPortMalloc(0));
    assert_int_equal(frt_malloc_failed_calls, 1);
    EXPECT(F0, F0, F0, 1, F0, 0, 0); /* size 0 still set the heap up */
    assert_null(pvPortMalloc(SIZE_MAX));
    assert_null(pvPortMalloc(SIZE_MAX - H + 1u)); /* adding the header wraps */
    assert_null(pvPortMalloc(SIZE_MAX - H - 1u)); /* rounding up wraps */
    assert_null(pvPortMalloc(((size_t)1 << (sizeof(size_t) * 8u - 1u)))); /* top bit */
    assert_null(pvPortMalloc(F0)); /* F0 + H > free */
    assert_int_equal(frt_malloc_failed_calls, 6);
    void *p = pvPortMalloc(F0 - H);
    assert_non_null(p);
    assert_int_equal(frt_malloc_failed_calls, 6);
    vPortFree(p);
    /* calloc: overflow -> NULL without the hook; zero -> NULL with it. */
    assert_null(pvPortCalloc(SIZE_MAX / 2u + 1u, 2));
    assert_int_equal(frt_malloc_failed_calls, 6);
    assert_null(pvPortCalloc(0, 16));
    assert_int_equal(frt_malloc_failed_calls, 7);
    assert_null(pvPortCalloc(F0, 1));
    assert_int_equal(frt_malloc_failed_calls, 8);
    assert_int_equal(frt_assert_calls, 0);
}

static void test_calloc_zeroes(void **state)
{
    (void)state;
    uint8_t *p = pvPortMalloc(64);
    memset(p, 0xee, 64);
    vPortFree(p);
    uint8_t *q = pvPortCalloc(8, 8);
    assert_ptr_equal(q, p);
    for (size_t i = 0; i < 64; i++) {
        assert_int_equal(q[i], 0);
    }
    EXPECT(F0 - NEED(64), F0 - NEED(64), F0 - NEED(64), 1, F0 - NEED(64), 2, 1);
    vPortFree(q);
}

static void test_bad_frees_are_faults(void **state)
{
    (void)state;
    uint8_t *p = pvPortMalloc(40);
    uint8_t *q = pvPortMalloc(40);
    size_t n = NEED(40);
    vPortFree(q);
    size_t faults = rtm_freertos_heap_faults();
    vPortFree(q); /* double free */
    assert_int_equal(rtm_freertos_heap_last_fault(), RTM_ERR_DOUBLE_FREE);
    vPortFree(p + A); /* interior */
    int local;
    vPortFree(&local); /* foreign */
    assert_int_equal(rtm_freertos_heap_last_fault(), RTM_ERR_FOREIGN_PTR);
    assert_int_equal(rtm_freertos_heap_faults(), faults + 3u);
    assert_int_equal(frt_assert_calls, 3);
    /* The heap is untouched. */
    EXPECT(F0 - n, F0 - n, F0 - n, 1, F0 - 2u * n, 2, 1);
    vPortFree(p);
    EXPECT(F0, F0, F0, 1, F0 - 2u * n, 2, 2);
}

static void test_reset_state_and_unsupported_calls(void **state)
{
    (void)state;
    void *p = pvPortMalloc(10);
    assert_non_null(p);
    vPortHeapResetState();
    EXPECT(0, 0, MAXD, 0, 0, 0, 0); /* as before the first malloc */
    void *q = pvPortMalloc(10);
    assert_ptr_equal(q, p); /* laid out afresh */
    EXPECT(F0 - NEED(10), F0 - NEED(10), F0 - NEED(10), 1, F0 - NEED(10), 1, 0);
    vPortInitialiseBlocks(); /* no-op for heap_4 */
    EXPECT(F0 - NEED(10), F0 - NEED(10), F0 - NEED(10), 1, F0 - NEED(10), 1, 0);
    HeapRegion_t regions[] = {{(uint8_t *)q, 64}, {NULL, 0}};
    vPortDefineHeapRegions(regions);
    assert_int_equal(rtm_freertos_heap_last_fault(), RTM_ERR_NOT_SUPPORTED);
    assert_int_equal(frt_assert_calls, 1);
    vPortGetHeapStats(NULL); /* tolerated */
    vPortFree(NULL);         /* nothing */
    assert_int_equal(frt_assert_calls, 1);
}

#if configHEAP_CLEAR_MEMORY_ON_FREE == 1
static void test_clear_on_free(void **state)
{
    (void)state;
    uint8_t *keep = pvPortMalloc(16);
    uint8_t *p = pvPortMalloc(100);
    memset(p, 0x77, 100);
    vPortFree(p);
    /* The user bytes of the freed block are zero (header excluded). */
    for (size_t i = 0; i < NEED(100) - H; i++) {
        assert_int_equal(p[i], 0);
    }
    vPortFree(keep);
}
#endif

#if configENABLE_HEAP_PROTECTOR == 1
static void test_protector_catches_a_damaged_link(void **state)
{
    (void)state;
    uint8_t *a = pvPortMalloc(64);
    uint8_t *b = pvPortMalloc(64);
    assert_non_null(a);
    assert_non_null(b);
    vPortFree(a); /* a's header is now a free-list link */
    assert_int_equal(frt_canary_calls, 1);
    /* The stored link is not the plain address (it is XOR-ed). */
    uintptr_t stored;
    memcpy(&stored, a - H, sizeof(stored));
    assert_true(stored != (uintptr_t)(b + NEED(64) - H));
    /* An overflow from below writes over it. */
    uintptr_t garbage = (uintptr_t)0x1234u;
    memcpy(a - H, &garbage, sizeof(garbage));
    size_t faults = rtm_freertos_heap_faults();
    /* Too large for a's block: the walk follows the damaged link. */
    assert_null(pvPortMalloc(200));
    assert_int_equal(rtm_freertos_heap_faults(), faults + 1u);
    assert_int_equal(rtm_freertos_heap_last_fault(), RTM_ERR_CORRUPT);
    assert_int_equal(frt_assert_calls, 1);
    assert_int_equal(frt_malloc_failed_calls, 1);
    rtm_check_t r;
    assert_int_equal(rtm_freertos_heap_check(&r), RTM_ERR_CORRUPT);
    vPortHeapResetState(); /* start over on a frt_fresh heap */
    assert_non_null(pvPortMalloc(8));
    assert_int_equal(frt_canary_calls, 2);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_before_first_malloc),
        cmocka_unit_test(test_lazy_init_and_first_block),
        cmocka_unit_test_setup(test_split_rule_and_coalescing, frt_fresh),
        cmocka_unit_test_setup(test_full_heap_and_fragmentation, frt_fresh),
        cmocka_unit_test_setup(test_failed_hook_exactly_on_null, frt_fresh),
        cmocka_unit_test_setup(test_calloc_zeroes, frt_fresh),
        cmocka_unit_test_setup(test_bad_frees_are_faults, frt_fresh),
        cmocka_unit_test_setup(test_reset_state_and_unsupported_calls, frt_fresh),
#if configHEAP_CLEAR_MEMORY_ON_FREE == 1
        cmocka_unit_test_setup(test_clear_on_free, frt_fresh),
#endif
#if configENABLE_HEAP_PROTECTOR == 1
        cmocka_unit_test_setup(test_protector_catches_a_damaged_link, frt_fresh),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
