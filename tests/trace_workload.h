/*
 * A small allocation workload for the trace tests, run the same way on the
 * host and on the emulated Cortex-M (tests/target/target_trace.c): PRNG
 * allocs and frees on one heap_4 under four owners, some blocks left live at
 * the end. The sequence of calls depends only on the seed, never on the
 * layout, as long as no allocation fails (the caller checks `fails`).
 */
#ifndef RTM_TRACE_WORKLOAD_H
#define RTM_TRACE_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "rtmem/common.h"
#include "rtmem/heap4.h"

#define TW_ARENA 16384u
#define TW_MAX_LIVE 32u

typedef struct tw_result {
    uint32_t allocs, frees, fails;
    uint32_t live_blocks;
    uint32_t live_bytes;
} tw_result_t;

/* Run `steps` operations; `tick` (may be NULL) is called after each one
 * (the target drains its ring there). */
static inline tw_result_t tw_run(rtm_heap4_t *h, uint32_t seed, uint32_t steps,
                                 void (*tick)(void))
{
    void *live[TW_MAX_LIVE];
    uint32_t size[TW_MAX_LIVE];
    uint32_t n = 0, x = seed;
    tw_result_t r = { 0, 0, 0, 0, 0 };
    for (uint32_t i = 0; i < steps; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        rtm_owner_set((rtm_owner_t)(1u + (x >> 28) % 4u));
        if (n < TW_MAX_LIVE && (n == 0u || (x & 3u) != 0u)) {
            uint32_t s = 1u + (x >> 8) % 300u;
            void *p = rtm_heap4_alloc(h, s);
            if (p == NULL) {
                r.fails++;
            } else {
                live[n] = p;
                size[n] = s;
                n++;
                r.allocs++;
            }
        } else if (n != 0u) {
            uint32_t k = (x >> 4) % n;
            if (rtm_heap4_free(h, live[k]) == RTM_OK) {
                r.frees++;
            }
            n--;
            live[k] = live[n];
            size[k] = size[n];
        }
        if (tick != NULL) {
            tick();
        }
    }
    rtm_owner_set(RTM_OWNER_NONE);
    r.live_blocks = n;
    for (uint32_t k = 0; k < n; k++) {
        r.live_bytes += size[k];
    }
    return r;
}

#endif
