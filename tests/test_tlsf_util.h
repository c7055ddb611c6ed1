/*
 * Shared by the rtm_tlsf tests (test_tlsf*.c): the arena, the fault hook
 * that counts, a PRNG, the check after every step, the upward layout helper
 * and the common set-up of a few equal blocks.
 */
#ifndef TEST_TLSF_UTIL_H
#define TEST_TLSF_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
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

static int g_faults;
static rtm_err_t g_last;
static const void *g_last_ptr;

static inline void hook(void *user, rtm_err_t reason, const void *obj, const void *ptr)
{
    (void)user;
    (void)obj;
    g_faults++;
    g_last = reason;
    g_last_ptr = ptr;
}

static uint64_t g_rng;
static inline uint64_t rnd(void)
{
    g_rng ^= g_rng >> 12;
    g_rng ^= g_rng << 25;
    g_rng ^= g_rng >> 27;
    return g_rng * 0x2545F4914F6CDD1Dull;
}
static inline size_t uniform(size_t a, size_t b)
{
    return a + (size_t)(rnd() % (uint64_t)(b - a + 1u));
}

static inline void check_ok(const rtm_tlsf_t *t)
{
    rtm_check_t r;
    rtm_err_t e = rtm_tlsf_check(t, &r);
    if (e != RTM_OK) {
        print_error("check: %s at %p\n", r.what, r.where);
    }
    assert_int_equal(e, RTM_OK);
}

static inline void setup(rtm_tlsf_t *t, size_t size)
{
    assert_int_equal(rtm_tlsf_init(t, g_arena, size), RTM_OK);
    rtm_tlsf_set_fault_hook(t, hook, NULL);
    g_faults = 0;
    g_last = RTM_OK;
    check_ok(t);
}

static inline rtm_tw_t *header_of(void *p)
{
    return (rtm_tw_t *)rtm_tlsf_block_of(p);
}

/* Tests that build exact layouts want blocks laid out upwards from the
 * arena's start. A small block is carved from the top of a free block whose
 * upper neighbour is small or the region's end, so first a "cap" of at least
 * RTM_TLSF_CARVE_NEAR bytes goes at the top (returned), and the blocks up to
 * RTM_TLSF_CARVE_LARGE bytes after it come from the bottom. */
#define CAP_SIZE ((size_t)RTM_TLSF_CARVE_NEAR + 40u)
static inline void *ascending(rtm_tlsf_t *t)
{
    void *cap = rtm_tlsf_alloc(t, CAP_SIZE);
    assert_non_null(cap);
    return cap;
}

/* The set-up most layout tests share: a heap of `arena` bytes, laid out
 * upwards when `up` (the cap is returned, else NULL), then blocks of `size`
 * bytes at *a, *b and, if c is not NULL, *c, in that order, each non-NULL. */
static inline void *setup_row(rtm_tlsf_t *t, size_t arena, bool up, size_t size, uint8_t **a,
                              uint8_t **b, uint8_t **c)
{
    setup(t, arena);
    void *cap = up ? ascending(t) : NULL;
    uint8_t **row[3] = {a, b, c};
    for (size_t i = 0; i < 3u && row[i] != NULL; i++) {
        *row[i] = rtm_tlsf_alloc(t, size);
        assert_non_null(*row[i]);
    }
    return cap;
}

/* The cap's block size (0 without one). */
static inline size_t cap_block(const void *cap)
{
    return cap != NULL ? RTM_TLSF_BLOCK_SIZE(CAP_SIZE) : 0u;
}


/* Free p, which must be refused with `want`: one fault at p, nothing
 * changed. */
#define expect_fault(t, p, want) expect_fault_at(t, p, want, __LINE__)
static inline void expect_fault_at(rtm_tlsf_t *t, void *p, rtm_err_t want, int line)
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

/* A recognisable byte pattern, and its check. */
static inline void fill(uint8_t *p, size_t n, uint8_t seed)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)(seed + i * 7u);
    }
}
static inline void expect_fill(const uint8_t *p, size_t n, uint8_t seed)
{
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(p[i], (uint8_t)(seed + i * 7u));
    }
}

#endif /* TEST_TLSF_UTIL_H */
