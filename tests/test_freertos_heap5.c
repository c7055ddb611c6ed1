/*
 * FreeRTOS layer, heap_5: regions from vPortDefineHeapRegions, upstream's
 * per-region layout (start rounded up, end marker at (end - H) rounded
 * down), its vPortGetHeapStats quirk (a region's end marker counts as a free
 * block while it is listed, and leaves the list once the block below it is
 * freed), malloc before the regions, and the protector.
 */
#include "frt_expect.h"

static _Alignas(64) uint8_t space[4096];
#define R1_OFF 0u
#define R1_SIZE 1024u
#define R2_OFF 1536u
#define R2_SIZE 2048u

static size_t F1, F2; /* free bytes of each region after set-up */

static void define_regions(size_t skew)
{
    HeapRegion_t regions[] = {
        {space + R1_OFF + skew, R1_SIZE - skew},
        {space + R2_OFF, R2_SIZE},
        {NULL, 0},
    };
    vPortDefineHeapRegions(regions);
}

static int fresh(void **state)
{
    (void)state;
    vPortHeapResetState();
    define_regions(0);
    frt_hooks_clear();
    return 0;
}

static void test_before_regions(void **state)
{
    (void)state;
    assert_int_equal(rtm_freertos_heap_scheme(), 5);
    EXPECT(0, 0, MAXD, 0, 0, 0, 0);
    /* Upstream asserts (configASSERT(pxEnd)) and returns NULL. */
    assert_null(pvPortMalloc(16));
    assert_int_equal(frt_assert_calls, 1);
    assert_int_equal(rtm_freertos_heap_last_fault(), RTM_ERR_STATE);
    assert_int_equal(frt_malloc_failed_calls, 1);
    EXPECT(0, 0, MAXD, 0, 0, 0, 0);
}

static void test_layout_and_marker_quirk(void **state)
{
    (void)state;
    frt_hooks_clear();
    define_regions(0);
    F1 = ROUND_DOWN(R1_SIZE - H);
    F2 = ROUND_DOWN(R2_SIZE - H);
    /* [R1 block][R1 marker] -> [R2 block][end]: three listed blocks. */
    EXPECT(F1 + F2, F2, F1, 3, F1 + F2, 0, 0);
#if configENABLE_HEAP_PROTECTOR == 1
    assert_int_equal(frt_canary_calls, 1);
#endif
    /* The whole of R1: the marker is the only thing left there. */
    uint8_t *p = pvPortMalloc(F1 - H);
    assert_ptr_equal(p, space + R1_OFF + H);
    EXPECT(F2, F2, F2, 2, F2, 1, 0);
    /* Freeing it absorbs the marker: two blocks from now on. */
    vPortFree(p);
    EXPECT(F1 + F2, F2, F1, 2, F2, 1, 1);
    /* Too large for R1: first fit moves on to R2. */
    uint8_t *q = pvPortMalloc(F1);
    assert_true(q >= space + R2_OFF && q < space + R2_OFF + R2_SIZE);
    size_t r2 = F2 - NEED(F1);
    EXPECT(F1 + r2, r2 > F1 ? r2 : F1, r2 < F1 ? r2 : F1, 2, F1 + r2, 2, 1);
    vPortFree(q);
    EXPECT(F1 + F2, F2, F1, 2, F1 + r2, 2, 2);
    xPortResetHeapMinimumEverFreeHeapSize();
    EXPECT(F1 + F2, F2, F1, 2, F1 + F2, 2, 2);
    assert_int_equal(frt_malloc_failed_calls, 0);
    assert_int_equal(frt_assert_calls, 0);
}

static void test_misaligned_region_start(void **state)
{
    (void)state;
    vPortHeapResetState();
    define_regions(3);
    /* Start rounded up to A, the marker still at (end - H) rounded down. */
    size_t f1 = ROUND_DOWN(R1_SIZE - H) - A;
    EXPECT(f1 + F2, F2, f1, 3, f1 + F2, 0, 0);
    uint8_t *p = pvPortMalloc(1);
    assert_ptr_equal(p, space + R1_OFF + A + H);
    vPortFree(p);
}

static void test_second_definition_and_bad_tables(void **state)
{
    (void)state;
    uint8_t *p = pvPortMalloc(10);
    assert_non_null(p);
    define_regions(0); /* upstream asserts: only once */
    assert_int_equal(rtm_freertos_heap_last_fault(), RTM_ERR_STATE);
    assert_int_equal(frt_assert_calls, 1);
    size_t f = F1 + F2 - NEED(10);
    EXPECT(f, F2, F1 - NEED(10), 3, f, 1, 0); /* ignored */
    vPortFree(p);

    vPortHeapResetState();
    HeapRegion_t backwards[] = {
        {space + R2_OFF, R2_SIZE}, {space + R1_OFF, R1_SIZE}, {NULL, 0}};
    vPortDefineHeapRegions(backwards);
    assert_int_equal(rtm_freertos_heap_last_fault(), RTM_ERR_BAD_REGION);
    HeapRegion_t empty[] = {{NULL, 0}};
    vPortDefineHeapRegions(empty);
    vPortDefineHeapRegions(NULL);
    assert_int_equal(frt_assert_calls, 4);
    EXPECT(0, 0, MAXD, 0, 0, 0, 0); /* still no heap */
    assert_null(pvPortMalloc(8));
}

static void test_failed_hook_calloc_and_bad_frees(void **state)
{
    (void)state;
    assert_null(pvPortMalloc(0));
    assert_null(pvPortMalloc(F2)); /* F2 + H fits nowhere */
    assert_null(pvPortMalloc(SIZE_MAX));
    assert_int_equal(frt_malloc_failed_calls, 3);
    assert_null(pvPortCalloc(SIZE_MAX / 2u, 3)); /* overflow: no hook */
    assert_int_equal(frt_malloc_failed_calls, 3);
    uint8_t *p = pvPortCalloc(3, 5);
    assert_non_null(p);
    for (size_t i = 0; i < 15; i++) {
        assert_int_equal(p[i], 0);
    }
    vPortFree(p);
    vPortFree(p);
    assert_int_equal(rtm_freertos_heap_last_fault(), RTM_ERR_DOUBLE_FREE);
    vPortFree(space + R1_OFF + R1_SIZE + 8u); /* between the regions */
    assert_int_equal(frt_assert_calls, 2);
    EXPECT(F1 + F2, F2, F1, 3, F1 + F2 - NEED(15), 1, 1);
}

#if configENABLE_HEAP_PROTECTOR == 1
static void test_protector_catches_a_damaged_link(void **state)
{
    (void)state;
    uint8_t *a = pvPortMalloc(64);
    uint8_t *b = pvPortMalloc(64);
    assert_non_null(b);
    vPortFree(a);
    uintptr_t garbage = (uintptr_t)0xdead0u;
    memcpy(a - H, &garbage, sizeof(garbage));
    assert_null(pvPortMalloc(300));
    assert_int_equal(rtm_freertos_heap_last_fault(), RTM_ERR_CORRUPT);
    assert_int_equal(frt_assert_calls, 1);
    rtm_check_t r;
    assert_int_equal(rtm_freertos_heap_check(&r), RTM_ERR_CORRUPT);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_before_regions),
        cmocka_unit_test(test_layout_and_marker_quirk),
        cmocka_unit_test(test_misaligned_region_start),
        cmocka_unit_test_setup(test_second_definition_and_bad_tables, fresh),
        cmocka_unit_test_setup(test_failed_hook_calloc_and_bad_frees, fresh),
#if configENABLE_HEAP_PROTECTOR == 1
        cmocka_unit_test_setup(test_protector_catches_a_damaged_link, fresh),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
