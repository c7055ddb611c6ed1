/* The demo's memory report (see demo_report.h). */
#include "demo_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "svg.h"

/* ---- Page ------------------------------------------------------------------------------ */

static void html_stacks(FILE *f, const demo_facts_t *d)
{
    const char *lab[16];
    double used[16], size[16];
    size_t n = 0;
    for (size_t i = 0; i < d->n && n < 16u; i++) {
        if (demo_is(&d->v[i], "task")) {
            lab[n] = demo_fld(&d->v[i], 1);
            used[n] = demo_num(&d->v[i], 3);
            size[n] = demo_num(&d->v[i], 2);
            n++;
        }
    }
    svg_axes_t a = { "stacks", "Stack high-water mark per task", "task", "bytes" };
    svg_bars(f, &a, lab, used, size, n, "deepest use", "usable stack");
}

static void html_owners(FILE *f, const demo_facts_t *d)
{
    const char *lab[16];
    double peak[16], quota[16];
    size_t n = 0;
    for (size_t i = 0; i < d->n && n < 16u; i++) {
        if (demo_is(&d->v[i], "owner")) {
            lab[n] = demo_fld(&d->v[i], 1);
            peak[n] = demo_num(&d->v[i], 3);
            quota[n] = demo_num(&d->v[i], 6);
            n++;
        }
    }
    svg_axes_t a = { "owners", "Peak memory per owner against its quota", "owner", "bytes" };
    svg_bars(f, &a, lab, peak, quota, n, "peak held", "quota");
}

static void html_latency(FILE *f, const recs_t *bench)
{
    const char *lab[32];
    double al[32], fr[32];
    size_t n = 0;
    for (size_t i = 0; i < bench->n && n < 32u; i++) {
        const rec_t *r = &bench->v[i];
        if (strcmp(r->workload, "W1") == 0 && !isnan(r->m[M_ALLOC_MEAN])) {
            lab[n] = r->scheme;
            al[n] = r->m[M_ALLOC_MEAN];
            fr[n] = isnan(r->m[M_FREE_MEAN]) ? 0.0 : r->m[M_FREE_MEAN];
            n++;
        }
    }
    svg_axes_t a = { "bench-latency", "W1 mean latency per scheme (this host)", "scheme", "ns" };
    svg_bars(f, &a, lab, al, fr, n, "alloc mean", "free mean");
}

void demo_report_html(FILE *f, const demo_facts_t *d, const recs_t *bench)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (m) {
        demo_report_print(m, d);
        fclose(m);
        html_h2(f, "Memory report");
        html_pre(f, text);
    }
    free(text);
    html_stacks(f, d);
    html_owners(f, d);
    html_h2(f, "Benchmark");
    html_latency(f, bench);
}
