/* W4 on rtm_pool: see pools.h. */
#include "pools.h"

#include <stdlib.h>
#include <string.h>

/* The bare list of floor_w4(). Its address escapes (below), so the
 * "memory" clobber of tm_now() makes every pair load and store it. */
typedef struct bare_list {
    void *head;
} bare_list_t;

/* The sample stores of a W4 run (floor_w4, pool_w4): the first series'
 * pair times and every series' times for the max that reproduces. */
static int pairs_open(wl_samples_t *pair, wl_rep_t *rep, size_t pairs)
{
    if (wl_samples_init(pair, pairs) != 0) {
        return -1;
    }
    if (wl_rep_init(rep, pairs) != 0) {
        wl_samples_release(pair);
        return -1;
    }
    return 0;
}

/* Their figures into *r (pair time as r->alloc), then release them.
 * Returns the pair mean in raw ticks (wl_rep_mean_ticks()). */
static double pairs_close(wl_samples_t *pair, wl_rep_t *rep, size_t pairs, wl_result_t *r)
{
    double raw = wl_rep_mean_ticks(rep);
    r->alloc_max_rep = wl_rep_max_ns(rep);
    r->have_rep = true;
    r->ops = pairs;
    r->alloc = tm_percentiles(pair->v, pair->n);
    r->alloc.mean = tm_mean_net_ns(raw);
    wl_rep_release(rep);
    wl_samples_release(pair);
    return raw;
}

/* The timed series of floor_w4(): the bare list's pairs, or with `empty`
 * nothing at all between the two counter reads (the compiler sees `empty`
 * constant in each call and keeps two clean loops). */
static inline void floor_series(bare_list_t *l, size_t pairs, bool empty, wl_samples_t *pair,
                                wl_rep_t *rep)
{
    for (unsigned s = 0; s < WL_REP_SERIES; s++) {
        for (size_t i = 0; i < pairs; i++) {
            uint64_t t0 = tm_now();
            if (!empty) {
                void **b = l->head;
                l->head = b[0];
                __asm__ volatile("" : : "r"(b) : "memory");
                b[0] = l->head;
                l->head = b;
            }
            uint64_t t1 = tm_now();
            if (s == 0u) {
                wl_sample(pair, tm_region(t0, t1));
            }
            wl_rep_put(rep, i, s, tm_region(t0, t1));
        }
    }
}

/* floor_w4() (empty false) or the empty regions; *raw: their mean in raw
 * ticks over all series (fastest 99%). */
static int floor_run(size_t pairs, bool empty, wl_result_t *out, double *raw)
{
    static void *blocks[64][4]; /* 64 blocks of 32 bytes on 64-bit hosts */
    bare_list_t l = { NULL };
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < 64u; i++) {
        blocks[i][0] = l.head;
        l.head = blocks[i];
    }
    __asm__ volatile("" : : "r"(&l) : "memory");
    wl_samples_t pair;
    wl_rep_t rep;
    if (pairs_open(&pair, &rep, pairs) != 0) {
        return -1;
    }
    if (empty) {
        floor_series(&l, pairs, true, &pair, &rep);
    } else {
        floor_series(&l, pairs, false, &pair, &rep);
    }
    *raw = pairs_close(&pair, &rep, pairs, out);
    return 0;
}

int floor_w4(size_t pairs, wl_result_t *out)
{
    double raw;
    return floor_run(pairs, false, out, &raw);
}

double empty_w4_ticks(size_t pairs)
{
    wl_result_t r;
    double raw;
    return floor_run(pairs, true, &r, &raw) == 0 ? raw : -1.0;
}

#if RTM_TOOL_HAVE_POOL
#include "rtmem/alloc.h"
#include "rtmem/pool.h"

bool pool_available(void)
{
    return true;
}

static unsigned api_flags(pool_api_t api)
{
    switch (api) {
    case POOL_INLINE:
    case POOL_CALL:
        return RTM_POOL_NOLOCK | RTM_POOL_DEFAULT;
    case POOL_INLINE_NOBITMAP:
        return RTM_POOL_NOLOCK;
    case POOL_LOCKFREE:
        return RTM_POOL_LOCKFREE | RTM_POOL_DEFAULT;
    default:
        return RTM_POOL_DEFAULT;
    }
}

/* The timed pairs of one series into `rep` (and the first series into
 * `pair`). One loop per calling style, so nothing but the pair and the
 * counter reads is inside a timed region. Returns the failures. */
static size_t timed_pairs(rtm_pool_t *pool, size_t pairs, bool inl, wl_samples_t *pair,
                          wl_rep_t *rep, unsigned series)
{
    size_t failed = 0;
    for (size_t i = 0; i < pairs; i++) {
        uint64_t t0 = tm_now();
        void *p = inl ? rtm_pool_alloc_unlocked(pool) : rtm_pool_alloc(pool);
        if (p) {
            (void)(inl ? rtm_pool_free_unlocked(pool, p) : rtm_pool_free(pool, p));
        }
        uint64_t t1 = tm_now();
        wl_sample(pair, tm_region(t0, t1));
        wl_rep_put(rep, i, series, tm_region(t0, t1));
        failed += p ? 0u : 1u;
    }
    return failed;
}

static void collect(rtm_pool_t *pool, pool_run_t *out)
{
    rtm_pool_stats_t s;
    out->r.have_stats = rtm_pool_stats(pool, &s) == RTM_OK;
    if (out->r.have_stats) {
        out->capacity = s.capacity;
        out->stride = s.block_size;
        out->peak_used = s.peak_used;
        out->used = s.used_blocks;
        /* the report reads r.st in the common form, in bytes: the uniform
         * interface's conversion (alloc.c), not a second copy of it */
        rtm_alloc_pool.stats(pool, &out->r.st);
    }
    out->check = rtm_pool_check(pool, NULL);
}

int pool_w4(size_t capacity, size_t prefill, size_t pairs, pool_api_t api, pool_run_t *out)
{
    memset(out, 0, sizeof *out);
    const unsigned flags = api_flags(api);
    size_t bytes = rtm_pool_mem_size(capacity, 32u, 0u, flags);
    wl_samples_t pair;
    wl_rep_t rep;
    if (bytes == 0u || capacity > UINT32_MAX || pairs_open(&pair, &rep, pairs) != 0) {
        return -1;
    }
    void *mem = aligned_alloc(64, (bytes + 63u) & ~(size_t)63u);
    rtm_pool_t pool;
    if (mem) {
        memset(mem, 0, bytes); /* fault the pages in before anything is timed */
    }
    if (!mem || rtm_pool_init(&pool, mem, bytes, 32u, 0u, (uint32_t)capacity, flags) != RTM_OK) {
        free(mem);
        wl_rep_release(&rep);
        wl_samples_release(&pair);
        return -1;
    }
    for (size_t i = 0; i < prefill; i++) {
        out->prefilled += rtm_pool_alloc(&pool) ? 1u : 0u;
    }
    /* the compiler sees `inl` constant in each call and keeps two clean loops */
    bool inl = api == POOL_INLINE || api == POOL_INLINE_NOBITMAP;
    for (unsigned s = 0; s < WL_REP_SERIES; s++) {
        size_t f = inl ? timed_pairs(&pool, pairs, true, &pair, &rep, s)
                       : timed_pairs(&pool, pairs, false, &pair, &rep, s);
        out->r.failed += s == 0u ? f : 0u;
    }
    (void)pairs_close(&pair, &rep, pairs, &out->r);
    collect(&pool, out);
    (void)rtm_pool_deinit(&pool);
    free(mem);
    return 0;
}

#else

bool pool_available(void)
{
    return false;
}

int pool_w4(size_t capacity, size_t prefill, size_t pairs, pool_api_t api, pool_run_t *out)
{
    (void)capacity;
    (void)prefill;
    (void)pairs;
    (void)api;
    memset(out, 0, sizeof *out);
    return -1;
}

#endif
