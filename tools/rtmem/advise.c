/* rtmem advise: a memory plan from a trace (see advise.h). */
#include "advise.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define TL_POINTS 600u /* timeline samples: enough for a smooth plot, cheap on long traces */

/* ---- Observing a replay: fragmentation, timeline, heap maps ------------------ */

typedef struct watch {
    advise_t *a;       /* NULL: only worst_frag */
    double worst_frag;
    size_t every;      /* sample period in events */
    size_t peak_live;
} watch_t;

static int cmp_range(const void *x, const void *y)
{
    const svg_range_t *p = x, *q = y;
    return (p->start > q->start) - (p->start < q->start);
}

/* The live blocks as ranges from the arena start (payload as asked for; the
 * header and rounding of each block count as gap). */
static size_t snapshot(const replay_view_t *v, svg_range_t **out)
{
    svg_range_t *r = realloc(*out, (v->slots ? v->slots : 1u) * sizeof *r);
    size_t n = 0;
    if (!r) {
        return 0;
    }
    *out = r;
    for (size_t k = 0; k < v->slots; k++) {
        if (v->ptr[k]) {
            r[n].start = (double)((const unsigned char *)v->ptr[k] - v->arena);
            r[n].len = (double)v->sz[k];
            n++;
        }
    }
    qsort(r, n, sizeof *r, cmp_range);
    return n;
}

static void watch_event(void *ctx, const replay_view_t *v)
{
    watch_t *w = ctx;
    rtm_stats_t st;
    bool sample = w->a && (v->index % w->every == 0u);
    bool stats = v->s->stats && (sample || v->index % 16u == 0u) && v->s->stats(v->st, &st);
    if (stats && st.free_bytes) {
        double frag = 1.0 - (double)st.largest_free / (double)st.free_bytes;
        w->worst_frag = frag > w->worst_frag ? frag : w->worst_frag;
    }
    if (!w->a || !v->arena) {
        return;
    }
    advise_t *a = w->a;
    if (sample && stats && a->ntl < TL_POINTS + 2u) {
        advise_point_t *p = &a->tl[a->ntl++];
        p->event = (double)v->index;
        p->live = (double)v->live_bytes;
        p->free_bytes = (double)st.free_bytes;
        p->largest = (double)st.largest_free;
        p->frag = st.free_bytes ? 1.0 - (double)st.largest_free / (double)st.free_bytes : 0.0;
    }
    if (v->live_bytes > w->peak_live) {
        w->peak_live = v->live_bytes;
        a->nmap_peak = snapshot(v, &a->map_peak);
    }
    if (v->index + 1u == a->t->n) {
        a->nmap_end = snapshot(v, &a->map_end);
    }
}

/* ---- Per scheme ----------------------------------------------------------------- */

/* Replay at the configured size: failures, fragmentation, latencies; with
 * `timeline`, also the plot data. */
static void replay_scheme(advise_t *a, advise_scheme_t *r, bool timeline)
{
    const scheme_t *s = r->s;
    watch_t w = { timeline ? a : NULL, 0.0, a->t->n / TL_POINTS + 1u, 0 };
    replay_opts_t o = { 0, true, false, false, watch_event, &w };
    replay_result_t rr;
    cli_progress("[advise] %s: replay at %zu bytes", s->name, r->cfg_arena);
    if (replay_run(s, a->t, r->cfg_arena, &o, &rr) == 0 && !rr.init_failed) {
        r->failed_at_cfg = rr.failed;
        r->worst_frag = w.worst_frag;
        r->alloc_p9999_ns = rr.alloc.p9999;
        r->alloc_max_ns = rr.alloc.max;
        r->free_p9999_ns = rr.free.p9999;
        r->free_max_ns = rr.free.max;
    }
}

static void measure_scheme(advise_t *a, advise_scheme_t *r, const scheme_t *s)
{
    memset(r, 0, sizeof *r);
    r->s = s;
    r->bounded = strcmp(s->name, "tlsf") == 0 || strcmp(s->name, "heap_1") == 0;
    if (!(s->flags & SCHEME_ARENA)) {
        return;
    }
    cli_progress("[advise] %s: smallest heap by bisection", s->name);
    r->min_arena = replay_min_arena_max(s, a->t, a->max_arena, &r->probes);
    if (r->min_arena) {
        r->cfg_arena = replay_with_margin(r->min_arena);
        replay_scheme(a, r, false);
    }
}

/* ---- Pools ----------------------------------------------------------------------- */

typedef struct cls {
    size_t size, allocs, live, peak;
    double life_sum;
    size_t lives;
    bool resized; /* a block of this size was realloc'ed: not for a fixed pool */
} cls_t;

static cls_t *cls_get(cls_t *c, size_t *n, size_t cap, size_t size)
{
    for (size_t i = 0; i < *n; i++) {
        if (c[i].size == size) {
            return &c[i];
        }
    }
    if (*n == cap) {
        return NULL;
    }
    memset(&c[*n], 0, sizeof c[*n]);
    c[*n].size = size;
    return &c[(*n)++];
}

static int cmp_cls(const void *x, const void *y)
{
    const cls_t *p = x, *q = y;
    return (q->allocs > p->allocs) - (q->allocs < p->allocs);
}

/* The classes a pool should serve: exact sizes up to 512 bytes that make at
 * least 10% of the allocations and are never resized. */
static void find_pools(advise_t *a)
{
    const trace_t *t = a->t;
    enum { CAP = 4096 };
    cls_t *c = calloc(CAP, sizeof *c);
    size_t *born = calloc(t->slots ? t->slots : 1u, sizeof *born);
    size_t *sz = calloc(t->slots ? t->slots : 1u, sizeof *sz);
    size_t n = 0;
    if (!c || !born || !sz) {
        goto out;
    }
    for (size_t i = 0; i < t->n; i++) {
        const trace_event_t *e = &t->ev[i];
        cls_t *k;
        if (e->op == TRACE_ALLOC && (k = cls_get(c, &n, CAP, e->size)) != NULL) {
            k->allocs++;
            k->peak = ++k->live > k->peak ? k->live : k->peak;
            born[e->slot] = i;
            sz[e->slot] = e->size;
        } else if ((k = cls_get(c, &n, CAP, sz[e->slot])) != NULL) {
            k->resized |= e->op == TRACE_REALLOC;
            k->live--;
            k->life_sum += (double)(i - born[e->slot]);
            k->lives++;
            if (e->op == TRACE_REALLOC && (k = cls_get(c, &n, CAP, e->size)) != NULL) {
                k->resized = true;
                k->peak = ++k->live > k->peak ? k->live : k->peak;
                born[e->slot] = i;
                sz[e->slot] = e->size;
            }
        }
    }
    qsort(c, n, sizeof *c, cmp_cls);
    for (size_t i = 0; i < n && a->npool < ADVISE_MAX_POOLS; i++) {
        if (c[i].resized || c[i].size == 0u || c[i].size > 512u || c[i].allocs * 10u < t->n_alloc) {
            continue;
        }
        advise_pool_t *p = &a->pool[a->npool++];
        p->size = c[i].size;
        p->allocs = c[i].allocs;
        p->peak_blocks = c[i].peak;
        p->mean_life = c[i].lives ? c[i].life_sum / (double)c[i].lives : (double)t->n;
        a->pool_bytes += p->peak_blocks * ((p->size + 7u) & ~(size_t)7u);
    }
out:
    free(c);
    free(born);
    free(sz);
}

static bool pooled(const advise_t *a, size_t size)
{
    for (size_t i = 0; i < a->npool; i++) {
        if (a->pool[i].size == size) {
            return true;
        }
    }
    return false;
}

/* The trace without the blocks the pools serve, with its totals recomputed. */
static int trace_without_pools(const advise_t *a, trace_t *out)
{
    const trace_t *t = a->t;
    bool *gone = calloc(t->slots ? t->slots : 1u, sizeof *gone);
    size_t *sz = calloc(t->slots ? t->slots : 1u, sizeof *sz);
    memset(out, 0, sizeof *out);
    out->ev = malloc((t->n ? t->n : 1u) * sizeof *out->ev);
    if (!gone || !sz || !out->ev) {
        free(gone);
        free(sz);
        free(out->ev);
        out->ev = NULL;
        return -1;
    }
    out->slots = t->slots;
    size_t live = 0, blocks = 0;
    for (size_t i = 0; i < t->n; i++) {
        const trace_event_t *e = &t->ev[i];
        if (e->op == TRACE_ALLOC) {
            gone[e->slot] = pooled(a, e->size);
        }
        if (gone[e->slot]) {
            continue;
        }
        out->ev[out->n++] = *e;
        if (e->op == TRACE_ALLOC) {
            out->n_alloc++;
            live += e->size;
            blocks++;
            out->total_alloc_bytes += e->size;
        } else if (e->op == TRACE_REALLOC) {
            out->n_realloc++;
            live += e->size - sz[e->slot];
            out->total_alloc_bytes += e->size;
        } else {
            out->n_free++;
            live -= sz[e->slot];
            blocks--;
        }
        sz[e->slot] = e->op == TRACE_FREE ? 0u : e->size;
        out->peak_live_bytes = live > out->peak_live_bytes ? live : out->peak_live_bytes;
        out->peak_live_blocks = blocks > out->peak_live_blocks ? blocks : out->peak_live_blocks;
    }
    free(gone);
    free(sz);
    return 0;
}

static void pool_saving(advise_t *a)
{
    trace_t rest;
    if (!a->best || !a->npool || trace_without_pools(a, &rest) != 0) {
        return;
    }
    cli_progress("[advise] %s without the pooled sizes", a->best->s->name);
    size_t m = rest.n_alloc ? replay_min_arena_max(a->best->s, &rest, a->max_arena, NULL) : 0u;
    a->heap_without_pools = m;
    a->saved_bytes = (long)a->best->min_arena - (long)(m + a->pool_bytes);
    free(rest.ev);
}

/* ---- The whole analysis ------------------------------------------------------------ */

static void free_gap_histogram(advise_t *a)
{
    const advise_scheme_t *b = a->best;
    double prev = 0.0;
    if (!b) {
        return;
    }
    a->hist_bins = 16;
    for (size_t i = 0; i < a->hist_bins; i++) {
        a->hist_lo[i] = ldexp(1.0, (int)i + 3); /* 8 B, 16 B, ... 256 KiB */
    }
    for (size_t k = 0; k <= a->nmap_peak; k++) {
        double end = k < a->nmap_peak ? a->map_peak[k].start : (double)b->cfg_arena;
        double gap = end - prev;
        if (gap >= 8.0) {
            size_t bin = 0;
            while (bin + 1u < a->hist_bins && gap >= a->hist_lo[bin + 1u]) {
                bin++;
            }
            a->hist_count[bin] += 1.0;
        }
        if (k < a->nmap_peak) {
            prev = a->map_peak[k].start + a->map_peak[k].len;
        }
    }
}

int advise_run(advise_t *a, const trace_t *t, size_t max_arena, const char *only)
{
    memset(a, 0, sizeof *a);
    a->t = t;
    a->max_arena = max_arena ? max_arena : ADVISE_DEFAULT_MAX_ARENA;
    a->tl = calloc(TL_POINTS + 2u, sizeof *a->tl);
    if (!a->tl) {
        return -1;
    }
    size_t ns;
    const scheme_t *all = schemes_all(&ns);
    tm_init();
    for (size_t i = 0; i < ns && a->nsch < ADVISE_MAX_SCHEMES; i++) {
        if (only && strcmp(only, all[i].name) != 0) {
            continue;
        }
        advise_scheme_t *r = &a->sch[a->nsch++];
        measure_scheme(a, r, &all[i]);
        bool frees = !(all[i].flags & SCHEME_NO_FREE) || t->n_free == 0u;
        if (r->min_arena && frees && (!a->best || r->cfg_arena < a->best->cfg_arena)) {
            a->best = r;
        }
        if (r->min_arena && strcmp(all[i].name, "tlsf") == 0) {
            a->bounded = r;
        }
    }
    if (a->best) { /* again, with the timeline and the maps */
        advise_scheme_t again = *a->best;
        replay_scheme(a, &again, true);
    }
    find_pools(a);
    pool_saving(a);
    free_gap_histogram(a);
    cli_progress_done();
    return 0;
}

void advise_release(advise_t *a)
{
    free(a->tl);
    free(a->map_peak);
    free(a->map_end);
    memset(a, 0, sizeof *a);
}
