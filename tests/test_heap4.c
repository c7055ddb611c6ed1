/* heap_4 tests: layout numbers, split rule, coalescing, bad input, stats,
 * calloc, clear-on-free, integrity check, protector (in protector builds). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "freelist.h"
#include "rtmem/heap4.h"
#include "test_heap_util.h"

#define BUF 8192u
static _Alignas(64) uint8_t g_buf[BUF + 128u];
static rtm_heap4_t g_h;
static fault_log_t g_log;

static size_t setup_at(size_t off, size_t size)
{
    memset(&g_log, 0, sizeof g_log);
    assert_int_equal(rtm_heap4_init(&g_h, g_buf + off, size), RTM_OK);
    rtm_heap4_set_fault_hook(&g_h, log_fault, &g_log);
    return region_free((uintptr_t)(g_buf + off), size);
}

static size_t bsize_of(const rtm_fl_link_t *b)
{
    return b->size & ~RTM_FL_USED_BIT;
}

static void assert_ok(void)
{
    rtm_check_t r;
    assert_int_equal(rtm_heap4_check(&g_h, &r), RTM_OK);
    assert_string_equal(r.what, "ok");
}

static void test_init_free_bytes(void **state)
{
    (void)state;
    for (size_t off = 0; off < 2u * A; off++) {
        for (size_t size = 1000; size < 1000u + 2u * A; size++) {
            size_t exp = setup_at(off, size);
            assert_int_equal(rtm_heap4_free_bytes(&g_h), exp);
            assert_int_equal(rtm_heap4_min_ever_free(&g_h), exp);
            assert_int_equal(exp % A, 0);
            assert_ok();
        }
    }
    /* aligned start: nothing skipped, the marker takes H rounded down */
    assert_int_equal(setup_at(0, BUF), BUF - H);
}

static void test_init_rejects(void **state)
{
    (void)state;
    rtm_heap4_t h;
    memset(&h, 0xA5, sizeof h);
    assert_int_equal(rtm_heap4_init(NULL, g_buf, BUF), RTM_ERR_NULL);
    assert_int_equal(rtm_heap4_init(&h, NULL, BUF), RTM_ERR_NULL);
    assert_int_equal(rtm_heap4_init(&h, g_buf, H + MINB - 1u), RTM_ERR_ARG);
    assert_int_equal(rtm_heap4_init(&h, g_buf + 1, H + MINB), RTM_ERR_ARG);
    assert_int_equal(rtm_heap4_init(&h, (void *)(UINTPTR_MAX - 64u), 1000), RTM_ERR_ARG);
    /* regions whose rounded start or end wraps the address space: the end
     * marker of a tiny region at the bottom lands below its start, the
     * aligned start of one just below the top lands at 0 */
    for (size_t n = 0; n < H; n++) {
        assert_int_equal(rtm_heap4_init(&h, (void *)(uintptr_t)1u, n), RTM_ERR_ARG);
        assert_int_equal(rtm_heap4_init(&h, (void *)(UINTPTR_MAX - n), n), RTM_ERR_ARG);
    }
    assert_int_equal(h.fl.free_bytes, (size_t)0xA5A5A5A5A5A5A5A5ull);
    /* the canary entry refuses the same, and no byte of h (its span, which
     * the core's init finds right after the free list, included) changes */
    {
        rtm_heap4_t before;
        memcpy(&before, &h, sizeof h);
        assert_int_equal(rtm_heap4_init_canary(NULL, g_buf, BUF, 8u), RTM_ERR_NULL);
        assert_int_equal(rtm_heap4_init_canary(&h, NULL, BUF, 8u), RTM_ERR_NULL);
        assert_int_equal(rtm_heap4_init_canary(&h, g_buf, H + MINB - 1u, 8u), RTM_ERR_ARG);
        assert_int_equal(rtm_heap4_init_canary(&h, (void *)(UINTPTR_MAX - 64u), 1000, 8u),
                         RTM_ERR_ARG);
        assert_memory_equal(&before, &h, sizeof h);
    }
    /* half the address space or more: the block's size word would carry
     * the allocated bit; refused before anything is written (the marker
     * would land far outside the buffer) */
    {
        rtm_heap4_t before;
        memcpy(&before, &h, sizeof h);
        assert_int_equal(rtm_heap4_init(&h, g_buf, (SIZE_MAX >> 1) + 1u), RTM_ERR_ARG);
        assert_int_equal(rtm_heap4_init(&h, g_buf, (SIZE_MAX >> 1) + 1u + 64u), RTM_ERR_ARG);
        assert_memory_equal(&before, &h, sizeof h);
    }
    /* smallest accepted: a free block of exactly the minimum block */
    assert_int_equal(rtm_heap4_init(&h, g_buf, H + MINB), RTM_OK);
    assert_int_equal(rtm_heap4_free_bytes(&h), MINB);
    assert_non_null(rtm_heap4_alloc(&h, MINB - H));
    assert_int_equal(rtm_heap4_free_bytes(&h), 0);
    /* the same from a misaligned start: the bytes skipped up to the aligned
     * start come on top, one byte fewer is refused */
    for (size_t skip = 1; skip < A; skip++) {
        uint8_t *start = g_buf + A - skip;
        assert_int_equal(rtm_heap4_init(&h, start, skip + H + MINB - 1u), RTM_ERR_ARG);
        assert_int_equal(rtm_heap4_init(&h, start, skip + H + MINB), RTM_OK);
        assert_int_equal(rtm_heap4_free_bytes(&h), MINB);
    }
}

static void test_alloc_charges_block_size(void **state)
{
    (void)state;
    for (size_t off = 0; off < A; off += 3u) {
        size_t exp = setup_at(off, BUF);
        for (size_t n = 1; n < 200u; n += 7u) {
            void *p = rtm_heap4_alloc(&g_h, n);
            assert_non_null(p);
            assert_true(is_aligned(p));
            assert_true((uint8_t *)p >= g_buf + off && (uint8_t *)p + n <= g_buf + off + BUF);
            exp -= charge(n);
            assert_int_equal(rtm_heap4_free_bytes(&g_h), exp);
            assert_int_equal(rtm_heap4_usable_size(&g_h, p), charge(n) - H);
            memset(p, 0x5A, n);
            assert_ok();
        }
        assert_int_equal(rtm_heap4_min_ever_free(&g_h), exp);
    }
}

static void test_alloc_bad_sizes(void **state)
{
    (void)state;
    size_t exp = setup_at(0, BUF);
    size_t sizes[] = {0, SIZE_MAX, SIZE_MAX - H, SIZE_MAX / 2u, SIZE_MAX / 2u - H - A + 2u, BUF};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        assert_null(rtm_heap4_alloc(&g_h, sizes[i]));
    }
    rtm_stats_t s;
    rtm_heap4_stats(&g_h, &s);
    assert_int_equal(s.failed_allocs, 6);
    assert_int_equal(s.alloc_count, 0);
    assert_int_equal(s.faults, 0);
    assert_int_equal(rtm_heap4_free_bytes(&g_h), exp);
    assert_null(rtm_heap4_alloc(NULL, 8));
    assert_int_equal(g_log.calls, 0);
    /* the whole free block fits exactly */
    assert_non_null(rtm_heap4_alloc(&g_h, exp - H));
    assert_int_equal(rtm_heap4_free_bytes(&g_h), 0);
    assert_null(rtm_heap4_alloc(&g_h, 1));
    assert_ok();
}

/* rest == MINB: no split, the block is taken whole; rest == MINB + A: split */
static void test_split_boundary(void **state)
{
    (void)state;
    size_t f = setup_at(0, BUF);
    void *p = rtm_heap4_alloc(&g_h, f - MINB - H);
    assert_non_null(p);
    assert_int_equal(rtm_heap4_free_bytes(&g_h), 0);
    assert_int_equal(rtm_heap4_usable_size(&g_h, p), f - H);
    assert_ok();

    f = setup_at(0, BUF);
    p = rtm_heap4_alloc(&g_h, f - MINB - A - H);
    assert_non_null(p);
    assert_int_equal(rtm_heap4_free_bytes(&g_h), MINB + A);
    rtm_stats_t s;
    rtm_heap4_stats(&g_h, &s);
    assert_int_equal(s.free_blocks, 1);
    assert_int_equal(s.largest_free, MINB + A);
    assert_ok();
}

/* a, b, c, d in a row (d keeps the tail allocated) */
static void four(void **v)
{
    setup_at(0, BUF);
    for (int i = 0; i < 4; i++) {
        v[i] = rtm_heap4_alloc(&g_h, 40);
        assert_non_null(v[i]);
    }
}

static size_t nfree_blocks(void)
{
    rtm_stats_t s;
    rtm_heap4_stats(&g_h, &s);
    return s.free_blocks;
}

static void test_coalesce_cases(void **state)
{
    (void)state;
    void *v[4];
    size_t c = charge(40);
    /* none: [a][B][c] stays apart */
    four(v);
    assert_int_equal(rtm_heap4_free(&g_h, v[1]), RTM_OK);
    assert_int_equal(nfree_blocks(), 2);
    assert_ok();
    /* prev: [A][b] -> [--A--] */
    assert_int_equal(rtm_heap4_free(&g_h, v[0]), RTM_OK);
    assert_int_equal(nfree_blocks(), 2);
    rtm_stats_t s;
    rtm_heap4_stats(&g_h, &s);
    assert_int_equal(s.smallest_free, 2u * c);
    assert_ok();
    /* next: [c][D][tail] -> [--D+tail--] and prev */
    four(v);
    assert_int_equal(rtm_heap4_free(&g_h, v[2]), RTM_OK);
    assert_int_equal(rtm_heap4_free(&g_h, v[1]), RTM_OK); /* merges with c (next) */
    assert_int_equal(nfree_blocks(), 2);
    rtm_heap4_stats(&g_h, &s);
    assert_int_equal(s.smallest_free, 2u * c);
    assert_ok();
    /* both: [A][b][C] -> free b -> one block */
    four(v);
    assert_int_equal(rtm_heap4_free(&g_h, v[0]), RTM_OK);
    assert_int_equal(rtm_heap4_free(&g_h, v[2]), RTM_OK);
    assert_int_equal(nfree_blocks(), 3);
    assert_int_equal(rtm_heap4_free(&g_h, v[1]), RTM_OK);
    assert_int_equal(nfree_blocks(), 2);
    rtm_heap4_stats(&g_h, &s);
    assert_int_equal(s.smallest_free, 3u * c);
    assert_ok();
    /* all back: one block of the initial size */
    assert_int_equal(rtm_heap4_free(&g_h, v[3]), RTM_OK);
    assert_int_equal(nfree_blocks(), 1);
    assert_int_equal(rtm_heap4_free_bytes(&g_h), BUF - H);
    assert_ok();
}

static void test_first_fit_reuses_lowest(void **state)
{
    (void)state;
    void *v[4];
    four(v);
    assert_int_equal(rtm_heap4_free(&g_h, v[0]), RTM_OK);
    assert_int_equal(rtm_heap4_free(&g_h, v[2]), RTM_OK);
    assert_ptr_equal(rtm_heap4_alloc(&g_h, 8), v[0]);
    assert_ok();
}

static void test_free_bad_pointers(void **state)
{
    (void)state;
    void *v[4];
    int local = 0;
    four(v);
    size_t f = rtm_heap4_free_bytes(&g_h);
    assert_int_equal(rtm_heap4_free(&g_h, NULL), RTM_OK);
    assert_int_equal(g_log.calls, 0);
    assert_int_equal(rtm_heap4_free(&g_h, &local), RTM_ERR_FOREIGN_PTR);
    assert_int_equal(g_log.last, RTM_ERR_FOREIGN_PTR);
    assert_ptr_equal(g_log.ptr, &local);
    assert_int_equal(rtm_heap4_free(&g_h, g_buf + BUF + 64u), RTM_ERR_FOREIGN_PTR);
    assert_int_equal(rtm_heap4_free(&g_h, (void *)(uintptr_t)4), RTM_ERR_FOREIGN_PTR);
    assert_int_equal(rtm_heap4_free(&g_h, (uint8_t *)v[1] + 1), RTM_ERR_INTERIOR_PTR);
    memset(v[1], 0, 40);
    rtm_err_t e = rtm_heap4_free(&g_h, (uint8_t *)v[1] + A);
    assert_int_equal(e, RTM_ERR_INTERIOR_PTR);
    assert_int_equal(rtm_heap4_free(&g_h, NULL), RTM_OK);
    assert_int_equal(rtm_heap4_free(NULL, v[1]), RTM_ERR_NULL);
    assert_int_equal(rtm_heap4_free(&g_h, v[1]), RTM_OK);
    assert_int_equal(rtm_heap4_free(&g_h, v[1]), RTM_ERR_DOUBLE_FREE);
    /* freed and merged into its free neighbour: still a double free */
    assert_int_equal(rtm_heap4_free(&g_h, v[0]), RTM_OK);
    assert_int_equal(rtm_heap4_free(&g_h, v[1]), RTM_ERR_DOUBLE_FREE);
    /* beyond the last allocation, inside the big free block: whatever the
     * bytes there, not a live block */
    e = rtm_heap4_free(&g_h, (uint8_t *)v[3] + charge(40) + 4u * A);
    assert_true(e == RTM_ERR_DOUBLE_FREE || e == RTM_ERR_INTERIOR_PTR || e == RTM_ERR_CORRUPT);
    rtm_stats_t s;
    rtm_heap4_stats(&g_h, &s);
    assert_int_equal(s.faults, 8);
    assert_int_equal(s.free_count, 2);
    assert_int_equal(rtm_heap4_free_bytes(&g_h), f + 2u * charge(40));
    assert_ok();
}

/* Bytes filled with one pattern (the allocated bit set) never read as a
 * live header, at any address of the heap: the two words are equal, and the
 * check word would need the address 0 (unkeyed builds; under a canary the
 * canary decides). */
static void test_check_word_fill(void **state)
{
    (void)state;
    setup_at(0, BUF);
    if (RTMEM_CFG_HEAP_PROTECTOR || RTMEM_CFG_HARDEN >= 1) {
        skip();
    }
    for (unsigned c = 0x80u; c <= 0xFFu; c++) {
        for (size_t off = 0; off + H <= BUF; off += A) {
            rtm_fl_link_t *b = (rtm_fl_link_t *)(void *)(g_buf + off);
            memset(b, (int)c, sizeof *b);
            assert_false(rtm_fl_live(&g_h.fl, b));
        }
    }
    setup_at(0, BUF);
}

/* Interior pointer whose bytes look like a live header (allocated bit, a
 * plausible size, the link an allocated block had before the check word):
 * the check word tells it from a block, in O(1). */
static void test_free_fake_header(void **state)
{
    (void)state;
    void *p;
    setup_at(0, BUF);
    p = rtm_heap4_alloc(&g_h, 256);
    assert_non_null(rtm_heap4_alloc(&g_h, 16));
    rtm_fl_link_t *fake = (rtm_fl_link_t *)((uint8_t *)p + 2u * A); /* inside p */
    fake->size = charge(16) | RTM_FL_USED_BIT;
    fake->next = (rtm_fl_link_t *)(g_h.fl.canary); /* the encoded NULL */
    size_t f = rtm_heap4_free_bytes(&g_h);
    rtm_err_t e = rtm_heap4_free(&g_h, (uint8_t *)fake + H);
    assert_int_equal(e, RTM_ERR_CORRUPT);
    assert_int_equal(g_log.last, RTM_ERR_CORRUPT);
    assert_int_equal(rtm_heap4_free_bytes(&g_h), f);
    assert_int_equal(rtm_heap4_usable_size(&g_h, (uint8_t *)fake + H), 0);
    assert_int_equal(g_log.calls, 2);
    assert_ok();
}

static void test_free_corrupt_header(void **state)
{
    (void)state;
    void *v[4];
    four(v);
    size_t f = rtm_heap4_free_bytes(&g_h);
    rtm_fl_link_t *b = (rtm_fl_link_t *)((uint8_t *)v[1] - H);
    rtm_fl_link_t saved = *b;
    b->next = (rtm_fl_link_t *)(uintptr_t)0x1234u;
    assert_int_equal(rtm_heap4_free(&g_h, v[1]), RTM_ERR_CORRUPT);
    *b = saved;
    b->size = (BUF * 4u) | RTM_FL_USED_BIT; /* runs over the heap end */
    assert_int_equal(rtm_heap4_free(&g_h, v[1]), RTM_ERR_CORRUPT);
    rtm_check_t r;
    assert_int_equal(rtm_heap4_check(&g_h, &r), RTM_ERR_CORRUPT);
    assert_ptr_equal(r.where, b);
    *b = saved;
    assert_int_equal(rtm_heap4_free_bytes(&g_h), f);
    assert_ok();
    assert_int_equal(rtm_heap4_free(&g_h, v[1]), RTM_OK);
    assert_int_equal(g_log.calls, 2);
}

static void test_check_finds_damage(void **state)
{
    (void)state;
    void *v[4];
    rtm_check_t r;
    four(v);
    assert_int_equal(rtm_heap4_free(&g_h, v[1]), RTM_OK);
    rtm_fl_link_t *b = (rtm_fl_link_t *)((uint8_t *)v[1] - H);
    size_t saved = b->size;
    b->size += A; /* overlaps c */
    assert_int_equal(rtm_heap4_check(&g_h, &r), RTM_ERR_CORRUPT);
    assert_int_equal(r.err, RTM_ERR_CORRUPT);
    assert_string_not_equal(r.what, "ok");
    b->size = saved;
    g_h.fl.free_bytes += A; /* counter disagrees with the list */
    assert_int_equal(rtm_heap4_check(&g_h, NULL), RTM_ERR_CORRUPT);
    g_h.fl.free_bytes -= A;
    g_h.fl.alloc_count++; /* live blocks = allocs - frees */
    assert_int_equal(rtm_heap4_check(&g_h, &r), RTM_ERR_CORRUPT);
    g_h.fl.alloc_count--;
    assert_int_equal(rtm_heap4_check(&g_h, &r), RTM_OK);
    assert_int_equal(r.blocks, 5);
    assert_int_equal(r.free_blocks, 2);
    assert_int_equal(r.free_bytes, rtm_heap4_free_bytes(&g_h));
}

static void test_stats_fields(void **state)
{
    (void)state;
    rtm_stats_t s;
    size_t f = setup_at(0, BUF);
    rtm_heap4_stats(&g_h, &s);
    assert_int_equal(s.total_bytes, f);
    assert_int_equal(s.free_bytes, f);
    assert_int_equal(s.largest_free, f);
    assert_int_equal(s.smallest_free, f);
    assert_int_equal(s.free_blocks, 1);
    assert_int_equal(s.used_blocks, 0);
    void *p = rtm_heap4_alloc(&g_h, 100);
    void *q = rtm_heap4_alloc(&g_h, f - charge(100) - H); /* the rest, exactly */
    assert_non_null(p);
    assert_non_null(q);
    rtm_heap4_stats(&g_h, &s);
    assert_int_equal(s.free_blocks, 0);
    assert_int_equal(s.largest_free, 0);
    assert_int_equal(s.smallest_free, 0); /* upstream: portMAX_DELAY */
    assert_int_equal(s.used_blocks, 2);
    assert_int_equal(s.min_ever_free, 0);
    assert_int_equal(rtm_heap4_free(&g_h, p), RTM_OK);
    rtm_heap4_stats(&g_h, &s);
    assert_int_equal(s.free_bytes, charge(100));
    assert_int_equal(s.min_ever_free, 0);
    assert_int_equal(s.alloc_count, 2);
    assert_int_equal(s.free_count, 1);
    rtm_heap4_reset_min_ever_free(&g_h);
    assert_int_equal(rtm_heap4_min_ever_free(&g_h), charge(100));
}

static void test_calloc_zeroes(void **state)
{
    (void)state;
    size_t f = setup_at(0, BUF);
    memset(g_buf, 0xEE, sizeof g_buf);
    setup_at(0, BUF);
    uint8_t *p = rtm_heap4_calloc(&g_h, 7, 9);
    assert_non_null(p);
    for (int i = 0; i < 63; i++) {
        assert_int_equal(p[i], 0);
    }
    assert_int_equal(rtm_heap4_free_bytes(&g_h), f - charge(63));
    assert_null(rtm_heap4_calloc(&g_h, SIZE_MAX / 2u, 3));
    assert_null(rtm_heap4_calloc(&g_h, 0, 3));
    assert_null(rtm_heap4_calloc(&g_h, 3, 0));
    assert_null(rtm_heap4_calloc(NULL, 1, 1));
    rtm_stats_t s;
    rtm_heap4_stats(&g_h, &s);
    assert_int_equal(s.failed_allocs, 3);
    assert_ok();
}

static void test_clear_on_free(void **state)
{
    (void)state;
    setup_at(0, BUF);
    uint8_t *p = rtm_heap4_alloc(&g_h, 100);
    uint8_t *q = rtm_heap4_alloc(&g_h, 100);
    memset(p, 0x77, 100);
    memset(q, 0x77, 100);
    assert_int_equal(rtm_heap4_free(&g_h, p), RTM_OK);
    assert_int_equal(p[50], RTMEM_CFG_HARDEN >= 2 ? 0xA5 : 0x77); /* off by default (poison) */
    rtm_heap4_set_clear_on_free(&g_h, true);
    assert_int_equal(rtm_heap4_free(&g_h, q), RTM_OK);
    for (size_t i = 0; i < charge(100) - H; i++) {
        assert_int_equal(q[i], 0);
    }
    assert_ok();
}

static void test_default_hook_counts(void **state)
{
    (void)state;
    setup_at(0, BUF);
    rtm_heap4_set_fault_hook(&g_h, NULL, NULL);
    int local;
    if (!RTMEM_CFG_ASSERT) {
        assert_int_equal(rtm_heap4_free(&g_h, &local), RTM_ERR_FOREIGN_PTR);
        assert_int_equal(g_h.fl.fault.count, 1);
    }
    (void)local;
}

/* A damaged free-list link is caught, not followed (every build; the
 * protector also hides the plain address). */
static void test_protector_catches_link(void **state)
{
    (void)state;
    void *v[4];
    memset(&g_log, 0, sizeof g_log);
    assert_int_equal(rtm_heap4_init_canary(&g_h, g_buf, BUF, (uintptr_t)0x5EC7E7u * 8u), RTM_OK);
    /* the list init laid out is stored under the canary given */
    if (RTMEM_CFG_HEAP_PROTECTOR || RTMEM_CFG_HARDEN >= 1) {
        assert_true(g_h.fl.canary == (uintptr_t)0x5EC7E7u * 8u);
    }
    assert_int_equal(rtm_heap4_check(&g_h, NULL), RTM_OK);
    rtm_heap4_set_fault_hook(&g_h, log_fault, &g_log);
    for (int i = 0; i < 4; i++) {
        v[i] = rtm_heap4_alloc(&g_h, 40);
    }
    assert_int_equal(rtm_heap4_free(&g_h, v[1]), RTM_OK);
    assert_ok();
    rtm_fl_link_t *b = (rtm_fl_link_t *)((uint8_t *)v[1] - H);
    if (RTMEM_CFG_HEAP_PROTECTOR) { /* the stored link is not the plain pointer */
        assert_ptr_not_equal(b->next, (void *)((uint8_t *)v[3] + charge(40) - H));
    }
    rtm_fl_link_t *saved = b->next;
    b->next = (rtm_fl_link_t *)((uintptr_t)g_buf + A); /* plain overwrite, below b */
    size_t f = rtm_heap4_free_bytes(&g_h);
    assert_null(rtm_heap4_alloc(&g_h, 2000));
    assert_int_equal(g_log.last, RTM_ERR_CORRUPT);
    assert_int_equal(rtm_heap4_free(&g_h, v[2]), RTM_ERR_CORRUPT);
    assert_int_equal(rtm_heap4_check(&g_h, NULL), RTM_ERR_CORRUPT);
    assert_int_equal(rtm_heap4_free_bytes(&g_h), f);
    b->next = saved;
    assert_ok();
    assert_int_equal(rtm_heap4_free(&g_h, v[2]), RTM_OK);
    assert_ok();
}

/* A fresh heap holding nine 40-byte blocks v[0..8], v[0], v[2], v[4] and
 * v[6] freed: four listed free blocks, each between two live ones. */
static void comb(void *v[9])
{
    setup_at(0, BUF);
    for (size_t i = 0; i < 9; i++) {
        v[i] = rtm_heap4_alloc(&g_h, 40);
        assert_non_null(v[i]);
    }
    for (size_t i = 0; i < 8; i += 2) {
        assert_int_equal(rtm_heap4_free(&g_h, v[i]), RTM_OK);
    }
    assert_ok();
}

/* Every link the list walks follow is checked, at every position (the
 * walks take two links per turn): a link back to its own block, a cycle,
 * is refused at each of the first four listed blocks, by alloc and by
 * free, and reported at that block; the heap is untouched. */
static void test_walk_checks_each_link(void **state)
{
    (void)state;
    void *v[9];
    for (size_t k = 0; k < 4; k++) {
        comb(v);
        rtm_fl_link_t *b = (rtm_fl_link_t *)((uint8_t *)v[2 * k] - H);
        rtm_fl_link_t *saved = b->next;
        b->next = (rtm_fl_link_t *)((uintptr_t)b ^ rtm_fl_key(&g_h.fl));
        size_t f = rtm_heap4_free_bytes(&g_h);
        assert_null(rtm_heap4_alloc(&g_h, 2000));
        assert_int_equal(g_log.last, RTM_ERR_CORRUPT);
        assert_ptr_equal(g_log.ptr, b);
        g_log.ptr = NULL;
        assert_int_equal(rtm_heap4_free(&g_h, v[8]), RTM_ERR_CORRUPT);
        assert_ptr_equal(g_log.ptr, b);
        assert_int_equal(rtm_heap4_free_bytes(&g_h), f);
        b->next = saved;
        assert_ok();
        assert_int_equal(rtm_heap4_free(&g_h, v[8]), RTM_OK);
        assert_non_null(rtm_heap4_alloc(&g_h, 2000));
        assert_ok();
    }
}

/* free's walk measures every link against the block being freed: a link
 * that leads to that block itself, to a misaligned address just below it,
 * or past the end marker, held by any of the first four listed blocks, stops
 * the walk there and is reported at its holder by free (alloc refuses too);
 * nothing changes. */
static void test_free_walk_stops_at_damage(void **state)
{
    (void)state;
    void *v[9];
    for (size_t kind = 0; kind < 3; kind++) {
        for (size_t k = 0; k < 4; k++) {
            comb(v);
            rtm_fl_link_t *b = (rtm_fl_link_t *)((uint8_t *)v[2 * k] - H);
            uintptr_t freed = (uintptr_t)v[8] - H;
            uintptr_t to = kind == 0 ? freed : kind == 1 ? freed - A / 2u
                                                        : (uintptr_t)g_h.fl.end + A;
            rtm_fl_link_t *saved = b->next;
            b->next = (rtm_fl_link_t *)(to ^ rtm_fl_key(&g_h.fl));
            size_t f = rtm_heap4_free_bytes(&g_h);
            g_log.ptr = NULL;
            assert_int_equal(rtm_heap4_free(&g_h, v[8]), RTM_ERR_CORRUPT);
            assert_ptr_equal(g_log.ptr, b);
            assert_null(rtm_heap4_alloc(&g_h, 2000));
            assert_int_equal(g_log.last, RTM_ERR_CORRUPT);
            assert_int_equal(rtm_heap4_free_bytes(&g_h), f);
            b->next = saved;
            assert_ok();
            assert_int_equal(rtm_heap4_free(&g_h, v[8]), RTM_OK);
            assert_ok();
        }
    }
}

/* A live header whose size word was rewritten together with its check
 * word (bytes made to look like a larger or misaligned block) is refused by
 * free at that block: its end must be aligned and at most the end marker. */
static void test_free_checks_own_size(void **state)
{
    (void)state;
    const size_t bad[3] = {BUF * 2u, A / 2u, 0u};
    for (size_t i = 0; i < 3; i++) {
        setup_at(0, BUF);
        void *p = rtm_heap4_alloc(&g_h, 40);
        void *q = rtm_heap4_alloc(&g_h, 40);
        assert_non_null(q);
        rtm_fl_link_t *b = (rtm_fl_link_t *)((uint8_t *)p - H);
        rtm_fl_link_t saved = *b;
        size_t w = (bsize_of(b) + bad[i]) | RTM_FL_USED_BIT;
        if (bad[i] == 0u) {
            w = RTM_FL_USED_BIT; /* size 0: ends where it starts */
        }
        b->size = w;
        b->next = rtm_fl_chk(&g_h.fl, b, w);
        size_t f = rtm_heap4_free_bytes(&g_h);
        g_log.ptr = NULL;
        assert_int_equal(rtm_heap4_free(&g_h, p), RTM_ERR_CORRUPT);
        assert_ptr_equal(g_log.ptr, b);
        assert_int_equal(rtm_heap4_free_bytes(&g_h), f);
        *b = saved;
        assert_ok();
        assert_int_equal(rtm_heap4_free(&g_h, p), RTM_OK);
        assert_ok();
    }
}

/* A free block that reaches the end marker, whose link was rewritten to
 * point inside the block itself (aligned, above it, below the marker):
 * alloc refuses it at that block instead of taking the block and leaving
 * the list pointing into memory it hands out; nothing changes. Checked with
 * a split (small request) and without (the whole block). */
static void test_alloc_link_inside_block(void **state)
{
    (void)state;
    for (size_t i = 0; i < 2; i++) {
        size_t total = setup_at(0, BUF);
        rtm_fl_link_t *b = (rtm_fl_link_t *)(uintptr_t)g_h.span.first;
        rtm_fl_link_t *saved = b->next;
        size_t n = i == 0 ? 8u : total - H;
        assert_int_equal(bsize_of(b), total);
        b->next = (rtm_fl_link_t *)(((uintptr_t)b + 6u * A) ^ rtm_fl_key(&g_h.fl));
        g_log.ptr = NULL;
        assert_null(rtm_heap4_alloc(&g_h, n));
        assert_int_equal(g_log.last, RTM_ERR_CORRUPT);
        assert_ptr_equal(g_log.ptr, b);
        assert_int_equal(rtm_heap4_free_bytes(&g_h), total);
        b->next = saved;
        assert_ok();
        void *p = rtm_heap4_alloc(&g_h, n);
        assert_ptr_equal(p, (uint8_t *)b + H);
        assert_int_equal(rtm_heap4_free(&g_h, p), RTM_OK);
        assert_ok();
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_free_bytes),
        cmocka_unit_test(test_init_rejects),
        cmocka_unit_test(test_alloc_charges_block_size),
        cmocka_unit_test(test_alloc_bad_sizes),
        cmocka_unit_test(test_split_boundary),
        cmocka_unit_test(test_coalesce_cases),
        cmocka_unit_test(test_first_fit_reuses_lowest),
        cmocka_unit_test(test_free_bad_pointers),
        cmocka_unit_test(test_check_word_fill),
        cmocka_unit_test(test_free_fake_header),
        cmocka_unit_test(test_free_corrupt_header),
        cmocka_unit_test(test_check_finds_damage),
        cmocka_unit_test(test_stats_fields),
        cmocka_unit_test(test_calloc_zeroes),
        cmocka_unit_test(test_clear_on_free),
        cmocka_unit_test(test_default_hook_counts),
        cmocka_unit_test(test_protector_catches_link),
        cmocka_unit_test(test_walk_checks_each_link),
        cmocka_unit_test(test_free_walk_stops_at_damage),
        cmocka_unit_test(test_free_checks_own_size),
        cmocka_unit_test(test_alloc_link_inside_block),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
