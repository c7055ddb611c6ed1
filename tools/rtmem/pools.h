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
    size_t allocs, frees;
    rtm_err_t check;     /* rtm_pool_check() after the run */
} pool_run_t;

/* True when the pool module is compiled in. */
bool pool_available(void);

/* A pool of `capacity` 32-byte blocks (no locking, like the heaps), holding
 * `prefill` blocks live, then `pairs` timed LIFO alloc/free pairs. -1 when the
 * pool is not built in or the memory cannot be had. */
int pool_w4(size_t capacity, size_t prefill, size_t pairs, pool_run_t *out);

#endif
