/*
 * The trace recorder where the firmware runs: the tests' workload
 * (tests/trace_workload.h) on heap_4, built with RTMEM_CFG_EVENTS=1 and
 * recorded into a 512-byte ring that is drained over semihosting into a host
 * file (argument of the build: TRACE_OUT) whenever it is half full, as an
 * application would drain it over a UART. The last line printed is the
 * workload's own result; tests/target/trace_check.c decodes the file on the
 * host, replays it and must reach the same result.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "rtmem/heap4.h"
#include "rtmem/trace.h"
#include "target.h"
#include "trace_workload.h"

#ifndef TRACE_OUT
#define TRACE_OUT "trace-an386.bin"
#endif

static _Alignas(8) uint8_t arena[TW_ARENA];
static uint8_t ring[512];
static rtm_heap4_t heap;
static rtm_trace_t tr;
static uint32_t fd;
static uint32_t written, drains;

static void drain_all(void)
{
    uint8_t chunk[64];
    size_t n;
    while ((n = rtm_trace_drain(&tr, chunk, sizeof chunk)) != 0u) {
        TGT_EXPECT(tgt_file_write(fd, chunk, n));
        written += (uint32_t)n;
    }
    drains++;
}

static void tick(void)
{
    if (rtm_trace_pending(&tr) > sizeof ring / 2u) {
        drain_all();
    }
}

/* Instructions one recorded event costs (the observer call, an alloc record
 * of a typical pointer and size), less an empty timed region: printed for
 * the record, never asserted. */
static void measure(void)
{
    static uint8_t sink[sizeof ring];
    uint32_t ipt, t0, t1, full = 0, empty = 0;
    tgt_counter_start();
    ipt = tgt_insn_per_tick();
    TGT_EXPECT(rtm_trace_init(&tr, ring, sizeof ring) == RTM_OK);
    for (uint32_t i = 0; i < 2000u; i++) {
        if (rtm_trace_pending(&tr) > sizeof ring - RTM_TRACE_RECORD_MAX) {
            (void)rtm_trace_drain(&tr, sink, sizeof sink);
        }
        tgt_dither(i);
        t0 = tgt_now();
        rtm_trace_observer(&tr, RTM_EV_ALLOC, &heap, arena + 8u * (i % 512u), NULL, 24u + i % 200u);
        t1 = tgt_now();
        full += tgt_ticks(t0, t1);
        tgt_dither(i);
        t0 = tgt_now();
        t1 = tgt_now();
        empty += tgt_ticks(t0, t1);
    }
    printf("target: one recorded event: %u instructions (mean of 2000, %u per tick)\n",
           (unsigned)((full - empty) * ipt / 2000u), (unsigned)ipt);
}

int main(void)
{
    fd = tgt_file_open(TRACE_OUT);
    TGT_EXPECT(fd != TGT_NO_FILE);
    TGT_EXPECT(rtm_heap4_init(&heap, arena, sizeof arena) == RTM_OK);
    TGT_EXPECT(rtm_trace_init(&tr, ring, sizeof ring) == RTM_OK);
    TGT_EXPECT(rtm_observer_set(rtm_trace_observer, &tr) == RTM_OK);
    tw_result_t r = tw_run(&heap, 0xC0FFEEu, 3000u, tick);
    (void)rtm_observer_set(NULL, NULL);
    drain_all();
    TGT_EXPECT(tgt_file_close(fd));
    TGT_EXPECT(tr.lost == 0u);
    TGT_EXPECT(r.fails == 0u);
    printf("target: trace of %u records, %u bytes in %u drains, %u lost\n", (unsigned)tr.records,
           (unsigned)written, (unsigned)drains, (unsigned)tr.lost);
    printf("trace-result: allocs %u frees %u fails %u live %u bytes %u\n", (unsigned)r.allocs,
           (unsigned)r.frees, (unsigned)r.fails, (unsigned)r.live_blocks,
           (unsigned)r.live_bytes);
    measure();
    return tgt_failures != 0;
}
