/*
 * Every statistics field is filled (issue 18): each scheme is used through
 * the uniform interface (allocations, a free that leaves two free blocks,
 * a failed allocation, a bad free) and every rtm_stats_t field must move
 * away from its value after init, or read RTM_STATS_NOT_COUNTED where the
 * scheme counts no operations (the pool). The only field allowed to stay
 * put is one the scheme states can never change (heap_1's free_count: it
 * cannot free). The same for the structs that are not rtm_stats_t: the
 * pool's own rtm_pool_stats_t, heap_3's stats, a partition's stats and a
 * quota owner's row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rtmem/alloc.h"
#include "rtmem/heap1.h"
#include "rtmem/heap2.h"
#include "rtmem/heap3.h"
#include "rtmem/heap4.h"
#include "rtmem/heap5.h"
#include "rtmem/partition.h"
#include "rtmem/pool.h"
#include "rtmem/tlsf.h"
#include "test_fault_count.h"

#define NFIELDS (sizeof(rtm_stats_t) / sizeof(size_t))
static const char *const field_names[] = {
    "total_bytes", "free_bytes",  "min_ever_free", "largest_free",  "smallest_free", "free_blocks",
    "used_blocks", "alloc_count", "free_count",    "failed_allocs", "faults"};
_Static_assert(sizeof field_names / sizeof field_names[0] == NFIELDS,
               "a field was added to rtm_stats_t: name it here");

static void fields(const rtm_stats_t *s, size_t out[NFIELDS])
{
    memcpy(out, s, sizeof *s); /* every member is a size_t */
}

/* Marks in moved[] each field that differs from first[]. */
static void mark(const rtm_stats_t *s, const size_t first[NFIELDS], int moved[NFIELDS])
{
    size_t now[NFIELDS];
    fields(s, now);
    for (size_t i = 0; i < NFIELDS; i++) {
        moved[i] |= now[i] != first[i];
    }
}

/* Uses one scheme and checks every field; `still` has bit i set for a
 * field i that the scheme's header says never moves. */
static void exercise(const rtm_alloc_ops_t *ops, void *inst, size_t param, unsigned still)
{
    static _Alignas(16) uint8_t mem[8192];
    static uint8_t outside[64];
    g_faults = 0;
    assert_int_equal(ops->init(inst, mem, sizeof mem, param), RTM_OK);
    ops->set_fault_hook(inst, hook, NULL);
    rtm_alloc_t a = rtm_alloc_bind(ops, inst);
    rtm_stats_t s;
    assert_int_equal(rtm_alloc_stats(&a, &s), RTM_OK);
    size_t first[NFIELDS];
    fields(&s, first);
    int moved[NFIELDS] = {0};
    assert_true(s.total_bytes > 0u);

    /* five blocks, the second and fourth freed: two free holes beside the
     * tail (heap_1 refuses the frees) */
    void *p[5];
    for (int i = 0; i < 5; i++) {
        p[i] = rtm_alloc_alloc(&a, 24u + 8u * (size_t)i);
        assert_non_null(p[i]);
        assert_int_equal(rtm_alloc_stats(&a, &s), RTM_OK);
        mark(&s, first, moved);
    }
    if (ops != &rtm_alloc_heap1) {
        assert_int_equal(rtm_alloc_free(&a, p[1]), RTM_OK);
        assert_int_equal(rtm_alloc_free(&a, p[3]), RTM_OK);
        assert_int_equal(rtm_alloc_stats(&a, &s), RTM_OK);
        mark(&s, first, moved);
    }
    /* a failed allocation: more than the whole arena */
    assert_null(rtm_alloc_alloc(&a, 2u * sizeof mem));
    /* then full: small blocks until one fails (what a pool's largest and
     * smallest free block figures move with) */
    size_t n = 0u;
    while (rtm_alloc_alloc(&a, 24u) != NULL) {
        assert_true(++n < sizeof mem / 8u);
    }
    assert_int_equal(rtm_alloc_stats(&a, &s), RTM_OK);
    mark(&s, first, moved);
    /* a bad free: a pointer outside the heap */
    int f0 = g_faults;
    assert_int_not_equal(rtm_alloc_free(&a, outside + 8), RTM_OK);
    assert_int_equal(g_faults, f0 + 1);
    assert_int_equal(rtm_alloc_stats(&a, &s), RTM_OK);
    mark(&s, first, moved);
    assert_int_equal(rtm_alloc_check(&a, NULL), RTM_OK);

    size_t last[NFIELDS];
    fields(&s, last);
    for (size_t i = 0; i < NFIELDS; i++) {
        const char *f = field_names[i];
        if (i == 0u) {
            continue; /* total_bytes: fixed at init, checked > 0 above */
        }
        if (last[i] == RTM_STATS_NOT_COUNTED) {
            /* not counted: must say so from init on, never a count */
            assert_true(first[i] == RTM_STATS_NOT_COUNTED);
            continue;
        }
        if ((still >> i) & 1u) {
            assert_false(moved[i]);
            continue;
        }
        if (!moved[i]) {
            print_error("%s: %s stayed at %zu\n", ops->name, f, first[i]);
        }
        assert_true(moved[i]);
    }
}

static void test_schemes(void **state)
{
    (void)state;
    static rtm_heap1_t h1;
    static rtm_heap2_t h2;
    static rtm_heap4_t h4;
    static rtm_heap5_t h5;
    static rtm_tlsf_t tl;
    static rtm_pool_t po;
    /* heap_1 cannot free (free_count, field 8, stays 0) and its free part
     * is always one block (free_blocks, field 5: an allocation must leave
     * some bytes free, heap1.h) */
    exercise(&rtm_alloc_heap1, &h1, 0u, (1u << 8) | (1u << 5));
    exercise(&rtm_alloc_heap2, &h2, 0u, 0u);
    exercise(&rtm_alloc_heap4, &h4, 0u, 0u);
    exercise(&rtm_alloc_heap5, &h5, 0u, 0u);
    exercise(&rtm_alloc_tlsf, &tl, 0u, 0u);
    exercise(&rtm_alloc_pool, &po, 64u, 0u);
}

/* The pool's own struct: every field filled, peak_used kept. */
static void test_pool_own_stats(void **state)
{
    (void)state;
    static _Alignas(8) uint8_t mem[2048];
    static uint8_t outside[16];
    rtm_pool_t p;
    assert_int_equal(rtm_pool_init(&p, mem, sizeof mem, 32u, 0u, 0u, 0u), RTM_OK);
    rtm_pool_set_fault_hook(&p, hook, NULL);
    rtm_pool_stats_t s0, s;
    assert_int_equal(rtm_pool_stats(&p, &s0), RTM_OK);
    assert_true(s0.capacity > 2u && s0.block_size >= 32u);
    assert_int_equal(s0.free_blocks, s0.capacity);
    void *b[3];
    for (int i = 0; i < 3; i++) {
        b[i] = rtm_pool_alloc(&p);
        assert_non_null(b[i]);
    }
    assert_int_equal(rtm_pool_free(&p, b[0]), RTM_OK);
    while (rtm_pool_alloc(&p) != NULL) {
    }
    assert_int_not_equal(rtm_pool_free(&p, outside), RTM_OK);
    assert_int_equal(rtm_pool_stats(&p, &s), RTM_OK);
    assert_int_equal(s.capacity, s0.capacity);
    assert_int_equal(s.used_blocks, s.capacity);
    assert_int_equal(s.free_blocks, 0);
    assert_int_equal(s.peak_used, s.capacity);
    assert_int_equal(s.failed_allocs, 1);
    assert_int_equal(s.faults, 1);
}

/* heap_3 (the C library's malloc): counters move too. */
static void test_heap3_stats(void **state)
{
    (void)state;
    rtm_heap3_t h;
    assert_int_equal(rtm_heap3_init(&h), RTM_OK);
    rtm_heap3_set_fault_hook(&h, hook, NULL);
    rtm_stats_t s0, s;
    rtm_heap3_stats(&h, &s0);
    void *p = rtm_heap3_alloc(&h, 40);
    void *q = rtm_heap3_alloc(&h, 80);
    assert_non_null(p);
    assert_non_null(q);
    assert_int_equal(rtm_heap3_free(&h, p), RTM_OK);
    assert_int_not_equal(rtm_heap3_free(&h, p), RTM_OK); /* a double free */
    rtm_heap3_stats(&h, &s);
    assert_int_equal(s.alloc_count, s0.alloc_count + 2u);
    assert_int_equal(s.free_count, s0.free_count + 1u);
    assert_int_equal(s.used_blocks, s0.used_blocks + 1u);
    assert_int_equal(s.faults, s0.faults + 1u);
    assert_int_equal(rtm_heap3_free(&h, q), RTM_OK);
    rtm_heap3_flush(&h);
}

/* A partition adds its own failures and faults to the scheme's. */
static void test_partition_stats(void **state)
{
    (void)state;
    RTM_PARTITION_STORAGE(static, pmem, 2048);
    static uint8_t outside[16];
    static rtm_tlsf_t inst;
    rtm_partition_t part;
    rtm_partition_cfg_t cfg = {"p", 1u, &rtm_alloc_tlsf, &inst, 0u, hook, NULL};
    assert_int_equal(rtm_partition_init(&part, pmem, sizeof pmem, &cfg), RTM_OK);
    rtm_stats_t s0, s;
    assert_int_equal(rtm_partition_stats(&part, &s0), RTM_OK);
    void *p = rtm_partition_alloc(&part, 100);
    assert_non_null(p);
    assert_null(rtm_partition_alloc(&part, 4096));
    assert_int_equal(rtm_partition_free(&part, outside), RTM_ERR_FOREIGN_PTR);
    assert_int_equal(rtm_partition_stats(&part, &s), RTM_OK);
    assert_int_equal(s.alloc_count, s0.alloc_count + 1u);
    assert_int_equal(s.used_blocks, s0.used_blocks + 1u);
    assert_true(s.failed_allocs >= s0.failed_allocs + 1u);
    assert_int_equal(s.faults, s0.faults + 1u);
    assert_true(s.free_bytes < s0.free_bytes && s.min_ever_free <= s.free_bytes);
    assert_int_equal(rtm_partition_free(&part, p), RTM_OK);
    assert_int_equal(rtm_partition_stats(&part, &s), RTM_OK);
    assert_int_equal(s.free_count, s0.free_count + 1u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schemes),
        cmocka_unit_test(test_pool_own_stats),
        cmocka_unit_test(test_heap3_stats),
        cmocka_unit_test(test_partition_stats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
