/* heap_2 tests: layout (size - A usable), best fit, equal sizes, no
 * coalescing, split rule, bad input, stats, clear-on-free, protector. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "freelist.h"
#include "rtmem/heap2.h"
#include "test_heap_util.h"

#define BUF 8192u
static _Alignas(64) uint8_t g_buf[BUF + 128u];
static rtm_heap2_t g_h;
static fault_log_t g_log;

static size_t setup_at(size_t off, size_t size)
{
    memset(&g_log, 0, sizeof g_log);
    assert_int_equal(rtm_heap2_init(&g_h, g_buf + off, size), RTM_OK);
    rtm_heap2_set_fault_hook(&g_h, log_fault, &g_log);
    return size - A;
}

static void assert_ok(void)
{
    rtm_check_t r;
    assert_int_equal(rtm_heap2_check(&g_h, &r), RTM_OK);
}

static rtm_stats_t stats(void)
{
    rtm_stats_t s;
    rtm_heap2_stats(&g_h, &s);
    return s;
}

static void test_init_usable_is_size_minus_alignment(void **state)
{
    (void)state;
    for (size_t off = 0; off < 2u * A; off++) {
        for (size_t size = 500; size < 500u + 2u * A; size++) {
            size_t f = setup_at(off, size);
            assert_int_equal(rtm_heap2_free_bytes(&g_h), f);
            rtm_stats_t s = stats();
            assert_int_equal(s.free_blocks, 1);
            assert_int_equal(s.largest_free, f);
            assert_int_equal(s.total_bytes, f);
            assert_true(is_aligned(g_h.span.first));
            assert_true(g_h.span.first >= g_buf + off && g_h.span.end <= g_buf + off + size);
            assert_ok();
        }
    }
}

static void test_init_rejects(void **state)
{
    (void)state;
    rtm_heap2_t h;
    assert_int_equal(rtm_heap2_init(NULL, g_buf, BUF), RTM_ERR_NULL);
    assert_int_equal(rtm_heap2_init(&h, NULL, BUF), RTM_ERR_NULL);
    assert_int_equal(rtm_heap2_init(&h, g_buf, A), RTM_ERR_ARG);
    assert_int_equal(rtm_heap2_init(&h, g_buf, A + MINB), RTM_ERR_ARG);
    assert_int_equal(rtm_heap2_init(&h, (void *)(UINTPTR_MAX - 64u), 1000), RTM_ERR_ARG);
    assert_int_equal(rtm_heap2_init(&h, g_buf, A + MINB + 1u), RTM_OK);
}

static void test_alloc_sizes_and_split(void **state)
{
    (void)state;
    size_t f = setup_at(3, BUF);
    for (size_t n = 1; n < 300u; n += 13u) {
        void *p = rtm_heap2_alloc(&g_h, n);
        assert_non_null(p);
        assert_true(is_aligned(p));
        f -= charge(n);
        assert_int_equal(rtm_heap2_free_bytes(&g_h), f);
        assert_ok();
    }
    assert_null(rtm_heap2_alloc(&g_h, 0));
    assert_null(rtm_heap2_alloc(&g_h, SIZE_MAX));
    assert_null(rtm_heap2_alloc(&g_h, SIZE_MAX / 2u));
    assert_null(rtm_heap2_alloc(NULL, 1));
    assert_int_equal(stats().failed_allocs, 3);
    /* split boundary: rest == MINB stays with the block */
    f = setup_at(0, BUF);
    assert_non_null(rtm_heap2_alloc(&g_h, f - MINB - H));
    assert_int_equal(rtm_heap2_free_bytes(&g_h), 0);
    f = setup_at(0, BUF);
    assert_non_null(rtm_heap2_alloc(&g_h, f - MINB - A - H));
    assert_int_equal(rtm_heap2_free_bytes(&g_h), MINB + A);
    /* odd usable size: the last block keeps its odd size */
    f = setup_at(0, 1001);
    assert_null(rtm_heap2_alloc(&g_h, f - H)); /* rounds above f */
    void *p = rtm_heap2_alloc(&g_h, down_a(f) - H);
    assert_non_null(p);
    assert_int_equal(rtm_heap2_free_bytes(&g_h), 0);
    assert_int_equal(rtm_heap2_usable_size(&g_h, p), f - H);
    assert_ok();
    assert_int_equal(rtm_heap2_free(&g_h, p), RTM_OK);
    assert_int_equal(rtm_heap2_free_bytes(&g_h), f);
    assert_ok();
}

/* x1(100) x2(40) x3(200) separated by guards, all freed: the list is
 * x2 < x1 < x3 < rest, and first fit in it is the best fit. */
static void test_best_fit(void **state)
{
    (void)state;
    setup_at(0, BUF);
    void *x1 = rtm_heap2_alloc(&g_h, 100);
    assert_non_null(rtm_heap2_alloc(&g_h, 8));
    void *x2 = rtm_heap2_alloc(&g_h, 40);
    assert_non_null(rtm_heap2_alloc(&g_h, 8));
    void *x3 = rtm_heap2_alloc(&g_h, 200);
    assert_non_null(rtm_heap2_alloc(&g_h, 8));
    assert_int_equal(rtm_heap2_free(&g_h, x3), RTM_OK);
    assert_int_equal(rtm_heap2_free(&g_h, x1), RTM_OK);
    assert_int_equal(rtm_heap2_free(&g_h, x2), RTM_OK);
    assert_int_equal(stats().free_blocks, 4);
    assert_int_equal(stats().smallest_free, charge(40));
    assert_ptr_equal(rtm_heap2_alloc(&g_h, 33), x2);
    assert_ptr_equal(rtm_heap2_alloc(&g_h, 90), x1);
    assert_ptr_equal(rtm_heap2_alloc(&g_h, 101), x3); /* 200 block, split */
    assert_ok();
}

/* Equal sizes: a freed block goes in front of its equals (LIFO). */
static void test_equal_sizes_lifo(void **state)
{
    (void)state;
    setup_at(0, BUF);
    void *a = rtm_heap2_alloc(&g_h, 64);
    assert_non_null(rtm_heap2_alloc(&g_h, 8));
    void *b = rtm_heap2_alloc(&g_h, 64);
    assert_non_null(rtm_heap2_alloc(&g_h, 8));
    assert_int_equal(rtm_heap2_free(&g_h, a), RTM_OK);
    assert_int_equal(rtm_heap2_free(&g_h, b), RTM_OK);
    assert_ptr_equal(rtm_heap2_alloc(&g_h, 64), b);
    assert_ptr_equal(rtm_heap2_alloc(&g_h, 64), a);
    assert_ok();
}

static void test_no_coalescing(void **state)
{
    (void)state;
    size_t f = setup_at(0, BUF);
    void *a = rtm_heap2_alloc(&g_h, 64);
    void *b = rtm_heap2_alloc(&g_h, 64);
    assert_int_equal(rtm_heap2_free(&g_h, a), RTM_OK);
    assert_int_equal(rtm_heap2_free(&g_h, b), RTM_OK);
    rtm_stats_t s = stats();
    assert_int_equal(s.free_blocks, 3);
    assert_int_equal(s.free_bytes, f);
    assert_int_equal(s.largest_free, f - 2u * charge(64));
    assert_int_equal(s.smallest_free, charge(64));
    assert_null(rtm_heap2_alloc(&g_h, f - H)); /* fragmented for good */
    assert_ok();
}

static void test_free_bad_pointers(void **state)
{
    (void)state;
    int local;
    setup_at(0, BUF);
    uint8_t *a = rtm_heap2_alloc(&g_h, 64);
    uint8_t *b = rtm_heap2_alloc(&g_h, 64);
    memset(a, 0, 64);
    size_t f = rtm_heap2_free_bytes(&g_h);
    assert_int_equal(rtm_heap2_free(&g_h, NULL), RTM_OK);
    assert_int_equal(rtm_heap2_free(NULL, a), RTM_ERR_NULL);
    assert_int_equal(rtm_heap2_free(&g_h, &local), RTM_ERR_FOREIGN_PTR);
    assert_int_equal(rtm_heap2_free(&g_h, g_buf + BUF + 64u), RTM_ERR_FOREIGN_PTR);
    assert_int_equal(rtm_heap2_free(&g_h, a + 3), RTM_ERR_INTERIOR_PTR);
    assert_int_equal(rtm_heap2_free(&g_h, a + A),
                     RTM_ERR_INTERIOR_PTR);
    assert_int_equal(rtm_heap2_free(&g_h, a), RTM_OK);
    assert_int_equal(rtm_heap2_free(&g_h, a), RTM_ERR_DOUBLE_FREE);
    rtm_fl_link_t *hb = (rtm_fl_link_t *)(b - H);
    rtm_fl_link_t saved = *hb;
    hb->next = hb;
    assert_int_equal(rtm_heap2_free(&g_h, b), RTM_ERR_CORRUPT);
    *hb = saved;
    hb->size |= (size_t)BUF * 2u;
    assert_int_equal(rtm_heap2_free(&g_h, b), RTM_ERR_CORRUPT);
    assert_int_equal(rtm_heap2_check(&g_h, NULL), RTM_ERR_CORRUPT);
    *hb = saved;
    assert_int_equal(rtm_heap2_free_bytes(&g_h), f + charge(64));
    assert_int_equal(stats().faults, 7);
    assert_int_equal(g_log.calls, 7);
    assert_ok();
    assert_int_equal(rtm_heap2_free(&g_h, b), RTM_OK);
    assert_ok();
}

static void test_stats_min_ever_calloc_clear(void **state)
{
    (void)state;
    size_t f = setup_at(0, BUF);
    uint8_t *p = rtm_heap2_calloc(&g_h, 10, 10);
    assert_non_null(p);
    assert_int_equal(p[99], 0);
    assert_null(rtm_heap2_calloc(&g_h, SIZE_MAX, SIZE_MAX));
    assert_null(rtm_heap2_calloc(NULL, 1, 1));
    assert_int_equal(rtm_heap2_min_ever_free(&g_h), f - charge(100));
    memset(p, 0x42, 100);
    rtm_heap2_set_clear_on_free(&g_h, true);
    assert_int_equal(rtm_heap2_free(&g_h, p), RTM_OK);
    for (size_t i = 0; i < charge(100) - H; i++) {
        assert_int_equal(p[i], 0);
    }
    assert_int_equal(rtm_heap2_min_ever_free(&g_h), f - charge(100));
    rtm_heap2_reset_min_ever_free(&g_h);
    assert_int_equal(rtm_heap2_min_ever_free(&g_h), f);
    rtm_stats_t s = stats();
    assert_int_equal(s.alloc_count, 1);
    assert_int_equal(s.free_count, 1);
    assert_int_equal(s.used_blocks, 0);
    assert_int_equal(s.failed_allocs, 1);
    /* all memory taken: no free block, smallest 0 */
    f = setup_at(0, BUF);
    assert_non_null(rtm_heap2_alloc(&g_h, f - H));
    s = stats();
    assert_int_equal(s.free_blocks, 0);
    assert_int_equal(s.smallest_free, 0);
    assert_int_equal(s.largest_free, 0);
}

static void test_protector_catches_link(void **state)
{
    (void)state;
    if (!RTMEM_CFG_HEAP_PROTECTOR) {
        skip();
    }
    memset(&g_log, 0, sizeof g_log);
    assert_int_equal(rtm_heap2_init_canary(&g_h, g_buf, BUF, (uintptr_t)0xABCD0000u), RTM_OK);
    rtm_heap2_set_fault_hook(&g_h, log_fault, &g_log);
    uint8_t *a = rtm_heap2_alloc(&g_h, 64);
    assert_non_null(rtm_heap2_alloc(&g_h, 8));
    uint8_t *b = rtm_heap2_alloc(&g_h, 128); /* its size slot lies past a */
    assert_int_equal(rtm_heap2_free(&g_h, a), RTM_OK);
    rtm_fl_link_t *ha = (rtm_fl_link_t *)(a - H);
    rtm_fl_link_t *saved = ha->next;
    ha->next = (rtm_fl_link_t *)(g_buf + 1024); /* plain pointer */
    size_t f = rtm_heap2_free_bytes(&g_h);
    assert_null(rtm_heap2_alloc(&g_h, 1000));
    assert_int_equal(g_log.last, RTM_ERR_CORRUPT);
    assert_int_equal(rtm_heap2_free(&g_h, b), RTM_ERR_CORRUPT);
    assert_int_equal(rtm_heap2_check(&g_h, NULL), RTM_ERR_CORRUPT);
    assert_int_equal(rtm_heap2_free_bytes(&g_h), f);
    ha->next = saved;
    assert_ok();
    assert_int_equal(rtm_heap2_free(&g_h, b), RTM_OK);
    assert_ok();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_usable_is_size_minus_alignment),
        cmocka_unit_test(test_init_rejects),
        cmocka_unit_test(test_alloc_sizes_and_split),
        cmocka_unit_test(test_best_fit),
        cmocka_unit_test(test_equal_sizes_lifo),
        cmocka_unit_test(test_no_coalescing),
        cmocka_unit_test(test_free_bad_pointers),
        cmocka_unit_test(test_stats_min_ever_calloc_clear),
        cmocka_unit_test(test_protector_catches_link),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
