/* Result records, tables, JSON: see report.h. */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const metric_names[M_COUNT] = {
    "failed",
    "alloc_median_ns", "alloc_p99_ns", "alloc_p99.99_ns", "alloc_max_ns", "alloc_mean_ns",
    "free_median_ns", "free_p99_ns", "free_p99.99_ns", "free_max_ns", "free_mean_ns",
    "min_ever_free", "largest_free", "free_blocks",
    "k", "fill_mean", "fill_min", "fill_runs",
    "arena", "peak_live", "arena_to_peak", "probes",
    "alloc_max_reproduced_ns", "free_max_reproduced_ns",
};

rec_t *recs_add(recs_t *rs, const char *workload, const char *variant, const char *scheme,
                const char *layout)
{
    if (rs->n == rs->cap) {
        size_t cap = rs->cap ? rs->cap * 2u : 64u;
        rec_t *v = realloc(rs->v, cap * sizeof *v);
        if (!v) {
            return NULL;
        }
        rs->v = v;
        rs->cap = cap;
    }
    rec_t *r = &rs->v[rs->n++];
    memset(r, 0, sizeof *r);
    (void)snprintf(r->workload, sizeof r->workload, "%s", workload);
    (void)snprintf(r->variant, sizeof r->variant, "%s", variant ? variant : "");
    (void)snprintf(r->scheme, sizeof r->scheme, "%s", scheme);
    (void)snprintf(r->layout, sizeof r->layout, "%s", layout);
    for (size_t i = 0; i < M_COUNT; i++) {
        r->m[i] = NAN;
    }
    return r;
}

void recs_release(recs_t *rs)
{
    free(rs->v);
    memset(rs, 0, sizeof *rs);
}

static void set_pct(rec_t *r, metric_t base, const tm_pct_t *p)
{
    if (p->n == 0u) {
        return;
    }
    r->m[base] = p->med;
    r->m[base + 1] = p->p99;
    r->m[base + 2] = p->p9999;
    r->m[base + 3] = p->max;
    r->m[base + 4] = p->mean;
}

void rec_set_result(rec_t *r, const wl_result_t *res)
{
    r->m[M_FAILED] = (double)res->failed;
    set_pct(r, M_ALLOC_MED, &res->alloc);
    set_pct(r, M_FREE_MED, &res->free);
    if (res->have_stats) {
        r->m[M_MIN_EVER_FREE] = (double)res->st.min_ever_free;
        r->m[M_LARGEST_FREE] = (double)res->st.largest_free;
        r->m[M_FREE_BLOCKS] = (double)res->st.free_blocks;
    }
    if (res->have_rep) {
        r->m[M_ALLOC_MAX_REP] = res->alloc_max_rep;
        r->m[M_FREE_MAX_REP] = res->free.n ? res->free_max_rep : NAN;
    }
}

/* The reference record (system malloc) for the same workload and variant. */
const rec_t *recs_find(const recs_t *rs, const char *workload, const char *variant,
                       const char *scheme, const char *layout)
{
    for (size_t i = 0; i < rs->n; i++) {
        const rec_t *q = &rs->v[i];
        if (strcmp(q->scheme, scheme) == 0 && strcmp(q->workload, workload) == 0 &&
            strcmp(q->variant, variant) == 0 && strcmp(q->layout, layout) == 0) {
            return q;
        }
    }
    return NULL;
}

static const rec_t *reference(const recs_t *rs, const rec_t *r)
{
    return recs_find(rs, r->workload, r->variant, "malloc", r->layout);
}

static void cell(char *buf, size_t len, const recs_t *rs, const rec_t *r, const col_t *c)
{
    double v = r->m[c->m];
    if (c->kind == COL_RATIO) {
        const rec_t *ref = reference(rs, r);
        v = (ref && ref->m[c->m] > 0.0) ? v / ref->m[c->m] : NAN;
    }
    if (isnan(v)) {
        (void)snprintf(buf, len, "-");
        return;
    }
    switch (c->kind) {
    case COL_COUNT:
    case COL_BYTES:
        (void)snprintf(buf, len, "%.0f", v);
        break;
    case COL_NS:
        (void)snprintf(buf, len, v < 100.0 ? "%.1f" : "%.0f", v);
        break;
    case COL_RATIO:
        (void)snprintf(buf, len, "%.2fx", v);
        break;
    case COL_FRACTION:
        (void)snprintf(buf, len, "%.3f", v);
        break;
    }
}

void table_print(FILE *f, const recs_t *rs, const char *workload, bool show_variant,
                 const col_t *cols, size_t ncols)
{
    enum { MAXC = 24, W = 24 };
    size_t width[MAXC + 2];
    char buf[W];
    if (ncols > MAXC) {
        ncols = MAXC;
    }
    width[0] = strlen("variant");
    width[1] = strlen("scheme");
    for (size_t c = 0; c < ncols; c++) {
        width[c + 2] = strlen(cols[c].title);
    }
    for (size_t i = 0; i < rs->n; i++) {
        const rec_t *r = &rs->v[i];
        if (workload && strcmp(r->workload, workload) != 0) {
            continue;
        }
        size_t lv = strlen(r->variant), ls = strlen(r->scheme);
        width[0] = lv > width[0] ? lv : width[0];
        width[1] = ls > width[1] ? ls : width[1];
        for (size_t c = 0; c < ncols; c++) {
            cell(buf, sizeof buf, rs, r, &cols[c]);
            width[c + 2] = strlen(buf) > width[c + 2] ? strlen(buf) : width[c + 2];
        }
    }
    if (show_variant) {
        fprintf(f, "%-*s  ", (int)width[0], "variant");
    }
    fprintf(f, "%-*s", (int)width[1], "scheme");
    for (size_t c = 0; c < ncols; c++) {
        fprintf(f, "  %*s", (int)width[c + 2], cols[c].title);
    }
    fputc('\n', f);
    const char *last_variant = NULL;
    for (size_t i = 0; i < rs->n; i++) {
        const rec_t *r = &rs->v[i];
        if (workload && strcmp(r->workload, workload) != 0) {
            continue;
        }
        if (show_variant) {
            bool same = last_variant && strcmp(last_variant, r->variant) == 0;
            fprintf(f, "%-*s  ", (int)width[0], same ? "" : r->variant);
            last_variant = r->variant;
        }
        fprintf(f, "%-*s", (int)width[1], r->scheme);
        for (size_t c = 0; c < ncols; c++) {
            cell(buf, sizeof buf, rs, r, &cols[c]);
            fprintf(f, "  %*s", (int)width[c + 2], buf);
        }
        fputc('\n', f);
    }
}

void recs_write_lines(FILE *f, const recs_t *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        const rec_t *r = &rs->v[i];
        fprintf(f, "REC\t%s\t%s\t%s\t%s\t%s", r->workload, r->variant[0] ? r->variant : ".",
                r->scheme, r->layout, r->note[0] ? r->note : ".");
        for (size_t m = 0; m < M_COUNT; m++) {
            fprintf(f, "\t%.17g", r->m[m]);
        }
        fputc('\n', f);
    }
}

static void copy_field(char *dst, size_t len, const char *src)
{
    (void)snprintf(dst, len, "%s", strcmp(src, ".") == 0 ? "" : src);
}

size_t recs_read_lines(FILE *f, recs_t *rs)
{
    char line[2048];
    size_t got = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "REC\t", 4) != 0) {
            continue;
        }
        char *save = NULL;
        char *tok[6 + M_COUNT];
        size_t n = 0;
        for (char *t = strtok_r(line, "\t\n", &save); t && n < 6u + M_COUNT;
             t = strtok_r(NULL, "\t\n", &save)) {
            tok[n++] = t;
        }
        if (n != 6u + M_COUNT) {
            continue;
        }
        rec_t *r = recs_add(rs, tok[1], "", tok[3], tok[4]);
        if (!r) {
            break;
        }
        copy_field(r->variant, sizeof r->variant, tok[2]);
        copy_field(r->note, sizeof r->note, tok[5]);
        for (size_t m = 0; m < M_COUNT; m++) {
            r->m[m] = strtod(tok[6 + m], NULL);
        }
        got++;
    }
    return got;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int recs_median(recs_t *out, recs_t *runs, size_t nruns)
{
    memset(out, 0, sizeof *out);
    if (nruns == 0u) {
        return 0;
    }
    double *col = malloc(nruns * sizeof *col);
    if (!col) {
        return -1;
    }
    for (size_t i = 0; i < runs[0].n; i++) {
        const rec_t *r0 = &runs[0].v[i];
        rec_t *r = recs_add(out, r0->workload, r0->variant, r0->scheme, r0->layout);
        if (!r) {
            free(col);
            return -1;
        }
        *r = *r0;
        for (size_t m = 0; m < M_COUNT; m++) {
            size_t k = 0;
            for (size_t j = 0; j < nruns; j++) {
                if (i < runs[j].n && !isnan(runs[j].v[i].m[m])) {
                    col[k++] = runs[j].v[i].m[m];
                }
            }
            if (k == 0u) {
                continue;
            }
            qsort(col, k, sizeof *col, cmp_double);
            /* The median of an even count is the mean of the middle two. */
            r->m[m] = (k % 2u) ? col[k / 2u] : (col[k / 2u - 1u] + col[k / 2u]) / 2.0;
        }
    }
    free(col);
    return 0;
}

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') {
            fputc('\\', f);
        }
        if ((unsigned char)*s < 0x20u) {
            fprintf(f, "\\u%04x", (unsigned)(unsigned char)*s);
        } else {
            fputc(*s, f);
        }
    }
    fputc('"', f);
}

int recs_write_json(const char *path, const char *head, const recs_t *rs)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        return -1;
    }
    fprintf(f, "{\n%s,\n  \"results\": [\n", head);
    for (size_t i = 0; i < rs->n; i++) {
        const rec_t *r = &rs->v[i];
        fprintf(f, "    {\"workload\": ");
        json_str(f, r->workload);
        fprintf(f, ", \"variant\": ");
        json_str(f, r->variant);
        fprintf(f, ", \"scheme\": ");
        json_str(f, r->scheme);
        fprintf(f, ", \"layout\": ");
        json_str(f, r->layout);
        if (r->note[0]) {
            fprintf(f, ", \"note\": ");
            json_str(f, r->note);
        }
        for (size_t m = 0; m < M_COUNT; m++) {
            if (!isnan(r->m[m])) {
                fprintf(f, ", \"%s\": %.10g", metric_names[m], r->m[m]);
            }
        }
        fprintf(f, "}%s\n", i + 1u < rs->n ? "," : "");
    }
    fprintf(f, "  ]\n}\n");
    return fclose(f) == 0 ? 0 : -1;
}
