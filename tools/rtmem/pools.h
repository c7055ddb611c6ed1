/*
 * W4 on the fixed-block pool (rtmem/pool.h), when the module is built in.
 */
#ifndef RTM_TOOL_POOLS_H
#define RTM_TOOL_POOLS_H

#include <stdbool.h>
#include <stddef.h>

#include "workload.h"

typedef struct pool_run {
    wl_result_t r;       /* r.alloc: percentiles of one alloc(32)+free pair */
    size_t capacity;     /* blocks */
    size_t stride;       /* bytes per block */
    size_t prefilled;    /* blocks held live while the pairs ran */
    size_t peak_used;
    size_t used; /* at the end of the run */
    rtm_err_t check;     /* rtm_pool_check() after the run */
} pool_run_t;

/* True when the pool module is compiled in. */
bool pool_available(void);

/* How the pairs call the pool. */
typedef enum pool_api {
    POOL_INLINE,   /* RTM_POOL_NOLOCK, rtm_pool_alloc_unlocked/free_unlocked (inline) */
    POOL_INLINE_NOBITMAP, /* the same without the double-free bitmap */
    POOL_CALL,     /* RTM_POOL_NOLOCK, rtm_pool_alloc/rtm_pool_free (out of line) */
    POOL_LOCKFREE, /* RTM_POOL_LOCKFREE, rtm_pool_alloc/rtm_pool_free */
    POOL_LOCKED,   /* default mode: the port's critical section around each call */
} pool_api_t;

/* A pool of `capacity` 32-byte blocks with the default bitmap (double-free
 * check) unless POOL_INLINE_NOBITMAP, holding `prefill` blocks live, then
 * `pairs` timed LIFO alloc/free pairs through `api`. -1 when the pool or that mode is not built in, or the
 * memory cannot be had. */
int pool_w4(size_t capacity, size_t prefill, size_t pairs, pool_api_t api, pool_run_t *out);

/* The floor of W4 on this machine: the same timed pairs on a bare intrusive
 * LIFO list written here (64 blocks of 32 bytes, pointer links, no checks, no
 * counters, no lock): a pair is two dependent loads and three stores, less
 * than any pool that checks its input can do. Not a library allocator; its
 * row bounds the ratio to malloc a pool can reach on this CPU. -1 when the
 * memory cannot be had. */
int floor_w4(size_t pairs, wl_result_t *out);

/* The empty timed region in W4's own loop (floor_w4()'s, with nothing between
 * the two counter reads, the samples stored alike), in raw ticks: the mean
 * over WL_REP_SERIES series of `pairs`, fastest 99%. W4 subtracts it instead
 * of the start-up figure: a pool pair is a fraction of the counter's step,
 * and the start-up figure moves by a fraction of a ns from process to
 * process, enough to swing the pool's ratio to malloc several-fold.
 * -1 when the memory cannot be had. */
double empty_w4_ticks(size_t pairs);

#endif
