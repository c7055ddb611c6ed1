/*
 * BENCH.md's pseudo-random numbers and the W1 size mix, header-only and
 * freestanding: the host tool and the Cortex-M target benchmark
 * (tests/target/target_bench.c) draw the same sequences from this one copy.
 */
#ifndef RTM_TOOL_BENCH_RNG_H
#define RTM_TOOL_BENCH_RNG_H

#include <stddef.h>
#include <stdint.h>

/* xorshift64*, exactly as BENCH.md gives it. */
typedef struct wl_rng {
    uint64_t x;
} wl_rng_t;

static inline uint64_t wl_next(wl_rng_t *r)
{
    r->x ^= r->x >> 12;
    r->x ^= r->x << 25;
    r->x ^= r->x >> 27;
    return r->x * 0x2545F4914F6CDD1DULL;
}

/* a + next() % (b - a + 1) */
static inline uint64_t wl_uniform(wl_rng_t *r, uint64_t a, uint64_t b)
{
    return a + wl_next(r) % (b - a + 1u);
}

/* The W1 size mix: 70% uniform(8,128), 25% uniform(129,1024), 5%
 * uniform(1025,4096); one draw for the class, one for the size. */
static inline size_t wl_size_w1(wl_rng_t *r)
{
    uint64_t c = wl_next(r) % 100u;
    if (c < 70u) {
        return (size_t)wl_uniform(r, 8u, 128u);
    }
    if (c < 95u) {
        return (size_t)wl_uniform(r, 129u, 1024u);
    }
    return (size_t)wl_uniform(r, 1025u, 4096u);
}

#endif
