/*
 * Leak tracker, per-owner statistics, call-site tags, the observer fan-out
 * and failure injection at a call site (rtmem/leak.h, rtmem/observe.h),
 * against heap_4 built with RTMEM_CFG_EVENTS=1. A random test checks the
 * tracker against a shadow model after every step; a message builder with
 * error paths runs with a failure at every allocation index and at every
 * call site, and must leave nothing allocated.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "rtmem/heap4.h"
#include "rtmem/leak.h"
#include "rtmem/observe.h"
#include "rtmem/trace.h"

#define ARENA 32768u
static _Alignas(64) uint8_t g_arena[ARENA];
static rtm_heap4_t g_h;
static rtm_leak_entry_t g_tab[256];
static rtm_owner_stats_t g_own[4];
static rtm_leak_t g_lk;

static int setup(void **state)
{
    (void)state;
    assert_int_equal(rtm_heap4_init(&g_h, g_arena, ARENA), RTM_OK);
    assert_int_equal(rtm_leak_init(&g_lk, g_tab, 256, g_own, 4), RTM_OK);
    assert_int_equal(rtm_observer_set(rtm_leak_observer, &g_lk),
                     RTMEM_CFG_EVENTS ? RTM_OK : RTM_ERR_NOT_SUPPORTED);
    rtm_owner_set(RTM_OWNER_NONE);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    (void)rtm_observer_set(NULL, NULL);
    rtm_inject_off();
    rtm_inject_site_off();
    rtm_owner_set(RTM_OWNER_NONE);
    return 0;
}

static size_t used_blocks(void)
{
    rtm_stats_t s;
    rtm_heap4_stats(&g_h, &s);
    return s.used_blocks;
}

static void test_init_args(void **state)
{
    (void)state;
    rtm_leak_t t;
    rtm_leak_entry_t tab[8];
    assert_int_equal(rtm_leak_init(NULL, tab, 8, NULL, 0), RTM_ERR_NULL);
    assert_int_equal(rtm_leak_init(&t, NULL, 8, NULL, 0), RTM_ERR_NULL);
    assert_int_equal(rtm_leak_init(&t, tab, 6, NULL, 0), RTM_ERR_ARG);
    assert_int_equal(rtm_leak_init(&t, tab, 4, NULL, 0), RTM_ERR_ARG);
    assert_int_equal(rtm_leak_init(&t, tab, 8, NULL, 2), RTM_ERR_ARG);
    assert_int_equal(rtm_leak_init(&t, tab, 8, NULL, 0), RTM_OK);
    assert_int_equal(rtm_leak_report(NULL, NULL, 0, NULL), 0);
    assert_null(rtm_leak_owner(NULL, 0));
}

/* Two call sites, two owners; the checkpoint hides what came before. */
static void test_report_groups(void **state)
{
    (void)state;
    void *before = rtm_heap4_alloc(&g_h, 40); /* before the checkpoint */
    rtm_leak_checkpoint(&g_lk);
    void *p[10];
    int line_a = 0, line_b = 0;
    rtm_owner_set(1);
    for (int i = 0; i < 6; i++) {
        line_a = __LINE__ + 1;
        p[i] = RTM_ALLOC_AT(rtm_heap4_alloc(&g_h, 100));
    }
    rtm_owner_set(2);
    for (int i = 6; i < 10; i++) {
        line_b = __LINE__ + 1;
        p[i] = RTM_ALLOC_AT(rtm_heap4_alloc(&g_h, 30));
    }
    void *untagged = rtm_heap4_alloc(&g_h, 450);
    assert_int_equal(rtm_heap4_free(&g_h, p[0]), RTM_OK);
    assert_int_equal(rtm_heap4_free(&g_h, p[9]), RTM_OK);
    assert_null(rtm_site_current().file); /* cleared after each tagged call */

    rtm_leak_group_t g[8];
    size_t total = 0;
    size_t n = rtm_leak_report(&g_lk, g, 8, &total);
#if RTMEM_CFG_EVENTS
    assert_int_equal(n, 3);
    assert_int_equal(total, 5 + 3 + 1);
    /* largest bytes first: owner 1 at line_a (5 x 100), the untagged 450
     * bytes of owner 2, then owner 2 at line_b (3 x 30) */
    assert_int_equal(g[0].owner, 1);
    assert_int_equal(g[0].line, (uint32_t)line_a);
    assert_string_equal(g[0].file, __FILE__);
    assert_int_equal(g[0].count, 5);
    assert_int_equal(g[0].bytes, 500);
    assert_int_equal(g[1].owner, 2);
    assert_null(g[1].file);
    assert_int_equal(g[1].count, 1);
    assert_int_equal(g[1].bytes, 450);
    assert_int_equal(g[2].owner, 2);
    assert_int_equal(g[2].line, (uint32_t)line_b);
    assert_int_equal(g[2].count, 3);
    assert_int_equal(g[2].bytes, 90);
    /* room for one group only: the first met, sorted; total still says all */
    assert_int_equal(rtm_leak_report(&g_lk, g, 1, &total), 1);
    assert_int_equal(total, 9);

    const rtm_owner_stats_t *o1 = rtm_leak_owner(&g_lk, 1);
    assert_int_equal(o1->live_bytes, 500);
    assert_int_equal(o1->live_blocks, 5);
    assert_int_equal(o1->peak_bytes, 600);
    assert_int_equal(o1->allocs, 6);
    assert_int_equal(o1->frees, 1);
    const rtm_owner_stats_t *o0 = rtm_leak_owner(&g_lk, 0);
    assert_int_equal(o0->live_bytes, 40);
    assert_int_equal(rtm_leak_owner(&g_lk, 3000), &g_lk.others);
#else
    assert_int_equal(n, 0);
    (void)line_a;
    (void)line_b;
#endif
    for (int i = 1; i < 9; i++) {
        assert_int_equal(rtm_heap4_free(&g_h, p[i]), RTM_OK);
    }
    assert_int_equal(rtm_heap4_free(&g_h, untagged), RTM_OK);
    assert_int_equal(rtm_heap4_free(&g_h, before), RTM_OK);
    assert_int_equal(rtm_leak_report(&g_lk, g, 8, &total), 0);
    assert_int_equal(total, 0);
    assert_int_equal(g_lk.live, 0);
}

/* Random alloc/free under four owners against a shadow model; after every
 * step the tracker's owner figures and live count equal the model's. */
static void test_random_shadow(void **state)
{
    (void)state;
    static rtm_leak_entry_t tab[1024];
    assert_int_equal(rtm_leak_init(&g_lk, tab, 1024, g_own, 4), RTM_OK);
    struct { void *p; size_t n; rtm_owner_t o; } live[120];
    size_t nlive = 0, bytes[4] = { 0 }, blocks[4] = { 0 };
    uint32_t x = 12345u;
    for (int step = 0; step < 20000; step++) {
        x = x * 1664525u + 1013904223u;
        rtm_owner_t o = (rtm_owner_t)((x >> 8) % 4u);
        rtm_owner_set(o);
        if (nlive < 120u && ((x >> 16) % 3u != 0u || nlive == 0u)) {
            size_t n = 1u + (x >> 20) % 300u;
            void *p = rtm_heap4_alloc(&g_h, n);
            if (p != NULL) {
                live[nlive].p = p;
                live[nlive].n = n;
                live[nlive].o = o;
                nlive++;
                bytes[o] += n;
                blocks[o]++;
            }
        } else if (nlive != 0u) {
            size_t k = (x >> 12) % nlive;
            assert_int_equal(rtm_heap4_free(&g_h, live[k].p), RTM_OK);
            bytes[live[k].o] -= live[k].n;
            blocks[live[k].o]--;
            live[k] = live[--nlive];
        }
#if RTMEM_CFG_EVENTS
        assert_int_equal(g_lk.dropped, 0); /* 120 live in 1,024 slots */
        assert_int_equal(g_lk.live, nlive);
        for (rtm_owner_t i = 0; i < 4u; i++) {
            assert_int_equal(rtm_leak_owner(&g_lk, i)->live_bytes, bytes[i]);
            assert_int_equal(rtm_leak_owner(&g_lk, i)->live_blocks, blocks[i]);
        }
        if (nlive != 0u) {
            const rtm_leak_entry_t *e = rtm_leak_find(&g_lk, live[step % (int)nlive].p);
            assert_non_null(e);
            assert_int_equal(e->size, live[step % (int)nlive].n);
        }
#endif
    }
    while (nlive != 0u) {
        assert_int_equal(rtm_heap4_free(&g_h, live[--nlive].p), RTM_OK);
    }
    assert_int_equal(g_lk.live, 0);
}

/* A table far too small: blocks are dropped and counted, never lost track
 * of wrongly, and each event stays bounded (no search past the window). */
static void test_small_table(void **state)
{
    (void)state;
    rtm_leak_entry_t tab[8];
    rtm_leak_t t;
    assert_int_equal(rtm_leak_init(&t, tab, 8, NULL, 0), RTM_OK);
    (void)rtm_observer_set(rtm_leak_observer, &t);
    void *p[40];
    for (int i = 0; i < 40; i++) {
        p[i] = rtm_heap4_alloc(&g_h, 16);
        assert_non_null(p[i]);
    }
#if RTMEM_CFG_EVENTS
    assert_int_equal(t.live, 8);
    assert_int_equal(t.dropped, 32);
    assert_int_equal(t.others.live_blocks, 40); /* the statistics still count all */
#endif
    for (int i = 0; i < 40; i++) {
        assert_int_equal(rtm_heap4_free(&g_h, p[i]), RTM_OK);
    }
#if RTMEM_CFG_EVENTS
    assert_int_equal(t.live, 0);
    assert_int_equal(t.unknown_frees, 32);
#endif
}

/* Events with a NULL block (a caller forwarding a failed call as an
 * allocation or free) are not blocks: the table and counters stay as they
 * were (an empty slot holds NULL and must not match). */
static void test_null_block_events(void **state)
{
    (void)state;
    rtm_leak_entry_t tab[8];
    rtm_owner_stats_t own[2];
    rtm_leak_t t;
    static uint8_t blk[16];
    assert_int_equal(rtm_leak_init(&t, tab, 8, own, 2), RTM_OK);
    rtm_leak_observer(&t, RTM_EV_ALLOC, NULL, blk, NULL, 16);
    assert_int_equal(t.live, 1);
    rtm_leak_observer(&t, RTM_EV_FREE, NULL, NULL, NULL, 0);
    rtm_leak_observer(&t, RTM_EV_ALLOC, NULL, NULL, NULL, 8);
    rtm_leak_observer(&t, RTM_EV_REALLOC, NULL, NULL, blk, 0);
    assert_int_equal(t.live, 1);
    assert_ptr_equal(rtm_leak_find(&t, blk)->ptr, blk);
    assert_int_equal(rtm_leak_owner(&t, RTM_OWNER_NONE)->live_blocks, 1);
    assert_int_equal(rtm_leak_owner(&t, RTM_OWNER_NONE)->live_bytes, 16);
    rtm_leak_group_t g[2];
    size_t total = 0;
    assert_int_equal(rtm_leak_report(&t, g, 2, &total), 1);
    assert_int_equal(total, 1);
    rtm_leak_observer(&t, RTM_EV_FREE, NULL, blk, NULL, 0);
    assert_int_equal(t.live, 0);
    assert_int_equal(t.unknown_frees, 0);
}

/* rtm_leak_only(): events of other instances are not tracked at all (not
 * in the table, not in the owner statistics, not unknown frees). */
static void test_only_one_instance(void **state)
{
    (void)state;
    static _Alignas(64) uint8_t other_arena[4096];
    rtm_heap4_t other;
    assert_int_equal(rtm_heap4_init(&other, other_arena, sizeof other_arena), RTM_OK);
    rtm_leak_only(NULL, &g_h); /* ignored */
    rtm_leak_only(&g_lk, &g_h);
    void *q = rtm_heap4_alloc(&other, 16);
    void *p = rtm_heap4_alloc(&g_h, 16);
    assert_non_null(q);
    assert_non_null(p);
#if RTMEM_CFG_EVENTS
    assert_int_equal(g_lk.live, 1);
    assert_int_equal(g_lk.others.allocs, 0);
    assert_int_equal(g_own[0].allocs, 1);
#endif
    rtm_leak_only(&g_lk, NULL);
    assert_int_equal(rtm_heap4_free(&other, q), RTM_OK);
    assert_int_equal(rtm_heap4_free(&g_h, p), RTM_OK);
#if RTMEM_CFG_EVENTS
    assert_int_equal(g_lk.live, 0);
    assert_int_equal(g_lk.unknown_frees, 1); /* q's allocation was not tracked */
#endif
}

/* Leak tracker and trace recorder at once through the fan-out. */
static void test_fanout(void **state)
{
    (void)state;
    static uint8_t ring[512];
    rtm_trace_t tr;
    rtm_fanout_t fan;
    assert_int_equal(rtm_trace_init(&tr, ring, sizeof ring), RTM_OK);
    rtm_fanout_init(&fan);
    assert_int_equal(rtm_fanout_add(&fan, rtm_leak_observer, &g_lk), RTM_OK);
    assert_int_equal(rtm_fanout_add(&fan, rtm_trace_observer, &tr), RTM_OK);
    assert_int_equal(rtm_fanout_add(NULL, rtm_trace_observer, &tr), RTM_ERR_NULL);
    assert_int_equal(rtm_fanout_add(&fan, NULL, &tr), RTM_ERR_NULL);
    for (unsigned i = 2; i < RTM_FANOUT_MAX; i++) {
        assert_int_equal(rtm_fanout_add(&fan, rtm_trace_observer, &tr), RTM_OK);
    }
    assert_int_equal(rtm_fanout_add(&fan, rtm_trace_observer, &tr), RTM_ERR_NO_MEMORY);
    /* installed without its fan-out: the events go nowhere (it read
     * through NULL before) */
    rtm_fanout_observer(NULL, RTM_EV_ALLOC, &g_h, &tr, NULL, 8u);
    fan.n = 2;
    (void)rtm_observer_set(rtm_fanout_observer, &fan);
    void *a = rtm_heap4_alloc(&g_h, 64);
    void *b = rtm_heap4_alloc(&g_h, 1000000); /* fails */
    assert_null(b);
    assert_int_equal(rtm_heap4_free(&g_h, a), RTM_OK);
#if RTMEM_CFG_EVENTS
    assert_int_equal(tr.records, 3);
    assert_int_equal(g_lk.owners[0].allocs, 1);
    assert_int_equal(g_lk.owners[0].frees, 1);
    assert_int_equal(g_lk.owners[0].fails, 1);
#endif
}

/* ---- A message builder whose error paths must free everything ------------ */

typedef struct field {
    char *key;
    char *value;
    struct field *next;
} field_t;

typedef struct msg {
    char *topic;
    field_t *fields;
    uint8_t *wire; /* the encoded form */
} msg_t;

static const uint32_t g_dup_line = __LINE__ + 3; /* the RTM_ALLOC_AT line below */
static char *dup_n(const char *s, size_t n)
{
    char *d = RTM_ALLOC_AT(rtm_heap4_alloc(&g_h, n + 1u));
    if (d != NULL) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static void msg_free(msg_t *m)
{
    if (m == NULL) {
        return;
    }
    while (m->fields != NULL) {
        field_t *f = m->fields;
        m->fields = f->next;
        assert_int_equal(rtm_heap4_free(&g_h, f->key), RTM_OK);
        assert_int_equal(rtm_heap4_free(&g_h, f->value), RTM_OK);
        assert_int_equal(rtm_heap4_free(&g_h, f), RTM_OK);
    }
    assert_int_equal(rtm_heap4_free(&g_h, m->topic), RTM_OK);
    assert_int_equal(rtm_heap4_free(&g_h, m->wire), RTM_OK);
    assert_int_equal(rtm_heap4_free(&g_h, m), RTM_OK);
}

static int add_field(msg_t *m, const char *kv)
{
    const char *eq = strchr(kv, '=');
    if (eq == NULL) {
        return -1;
    }
    field_t *f = RTM_ALLOC_AT(rtm_heap4_alloc(&g_h, sizeof *f));
    if (f == NULL) {
        return -1;
    }
    f->key = dup_n(kv, (size_t)(eq - kv));
    f->value = dup_n(eq + 1, strlen(eq + 1));
    if (f->key == NULL || f->value == NULL) {
        (void)rtm_heap4_free(&g_h, f->key);
        (void)rtm_heap4_free(&g_h, f->value);
        (void)rtm_heap4_free(&g_h, f);
        return -1;
    }
    f->next = m->fields;
    m->fields = f;
    return 0;
}

static int encode(msg_t *m)
{
    size_t n = strlen(m->topic) + 2u;
    for (const field_t *f = m->fields; f != NULL; f = f->next) {
        n += strlen(f->key) + strlen(f->value) + 2u;
    }
    m->wire = RTM_ALLOC_AT(rtm_heap4_alloc(&g_h, n));
    if (m->wire == NULL) {
        return -1;
    }
    size_t at = (size_t)sprintf((char *)m->wire, "%s|", m->topic);
    for (const field_t *f = m->fields; f != NULL; f = f->next) {
        at += (size_t)sprintf((char *)m->wire + at, "%s=%s;", f->key, f->value);
    }
    return 0;
}

/* topic plus key=value fields; NULL (and nothing left allocated) on failure */
static msg_t *msg_build(const char *topic, const char *const *kv, size_t n)
{
    msg_t *m = RTM_ALLOC_AT(rtm_heap4_alloc(&g_h, sizeof *m));
    if (m == NULL) {
        return NULL;
    }
    m->fields = NULL;
    m->wire = NULL;
    m->topic = dup_n(topic, strlen(topic));
    if (m->topic == NULL) {
        assert_int_equal(rtm_heap4_free(&g_h, m), RTM_OK);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        if (add_field(m, kv[i]) != 0) {
            msg_free(m);
            return NULL;
        }
    }
    if (encode(m) != 0) {
        msg_free(m);
        return NULL;
    }
    return m;
}

static const char *const g_kv[] = { "temp=21.5", "hum=40", "unit=C", "node=7" };
#define MSG_ALLOCS (1u + 1u + 4u * 3u + 1u) /* msg, topic, 3 per field, wire */

static void check_nothing_left(void)
{
    rtm_check_t r;
    assert_int_equal(rtm_heap4_check(&g_h, &r), RTM_OK);
    assert_int_equal(used_blocks(), 0);
#if RTMEM_CFG_EVENTS
    assert_int_equal(g_lk.live, 0);
#endif
}

/* Fail the k-th allocation for every k; each run must clean up. */
static void test_inject_every_index(void **state)
{
    (void)state;
    msg_t *m = msg_build("sensors/env", g_kv, 4);
    assert_non_null(m);
    assert_string_equal((char *)m->wire, "sensors/env|node=7;unit=C;hum=40;temp=21.5;");
    msg_free(m);
    check_nothing_left();
    for (uint32_t k = 0; k < MSG_ALLOCS; k++) {
        rtm_inject_fail(k, 0);
        m = msg_build("sensors/env", g_kv, 4);
        assert_null(m);
        assert_int_equal(rtm_inject_count(), 1);
        rtm_inject_off();
        check_nothing_left();
    }
    rtm_inject_fail(MSG_ALLOCS, 0); /* one past the last: the build succeeds */
    m = msg_build("sensors/env", g_kv, 4);
    assert_non_null(m);
    assert_int_equal(rtm_inject_count(), 0);
    rtm_inject_off();
    msg_free(m);
    check_nothing_left();
}

/* Fail the n-th call at one chosen call site: dup_n's allocation (called
 * for the topic, then key and value of each field). */
static void test_inject_site(void **state)
{
    (void)state;
    const uint32_t dup_line = g_dup_line;
#if RTMEM_CFG_EVENTS
    for (uint32_t nth = 0; nth < 9u; nth++) {
        assert_int_equal(rtm_inject_site(__FILE__, dup_line, nth), RTM_OK);
        msg_t *m = msg_build("sensors/env", g_kv, 4);
        assert_null(m);
        assert_int_equal(rtm_inject_site_seen(), nth + 1u);
        check_nothing_left();
    }
    /* the tenth call there does not exist: the build succeeds */
    assert_int_equal(rtm_inject_site(__FILE__, dup_line, 9), RTM_OK);
    msg_t *m = msg_build("sensors/env", g_kv, 4);
    assert_non_null(m);
    assert_int_equal(rtm_inject_site_seen(), 9);
    msg_free(m);
    /* a site that is never reached injects nothing, and an untagged call
     * after a tagged one is never hit */
    assert_int_equal(rtm_inject_site("elsewhere.c", dup_line, 0), RTM_OK);
    m = msg_build("sensors/env", g_kv, 4);
    assert_non_null(m);
    msg_free(m);
    rtm_inject_site_off();
#else
    assert_int_equal(rtm_inject_site(__FILE__, dup_line, 0), RTM_ERR_NOT_SUPPORTED);
#endif
    assert_int_equal(rtm_inject_site(NULL, 1, 0), RTM_ERR_NULL);
    check_nothing_left();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_args),
        cmocka_unit_test(test_null_block_events),
        cmocka_unit_test_setup_teardown(test_report_groups, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_shadow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_small_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_only_one_instance, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fanout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inject_every_index, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inject_site, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
