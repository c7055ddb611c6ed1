/* Stray writes against heap_2, heap_4 and heap_5 (issue 15 items 1, 2, 8):
 * an overrun of 1..16 bytes from a used block into the next free block's
 * link or size, a size overwritten with 0x1000, a write after free. Each
 * must be detected (RTM_ERR_CORRUPT through the fault hook, the call fails)
 * or harmless (the block handed out overlaps no live block); never a wild
 * pointer followed (ASan/UBSan builds). Also the getters' NULL and
 * bad-pointer policy, and sealing (rtm_seal) for every scheme. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "freelist.h"
#include "rtmem/heap2.h"
#include "rtmem/heap4.h"
#include "rtmem/heap5.h"
#include "rtmem/hooks.h"
#include "test_heap_util.h"

#define BUF 4096u
static _Alignas(64) uint8_t g_buf[BUF];
static fault_log_t g_log;
static rtm_heap2_t g_h2;
static rtm_heap4_t g_h4;
static rtm_heap5_t g_h5;

/* One scheme behind a uniform face. */
typedef struct {
    const char *name;
    void (*init)(void);
    void *(*alloc)(size_t n);
    rtm_err_t (*free)(void *p);
    rtm_err_t (*check)(void);
    size_t (*usable)(const void *p);
    rtm_fault_t *fault;
} scheme_t;

static void i2(void)
{
    assert_int_equal(rtm_heap2_init(&g_h2, g_buf, BUF), RTM_OK);
    rtm_heap2_set_fault_hook(&g_h2, log_fault, &g_log);
}
static void *a2(size_t n) { return rtm_heap2_alloc(&g_h2, n); }
static rtm_err_t f2(void *p) { return rtm_heap2_free(&g_h2, p); }
static rtm_err_t c2(void) { return rtm_heap2_check(&g_h2, NULL); }
static size_t u2(const void *p) { return rtm_heap2_usable_size(&g_h2, p); }

static void i4(void)
{
    assert_int_equal(rtm_heap4_init(&g_h4, g_buf, BUF), RTM_OK);
    rtm_heap4_set_fault_hook(&g_h4, log_fault, &g_log);
}
static void *a4(size_t n) { return rtm_heap4_alloc(&g_h4, n); }
static rtm_err_t f4(void *p) { return rtm_heap4_free(&g_h4, p); }
static rtm_err_t c4(void) { return rtm_heap4_check(&g_h4, NULL); }
static size_t u4(const void *p) { return rtm_heap4_usable_size(&g_h4, p); }

static void i5(void)
{
    rtm_region_t t[] = {{g_buf, 1024}, {g_buf + 1536, BUF - 1536}, {NULL, 0}};
    assert_int_equal(rtm_heap5_init(&g_h5, t), RTM_OK);
    rtm_heap5_set_fault_hook(&g_h5, log_fault, &g_log);
}
static void *a5(size_t n) { return rtm_heap5_alloc(&g_h5, n); }
static rtm_err_t f5(void *p) { return rtm_heap5_free(&g_h5, p); }
static rtm_err_t c5(void) { return rtm_heap5_check(&g_h5, NULL); }
static size_t u5(const void *p) { return rtm_heap5_usable_size(&g_h5, p); }

static const scheme_t g_schemes[] = {
    {"heap_2", i2, a2, f2, c2, u2, &g_h2.fl.fault},
    {"heap_4", i4, a4, f4, c4, u4, &g_h4.fl.fault},
    {"heap_5", i5, a5, f5, c5, u5, &g_h5.fl.fault},
};
#define NSCHEMES (sizeof g_schemes / sizeof g_schemes[0])

static void fresh(const scheme_t *s)
{
    memset(g_buf, 0, sizeof g_buf);
    memset(&g_log, 0, sizeof g_log);
    s->init();
}

static bool overlaps(const void *p, size_t n, const void *q, size_t m)
{
    uintptr_t a = (uintptr_t)p, b = (uintptr_t)q;
    return a < b + m && b < a + n;
}

/* The outcome every stray-write test accepts: NULL with RTM_ERR_CORRUPT
 * raised, or a block inside the buffer that overlaps no live block. */
static void detected_or_harmless(const scheme_t *s, const uint8_t *r, size_t n,
                                 uint8_t *const *live, const size_t *lsz, size_t nlive)
{
    if (r == NULL) {
        assert_true(g_log.calls >= 1);
        assert_int_equal(g_log.last, RTM_ERR_CORRUPT);
        return;
    }
    assert_true(r >= g_buf && r + n <= g_buf + BUF);
    for (size_t i = 0; i < nlive; i++) {
        assert_false(overlaps(r - H, n + H, live[i] - H, lsz[i] + H));
    }
    (void)s;
}

/* [a][b: freed][c]: a overruns by k bytes (0xA5) into b's header, then an
 * allocation too large for b walks through b's link, and one that fits b
 * takes it (its size and link must be trusted first). */
static void test_overrun_into_free_header(void **state)
{
    (void)state;
    for (size_t si = 0; si < NSCHEMES; si++) {
        const scheme_t *s = &g_schemes[si];
        for (size_t k = 1; k <= 16u; k++) {
            for (int big = 0; big < 2; big++) {
                fresh(s);
                uint8_t *a = s->alloc(40), *b = s->alloc(40), *c = s->alloc(40);
                assert_non_null(c);
                size_t ua = s->usable(a), uc = s->usable(c);
                assert_int_equal(s->free(b), RTM_OK);
                uint8_t saved[16];
                memcpy(saved, a + ua, k);
                memset(a + ua, 0xA5, k); /* into b's header: link first, then size */
                size_t n = big ? 600u : 8u;
                uint8_t *r = s->alloc(n);
                uint8_t *live[] = {a, c};
                size_t lsz[] = {ua, uc};
                detected_or_harmless(s, r, n, live, lsz, 2);
                if (k <= sizeof(void *) && r == NULL) {
                    /* the link was hit: the check sees it too */
                    assert_int_equal(s->check(), RTM_ERR_CORRUPT);
                }
                if (r == NULL) { /* repair: the heap works again */
                    memcpy(a + ua, saved, k);
                    assert_int_equal(s->check(), RTM_OK);
                    assert_non_null(s->alloc(n));
                    assert_int_equal(s->check(), RTM_OK);
                }
            }
        }
    }
}

/* heap_2: the best fit takes a free block whose link an overrun damaged.
 * The alloc that takes it must see the link (RTM_ERR_CORRUPT), not move it
 * into the list head unchecked for a later call to trip over; and once the
 * link is repaired the heap is whole. */
static void test_heap2_taken_block_link(void **state)
{
    (void)state;
    const scheme_t *s = &g_schemes[0];
    for (size_t k = 1; k <= sizeof(void *); k++) {
        fresh(s);
        uint8_t *a = s->alloc(40), *b = s->alloc(40), *c = s->alloc(40);
        assert_non_null(c);
        size_t ua = s->usable(a);
        assert_int_equal(s->free(b), RTM_OK);
        uint8_t saved[sizeof(void *)];
        memcpy(saved, a + ua, k);
        memset(a + ua, 0xA5, k); /* b's link only */
        assert_null(s->alloc(40)); /* b is the best fit */
        assert_int_equal(g_log.calls, 1);
        assert_int_equal(g_log.last, RTM_ERR_CORRUPT);
        memcpy(a + ua, saved, k);
        assert_int_equal(s->check(), RTM_OK);
        assert_ptr_equal(s->alloc(40), b);
        assert_int_equal(s->check(), RTM_OK);
    }
}

/* Issue 15 item 2: a free block's size overwritten with 0x1000; alloc(1500)
 * must not hand out the small block. */
static void test_free_size_overwritten(void **state)
{
    (void)state;
    for (size_t si = 0; si < NSCHEMES; si++) {
        const scheme_t *s = &g_schemes[si];
        fresh(s);
        uint8_t *v[4];
        size_t us[4];
        for (int i = 0; i < 4; i++) {
            v[i] = s->alloc(40);
            assert_non_null(v[i]);
            us[i] = s->usable(v[i]);
        }
        assert_int_equal(s->free(v[1]), RTM_OK);
        rtm_fl_link_t *hb = (rtm_fl_link_t *)(void *)(v[1] - H);
        size_t saved = hb->size;
        hb->size = 0x1000u;
        uint8_t *r = s->alloc(1500);
        uint8_t *live[] = {v[0], v[2], v[3]};
        size_t lsz[] = {us[0], us[2], us[3]};
        detected_or_harmless(s, r, 1500, live, lsz, 3);
        assert_true(r != v[1]);
        hb->size = saved;
    }
}

/* free(b); strcpy(b, "stale!!"): the user bytes of a free block are not
 * read by default (harmless: b comes back whole); with RTMEM_CFG_HARDEN >= 2
 * the poison shows the write when b would be handed out again. */
static void test_write_after_free(void **state)
{
    (void)state;
    for (size_t si = 0; si < NSCHEMES; si++) {
        const scheme_t *s = &g_schemes[si];
        fresh(s);
        uint8_t *a = s->alloc(40), *b = s->alloc(40), *c = s->alloc(40);
        assert_non_null(c);
        assert_int_equal(s->free(b), RTM_OK);
        strcpy((char *)b, "stale!!");
        uint8_t *r = s->alloc(40);
        if (RTMEM_CFG_HARDEN >= 2) {
            assert_null(r);
            assert_int_equal(g_log.last, RTM_ERR_CORRUPT);
            assert_int_equal(s->check(), RTM_ERR_CORRUPT);
        } else {
            uint8_t *live[] = {a, c};
            size_t lsz[] = {s->usable(a), s->usable(c)};
            detected_or_harmless(s, r, 40, live, lsz, 2);
            assert_int_equal(s->check(), RTM_OK);
        }
    }
}

/* With RTMEM_CFG_HARDEN >= 2 an alloc verifies the poison of the bytes it
 * hands out, not of the whole free block it splits: a 16-byte alloc from a
 * 4 KiB free block costs 16 bytes of reading, not 4 KiB (it read every byte
 * until 2026-12-07, so each first-fit alloc scanned the large rest). A write
 * after free deep in the rest is found by check() at once and by the alloc
 * that hands those bytes out. */
static void test_poison_read_where_handed_out(void **state)
{
    (void)state;
    if (RTMEM_CFG_HARDEN < 2) {
        skip();
    }
    for (size_t si = 0; si < NSCHEMES; si++) {
        const scheme_t *s = &g_schemes[si];
        fresh(s);
        uint8_t *big = s->alloc(800);
        assert_non_null(big);
        assert_int_equal(s->free(big), RTM_OK);
        big[700] ^= 0x5Au; /* a write after free, far from the front */
        uint8_t *r = s->alloc(16);
        assert_non_null(r);
        assert_int_equal(g_log.calls, 0);
        assert_int_equal(s->check(), RTM_ERR_CORRUPT);
        uint8_t *q = s->alloc(700); /* its bytes now include the damaged one */
        assert_null(q);
        assert_int_equal(g_log.last, RTM_ERR_CORRUPT);
    }
}

/* Bad pointers to usable_size: 0 and a fault, nothing read beyond the heap. */
static void test_usable_size_bad_pointer(void **state)
{
    (void)state;
    int local = 0;
    for (size_t si = 0; si < NSCHEMES; si++) {
        const scheme_t *s = &g_schemes[si];
        fresh(s);
        uint8_t *a = s->alloc(40);
        assert_non_null(a);
        assert_int_equal(s->usable(a), charge(40) - H);
        assert_int_equal(s->usable(&local), 0);
        assert_int_equal(g_log.last, RTM_ERR_FOREIGN_PTR);
        assert_int_equal(s->usable(a + 1), 0);
        assert_int_equal(g_log.last, RTM_ERR_INTERIOR_PTR);
        assert_int_equal(s->usable(a + A), 0);
        assert_int_equal(s->free(a), RTM_OK);
        assert_int_equal(s->usable(a), 0);
        assert_int_equal(g_log.last, RTM_ERR_DOUBLE_FREE);
        assert_int_equal(g_log.calls, 4);
    }
}

/* One policy for every getter: a NULL instance reads as empty. */
static void test_null_getters(void **state)
{
    (void)state;
    rtm_stats_t st;
    memset(&st, 0xEE, sizeof st);
    assert_int_equal(rtm_heap2_free_bytes(NULL), 0);
    assert_int_equal(rtm_heap4_free_bytes(NULL), 0);
    assert_int_equal(rtm_heap5_free_bytes(NULL), 0);
    assert_int_equal(rtm_heap2_min_ever_free(NULL), 0);
    assert_int_equal(rtm_heap4_min_ever_free(NULL), 0);
    assert_int_equal(rtm_heap5_min_ever_free(NULL), 0);
    assert_int_equal(rtm_heap2_usable_size(NULL, g_buf), 0);
    assert_int_equal(rtm_heap4_usable_size(NULL, g_buf), 0);
    assert_int_equal(rtm_heap5_usable_size(NULL, g_buf), 0);
    rtm_heap2_reset_min_ever_free(NULL);
    rtm_heap4_reset_min_ever_free(NULL);
    rtm_heap5_reset_min_ever_free(NULL);
    rtm_heap2_set_fault_hook(NULL, log_fault, NULL);
    rtm_heap4_set_fault_hook(NULL, log_fault, NULL);
    rtm_heap5_set_fault_hook(NULL, log_fault, NULL);
    rtm_heap2_set_clear_on_free(NULL, true);
    rtm_heap4_set_clear_on_free(NULL, true);
    rtm_heap5_set_clear_on_free(NULL, true);
    rtm_heap4_stats(NULL, &st);
    assert_int_equal(st.free_bytes, 0);
    assert_int_equal(st.alloc_count, 0);
    memset(&st, 0xEE, sizeof st);
    rtm_heap2_stats(NULL, &st);
    assert_int_equal(st.total_bytes, 0);
    memset(&st, 0xEE, sizeof st);
    rtm_heap5_stats(NULL, &st);
    assert_int_equal(st.faults, 0);
    rtm_heap4_stats(&g_h4, NULL);
    assert_int_equal(rtm_heap2_check(NULL, NULL), RTM_ERR_NULL);
    assert_int_equal(rtm_heap4_check(NULL, NULL), RTM_ERR_NULL);
    assert_int_equal(rtm_heap5_check(NULL, NULL), RTM_ERR_NULL);
}

/* rtm_seal: allocations refused with RTM_ERR_SEALED, frees still work. */
static void test_seal(void **state)
{
    (void)state;
    for (size_t si = 0; si < NSCHEMES; si++) {
        const scheme_t *s = &g_schemes[si];
        fresh(s);
        uint8_t *a = s->alloc(40);
        assert_non_null(a);
        rtm_seal(s->fault);
        assert_null(s->alloc(8));
        assert_int_equal(g_log.calls, 1);
        assert_int_equal(g_log.last, RTM_ERR_SEALED);
        assert_int_equal(s->free(a), RTM_OK);
        assert_int_equal(s->check(), RTM_OK);
        rtm_unseal(s->fault);
        assert_non_null(s->alloc(8));
        assert_int_equal(g_log.calls, 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_overrun_into_free_header),
        cmocka_unit_test(test_heap2_taken_block_link),
        cmocka_unit_test(test_free_size_overwritten),
        cmocka_unit_test(test_write_after_free),
        cmocka_unit_test(test_poison_read_where_handed_out),
        cmocka_unit_test(test_usable_size_bad_pointer),
        cmocka_unit_test(test_null_getters),
        cmocka_unit_test(test_seal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
