/*
 * The report page: one self-contained HTML file (no scripts, no fonts, no
 * network) with SVG plots drawn here. Every plot is an <svg> with
 * data-plot="<id>" and data-points="<number of data marks drawn>", and every
 * data mark (polyline, bar, range) has class "data", so a test can check from
 * the DOM that each plot has its data drawn, not only its frame.
 */
#ifndef RTM_TOOL_SVG_H
#define RTM_TOOL_SVG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct svg_series {
    const char *name;
    const double *x;
    const double *y;
    size_t n;
} svg_series_t;

typedef struct svg_axes {
    const char *id;     /* data-plot id, unique on the page */
    const char *title;
    const char *xlabel; /* with the unit, e.g. "event" or "bytes" */
    const char *ylabel;
} svg_axes_t;

/* A range of a heap map: [start, start + len) in bytes from the arena start. */
typedef struct svg_range {
    double start, len;
} svg_range_t;

/* Page structure. Text arguments are escaped. */
void html_begin(FILE *f, const char *title);
void html_end(FILE *f);
void html_h2(FILE *f, const char *text);
void html_p(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A preformatted block (the terminal report, for instance). */
void html_pre(FILE *f, const char *text);
/* Write `s` with &, <, >, " escaped. */
void html_text(FILE *f, const char *s);

/* Lines, one per series, on shared linear axes. Series with n == 0 are listed
 * in the legend as "(no data)". */
void svg_lines(FILE *f, const svg_axes_t *a, const svg_series_t *s, size_t ns);

/* Vertical bars with a label under each; `limit` (optional, NULL) draws a
 * marker line per bar (a quota, a configured size) in the legend's second
 * colour. */
void svg_bars(FILE *f, const svg_axes_t *a, const char *const *labels, const double *values,
              const double *limit, size_t n, const char *value_name, const char *limit_name);

/* A heap map: one horizontal band per row (`rows` of them, e.g. "at the peak"
 * and "at the end"), `total` bytes long; used ranges drawn filled, the rest
 * free. */
void svg_heap_map(FILE *f, const svg_axes_t *a, double total, const char *const *row_names,
                  const svg_range_t *const *used, const size_t *nused, size_t rows);

#endif
