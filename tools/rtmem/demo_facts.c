/* The demo's facts and their terminal report (see demo_facts.h): plain C
 * and stdio, so the emulated Cortex-M4's run prints the same report. */
#include "demo_facts.h"

#include <stdlib.h>
#include <string.h>

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
    return demo_facts_parse(d, d->text, len);
}

int demo_facts_parse(demo_facts_t *d, char *text, size_t len)
{
    memset(d, 0, sizeof *d);
    d->text = text;
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

const char *demo_fld(const demo_line_t *l, size_t i)
{
    return i < l->n ? l->f[i] : "";
}

double demo_num(const demo_line_t *l, size_t i)
{
    return i < l->n ? strtod(l->f[i], NULL) : 0.0;
}

bool demo_is(const demo_line_t *l, const char *kind)
{
    return strcmp(l->f[0], kind) == 0;
}

/* ---- Terminal ------------------------------------------------------------------------ */

static void print_tasks(FILE *f, const demo_facts_t *d)
{
    fprintf(f, "tasks       %10s %10s %12s  %s\n", "stack B", "used max", "advised B", "end");
    for (size_t i = 0; i < d->n; i++) {
        const demo_line_t *l = &d->v[i];
        if (demo_is(l, "task")) {
            fprintf(f, "  %-9s %10s %10s %12s  %s%s%s\n", demo_fld(l, 1), demo_fld(l, 2), demo_fld(l, 3),
                    demo_fld(l, 4), demo_fld(l, 5), strcmp(demo_fld(l, 6), "ok") ? ": " : "",
                    strcmp(demo_fld(l, 6), "ok") ? demo_fld(l, 6) : "");
        }
    }
}

static void print_heaps(FILE *f, const demo_facts_t *d)
{
    fprintf(f, "heaps                       %8s %8s %9s %8s %6s %6s %6s\n", "total B", "free B",
            "min ever", "largest", "frag", "blocks", "faults");
    for (size_t i = 0; i < d->n; i++) {
        const demo_line_t *l = &d->v[i];
        if (demo_is(l, "heap")) {
            double fr = demo_num(l, 3) > 0.0 ? 1.0 - demo_num(l, 5) / demo_num(l, 3) : 0.0;
            fprintf(f, "  %-25s %8s %8s %9s %8s %6.3f %6s %6s\n", demo_fld(l, 1), demo_fld(l, 2), demo_fld(l, 3),
                    demo_fld(l, 4), demo_fld(l, 5), fr, demo_fld(l, 7), demo_fld(l, 8));
        } else if (demo_is(l, "pool")) {
            fprintf(f, "pool %-10s %s blocks of %s B: %s in use at the end, peak %s, %s faults\n",
                    demo_fld(l, 1), demo_fld(l, 2), demo_fld(l, 5), demo_fld(l, 3), demo_fld(l, 4), demo_fld(l, 6));
        }
    }
}

static void print_owners(FILE *f, const demo_facts_t *d)
{
    fprintf(f, "owners      %8s %8s %8s %8s %8s\n", "live B", "peak B", "allocs", "refused",
            "quota B");
    for (size_t i = 0; i < d->n; i++) {
        const demo_line_t *l = &d->v[i];
        if (demo_is(l, "owner")) {
            fprintf(f, "  %-9s %8s %8s %8s %8s %8s\n", demo_fld(l, 1), demo_fld(l, 2), demo_fld(l, 3), demo_fld(l, 4),
                    demo_fld(l, 5), demo_num(l, 6) > 0.0 ? demo_fld(l, 6) : "-");
        }
    }
}

static void print_events(FILE *f, const demo_facts_t *d)
{
    size_t leaks = 0, faults = 0;
    for (size_t i = 0; i < d->n; i++) {
        const demo_line_t *l = &d->v[i];
        if (demo_is(l, "leak")) {
            fprintf(f, "%s  %s leaks %s blocks (%s bytes) allocated at %s\n", leaks++ ? "" : "leaks\n",
                    demo_fld(l, 1), demo_fld(l, 3), demo_fld(l, 4), demo_fld(l, 2));
        }
    }
    if (!leaks) {
        fprintf(f, "leaks: none\n");
    }
    for (size_t i = 0; i < d->n; i++) {
        const demo_line_t *l = &d->v[i];
        if (demo_is(l, "fault")) {
            fprintf(f, "%s  %-16s %s\n", faults++ ? "" : "faults caught\n", demo_fld(l, 1), demo_fld(l, 2));
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
        if (demo_is(&d->v[i], "expect") && strcmp(demo_fld(&d->v[i], 1), "ok") != 0) {
            fprintf(f, "  NOT MET: %s\n", demo_fld(&d->v[i], 2));
        }
    }
}

