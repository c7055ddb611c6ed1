/*
 * rtm_tlsf tests: realloc, aligned_alloc, regions, statistics and placement;
 * built against the same configurations as test_tlsf.c.
 */
#include "test_tlsf_util.h"

static _Alignas(64) uint8_t g_arena2[3][16384];

/* ---- realloc ------------------------------------------------------------ */

static void test_realloc_paths(void **state)
{
    (void)state;
    rtm_tlsf_t t;
    setup(&t, 16384);
    void *cap = ascending(&t);
    assert_null(rtm_tlsf_realloc(NULL, NULL, 8));
    uint8_t *p = rtm_tlsf_realloc(&t, NULL, 100); /* NULL -> alloc */
    assert_non_null(p);
    fill(p, 100, 1);
    uint8_t *q = rtm_tlsf_realloc(&t, p, 40); /* shrink in place */
    assert_ptr_equal(q, p);
    expect_fill(q, 40, 1);
    check_ok(&t);
    q = rtm_tlsf_realloc(&t, p, 400); /* grow in place: next is free */
    assert_ptr_equal(q, p);
    expect_fill(q, 40, 1);
    fill(q, 400, 2);
    check_ok(&t);
    uint8_t *wall = rtm_tlsf_alloc(&t, 16);
    q = rtm_tlsf_realloc(&t, p, rtm_tlsf_usable_size(&t, p)); /* same block size */
    assert_ptr_equal(q, p);
    q = rtm_tlsf_realloc(&t, p, 800); /* next is used: moves */
    assert_ptr_not_equal(q, p);
    expect_fill(q, 400, 2);
    check_ok(&t);
    /* Now [free 400][wall][q ...]: grow the wall into its free predecessor. */
    fill(wall, 16, 3);
    uint8_t *w2 = rtm_tlsf_realloc(&t, wall, 300);
    assert_ptr_equal(w2, p); /* moved down into the freed block */
    expect_fill(w2, 16, 3);
    check_ok(&t);
    /* Shrink a block whose next is used, by less than a minimum block. */
    size_t us = rtm_tlsf_usable_size(&t, w2);
    assert_ptr_equal(rtm_tlsf_realloc(&t, w2, us - 4), w2);
    assert_int_equal(rtm_tlsf_usable_size(&t, w2), us);
    check_ok(&t);
    /* Failure leaves the block valid. */
    assert_null(rtm_tlsf_realloc(&t, q, 1u << 20));
    assert_null(rtm_tlsf_realloc(&t, q, SIZE_MAX));
    expect_fill(q, 400, 2);
    check_ok(&t);
    /* size 0 frees. */
    assert_null(rtm_tlsf_realloc(&t, q, 0));
    assert_null(rtm_tlsf_realloc(&t, w2, 0));
    assert_int_equal(rtm_tlsf_free(&t, cap), RTM_OK);
    rtm_stats_t st;
    rtm_tlsf_stats(&t, &st);
    assert_int_equal(st.used_blocks, 0);
    assert_int_equal(st.free_blocks, 1);
    assert_int_equal(g_faults, 0);
    check_ok(&t);
}

/* ---- aligned_alloc ------------------------------------------------------ */

static void test_aligned_alloc(void **state)
{
    (void)state;
    rtm_tlsf_t t;
    setup(&t, BIG_ARENA);
    size_t total = rtm_tlsf_free_bytes(&t);
    void *keep[64];
    size_t nk = 0;
    for (size_t align = 1; align <= 4096; align <<= 1) {
        for (size_t n = 1; n < 3000; n = n * 3 + 1) {
            uint8_t *p = rtm_tlsf_aligned_alloc(&t, align, n);
            assert_non_null(p);
            assert_int_equal((uintptr_t)p % align, 0);
            assert_int_equal((uintptr_t)p % RTM_TLSF_ALIGN, 0);
            assert_true(rtm_tlsf_usable_size(&t, p) >= n);
            memset(p, 0x5A, n);
            check_ok(&t);
            if (nk < 64 && (n & 1u) != 0u) {
                keep[nk++] = p;
            } else {
                assert_int_equal(rtm_tlsf_free(&t, p), RTM_OK);
                check_ok(&t);
            }
        }
    }
    for (size_t i = 0; i < nk; i++) {
        assert_int_equal(rtm_tlsf_free(&t, keep[i]), RTM_OK);
    }
    check_ok(&t);
    assert_int_equal(rtm_tlsf_free_bytes(&t), total);
    assert_null(rtm_tlsf_aligned_alloc(&t, 24, 10));
    assert_null(rtm_tlsf_aligned_alloc(&t, 0, 10));
    assert_null(rtm_tlsf_aligned_alloc(&t, 64, 0));
    assert_null(rtm_tlsf_aligned_alloc(&t, (size_t)1 << (sizeof(size_t) * 8 - 1), 8));
    assert_null(rtm_tlsf_aligned_alloc(&t, 4096, SIZE_MAX - 100));
    assert_null(rtm_tlsf_aligned_alloc(NULL, 64, 10));
    check_ok(&t);
}

/* ---- Multi-region ------------------------------------------------------- */

static size_t g_walk_blocks, g_walk_used, g_walk_stop;
static bool walker(void *user, void *ptr, size_t size, bool used)
{
    (void)user;
    assert_int_equal((uintptr_t)ptr % RTM_TLSF_ALIGN, 0);
    assert_true(size >= RTM_TLSF_MIN_BLOCK - RTM_TLSF_BLOCK_EXTRA);
    g_walk_blocks++;
    g_walk_used += used ? 1u : 0u;
    return g_walk_blocks != g_walk_stop;
}

static void test_multi_region(void **state)
{
    (void)state;
    rtm_tlsf_t t;
    rtm_tlsf_t dead;
    memset(&dead, 0, sizeof(dead));
    assert_int_equal(rtm_tlsf_add_region(&dead, g_arena2[0], 1024), RTM_ERR_STATE);
    assert_int_equal(rtm_tlsf_init(&t, g_arena2[0], sizeof(g_arena2[0])), RTM_OK);
    rtm_tlsf_set_fault_hook(&t, hook, NULL);
    g_faults = 0;
    size_t t0 = rtm_tlsf_free_bytes(&t);
    assert_int_equal(rtm_tlsf_add_region(NULL, g_arena2[1], 1024), RTM_ERR_NULL);
    assert_int_equal(rtm_tlsf_add_region(&t, NULL, 1024), RTM_ERR_NULL);
    assert_int_equal(rtm_tlsf_add_region(&t, g_arena2[1], 3u * RTM_TLSF_WORD_SIZE + RTM_TLSF_MIN_BLOCK - 1u),
                     RTM_ERR_BAD_REGION);
    assert_int_equal(rtm_tlsf_add_region(&t, g_arena2[0] + 100, 1024), RTM_ERR_BAD_REGION);
    assert_int_equal(rtm_tlsf_add_region(&t, g_arena2[1], SIZE_MAX), RTM_ERR_BAD_REGION);
    assert_int_equal(rtm_tlsf_add_region(&t, g_arena, sizeof(g_arena)), RTM_ERR_BAD_REGION); /* too large */
    assert_int_equal(rtm_tlsf_add_region(&t, g_arena2[1], sizeof(g_arena2[1])), RTM_OK);
    assert_int_equal(rtm_tlsf_add_region(&t, g_arena2[2] + 3, sizeof(g_arena2[2]) - 3), RTM_OK);
    /* Inside the span of the regions so far: refused. */
    assert_int_equal(rtm_tlsf_add_region(&t, g_arena2[1] + 8, 4096), RTM_ERR_BAD_REGION);
    check_ok(&t);
    rtm_stats_t st;
    rtm_tlsf_stats(&t, &st);
    assert_int_equal(st.free_blocks, 3);
    assert_true(st.total_bytes > t0 + 2u * (16384u - 64u));
    assert_int_equal(rtm_tlsf_min_ever_free(&t), st.total_bytes);

    /* Fill with 1000-byte blocks: all three regions get used. */
    void *p[64];
    size_t n = 0;
    int in_region[3] = {0, 0, 0};
    while (n < 64 && (p[n] = rtm_tlsf_alloc(&t, 1000)) != NULL) {
        for (int r = 0; r < 3; r++) {
            uint8_t *q = p[n];
            in_region[r] += (q >= g_arena2[r] && q < g_arena2[r] + sizeof(g_arena2[r])) ? 1 : 0;
        }
        n++;
        check_ok(&t);
    }
    assert_true(n >= 45);
    assert_true(in_region[0] > 0 && in_region[1] > 0 && in_region[2] > 0);
    int local = 0;
    expect_fault(&t, &local, RTM_ERR_FOREIGN_PTR);
    g_walk_blocks = g_walk_used = 0;
    g_walk_stop = 0;
    assert_int_equal(rtm_tlsf_walk(&t, walker, NULL), RTM_OK);
    assert_int_equal(g_walk_used, n);
    assert_true(g_walk_blocks >= n && g_walk_blocks <= n + 3);
    g_walk_blocks = 0;
    g_walk_stop = 2;
    assert_int_equal(rtm_tlsf_walk(&t, walker, NULL), RTM_OK);
    assert_int_equal(g_walk_blocks, 2);
    assert_int_equal(rtm_tlsf_walk(NULL, walker, NULL), RTM_ERR_NULL);
    assert_int_equal(rtm_tlsf_walk(&t, NULL, NULL), RTM_ERR_NULL);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(rtm_tlsf_free(&t, p[i]), RTM_OK);
    }
    check_ok(&t);
    rtm_tlsf_stats(&t, &st);
    assert_int_equal(st.free_blocks, 3);
    assert_int_equal(st.free_bytes, st.total_bytes);
}

/* ---- Statistics --------------------------------------------------------- */

static void test_stats_and_min_ever(void **state)
{
    (void)state;
    rtm_tlsf_t t;
    setup(&t, ARENA_64K);
    size_t total = rtm_tlsf_free_bytes(&t);
    void *cap = ascending(&t);
    size_t capb = cap_block(cap);
    void *a = rtm_tlsf_alloc(&t, 1000);
    void *b = rtm_tlsf_alloc(&t, 2000);
    void *x = rtm_tlsf_alloc(&t, 16);
    void *c = rtm_tlsf_alloc(&t, 100);
    void *d = rtm_tlsf_alloc(&t, 8);
    (void)d;
    (void)x;
    size_t low = rtm_tlsf_free_bytes(&t);
    assert_int_equal(rtm_tlsf_min_ever_free(&t), low);
    assert_int_equal(rtm_tlsf_free(&t, b), RTM_OK);
    assert_int_equal(rtm_tlsf_min_ever_free(&t), low);
    rtm_tlsf_reset_min_ever_free(&t);
    assert_int_equal(rtm_tlsf_min_ever_free(&t), rtm_tlsf_free_bytes(&t));
    assert_int_equal(rtm_tlsf_free(&t, c), RTM_OK);
    rtm_stats_t st;
    rtm_tlsf_stats(&t, &st);
    assert_int_equal(st.total_bytes, total);
    assert_int_equal(st.free_blocks, 3);
    assert_int_equal(st.used_blocks, cap != NULL ? 4 : 3);
    /* Exact: the tail block is alone in the top class, the freed 100 block
     * alone in its (exact) small class. */
    assert_int_equal(st.largest_free, total - capb - RTM_TLSF_BLOCK_SIZE(1000) -
                                          RTM_TLSF_BLOCK_SIZE(2000) - RTM_TLSF_BLOCK_SIZE(16) -
                                          RTM_TLSF_BLOCK_SIZE(100) - RTM_TLSF_BLOCK_SIZE(8));
    assert_int_equal(st.smallest_free, RTM_TLSF_BLOCK_SIZE(100));
    assert_int_equal(st.alloc_count, cap != NULL ? 6 : 5);
    assert_int_equal(st.free_count, 2);
    assert_int_equal(st.failed_allocs, 0);
    assert_int_equal(st.faults, 0);
    assert_int_equal(rtm_tlsf_free(&t, a), RTM_OK);
    /* Requests up to largest_free - word always succeed. */
    size_t lf = rtm_tlsf_largest_free(&t);
    void *big = rtm_tlsf_alloc(&t, lf - RTM_TLSF_BLOCK_EXTRA);
    assert_non_null(big);
    assert_int_equal(rtm_tlsf_free(&t, big), RTM_OK);
    rtm_tlsf_stats(NULL, &st);
    rtm_tlsf_stats(&t, NULL);
    assert_int_equal(rtm_tlsf_free_bytes(NULL), 0);
    assert_int_equal(rtm_tlsf_min_ever_free(NULL), 0);
    assert_int_equal(rtm_tlsf_largest_free(NULL), 0);
    assert_int_equal(rtm_tlsf_usable_size(NULL, a), 0);
    assert_int_equal(rtm_tlsf_usable_size(&t, NULL), 0);
    rtm_tlsf_reset_min_ever_free(NULL);
    rtm_tlsf_set_fault_hook(NULL, hook, NULL);
    check_ok(&t);
}

/* ---- Placement ----------------------------------------------------------- */

/* The blocks in address order, as rtm_tlsf_walk gives them. */
typedef struct {
    size_t n;
    void *ptr[16];
    bool used[16];
} layout_t;

static bool record(void *user, void *ptr, size_t size, bool used)
{
    layout_t *l = user;
    (void)size;
    if (l->n < 16u) {
        l->ptr[l->n] = ptr;
        l->used[l->n] = used;
    }
    l->n++;
    return true;
}

static layout_t layout(const rtm_tlsf_t *t)
{
    layout_t l = {0};
    assert_int_equal(rtm_tlsf_walk(t, record, &l), RTM_OK);
    assert_true(l.n <= 16u);
    return l;
}

/* Small blocks come from the top of a free block whose upper neighbour is
 * small or the region's end, from the bottom when that neighbour is large;
 * large blocks the other way round. A block carved from the top merges down
 * when freed, and a second free of it is a double free, not damage. */
static void test_carve_placement(void **state)
{
    (void)state;
    rtm_tlsf_t t;
    setup(&t, 16384);
    uint8_t *p = rtm_tlsf_alloc(&t, 64);    /* below the region's end */
    uint8_t *q = rtm_tlsf_alloc(&t, 64);    /* below p (small) */
    uint8_t *big = rtm_tlsf_alloc(&t, RTM_TLSF_CARVE_LARGE + 100u); /* at the bottom */
    assert_non_null(p);
    assert_non_null(q);
    assert_non_null(big);
    layout_t l = layout(&t);
    assert_int_equal(l.n, 4);
    assert_ptr_equal(l.ptr[0], big);
    assert_false(l.used[1]);
    assert_ptr_equal(l.ptr[2], q);
    assert_ptr_equal(l.ptr[3], p);
    /* a block of at least NEAR bytes above the free block: small blocks now
     * come from its bottom, above big */
    uint8_t *cap = rtm_tlsf_alloc(&t, CAP_SIZE);
    uint8_t *r = rtm_tlsf_alloc(&t, 64);
    l = layout(&t);
    assert_int_equal(l.n, 6);
    assert_ptr_equal(l.ptr[1], r);
    assert_false(l.used[2]);
    assert_ptr_equal(l.ptr[3], cap);
    check_ok(&t);
    /* cap and q merge down when freed; their second frees are double frees */
    assert_int_equal(rtm_tlsf_free(&t, cap), RTM_OK);
    assert_int_equal(rtm_tlsf_free(&t, q), RTM_OK);
    assert_int_equal(layout(&t).n, 4);
    int before = g_faults;
    assert_int_equal(rtm_tlsf_free(&t, q), RTM_ERR_DOUBLE_FREE);
    assert_int_equal(rtm_tlsf_free(&t, cap), RTM_ERR_DOUBLE_FREE);
    assert_int_equal(g_faults, before + 2);
    assert_ptr_equal(g_last_ptr, cap);
    check_ok(&t);
    /* A used header that claims a free predecessor which is not there is
     * damage: p's predecessor is free, so damage r's (big is below it). */
    rtm_tw_t *h = header_of(r);
    rtm_tw_t saved = *h;
    *h = saved | RTM_TF_PREV_FREE;
    assert_int_equal(rtm_tlsf_free(&t, r), RTM_ERR_CORRUPT);
    *h = saved;
    check_ok(&t);
    assert_int_equal(rtm_tlsf_free(&t, r), RTM_OK);
    assert_int_equal(rtm_tlsf_free(&t, p), RTM_OK);
    assert_int_equal(rtm_tlsf_free(&t, big), RTM_OK);
    assert_int_equal(layout(&t).n, 1);
    check_ok(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_realloc_paths),
        cmocka_unit_test(test_aligned_alloc),
        cmocka_unit_test(test_multi_region),
        cmocka_unit_test(test_stats_and_min_ever),
        cmocka_unit_test(test_carve_placement),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
