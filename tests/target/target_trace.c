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

enum { SYS_OPEN = 0x01, SYS_CLOSE = 0x02, SYS_WRITE = 0x05 };

static uint32_t semihost(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

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
        uint32_t args[3] = { fd, (uint32_t)(uintptr_t)chunk, (uint32_t)n };
        TGT_EXPECT(semihost(SYS_WRITE, args) == 0u); /* bytes not written */
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

int main(void)
{
    static const char name[] = TRACE_OUT;
    uint32_t open_args[3] = { (uint32_t)(uintptr_t)name, 5u /* "wb" */, sizeof name - 1u };
    fd = semihost(SYS_OPEN, open_args);
    TGT_EXPECT(fd != 0xFFFFFFFFu);
    TGT_EXPECT(rtm_heap4_init(&heap, arena, sizeof arena) == RTM_OK);
    TGT_EXPECT(rtm_trace_init(&tr, ring, sizeof ring) == RTM_OK);
    TGT_EXPECT(rtm_observer_set(rtm_trace_observer, &tr) == RTM_OK);
    tw_result_t r = tw_run(&heap, 0xC0FFEEu, 3000u, tick);
    (void)rtm_observer_set(NULL, NULL);
    drain_all();
    uint32_t close_args[1] = { fd };
    TGT_EXPECT(semihost(SYS_CLOSE, close_args) == 0u);
    TGT_EXPECT(tr.lost == 0u);
    TGT_EXPECT(r.fails == 0u);
    printf("target: trace of %u records, %u bytes in %u drains, %u lost\n", (unsigned)tr.records,
           (unsigned)written, (unsigned)drains, (unsigned)tr.lost);
    printf("trace-result: allocs %u frees %u fails %u live %u bytes %u\n", (unsigned)r.allocs,
           (unsigned)r.frees, (unsigned)r.fails, (unsigned)r.live_blocks,
           (unsigned)r.live_bytes);
    return tgt_failures != 0;
}
