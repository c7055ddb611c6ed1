/* Shared helper of the rtm_pool tests (test_pool.c, test_pool_threads.c):
 * the pool's figures, read through the one statistics call. */
#ifndef TEST_POOL_UTIL_H
#define TEST_POOL_UTIL_H

#include <stddef.h>

#include "rtmem/pool.h"

typedef struct ps {
    size_t capacity, used, free, peak_used, failed_allocs, invalid_frees;
} ps_t;

/* rtm_pool_stats() in blocks; its error for a bad pool, or for s NULL
 * (*s is zeroed first, so no caller reads an unset figure). */
static inline rtm_err_t get_ps(const rtm_pool_t *p, ps_t *s)
{
    if (s != NULL) {
        *s = (ps_t){0};
    }
    rtm_pool_stats_t c;
    rtm_err_t e = rtm_pool_stats(p, &c);
    if (e != RTM_OK || s == NULL) {
        return e;
    }
    s->capacity = c.capacity;
    s->used = c.used_blocks;
    s->free = c.free_blocks;
    s->peak_used = c.peak_used;
    s->failed_allocs = c.failed_allocs;
    s->invalid_frees = c.faults;
    return RTM_OK;
}

#endif /* TEST_POOL_UTIL_H */
