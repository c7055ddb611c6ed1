/*
 * The BENCH.md workloads over one scheme: the PRNG, the W1 size mix, W1 to W4,
 * and the pieces the commands share (an instance over a fresh arena, the set
 * of live blocks, timing sample buffers).
 */
#ifndef RTM_TOOL_WORKLOAD_H
#define RTM_TOOL_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bench_rng.h"
#include "schemes.h"
#include "timing.h"

/* A scheme instance over a fresh arena of its own (64-byte aligned, touched). */
typedef struct wl_inst {
    const scheme_t *s;
    void *st;
    uint8_t *arena;
    size_t arena_size;
} wl_inst_t;

int wl_open(wl_inst_t *w, const scheme_t *s, size_t arena_size);
/* Free what `live` still holds (unless the scheme cannot free), then fini. */
struct wl_live;
void wl_close(wl_inst_t *w, struct wl_live *live);

/* Live blocks, with O(1) removal of a uniformly chosen one. */
typedef struct wl_live {
    void **p;
    size_t *size;
    size_t n, cap;
    size_t bytes; /* sum of requested sizes */
} wl_live_t;

int wl_live_init(wl_live_t *l, size_t cap);
void wl_live_release(wl_live_t *l);
int wl_live_push(wl_live_t *l, void *p, size_t size);
/* Remove entry i (swap with the last); returns its pointer. */
void *wl_live_take(wl_live_t *l, size_t i);

/* Timing samples of one run. */
typedef struct wl_samples {
    uint64_t *v;
    size_t n, cap;
} wl_samples_t;

int wl_samples_init(wl_samples_t *s, size_t cap);
void wl_samples_release(wl_samples_t *s);
static inline void wl_sample(wl_samples_t *s, uint64_t ticks)
{
    if (s->n < s->cap) {
        s->v[s->n++] = ticks;
    }
}

/* What a timed workload run reports. */
typedef struct wl_result {
    size_t failed;        /* failed allocations */
    size_t ops;
    bool have_stats;      /* the scheme fills rtm_stats_t */
    rtm_stats_t st;       /* at the end, before the tool frees what is left */
    tm_pct_t alloc, free; /* ns */
    size_t k;             /* W2: fragments actually made */
    /* W2: the max that reproduces. Each op index is timed in WL_REP_SERIES
     * series; its mean without the WL_REP_TRIM largest is kept, and this is
     * the largest of those. Preemption hits an op index in a few series,
     * a state-dependent worst case in all of them. ns. */
    double alloc_max_rep, free_max_rep;
    bool have_rep; /* W2 and W4 fill them (W4: alloc = the pair) */
    double fill_mean, fill_min; /* W3 */
    size_t fill_runs;
} wl_result_t;

/* W1: `steps` steps over an arena of `arena` bytes with `seed`. */
int wl_w1(const scheme_t *s, size_t arena, size_t steps, uint64_t seed, wl_result_t *r);

/* The max that reproduces (W2, W4): the same `ops` ops run in WL_REP_SERIES
 * series, and each op's raw ticks are kept per series. */
#define WL_REP_SERIES 41u
#define WL_REP_TRIM 8u
typedef struct wl_rep {
    uint64_t *v; /* v[op * WL_REP_SERIES + series] */
    size_t ops;
} wl_rep_t;

int wl_rep_init(wl_rep_t *r, size_t ops); /* -1 when out of memory */
void wl_rep_release(wl_rep_t *r);
static inline void wl_rep_put(wl_rep_t *r, size_t op, unsigned series, uint64_t ticks)
{
    r->v[op * WL_REP_SERIES + series] = ticks;
}
/* Per op, the mean of its times without the WL_REP_TRIM largest (sorts each
 * op's row); returns the largest of those means in net ns. Preemption hits an
 * op in a few series, a state-dependent worst case in all of them. */
double wl_rep_max_ns(wl_rep_t *r);
/* The mean of all ops of all series without the largest 1% (a preemption),
 * in raw ticks. W4's pair mean: 41 x 10,000 pairs, where one series alone
 * moves by tenths of a ns from run to run. Sorts a copy. */
double wl_rep_mean_ticks(const wl_rep_t *r);

/* W2: K = `k` fragments (fewer if the arena cannot hold 2K 16-byte blocks),
 * one untimed alloc(256)/free to warm up, then WL_REP_SERIES series of `iters`
 * timed alloc(256)/free. The percentiles are those of the first series (the
 * BENCH.md figures); *_max_rep come from all series. */
int wl_w2(const scheme_t *s, size_t arena, size_t k, size_t iters, wl_result_t *r);

/* W3, one run: fill ratio at the first failure (live requested bytes / arena),
 * or -1 when the scheme did not fail within `max_steps` or could not start. */
double wl_w3_once(const scheme_t *s, size_t arena, uint64_t seed, size_t max_steps);

/* W3: seeds 1..runs; mean and min into r->fill_*. */
int wl_w3(const scheme_t *s, size_t arena, unsigned runs, wl_result_t *r);

/* W4: `pairs` LIFO alloc(32)/free pairs, each pair one timed region, in
 * WL_REP_SERIES series: r->alloc holds the first series' pair percentiles
 * but for the mean, which is wl_rep_mean_ticks() over all series net of the
 * empty region; r->alloc_max_rep the reproduced max over all. */
int wl_w4(const scheme_t *s, size_t arena, size_t pairs, wl_result_t *r);

#endif
