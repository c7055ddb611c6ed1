/*
 * FreeRTOS layer, scheme 6 (rtm_tlsf): lazy set-up in ucHeap, the FreeRTOS
 * API's counters and hook rules over TLSF, vPortDefineHeapRegions adding
 * regions, clear-free faults and the reset. TLSF's own numbers are its own
 * (not upstream's): the tests check that the API reports them consistently.
 * Built with portBYTE_ALIGNMENT 8 (rtm_tlsf's own alignment) and 16, 32
 * (the layer asks rtm_tlsf_aligned_alloc for it).
 */
#include "frt_expect.h"

#include "rtmem/tlsf.h"

static _Alignas(64) uint8_t extra[4096];

static void expect_consistent(size_t allocs, size_t frees)
{
    HeapStats_t s;
    vPortGetHeapStats(&s);
    assert_int_equal(s.xAvailableHeapSpaceInBytes, xPortGetFreeHeapSize());
    assert_int_equal(s.xMinimumEverFreeBytesRemaining, xPortGetMinimumEverFreeHeapSize());
    assert_true(s.xMinimumEverFreeBytesRemaining <= s.xAvailableHeapSpaceInBytes);
    assert_true(s.xSizeOfLargestFreeBlockInBytes <= s.xAvailableHeapSpaceInBytes);
    assert_int_equal(s.xNumberOfSuccessfulAllocations, allocs);
    assert_int_equal(s.xNumberOfSuccessfulFrees, frees);
    rtm_check_t r;
    assert_int_equal(rtm_freertos_heap_check(&r), RTM_OK);
}

static void test_lazy_setup_and_counts(void **state)
{
    (void)state;
    assert_int_equal(rtm_freertos_heap_scheme(), 6);
    EXPECT(0, 0, MAXD, 0, 0, 0, 0);
    uint8_t *p = pvPortMalloc(100);
    assert_non_null(p);
    ASSERT_ALIGNED(p);
    expect_consistent(1, 0);
    size_t f1 = xPortGetFreeHeapSize();
    assert_true(f1 > 0u && f1 < (size_t)configTOTAL_HEAP_SIZE);
    uint8_t *q = pvPortCalloc(10, 10);
    for (size_t i = 0; i < 100; i++) {
        assert_int_equal(q[i], 0);
    }
    vPortFree(p);
    vPortFree(q);
    expect_consistent(2, 2);
    assert_true(xPortGetMinimumEverFreeHeapSize() < xPortGetFreeHeapSize());
    xPortResetHeapMinimumEverFreeHeapSize();
    assert_int_equal(xPortGetMinimumEverFreeHeapSize(), xPortGetFreeHeapSize());
}

static void test_failed_hook_and_faults(void **state)
{
    (void)state;
    frt_hooks_clear();
    assert_null(pvPortMalloc(0));
    assert_null(pvPortMalloc(SIZE_MAX));
    assert_null(pvPortMalloc(configTOTAL_HEAP_SIZE));
    assert_int_equal(frt_malloc_failed_calls, 3);
    assert_null(pvPortCalloc(SIZE_MAX, 16));
    assert_int_equal(frt_malloc_failed_calls, 3);
    uint8_t *p = pvPortMalloc(40);
    vPortFree(p);
    vPortFree(p);
    assert_int_equal(rtm_freertos_heap_last_fault(), RTM_ERR_DOUBLE_FREE);
    int local;
    vPortFree(&local);
    assert_int_equal(rtm_freertos_heap_last_fault(), RTM_ERR_FOREIGN_PTR);
    assert_int_equal(frt_assert_calls, 2);
    expect_consistent(3, 3);
}

static void test_regions_add_to_the_heap(void **state)
{
    (void)state;
    /* After a reset, regions given before the first allocation replace
     * ucHeap: the first sets the heap up, the next are added (rtm_tlsf wants
     * each added region above the first). */
    vPortHeapResetState();
    HeapRegion_t regions[] = {{extra, 2048}, {extra + 2048, 2048}, {NULL, 0}};
    size_t faults = rtm_freertos_heap_faults();
    vPortDefineHeapRegions(regions);
    assert_int_equal(rtm_freertos_heap_faults(), faults);
    assert_true(xPortGetFreeHeapSize() > 2048u);
    int n = 0;
    void *blocks[128];
    while (n < 128 && (blocks[n] = pvPortMalloc(64)) != NULL) {
        n++;
    }
    assert_true(n > 0 && n < 128);
    bool low = false, high = false;
    for (int i = 0; i < n; i++) {
        uint8_t *b = blocks[i];
        assert_true(b >= extra && b < extra + sizeof(extra));
        ASSERT_ALIGNED(b);
        low = low || b < extra + 2048;
        high = high || b >= extra + 2048;
    }
    assert_true(low && high);
    for (int i = 0; i < n; i++) {
        vPortFree(blocks[i]);
    }
    expect_consistent((size_t)n, (size_t)n);
    HeapRegion_t none[] = {{NULL, 0}};
    vPortDefineHeapRegions(none);
    assert_int_equal(rtm_freertos_heap_last_fault(), RTM_ERR_BAD_REGION);
}

/* Every pointer is portBYTE_ALIGNMENT-aligned, whatever the sizes and the
 * order; all of them go back through vPortFree (no fault) and the heap
 * returns to its size and one free block, so the gaps that aligned
 * allocation leaves are given back too. */
static void test_aligned_blocks_free_back(void **state)
{
    (void)state;
    vPortHeapResetState();
    void *first = pvPortMalloc(1);
    assert_non_null(first);
    vPortFree(first);
    size_t all = xPortGetFreeHeapSize();
    size_t faults = rtm_freertos_heap_faults();
    uint8_t *b[64];
    for (size_t i = 0; i < 64u; i++) {
        size_t n = 1u + (i * 37u) % 200u;
        b[i] = pvPortMalloc(n);
        assert_non_null(b[i]);
        ASSERT_ALIGNED(b[i]);
        memset(b[i], (int)i, n);
    }
    for (size_t i = 0; i < 64u; i += 2u) {
        vPortFree(b[i]);
    }
    for (size_t i = 0; i < 64u; i += 2u) { /* refill the holes */
        b[i] = pvPortMalloc(1u + (i * 11u) % 90u);
        assert_non_null(b[i]);
        ASSERT_ALIGNED(b[i]);
    }
    for (size_t i = 0; i < 64u; i++) {
        vPortFree(b[63u - i]);
    }
    assert_int_equal(rtm_freertos_heap_faults(), faults);
    assert_int_equal(xPortGetFreeHeapSize(), all);
    HeapStats_t s;
    vPortGetHeapStats(&s);
    assert_int_equal(s.xNumberOfFreeBlocks, 1);
    expect_consistent(1u + 64u + 32u, 1u + 64u + 32u);
}

static void test_reset_state(void **state)
{
    (void)state;
    vPortHeapResetState();
    EXPECT(0, 0, MAXD, 0, 0, 0, 0);
    void *p = pvPortMalloc(8);
    assert_non_null(p);
    expect_consistent(1, 0);
    vPortFree(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lazy_setup_and_counts),
        cmocka_unit_test(test_failed_hook_and_faults),
        cmocka_unit_test(test_regions_add_to_the_heap),
        cmocka_unit_test(test_aligned_blocks_free_back),
        cmocka_unit_test(test_reset_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
