/*
 * Result records shared by demo and bench: one record per (workload, variant,
 * scheme, layout), a fixed set of metrics (NAN = not applicable), tables with
 * ratios to the system malloc, JSON, and a one-line text form that the 32-bit
 * child binary prints and the parent reads back.
 */
#ifndef RTM_TOOL_REPORT_H
#define RTM_TOOL_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "workload.h"

typedef enum metric {
    M_FAILED,
    M_ALLOC_MED, M_ALLOC_P99, M_ALLOC_P9999, M_ALLOC_MAX, M_ALLOC_MEAN,
    M_FREE_MED, M_FREE_P99, M_FREE_P9999, M_FREE_MAX, M_FREE_MEAN,
    M_MIN_EVER_FREE, M_LARGEST_FREE, M_FREE_BLOCKS,
    M_K, M_FILL_MEAN, M_FILL_MIN, M_FILL_RUNS,
    M_ARENA, M_PEAK, M_RATIO, M_PROBES,
    M_ALLOC_MAX_REP, M_FREE_MAX_REP,
    M_COUNT
} metric_t;

typedef struct rec {
    char workload[16];
    char variant[64];
    char scheme[40];
    char layout[8];   /* "64-bit" or "32-bit" */
    char note[64];    /* e.g. the realloc kind */
    double m[M_COUNT];
} rec_t;

typedef struct recs {
    rec_t *v;
    size_t n, cap;
} recs_t;

/* Append a record with every metric NAN; NULL when out of memory. */
rec_t *recs_add(recs_t *rs, const char *workload, const char *variant, const char *scheme,
                const char *layout);
void recs_release(recs_t *rs);

/* The record of (workload, variant, scheme, layout), or NULL. O(records). */
const rec_t *recs_find(const recs_t *rs, const char *workload, const char *variant,
                       const char *scheme, const char *layout);

/* Copy a workload result's latencies, failures and end statistics. */
void rec_set_result(rec_t *r, const wl_result_t *res);

/* Column of a table: a metric, optionally as a ratio to the reference
 * scheme's value in the same workload and variant. */
typedef enum col_kind { COL_COUNT, COL_BYTES, COL_NS, COL_RATIO, COL_FRACTION } col_kind_t;
typedef struct col {
    const char *title;
    metric_t m;
    col_kind_t kind;
} col_t;

/* Print the records of `workload` (all when NULL) as a table, one row per
 * record, with `variant` as the first column when `show_variant`. */
void table_print(FILE *f, const recs_t *rs, const char *workload, bool show_variant,
                 const col_t *cols, size_t ncols);

/* Records as one line each: "REC\t<workload>\t<variant>\t<scheme>\t<layout>\t<note>\t<m0>..." */
void recs_write_lines(FILE *f, const recs_t *rs);
/* Parse such lines (others are ignored); returns records read. */
size_t recs_read_lines(FILE *f, recs_t *rs);

/* Element-wise median over runs: runs[i] must hold the same records in the
 * same order. */
int recs_median(recs_t *out, recs_t *runs, size_t nruns);

/* JSON with a header object `head` (already-formatted members). */
int recs_write_json(const char *path, const char *head, const recs_t *rs);

#endif
