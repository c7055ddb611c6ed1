/*
 * rtm_tlsf tests: set-up, alloc/free, coalescing, calloc and bad input
 * (test_tlsf_regions.c has realloc, aligned_alloc, regions, statistics and
 * placement; test_tlsf_stress.c the random runs and bounds;
 * test_tlsf_scribble.c the stray writes). Each file is built against the
 * library configurations of tests/tlsf.cmake: default, portable bit scan,
 * RTMEM_CFG_HARDEN=1 and =2, and test hooks.
 */
#include "test_tlsf_util.h"


/* ---- Init, sizing ------------------------------------------------------- */

static void test_init_and_sizes(void **state)
{
    (void)state;
    rtm_tlsf_t t;
    assert_int_equal(rtm_tlsf_init(NULL, g_arena, 4096), RTM_ERR_NULL);
    assert_int_equal(rtm_tlsf_init(&t, NULL, 4096), RTM_ERR_NULL);
    assert_int_equal(rtm_tlsf_init(&t, g_arena, 16), RTM_ERR_ARG);
    assert_int_equal(rtm_tlsf_init(&t, g_arena, rtm_tlsf_control_size(64)), RTM_ERR_ARG);
    assert_int_equal(rtm_tlsf_init(&t, g_arena + 1, SIZE_MAX), RTM_ERR_ARG);
    assert_null(rtm_tlsf_alloc(&t, 8)); /* failed init leaves a dead heap */

    /* The smallest arena init() accepts (RTM_TLSF_OVERHEAD + MIN_BLOCK),
     * whatever the alignment of the buffer. */
    for (size_t off = 0; off < RTM_TLSF_ALIGN; off++) {
        assert_int_equal(rtm_tlsf_init(&t, g_arena + off, rtm_tlsf_arena_bound(0, 0)), RTM_OK);
        check_ok(&t);
    }
    static const size_t sizes[] = {640, 1000, 4096, 65536, 100000, BIG_ARENA};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        size_t a = sizes[i];
        assert_int_equal(rtm_tlsf_control_size(a), RTM_TLSF_CONTROL_SIZE(a));
        for (size_t off = 0; off < 8; off += 3) {
            assert_int_equal(rtm_tlsf_init(&t, g_arena + off, a - off), RTM_OK);
            check_ok(&t);
            rtm_stats_t st;
            rtm_tlsf_stats(&t, &st);
            assert_int_equal(st.free_bytes, st.total_bytes);
            assert_int_equal(rtm_tlsf_min_ever_free(&t), st.total_bytes);
            assert_true(st.total_bytes >= (a - off) - RTM_TLSF_OVERHEAD(a - off));
            assert_int_equal(st.free_blocks, 1);
            assert_int_equal(st.largest_free, st.total_bytes);
            assert_int_equal(st.smallest_free, st.total_bytes);
        }
    }
    /* The one layout: 668-byte control structure for a 64 KiB arena (2 nil
     * words + 10 FL classes x (2-byte SL bitmap + 16 four-byte heads)). */
    assert_int_equal(rtm_tlsf_control_size(ARENA_64K), 668);
    assert_int_equal(RTM_TLSF_MIN_BLOCK, 16);
    assert_int_equal(RTM_TLSF_ALIGN, 8);
    /* A caller compiled with another layout than the library's is refused
     * (the default hook traps in debug builds, so only release builds call
     * it): the other hardening levels, the version-1 layout (free_count
     * after alloc_count; same size, same options), another rtm_tlsf_t size,
     * and an older header's ALIGN 16 or 32 second-level classes. */
#if !RTMEM_CFG_ASSERT
    const uint32_t hfield = 0xFu << 12, vfield = 0xFu << 28;
    const uint32_t wrong[] = {
        (RTM_TLSF_ABI & ~hfield) | ((uint32_t)(RTMEM_CFG_HARDEN + 1) % 3u << 12),
        (RTM_TLSF_ABI & ~hfield) | ((uint32_t)(RTMEM_CFG_HARDEN + 2) % 3u << 12),
        (RTM_TLSF_ABI & ~vfield) | (1u << 28),
        RTM_TLSF_ABI + (4u << 20),
        (RTM_TLSF_ABI & ~0xFFu) | 16u,
        (RTM_TLSF_ABI & ~0xF00u) | (5u << 8),
    };
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
        assert_int_equal(rtm_tlsf_init_abi(&t, g_arena, 4096, wrong[i]), RTM_ERR_ARG);
        assert_int_equal(t.fault.count, 1);
        assert_null(rtm_tlsf_alloc(&t, 8));
    }
#endif
    assert_int_equal(rtm_tlsf_init_abi(&t, g_arena, 4096, RTM_TLSF_ABI), RTM_OK);
    assert_true(RTM_TLSF_FL_COUNT(ARENA_64K) == 16u - RTM_TLSF_FL_SHIFT + 1u);
    assert_int_equal(RTM_TLSF_FL_COUNT(1), 1);
    assert_int_equal(RTM_TLSF_BLOCK_SIZE(1), RTM_TLSF_MIN_BLOCK);
    assert_int_equal(RTM_TLSF_BLOCK_SIZE(100), RTM_ALIGN_UP(100u + RTM_TLSF_BLOCK_EXTRA, RTM_TLSF_ALIGN));
}

/* ---- alloc / calloc / free ---------------------------------------------- */

static void test_alloc_basic(void **state)
{
    (void)state;
    rtm_tlsf_t t;
    setup(&t, ARENA_64K);
    size_t total = rtm_tlsf_free_bytes(&t);
    assert_null(rtm_tlsf_alloc(NULL, 8));
    assert_null(rtm_tlsf_alloc(&t, 0));
    assert_null(rtm_tlsf_alloc(&t, SIZE_MAX));
    assert_null(rtm_tlsf_alloc(&t, SIZE_MAX - RTM_TLSF_WORD_SIZE));
    assert_null(rtm_tlsf_alloc(&t, total));
    rtm_stats_t st;
    rtm_tlsf_stats(&t, &st);
    assert_int_equal(st.failed_allocs, 3);
    check_ok(&t);

    /* The whole heap in one block. */
    void *all = rtm_tlsf_alloc(&t, total - RTM_TLSF_BLOCK_EXTRA);
    assert_non_null(all);
    assert_int_equal(rtm_tlsf_free_bytes(&t), 0);
    assert_int_equal(rtm_tlsf_largest_free(&t), 0);
    check_ok(&t);
    assert_null(rtm_tlsf_alloc(&t, 1));
    assert_int_equal(rtm_tlsf_free(&t, all), RTM_OK);
    assert_int_equal(rtm_tlsf_free_bytes(&t), total);

    void *p[64];
    for (size_t i = 0; i < 64; i++) {
        size_t n = 1u + i * 17u;
        p[i] = rtm_tlsf_alloc(&t, n);
        assert_non_null(p[i]);
        assert_int_equal((uintptr_t)p[i] % RTM_TLSF_ALIGN, 0);
        assert_true(rtm_tlsf_usable_size(&t, p[i]) >= n);
        assert_true(rtm_tlsf_usable_size(&t, p[i]) < n + RTM_TLSF_MIN_BLOCK);
        memset(p[i], 0xA5, n);
        check_ok(&t);
    }
    for (size_t i = 0; i < 64; i += 2) {
        assert_int_equal(rtm_tlsf_free(&t, p[i]), RTM_OK);
        check_ok(&t);
    }
    for (size_t i = 1; i < 64; i += 2) {
        assert_int_equal(rtm_tlsf_free(&t, p[i]), RTM_OK);
        check_ok(&t);
    }
    rtm_tlsf_stats(&t, &st);
    assert_int_equal(st.free_blocks, 1);
    assert_int_equal(st.used_blocks, 0);
    assert_int_equal(st.free_bytes, total);
    assert_int_equal(st.alloc_count, 65);
    assert_int_equal(st.free_count, 65);
    assert_int_equal(g_faults, 0);
    assert_int_equal(rtm_tlsf_free(&t, NULL), RTM_OK);
    assert_int_equal(rtm_tlsf_free(NULL, p[0]), RTM_ERR_NULL);
}

static void test_coalesce_all_orders(void **state)
{
    (void)state;
    rtm_tlsf_t t;
    setup(&t, 8192);
    size_t total = rtm_tlsf_free_bytes(&t);
    static const int orders[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    for (int o = 0; o < 6; o++) {
        void *p[4];
        for (int i = 0; i < 4; i++) {
            p[i] = rtm_tlsf_alloc(&t, 100);
            assert_non_null(p[i]);
        }
        for (int i = 0; i < 3; i++) {
            assert_int_equal(rtm_tlsf_free(&t, p[orders[o][i]]), RTM_OK);
            check_ok(&t);
        }
        assert_int_equal(rtm_tlsf_free(&t, p[3]), RTM_OK);
        rtm_stats_t st;
        rtm_tlsf_stats(&t, &st);
        assert_int_equal(st.free_blocks, 1);
        assert_int_equal(st.free_bytes, total);
    }
}

static void test_calloc_zeroes(void **state)
{
    (void)state;
    rtm_tlsf_t t;
    setup(&t, 8192);
    void *p = rtm_tlsf_alloc(&t, 500);
    memset(p, 0xFF, 500);
    assert_int_equal(rtm_tlsf_free(&t, p), RTM_OK);
    uint8_t *q = rtm_tlsf_calloc(&t, 50, 10);
    assert_non_null(q);
    for (int i = 0; i < 500; i++) {
        assert_int_equal(q[i], 0);
    }
    assert_null(rtm_tlsf_calloc(&t, SIZE_MAX / 2, 3));
    assert_null(rtm_tlsf_calloc(&t, 0, 10));
    assert_null(rtm_tlsf_calloc(NULL, 1, 10));
    rtm_stats_t st;
    rtm_tlsf_stats(&t, &st);
    assert_int_equal(st.failed_allocs, 1);
    check_ok(&t);
}

/* ---- Bad input ---------------------------------------------------------- */

static void test_free_bad_pointers(void **state)
{
    (void)state;
    rtm_tlsf_t t;
    uint8_t *a, *b, *c;
    void *cap = setup_row(&t, 8192, true, 64, &a, &b, &c);
    uint8_t *wall = rtm_tlsf_alloc(&t, 64);
    memset(a, 0, 64);
    memset(b, 0, 64);
    memset(wall, 0, 64);
    int local = 0;
    expect_fault(&t, &local, RTM_ERR_FOREIGN_PTR);
    expect_fault(&t, g_arena, RTM_ERR_FOREIGN_PTR);           /* control structure */
    expect_fault(&t, g_arena + 8192 + 64, RTM_ERR_FOREIGN_PTR);
    expect_fault(&t, b + 1, RTM_ERR_INTERIOR_PTR);
    expect_fault(&t, b + 8, RTM_ERR_INTERIOR_PTR);            /* zero "header" */
    check_ok(&t);

    assert_int_equal(rtm_tlsf_free(&t, b), RTM_OK);
    expect_fault(&t, b, RTM_ERR_DOUBLE_FREE);
    check_ok(&t);
    /* realloc reports the same faults and returns NULL. */
    int before = g_faults;
    assert_null(rtm_tlsf_realloc(&t, b, 10));
    assert_int_equal(g_faults, before + 1);
    assert_int_equal(g_last, RTM_ERR_DOUBLE_FREE);
    assert_null(rtm_tlsf_realloc(&t, &local, 10));
    assert_int_equal(g_last, RTM_ERR_FOREIGN_PTR);

    /* Corrupted header: another size no longer matches the check byte, so
     * the word is not a header of this address. */
    rtm_tw_t *h = header_of(c);
    rtm_tw_t saved = *h;
    *h = saved + (rtm_tw_t)RTM_TLSF_ALIGN;
    expect_fault(&t, c, RTM_ERR_INTERIOR_PTR);
    *h = saved;
    /* Corrupted state bits. */
    *h = (rtm_tw_t)(saved & (rtm_tw_t)~RTM_TF_MASK);
    expect_fault(&t, c, RTM_ERR_INTERIOR_PTR);
    *h = saved;
    /* Corrupted size copy of the free predecessor (b is free, before c). */
    rtm_tw_t *copy = (rtm_tw_t *)(h) - 1;
    rtm_tw_t saved_copy = *copy;
    *copy = saved_copy + (rtm_tw_t)RTM_TLSF_ALIGN;
    expect_fault(&t, c, RTM_ERR_CORRUPT);
    rtm_check_t r;
    assert_int_equal(rtm_tlsf_check(&t, &r), RTM_ERR_CORRUPT);
    *copy = saved_copy;
    /* A foreign block header planted in a live payload (interior pointer
     * whose bytes look free). */
    check_ok(&t);
    assert_int_equal(rtm_tlsf_free(&t, a), RTM_OK);
    assert_int_equal(rtm_tlsf_free(&t, c), RTM_OK);
    assert_int_equal(rtm_tlsf_free(&t, wall), RTM_OK);
    assert_int_equal(rtm_tlsf_free(&t, cap), RTM_OK);
    check_ok(&t);
    rtm_stats_t st;
    rtm_tlsf_stats(&t, &st);
    assert_int_equal(st.faults, (size_t)g_faults);
    assert_int_equal(st.used_blocks, 0);
}

static void test_check_detects_damage(void **state)
{
    (void)state;
    rtm_tlsf_t t;
    rtm_check_t r;
    assert_int_equal(rtm_tlsf_check(NULL, &r), RTM_ERR_NULL);
    uint8_t *a, *b, *c;
    (void)setup_row(&t, 8192, false, 64, &a, &b, &c);
    assert_int_equal(rtm_tlsf_free(&t, b), RTM_OK);
    check_ok(&t);
    /* Free-list link of b. */
    rtm_tw_t *link = header_of(b) + 1;
    rtm_tw_t saved = *link;
    *link = (rtm_tw_t)(saved + 8u);
    assert_int_equal(rtm_tlsf_check(&t, &r), RTM_ERR_CORRUPT);
    assert_string_not_equal(r.what, "ok");
    *link = saved;
    link = header_of(b) + 2;
    saved = *link;
    *link = (rtm_tw_t)(saved + 8u);
    assert_int_equal(rtm_tlsf_check(&t, &r), RTM_ERR_CORRUPT);
    *link = saved;
    /* Bitmap. */
    rtm_tlsf_sl_t sb = t.sl[0];
    t.sl[0] ^= 1u;
    assert_int_equal(rtm_tlsf_check(&t, &r), RTM_ERR_CORRUPT);
    t.sl[0] = sb;
    uint32_t fb = t.fl_map;
    t.fl_map ^= 1u;
    assert_int_equal(rtm_tlsf_check(&t, &r), RTM_ERR_CORRUPT);
    t.fl_map = fb;
    t.fl_map |= 1u << t.fl_count;
    assert_int_equal(rtm_tlsf_check(&t, &r), RTM_ERR_CORRUPT);
    t.fl_map = fb;
    /* PREV_FREE bit of c. */
    *header_of(c) ^= RTM_TF_PREV_FREE;
    assert_int_equal(rtm_tlsf_check(&t, &r), RTM_ERR_CORRUPT);
    *header_of(c) ^= RTM_TF_PREV_FREE;
    /* Used header size. */
    *header_of(a) += (rtm_tw_t)RTM_TLSF_ALIGN;
    assert_int_equal(rtm_tlsf_check(&t, &r), RTM_ERR_CORRUPT);
    *header_of(a) -= (rtm_tw_t)RTM_TLSF_ALIGN;
    /* Counters. */
    t.alloc_count++; /* used blocks = alloc_count - free_count */
    assert_int_equal(rtm_tlsf_check(&t, &r), RTM_ERR_CORRUPT);
    t.alloc_count--;
    t.used_bytes += 8;
    assert_int_equal(rtm_tlsf_check(&t, &r), RTM_ERR_CORRUPT);
    t.used_bytes -= 8;
    check_ok(&t);
    assert_int_equal(r.err, RTM_ERR_CORRUPT); /* previous report kept its error */
    assert_int_equal(rtm_tlsf_check(&t, NULL), RTM_OK);
    rtm_tlsf_t dead;
    memset(&dead, 0, sizeof(dead));
    assert_int_equal(rtm_tlsf_check(&dead, &r), RTM_ERR_STATE);
}

/* A corrupted free block handed out by alloc is reported, not used. */
static void test_alloc_detects_corrupt_list(void **state)
{
    (void)state;
    rtm_tlsf_t t;
    uint8_t *a, *b;
    (void)setup_row(&t, 8192, false, 64, &a, &b, NULL);
    assert_int_equal(rtm_tlsf_free(&t, a), RTM_OK);
    rtm_tw_t *h = header_of(a);
    rtm_tw_t saved = *h;
    *h = (rtm_tw_t)((saved & (rtm_tw_t)~RTM_TF_MASK) | RTM_TF_USED);
    assert_null(rtm_tlsf_alloc(&t, 60));
    assert_int_equal(g_last, RTM_ERR_CORRUPT);
    *h = saved;
    check_ok(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_and_sizes),
        cmocka_unit_test(test_alloc_basic),
        cmocka_unit_test(test_coalesce_all_orders),
        cmocka_unit_test(test_calloc_zeroes),
        cmocka_unit_test(test_free_bad_pointers),
        cmocka_unit_test(test_check_detects_damage),
        cmocka_unit_test(test_alloc_detects_corrupt_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
