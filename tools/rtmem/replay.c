/* Trace replay: see replay.h. */
#include "replay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workload.h"

int replay_run(const scheme_t *s, const trace_t *t, size_t arena, const replay_opts_t *o,
               replay_result_t *r)
{
    memset(r, 0, sizeof *r);
    size_t n = (o->max_events && o->max_events < t->n) ? o->max_events : t->n;
    void **ptr = calloc(t->slots ? t->slots : 1u, sizeof *ptr);
    size_t *sz = calloc(t->slots ? t->slots : 1u, sizeof *sz);
    wl_samples_t sa = { 0 }, sf = { 0 };
    wl_inst_t w;
    int rc = -1;
    if (!ptr || !sz || (o->timed && (wl_samples_init(&sa, n) != 0 || wl_samples_init(&sf, n) != 0))) {
        goto out;
    }
    rc = 0;
    size_t live = 0;
    if (wl_open(&w, s, arena) != 0) {
        r->init_failed = true;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const trace_event_t *e = &t->ev[i];
        uint32_t k = e->slot;
        uint64_t t0 = 0, t1 = 0;
        void *q = NULL;
        /* A resize to 0 bytes is a free (the id stays, naming no memory):
         * C leaves realloc(p, 0) to the implementation, so it is never passed
         * on, and the later free or resize of the id finds ptr NULL. */
        bool to_free = e->op == TRACE_FREE || (e->op == TRACE_REALLOC && e->size == 0u);
        if (to_free) {
            if (ptr[k]) { /* NULL: its allocation failed earlier */
                t0 = tm_now();
                (void)s->free(w.st, ptr[k]);
                t1 = tm_now();
                wl_sample(&sf, tm_region(t0, t1));
                ptr[k] = NULL;
                live -= sz[k];
            }
        } else {
            t0 = tm_now();
            q = (e->op == TRACE_ALLOC || !ptr[k]) ? s->alloc(w.st, e->size)
                                                 : scheme_realloc(s, w.st, ptr[k], sz[k], e->size);
            t1 = tm_now();
            wl_sample(&sa, tm_region(t0, t1));
            if (q) {
                live += e->size - (ptr[k] && e->op == TRACE_REALLOC ? sz[k] : 0u);
                ptr[k] = q;
                sz[k] = e->size;
            } else if (e->size != 0u) {
                if (r->failed++ == 0u) {
                    r->first_fail_line = e->line;
                }
                if (e->op == TRACE_ALLOC) {
                    ptr[k] = NULL;
                }
            }
        }
        r->events = i + 1u;
        if (o->observe) {
            replay_view_t v = { i, e, s, w.st, (s->flags & SCHEME_ARENA) ? w.arena : NULL,
                                w.arena_size, ptr, sz, t->slots, live };
            o->observe(o->observe_ctx, &v);
        }
        if (o->check && s->check) {
            rtm_check_t c;
            memset(&c, 0, sizeof c);
            rtm_err_t ce = s->check(w.st, &c);
            if (ce != RTM_OK) {
                r->check_err = ce;
                r->check_line = e->line;
                (void)snprintf(r->check_what, sizeof r->check_what, "%s", c.what ? c.what : "?");
                break;
            }
        }
        if (o->stop_on_fail && r->failed) {
            break;
        }
    }
    r->have_stats = s->stats && s->stats(w.st, &r->st);
    if (!(s->flags & SCHEME_NO_FREE)) {
        for (size_t k = 0; k < t->slots; k++) {
            if (ptr[k]) {
                (void)s->free(w.st, ptr[k]);
            }
        }
    }
    wl_close(&w, NULL);
    r->alloc = tm_percentiles(sa.v, sa.n);
    r->free = tm_percentiles(sf.v, sf.n);
out:
    wl_samples_release(&sa);
    wl_samples_release(&sf);
    free(ptr);
    free(sz);
    return rc;
}

size_t replay_with_margin(size_t arena)
{
    size_t cfg = arena + (arena + 3u) / 4u;
    return (cfg + 7u) & ~(size_t)7u;
}

void replay_as_result(const replay_result_t *rr, wl_result_t *out)
{
    memset(out, 0, sizeof *out);
    out->failed = rr->failed;
    out->ops = rr->events;
    out->have_stats = rr->have_stats;
    out->st = rr->st;
    out->alloc = rr->alloc;
    out->free = rr->free;
}

size_t replay_bisect(size_t lo, size_t hi, bool (*ok)(void *ctx, size_t size), void *ctx,
                     size_t *probes)
{
    /* Invariant: ok(lo) is false, ok(hi) is true. Stop when the gap is within
     * 1% of hi, so hi overshoots the edge by at most 1%. */
    while (hi - lo > hi / 100u && hi - lo > 1u) {
        size_t mid = lo + (hi - lo) / 2u;
        if (probes) {
            (*probes)++;
        }
        if (ok(ctx, mid)) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    return hi;
}

typedef struct probe_ctx {
    const scheme_t *s;
    const trace_t *t;
} probe_ctx_t;

static bool trace_fits(void *ctx, size_t arena)
{
    const probe_ctx_t *c = ctx;
    replay_opts_t o = { 0, false, false, true, NULL, NULL };
    replay_result_t r;
    return replay_run(c->s, c->t, arena, &o, &r) == 0 && !r.init_failed && r.failed == 0u;
}

size_t replay_min_arena(const scheme_t *s, const trace_t *t, size_t *probes)
{
    return replay_min_arena_max(s, t, 0, probes);
}

size_t replay_min_arena_max(const scheme_t *s, const trace_t *t, size_t max_arena,
                            size_t *probes)
{
    if (probes) {
        *probes = 0;
    }
    if (!(s->flags & SCHEME_ARENA)) {
        return 0;
    }
    probe_ctx_t c = { s, t };
    /* No scheme fits the live bytes in less than the live bytes. heap_1 never
     * reuses memory, so the cap allows every byte ever asked for, 4 times. */
    size_t lo = t->peak_live_bytes ? t->peak_live_bytes - 1u : 0u;
    uint64_t cap64 = t->total_alloc_bytes * 4u + (1u << 20);
    size_t cap = cap64 > (uint64_t)SIZE_MAX / 2u ? SIZE_MAX / 2u : (size_t)cap64;
    if (max_arena != 0u && max_arena < cap) {
        cap = max_arena;
    }
    if (lo >= cap) {
        return 0; /* the live bytes alone exceed the bound */
    }
    size_t hi = lo < 4096u ? 8192u : lo * 2u;
    hi = hi > cap ? cap : hi;
    for (;;) {
        if (probes) {
            (*probes)++;
        }
        if (trace_fits(&c, hi)) {
            break;
        }
        if (hi >= cap) {
            return 0;
        }
        lo = hi;
        hi = hi * 2u > cap ? cap : hi * 2u;
    }
    return replay_bisect(lo, hi, trace_fits, &c, probes);
}
