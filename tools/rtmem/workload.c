/* BENCH.md workloads: see workload.h. */
#include "workload.h"

#include <stdlib.h>
#include <string.h>

int wl_open(wl_inst_t *w, const scheme_t *s, size_t arena_size)
{
    memset(w, 0, sizeof *w);
    w->s = s;
    w->arena_size = arena_size;
    size_t rounded = (arena_size + 63u) & ~(size_t)63u;
    w->arena = aligned_alloc(64, rounded ? rounded : 64u);
    if (!w->arena) {
        return -1;
    }
    memset(w->arena, 0, rounded); /* fault the pages in before anything is timed */
    w->st = s->init(s, w->arena, arena_size);
    if (!w->st) {
        free(w->arena);
        w->arena = NULL;
        return -1;
    }
    return 0;
}

void wl_close(wl_inst_t *w, wl_live_t *live)
{
    if (live && !(w->s->flags & SCHEME_NO_FREE)) {
        for (size_t i = 0; i < live->n; i++) {
            (void)w->s->free(w->st, live->p[i]);
        }
        live->n = 0;
        live->bytes = 0;
    }
    if (w->st) {
        w->s->fini(w->st);
    }
    free(w->arena);
    memset(w, 0, sizeof *w);
}

int wl_live_init(wl_live_t *l, size_t cap)
{
    memset(l, 0, sizeof *l);
    l->p = malloc(cap * sizeof *l->p);
    l->size = malloc(cap * sizeof *l->size);
    l->cap = cap;
    return (l->p && l->size) ? 0 : -1;
}

void wl_live_release(wl_live_t *l)
{
    free(l->p);
    free(l->size);
    memset(l, 0, sizeof *l);
}

int wl_live_push(wl_live_t *l, void *p, size_t size)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2u : 64u;
        void **np = realloc(l->p, cap * sizeof *np);
        if (np) {
            l->p = np;
        }
        size_t *ns = np ? realloc(l->size, cap * sizeof *ns) : NULL;
        if (!ns) {
            return -1;
        }
        l->size = ns;
        l->cap = cap;
    }
    l->p[l->n] = p;
    l->size[l->n] = size;
    l->n++;
    l->bytes += size;
    return 0;
}

void *wl_live_take(wl_live_t *l, size_t i)
{
    void *p = l->p[i];
    l->bytes -= l->size[i];
    l->n--;
    l->p[i] = l->p[l->n];
    l->size[i] = l->size[l->n];
    return p;
}

int wl_samples_init(wl_samples_t *s, size_t cap)
{
    s->n = 0;
    s->cap = cap;
    s->v = malloc((cap ? cap : 1u) * sizeof *s->v);
    return s->v ? 0 : -1;
}

void wl_samples_release(wl_samples_t *s)
{
    free(s->v);
    memset(s, 0, sizeof *s);
}

/* Everything a timed run holds, set up and torn down in one place. */
typedef struct run {
    wl_inst_t w;
    wl_live_t live;
    wl_samples_t a, f;
} run_t;

static int run_open(run_t *r, const scheme_t *s, size_t arena, size_t samples)
{
    memset(r, 0, sizeof *r);
    if (wl_live_init(&r->live, 1024u) != 0 || wl_samples_init(&r->a, samples) != 0 ||
        wl_samples_init(&r->f, samples) != 0 || wl_open(&r->w, s, arena) != 0) {
        wl_live_release(&r->live);
        wl_samples_release(&r->a);
        wl_samples_release(&r->f);
        return -1;
    }
    return 0;
}

static void run_close(run_t *r, wl_result_t *res)
{
    res->have_stats = r->w.s->stats && r->w.s->stats(r->w.st, &res->st);
    res->alloc = tm_percentiles(r->a.v, r->a.n);
    res->free = tm_percentiles(r->f.v, r->f.n);
    wl_close(&r->w, &r->live);
    wl_live_release(&r->live);
    wl_samples_release(&r->a);
    wl_samples_release(&r->f);
}

static void *timed_alloc(run_t *r, size_t n)
{
    uint64_t t0 = tm_now();
    void *p = r->w.s->alloc(r->w.st, n);
    uint64_t t1 = tm_now();
    wl_sample(&r->a, tm_region(t0, t1));
    return p;
}

static void timed_free_at(run_t *r, size_t i)
{
    void *p = wl_live_take(&r->live, i);
    uint64_t t0 = tm_now();
    (void)r->w.s->free(r->w.st, p);
    uint64_t t1 = tm_now();
    wl_sample(&r->f, tm_region(t0, t1));
}

int wl_w1(const scheme_t *s, size_t arena, size_t steps, uint64_t seed, wl_result_t *res)
{
    run_t r;
    memset(res, 0, sizeof *res);
    if (run_open(&r, s, arena, steps * 2u) != 0) {
        return -1;
    }
    wl_rng_t rng = { seed };
    for (size_t step = 0; step < steps; step++) {
        if (r.live.n == 0u || wl_next(&rng) % 100u < 55u) {
            size_t n = wl_size_w1(&rng);
            void *p = timed_alloc(&r, n);
            if (p) {
                if (wl_live_push(&r.live, p, n) != 0) {
                    (void)s->free(r.w.st, p);
                    break;
                }
                continue;
            }
            res->failed++;
            if (r.live.n == 0u) {
                continue;
            }
        }
        timed_free_at(&r, (size_t)(wl_next(&rng) % r.live.n));
    }
    res->ops = steps;
    run_close(&r, res);
    return 0;
}

/* BENCH.md: warm up once before measuring. The first alloc(256) after the
 * set-up otherwise pays cold misses on the block it splits (measured: the
 * series maximum was that first op in most runs). */
static void w2_warm_up(const scheme_t *s, void *st)
{
    void *p = s->alloc(st, 256u);
    if (p) {
        (void)s->free(st, p);
    }
}

/* One timed alloc(256) and free; raw ticks into *at and *ft (0 for a free
 * that did not happen). False when the alloc failed. */
static bool w2_op(run_t *r, uint64_t *at, uint64_t *ft)
{
    uint64_t t0 = tm_now();
    void *p = r->w.s->alloc(r->w.st, 256u);
    uint64_t t1 = tm_now();
    wl_sample(&r->a, tm_region(t0, t1));
    *at = tm_region(t0, t1);
    *ft = 0;
    if (!p) {
        return false;
    }
    t0 = tm_now();
    (void)r->w.s->free(r->w.st, p);
    t1 = tm_now();
    wl_sample(&r->f, tm_region(t0, t1));
    *ft = tm_region(t0, t1);
    return true;
}

int wl_rep_init(wl_rep_t *r, size_t ops)
{
    r->ops = ops;
    r->v = calloc(ops ? ops * WL_REP_SERIES : 1u, sizeof *r->v);
    return r->v ? 0 : -1;
}

void wl_rep_release(wl_rep_t *r)
{
    free(r->v);
    memset(r, 0, sizeof *r);
}

/* The counter may step coarsely, but its phase is independent of the op,
 * so a mean over series resolves below one step. */
double wl_rep_max_ns(wl_rep_t *r)
{
    double worst = 0.0;
    for (size_t op = 0; op < r->ops; op++) {
        double mean = tm_mean_without_largest(r->v + op * WL_REP_SERIES, WL_REP_SERIES,
                                              WL_REP_TRIM);
        worst = mean > worst ? mean : worst;
    }
    return tm_mean_net_ns(worst);
}

double wl_rep_mean_ticks(const wl_rep_t *r)
{
    size_t n = r->ops * WL_REP_SERIES;
    uint64_t *v = n ? malloc(n * sizeof *v) : NULL;
    if (!v) {
        return 0.0;
    }
    memcpy(v, r->v, n * sizeof *v);
    double mean = tm_mean_without_largest(v, n, n / 100u);
    free(v);
    return mean;
}

int wl_w2(const scheme_t *s, size_t arena, size_t k, size_t iters, wl_result_t *res)
{
    run_t r;
    memset(res, 0, sizeof *res);
    if (run_open(&r, s, arena, iters) != 0) {
        return -1;
    }
    /* a, b, a, b, ...: stop at the first failure and keep whole pairs. */
    size_t made = 0;
    for (; made < 2u * k; made++) {
        void *p = s->alloc(r.w.st, 16u);
        if (!p || wl_live_push(&r.live, p, 16u) != 0) {
            if (p) {
                (void)s->free(r.w.st, p);
            }
            break;
        }
    }
    res->k = made / 2u;
    /* Free every a (even index) from the top down so the swap-remove never
     * moves an a: entries above i are already gone or are b's. */
    for (size_t i = 2u * res->k; i-- > 0u;) {
        if (i % 2u == 0u) {
            (void)s->free(r.w.st, wl_live_take(&r.live, i));
        }
    }
    w2_warm_up(s, r.w.st);
    /* The sample buffers hold `iters`: the percentiles are the first series'. */
    wl_rep_t at, ft;
    if (wl_rep_init(&at, iters) != 0 || wl_rep_init(&ft, iters) != 0) {
        wl_rep_release(&at);
        run_close(&r, res);
        return -1;
    }
    for (unsigned series = 0; series < WL_REP_SERIES; series++) {
        for (size_t i = 0; i < iters; i++) {
            uint64_t a, f;
            res->failed += !w2_op(&r, &a, &f) && series == 0u ? 1u : 0u;
            wl_rep_put(&at, i, series, a);
            wl_rep_put(&ft, i, series, f);
        }
    }
    res->alloc_max_rep = wl_rep_max_ns(&at);
    res->free_max_rep = wl_rep_max_ns(&ft);
    res->have_rep = true;
    wl_rep_release(&at);
    wl_rep_release(&ft);
    res->ops = iters;
    run_close(&r, res);
    return 0;
}

double wl_w3_once(const scheme_t *s, size_t arena, uint64_t seed, size_t max_steps)
{
    if (!(s->flags & SCHEME_ARENA)) {
        return -1.0;
    }
    wl_inst_t w;
    wl_live_t live;
    if (wl_live_init(&live, 1024u) != 0 || wl_open(&w, s, arena) != 0) {
        wl_live_release(&live);
        return -1.0;
    }
    double ratio = -1.0;
    wl_rng_t rng = { seed };
    for (size_t step = 0; step < max_steps; step++) {
        if (live.n == 0u || wl_next(&rng) % 100u < 60u) {
            size_t n = wl_size_w1(&rng);
            void *p = s->alloc(w.st, n);
            if (!p) {
                ratio = (double)live.bytes / (double)arena;
                break;
            }
            if (wl_live_push(&live, p, n) != 0) {
                (void)s->free(w.st, p);
                break;
            }
        } else {
            (void)s->free(w.st, wl_live_take(&live, (size_t)(wl_next(&rng) % live.n)));
        }
    }
    wl_close(&w, &live);
    wl_live_release(&live);
    return ratio;
}

int wl_w3(const scheme_t *s, size_t arena, unsigned runs, wl_result_t *res)
{
    memset(res, 0, sizeof *res);
    double sum = 0.0, min = 2.0;
    for (unsigned seed = 1; seed <= runs; seed++) {
        double f = wl_w3_once(s, arena, seed, 10000000u);
        if (f < 0.0) {
            return -1;
        }
        sum += f;
        min = f < min ? f : min;
    }
    res->fill_runs = runs;
    res->fill_mean = runs ? sum / (double)runs : 0.0;
    res->fill_min = runs ? min : 0.0;
    return 0;
}

int wl_w4(const scheme_t *s, size_t arena, size_t pairs, wl_result_t *res)
{
    run_t r;
    memset(res, 0, sizeof *res);
    if (run_open(&r, s, arena, pairs) != 0) {
        return -1;
    }
    wl_rep_t rep;
    if (wl_rep_init(&rep, pairs) != 0) {
        run_close(&r, res);
        return -1;
    }
    for (unsigned series = 0; series < WL_REP_SERIES; series++) {
        for (size_t i = 0; i < pairs; i++) {
            uint64_t t0 = tm_now();
            void *p = s->alloc(r.w.st, 32u);
            if (p) {
                (void)s->free(r.w.st, p);
            }
            uint64_t t1 = tm_now();
            wl_sample(&r.a, tm_region(t0, t1));
            wl_rep_put(&rep, i, series, tm_region(t0, t1));
            res->failed += !p && series == 0u ? 1u : 0u;
        }
    }
    res->alloc_max_rep = wl_rep_max_ns(&rep);
    res->have_rep = true;
    double mean = tm_mean_net_ns(wl_rep_mean_ticks(&rep));
    wl_rep_release(&rep);
    res->ops = pairs;
    run_close(&r, res);
    res->alloc.mean = mean; /* run_close() filled the first series' figures */
    return 0;
}
