/*
 * rtm_heap1: every function and error path, exact numbers from the heap_1
 * rules (usable = size - A, requests rounded up to A, strict `<` test), and
 * a random alloc-only test with resets against a shadow model: pattern
 * checks on every live block and rtm_heap1_check after every step.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rtmem/heap1.h"
#include "rtmem/hooks.h"

#define A ((size_t)RTMEM_CFG_HEAP_ALIGNMENT)
#define RUP(x) (((size_t)(x) + A - 1u) & ~(A - 1u))

static _Alignas(64) uint8_t mem[4096 + 64];

static int g_faults;
static rtm_err_t g_reason;
static const void *g_ptr;

static void hook(void *user, rtm_err_t reason, const void *obj, const void *ptr)
{
    (void)obj;
    *(int *)user += 1;
    g_reason = reason;
    g_ptr = ptr;
}

static void setup_heap(rtm_heap1_t *h, size_t skew, size_t size)
{
    assert_int_equal(rtm_heap1_init(h, mem + skew, size), RTM_OK);
    g_faults = 0;
    rtm_heap1_set_fault_hook(h, hook, &g_faults);
}

static void test_init_errors(void **state)
{
    (void)state;
    rtm_heap1_t h;
    memset(&h, 0x5c, sizeof(h));
    rtm_heap1_t copy = h;
    assert_int_equal(rtm_heap1_init(NULL, mem, 100), RTM_ERR_NULL);
    assert_int_equal(rtm_heap1_init(&h, NULL, 100), RTM_ERR_NULL);
    assert_int_equal(rtm_heap1_init(&h, mem, A), RTM_ERR_ARG);
    assert_int_equal(rtm_heap1_init(&h, mem, 0), RTM_ERR_ARG);
    assert_int_equal(rtm_heap1_init(&h, (void *)(UINTPTR_MAX - 15u), 64), RTM_ERR_ARG);
    assert_memory_equal(&h, &copy, sizeof(h)); /* untouched */
    assert_int_equal(rtm_heap1_init(&h, mem, A + 1u), RTM_OK);
    assert_int_equal(rtm_heap1_free_bytes(&h), 1);
    assert_null(rtm_heap1_alloc(&h, 1)); /* 1 usable byte, never handed out */
}

static void test_layout_aligned_and_skewed(void **state)
{
    (void)state;
    for (size_t skew = 0; skew < A; skew++) {
        rtm_heap1_t h;
        setup_heap(&h, skew, 1024);
        assert_int_equal(rtm_heap1_free_bytes(&h), 1024u - A);
        uint8_t *p = rtm_heap1_alloc(&h, 1);
        assert_non_null(p);
        assert_ptr_equal(p, mem + RUP(skew));
        assert_int_equal((uintptr_t)p % A, 0);
        assert_int_equal(rtm_heap1_free_bytes(&h), 1024u - 2u * A);
        /* Everything that fits: free - A bytes (strict test). */
        size_t f = rtm_heap1_free_bytes(&h);
        assert_null(rtm_heap1_alloc(&h, f));
        uint8_t *q = rtm_heap1_alloc(&h, f - A);
        assert_ptr_equal(q, p + A);
        assert_int_equal(rtm_heap1_free_bytes(&h), A);
        assert_true(q + (f - A) <= mem + skew + 1024u);
        rtm_check_t r;
        assert_int_equal(rtm_heap1_check(&h, &r), RTM_OK);
    }
}

static void test_sizing_macro(void **state)
{
    (void)state;
    size_t sum = RUP(10) + RUP(100) + RUP(1);
    for (size_t skew = 0; skew < A; skew++) {
        rtm_heap1_t h;
        setup_heap(&h, skew, RTM_HEAP1_SIZE_FOR(sum));
        assert_non_null(rtm_heap1_alloc(&h, 10));
        assert_non_null(rtm_heap1_alloc(&h, 100));
        assert_non_null(rtm_heap1_alloc(&h, 1));
        setup_heap(&h, skew, RTM_HEAP1_SIZE_FOR(sum) - 1u);
        assert_non_null(rtm_heap1_alloc(&h, 10));
        assert_non_null(rtm_heap1_alloc(&h, 100));
        assert_null(rtm_heap1_alloc(&h, 1));
    }
}

static void test_alloc_failures_are_not_faults(void **state)
{
    (void)state;
    rtm_heap1_t h;
    setup_heap(&h, 0, 512);
    assert_null(rtm_heap1_alloc(&h, 0));
    assert_null(rtm_heap1_alloc(&h, SIZE_MAX));     /* rounding wraps */
    assert_null(rtm_heap1_alloc(&h, SIZE_MAX - A)); /* used + take wraps */
    assert_null(rtm_heap1_alloc(&h, 512));
    assert_null(rtm_heap1_alloc(NULL, 8));
    assert_null(rtm_heap1_calloc(&h, SIZE_MAX, 2));
    assert_null(rtm_heap1_calloc(&h, 0, 2));
    assert_null(rtm_heap1_calloc(NULL, 1, 2));
    assert_int_equal(g_faults, 0);
    rtm_stats_t s;
    rtm_heap1_stats(&h, &s);
    assert_int_equal(s.failed_allocs, 6);
    assert_int_equal(s.alloc_count, 0);
    assert_int_equal(s.free_bytes, 512u - A);
}

static void test_calloc_zeroes(void **state)
{
    (void)state;
    rtm_heap1_t h;
    memset(mem, 0xff, sizeof(mem));
    setup_heap(&h, 0, 512);
    uint8_t *p = rtm_heap1_calloc(&h, 7, 3);
    assert_non_null(p);
    for (size_t i = 0; i < 21; i++) {
        assert_int_equal(p[i], 0);
    }
    assert_int_equal(rtm_heap1_free_bytes(&h), 512u - A - RUP(21));
}

static void test_free_is_a_fault(void **state)
{
    (void)state;
    rtm_heap1_t h;
    setup_heap(&h, 0, 512);
    uint8_t *p = rtm_heap1_alloc(&h, 16);
    assert_int_equal(rtm_heap1_free(&h, NULL), RTM_OK);
    assert_int_equal(g_faults, 0);
    assert_int_equal(rtm_heap1_free(&h, p), RTM_ERR_NOT_SUPPORTED);
    assert_int_equal(g_reason, RTM_ERR_NOT_SUPPORTED);
    assert_ptr_equal(g_ptr, p);
    assert_int_equal(rtm_heap1_free(&h, mem + 511), RTM_ERR_NOT_SUPPORTED);
    assert_int_equal(rtm_heap1_free(&h, mem + 512), RTM_ERR_FOREIGN_PTR);
    int local;
    assert_int_equal(rtm_heap1_free(&h, &local), RTM_ERR_FOREIGN_PTR);
    assert_int_equal(rtm_heap1_free(NULL, p), RTM_ERR_NULL);
    assert_int_equal(g_faults, 4);
    assert_int_equal(rtm_heap1_free_bytes(&h), 512u - A - 16u); /* untouched */
    rtm_stats_t s;
    rtm_heap1_stats(&h, &s);
    assert_int_equal(s.faults, 4);
    assert_int_equal(s.free_count, 0);
}

static void test_stats_min_ever_reset(void **state)
{
    (void)state;
    rtm_heap1_t h;
    setup_heap(&h, 0, 1024);
    (void)rtm_heap1_alloc(&h, 100);
    (void)rtm_heap1_alloc(&h, 1);
    (void)rtm_heap1_alloc(&h, 0);
    rtm_stats_t s;
    rtm_heap1_stats(&h, &s);
    size_t f = 1024u - A - RUP(100) - A;
    assert_int_equal(s.total_bytes, 1024u - A);
    assert_int_equal(s.free_bytes, f);
    assert_int_equal(s.min_ever_free, f);
    assert_int_equal(s.largest_free, f);
    assert_int_equal(s.smallest_free, f);
    assert_int_equal(s.free_blocks, 1);
    assert_int_equal(s.used_blocks, 2);
    assert_int_equal(s.alloc_count, 2);
    assert_int_equal(s.free_count, 0);
    assert_int_equal(s.failed_allocs, 1);
    assert_int_equal(s.faults, 0);
    assert_int_equal(rtm_heap1_min_ever_free(&h), f);
    rtm_heap1_reset_min_ever_free(&h);
    assert_int_equal(rtm_heap1_min_ever_free(&h), f);
    rtm_heap1_reset(&h);
    rtm_heap1_stats(&h, &s);
    assert_int_equal(s.free_bytes, 1024u - A);
    assert_int_equal(s.used_blocks, 0);
    assert_int_equal(s.alloc_count, 2); /* counters survive a reset */
    assert_ptr_equal(rtm_heap1_alloc(&h, 1), mem);
    rtm_heap1_stats(NULL, &s);
    assert_int_equal(s.free_bytes, 0);
    rtm_heap1_stats(&h, NULL);
    rtm_heap1_reset(NULL);
    rtm_heap1_reset_min_ever_free(NULL);
    rtm_heap1_set_fault_hook(NULL, hook, NULL);
    assert_int_equal(rtm_heap1_free_bytes(NULL), 0);
    assert_int_equal(rtm_heap1_min_ever_free(NULL), 0);
}

static void test_check_finds_damage(void **state)
{
    (void)state;
    rtm_heap1_t h;
    rtm_check_t r;
    setup_heap(&h, 3, 512);
    (void)rtm_heap1_alloc(&h, 8);
    assert_int_equal(rtm_heap1_check(&h, &r), RTM_OK);
    assert_int_equal(r.err, RTM_OK);
    assert_int_equal(r.blocks, 2);
    assert_int_equal(r.free_blocks, 1);
    assert_int_equal(r.free_bytes, 512u - A - A);
    assert_int_equal(rtm_heap1_check(&h, NULL), RTM_OK);
    assert_int_equal(rtm_heap1_check(NULL, &r), RTM_ERR_NULL);

    rtm_heap1_t bad = h;
    bad.used = 3;
    assert_int_equal(rtm_heap1_check(&bad, &r), RTM_ERR_CORRUPT);
    assert_string_equal(r.what, "used bytes are misaligned");
    bad = h;
    bad.used = bad.usable;
    assert_int_equal(rtm_heap1_check(&bad, &r), RTM_ERR_CORRUPT);
    bad = h;
    bad.start = bad.start + 1;
    assert_int_equal(rtm_heap1_check(&bad, &r), RTM_ERR_CORRUPT);
    assert_ptr_equal(r.where, bad.start);
    bad = h;
    bad.start = bad.start + A;
    assert_int_equal(rtm_heap1_check(&bad, &r), RTM_ERR_CORRUPT);
    bad = h;
    bad.usable = 7;
    assert_int_equal(rtm_heap1_check(&bad, &r), RTM_ERR_CORRUPT);
}

/* ---- Random alloc-only test against a shadow model ---------------------- */

#define LIVE_MAX 2048

static uint32_t rnd(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static void test_random_against_model(void **state)
{
    (void)state;
    static uint8_t *live[LIVE_MAX];
    static size_t live_len[LIVE_MAX];
    static uint8_t live_tag[LIVE_MAX];
    size_t nlive = 0;
    rtm_heap1_t h;
    setup_heap(&h, 5, 4096);
    size_t usable = 4096u - A;
    size_t used = 0, allocs = 0, failed = 0;
    uint32_t seed = 12345u;
    for (int op = 0; op < 100000; op++) {
        uint32_t r = rnd(&seed);
        if (r % 97u == 0u) {
            /* Every live block still holds its pattern, then forget all. */
            for (size_t i = 0; i < nlive; i++) {
                for (size_t k = 0; k < live_len[i]; k++) {
                    assert_int_equal(live[i][k], (uint8_t)(live_tag[i] + k));
                }
            }
            rtm_heap1_reset(&h);
            used = 0;
            nlive = 0;
        } else {
            size_t n = (r >> 8) % 8u == 0u ? (r >> 12) % 2000u : (r >> 12) % 64u;
            bool zeroed = (r & 0x10u) != 0u;
            uint8_t *p = zeroed ? rtm_heap1_calloc(&h, 1, n) : rtm_heap1_alloc(&h, n);
            size_t take = RUP(n);
            bool fits = n != 0u && used + take < usable;
            if (!fits) {
                assert_null(p);
                failed++;
            } else {
                assert_ptr_equal(p, h.start + used);
                assert_int_equal((uintptr_t)p % A, 0);
                for (size_t k = 0; zeroed && k < n; k++) {
                    assert_int_equal(p[k], 0);
                }
                used += take;
                allocs++;
                if (nlive < LIVE_MAX) {
                    live[nlive] = p;
                    live_len[nlive] = n;
                    live_tag[nlive] = (uint8_t)r;
                    for (size_t k = 0; k < n; k++) {
                        p[k] = (uint8_t)((uint8_t)r + k);
                    }
                    nlive++;
                }
            }
        }
        rtm_check_t c;
        assert_int_equal(rtm_heap1_check(&h, &c), RTM_OK);
        assert_int_equal(c.free_bytes, usable - used);
        assert_int_equal(rtm_heap1_free_bytes(&h), usable - used);
        assert_int_equal(rtm_heap1_min_ever_free(&h), usable - used);
    }
    rtm_stats_t s;
    rtm_heap1_stats(&h, &s);
    assert_int_equal(s.alloc_count, allocs);
    assert_int_equal(s.failed_allocs, failed);
    assert_int_equal(s.faults, 0);
}

/* rtm_seal: allocations refused with RTM_ERR_SEALED (counted as failed,
 * nothing taken); heap_1 has no free, so only the refusal and the unseal. */
static void test_seal_refuses(void **state)
{
    (void)state;
    rtm_heap1_t h;
    setup_heap(&h, 0, 1024);
    assert_non_null(rtm_heap1_alloc(&h, 16));
    size_t f = rtm_heap1_free_bytes(&h);
    rtm_seal(&h.fault);
    assert_null(rtm_heap1_alloc(&h, 16));
    assert_null(rtm_heap1_calloc(&h, 2, 8));
    assert_int_equal(g_faults, 2);
    assert_int_equal(g_reason, RTM_ERR_SEALED);
    assert_int_equal(rtm_heap1_free_bytes(&h), f);
    assert_int_equal(rtm_heap1_free(&h, NULL), RTM_OK);
    rtm_unseal(&h.fault);
    assert_non_null(rtm_heap1_alloc(&h, 16));
    assert_int_equal(g_faults, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_errors),
        cmocka_unit_test(test_layout_aligned_and_skewed),
        cmocka_unit_test(test_sizing_macro),
        cmocka_unit_test(test_alloc_failures_are_not_faults),
        cmocka_unit_test(test_calloc_zeroes),
        cmocka_unit_test(test_free_is_a_fault),
        cmocka_unit_test(test_stats_min_ever_reset),
        cmocka_unit_test(test_check_finds_damage),
        cmocka_unit_test(test_random_against_model),
        cmocka_unit_test(test_seal_refuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
