/*
 * Host half of the target trace test (tests/target/run.sh): decode the
 * binary trace that tests/target/target_trace.c drained from the emulated
 * Cortex-M4, compare its events with the same workload run here under the
 * host writer, replay it on heap_4 with the integrity check after every
 * event, and print the replay's result in the target's format, so that the
 * script can compare the two lines.
 * usage: trace_check FILE.bin
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "rtmem/heap4.h"
#include "trace.h"
#include "trace_text.h"
#include "trace_workload.h"

#define CHECK(c)                                                            \
    do {                                                                    \
        if (!(c)) {                                                         \
            fprintf(stderr, "trace_check: %s:%d: %s\n", __FILE__, __LINE__, #c); \
            exit(1);                                                        \
        }                                                                   \
    } while (0)

int main(int argc, char **argv)
{
    static _Alignas(64) uint8_t arena[4u * TW_ARENA];
    CHECK(argc == 2);
    trace_t t;
    trace_error_t err;
    if (trace_load_any(&t, argv[1], &err) != 0) {
        fprintf(stderr, "trace_check: %s:%zu: %s\n", argv[1], err.line, err.reason);
        return 1;
    }
    /* the events, as text, against the host's own run of the workload */
    FILE *f = fopen(argv[1], "rb");
    CHECK(f != NULL);
    static uint8_t bin[1u << 20];
    size_t len = fread(bin, 1, sizeof bin, f);
    fclose(f);
    char *dec = NULL, *ref = NULL, why[200];
    size_t dl, rl;
    FILE *m = open_memstream(&dec, &dl);
    trace_writer_t st;
    CHECK(decode_to_text(bin, len, m, &st, why, sizeof why) == 0);
    fclose(m);
    CHECK(st.lost == 0u && st.unknown == 0u);
    rtm_heap4_t h;
    trace_writer_t w;
    m = open_memstream(&ref, &rl);
    CHECK(trace_writer_open(&w, m) == 0);
    CHECK(rtm_heap4_init(&h, arena, TW_ARENA) == RTM_OK);
    CHECK(rtm_observer_set(trace_writer_observer, &w) == RTM_OK);
    tw_result_t hr = tw_run(&h, 0xC0FFEEu, 3000u, NULL);
    (void)rtm_observer_set(NULL, NULL);
    trace_writer_close(&w);
    fclose(m);
    CHECK(hr.fails == 0u);
    char *a = events_only(dec), *b = events_only(ref);
    CHECK(a != NULL && b != NULL);
    CHECK(strcmp(a, b) == 0);

    /* replay */
    void **slot = calloc(t.slots + 1u, sizeof *slot);
    size_t *sz = calloc(t.slots + 1u, sizeof *sz);
    unsigned allocs = 0, frees = 0, fails = 0, live = 0, bytes = 0;
    CHECK(slot && sz && rtm_heap4_init(&h, arena, sizeof arena) == RTM_OK);
    for (size_t i = 0; i < t.n; i++) {
        const trace_event_t *e = &t.ev[i];
        CHECK(e->op == TRACE_ALLOC || e->op == TRACE_FREE);
        if (e->op == TRACE_ALLOC) {
            slot[e->slot] = rtm_heap4_alloc(&h, e->size);
            sz[e->slot] = e->size;
            slot[e->slot] ? allocs++ : fails++;
        } else {
            CHECK(rtm_heap4_free(&h, slot[e->slot]) == RTM_OK);
            slot[e->slot] = NULL;
            frees++;
        }
        rtm_check_t r;
        CHECK(rtm_heap4_check(&h, &r) == RTM_OK);
    }
    for (size_t s = 0; s < t.slots; s++) {
        if (slot[s]) {
            live++;
            bytes += (unsigned)sz[s];
        }
    }
    printf("trace-result: allocs %u frees %u fails %u live %u bytes %u\n", allocs, frees, fails,
           live, bytes);
    free(slot);
    free(sz);
    free(a);
    free(b);
    free(dec);
    free(ref);
    trace_free(&t);
    return 0;
}
