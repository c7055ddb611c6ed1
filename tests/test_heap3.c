/*
 * rtm_heap3: every function and error path, the malloc-failed callback
 * exactly on NULL, exact counters, and a random 100,000-operation test
 * against a shadow model with pattern checks. heap_3 has no heap walk (the
 * C library owns the blocks): rtm_heap3_check, run after every step, can
 * only compare the counters, so the patterns carry the integrity checking.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rtmem/heap3.h"
#include "rtmem/hooks.h"

/* Let the sanitizers' allocators return NULL for impossible sizes. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "allocator_may_return_null=1"; }
const char *__tsan_default_options(void);
const char *__tsan_default_options(void) { return "allocator_may_return_null=1"; }

static int g_failed;
static size_t g_failed_size;
static int g_faults;

static void on_failed(void *user, size_t size)
{
    *(int *)user += 1;
    g_failed_size = size;
}

static void hook(void *user, rtm_err_t reason, const void *obj, const void *ptr)
{
    (void)reason;
    (void)obj;
    (void)ptr;
    *(int *)user += 1;
}

static void setup_heap(rtm_heap3_t *h)
{
    assert_int_equal(rtm_heap3_init(h), RTM_OK);
    g_failed = 0;
    g_faults = 0;
    rtm_heap3_set_malloc_failed_hook(h, on_failed, &g_failed);
    rtm_heap3_set_fault_hook(h, hook, &g_faults);
}

static void test_alloc_free_counts(void **state)
{
    (void)state;
    rtm_heap3_t h;
    setup_heap(&h);
    assert_int_equal(rtm_heap3_init(NULL), RTM_ERR_NULL);
    uint8_t *p = rtm_heap3_alloc(&h, 100);
    uint8_t *q = rtm_heap3_calloc(&h, 5, 5);
    assert_non_null(p);
    assert_non_null(q);
    for (size_t i = 0; i < 25; i++) {
        assert_int_equal(q[i], 0);
    }
    rtm_stats_t s;
    rtm_heap3_stats(&h, &s);
    assert_int_equal(s.alloc_count, 2);
    assert_int_equal(s.used_blocks, 2);
    assert_int_equal(s.free_count, 0);
    assert_int_equal(s.free_bytes, 0);
    assert_int_equal(s.total_bytes, 0);
    assert_int_equal(s.free_blocks, 0);
    assert_int_equal(rtm_heap3_free(&h, p), RTM_OK);
    assert_int_equal(rtm_heap3_free(&h, NULL), RTM_OK);
    assert_int_equal(rtm_heap3_free(&h, q), RTM_OK);
    rtm_heap3_stats(&h, &s);
    assert_int_equal(s.free_count, 2);
    assert_int_equal(s.used_blocks, 0);
    assert_int_equal(rtm_heap3_free_bytes(&h), 0);
    assert_int_equal(rtm_heap3_min_ever_free(&h), 0);
    rtm_heap3_reset_min_ever_free(&h);
    assert_int_equal(g_failed, 0);
    assert_int_equal(g_faults, 0);
    rtm_heap3_flush(&h); /* the quarantined blocks go to free() */
}

static void test_failed_callback_exactly_on_null(void **state)
{
    (void)state;
    rtm_heap3_t h;
    setup_heap(&h);
    assert_null(rtm_heap3_alloc(&h, SIZE_MAX));
    assert_int_equal(g_failed, 1);
    assert_int_equal(g_failed_size, SIZE_MAX);
    assert_null(rtm_heap3_calloc(&h, SIZE_MAX, 2)); /* overflow */
    assert_int_equal(g_failed, 2);
    void *z = rtm_heap3_alloc(&h, 0); /* the C library decides */
    assert_int_equal(g_failed, z == NULL ? 3 : 2);
    (void)rtm_heap3_free(&h, z);
    rtm_stats_t s;
    rtm_heap3_stats(&h, &s);
    assert_int_equal(s.failed_allocs, (size_t)g_failed);
    rtm_heap3_set_malloc_failed_hook(&h, NULL, NULL);
    assert_null(rtm_heap3_alloc(&h, SIZE_MAX)); /* no callback: fine */
    assert_null(rtm_heap3_alloc(NULL, 8));
    assert_null(rtm_heap3_calloc(NULL, 1, 8));
    rtm_heap3_flush(&h); /* the quarantined blocks go to free() */
}

static void test_free_without_live_blocks_is_a_fault(void **state)
{
    (void)state;
    rtm_heap3_t h;
    setup_heap(&h);
    int local;
    assert_int_equal(rtm_heap3_free(&h, &local), RTM_ERR_FOREIGN_PTR);
    assert_int_equal(g_faults, 1);
    assert_int_equal(rtm_heap3_free(NULL, &local), RTM_ERR_NULL);
    rtm_stats_t s;
    rtm_heap3_stats(&h, &s);
    assert_int_equal(s.faults, 1);
    assert_int_equal(s.free_count, 0);
    rtm_heap3_stats(NULL, &s);
    assert_int_equal(s.faults, 0);
    rtm_heap3_stats(&h, NULL);
    rtm_heap3_set_fault_hook(NULL, hook, NULL);
    rtm_heap3_set_malloc_failed_hook(NULL, on_failed, NULL);
    rtm_heap3_flush(&h); /* the quarantined blocks go to free() */
}

/* Issue 15 item 7: another instance's live block (and an interior pointer,
 * and a block from plain malloc) is refused, not freed. */
static void test_foreign_instance_block(void **state)
{
    (void)state;
    rtm_heap3_t h, other;
    setup_heap(&h);
    assert_int_equal(rtm_heap3_init(&other), RTM_OK);
    uint8_t *mine = rtm_heap3_alloc(&h, 32);
    uint8_t *theirs = rtm_heap3_alloc(&other, 32);
    void *plain = malloc(64);
    assert_non_null(mine);
    assert_non_null(theirs);
    assert_non_null(plain);
    assert_int_equal(rtm_heap3_free(&h, theirs), RTM_ERR_FOREIGN_PTR);
    assert_int_equal(rtm_heap3_free(&h, mine + 1), RTM_ERR_FOREIGN_PTR);
    assert_int_equal(rtm_heap3_free(&h, mine + RTM_MAX_ALIGN), RTM_ERR_FOREIGN_PTR);
    assert_int_equal(rtm_heap3_free(&h, (uint8_t *)plain + RTM_HEAP3_HEADER), RTM_ERR_FOREIGN_PTR);
    assert_int_equal(g_faults, 4);
    memset(theirs, 0x5A, 32); /* still live and untouched by the refused free */
    rtm_stats_t s;
    rtm_heap3_stats(&h, &s);
    assert_int_equal(s.used_blocks, 1);
    assert_int_equal(s.free_count, 0);
    assert_int_equal(rtm_heap3_free(&other, theirs), RTM_OK);
    assert_int_equal(rtm_heap3_free(&h, mine), RTM_OK);
    assert_int_equal(rtm_heap3_check(&h, NULL), RTM_OK);
    free(plain);
    rtm_heap3_flush(&h); /* the quarantined blocks go to free() */
    rtm_heap3_flush(&other);
}

/* rtm_seal: allocations refused with RTM_ERR_SEALED, frees still work. */
static void test_seal_refuses_alloc_not_free(void **state)
{
    (void)state;
    rtm_heap3_t h;
    setup_heap(&h);
    void *p = rtm_heap3_alloc(&h, 16);
    assert_non_null(p);
    rtm_seal(&h.fault);
    assert_null(rtm_heap3_alloc(&h, 16));
    assert_int_equal(g_faults, 1);
    assert_int_equal(h.fault.last, RTM_ERR_SEALED);
    assert_int_equal(rtm_heap3_free(&h, p), RTM_OK);
    rtm_unseal(&h.fault);
    p = rtm_heap3_alloc(&h, 16);
    assert_non_null(p);
    assert_int_equal(rtm_heap3_free(&h, p), RTM_OK);
    assert_int_equal(g_faults, 1);
    rtm_heap3_flush(&h); /* the quarantined blocks go to free() */
}

static void test_check_compares_counters(void **state)
{
    (void)state;
    rtm_heap3_t h;
    rtm_check_t r;
    setup_heap(&h);
    void *p = rtm_heap3_alloc(&h, 10);
    assert_int_equal(rtm_heap3_check(&h, &r), RTM_OK);
    assert_int_equal(r.blocks, 1);
    assert_string_equal(r.what, "ok");
    assert_int_equal(rtm_heap3_check(&h, NULL), RTM_OK);
    assert_int_equal(rtm_heap3_check(NULL, &r), RTM_ERR_NULL);
    rtm_heap3_t bad = h;
    bad.free_count = 5;
    assert_int_equal(rtm_heap3_check(&bad, &r), RTM_ERR_CORRUPT);
    bad = h;
    bad.live_blocks = 7;
    assert_int_equal(rtm_heap3_check(&bad, &r), RTM_ERR_CORRUPT);
    assert_string_equal(r.what, "counters disagree");
    (void)rtm_heap3_free(&h, p);
    rtm_heap3_flush(&h); /* the quarantined blocks go to free() */
}

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
    enum { SLOTS = 64 };
    uint8_t *blk[SLOTS] = {0};
    size_t len[SLOTS] = {0};
    uint8_t tag[SLOTS] = {0};
    size_t allocs = 0, frees = 0, live = 0;
    rtm_heap3_t h;
    setup_heap(&h);
    uint32_t seed = 777u;
    for (int op = 0; op < 100000; op++) {
        uint32_t r = rnd(&seed);
        size_t i = r % SLOTS;
        if (blk[i] != NULL) {
            for (size_t k = 0; k < len[i]; k++) {
                assert_int_equal(blk[i][k], (uint8_t)(tag[i] ^ k));
            }
            assert_int_equal(rtm_heap3_free(&h, blk[i]), RTM_OK);
            blk[i] = NULL;
            frees++;
            live--;
        } else {
            len[i] = 1u + (r >> 8) % 512u;
            tag[i] = (uint8_t)(r >> 24);
            bool zeroed = (r & 0x40u) != 0u;
            blk[i] = zeroed ? rtm_heap3_calloc(&h, len[i], 1) : rtm_heap3_alloc(&h, len[i]);
            assert_non_null(blk[i]);
            for (size_t k = 0; k < len[i]; k++) {
                if (zeroed) {
                    assert_int_equal(blk[i][k], 0);
                }
                blk[i][k] = (uint8_t)(tag[i] ^ k);
            }
            allocs++;
            live++;
        }
        rtm_check_t c;
        assert_int_equal(rtm_heap3_check(&h, &c), RTM_OK);
        assert_int_equal(c.blocks, live);
    }
    for (size_t i = 0; i < SLOTS; i++) {
        if (blk[i] != NULL) {
            assert_int_equal(rtm_heap3_free(&h, blk[i]), RTM_OK);
            frees++;
        }
    }
    rtm_stats_t s;
    rtm_heap3_stats(&h, &s);
    assert_int_equal(s.alloc_count, allocs);
    assert_int_equal(s.free_count, frees);
    assert_int_equal(s.used_blocks, 0);
    assert_int_equal(s.failed_allocs, 0);
    assert_int_equal(g_failed, 0);
    rtm_heap3_flush(&h); /* the quarantined blocks go to free() */
}

/* The quarantine: a second free of any of the last RTM_HEAP3_QUARANTINE
 * freed blocks is RTM_ERR_DOUBLE_FREE (also after another free in between,
 * and after new allocations, which cannot get the quarantined memory); the
 * counters are untouched by the refused frees. */
static void test_double_free_in_quarantine(void **state)
{
    (void)state;
    rtm_heap3_t h;
    setup_heap(&h);
    uint8_t *a = rtm_heap3_alloc(&h, 48), *b = rtm_heap3_alloc(&h, 48);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(rtm_heap3_free(&h, a), RTM_OK);
    assert_int_equal(rtm_heap3_free(&h, a), RTM_ERR_DOUBLE_FREE); /* immediate */
    assert_int_equal(rtm_heap3_free(&h, b), RTM_OK);
    assert_int_equal(rtm_heap3_free(&h, a), RTM_ERR_DOUBLE_FREE); /* after another */
    uint8_t *c = rtm_heap3_alloc(&h, 48);
    assert_non_null(c);
    assert_true(c != a && c != b); /* still held back from the C library */
    assert_int_equal(rtm_heap3_free(&h, a), RTM_ERR_DOUBLE_FREE); /* after an alloc */
    assert_int_equal(g_faults, 3);
    rtm_stats_t st;
    rtm_heap3_stats(&h, &st);
    assert_int_equal(st.free_count, 2);
    assert_int_equal(st.used_blocks, 1);
    assert_int_equal(rtm_heap3_check(&h, NULL), RTM_OK);
    /* RTM_HEAP3_QUARANTINE more frees push a out: it went to free() */
    assert_int_equal(rtm_heap3_free(&h, c), RTM_OK);
    for (size_t i = 0; i + 1u < RTM_HEAP3_QUARANTINE; i++) {
        assert_int_equal(rtm_heap3_free(&h, rtm_heap3_alloc(&h, 8)), RTM_OK);
    }
    for (size_t i = 0; i < RTM_HEAP3_QUARANTINE; i++) {
        assert_true(h.quarantine[i] != (void *)(a - RTM_HEAP3_HEADER));
    }
    assert_int_equal(rtm_heap3_check(&h, NULL), RTM_OK);
    assert_int_equal(g_faults, 3);
    rtm_heap3_flush(&h);
    for (size_t i = 0; i < RTM_HEAP3_QUARANTINE; i++) {
        assert_null(h.quarantine[i]);
    }
}

/* A stray write into a quarantined block's tag: the check says so, and the
 * block leaving the quarantine is reported (RTM_ERR_CORRUPT) and kept from
 * free(); the other quarantined blocks go to free() as usual. */
static void test_quarantined_tag_damage(void **state)
{
    (void)state;
    rtm_heap3_t h;
    setup_heap(&h);
    uint8_t *a = rtm_heap3_alloc(&h, 32), *b = rtm_heap3_alloc(&h, 32);
    assert_non_null(b);
    assert_int_equal(rtm_heap3_free(&h, a), RTM_OK);
    assert_int_equal(rtm_heap3_free(&h, b), RTM_OK);
    assert_int_equal(rtm_heap3_check(&h, NULL), RTM_OK);
    uintptr_t *tag = (uintptr_t *)(void *)(a - RTM_HEAP3_HEADER);
    uintptr_t saved = *tag;
    *tag ^= 0xA5u;
    rtm_check_t r;
    assert_int_equal(rtm_heap3_check(&h, &r), RTM_ERR_CORRUPT);
    assert_ptr_equal(r.where, a);
    assert_int_equal(g_faults, 0); /* the check only reports */
    rtm_heap3_flush(&h);
    assert_int_equal(g_faults, 1);
    assert_int_equal(rtm_heap3_check(&h, NULL), RTM_OK);
    *tag = saved;
    free(tag); /* what rtm_heap3 kept from free() */
}

/* Holding blocks back never fails an allocation: when malloc fails with
 * blocks in the quarantine, they go to free() and malloc is tried again. */
static void test_failed_malloc_flushes_quarantine(void **state)
{
    (void)state;
    rtm_heap3_t h;
    setup_heap(&h);
    assert_int_equal(rtm_heap3_free(&h, rtm_heap3_alloc(&h, 64)), RTM_OK);
    assert_non_null(h.quarantine[0]);
    assert_null(rtm_heap3_alloc(&h, SIZE_MAX / 2u));
    assert_int_equal(g_failed, 1);
    assert_null(h.quarantine[0]);
    rtm_heap3_flush(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_free_counts),
        cmocka_unit_test(test_failed_callback_exactly_on_null),
        cmocka_unit_test(test_free_without_live_blocks_is_a_fault),
        cmocka_unit_test(test_check_compares_counters),
        cmocka_unit_test(test_foreign_instance_block),
        cmocka_unit_test(test_seal_refuses_alloc_not_free),
        cmocka_unit_test(test_random_against_model),
        cmocka_unit_test(test_double_free_in_quarantine),
        cmocka_unit_test(test_quarantined_tag_damage),
        cmocka_unit_test(test_failed_malloc_flushes_quarantine),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
