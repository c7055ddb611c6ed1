/* Random tests of heap_2, heap_4 and heap_5 against a shadow model: 100,000+
 * operations per scheme at fill targets of about 50% and 100%, then a drain.
 * Every live block carries a pattern checked before it is freed; after every
 * operation the integrity check runs and the model's free bytes, minimum ever
 * free and counters must match the heap's exactly. The model charges each
 * block round_up(n + H, A), or the whole free block when the rest would not
 * exceed the minimum block (the split rule). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "freelist.h"
#include "rtmem/heap2.h"
#include "rtmem/heap4.h"
#include "rtmem/heap5.h"
#include "test_heap_util.h"

#define SEED 0x2545F4914F6CDD1Dull
#define OPS_50 45000u
#define OPS_100 45000u
#define OPS_MIX 15000u
#define MAX_LIVE 2048u
#define ARENA 16384u

static _Alignas(64) uint8_t g_mem[3u * ARENA];
static uint64_t g_rng;

static uint64_t rnd(void)
{
    g_rng ^= g_rng >> 12;
    g_rng ^= g_rng << 25;
    g_rng ^= g_rng >> 27;
    return g_rng * 0x2545F4914F6CDD1Dull;
}

static size_t rnd_size(void)
{
    uint64_t r = rnd() % 100u;
    if (r < 70u) {
        return 1u + (size_t)(rnd() % 64u);
    }
    return r < 95u ? 65u + (size_t)(rnd() % 448u) : 513u + (size_t)(rnd() % 1536u);
}

/* The scheme under test, through its public functions. */
typedef struct {
    void *(*alloc)(size_t n);
    rtm_err_t (*free)(void *p);
    rtm_err_t (*check)(rtm_check_t *r);
    void (*stats)(rtm_stats_t *s);
    size_t (*usable)(const void *p);
} scheme_t;

static rtm_heap2_t g_h2;
static rtm_heap4_t g_h4;
static rtm_heap5_t g_h5;

static void *a2(size_t n) { return rtm_heap2_alloc(&g_h2, n); }
static rtm_err_t f2(void *p) { return rtm_heap2_free(&g_h2, p); }
static rtm_err_t c2(rtm_check_t *r) { return rtm_heap2_check(&g_h2, r); }
static void s2(rtm_stats_t *s) { rtm_heap2_stats(&g_h2, s); }
static size_t u2(const void *p) { return rtm_heap2_usable_size(&g_h2, p); }
static void *a4(size_t n) { return rtm_heap4_alloc(&g_h4, n); }
static rtm_err_t f4(void *p) { return rtm_heap4_free(&g_h4, p); }
static rtm_err_t c4(rtm_check_t *r) { return rtm_heap4_check(&g_h4, r); }
static void s4(rtm_stats_t *s) { rtm_heap4_stats(&g_h4, s); }
static size_t u4(const void *p) { return rtm_heap4_usable_size(&g_h4, p); }
static void *a5(size_t n) { return rtm_heap5_alloc(&g_h5, n); }
static rtm_err_t f5(void *p) { return rtm_heap5_free(&g_h5, p); }
static rtm_err_t c5(rtm_check_t *r) { return rtm_heap5_check(&g_h5, r); }
static void s5(rtm_stats_t *s) { rtm_heap5_stats(&g_h5, s); }
static size_t u5(const void *p) { return rtm_heap5_usable_size(&g_h5, p); }

typedef struct {
    uint8_t *p;
    size_t n;
    size_t charged;
    uint8_t pat;
} live_t;

/* The shadow model. */
typedef struct {
    const scheme_t *s;
    live_t live[MAX_LIVE];
    size_t nlive;
    size_t total;     /* free bytes after init */
    size_t free;      /* expected free bytes */
    size_t min_ever;
    size_t allocs, frees, fails;
    unsigned long ops;
} model_t;

static model_t g_m;

static void verify(model_t *m)
{
    rtm_check_t r;
    rtm_stats_t st;
    if (m->s->check(&r) != RTM_OK) {
        fail_msg("op %lu: check failed: %s", m->ops, r.what);
    }
    m->s->stats(&st);
    assert_int_equal(st.free_bytes, m->free);
    assert_int_equal(r.free_bytes, m->free);
    assert_int_equal(st.min_ever_free, m->min_ever);
    assert_int_equal(st.used_blocks, m->nlive);
    assert_int_equal(st.alloc_count, m->allocs);
    assert_int_equal(st.free_count, m->frees);
    assert_int_equal(st.failed_allocs, m->fails);
    assert_int_equal(st.faults, 0);
    assert_int_equal(st.total_bytes, m->total);
}

static void do_alloc(model_t *m)
{
    size_t n = rnd_size();
    rtm_stats_t before;
    m->s->stats(&before);
    uint8_t *p = m->s->alloc(n);
    if (p == NULL) {
        /* legitimate only if no free block can hold the charge */
        assert_true(before.largest_free < charge(n));
        m->fails++;
        return;
    }
    assert_true(is_aligned(p));
    live_t *l = &m->live[m->nlive++];
    l->p = p;
    l->n = n;
    l->charged = m->s->usable(p) + H;
    /* the split rule: exact charge, or the whole block when the rest was small */
    assert_true(l->charged >= charge(n) && l->charged - charge(n) <= MINB);
    l->pat = (uint8_t)rnd();
    memset(p, l->pat, n);
    m->free -= l->charged;
    m->min_ever = m->free < m->min_ever ? m->free : m->min_ever;
    m->allocs++;
}

static void do_free(model_t *m)
{
    size_t i = (size_t)(rnd() % m->nlive);
    live_t l = m->live[i];
    for (size_t k = 0; k < l.n; k++) {
        if (l.p[k] != l.pat) {
            fail_msg("op %lu: block %p byte %zu overwritten", m->ops, (void *)l.p, k);
        }
    }
    assert_int_equal(m->s->free(l.p), RTM_OK);
    m->live[i] = m->live[--m->nlive];
    m->free += l.charged;
    m->frees++;
}

/* Hold the heap near `target` percent used: allocate below it, free above. */
static void run_phase(model_t *m, unsigned ops, unsigned target)
{
    for (unsigned k = 0; k < ops; k++, m->ops++) {
        size_t used_pct = (m->total - m->free) * 100u / m->total;
        bool want_alloc = (used_pct < target) ? (rnd() % 10u) < 8u : (rnd() % 10u) < 2u;
        if (m->nlive == 0u || (want_alloc && m->nlive < MAX_LIVE)) {
            do_alloc(m);
        } else {
            do_free(m);
        }
        verify(m);
    }
}

static void run(const scheme_t *s, const char *name)
{
    model_t *m = &g_m;
    rtm_stats_t st;
    memset(m, 0, sizeof *m);
    m->s = s;
    s->stats(&st);
    m->total = m->free = m->min_ever = st.free_bytes;
    g_rng = SEED;
    printf("%s: seed 0x%llx, A=%zu, %u ops\n", name, (unsigned long long)SEED, A,
           OPS_50 + OPS_100 + OPS_MIX);
    verify(m);
    run_phase(m, OPS_50, 50);
    run_phase(m, OPS_100, 100);
    run_phase(m, OPS_MIX, 30);
    while (m->nlive > 0u) {
        do_free(m);
        m->ops++;
        verify(m);
    }
    assert_int_equal(m->free, m->total);
    assert_true(m->fails > 0u); /* the 100% phase reached the limit */
}

static void test_random_heap4(void **state)
{
    (void)state;
    static const scheme_t s = {a4, f4, c4, s4, u4};
    assert_int_equal(rtm_heap4_init(&g_h4, g_mem + 3, ARENA), RTM_OK);
    run(&s, "heap_4");
    rtm_stats_t st;
    s4(&st);
    assert_int_equal(st.free_blocks, 1); /* everything merged back */
}

static void test_random_heap5(void **state)
{
    (void)state;
    static const scheme_t s = {a5, f5, c5, s5, u5};
    const rtm_region_t t[] = {{g_mem + 1, ARENA / 4u},
                              {g_mem + ARENA / 4u + 1u, ARENA / 2u}, /* touches region 0 */
                              {g_mem + 2u * ARENA + 5u, ARENA / 3u},
                              {NULL, 0}};
    assert_int_equal(rtm_heap5_init_canary(&g_h5, t, (uintptr_t)0x7A5C0000u), RTM_OK);
    run(&s, "heap_5");
    rtm_stats_t st;
    s5(&st);
    assert_true(st.free_blocks >= 3u && st.free_blocks <= 5u);
}

static void test_random_heap2(void **state)
{
    (void)state;
    static const scheme_t s = {a2, f2, c2, s2, u2};
    assert_int_equal(rtm_heap2_init(&g_h2, g_mem + 7, ARENA), RTM_OK);
    run(&s, "heap_2");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_heap4),
        cmocka_unit_test(test_random_heap5),
        cmocka_unit_test(test_random_heap2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
