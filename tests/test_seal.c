/* Seal after start-up (rtmem/seal.h, rtmem/hooks.h): for every scheme that
 * has the allocation gate (heap_1..heap_5), a sealed instance refuses every
 * allocation with RTM_ERR_SEALED and one fault while frees, statistics and
 * the check still work; owner seals refuse one owner only (on one instance or
 * on all); no-alloc sections nest; the auto-seal at start seals what was
 * registered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rtmem/seal.h"

static _Alignas(16) uint8_t g_buf[2][8192];

typedef struct {
    int count;
    rtm_err_t last;
    const void *obj;
} log_t;
static log_t g_log;

static void on_fault(void *user, rtm_err_t reason, const void *obj, const void *ptr)
{
    (void)user;
    (void)ptr;
    g_log.count++;
    g_log.last = reason;
    g_log.obj = obj;
}

/* One scheme behind a small table, so every test runs on each of them. */
typedef struct scheme {
    const char *name;
    void (*init)(void *inst, int buf);
    void *(*alloc)(void *inst, size_t n);
    void *(*calloc)(void *inst, size_t n, size_t m);
    rtm_err_t (*free)(void *inst, void *p); /* NULL: the scheme has no free */
    size_t (*used)(void *inst);             /* used blocks from the stats */
    rtm_err_t (*check)(void *inst);
    rtm_fault_t *(*fault)(void *inst);
    void (*seal)(void *inst);
    void (*unseal)(void *inst);
} scheme_t;

static rtm_heap1_t g_h1[2];
static rtm_heap2_t g_h2[2];
static rtm_heap3_t g_h3[2];
static rtm_heap4_t g_h4[2];
static rtm_heap5_t g_h5[2];

#define SCHEME_FNS(S, T)                                                                        \
    static void *S##_alloc_(void *h, size_t n) { return rtm_##S##_alloc((T *)h, n); }          \
    static void *S##_calloc_(void *h, size_t n, size_t m) { return rtm_##S##_calloc((T *)h, n, m); } \
    static size_t S##_used_(void *h)                                                            \
    {                                                                                           \
        rtm_stats_t st;                                                                         \
        rtm_##S##_stats((const T *)h, &st);                                                     \
        return st.used_blocks;                                                                  \
    }                                                                                           \
    static rtm_err_t S##_check_(void *h) { return rtm_##S##_check((const T *)h, NULL); }       \
    static rtm_fault_t *S##_fault_(void *h) { return rtm_##S##_fault_state((T *)h); }          \
    static void S##_seal_(void *h) { rtm_##S##_seal((T *)h); }                                  \
    static void S##_unseal_(void *h) { rtm_##S##_unseal((T *)h); }

SCHEME_FNS(heap1, rtm_heap1_t)
SCHEME_FNS(heap2, rtm_heap2_t)
SCHEME_FNS(heap3, rtm_heap3_t)
SCHEME_FNS(heap4, rtm_heap4_t)
SCHEME_FNS(heap5, rtm_heap5_t)

static rtm_err_t heap2_free_(void *h, void *p) { return rtm_heap2_free((rtm_heap2_t *)h, p); }
static rtm_err_t heap3_free_(void *h, void *p) { return rtm_heap3_free((rtm_heap3_t *)h, p); }
static rtm_err_t heap4_free_(void *h, void *p) { return rtm_heap4_free((rtm_heap4_t *)h, p); }
static rtm_err_t heap5_free_(void *h, void *p) { return rtm_heap5_free((rtm_heap5_t *)h, p); }

static void heap1_init_(void *h, int b)
{
    assert_int_equal(rtm_heap1_init(h, g_buf[b], sizeof g_buf[b]), RTM_OK);
    rtm_heap1_set_fault_hook(h, on_fault, NULL);
}
static void heap2_init_(void *h, int b)
{
    assert_int_equal(rtm_heap2_init(h, g_buf[b], sizeof g_buf[b]), RTM_OK);
    rtm_heap2_set_fault_hook(h, on_fault, NULL);
}
static void heap3_init_(void *h, int b)
{
    (void)b;
    rtm_heap3_flush(h); /* the last test's freed blocks */
    assert_int_equal(rtm_heap3_init(h), RTM_OK);
    rtm_heap3_set_fault_hook(h, on_fault, NULL);
}
static void heap4_init_(void *h, int b)
{
    assert_int_equal(rtm_heap4_init(h, g_buf[b], sizeof g_buf[b]), RTM_OK);
    rtm_heap4_set_fault_hook(h, on_fault, NULL);
}
static void heap5_init_(void *h, int b)
{
    rtm_region_t r[] = {{g_buf[b], 4000}, {g_buf[b] + 4096, 4000}, {NULL, 0}};
    assert_int_equal(rtm_heap5_init(h, r), RTM_OK);
    rtm_heap5_set_fault_hook(h, on_fault, NULL);
}

#define ROW(S, F) \
    {#S, S##_init_, S##_alloc_, S##_calloc_, F, S##_used_, S##_check_, S##_fault_, S##_seal_, S##_unseal_}
static const scheme_t g_schemes[] = {
    ROW(heap1, NULL), ROW(heap2, heap2_free_), ROW(heap3, heap3_free_),
    ROW(heap4, heap4_free_), ROW(heap5, heap5_free_),
};
static void *const g_inst[][2] = {
    {&g_h1[0], &g_h1[1]}, {&g_h2[0], &g_h2[1]}, {&g_h3[0], &g_h3[1]},
    {&g_h4[0], &g_h4[1]}, {&g_h5[0], &g_h5[1]},
};
#define NSCHEMES (sizeof g_schemes / sizeof g_schemes[0])

static void reset_all(void)
{
    memset(&g_log, 0, sizeof g_log);
    rtm_owner_set(RTM_OWNER_NONE);
}

/* A refused allocation: NULL, one fault RTM_ERR_SEALED on that instance. */
static void expect_refused(const scheme_t *s, void *h, bool use_calloc)
{
    int before = g_log.count;
    size_t faults = s->fault(h)->count;
    void *p = use_calloc ? s->calloc(h, 2, 8) : s->alloc(h, 16);
    assert_null(p);
    assert_int_equal(g_log.count, before + 1);
    assert_int_equal(g_log.last, RTM_ERR_SEALED);
    assert_ptr_equal(g_log.obj, h);
    assert_int_equal(s->fault(h)->count, faults + 1u);
}

/* Scheme i on fresh instances, *h over buffer 0 and *other over buffer 1,
 * the fault log and the owner cleared. */
static const scheme_t *fresh(size_t i, void **h, void **other)
{
    const scheme_t *s = &g_schemes[i];
    reset_all();
    *h = g_inst[i][0];
    *other = g_inst[i][1];
    s->init(*h, 0);
    s->init(*other, 1);
    return s;
}

/* Give p back where the scheme has a free (heap_1 has none). */
static void free_if_any(const scheme_t *s, void *h, void *p)
{
    if (s->free != NULL) {
        assert_int_equal(s->free(h, p), RTM_OK);
    }
}

/* The gate is open: an allocation succeeds, then goes back. */
static void expect_allocates(const scheme_t *s, void *h, size_t n)
{
    void *p = s->alloc(h, n);
    assert_non_null(p);
    free_if_any(s, h, p);
}

static void test_seal_each_scheme(void **state)
{
    (void)state;
    for (size_t i = 0; i < NSCHEMES; i++) {
        void *h, *other;
        const scheme_t *s = fresh(i, &h, &other);
        void *a = s->alloc(h, 24);
        assert_non_null(a);
        size_t used = s->used(h);
        s->seal(h);
        assert_true(rtm_is_sealed(s->fault(h)));
        expect_refused(s, h, false);
        expect_refused(s, h, true);
        /* the other instance of the same scheme still allocates */
        void *b = s->alloc(other, 24);
        assert_non_null(b);
        assert_int_equal(s->used(h), used);
        assert_int_equal(s->check(h), RTM_OK);
        if (s->free != NULL) { /* frees still work while sealed */
            assert_int_equal(s->free(h, a), RTM_OK);
            assert_int_equal(s->used(h), used - 1u);
            assert_int_equal(s->free(other, b), RTM_OK);
        }
        s->unseal(h);
        assert_false(rtm_is_sealed(s->fault(h)));
        expect_allocates(s, h, 24);
        assert_int_equal(g_log.count, 2);
    }
}

static void test_seal_owner(void **state)
{
    (void)state;
    for (size_t i = 0; i < NSCHEMES; i++) {
        void *h, *other;
        const scheme_t *s = fresh(i, &h, &other);
        /* owner 7 sealed on h only */
        assert_int_equal(rtm_seal_owner(s->fault(h), 7), RTM_OK);
        assert_int_equal(rtm_seal_owner(s->fault(h), 7), RTM_OK); /* idempotent */
        assert_true(rtm_is_owner_sealed(s->fault(h), 7));
        assert_false(rtm_is_owner_sealed(s->fault(other), 7));
        rtm_owner_set(7);
        expect_refused(s, h, false);
        void *b = s->alloc(other, 8);
        assert_non_null(b);
        rtm_owner_set(8);
        void *a = s->alloc(h, 8);
        assert_non_null(a);
        rtm_unseal_owner(s->fault(h), 7);
        rtm_owner_set(7);
        void *c = s->alloc(h, 8);
        assert_non_null(c);
        /* owner 9 sealed on every instance */
        assert_int_equal(rtm_seal_owner(NULL, 9), RTM_OK);
        rtm_owner_set(9);
        expect_refused(s, h, false);
        expect_refused(s, other, true);
        rtm_owner_set(RTM_OWNER_NONE);
        void *d = s->alloc(other, 8);
        assert_non_null(d);
        rtm_unseal_owner(NULL, 9);
        rtm_owner_set(9);
        void *e = s->alloc(other, 8);
        assert_non_null(e);
        free_if_any(s, h, a);
        free_if_any(s, h, c);
        free_if_any(s, other, b);
        free_if_any(s, other, d);
        free_if_any(s, other, e);
        assert_int_equal(g_log.count, 3);
    }
    rtm_owner_set(RTM_OWNER_NONE);
}

static void test_seal_owner_limits(void **state)
{
    (void)state;
    reset_all();
    assert_int_equal(rtm_seal_owner(NULL, RTM_OWNER_NONE), RTM_ERR_ARG);
    assert_false(rtm_is_owner_sealed(NULL, RTM_OWNER_NONE));
    for (rtm_owner_t o = 1; o <= RTM_SEAL_OWNERS; o++) {
        assert_int_equal(rtm_seal_owner(NULL, o), RTM_OK);
    }
    assert_int_equal(rtm_seal_owner(NULL, 100), RTM_ERR_NO_MEMORY);
    rtm_unseal_owner(NULL, 100); /* never sealed: ignored */
    for (rtm_owner_t o = 1; o <= RTM_SEAL_OWNERS; o++) {
        assert_true(rtm_is_owner_sealed(&g_h4[0].fl.fault, o));
        rtm_unseal_owner(NULL, o);
    }
    /* with every owner seal gone, the gate is open again for everyone */
    heap4_init_(&g_h4[0], 0);
    rtm_owner_set(3);
    void *p = rtm_heap4_alloc(&g_h4[0], 8);
    assert_non_null(p);
    assert_int_equal(rtm_heap4_free(&g_h4[0], p), RTM_OK);
    assert_int_equal(g_log.count, 0);
    rtm_owner_set(RTM_OWNER_NONE);
}

static void test_no_alloc_nesting(void **state)
{
    (void)state;
    for (size_t i = 0; i < NSCHEMES; i++) {
        void *h, *other;
        const scheme_t *s = fresh(i, &h, &other);
        (void)other;
        void *a = s->alloc(h, 8);
        assert_non_null(a);
        rtm_no_alloc_enter();
        rtm_no_alloc_enter();
        assert_int_equal(rtm_no_alloc_depth(), 2);
        expect_refused(s, h, false);
        rtm_no_alloc_exit();
        expect_refused(s, h, true); /* still inside the outer section */
        free_if_any(s, h, a); /* frees are allowed */
        rtm_no_alloc_exit();
        rtm_no_alloc_exit(); /* unmatched: ignored */
        assert_int_equal(rtm_no_alloc_depth(), 0);
        expect_allocates(s, h, 8);
        assert_int_equal(g_log.count, 2);
    }
}

static void test_seal_at_start(void **state)
{
    (void)state;
    reset_all();
    rtm_seal_at_start_reset();
    heap4_init_(&g_h4[0], 0);
    heap2_init_(&g_h2[0], 1);
    assert_int_equal(rtm_seal_at_start_add(NULL), RTM_ERR_NULL);
    assert_int_equal(rtm_seal_at_start_add(rtm_heap4_fault_state(&g_h4[0])), RTM_OK);
    assert_int_equal(rtm_seal_at_start_add(rtm_heap4_fault_state(&g_h4[0])), RTM_OK);
    /* warm-up: allocations still work before the start */
    void *a = rtm_heap4_alloc(&g_h4[0], 100);
    assert_non_null(a);
    assert_false(rtm_seal_started());
    rtm_seal_at_start();
    assert_true(rtm_seal_started());
    expect_refused(&g_schemes[3], &g_h4[0], false);
    void *b = rtm_heap2_alloc(&g_h2[0], 100); /* not registered */
    assert_non_null(b);
    /* a registration after the start seals at once */
    assert_int_equal(rtm_seal_at_start_add(rtm_heap2_fault_state(&g_h2[0])), RTM_ERR_STATE);
    expect_refused(&g_schemes[1], &g_h2[0], false);
    assert_int_equal(rtm_heap4_free(&g_h4[0], a), RTM_OK);
    assert_int_equal(rtm_heap2_free(&g_h2[0], b), RTM_OK);
    rtm_heap4_unseal(&g_h4[0]);
    rtm_heap2_unseal(&g_h2[0]);
    rtm_seal_at_start_reset();
    /* a full table */
    rtm_fault_t f[RTM_SEAL_AT_START + 1];
    for (size_t i = 0; i < RTM_SEAL_AT_START; i++) {
        rtm_fault_init(&f[i]);
        assert_int_equal(rtm_seal_at_start_add(&f[i]), RTM_OK);
    }
    rtm_fault_init(&f[RTM_SEAL_AT_START]);
    assert_int_equal(rtm_seal_at_start_add(&f[RTM_SEAL_AT_START]), RTM_ERR_NO_MEMORY);
    rtm_seal_at_start();
    for (size_t i = 0; i < RTM_SEAL_AT_START; i++) {
        assert_true(rtm_is_sealed(&f[i]));
        rtm_unseal(&f[i]);
    }
    assert_false(rtm_is_sealed(&f[RTM_SEAL_AT_START]));
    rtm_seal_at_start_reset();
}

static void test_null_ignored(void **state)
{
    (void)state;
    rtm_heap1_seal(NULL);
    rtm_heap2_unseal(NULL);
    rtm_tlsf_seal(NULL);
    rtm_pool_seal(NULL);
    assert_null(rtm_heap4_fault_state(NULL));
    assert_null(rtm_pool_fault_state(NULL));
    assert_false(rtm_is_sealed(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seal_each_scheme), cmocka_unit_test(test_seal_owner),
        cmocka_unit_test(test_seal_owner_limits), cmocka_unit_test(test_no_alloc_nesting),
        cmocka_unit_test(test_seal_at_start), cmocka_unit_test(test_null_ignored),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
