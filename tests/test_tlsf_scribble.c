/*
 * rtm_tlsf tests: stray writes (issue 15: write after free, overruns, fake
 * headers, random scribbles) and the gate and events (rtmem/hooks.h);
 * built against the same configurations as test_tlsf.c.
 */
#include "test_tlsf_util.h"

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

/* Record the new block p (if any) in lv with its usable size: the live set
 * test_scribble_random builds up and later checks new blocks against. */
static void keep(const rtm_tlsf_t *t, uint8_t *p, span_t *lv, size_t *nl)
{
    if (p != NULL) {
        lv[*nl].p = p;
        lv[*nl].n = rtm_tlsf_usable_size(t, p);
        (*nl)++;
    }
}

/* One write after free: the next alloc that meets the block reports
 * RTM_ERR_CORRUPT instead of following its links, and so does a free of its
 * neighbour; nothing live is handed out again. */
static void test_write_after_free(void **state)
{
    (void)state;
    rtm_tlsf_t t;
    uint8_t *a, *b, *c;
    void *cap = setup_row(&t, 8192, true, 64, &a, &b, &c);
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
        uint8_t *a, *b, *c;
        void *cap = setup_row(&t, 8192, true, 64, &a, &b, &c);
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
        uint8_t *a, *b;
        (void)setup_row(&t, 8192, false, 64, &a, &b, NULL);
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
    uint8_t *a, *b;
    (void)setup_row(&t, 8192, true, 64, &a, &b, NULL); /* a cap at the top */
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

/* Is a the header of p's, q's or r's block, or of the block after one? */
static bool real_header(uint8_t *a, uint8_t *const blocks[3])
{
    for (unsigned i = 0; i < 3u; i++) {
        uint8_t *h = (uint8_t *)header_of(blocks[i]);
        if (a == h || a == h + rtm_tlsf_used_size(*(rtm_tw_t *)(void *)h)) {
            return true;
        }
    }
    return false;
}

/* Would a fake header "sz | USED" (check byte 0) at h pass every O(1)
 * test: its check byte is the right one for h and sz, and its block ends on
 * a real header? rtmem/tlsf.h's "unless both match by chance": with the
 * default canary 0 no place in the test below is such a chance; with
 * RTMEM_CFG_HARDEN >= 1 the canary comes from the heap's addresses, which
 * differ from run to run, and about one such fake in 256 is. */
static bool fake_is_real(const rtm_tlsf_t *t, uint8_t *h, rtm_tw_t sz, uint8_t *const blocks[3])
{
    return rtm_tlsf_chk((uintptr_t)h - t->origin, sz, RTM_CANARY(t)) == 0u &&
           real_header(h + sz, blocks);
}

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
    /* p's bytes: no header left there by an earlier test in the same arena
     * (with the same canary when the instance sits at the same place) */
    memset(p, 0, 200);
    rtm_tw_t fake = 124u;
    memcpy(p + 12, &fake, sizeof fake);
    expect_fault(&t, p + 16, RTM_ERR_INTERIOR_PTR);
    /* every size with a USED header, at every aligned place in p */
    unsigned chance = 0;
    uint8_t *const blocks[3] = {p, q, r};
    for (size_t off = 4; off + 4u < 200u; off += RTM_TLSF_ALIGN) {
        for (rtm_tw_t sz = RTM_TLSF_MIN_BLOCK; sz < 512u; sz += RTM_TLSF_ALIGN) {
            fake = sz | RTM_TF_USED;
            if (fake_is_real(&t, p + off, sz, blocks)) {
                chance++; /* a valid header, as far as any O(1) test can tell */
                continue;
            }
            memcpy(p + off, &fake, sizeof fake);
            assert_int_not_equal(rtm_tlsf_free(&t, p + off + 4), RTM_OK);
        }
    }
    /* only a keyed check byte (another canary each run) makes such chances,
     * among the few dozen fakes that end on a real header */
    if (RTMEM_CFG_HARDEN == 0) {
        assert_int_equal(chance, 0);
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
            keep(&t, rtm_tlsf_alloc(&t, n), lv, &nl);
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
                }
                keep(&t, p, lv, &nl);
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
    uint8_t *a, *b;
    (void)setup_row(&t, 16384, false, 100, &a, &b, NULL);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seal),
        cmocka_unit_test(test_write_after_free),
        cmocka_unit_test(test_overrun_into_free),
        cmocka_unit_test(test_interior_fake_header),
#if RTMEM_CFG_HARDEN >= 2
        cmocka_unit_test(test_guard),
        cmocka_unit_test(test_poison),
#endif
        cmocka_unit_test(test_scribble_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
