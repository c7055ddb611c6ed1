#define _POSIX_C_SOURCE 200809L
/* rtm_pool, single-threaded: the integrity check finds damage, and a random
 * test in every mode against a shadow model with rtm_pool_check() after
 * every step (test_pool.c has the rest). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rtmem/pool.h"
#include "test_pool_fixture.h"
#include "test_pool_util.h"

/* The integrity check finds damage (white box: corrupt fields, then undo). */
static void test_check_detects_corruption(void **state)
{
    (void)state;
    static _Alignas(8) uint8_t mem[RTM_POOL_MEM_SIZE(8, 8, 8, RTM_POOL_BITMAP)];
    rtm_pool_t p;
    assert_int_equal(rtm_pool_init(&p, mem, sizeof mem, 8, 8, 0, RTM_POOL_BITMAP), RTM_OK);
    uint8_t *b[4];
    for (int i = 0; i < 4; i++) {
        b[i] = rtm_pool_alloc(&p);
    }
    /* b[3] is the hot block; the list is b[2] -> b[1] */
    assert_int_equal(rtm_pool_free(&p, b[1]), RTM_OK);
    assert_int_equal(rtm_pool_free(&p, b[2]), RTM_OK);
    assert_int_equal(rtm_pool_free(&p, b[3]), RTM_OK);
    assert_ptr_equal(p.hot, b[3]);
    assert_int_equal(p.head, 2);
    assert_ok(&p);
    rtm_check_t r;
    /* a cycle in the free list */
    uint32_t saved;
    memcpy(&saved, b[1], 4);
    uint32_t self = link_word(&p, 2);
    memcpy(b[2], &self, 4);
    assert_int_equal(rtm_pool_check(&p, &r), RTM_ERR_CORRUPT);
    memcpy(b[2], &(uint32_t){link_word(&p, 1)}, 4);
    assert_ok(&p);
    /* a link beyond the watermark */
    memcpy(b[1], &(uint32_t){link_word(&p, 6)}, 4);
    assert_int_equal(rtm_pool_check(&p, &r), RTM_ERR_CORRUPT);
    memcpy(b[1], &saved, 4);
    assert_ok(&p);
    /* counters */
    p.nfree--; /* one more in use than the list and the bitmap say */
    assert_int_equal(rtm_pool_check(&p, &r), RTM_ERR_CORRUPT);
    p.nfree++;
    p.nfree += 5; /* fewer in use than nothing: used wraps */
    assert_int_equal(rtm_pool_check(&p, &r), RTM_ERR_CORRUPT);
    p.nfree -= 5;
    /* the hot slot: a listed block, an interior pointer, a block above the
     * watermark, a foreign pointer, and a hot block with its bit lost */
    void *const bad_hot[] = {b[1], b[0] + 1, mem + 5 * 8, &r};
    for (size_t k = 0; k < sizeof bad_hot / sizeof bad_hot[0]; k++) {
        p.hot = bad_hot[k];
        assert_int_equal(rtm_pool_check(&p, &r), RTM_ERR_CORRUPT);
    }
    p.hot = b[1]; /* listed, with its bit set: only the walk can tell */
    p.bitmap[0] |= 1u << 1;
    assert_int_equal(rtm_pool_check(&p, &r), RTM_ERR_CORRUPT);
    assert_string_equal(r.what, "the hot or last block is also on the free list");
    p.bitmap[0] &= ~(1u << 1);
    p.hot = b[3];
    p.last = b[0]; /* a last block while the hot slot is taken */
    assert_int_equal(rtm_pool_check(&p, &r), RTM_ERR_CORRUPT);
    p.hot = NULL; /* b[3] allocated instead of hot: consistent */
    p.last = b[3];
    assert_ok(&p);
    void *const bad_last[] = {b[1], b[0] + 1, mem + 5 * 8, &r};
    for (size_t k = 0; k < sizeof bad_last / sizeof bad_last[0]; k++) {
        p.last = bad_last[k];
        assert_int_equal(rtm_pool_check(&p, &r), RTM_ERR_CORRUPT);
    }
    p.last = NULL;
    p.hot = b[3];
    p.bitmap[0] &= ~(1u << 3);
    assert_int_equal(rtm_pool_check(&p, &r), RTM_ERR_CORRUPT);
    p.bitmap[0] |= 1u << 3;
    assert_ok(&p);
    p.signal_free = 1u; /* set with no thread waiting */
    assert_int_equal(rtm_pool_check(&p, &r), RTM_ERR_CORRUPT);
    p.signal_free = 0u;
    assert_ok(&p);
    p.mark = p.capacity + 1u; /* watermark beyond the pool */
    assert_int_equal(rtm_pool_check(&p, &r), RTM_ERR_CORRUPT);
    p.mark = 4;
    /* bitmap: a free-listed block marked allocated, a stray bit, a lost bit */
    p.bitmap[0] |= 1u << 1;
    assert_int_equal(rtm_pool_check(&p, &r), RTM_ERR_CORRUPT);
    p.bitmap[0] &= ~(1u << 1);
    p.bitmap[0] |= 1u << 7;
    assert_int_equal(rtm_pool_check(&p, &r), RTM_ERR_CORRUPT);
    p.bitmap[0] &= ~(1u << 7);
    p.bitmap[0] &= ~(1u << 0);
    assert_int_equal(rtm_pool_check(&p, &r), RTM_ERR_CORRUPT);
    assert_string_not_equal(r.what, "ok");
    p.bitmap[0] |= 1u << 0;
    assert_ok(&p);
    assert_int_equal(rtm_pool_check(&p, NULL), RTM_OK);
    assert_int_equal(rtm_pool_check(&p, &r), RTM_OK);
    assert_int_equal(r.blocks, 4);
    assert_int_equal(r.free_blocks, 7); /* 2 listed, the hot one, 4 never used */
    assert_int_equal(r.free_bytes, 56);
}

/* Random operations against a shadow model; check after every step. Fill
 * targets swing between 50% and 100%. */
/* The inline pair (pool.h) as a caller of a locked pool uses it: under the
 * port's section, or bare for RTM_POOL_NOLOCK. */
static void *inline_alloc(rtm_pool_t *p, unsigned flags)
{
    bool lock = (flags & RTM_POOL_NOLOCK) == 0u;
    if (lock) {
        rtm_port_enter();
    }
    void *b = rtm_pool_alloc_unlocked(p);
    if (lock) {
        rtm_port_exit();
    }
    return b;
}

static rtm_err_t inline_free(rtm_pool_t *p, unsigned flags, void *b)
{
    bool lock = (flags & RTM_POOL_NOLOCK) == 0u;
    if (lock) {
        rtm_port_enter();
    }
    rtm_err_t e = rtm_pool_free_unlocked(p, b);
    if (lock) {
        rtm_port_exit();
    }
    return e;
}

/* Alloc or free through the inline pair about one time in two (never for
 * a lock-free pool), so that the statistics are checked against the shadow
 * model after sequences that mix both paths and the hot slot's shortcuts. */
static bool use_inline(unsigned flags)
{
    return (flags & RTM_POOL_LOCKFREE) == 0u && (rand() & 2) != 0;
}

static void random_run(unsigned flags, uint32_t cap, size_t bsize, unsigned seed, long ops)
{
    size_t bytes = rtm_pool_mem_size(cap, bsize, 8, flags);
    uint8_t *mem = aligned_alloc(16, (bytes + 15u) & ~(size_t)15u);
    assert_non_null(mem);
    rtm_pool_t p;
    assert_int_equal(rtm_pool_init(&p, mem, bytes, bsize, 8, cap, flags), RTM_OK);
    rtm_pool_set_fault_hook(&p, hook, NULL);
    size_t stride = rtm_pool_block_size(&p);
    void **live = calloc(cap, sizeof *live);
    uint8_t *tag = calloc(cap, 1);
    size_t nlive = 0, peak = 0, failed = 0, invalid = 0;
    srand(seed);
    for (long op = 0; op < ops; op++) {
        size_t target = ((op / 5000) % 2 == 0) ? cap : cap / 2;
        int r = rand() % 100;
        if (r < 3 && nlive > 0) {
            /* a bad free: interior or double */
            size_t k = (size_t)rand() % nlive;
            uint8_t *q = live[k];
            if (stride > 4 && (rand() & 1)) {
                assert_int_equal(rtm_pool_free(&p, q + 4), RTM_ERR_INTERIOR_PTR);
                invalid++;
            } else { /* caught in every mode, bitmap or not (issue 15) */
                tag[(size_t)(q - mem) / stride] = 0;
                assert_int_equal(rtm_pool_free(&p, q), RTM_OK);
                live[k] = live[--nlive];
                assert_int_equal(rtm_pool_free(&p, q), RTM_ERR_DOUBLE_FREE);
                invalid++;
            }
        } else if (nlive < target && (r < 60 || nlive == 0)) {
            uint8_t *q = use_inline(flags) ? inline_alloc(&p, flags)
                         : (r & 1)         ? rtm_pool_calloc(&p)
                                           : rtm_pool_alloc(&p);
            if (nlive == cap) {
                assert_null(q);
                failed++;
            } else {
                assert_non_null(q);
                size_t idx = (size_t)(q - mem) / stride;
                assert_int_equal((size_t)(q - mem) % stride, 0);
                assert_true(idx < cap);
                assert_int_equal(tag[idx], 0); /* not handed out twice */
                tag[idx] = 1;
                memset(q, (int)(op & 0xFF), stride);
                live[nlive++] = q;
                if (nlive > peak) {
                    peak = nlive;
                }
            }
        } else if (nlive > 0) {
            /* often the newest block: the free the hot slot takes inline */
            size_t k = (rand() & 4) != 0 ? nlive - 1u : (size_t)rand() % nlive;
            uint8_t *q = live[k];
            tag[(size_t)(q - mem) / stride] = 0;
            rtm_err_t e = use_inline(flags) ? inline_free(&p, flags, q) : rtm_pool_free(&p, q);
            assert_int_equal(e, RTM_OK);
            live[k] = live[--nlive];
        } else {
            if ((use_inline(flags) ? inline_alloc(&p, flags) : rtm_pool_alloc(&p)) == NULL) {
                failed++;
            }
        }
        rtm_check_t rep;
        if (rtm_pool_check(&p, &rep) != RTM_OK) {
            fail_msg("op %ld: %s", op, rep.what);
        }
        assert_int_equal(rtm_pool_used(&p), nlive);
        /* peak is derived (the watermark) in locked modes: compare each step */
        ps_t st;
        assert_int_equal(get_ps(&p, &st), RTM_OK);
        assert_int_equal(st.peak_used, peak);
        assert_int_equal(st.used, nlive);
        assert_int_equal(st.free, cap - nlive);
    }
    ps_t s;
    assert_int_equal(get_ps(&p, &s), RTM_OK);
    assert_int_equal(s.peak_used, peak);
    assert_int_equal(s.failed_allocs, failed);
    assert_int_equal(s.invalid_frees, invalid);
    free(live);
    free(tag);
    free(mem);
}

static void test_random_locked(void **state)
{
    (void)state;
    random_run(RTM_POOL_BITMAP, 64, 24, 1, 150000);
    random_run(0, 37, 12, 2, 100000);
}

static void test_random_nolock(void **state)
{
    (void)state;
    random_run(RTM_POOL_NOLOCK | RTM_POOL_BITMAP, 100, 32, 3, 150000);
}

static void test_random_lockfree(void **state)
{
    (void)state;
#if RTMEM_CFG_POOL_LOCKFREE
    random_run(RTM_POOL_LOCKFREE | RTM_POOL_BITMAP, 50, 16, 4, 150000);
#else
    skip();
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_detects_corruption),
        cmocka_unit_test(test_random_locked),
        cmocka_unit_test(test_random_nolock),
        cmocka_unit_test(test_random_lockfree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
