/* heap_5 tests: region table rules, multi-region layout and statistics (the
 * zero-size region markers), marker merging, bad pointers across regions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "freelist.h"
#include "rtmem/heap5.h"
#include "test_heap_util.h"

#define BUF 8192u
static _Alignas(64) uint8_t g_buf[BUF];
static rtm_heap5_t g_h;
static fault_log_t g_log;

static void hook_up(void)
{
    memset(&g_log, 0, sizeof g_log);
    rtm_heap5_set_fault_hook(&g_h, log_fault, &g_log);
}

static void assert_ok(void)
{
    rtm_check_t r;
    assert_int_equal(rtm_heap5_check(&g_h, &r), RTM_OK);
}

static rtm_stats_t stats(void)
{
    rtm_stats_t s;
    rtm_heap5_stats(&g_h, &s);
    return s;
}

static size_t rfree(const rtm_region_t *r)
{
    return region_free((uintptr_t)r->start, r->size);
}

static void test_two_regions(void **state)
{
    (void)state;
    for (size_t o0 = 0; o0 < A; o0 += 3u) {
        for (size_t o1 = 0; o1 < A; o1 += 5u) {
            rtm_region_t t[] = {{g_buf + o0, 1000}, {g_buf + 3000u + o1, 1500}, {NULL, 0}};
            size_t f0 = rfree(&t[0]), f1 = rfree(&t[1]);
            assert_int_equal(rtm_heap5_init(&g_h, t), RTM_OK);
            assert_int_equal(rtm_heap5_free_bytes(&g_h), f0 + f1);
            assert_int_equal(rtm_heap5_min_ever_free(&g_h), f0 + f1);
            rtm_stats_t s = stats();
            assert_int_equal(s.free_blocks, 3); /* blk0, marker0, blk1 */
            assert_int_equal(s.smallest_free, f0);
            assert_int_equal(s.largest_free, f1);
            assert_int_equal(s.total_bytes, f0 + f1);
            assert_ok();
        }
    }
}

static void test_three_regions_contiguous_and_misaligned(void **state)
{
    (void)state;
    rtm_region_t t[] = {{g_buf + 1, 700}, {g_buf + 701, 900}, {g_buf + 4003, 333}, {NULL, 0}};
    size_t f = rfree(&t[0]) + rfree(&t[1]) + rfree(&t[2]);
    assert_int_equal(rtm_heap5_init(&g_h, t), RTM_OK);
    hook_up();
    assert_int_equal(rtm_heap5_free_bytes(&g_h), f);
    assert_int_equal(stats().free_blocks, 5);
    /* everything out, then everything back: regions never merge */
    void *p[3];
    for (int i = 0; i < 3; i++) {
        p[i] = rtm_heap5_alloc(&g_h, rfree(&t[i]) - H);
        assert_non_null(p[i]);
        assert_true(is_aligned(p[i]));
        assert_true((uint8_t *)p[i] >= t[i].start && (uint8_t *)p[i] < t[i].start + t[i].size);
    }
    assert_int_equal(rtm_heap5_free_bytes(&g_h), 0);
    assert_int_equal(stats().free_blocks, 2); /* the two inner markers */
    assert_int_equal(stats().smallest_free, 0);
    assert_null(rtm_heap5_alloc(&g_h, 1));
    for (int i = 0; i < 3; i++) {
        assert_int_equal(rtm_heap5_free(&g_h, p[i]), RTM_OK);
        assert_ok();
    }
    /* the blocks below the inner markers absorbed them */
    assert_int_equal(stats().free_blocks, 3);
    assert_int_equal(rtm_heap5_free_bytes(&g_h), f);
    assert_int_equal(g_log.calls, 0);
}

/* A split remainder is linked directly: it does not swallow the marker. */
static void test_marker_kept_by_split_merged_by_free(void **state)
{
    (void)state;
    rtm_region_t t[] = {{g_buf, 1024}, {g_buf + 2048, 1024}, {NULL, 0}};
    assert_int_equal(rtm_heap5_init(&g_h, t), RTM_OK);
    hook_up();
    size_t f0 = rfree(&t[0]);
    void *a = rtm_heap5_alloc(&g_h, 100);
    assert_int_equal(stats().free_blocks, 3);
    void *b = rtm_heap5_alloc(&g_h, f0 - charge(100) - H); /* rest of region 0 */
    assert_int_equal(stats().free_blocks, 2);
    assert_int_equal(rtm_heap5_free(&g_h, b), RTM_OK); /* [b][m0] -> [b] */
    assert_int_equal(stats().free_blocks, 2);
    assert_int_equal(rtm_heap5_free(&g_h, a), RTM_OK);
    assert_int_equal(stats().free_blocks, 2);
    assert_int_equal(stats().largest_free, f0 > rfree(&t[1]) ? f0 : rfree(&t[1]));
    assert_ok();
}

static void test_alloc_moves_to_next_region(void **state)
{
    (void)state;
    rtm_region_t t[] = {{g_buf, 512}, {g_buf + 1024, 4096}, {NULL, 0}};
    assert_int_equal(rtm_heap5_init(&g_h, t), RTM_OK);
    hook_up();
    uint8_t *p = rtm_heap5_alloc(&g_h, 1000);
    assert_true(p >= g_buf + 1024);
    uint8_t *q = rtm_heap5_alloc(&g_h, 16);
    assert_true(q < g_buf + 512);
    assert_int_equal(rtm_heap5_free_bytes(&g_h), rfree(&t[0]) + rfree(&t[1]) - charge(1000) - charge(16));
    assert_ok();
    /* verify walk for a block whose free predecessor is in region 0 */
    memset(p, 0, 1000);
    assert_int_equal(rtm_heap5_free(&g_h, p + A),
                     RTM_ERR_INTERIOR_PTR);
    assert_int_equal(rtm_heap5_free(&g_h, p), RTM_OK);
    assert_int_equal(rtm_heap5_free(&g_h, p), RTM_ERR_DOUBLE_FREE);
    assert_int_equal(rtm_heap5_free(&g_h, g_buf + 600), RTM_ERR_FOREIGN_PTR); /* the gap */
    assert_int_equal(rtm_heap5_free(&g_h, g_h.span[0].end + H), RTM_ERR_FOREIGN_PTR); /* marker */
    assert_int_equal(rtm_heap5_free(&g_h, q), RTM_OK);
    assert_int_equal(rtm_heap5_free_bytes(&g_h), rfree(&t[0]) + rfree(&t[1]));
    assert_ok();
}

static void expect_bad(const rtm_region_t *t)
{
    rtm_heap5_t h;
    memset(&h, 0x3C, sizeof h);
    assert_int_equal(rtm_heap5_init(&h, t), RTM_ERR_BAD_REGION);
    for (size_t i = 0; i < sizeof h; i++) {
        assert_int_equal(((uint8_t *)&h)[i], 0x3C);
    }
}

static void test_bad_tables(void **state)
{
    (void)state;
    expect_bad(NULL);
    rtm_region_t empty[] = {{g_buf, 0}};
    expect_bad(empty);
    rtm_region_t unordered[] = {{g_buf + 4096, 1024}, {g_buf, 1024}, {NULL, 0}};
    expect_bad(unordered);
    rtm_region_t overlap[] = {{g_buf, 1024}, {g_buf + 1000, 1024}, {NULL, 0}};
    expect_bad(overlap);
    /* half the address space or more in one region: its block's size word
     * would carry the allocated bit (refused before anything is written) */
    rtm_region_t huge[] = {{g_buf, 1024}, {g_buf + 2048, (SIZE_MAX >> 1) + 1u}, {NULL, 0}};
    expect_bad(huge);
    rtm_region_t small[] = {{g_buf, 1024}, {g_buf + 2048, H + MINB - 1u}, {NULL, 0}};
    expect_bad(small);
    rtm_region_t nullstart[] = {{NULL, 1024}, {NULL, 0}};
    expect_bad(nullstart);
    rtm_region_t wraps[] = {{(uint8_t *)(UINTPTR_MAX - 100u), 1024}, {NULL, 0}};
    expect_bad(wraps);
    rtm_region_t many[RTMEM_CFG_HEAP5_MAX_REGIONS + 2];
    for (size_t i = 0; i <= RTMEM_CFG_HEAP5_MAX_REGIONS; i++) {
        many[i].start = g_buf + i * 512u;
        many[i].size = 256;
    }
    many[RTMEM_CFG_HEAP5_MAX_REGIONS + 1].start = NULL;
    many[RTMEM_CFG_HEAP5_MAX_REGIONS + 1].size = 0;
    expect_bad(many);
    many[RTMEM_CFG_HEAP5_MAX_REGIONS].size = 0; /* exactly the maximum: fine */
    assert_int_equal(rtm_heap5_init(&g_h, many), RTM_OK);
    assert_int_equal(stats().free_blocks, 2u * RTMEM_CFG_HEAP5_MAX_REGIONS - 1u);
    assert_ok();
    assert_int_equal(rtm_heap5_init(NULL, many), RTM_ERR_NULL);
}

static void test_single_region_equals_heap4_rules(void **state)
{
    (void)state;
    rtm_region_t t[] = {{g_buf + 5, 3000}, {NULL, 0}};
    assert_int_equal(rtm_heap5_init(&g_h, t), RTM_OK);
    hook_up();
    size_t f = rfree(&t[0]);
    assert_null(rtm_heap5_alloc(&g_h, 0));
    void *p = rtm_heap5_alloc(&g_h, 1);
    assert_int_equal(rtm_heap5_free_bytes(&g_h), f - charge(1));
    assert_int_equal(rtm_heap5_usable_size(&g_h, p), charge(1) - H);
    uint8_t *c = rtm_heap5_calloc(&g_h, 4, 4);
    assert_non_null(c);
    assert_int_equal(c[15], 0);
    assert_null(rtm_heap5_calloc(&g_h, SIZE_MAX, 2));
    rtm_stats_t s = stats();
    assert_int_equal(s.failed_allocs, 2);
    assert_int_equal(s.alloc_count, 2);
    assert_int_equal(s.used_blocks, 2);
    assert_int_equal(rtm_heap5_min_ever_free(&g_h), f - charge(1) - charge(16));
    assert_int_equal(rtm_heap5_free(&g_h, p), RTM_OK);
    rtm_heap5_reset_min_ever_free(&g_h);
    assert_int_equal(rtm_heap5_min_ever_free(&g_h), f - charge(16));
    memset(c, 0x11, 16);
    rtm_heap5_set_clear_on_free(&g_h, true);
    assert_int_equal(rtm_heap5_free(&g_h, c), RTM_OK);
    assert_int_equal(c[0], 0);
    assert_int_equal(c[15], 0);
    assert_null(rtm_heap5_alloc(NULL, 1));
    assert_int_equal(rtm_heap5_free(NULL, c), RTM_ERR_NULL);
    assert_ok();
}

static void test_corrupt_header_and_check(void **state)
{
    (void)state;
    rtm_region_t t[] = {{g_buf, 2048}, {g_buf + 4096, 2048}, {NULL, 0}};
    assert_int_equal(rtm_heap5_init(&g_h, t), RTM_OK);
    hook_up();
    uint8_t *p = rtm_heap5_alloc(&g_h, 64);
    rtm_fl_link_t *b = (rtm_fl_link_t *)(p - H);
    size_t saved = b->size;
    b->size = 3u | RTM_FL_USED_BIT; /* too small to be a block */
    assert_int_equal(rtm_heap5_free(&g_h, p), RTM_ERR_CORRUPT);
    assert_int_equal(rtm_heap5_check(&g_h, NULL), RTM_ERR_CORRUPT);
    b->size = saved;
    /* an inner marker that grew a size */
    rtm_fl_link_t *m0 = (rtm_fl_link_t *)g_h.span[0].end;
    m0->size = 64;
    rtm_check_t r;
    assert_int_equal(rtm_heap5_check(&g_h, &r), RTM_ERR_CORRUPT);
    assert_ptr_equal(r.where, m0);
    m0->size = 0;
    assert_ok();
    assert_int_equal(rtm_heap5_free(&g_h, p), RTM_OK);
    assert_int_equal(g_log.calls, 1);
    assert_int_equal(stats().faults, 1);
}

static void test_protector_catches_link(void **state)
{
    (void)state;
    if (!RTMEM_CFG_HEAP_PROTECTOR) {
        skip();
    }
    rtm_region_t t[] = {{g_buf, 2048}, {g_buf + 4096, 4096}, {NULL, 0}};
    assert_int_equal(rtm_heap5_init_canary(&g_h, t, (uintptr_t)0xC0FFEE00u), RTM_OK);
    hook_up();
    void *p = rtm_heap5_alloc(&g_h, 3000); /* from region 1 */
    assert_non_null(p);
    rtm_fl_link_t *m0 = (rtm_fl_link_t *)g_h.span[0].end;
    rtm_fl_link_t *saved = m0->next;
    m0->next = (rtm_fl_link_t *)(g_buf + 4096); /* plain pointer: decodes elsewhere */
    assert_null(rtm_heap5_alloc(&g_h, 3000));
    assert_int_equal(g_log.last, RTM_ERR_CORRUPT);
    assert_int_equal(rtm_heap5_free(&g_h, p), RTM_ERR_CORRUPT);
    assert_int_equal(rtm_heap5_check(&g_h, NULL), RTM_ERR_CORRUPT);
    m0->next = saved;
    assert_ok();
    assert_int_equal(rtm_heap5_free(&g_h, p), RTM_OK);
    assert_ok();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_regions),
        cmocka_unit_test(test_three_regions_contiguous_and_misaligned),
        cmocka_unit_test(test_marker_kept_by_split_merged_by_free),
        cmocka_unit_test(test_alloc_moves_to_next_region),
        cmocka_unit_test(test_bad_tables),
        cmocka_unit_test(test_single_region_equals_heap4_rules),
        cmocka_unit_test(test_corrupt_header_and_check),
        cmocka_unit_test(test_protector_catches_link),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
