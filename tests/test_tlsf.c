/*
 * rtm_tlsf tests. The same file is built against the library configurations
 * of tests/tlsf.cmake: default, portable CLZ, ALIGN 16 with 32 SL classes,
 * hardened (RTMEM_CFG_HARDEN=2), and test hooks (step counts).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rtm_internal.h"
#include "rtmem/hooks.h"
#include "rtmem/tlsf.h"
#include "tlsf_internal.h"

#define ARENA_64K 65536u
/* The largest arena most tests use: 1 MiB. */
#define BIG_ARENA ((size_t)(1u << 20))

static _Alignas(64) uint8_t g_arena[1u << 20];
static _Alignas(64) uint8_t g_arena2[3][16384];

static int g_faults;
static rtm_err_t g_last;
static const void *g_last_ptr;

static void hook(void *user, rtm_err_t reason, const void *obj, const void *ptr)
{
    (void)user;
    (void)obj;
    g_faults++;
    g_last = reason;
    g_last_ptr = ptr;
}

static uint64_t g_rng;
static uint64_t rnd(void)
{
    g_rng ^= g_rng >> 12;
    g_rng ^= g_rng << 25;
    g_rng ^= g_rng >> 27;
    return g_rng * 0x2545F4914F6CDD1Dull;
}
static size_t uniform(size_t a, size_t b)
{
    return a + (size_t)(rnd() % (uint64_t)(b - a + 1u));
}

static void check_ok(const rtm_tlsf_t *t)
{
    rtm_check_t r;
    rtm_err_t e = rtm_tlsf_check(t, &r);
    if (e != RTM_OK) {
        print_error("check: %s at %p\n", r.what, r.where);
    }
    assert_int_equal(e, RTM_OK);
}

static void setup(rtm_tlsf_t *t, size_t size)
{
    assert_int_equal(rtm_tlsf_init(t, g_arena, size), RTM_OK);
    rtm_tlsf_set_fault_hook(t, hook, NULL);
    g_faults = 0;
    g_last = RTM_OK;
    check_ok(t);
}

static rtm_tw_t *header_of(void *p)
{
    return (rtm_tw_t *)rtm_tlsf_block_of(p);
}

/* Tests that build exact layouts want blocks laid out upwards from the
 * arena's start. A small block is carved from the top of a free block whose
 * upper neighbour is small or the region's end, so first a "cap" of at least
 * RTM_TLSF_CARVE_NEAR bytes goes at the top (returned), and the blocks up to
 * RTM_TLSF_CARVE_LARGE bytes after it come from the bottom. */
#define CAP_SIZE ((size_t)RTM_TLSF_CARVE_NEAR + 40u)
static void *ascending(rtm_tlsf_t *t)
{
    void *cap = rtm_tlsf_alloc(t, CAP_SIZE);
    assert_non_null(cap);
    return cap;
}

/* The cap's block size (0 without one). */
static size_t cap_block(const void *cap)
{
    return cap != NULL ? RTM_TLSF_BLOCK_SIZE(CAP_SIZE) : 0u;
}

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
    if (RTMEM_CFG_TLSF_SL_LOG2 == 4 && RTMEM_CFG_TLSF_ALIGN == 8) {
        assert_int_equal(rtm_tlsf_control_size(ARENA_64K), 668);
        assert_int_equal(RTM_TLSF_MIN_BLOCK, 16);
    }
    /* A library built with other layout options refuses the heap (the
     * default hook traps in debug builds, so only release builds call it). */
#if !RTMEM_CFG_ASSERT
    assert_int_equal(rtm_tlsf_init_abi(&t, g_arena, 4096, RTM_TLSF_ABI ^ 1u), RTM_ERR_ARG);
    assert_int_equal(t.fault.count, 1);
    assert_null(rtm_tlsf_alloc(&t, 8));
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
        assert_int_equal((uintptr_t)p[i] % RTMEM_CFG_TLSF_ALIGN, 0);
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

#define expect_fault(t, p, want) expect_fault_at(t, p, want, __LINE__)
static void expect_fault_at(rtm_tlsf_t *t, void *p, rtm_err_t want, int line)
{
    size_t fb = rtm_tlsf_free_bytes(t);
    int before = g_faults;
    rtm_err_t got = rtm_tlsf_free(t, p);
    if (got != want) {
        fail_msg("line %d: free gave %d, expected %d", line, (int)got, (int)want);
    }
    assert_int_equal(g_faults, before + 1);
    assert_int_equal(g_last, want);
    assert_ptr_equal(g_last_ptr, p);
    assert_int_equal(rtm_tlsf_free_bytes(t), fb);
    assert_int_equal(rtm_tlsf_usable_size(t, p), 0);
}

static void test_free_bad_pointers(void **state)
{
    (void)state;
    rtm_tlsf_t t;
    setup(&t, 8192);
    void *cap = ascending(&t);
    uint8_t *a = rtm_tlsf_alloc(&t, 64);
    uint8_t *b = rtm_tlsf_alloc(&t, 64);
    uint8_t *c = rtm_tlsf_alloc(&t, 64);
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
    setup(&t, 8192);
    uint8_t *a = rtm_tlsf_alloc(&t, 64);
    uint8_t *b = rtm_tlsf_alloc(&t, 64);
    uint8_t *c = rtm_tlsf_alloc(&t, 64);
    (void)c;
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
    setup(&t, 8192);
    void *a = rtm_tlsf_alloc(&t, 64);
    void *b = rtm_tlsf_alloc(&t, 64);
    (void)b;
    assert_int_equal(rtm_tlsf_free(&t, a), RTM_OK);
    rtm_tw_t *h = header_of(a);
    rtm_tw_t saved = *h;
    *h = (rtm_tw_t)((saved & (rtm_tw_t)~RTM_TF_MASK) | RTM_TF_USED);
    assert_null(rtm_tlsf_alloc(&t, 60));
    assert_int_equal(g_last, RTM_ERR_CORRUPT);
    *h = saved;
    check_ok(&t);
}

/* ---- realloc ------------------------------------------------------------ */

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)(seed + i * 7u);
    }
}
static void expect_fill(const uint8_t *p, size_t n, uint8_t seed)
{
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(p[i], (uint8_t)(seed + i * 7u));
    }
}

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
            assert_int_equal((uintptr_t)p % RTMEM_CFG_TLSF_ALIGN, 0);
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
    assert_int_equal((uintptr_t)ptr % RTMEM_CFG_TLSF_ALIGN, 0);
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

/* ---- Randomised against a shadow model ---------------------------------- */

#define MAX_LIVE 1024
typedef struct {
    uint8_t *p;
    size_t n;
    uint8_t seed;
} live_t;

static void shadow_check(const rtm_tlsf_t *t, const live_t *lv, size_t nl)
{
    size_t used = 0;
    for (size_t i = 0; i < nl; i++) {
        used += rtm_tlsf_usable_size(t, lv[i].p) + RTM_TLSF_BLOCK_EXTRA;
    }
    rtm_stats_t st;
    rtm_tlsf_stats(t, &st);
    assert_int_equal(st.used_blocks, nl);
    assert_int_equal(st.free_bytes + used, st.total_bytes);
    assert_true(st.min_ever_free <= st.free_bytes);
    check_ok(t);
}

static size_t w1_size(void)
{
    uint64_t c = rnd() % 100u;
    if (c < 70u) {
        return uniform(8, 128);
    }
    if (c < 95u) {
        return uniform(129, 1024);
    }
    return uniform(1025, 4096);
}

/* W1 sizes, and a quarter of the requests from 16 KiB up to 70,000 bytes
 * (more than 16 bits can count). */
static size_t big_size(void)
{
    return rnd() % 4u == 0u ? uniform(16384, 70000u)
                            : w1_size();
}

static void random_run_with(size_t arena, unsigned target_pct, unsigned ops, uint64_t seed,
                            size_t (*size_of)(void))
{
    rtm_tlsf_t t;
    setup(&t, arena);
    rtm_stats_t st0;
    rtm_tlsf_stats(&t, &st0); /* one free block */
    static live_t lv[MAX_LIVE];
    size_t nl = 0;
    size_t live_bytes = 0;
    size_t fails = 0;
    g_rng = seed;
    size_t total = rtm_tlsf_free_bytes(&t);
    for (unsigned op = 0; op < ops; op++) {
        unsigned kind = (unsigned)(rnd() % 100u);
        bool want_alloc = nl == 0 || (live_bytes * 100u < total * target_pct && kind < 70u) || kind < 30u;
        if (want_alloc && nl < MAX_LIVE) {
            size_t n = size_of();
            uint8_t *p;
            unsigned how = (unsigned)(rnd() % 10u);
            if (how == 0u) {
                size_t align = (size_t)1 << uniform(0, 9);
                p = rtm_tlsf_aligned_alloc(&t, align, n);
                assert_true(p == NULL || (uintptr_t)p % align == 0u);
            } else if (how == 1u) {
                p = rtm_tlsf_calloc(&t, 1, n);
                for (size_t i = 0; p != NULL && i < n; i++) {
                    assert_int_equal(p[i], 0);
                }
            } else {
                p = rtm_tlsf_alloc(&t, n);
            }
            if (p == NULL) {
                fails++;
            } else {
                assert_int_equal((uintptr_t)p % RTMEM_CFG_TLSF_ALIGN, 0);
                assert_true(rtm_tlsf_usable_size(&t, p) >= n);
                lv[nl].p = p;
                lv[nl].n = n;
                lv[nl].seed = (uint8_t)op;
                fill(p, n, lv[nl].seed);
                nl++;
                live_bytes += n;
            }
        } else if (kind < 85u || nl == MAX_LIVE) {
            size_t i = uniform(0, nl - 1u);
            expect_fill(lv[i].p, lv[i].n, lv[i].seed);
            assert_int_equal(rtm_tlsf_free(&t, lv[i].p), RTM_OK);
            live_bytes -= lv[i].n;
            lv[i] = lv[--nl];
        } else {
            size_t i = uniform(0, nl - 1u);
            size_t n = size_of();
            expect_fill(lv[i].p, lv[i].n, lv[i].seed);
            uint8_t *p = rtm_tlsf_realloc(&t, lv[i].p, n);
            if (p == NULL) {
                expect_fill(lv[i].p, lv[i].n, lv[i].seed);
                fails++;
            } else {
                size_t keep = n < lv[i].n ? n : lv[i].n;
                expect_fill(p, keep, lv[i].seed);
                live_bytes = live_bytes - lv[i].n + n;
                lv[i].p = p;
                lv[i].n = n;
                fill(p, n, lv[i].seed);
            }
        }
        shadow_check(&t, lv, nl);
    }
    assert_int_equal(g_faults, 0);
    if (target_pct >= 100u) {
        assert_true(fails > 0u);
    }
    while (nl > 0u) {
        expect_fill(lv[nl - 1u].p, lv[nl - 1u].n, lv[nl - 1u].seed);
        assert_int_equal(rtm_tlsf_free(&t, lv[--nl].p), RTM_OK);
    }
    rtm_stats_t st;
    rtm_tlsf_stats(&t, &st);
    assert_int_equal(st.free_blocks, st0.free_blocks);
    assert_int_equal(st.free_bytes, total);
    check_ok(&t);
}

static void random_run(size_t arena, unsigned target_pct, unsigned ops, uint64_t seed)
{
    random_run_with(arena, target_pct, ops, seed, w1_size);
}

static void test_random_fill50(void **state)
{
    (void)state;
    random_run(32768, 50, 60000, 12345);
}

static void test_random_fill100(void **state)
{
    (void)state;
    random_run(32768, 100, 60000, 777);
}

/* Blocks beyond 64 KiB in a 200,000-byte heap. */
static void test_random_big(void **state)
{
    (void)state;
    random_run_with(200000, 100, 20000, 4242, big_size);
}

/* ---- Memory bound ------------------------------------------------------- */

static void bound_run(size_t m, size_t n, uint64_t seed, unsigned ops)
{
    size_t arena = rtm_tlsf_arena_bound(m, n);
    assert_true(arena > m);
    assert_true(arena <= sizeof(g_arena));
    rtm_tlsf_t t;
    setup(&t, arena);
    static live_t lv[4096];
    size_t nl = 0;
    size_t live = 0;
    g_rng = seed;
    for (unsigned op = 0; op < ops; op++) {
        /* Adversarial mix: tiny pins and near-maximal blocks. */
        size_t r = (rnd() & 1u) != 0u ? uniform(1, 8) : uniform(n / 2u + 1u, n);
        if ((rnd() % 100u) < 60u && live + r <= m && nl < 4096u) {
            uint8_t *p = rtm_tlsf_alloc(&t, r);
            assert_non_null(p);
            lv[nl].p = p;
            lv[nl].n = r;
            nl++;
            live += r;
        } else if (nl > 0u) {
            size_t i = uniform(0, nl - 1u);
            assert_int_equal(rtm_tlsf_free(&t, lv[i].p), RTM_OK);
            live -= lv[i].n;
            lv[i] = lv[--nl];
        }
        if ((op & 1023u) == 0u) {
            check_ok(&t);
        }
    }
    check_ok(&t);
    rtm_stats_t st;
    rtm_tlsf_stats(&t, &st);
    assert_int_equal(st.failed_allocs, 0);
}

static void test_memory_bound(void **state)
{
    (void)state;
    assert_int_equal(rtm_tlsf_arena_bound(2048, 128), RTM_TLSF_ARENA_BOUND(2048, 128));
    assert_int_equal(rtm_tlsf_arena_bound(1024, 256), RTM_TLSF_ARENA_BOUND(1024, 256));
    assert_int_equal(rtm_tlsf_arena_bound(4096, 100000), rtm_tlsf_arena_bound(4096, 4096));
    assert_int_equal(rtm_tlsf_arena_bound(SIZE_MAX / 2, 4096), 0);
    assert_int_equal(rtm_tlsf_arena_bound(10, SIZE_MAX), 0 + rtm_tlsf_arena_bound(10, 10));
    /* M == 0: the smallest arena init accepts. */
    rtm_tlsf_t t;
    size_t a0 = rtm_tlsf_arena_bound(0, 0);
    assert_int_equal(rtm_tlsf_init(&t, g_arena, a0), RTM_OK);
    /* The bound holds at its own size. */
    bound_run(2048, 128, 1, 100000);
    bound_run(768, 512, 2, 50000);
    assert_int_equal(rtm_tlsf_arena_bound(RTM_TLSF_MAX_ARENA / 64u, 4096), 0);
    bound_run(3000, 32, 3, 50000);
}

/* ---- Stray writes (issue 15) ------------------------------------------- */

/* Does [p - W, p + usable) of a new block overlap a live one in lv? */
typedef struct {
    uint8_t *p;
    size_t n;
} span_t;
static void assert_apart(const rtm_tlsf_t *t, const uint8_t *p, const span_t *lv, size_t nl)
{
    size_t n = rtm_tlsf_usable_size(t, p);
    assert_true(n > 0u);
    assert_true(p >= g_arena && p + n <= g_arena + sizeof g_arena);
    for (size_t i = 0; i < nl; i++) {
        bool apart = p + n <= lv[i].p - RTM_TLSF_WORD_SIZE || lv[i].p + lv[i].n <= p - RTM_TLSF_WORD_SIZE;
        assert_true(apart);
    }
}

/* One write after free: the next alloc that meets the block reports
 * RTM_ERR_CORRUPT instead of following its links, and so does a free of its
 * neighbour; nothing live is handed out again. */
static void test_write_after_free(void **state)
{
    (void)state;
    rtm_tlsf_t t;
    setup(&t, 8192);
    void *cap = ascending(&t);
    uint8_t *a = rtm_tlsf_alloc(&t, 64);
    uint8_t *b = rtm_tlsf_alloc(&t, 64);
    uint8_t *c = rtm_tlsf_alloc(&t, 64);
    assert_int_equal(rtm_tlsf_free(&t, a), RTM_OK);
    strcpy((char *)a, "stale!!");
    assert_null(rtm_tlsf_alloc(&t, 60)); /* a heads the list of its class */
    assert_int_equal(g_last, RTM_ERR_CORRUPT);
    assert_int_equal(rtm_tlsf_free(&t, b), RTM_ERR_CORRUPT); /* merging would unlink a */
    assert_int_equal(g_faults, 2);
    span_t lv[3] = {{cap, CAP_SIZE}, {b, 64}, {c, 64}};
    uint8_t *d = rtm_tlsf_alloc(&t, 100); /* another class: served, apart */
    assert_non_null(d);
    assert_apart(&t, d, lv, 3);
    assert_int_equal(rtm_tlsf_check(&t, NULL), RTM_ERR_CORRUPT);
}

/* An overrun of 1 to 16 bytes from a used block into its free successor:
 * the free of the block and the alloc that meets the free block report it. */
static void test_overrun_into_free(void **state)
{
    (void)state;
    for (size_t k = 1; k <= 16u; k++) {
        rtm_tlsf_t t;
        setup(&t, 8192);
        void *cap = ascending(&t);
        uint8_t *a = rtm_tlsf_alloc(&t, 64);
        uint8_t *b = rtm_tlsf_alloc(&t, 64);
        uint8_t *c = rtm_tlsf_alloc(&t, 64);
        assert_int_equal(rtm_tlsf_free(&t, b), RTM_OK);
        size_t n = rtm_tlsf_usable_size(&t, a);
        memset(a + n, 0x5A, k);
        span_t lv[3] = {{cap, CAP_SIZE}, {a, n}, {c, 64}};
        uint8_t *d = rtm_tlsf_alloc(&t, 60);
        if (d != NULL) {
            assert_apart(&t, d, lv, 3);
        } else {
            assert_int_equal(g_last, RTM_ERR_CORRUPT);
        }
        /* a's successor header (or, with RTMEM_CFG_HARDEN=2, its guard
         * word) is damaged: its free is refused */
        assert_int_equal(rtm_tlsf_free(&t, a), RTM_ERR_CORRUPT);
    }
}

#if RTMEM_CFG_HARDEN >= 2
/* RTMEM_CFG_HARDEN=2: an overrun of 1 to 4 bytes into the guard word after
 * the payload, with a used successor, is refused at free and reported by
 * the check. */
static void test_guard(void **state)
{
    (void)state;
    for (size_t k = 1; k <= 4u; k++) {
        rtm_tlsf_t t;
        setup(&t, 8192);
        uint8_t *a = rtm_tlsf_alloc(&t, 64);
        uint8_t *b = rtm_tlsf_alloc(&t, 64);
        assert_non_null(b);
        size_t n = rtm_tlsf_usable_size(&t, a);
        assert_int_equal(n, 64);
        a[n + k - 1u] ^= 0x20u;
        rtm_check_t r;
        assert_int_equal(rtm_tlsf_check(&t, &r), RTM_ERR_CORRUPT);
        assert_string_equal(r.what, "guard word after a block overwritten");
        assert_int_equal(rtm_tlsf_free(&t, a), RTM_ERR_CORRUPT);
        a[n + k - 1u] ^= 0x20u;
        assert_int_equal(rtm_tlsf_free(&t, a), RTM_OK);
        check_ok(&t);
    }
}

/* RTMEM_CFG_HARDEN=2: freed memory is poisoned; a write after free beyond
 * the links is found when the block is handed out again (NULL and
 * RTM_ERR_CORRUPT, the block withheld), and a second free of a block whose
 * header lies in freed memory is a double free. */
static void test_poison(void **state)
{
    (void)state;
    rtm_tlsf_t t;
    setup(&t, 8192);
    void *cap = ascending(&t);
    uint8_t *a = rtm_tlsf_alloc(&t, 64);
    uint8_t *b = rtm_tlsf_alloc(&t, 64);
    assert_non_null(cap);
    assert_non_null(b);
    assert_int_equal(rtm_tlsf_free(&t, a), RTM_OK);
    check_ok(&t);
    a[20] = 1; /* write after free, past the list links */
    assert_null(rtm_tlsf_alloc(&t, 64));
    assert_int_equal(g_last, RTM_ERR_CORRUPT);
    check_ok(&t); /* the heap's structure is intact */
    uint8_t *c = rtm_tlsf_alloc(&t, 64); /* served from elsewhere */
    assert_non_null(c);
    assert_true(c + 64 <= a - RTM_TLSF_WORD_SIZE || a + 64 <= c - RTM_TLSF_WORD_SIZE);
    /* b merges into the free space above it; its header is now poison */
    assert_int_equal(rtm_tlsf_free(&t, b), RTM_OK);
    assert_int_equal(rtm_tlsf_free(&t, b), RTM_ERR_DOUBLE_FREE);
    check_ok(&t);
}
#endif

/* An interior pointer whose preceding word is a plausible header (124 =
 * size 120 | USED, or a copy of a real header of another block) is refused:
 * the header's check byte does not match the address. */
static void test_interior_fake_header(void **state)
{
    (void)state;
    rtm_tlsf_t t;
    setup(&t, 8192);
    uint8_t *p = rtm_tlsf_alloc(&t, 200);
    uint8_t *q = rtm_tlsf_alloc(&t, 100);
    uint8_t *r = rtm_tlsf_alloc(&t, 100);
    assert_non_null(r);
    rtm_tw_t fake = 124u;
    memcpy(p + 12, &fake, sizeof fake);
    expect_fault(&t, p + 16, RTM_ERR_INTERIOR_PTR);
    /* every size with a USED header, at every aligned place in p */
    for (size_t off = 4; off + 4u < 200u; off += RTM_TLSF_ALIGN) {
        for (rtm_tw_t sz = RTM_TLSF_MIN_BLOCK; sz < 512u; sz += RTM_TLSF_ALIGN) {
            fake = sz | RTM_TF_USED;
            memcpy(p + off, &fake, sizeof fake);
            assert_int_not_equal(rtm_tlsf_free(&t, p + off + 4), RTM_OK);
        }
    }
    /* a real header of a block of the same size, copied */
    memcpy(p + 12, header_of(q), sizeof fake);
    assert_int_equal(rtm_tlsf_free(&t, p + 16), RTM_ERR_INTERIOR_PTR);
    check_ok(&t);
    span_t lv[3] = {{p, 200}, {q, 100}, {r, 100}};
    uint8_t *d = rtm_tlsf_alloc(&t, 100);
    assert_apart(&t, d, lv, 3);
}

/* Randomised: a heap in use, one freed block scribbled over (1 to 16 bytes
 * anywhere in its first 24), then more allocations and frees. Every call
 * either works or reports a fault; no block handed out overlaps a live one. */
static void test_scribble_random(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 300u; seed++) {
        g_rng = seed * 0x9E3779B97F4A7C15ull;
        rtm_tlsf_t t;
        setup(&t, 16384);
        span_t lv[64];
        size_t nl = 0;
        for (int i = 0; i < 40; i++) {
            size_t n = uniform(1, 300);
            uint8_t *p = rtm_tlsf_alloc(&t, n);
            if (p != NULL) {
                lv[nl].p = p;
                lv[nl].n = rtm_tlsf_usable_size(&t, p);
                nl++;
            }
            if (nl > 2u && rnd() % 3u == 0u) {
                size_t k = uniform(0, nl - 1u);
                assert_int_equal(rtm_tlsf_free(&t, lv[k].p), RTM_OK);
                lv[k] = lv[--nl];
            }
        }
        /* free one and scribble on it */
        size_t k = uniform(0, nl - 1u);
        uint8_t *victim = lv[k].p;
        size_t vn = lv[k].n;
        assert_int_equal(rtm_tlsf_free(&t, victim), RTM_OK);
        lv[k] = lv[--nl];
        size_t len = uniform(1, 16);
        size_t at = uniform(0, 24u - len);
        if (at + len > vn) {
            at = 0;
            len = vn < len ? vn : len;
        }
        for (size_t i = 0; i < len; i++) {
            victim[at + i] = (uint8_t)rnd();
        }
        for (int i = 0; i < 60; i++) {
            if (nl < 64u && (nl == 0u || rnd() % 2u == 0u)) {
                uint8_t *p = rtm_tlsf_alloc(&t, uniform(1, 300));
                if (p != NULL) {
                    assert_apart(&t, p, lv, nl);
                    lv[nl].p = p;
                    lv[nl].n = rtm_tlsf_usable_size(&t, p);
                    nl++;
                }
            } else {
                size_t j = uniform(0, nl - 1u);
                if (rtm_tlsf_free(&t, lv[j].p) == RTM_OK) {
                    lv[j] = lv[--nl];
                }
            }
        }
    }
}

/* ---- Gate and events (rtmem/hooks.h) ----------------------------------- */

#if RTMEM_CFG_EVENTS
static int g_ev[4];
static const void *g_ev_ptr, *g_ev_old;
static void observer(void *user, rtm_ev_kind_t kind, const void *obj, const void *ptr,
                     const void *old, size_t size)
{
    (void)user;
    (void)obj;
    (void)size;
    g_ev[kind]++;
    g_ev_ptr = ptr;
    g_ev_old = old;
}
#endif

/* A sealed heap refuses every allocating call with RTM_ERR_SEALED (a fault,
 * NULL, counted as failed) and still frees; a realloc that shrinks is not
 * an allocation. */
static void test_seal(void **state)
{
    (void)state;
    rtm_tlsf_t t;
    setup(&t, 16384);
    uint8_t *a = rtm_tlsf_alloc(&t, 100);
    uint8_t *b = rtm_tlsf_alloc(&t, 100);
    assert_non_null(a);
    assert_non_null(b);
    rtm_seal(&t.fault);
    assert_null(rtm_tlsf_alloc(&t, 10));
    assert_int_equal(g_last, RTM_ERR_SEALED);
    assert_int_equal(g_faults, 1);
    assert_null(rtm_tlsf_calloc(&t, 2, 10));
    assert_null(rtm_tlsf_aligned_alloc(&t, 64, 10));
    assert_null(rtm_tlsf_realloc(&t, a, 1000));
    assert_null(rtm_tlsf_realloc(&t, NULL, 10));
    assert_int_equal(g_faults, 5);
    assert_int_equal(g_last, RTM_ERR_SEALED);
    rtm_stats_t st;
    rtm_tlsf_stats(&t, &st);
    assert_int_equal(st.failed_allocs, 5);
    assert_int_equal(st.used_blocks, 2);
    assert_ptr_equal(rtm_tlsf_realloc(&t, a, 40), a); /* shrinks in place */
    assert_int_equal(rtm_tlsf_free(&t, a), RTM_OK);
    assert_int_equal(rtm_tlsf_free(&t, b), RTM_OK);
    assert_int_equal(g_faults, 5);
    check_ok(&t);
    rtm_unseal(&t.fault);
    a = rtm_tlsf_alloc(&t, 10);
    assert_non_null(a);
    assert_int_equal(rtm_tlsf_free(&t, a), RTM_OK);
#if RTMEM_CFG_EVENTS
    /* One event per call: realloc reports one REALLOC, not its inner
     * alloc and free. */
    assert_int_equal(rtm_observer_set(observer, NULL), RTM_OK);
    memset(g_ev, 0, sizeof g_ev);
    a = rtm_tlsf_alloc(&t, 10);
    assert_int_equal(g_ev[RTM_EV_ALLOC], 1);
    assert_ptr_equal(g_ev_ptr, a);
    b = rtm_tlsf_alloc(&t, 10); /* pins a: the realloc below moves */
    uint8_t *c = rtm_tlsf_realloc(&t, a, 3000);
    assert_non_null(c);
    assert_int_equal(g_ev[RTM_EV_REALLOC], 1);
    assert_int_equal(g_ev[RTM_EV_ALLOC], 2);
    assert_int_equal(g_ev[RTM_EV_FREE], 0);
    assert_ptr_equal(g_ev_ptr, c);
    assert_ptr_equal(g_ev_old, a);
    assert_null(rtm_tlsf_alloc(&t, 100000));
    assert_int_equal(g_ev[RTM_EV_FAIL], 1);
    assert_int_equal(rtm_tlsf_free(&t, c), RTM_OK);
    assert_int_equal(rtm_tlsf_free(&t, b), RTM_OK);
    assert_int_equal(g_ev[RTM_EV_FREE], 2);
    assert_int_equal(rtm_tlsf_free(&t, b), RTM_ERR_DOUBLE_FREE); /* no event */
    assert_int_equal(g_ev[RTM_EV_FREE], 2);
    assert_int_equal(rtm_observer_set(NULL, NULL), RTM_OK);
#endif
}

/* ---- Large heaps ------------------------------------------------------- */

/* An 8 MiB heap and single blocks of 100,000 bytes and of 3 MiB work with
 * the defaults, whatever the target's pointer size. */
static _Alignas(64) uint8_t g_huge[8u << 20];
static void test_large(void **state)
{
    (void)state;
    rtm_tlsf_t t;
    assert_int_equal(rtm_tlsf_init(&t, g_huge, sizeof g_huge), RTM_OK);
    rtm_tlsf_set_fault_hook(&t, hook, NULL);
    g_faults = 0;
    check_ok(&t);
    rtm_stats_t st;
    rtm_tlsf_stats(&t, &st);
    assert_int_equal(st.free_blocks, 1);
    assert_true(st.total_bytes >= sizeof g_huge - RTM_TLSF_OVERHEAD(sizeof g_huge));
    uint8_t *a = rtm_tlsf_alloc(&t, 100000);
    uint8_t *b = rtm_tlsf_alloc(&t, 3u << 20);
    assert_non_null(a);
    assert_non_null(b);
    assert_true(rtm_tlsf_usable_size(&t, a) >= 100000u);
    assert_true(rtm_tlsf_usable_size(&t, b) >= (3u << 20));
    memset(a, 1, 100000);
    memset(b, 2, 3u << 20);
    check_ok(&t);
    uint8_t *c = rtm_tlsf_realloc(&t, a, 4u << 20);
    assert_non_null(c);
    assert_int_equal(c[99999], 1);
    assert_null(rtm_tlsf_alloc(&t, 2u << 20)); /* 8 - 3 - 4 MiB left, less headers */
    assert_int_equal(rtm_tlsf_free(&t, b), RTM_OK);
    assert_int_equal(rtm_tlsf_free(&t, c), RTM_OK);
    check_ok(&t);
    rtm_tlsf_stats(&t, &st);
    assert_int_equal(st.free_blocks, 1);
    assert_int_equal(g_faults, 0);
    /* The bound holds for arenas beyond 64 KiB blocks too. */
    assert_int_equal(rtm_tlsf_arena_bound(4000, 32), RTM_TLSF_ARENA_BOUND(4000, 32));
    assert_true(rtm_tlsf_arena_bound(4000, 4000) > sizeof g_huge);
}

/* ---- O(1): step counts do not grow with the number of free blocks ------- */

static size_t w2_steps(size_t k, size_t *alloc_steps, size_t *free_steps)
{
    rtm_tlsf_t t;
    setup(&t, BIG_ARENA);
    static void *a[10000];
    for (size_t i = 0; i < k; i++) {
        a[i] = rtm_tlsf_alloc(&t, 16);
        assert_non_null(a[i]);
        assert_non_null(rtm_tlsf_alloc(&t, 16));
    }
    for (size_t i = 0; i < k; i++) {
        assert_int_equal(rtm_tlsf_free(&t, a[i]), RTM_OK);
    }
    rtm_stats_t st;
    rtm_tlsf_stats(&t, &st);
    assert_int_equal(st.free_blocks, k + 1u);
    size_t max_a = 0, max_f = 0;
    for (int i = 0; i < 100; i++) {
#if RTMEM_CFG_TEST_HOOKS
        size_t s0 = rtm_test_steps;
        void *p = rtm_tlsf_alloc(&t, 256);
        size_t s1 = rtm_test_steps;
        assert_int_equal(rtm_tlsf_free(&t, p), RTM_OK);
        size_t s2 = rtm_test_steps;
        max_a = s1 - s0 > max_a ? s1 - s0 : max_a;
        max_f = s2 - s1 > max_f ? s2 - s1 : max_f;
#endif
    }
    *alloc_steps = max_a;
    *free_steps = max_f;
    return st.free_blocks;
}

static void test_steps_constant(void **state)
{
    (void)state;
    if (!RTMEM_CFG_TEST_HOOKS) {
        skip();
    }
    size_t a100, f100, a1k, f1k, a10k, f10k;
    w2_steps(100, &a100, &f100);
    w2_steps(1000, &a1k, &f1k);
    w2_steps(10000, &a10k, &f10k);
    assert_true(a100 > 0 && f100 > 0);
    assert_int_equal(a100, a1k);
    assert_int_equal(a1k, a10k);
    assert_int_equal(f100, f1k);
    assert_int_equal(f1k, f10k);
#if RTMEM_CFG_TEST_HOOKS
    /* Over a random workload no operation takes more than a fixed number of
     * steps: alloc = find + unlink + take + insert (4); free = 3 (two
     * unlinks and an insert); aligned_alloc 5; realloc <= 5. */
    rtm_tlsf_t t;
    setup(&t, ARENA_64K);
    static void *lv[512];
    size_t nl = 0;
    size_t max_steps = 0;
    g_rng = 99;
    for (int op = 0; op < 20000; op++) {
        size_t s0 = rtm_test_steps;
        if (nl == 0 || (nl < 512 && rnd() % 100u < 55u)) {
            void *p = (rnd() & 7u) == 0u ? rtm_tlsf_aligned_alloc(&t, 256, w1_size())
                                          : rtm_tlsf_alloc(&t, w1_size());
            if (p != NULL) {
                lv[nl++] = p;
            }
        } else {
            size_t i = uniform(0, nl - 1u);
            if ((rnd() & 3u) == 0u) {
                void *q = rtm_tlsf_realloc(&t, lv[i], w1_size());
                if (q != NULL) {
                    lv[i] = q;
                }
            } else {
                assert_int_equal(rtm_tlsf_free(&t, lv[i]), RTM_OK);
                lv[i] = lv[--nl];
            }
        }
        size_t d = rtm_test_steps - s0;
        max_steps = d > max_steps ? d : max_steps;
    }
    print_message("max steps per operation: %zu\n", max_steps);
    assert_true(max_steps <= 8u);
    check_ok(&t);
#endif
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
        cmocka_unit_test(test_realloc_paths),
        cmocka_unit_test(test_aligned_alloc),
        cmocka_unit_test(test_multi_region),
        cmocka_unit_test(test_stats_and_min_ever),
        cmocka_unit_test(test_carve_placement),
        cmocka_unit_test(test_random_fill50),
        cmocka_unit_test(test_random_fill100),
        cmocka_unit_test(test_random_big),
        cmocka_unit_test(test_large),
        cmocka_unit_test(test_seal),
        cmocka_unit_test(test_write_after_free),
        cmocka_unit_test(test_overrun_into_free),
        cmocka_unit_test(test_interior_fake_header),
#if RTMEM_CFG_HARDEN >= 2
        cmocka_unit_test(test_guard),
        cmocka_unit_test(test_poison),
#endif
        cmocka_unit_test(test_scribble_random),
        cmocka_unit_test(test_memory_bound),
        cmocka_unit_test(test_steps_constant),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
