/* rtmem advise: the command, the plan in words, and its report-page sections. */
#include <stdlib.h>
#include <string.h>

#include "advise.h"
#include "cli.h"
#include "decode.h"

static const char *frag_words(double f)
{
    return f < 0.1 ? "low" : f < 0.4 ? "moderate" : "high";
}

static void print_schemes(FILE *f, const advise_t *a)
{
    fprintf(f, "%-8s %12s %12s %8s %10s %14s %14s\n", "scheme", "smallest B", "configure B",
            "failed", "worst frag", "alloc p99.99/max ns", "free p99.99/max ns");
    for (size_t i = 0; i < a->nsch; i++) {
        const advise_scheme_t *r = &a->sch[i];
        if (!(r->s->flags & SCHEME_ARENA)) {
            fprintf(f, "%-8s %12s  (%s: no arena to size)\n", r->s->name, "-", r->s->desc);
        } else if (!r->min_arena) {
            fprintf(f, "%-8s %12s  (no heap up to --max-arena %zu bytes runs the trace)\n",
                    r->s->name, "-", a->max_arena);
        } else {
            fprintf(f, "%-8s %12zu %12zu %8zu %10.3f %9.0f/%-9.0f %9.0f/%-9.0f\n", r->s->name,
                    r->min_arena, r->cfg_arena, r->failed_at_cfg, r->worst_frag,
                    r->alloc_p9999_ns, r->alloc_max_ns, r->free_p9999_ns, r->free_max_ns);
        }
    }
}

static void print_pools(FILE *f, const advise_t *a)
{
    if (!a->npool) {
        fprintf(f, "\npools: no request size makes 10%% of the allocations without being resized;"
                   " fixed pools would not serve this program well.\n");
        return;
    }
    fprintf(f, "\npools (sizes that make >= 10%% of the allocations and are never resized):\n");
    for (size_t i = 0; i < a->npool; i++) {
        const advise_pool_t *p = &a->pool[i];
        fprintf(f, "  %5zu-byte blocks: %zu allocations (%.0f%%), %zu live at the peak, mean "
                   "lifetime %.0f events -> RTM_POOL of %zu blocks\n", p->size, p->allocs,
                100.0 * (double)p->allocs / (double)(a->t->n_alloc ? a->t->n_alloc : 1u),
                p->peak_blocks, p->mean_life, p->peak_blocks);
    }
    if (a->heap_without_pools) {
        bool noise = (size_t)labs(a->saved_bytes) <= a->best->min_arena / 100u;
        fprintf(f, "  with them, %s needs %zu bytes for the rest plus %zu bytes of pool storage,"
                   " against %zu for the heap alone: %s %ld bytes%s.\n", a->best->s->name,
                a->heap_without_pools, a->pool_bytes, a->best->min_arena,
                a->saved_bytes >= 0 ? "saves" : "costs", labs(a->saved_bytes),
                noise ? " (within the search's 1%: no measurable difference in memory; the"
                        " pools still give O(1) time and no fragmentation)" : "");
    }
}

void advise_print(FILE *f, const advise_t *a, const char *trace_name)
{
    const trace_t *t = a->t;
    fprintf(f, "trace %s: %zu events (%zu alloc, %zu free, %zu realloc), peak live %zu bytes in"
               " %zu blocks\n", trace_name, t->n, t->n_alloc, t->n_free, t->n_realloc,
            t->peak_live_bytes, t->peak_live_blocks);
    fprintf(f, "heaps tried up to --max-arena %zu bytes; sizes within 1%% (bisection); latencies"
               " of this host, in ns, at the configured size\n\n", a->max_arena);
    print_schemes(f, a);
    print_pools(f, a);
    fprintf(f, "\nrecommendation:\n");
    if (!a->best) {
        fprintf(f, "  none: no scheme ran the trace within %zu bytes (raise --max-arena).\n",
                a->max_arena);
        return;
    }
    const advise_scheme_t *b = a->best;
    const advise_scheme_t *c = (a->bounded && a->bounded->cfg_arena <= b->cfg_arena + b->cfg_arena / 10u)
                                   ? a->bounded : b;
    fprintf(f, "  use %s with configTOTAL_HEAP_SIZE = %zu (its smallest heap %zu + 25%% margin).\n",
            c->s->name, c->cfg_arena, c->min_arena);
    if (c != b) {
        fprintf(f, "  %s needs the least memory (%zu bytes), but %s is within 10%% of it and its"
                   " alloc and free take bounded time whatever the heap holds;\n  a real-time"
                   " system should pay those %zu bytes.\n", b->s->name, b->cfg_arena,
                c->s->name, c->cfg_arena - b->cfg_arena);
    } else if (a->bounded && a->bounded != b) {
        fprintf(f, "  it needs %zu bytes less than tlsf (%zu); if allocation time must be bounded,"
                   " take tlsf at %zu instead.\n", a->bounded->cfg_arena - b->cfg_arena,
                a->bounded->cfg_arena, a->bounded->cfg_arena);
    }
    fprintf(f, "  Fragmentation at that size is %s at worst (%.3f: the largest free block was"
               " %.0f%% of the free bytes at the worst moment).\n", frag_words(c->worst_frag),
            c->worst_frag, 100.0 * (1.0 - c->worst_frag));
    if (a->npool && a->saved_bytes > (long)(a->best->min_arena / 100u)) {
        fprintf(f, "  Serve the pooled sizes above from fixed pools: O(1), no fragmentation, and"
                   " %ld bytes less memory in all.\n", a->saved_bytes);
    }
    if (t->leaked_blocks) {
        fprintf(f, "  The trace ends with %zu blocks (%zu bytes) still live: check them for leaks.\n",
                t->leaked_blocks, t->leaked_bytes);
    }
}

/* ---- The report page ------------------------------------------------------------- */

static void html_timeline(FILE *f, const advise_t *a)
{
    size_t n = a->ntl;
    double *x = calloc(n ? n : 1u, sizeof *x), *live = calloc(n ? n : 1u, sizeof *live);
    double *fr = calloc(n ? n : 1u, sizeof *fr), *lg = calloc(n ? n : 1u, sizeof *lg);
    double *fg = calloc(n ? n : 1u, sizeof *fg);
    if (x && live && fr && lg && fg) {
        for (size_t i = 0; i < n; i++) {
            x[i] = a->tl[i].event;
            live[i] = a->tl[i].live;
            fr[i] = a->tl[i].free_bytes;
            lg[i] = a->tl[i].largest;
            fg[i] = a->tl[i].frag;
        }
        svg_series_t occ[3] = { { "live bytes (asked for)", x, live, n },
                                { "free bytes", x, fr, n },
                                { "largest free block", x, lg, n } };
        svg_axes_t ax = { "occupancy", "Heap occupancy over the trace", "event", "bytes" };
        svg_lines(f, &ax, occ, 3);
        svg_series_t fs = { "1 - largest free / free bytes", x, fg, n };
        svg_axes_t ax2 = { "fragmentation", "Fragmentation over the trace", "event",
                           "fragmentation (0 = none)" };
        svg_lines(f, &ax2, &fs, 1);
    }
    free(x);
    free(live);
    free(fr);
    free(lg);
    free(fg);
}

static void html_hist_and_map(FILE *f, const advise_t *a)
{
    char labels[24][16];
    const char *lp[24];
    for (size_t i = 0; i < a->hist_bins; i++) {
        double lo = a->hist_lo[i];
        (void)snprintf(labels[i], sizeof labels[i], lo >= 1024.0 ? "%.0fK" : "%.0f",
                       lo >= 1024.0 ? lo / 1024.0 : lo);
        lp[i] = labels[i];
    }
    svg_axes_t hx = { "free-histogram", "Free gaps at the peak of live bytes, by size",
                      "gap size from (bytes, power-of-two bins)", "gaps" };
    svg_bars(f, &hx, lp, a->hist_count, NULL, a->hist_bins, "free gaps", NULL);
    const char *rows[2] = { "at the peak", "at the end" };
    const svg_range_t *used[2] = { a->map_peak, a->map_end };
    size_t nused[2] = { a->nmap_peak, a->nmap_end };
    svg_axes_t mx = { "heap-map", "Heap map: live blocks by address", "offset in the heap (bytes)",
                      "" };
    svg_heap_map(f, &mx, (double)a->best->cfg_arena, rows, used, nused, 2);
}

static void html_costs(FILE *f, const advise_t *a)
{
    const char *lab[ADVISE_MAX_SCHEMES];
    double need[ADVISE_MAX_SCHEMES], lat[ADVISE_MAX_SCHEMES], latf[ADVISE_MAX_SCHEMES];
    size_t n = 0;
    for (size_t i = 0; i < a->nsch; i++) {
        if (a->sch[i].min_arena) {
            lab[n] = a->sch[i].s->name;
            need[n] = (double)a->sch[i].min_arena;
            lat[n] = a->sch[i].alloc_p9999_ns;
            latf[n] = a->sch[i].free_p9999_ns;
            n++;
        }
    }
    svg_axes_t sx = { "scheme-size", "Smallest heap that runs the trace, per scheme", "scheme",
                      "bytes" };
    svg_bars(f, &sx, lab, need, NULL, n, "smallest heap", NULL);
    svg_axes_t lx = { "latency", "Alloc latency (99.99th percentile) per scheme, this host",
                      "scheme", "ns" };
    svg_bars(f, &lx, lab, lat, latf, n, "alloc p99.99", "free p99.99");
}

void advise_html(FILE *f, const advise_t *a, const char *trace_name)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (m) {
        advise_print(m, a, trace_name);
        fclose(m);
        html_h2(f, "Memory plan");
        html_pre(f, text);
    }
    free(text);
    html_costs(f, a);
    if (a->best) {
        html_h2(f, "The recommended scheme at its configured size");
        html_p(f, "%s at %zu bytes; the plots sample %zu of %zu events. Block extents are the "
                  "sizes asked for: headers and rounding count as free gaps.", a->best->s->name,
               a->best->cfg_arena, a->ntl, a->t->n);
        html_timeline(f, a);
        html_hist_and_map(f, a);
    }
}

int cmd_advise(int argc, char **argv)
{
    const char *path = NULL, *only = NULL, *html = "report.html";
    size_t max_arena = 0;
    for (int i = 0; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--max-arena") == 0 && v) {
            if (!cli_parse_size(v, &max_arena) || max_arena == 0u) {
                fprintf(stderr, "rtmem advise: bad --max-arena '%s' (bytes, K/M/G allowed)\n", v);
                return 2;
            }
            i++;
        } else if (strcmp(argv[i], "--html") == 0 && v) {
            html = strcmp(v, "-") == 0 ? NULL : v;
            i++;
        } else if (strcmp(argv[i], "--scheme") == 0 && v) {
            only = argv[++i];
        } else if (argv[i][0] != '-' && !path) {
            path = argv[i];
        } else {
            static const char *const valued[] = { "--max-arena", "--html", "--scheme", NULL };
            return cli_bad_arg("advise", argv[i], valued);
        }
    }
    if (!path) {
        cli_usage(stderr, "advise");
        return 2;
    }
    if (only && !scheme_find(only)) {
        fprintf(stderr, "rtmem advise: unknown scheme '%s' (built in: %s)\n", only,
                schemes_builtin_names());
        return 2;
    }
    trace_t t;
    trace_error_t err;
    if (trace_load_any(&t, path, &err) != 0) { /* text, binary or mtrace */
        cli_trace_error("advise", path, err.line, err.reason);
        return 1;
    }
    advise_t a;
    int rc = advise_run(&a, &t, max_arena, only);
    if (rc == 0) {
        advise_print(stdout, &a, cli_basename(path));
        FILE *f = html ? fopen(html, "w") : NULL;
        if (f) {
            html_begin(f, "rtmem memory plan");
            advise_html(f, &a, cli_basename(path));
            html_end(f);
            rc = fclose(f) == 0 ? 0 : 1;
            printf("\nreport page: %s\n", html);
        } else if (html) {
            fprintf(stderr, "rtmem advise: cannot write %s\n", html);
            rc = 1;
        }
    }
    bool planned = a.best != NULL;
    advise_release(&a);
    trace_free(&t);
    return rc != 0 || !planned ? 1 : 0;
}
