/* Tests of the rtmem tool's machinery: PRNG, workloads, bisection, the
 * scheme-adapter table, and replays of the shared traces. Never a time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "replay.h"
#include "schemes.h"
#include "trace.h"
#include "workload.h"

#ifndef RTM_TEST_SHARED_DIR
#define RTM_TEST_SHARED_DIR "../shared"
#endif

/* ---- a scheme with an exact, known capacity: the sum of live requested
 * sizes may not exceed the arena size; no overhead, no fragmentation. ---- */
typedef struct budget {
    size_t cap, used;
} budget_t;

static void *budget_init(const scheme_t *s, void *arena, size_t size)
{
    (void)s;
    (void)arena;
    budget_t *b = calloc(1, sizeof *b);
    if (b) {
        b->cap = size;
    }
    return b;
}

static void *budget_alloc(void *st, size_t n)
{
    budget_t *b = st;
    if (n > b->cap - b->used) {
        return NULL;
    }
    size_t *p = malloc(sizeof(size_t) + n);
    if (!p) {
        return NULL;
    }
    b->used += n;
    p[0] = n;
    return p + 1;
}

static int budget_free(void *st, void *p)
{
    budget_t *b = st;
    size_t *h = (size_t *)p - 1;
    b->used -= h[0];
    free(h);
    return 0;
}

static void budget_fini(void *st)
{
    free(st);
}

static const scheme_t budget_scheme = {
    "budget", "exact capacity", SCHEME_ARENA, budget_init, budget_alloc, budget_free,
    NULL, NULL, NULL, budget_fini, NULL,
};

/* ---- PRNG ------------------------------------------------------------------ */

/* BENCH.md's formula, written out here independently of workload.h. */
static uint64_t ref_next(uint64_t *x)
{
    *x ^= *x >> 12;
    *x ^= *x << 25;
    *x ^= *x >> 27;
    return *x * 0x2545F4914F6CDD1DULL;
}

static void test_prng_matches_bench_formula(void **state)
{
    (void)state;
    wl_rng_t r = { 42u };
    uint64_t x = 42u;
    /* The first values for seed 42, also computed offline with the formula. */
    static const uint64_t first[3] = { 0x56ce4ab7719ba3a0ULL, 0xc841eb53ebbb2ddaULL,
                                       0xca466be0c9980276ULL };
    for (size_t i = 0; i < 3; i++) {
        uint64_t v = wl_next(&r);
        assert_true(v == ref_next(&x));
        assert_true(v == first[i]);
    }
    for (size_t i = 0; i < 100000; i++) {
        assert_true(wl_next(&r) == ref_next(&x));
    }
    /* uniform(a, b) = a + next() % (b - a + 1) */
    for (size_t i = 0; i < 1000; i++) {
        uint64_t want = 8u + ref_next(&x) % 121u;
        assert_true(wl_uniform(&r, 8u, 128u) == want);
    }
}

static void test_size_mix(void **state)
{
    (void)state;
    wl_rng_t r = { 42u };
    uint64_t x = 42u;
    size_t small = 0, mid = 0, big = 0;
    for (size_t i = 0; i < 100000; i++) {
        uint64_t c = ref_next(&x) % 100u;
        uint64_t want = c < 70u ? 8u + ref_next(&x) % 121u
                      : c < 95u ? 129u + ref_next(&x) % 896u
                                : 1025u + ref_next(&x) % 3072u;
        size_t n = wl_size_w1(&r);
        assert_true(n == want);
        small += n <= 128u;
        mid += n > 128u && n <= 1024u;
        big += n > 1024u;
    }
    /* 70 / 25 / 5 percent, loosely */
    assert_true(small > 68000u && small < 72000u);
    assert_true(mid > 23000u && mid < 27000u);
    assert_true(big > 4000u && big < 6000u);
}

/* ---- W3 fill ratio ---------------------------------------------------------- */

/* The W3 loop written out independently against the exact-capacity model. */
static double ref_fill(size_t arena, uint64_t seed)
{
    uint64_t x = seed;
    size_t live[4096];
    size_t n = 0, bytes = 0;
    for (;;) {
        if (n == 0u || ref_next(&x) % 100u < 60u) {
            uint64_t c = ref_next(&x) % 100u;
            size_t s = (size_t)(c < 70u ? 8u + ref_next(&x) % 121u
                              : c < 95u ? 129u + ref_next(&x) % 896u
                                        : 1025u + ref_next(&x) % 3072u);
            if (bytes + s > arena) {
                return (double)bytes / (double)arena;
            }
            live[n++] = s;
            bytes += s;
        } else {
            size_t i = (size_t)(ref_next(&x) % n);
            bytes -= live[i];
            live[i] = live[--n];
        }
    }
}

static void test_w3_fill_ratio_tiny_arena(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 20; seed++) {
        double got = wl_w3_once(&budget_scheme, 2048u, seed, 1000000u);
        double want = ref_fill(2048u, seed);
        assert_true(got == want);
        assert_true(got >= 0.0 && got <= 1.0); /* 0: a first request above the arena */
    }
    wl_result_t r;
    assert_int_equal(wl_w3(&budget_scheme, 2048u, 10u, &r), 0);
    double sum = 0.0, min = 1.0;
    for (uint64_t seed = 1; seed <= 10; seed++) {
        double f = ref_fill(2048u, seed);
        sum += f;
        min = f < min ? f : min;
    }
    assert_true(r.fill_runs == 10u);
    assert_true(r.fill_min == min);
    assert_true(r.fill_mean > sum / 10.0 - 1e-12 && r.fill_mean < sum / 10.0 + 1e-12);
    /* a scheme without an arena has no fill ratio */
    const scheme_t *m = scheme_find("malloc");
    assert_non_null(m);
    assert_true(wl_w3_once(m, 2048u, 1u, 1000u) < 0.0);
}

static void test_w3_on_real_schemes_tiny_arena(void **state)
{
    (void)state;
    size_t n;
    const scheme_t *s = schemes_all(&n);
    for (size_t i = 0; i < n; i++) {
        if (!(s[i].flags & SCHEME_ARENA)) {
            continue;
        }
        double f = wl_w3_once(&s[i], 8192u, 3u, 1000000u);
        if (!(f > 0.0 && f < 1.0)) {
            fail_msg("%s: fill ratio %f", s[i].name, f);
        }
    }
}

/* ---- bisection ---------------------------------------------------------------- */

static bool at_least_1000(void *ctx, size_t size)
{
    (*(size_t *)ctx)++;
    return size >= 1000u;
}

static void test_bisect_predicate(void **state)
{
    (void)state;
    size_t calls = 0, probes = 0;
    size_t got = replay_bisect(10u, 100000u, at_least_1000, &calls, &probes);
    assert_true(got >= 1000u && got <= 1010u); /* within 1% above the edge */
    assert_int_equal(calls, probes);
}

static void test_bisect_trace_exact_capacity(void **state)
{
    (void)state;
    /* Live bytes: 100, 300, 200 (f 1), 350 (a 3): peak 350, then 150 + 400. */
    const char *text = "# rtmem-trace v1\na 1 100\na 2 200\nf 1\na 3 150\nf 2\nr 3 400\n";
    trace_t t;
    trace_error_t e;
    assert_int_equal(trace_parse(&t, text, strlen(text), &e), 0);
    assert_int_equal(t.peak_live_bytes, 400);
    size_t probes = 0;
    size_t a = replay_min_arena(&budget_scheme, &t, &probes);
    /* budget's exact capacity: realloc emulated as alloc + copy + free needs
     * 150 + 400 at once, so the smallest arena is 550. */
    assert_true(a >= 550u && a <= 556u);
    assert_true(probes > 0u);
    replay_opts_t o = { 0, false, true, false, NULL, NULL };
    replay_result_t r;
    assert_int_equal(replay_run(&budget_scheme, &t, 549u, &o, &r), 0);
    assert_int_equal(r.failed, 1);
    assert_int_equal(r.first_fail_line, 7);
    assert_int_equal(replay_run(&budget_scheme, &t, 550u, &o, &r), 0);
    assert_int_equal(r.failed, 0);
    trace_free(&t);
}

/* ---- the adapter table ---------------------------------------------------------- */

static void test_every_scheme_through_the_table(void **state)
{
    (void)state;
    size_t n;
    const scheme_t *s = schemes_all(&n);
    assert_true(n >= 1u);
    assert_non_null(scheme_find("malloc"));
    assert_null(scheme_find("no-such-scheme"));
    for (size_t i = 0; i < n; i++) {
        wl_inst_t w;
        wl_live_t live;
        assert_int_equal(wl_live_init(&live, 16u), 0);
        if (wl_open(&w, &s[i], 64u * 1024u) != 0) {
            fail_msg("%s: init failed", s[i].name);
        }
        for (size_t k = 0; k < 50; k++) {
            size_t sz = 8u + k * 37u;
            uint8_t *p = s[i].alloc(w.st, sz);
            if (!p) {
                fail_msg("%s: alloc(%zu) failed", s[i].name, sz);
            }
            memset(p, (int)k, sz);
            assert_int_equal(wl_live_push(&live, p, sz), 0);
        }
        /* resize through the table keeps the bytes */
        uint8_t *q = scheme_realloc(&s[i], w.st, live.p[3], live.size[3], 500u);
        assert_non_null(q);
        for (size_t b = 0; b < live.size[3]; b++) {
            assert_int_equal(q[b], 3);
        }
        live.p[3] = q;
        live.bytes += 500u - live.size[3];
        live.size[3] = 500u;
        rtm_check_t c;
        if (s[i].check) {
            assert_int_equal(s[i].check(w.st, &c), RTM_OK);
        }
        rtm_stats_t st;
        if (s[i].stats && s[i].stats(w.st, &st)) {
            assert_true(st.free_bytes <= 64u * 1024u);
            assert_true(st.min_ever_free <= st.free_bytes);
        }
        if (!(s[i].flags & SCHEME_NO_FREE)) {
            while (live.n) {
                assert_int_equal(s[i].free(w.st, wl_live_take(&live, live.n - 1u)), 0);
            }
            if (s[i].check) {
                assert_int_equal(s[i].check(w.st, &c), RTM_OK);
            }
        }
        assert_non_null(scheme_realloc_kind(&s[i]));
        wl_close(&w, &live);
        wl_live_release(&live);
    }
}

/* The reproduced max: an op slow in every series counts, an op slow in only
 * a few series (preemption) does not. */
static void test_max_rep_ignores_sporadic_outliers(void **state)
{
    (void)state;
    tm_init();
    enum { OPS = 3 };
    uint64_t v[OPS * WL_REP_SERIES];
    const uint64_t base = tm_empty_ticks() + 100u;
    for (size_t op = 0; op < OPS; op++) {
        for (unsigned s = 0; s < WL_REP_SERIES; s++) {
            v[op * WL_REP_SERIES + s] = base;
        }
    }
    /* op 1: huge in WL_REP_TRIM series (trimmed away) */
    for (unsigned s = 0; s < WL_REP_TRIM; s++) {
        v[1u * WL_REP_SERIES + s * 3u] = base + 1000000u;
    }
    /* op 2: 50 ticks slower in every series: the worst case that reproduces */
    for (unsigned s = 0; s < WL_REP_SERIES; s++) {
        v[2u * WL_REP_SERIES + s] = base + 50u;
    }
    double want = ((double)(base + 50u) - tm_empty_mean_ticks()) / tm_ghz();
    wl_rep_t rep = { v, OPS };
    assert_float_equal(wl_rep_max_ns(&rep), want, 1e-9);
    /* one more outlier than the trim: op 1 becomes the max */
    for (unsigned s = 0; s <= WL_REP_TRIM; s++) {
        v[1u * WL_REP_SERIES + s] = base + 1000000u;
    }
    assert_true(wl_rep_max_ns(&rep) > want * 2.0);
}

static void test_workloads_run_on_every_scheme(void **state)
{
    (void)state;
    size_t n;
    const scheme_t *s = schemes_all(&n);
    tm_init();
    for (size_t i = 0; i < n; i++) {
        wl_result_t r;
        assert_int_equal(wl_w1(&s[i], 256u * 1024u, 5000u, 42u, &r), 0);
        assert_int_equal(r.ops, 5000);
        assert_true(r.alloc.n > 0u);
        if (!(s[i].flags & SCHEME_ARENA)) {
            assert_int_equal(r.failed, 0);
        }
        assert_int_equal(wl_w2(&s[i], 1024u * 1024u, 100u, 50u, &r), 0);
        assert_int_equal(r.k, 100);
        /* percentiles and failures are the first series'; the reproduced
         * max comes from all WL_REP_SERIES series */
        assert_int_equal(r.alloc.n, 50);
        assert_int_equal(r.failed, 0);
        assert_true(r.alloc_max_rep >= 0.0 && r.alloc_max_rep < 1e9);
        assert_true(r.free_max_rep >= 0.0 && r.free_max_rep < 1e9);
        assert_int_equal(wl_w4(&s[i], 64u * 1024u, 100u, &r), 0);
        assert_int_equal(r.alloc.n, 100); /* the first of WL_REP_SERIES series */
        assert_true(r.have_rep && r.alloc_max_rep >= 0.0 && r.alloc_max_rep < 1e9);
    }
    /* W2 where the arena cannot hold 2K blocks: fewer fragments, said so */
    const scheme_t *h4 = scheme_find("heap_4");
    if (h4) {
        wl_result_t r;
        assert_int_equal(wl_w2(h4, 16u * 1024u, 10000u, 10u, &r), 0);
        assert_true(r.k > 0u && r.k < 10000u);
        /* the arena is full: every alloc(256) fails, counted once per op */
        assert_int_equal(r.failed, 10);
        assert_int_equal(r.free.n, 0);
    }
}

/* ---- replays of the shared traces, integrity-checked after every event ------ */

static void replay_shared(const char *scheme)
{
    const scheme_t *s = scheme_find(scheme);
    if (!s) {
        skip();
    }
    static const char *const names[] = { "lua-gateway.trace", "sqlite-log.trace" };
    size_t done = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[1024];
        (void)snprintf(path, sizeof path, "%s/traces/%s", RTM_TEST_SHARED_DIR, names[i]);
        trace_t t;
        trace_error_t e;
        if (trace_load(&t, path, &e) != 0) {
            continue; /* absent: skipped below if none is there */
        }
        replay_opts_t o = { 0, false, true, false, NULL, NULL };
        replay_result_t r;
        assert_int_equal(replay_run(s, &t, t.peak_live_bytes * 2u, &o, &r), 0);
        if (r.check_err != RTM_OK) {
            fail_msg("%s on %s: check failed after line %zu: %s", names[i], scheme, r.check_line,
                     r.check_what);
        }
        assert_int_equal(r.events, t.n);
        assert_int_equal(r.failed, 0);
        trace_free(&t);
        done++;
    }
    if (done == 0u) {
        skip();
    }
}

static void test_replay_shared_traces_heap4(void **state)
{
    (void)state;
    replay_shared("heap_4");
}

static void test_replay_shared_traces_tlsf(void **state)
{
    (void)state;
    replay_shared("tlsf");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prng_matches_bench_formula),
        cmocka_unit_test(test_size_mix),
        cmocka_unit_test(test_w3_fill_ratio_tiny_arena),
        cmocka_unit_test(test_w3_on_real_schemes_tiny_arena),
        cmocka_unit_test(test_bisect_predicate),
        cmocka_unit_test(test_bisect_trace_exact_capacity),
        cmocka_unit_test(test_every_scheme_through_the_table),
        cmocka_unit_test(test_max_rep_ignores_sporadic_outliers),
        cmocka_unit_test(test_workloads_run_on_every_scheme),
        cmocka_unit_test(test_replay_shared_traces_heap4),
        cmocka_unit_test(test_replay_shared_traces_tlsf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
