/*
 * rtm_tlsf tests: random runs against a shadow model, the memory bound,
 * large heaps and the O(1) step counts (test_tlsf_scribble.c has the stray
 * writes, the gate and the events); built against the same configurations
 * as test_tlsf.c.
 */
#include "test_tlsf_util.h"

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
                assert_int_equal((uintptr_t)p % RTM_TLSF_ALIGN, 0);
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

/* Blocks of 8 MiB and more carry the big flag instead of a check byte:
 * free's one-test header check (a used block below 8 MiB) does not pass
 * them, nor a block whose successor is one; their own tests must free them
 * just as well (and leave the heap whole), and refuse a big flag on a size
 * that does not need it. */
static _Alignas(64) uint8_t g_huge2[20u << 20];
static void test_big_blocks(void **state)
{
    (void)state;
    for (int order = 0; order < 2; order++) {
        rtm_tlsf_t t;
        assert_int_equal(rtm_tlsf_init(&t, g_huge2, sizeof g_huge2), RTM_OK);
        rtm_tlsf_set_fault_hook(&t, hook, NULL);
        g_faults = 0;
        /* large requests are carved from the bottom: [s1][big][free][s2] */
        uint8_t *s1 = rtm_tlsf_alloc(&t, 3000);
        uint8_t *big = rtm_tlsf_alloc(&t, 9u << 20);
        uint8_t *s2 = rtm_tlsf_alloc(&t, 64);
        assert_non_null(s1);
        assert_non_null(big);
        assert_non_null(s2);
        /* s1 lies right below the big block: the big block is its successor */
        assert_ptr_equal(s1 + rtm_tlsf_usable_size(&t, s1) + RTM_TLSF_BLOCK_EXTRA, big);
        memset(big, 3, 9u << 20);
        check_ok(&t);
        /* the big flag with a size below 8 MiB: no header mark_used()
         * writes, so an interior pointer, and nothing changes */
        rtm_tlsf_word_t *hw = (rtm_tlsf_word_t *)(void *)(big - RTM_TLSF_WORD_SIZE);
        rtm_tlsf_word_t h = *hw;
        *hw = (rtm_tlsf_word_t)(h & ~(rtm_tlsf_word_t)0x7F800000u) | (rtm_tlsf_word_t)(1u << 20);
        assert_int_equal(rtm_tlsf_free(&t, big), RTM_ERR_INTERIOR_PTR);
        assert_int_equal(g_faults, 1);
        *hw = h;
        check_ok(&t);
        g_faults = 0;
        uint8_t *first = order == 0 ? s1 : big;
        uint8_t *second = order == 0 ? big : s1;
        assert_int_equal(rtm_tlsf_free(&t, first), RTM_OK);
        check_ok(&t);
        assert_int_equal(rtm_tlsf_free(&t, second), RTM_OK);
        check_ok(&t);
        assert_int_equal(rtm_tlsf_free(&t, s2), RTM_OK);
        check_ok(&t);
        rtm_stats_t st;
        rtm_tlsf_stats(&t, &st);
        assert_int_equal(st.free_blocks, 1);
        assert_int_equal(st.used_blocks, 0);
        assert_int_equal(st.free_bytes, st.total_bytes);
        assert_int_equal(g_faults, 0);
    }
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
        cmocka_unit_test(test_random_fill50),
        cmocka_unit_test(test_random_fill100),
        cmocka_unit_test(test_random_big),
        cmocka_unit_test(test_large),
        cmocka_unit_test(test_big_blocks),
        cmocka_unit_test(test_memory_bound),
        cmocka_unit_test(test_steps_constant),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
