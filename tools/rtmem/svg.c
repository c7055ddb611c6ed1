/* The report page's HTML and SVG writer: see svg.h. */
#include "svg.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#define W 760.0
#define H 300.0
#define ML 78.0 /* room for the y tick labels and the y axis title */
#define MR 16.0
#define MT 34.0
#define MB 64.0 /* x tick labels, x title, legend */

static const char *const palette[] = { "#1f5fa8", "#d1495b", "#2a9d62", "#e69b00",
                                       "#7b4ea3", "#00838f", "#6d4c41", "#5c6b73" };
#define NPAL (sizeof palette / sizeof palette[0])

void html_text(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f); break;
        }
    }
}

void html_begin(FILE *f, const char *title)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>", f);
    html_text(f, title);
    fputs("</title>\n<style>\n"
          "body{font-family:sans-serif;max-width:820px;margin:1em auto;color:#222}\n"
          "h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}\n"
          "pre{font-size:11px;background:#f6f6f6;padding:6px;overflow-x:auto;white-space:pre}\n"
          "svg{display:block;margin:0.5em 0;background:#fff;border:1px solid #ddd}\n"
          "svg text{font-family:sans-serif;font-size:11px;fill:#222}\n"
          "svg .title{font-size:13px;font-weight:bold}\n"
          "@media print{svg{break-inside:avoid}pre{font-size:8px}}\n"
          "</style></head><body>\n<h1>", f);
    html_text(f, title);
    fputs("</h1>\n", f);
}

void html_end(FILE *f)
{
    fputs("</body></html>\n", f);
}

void html_h2(FILE *f, const char *text)
{
    fputs("<h2>", f);
    html_text(f, text);
    fputs("</h2>\n", f);
}

void html_p(FILE *f, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    fputs("<p>", f);
    html_text(f, buf);
    fputs("</p>\n", f);
}

void html_pre(FILE *f, const char *text)
{
    fputs("<pre>", f);
    html_text(f, text);
    fputs("</pre>\n", f);
}

/* ---- Axes ------------------------------------------------------------------ */

/* A "nice" tick step (1, 2 or 5 x 10^k) giving about `want` ticks over span. */
static double nice_step(double span, int want)
{
    if (!(span > 0.0)) {
        return 1.0;
    }
    double raw = span / want;
    double mag = pow(10.0, floor(log10(raw)));
    double r = raw / mag;
    return (r < 1.5 ? 1.0 : r < 3.5 ? 2.0 : r < 7.5 ? 5.0 : 10.0) * mag;
}

/* Numbers as a reader wants them on an axis: 12, 1.5k, 2.5M. */
static void fmt_num(char *out, size_t len, double v)
{
    double a = fabs(v);
    if (a >= 1e9) {
        (void)snprintf(out, len, "%gG", v / 1e9);
    } else if (a >= 1e6) {
        (void)snprintf(out, len, "%gM", v / 1e6);
    } else if (a >= 1e4) {
        (void)snprintf(out, len, "%gk", v / 1e3);
    } else {
        (void)snprintf(out, len, "%g", v);
    }
}

typedef struct frame {
    double x0, x1, y0, y1; /* data range */
} frame_t;

static double px(const frame_t *fr, double x)
{
    return ML + (x - fr->x0) / (fr->x1 - fr->x0) * (W - ML - MR);
}

static double py(const frame_t *fr, double y)
{
    return H - MB - (y - fr->y0) / (fr->y1 - fr->y0) * (H - MT - MB);
}

static void svg_open(FILE *f, const svg_axes_t *a, size_t points)
{
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
               "viewBox=\"0 0 %.0f %.0f\" data-plot=\"", W, H, W, H);
    html_text(f, a->id);
    fprintf(f, "\" data-points=\"%zu\" role=\"img\">\n<text class=\"title\" x=\"%.0f\" y=\"20\">",
            points, ML);
    html_text(f, a->title);
    fputs("</text>\n", f);
}

/* Frame, ticks and axis titles; `xticks` false for category axes. */
static void draw_axes(FILE *f, const svg_axes_t *a, const frame_t *fr, bool xticks)
{
    char lab[32];
    fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
               "stroke=\"#888\"/>\n", ML, MT, W - ML - MR, H - MT - MB);
    double ys = nice_step(fr->y1 - fr->y0, 5);
    for (double y = ceil(fr->y0 / ys) * ys; y <= fr->y1 + ys * 1e-9; y += ys) {
        fmt_num(lab, sizeof lab, y);
        fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>"
                   "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                ML, W - MR, py(fr, y), py(fr, y), ML - 4.0, py(fr, y) + 4.0, lab);
    }
    if (xticks) {
        double xs = nice_step(fr->x1 - fr->x0, 6);
        for (double x = ceil(fr->x0 / xs) * xs; x <= fr->x1 + xs * 1e-9; x += xs) {
            fmt_num(lab, sizeof lab, x);
            fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
                    px(fr, x), H - MB + 14.0, lab);
        }
    }
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", ML + (W - ML - MR) / 2.0,
            H - MB + 30.0);
    html_text(f, a->xlabel);
    fprintf(f, "</text>\n<text transform=\"translate(14 %.1f) rotate(-90)\" "
               "text-anchor=\"middle\">", MT + (H - MT - MB) / 2.0);
    html_text(f, a->ylabel);
    fputs("</text>\n", f);
}

static void legend(FILE *f, size_t i, const char *name, const char *colour)
{
    double x = ML + (double)(i % 4u) * 170.0;
    double y = H - 14.0;
    fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"8\" fill=\"%s\"/>"
               "<text x=\"%.1f\" y=\"%.1f\">", x, y - 8.0, colour, x + 16.0, y);
    html_text(f, name);
    fputs("</text>\n", f);
}

static void grow(frame_t *fr, double x, double y)
{
    if (x < fr->x0) fr->x0 = x;
    if (x > fr->x1) fr->x1 = x;
    if (y < fr->y0) fr->y0 = y;
    if (y > fr->y1) fr->y1 = y;
}

static void settle(frame_t *fr)
{
    if (!(fr->x1 > fr->x0)) {
        fr->x1 = fr->x0 + 1.0;
    }
    if (!(fr->y1 > fr->y0)) {
        fr->y1 = fr->y0 + 1.0;
    }
    fr->y1 += (fr->y1 - fr->y0) * 0.05; /* headroom over the highest mark */
}

/* ---- Plots ----------------------------------------------------------------- */

void svg_lines(FILE *f, const svg_axes_t *a, const svg_series_t *s, size_t ns)
{
    frame_t fr = { INFINITY, -INFINITY, 0.0, -INFINITY };
    size_t drawn = 0;
    for (size_t i = 0; i < ns; i++) {
        for (size_t k = 0; k < s[i].n; k++) {
            grow(&fr, s[i].x[k], s[i].y[k]);
        }
        drawn += s[i].n ? 1u : 0u;
    }
    if (!drawn) {
        fr.x0 = 0.0;
        fr.x1 = 1.0;
    }
    settle(&fr);
    svg_open(f, a, drawn);
    draw_axes(f, a, &fr, true);
    for (size_t i = 0; i < ns; i++) {
        const char *c = palette[i % NPAL];
        if (s[i].n) {
            fprintf(f, "<polyline class=\"data\" data-n=\"%zu\" fill=\"none\" stroke=\"%s\" "
                       "stroke-width=\"1.6\" points=\"", s[i].n, c);
            for (size_t k = 0; k < s[i].n; k++) {
                fprintf(f, "%.1f,%.1f ", px(&fr, s[i].x[k]), py(&fr, s[i].y[k]));
            }
            fputs("\"/>\n", f);
        }
        char name[96];
        (void)snprintf(name, sizeof name, "%s%s", s[i].name, s[i].n ? "" : " (no data)");
        legend(f, i, name, c);
    }
    fputs("</svg>\n", f);
}

void svg_bars(FILE *f, const svg_axes_t *a, const char *const *labels, const double *values,
              const double *limit, size_t n, const char *value_name, const char *limit_name)
{
    frame_t fr = { 0.0, (double)(n ? n : 1u), 0.0, -INFINITY };
    for (size_t i = 0; i < n; i++) {
        grow(&fr, 0.0, values[i]);
        if (limit && limit[i] > 0.0) {
            grow(&fr, 0.0, limit[i]);
        }
    }
    settle(&fr);
    svg_open(f, a, n);
    draw_axes(f, a, &fr, false);
    double slot = (W - ML - MR) / (double)(n ? n : 1u);
    for (size_t i = 0; i < n; i++) {
        double x = ML + slot * (double)i + slot * 0.2;
        double top = py(&fr, values[i]);
        fprintf(f, "<rect class=\"data\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                   "fill=\"%s\"><title>", x, top, slot * 0.6, H - MB - top, palette[0]);
        html_text(f, labels[i]);
        fprintf(f, ": %g</title></rect>\n", values[i]);
        if (limit && limit[i] > 0.0) {
            fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                       "stroke-width=\"2.5\"/>\n", x - 3.0, x + slot * 0.6 + 3.0,
                    py(&fr, limit[i]), py(&fr, limit[i]), palette[1]);
        }
        if (n <= 24u) {
            fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x + slot * 0.3,
                    H - MB + 14.0);
            html_text(f, labels[i]);
            fputs("</text>\n", f);
        }
    }
    legend(f, 0, value_name, palette[0]);
    if (limit) {
        legend(f, 1, limit_name, palette[1]);
    }
    fputs("</svg>\n", f);
}

void svg_heap_map(FILE *f, const svg_axes_t *a, double total, const char *const *row_names,
                  const svg_range_t *const *used, const size_t *nused, size_t rows)
{
    size_t marks = 0;
    for (size_t r = 0; r < rows; r++) {
        marks += nused[r];
    }
    frame_t fr = { 0.0, total > 0.0 ? total : 1.0, 0.0, 1.0 };
    svg_open(f, a, marks);
    double band = (H - MT - MB) / (double)(rows ? rows : 1u);
    double w = W - ML - MR;
    for (size_t r = 0; r < rows; r++) {
        double y = MT + band * (double)r + 6.0;
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#e8f3ea\" "
                   "stroke=\"#888\"/>\n", ML, y, w, band - 12.0);
        for (size_t k = 0; k < nused[r]; k++) {
            double x0 = px(&fr, used[r][k].start);
            double ww = used[r][k].len / fr.x1 * w;
            fprintf(f, "<rect class=\"data\" x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" "
                       "fill=\"%s\"/>\n", x0, y, ww < 0.6 ? 0.6 : ww, band - 12.0, palette[1]);
        }
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", ML - 4.0,
                y + band / 2.0 - 2.0);
        html_text(f, row_names[r]);
        fputs("</text>\n", f);
    }
    frame_t axis = fr;
    axis.y0 = 0.0;
    axis.y1 = 1.0;
    char lab[32];
    double xs = nice_step(fr.x1, 6);
    for (double x = 0.0; x <= fr.x1 + xs * 1e-9; x += xs) {
        fmt_num(lab, sizeof lab, x);
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
                px(&axis, x), H - MB + 14.0, lab);
    }
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", ML + w / 2.0, H - MB + 30.0);
    html_text(f, a->xlabel);
    fputs("</text>\n", f);
    legend(f, 0, "used (live blocks)", palette[1]);
    legend(f, 1, "free", "#e8f3ea");
    fputs("</svg>\n", f);
}
