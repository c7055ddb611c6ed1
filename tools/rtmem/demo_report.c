/* The demo's memory report (see demo_report.h). */
#include "demo_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "svg.h"

int demo_facts_load(demo_facts_t *d, const char *dir)
{
    char path[4096];
    memset(d, 0, sizeof *d);
    (void)snprintf(path, sizeof path, "%s/scene.tsv", dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        return -1;
    }
    size_t cap = 0, len = 0;
    char buf[4096];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
        if (len + got + 1u > cap) {
            cap = (len + got + 1u) * 2u;
            char *nt = realloc(d->text, cap);
            if (!nt) {
                fclose(f);
                return -1;
            }
            d->text = nt;
        }
        memcpy(d->text + len, buf, got);
        len += got;
    }
    fclose(f);
    if (!d->text) {
        return -1;
    }
    d->text[len] = '\0';
    size_t lines = 1;
    for (size_t i = 0; i < len; i++) {
        lines += d->text[i] == '\n';
    }
    d->v = calloc(lines, sizeof *d->v);
    if (!d->v) {
        return -1;
    }
    for (char *save = NULL, *l = strtok_r(d->text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        demo_line_t *x = &d->v[d->n++];
        for (char *p = l; p && x->n < DEMO_MAX_FIELDS;) {
            x->f[x->n++] = p;
            p = strchr(p, '\t');
            if (p) {
                *p++ = '\0';
            }
        }
        if (strcmp(x->f[0], "expect") == 0 && x->n > 1) {
            if (strcmp(x->f[1], "ok") == 0) {
                d->expect_ok++;
            } else {
                d->expect_failed++;
            }
        }
    }
    return 0;
}

void demo_facts_release(demo_facts_t *d)
{
    free(d->v);
    free(d->text);
    memset(d, 0, sizeof *d);
}

static const char *fld(const demo_line_t *l, size_t i)
{
    return i < l->n ? l->f[i] : "";
}

static double num(const demo_line_t *l, size_t i)
{
    return i < l->n ? strtod(l->f[i], NULL) : 0.0;
}

static bool is(const demo_line_t *l, const char *kind)
{
    return strcmp(l->f[0], kind) == 0;
}

/* ---- Terminal ------------------------------------------------------------------------ */

static void print_tasks(FILE *f, const demo_facts_t *d)
{
    fprintf(f, "tasks       %10s %10s %12s  %s\n", "stack B", "used max", "advised B", "end");
    for (size_t i = 0; i < d->n; i++) {
        const demo_line_t *l = &d->v[i];
        if (is(l, "task")) {
            fprintf(f, "  %-9s %10s %10s %12s  %s%s%s\n", fld(l, 1), fld(l, 2), fld(l, 3),
                    fld(l, 4), fld(l, 5), strcmp(fld(l, 6), "ok") ? ": " : "",
                    strcmp(fld(l, 6), "ok") ? fld(l, 6) : "");
        }
    }
}

static void print_heaps(FILE *f, const demo_facts_t *d)
{
    fprintf(f, "heaps                       %8s %8s %9s %8s %6s %6s %6s\n", "total B", "free B",
            "min ever", "largest", "frag", "blocks", "faults");
    for (size_t i = 0; i < d->n; i++) {
        const demo_line_t *l = &d->v[i];
        if (is(l, "heap")) {
            double fr = num(l, 3) > 0.0 ? 1.0 - num(l, 5) / num(l, 3) : 0.0;
            fprintf(f, "  %-25s %8s %8s %9s %8s %6.3f %6s %6s\n", fld(l, 1), fld(l, 2), fld(l, 3),
                    fld(l, 4), fld(l, 5), fr, fld(l, 7), fld(l, 8));
        } else if (is(l, "pool")) {
            fprintf(f, "pool %-10s %s blocks of %s B: %s in use at the end, peak %s, %s faults\n",
                    fld(l, 1), fld(l, 2), fld(l, 5), fld(l, 3), fld(l, 4), fld(l, 6));
        }
    }
}

static void print_owners(FILE *f, const demo_facts_t *d)
{
    fprintf(f, "owners      %8s %8s %8s %8s %8s\n", "live B", "peak B", "allocs", "refused",
            "quota B");
    for (size_t i = 0; i < d->n; i++) {
        const demo_line_t *l = &d->v[i];
        if (is(l, "owner")) {
            fprintf(f, "  %-9s %8s %8s %8s %8s %8s\n", fld(l, 1), fld(l, 2), fld(l, 3), fld(l, 4),
                    fld(l, 5), num(l, 6) > 0.0 ? fld(l, 6) : "-");
        }
    }
}

static void print_events(FILE *f, const demo_facts_t *d)
{
    size_t leaks = 0, faults = 0;
    for (size_t i = 0; i < d->n; i++) {
        const demo_line_t *l = &d->v[i];
        if (is(l, "leak")) {
            fprintf(f, "%s  %s leaks %s blocks (%s bytes) allocated at %s\n", leaks++ ? "" : "leaks\n",
                    fld(l, 1), fld(l, 3), fld(l, 4), fld(l, 2));
        }
    }
    if (!leaks) {
        fprintf(f, "leaks: none\n");
    }
    for (size_t i = 0; i < d->n; i++) {
        const demo_line_t *l = &d->v[i];
        if (is(l, "fault")) {
            fprintf(f, "%s  %-16s %s\n", faults++ ? "" : "faults caught\n", fld(l, 1), fld(l, 2));
        }
    }
    if (!faults) {
        fprintf(f, "faults caught: none\n");
    }
}

void demo_report_print(FILE *f, const demo_facts_t *d)
{
    print_tasks(f, d);
    print_heaps(f, d);
    print_owners(f, d);
    print_events(f, d);
    fprintf(f, "expectations: %u met, %u not\n", d->expect_ok, d->expect_failed);
    for (size_t i = 0; i < d->n; i++) {
        if (is(&d->v[i], "expect") && strcmp(fld(&d->v[i], 1), "ok") != 0) {
            fprintf(f, "  NOT MET: %s\n", fld(&d->v[i], 2));
        }
    }
}

/* ---- Page ------------------------------------------------------------------------------ */

static void html_stacks(FILE *f, const demo_facts_t *d)
{
    const char *lab[16];
    double used[16], size[16];
    size_t n = 0;
    for (size_t i = 0; i < d->n && n < 16u; i++) {
        if (is(&d->v[i], "task")) {
            lab[n] = fld(&d->v[i], 1);
            used[n] = num(&d->v[i], 3);
            size[n] = num(&d->v[i], 2);
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
        if (is(&d->v[i], "owner")) {
            lab[n] = fld(&d->v[i], 1);
            peak[n] = num(&d->v[i], 3);
            quota[n] = num(&d->v[i], 6);
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
