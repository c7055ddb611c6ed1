/*
 * The trace recorder (rtmem/trace.h) and the host decoder (tools/rtmem/
 * decode.c): a workload recorded into a small ring drained as it runs,
 * decoded, must give exactly the events that the host writer saw live; the
 * decoded trace replays on heap_4 with the integrity check after every event
 * and ends with the workload's live blocks. A ring that is never drained
 * loses records, counts them, and the decoded text says where. mtrace input
 * (a fixture; the real glibc run is the test_mtrace_glibc CTest).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "decode.h"
#include "rtmem/heap4.h"
#include "rtmem/trace.h"
#include "trace.h"
#include "trace_text.h"
#include "trace_workload.h"

static _Alignas(64) uint8_t g_arena[TW_ARENA];
static rtm_heap4_t g_h;
static rtm_trace_t g_tr;
static uint8_t g_ring[300];
static uint8_t *g_stream;
static size_t g_len, g_cap;

static void drain(void)
{
    uint8_t chunk[37]; /* odd sizes: records straddle chunks */
    size_t n;
    while ((n = rtm_trace_drain(&g_tr, chunk, sizeof chunk)) != 0u) {
        if (g_len + n > g_cap) {
            g_cap = (g_cap + n) * 2u;
            g_stream = realloc(g_stream, g_cap);
            assert_non_null(g_stream);
        }
        memcpy(g_stream + g_len, chunk, n);
        g_len += n;
    }
}

static char *decode_mem(const uint8_t *d, size_t len, trace_writer_t *st)
{
    char *text = NULL, err[200] = "";
    size_t tl = 0;
    FILE *m = open_memstream(&text, &tl);
    int rc = decode_to_text(d, len, m, st, err, sizeof err);
    fclose(m);
    if (rc != 0) {
        fprintf(stderr, "decode: %s\n", err);
    }
    assert_int_equal(rc, 0);
    return text;
}

/* Replay a trace on a fresh heap_4 with the check after every event. */
static void replay(const trace_t *t, size_t *live_blocks, size_t *live_bytes)
{
    static _Alignas(64) uint8_t arena[4u * TW_ARENA];
    rtm_heap4_t h;
    void **slot = calloc(t->slots + 1u, sizeof *slot);
    size_t *sz = calloc(t->slots + 1u, sizeof *sz);
    assert_int_equal(rtm_heap4_init(&h, arena, sizeof arena), RTM_OK);
    for (size_t i = 0; i < t->n; i++) {
        const trace_event_t *e = &t->ev[i];
        if (e->op == TRACE_ALLOC) {
            slot[e->slot] = rtm_heap4_alloc(&h, e->size);
            assert_non_null(slot[e->slot]);
            sz[e->slot] = e->size;
        } else if (e->op == TRACE_FREE) {
            assert_int_equal(rtm_heap4_free(&h, slot[e->slot]), RTM_OK);
            slot[e->slot] = NULL;
        } else {
            fail_msg("no realloc expected");
        }
        rtm_check_t r;
        assert_int_equal(rtm_heap4_check(&h, &r), RTM_OK);
    }
    *live_blocks = *live_bytes = 0;
    for (size_t s = 0; s < t->slots; s++) {
        if (slot[s] != NULL) {
            (*live_blocks)++;
            *live_bytes += sz[s];
        }
    }
    free(slot);
    free(sz);
}

static void test_record_decode_replay(void **state)
{
    (void)state;
    /* the reference: the same workload written live by the host writer */
    char *ref = NULL;
    size_t rl = 0;
    trace_writer_t w;
    FILE *m = open_memstream(&ref, &rl);
    assert_int_equal(trace_writer_open(&w, m), 0);
    assert_int_equal(rtm_heap4_init(&g_h, g_arena, TW_ARENA), RTM_OK);
    assert_int_equal(rtm_observer_set(trace_writer_observer, &w), RTM_OK);
    tw_result_t r0 = tw_run(&g_h, 0xC0FFEEu, 3000u, NULL);
    trace_writer_close(&w);
    fclose(m);

    /* recorded through the ring, drained after every operation */
    g_len = 0;
    assert_int_equal(rtm_heap4_init(&g_h, g_arena, TW_ARENA), RTM_OK);
    assert_int_equal(rtm_trace_init(&g_tr, g_ring, sizeof g_ring), RTM_OK);
    assert_int_equal(rtm_observer_set(rtm_trace_observer, &g_tr), RTM_OK);
    tw_result_t r1 = tw_run(&g_h, 0xC0FFEEu, 3000u, drain);
    (void)rtm_observer_set(NULL, NULL);
    drain();
    assert_int_equal(r0.fails, 0);
    assert_int_equal(r1.fails, 0);
    assert_int_equal(g_tr.lost, 0);
    assert_int_equal(g_tr.records, r1.allocs + r1.frees);

    trace_writer_t st;
    char *text = decode_mem(g_stream, g_len, &st);
    assert_int_equal(st.lost, 0);
    assert_int_equal(st.unknown, 0);
    assert_non_null(strstr(text, "# owner 4\n")); /* owner switches kept as comments */
    char *a = events_only(ref), *b = events_only(text);
    assert_string_equal(a, b);

    trace_t t;
    trace_error_t err;
    assert_int_equal(trace_parse(&t, text, strlen(text), &err), 0);
    assert_int_equal(t.n_alloc, r1.allocs);
    assert_int_equal(t.n_free, r1.frees);
    assert_int_equal(t.leaked_blocks, r1.live_blocks);
    assert_int_equal(t.leaked_bytes, r1.live_bytes);
    size_t lb, lbytes;
    replay(&t, &lb, &lbytes);
    assert_int_equal(lb, r1.live_blocks);
    assert_int_equal(lbytes, r1.live_bytes);
    trace_free(&t);
    free(a);
    free(b);
    free(text);
    free(ref);
}

/* Never drained: records are dropped whole, counted, and said in the stream. */
static void test_overflow(void **state)
{
    (void)state;
    static uint8_t small[64];
    assert_int_equal(rtm_trace_init(&g_tr, small, 8), RTM_ERR_ARG);
    assert_int_equal(rtm_trace_init(NULL, small, 64), RTM_ERR_NULL);
    assert_int_equal(rtm_trace_init(&g_tr, small, sizeof small), RTM_OK);
    assert_int_equal(rtm_heap4_init(&g_h, g_arena, TW_ARENA), RTM_OK);
    assert_int_equal(rtm_observer_set(rtm_trace_observer, &g_tr), RTM_OK);
    void *p[40];
    for (int i = 0; i < 40; i++) {
        p[i] = rtm_heap4_alloc(&g_h, 24);
    }
    assert_true(g_tr.lost > 0u);
    size_t lost_first = g_tr.lost;
    uint8_t out[64];
    size_t n = rtm_trace_drain(&g_tr, out, sizeof out);
    assert_true(n <= sizeof small);
    assert_int_equal(rtm_trace_pending(&g_tr), 0);
    for (int i = 0; i < 40; i++) {
        assert_int_equal(rtm_heap4_free(&g_h, p[i]), RTM_OK);
    }
    (void)rtm_observer_set(NULL, NULL);
    g_len = 0;
    if (g_cap < n) {
        g_cap = n;
        g_stream = realloc(g_stream, g_cap);
    }
    memcpy(g_stream, out, n);
    g_len = n;
    g_tr.buf = small; /* keep the ring: what the frees wrote after the drain */
    drain();
    assert_true(g_tr.lost > lost_first);
    trace_writer_t st;
    char *text = decode_mem(g_stream, g_len, &st);
    assert_int_equal(st.lost, g_tr.lost - g_tr.lost_unsaid);
    assert_non_null(strstr(text, "records lost here: the trace has a gap"));
    assert_true(st.unknown > 0u); /* frees of blocks whose allocation was lost */
    trace_t t;
    trace_error_t err;
    assert_int_equal(trace_parse(&t, text, strlen(text), &err), 0); /* still a valid trace */
    trace_free(&t);
    free(text);
}

/* rtm_trace_only() keeps one instance's events and drops the others'
 * without counting them lost; rtm_trace_pause() stops and resumes. */
static void test_only_and_pause(void **state)
{
    (void)state;
    static _Alignas(64) uint8_t other_arena[4096];
    static uint8_t ring[1024];
    rtm_heap4_t other;
    assert_int_equal(rtm_trace_init(&g_tr, ring, sizeof ring), RTM_OK);
    assert_int_equal(rtm_heap4_init(&g_h, g_arena, TW_ARENA), RTM_OK);
    assert_int_equal(rtm_heap4_init(&other, other_arena, sizeof other_arena), RTM_OK);
    assert_int_equal(rtm_observer_set(rtm_trace_observer, &g_tr), RTM_OK);
    rtm_trace_only(NULL, &g_h);   /* ignored */
    rtm_trace_pause(NULL, true); /* ignored */
    rtm_trace_only(&g_tr, &g_h);
    void *q = rtm_heap4_alloc(&other, 24);
    assert_non_null(q);
    assert_int_equal(g_tr.records, 0);
    void *p = rtm_heap4_alloc(&g_h, 24);
    assert_non_null(p);
    assert_int_equal(g_tr.records, 1);
    rtm_trace_pause(&g_tr, true);
    assert_int_equal(rtm_heap4_free(&g_h, p), RTM_OK);
    assert_int_equal(g_tr.records, 1);
    rtm_trace_pause(&g_tr, false);
    rtm_trace_only(&g_tr, NULL);
    assert_int_equal(rtm_heap4_free(&other, q), RTM_OK);
    assert_int_equal(g_tr.records, 2);
    assert_int_equal(g_tr.lost, 0);
    (void)rtm_observer_set(NULL, NULL);
}

static void test_bad_streams(void **state)
{
    (void)state;
    char *text = NULL, err[200];
    size_t tl = 0;
    FILE *m = open_memstream(&text, &tl);
    static const uint8_t cut[] = { 'R', 'T', 'M', 'T', 1, 8, 0x00, 0x80 };
    static const uint8_t tag[] = { 'R', 'T', 'M', 'T', 1, 8, 0x30 };
    static const uint8_t ver[] = { 'R', 'T', 'M', 'T', 9, 8 };
    assert_int_equal(decode_to_text(cut, sizeof cut, m, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "cut short"));
    assert_int_equal(decode_to_text(tag, sizeof tag, m, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "unknown tag"));
    assert_int_equal(decode_to_text(ver, sizeof ver, m, NULL, err, sizeof err), -1);
    assert_int_equal(decode_to_text((const uint8_t *)"hello", 5, m, NULL, err, sizeof err), -1);
    /* the header's pointer size (sizeof(void *) of the target) is 4 or 8 */
    static const uint8_t psz_ok[] = { 'R', 'T', 'M', 'T', 1, 4, 0x00, 0x10, 0x08 };
    assert_int_equal(decode_to_text(psz_ok, sizeof psz_ok, m, NULL, err, sizeof err), 0);
    static const uint8_t bad_psz[] = { 0, 2, 3, 5, 16, 0xFF };
    for (size_t i = 0; i < sizeof bad_psz; i++) {
        uint8_t psz[] = { 'R', 'T', 'M', 'T', 1, bad_psz[i], 0x00, 0x10, 0x08 };
        err[0] = '\0';
        assert_int_equal(decode_to_text(psz, sizeof psz, m, NULL, err, sizeof err), -1);
        assert_non_null(strstr(err, "pointer size"));
    }
    fclose(m);
    free(text);
}

static void test_mtrace_fixture(void **state)
{
    (void)state;
    static const char mt[] =
        "= Start\n"
        "@ ./app:[0x401136] + 0x4052a0 0x64\n"
        "@ ./app:[0x401144] + 0x405310 0x20\n"
        "@ /lib/x86_64-linux-gnu/libc.so.6:(strdup+0x1a)[0x7f00] + 0x405340 0x6\n"
        "@ ./app:[0x401152] < 0x405310\n"
        "@ ./app:[0x401152] > 0x405360 0xc8\n"
        "@ ./app:[0x401160] - 0x4052a0\n"
        "@ ./app:[0x401170] ! 0x405360 0xffffffff\n"
        "@ ./app:[0x401180] - 0x999999\n"
        "- 0x405340\n"
        "= End\n";
    trace_writer_t st;
    char *text = decode_mem((const uint8_t *)mt, strlen(mt), &st);
    char *ev = events_only(text);
    assert_string_equal(ev, "a 0 100\na 1 32\na 2 6\nr 1 200\nf 0\nf 2\n");
    assert_int_equal(st.failed, 1);
    assert_int_equal(st.unknown, 1);
    free(ev);
    free(text);
    char bad[] = "@ ./app:[0x1] + zz 0x10\n";
    char *t2 = NULL, err[200];
    size_t tl;
    FILE *m = open_memstream(&t2, &tl);
    assert_int_equal(decode_to_text((const uint8_t *)bad, strlen(bad), m, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "line 1"));
    fclose(m);
    free(t2);
}

static int teardown(void **state)
{
    (void)state;
    (void)rtm_observer_set(NULL, NULL);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_record_decode_replay, teardown),
        cmocka_unit_test_teardown(test_overflow, teardown),
        cmocka_unit_test_teardown(test_only_and_pause, teardown),
        cmocka_unit_test(test_bad_streams),
        cmocka_unit_test(test_mtrace_fixture),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    free(g_stream);
    return rc;
}
