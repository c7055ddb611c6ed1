/*
 * The demo's memory report: the facts rtmem-scene wrote (scene.tsv, format
 * in scene.h), printed as the table an engineer wants at the end of a test
 * run, and drawn on the report page.
 */
#ifndef RTM_TOOL_DEMO_REPORT_H
#define RTM_TOOL_DEMO_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "report.h"

#define DEMO_MAX_FIELDS 10

typedef struct demo_line {
    char *f[DEMO_MAX_FIELDS]; /* f[0] the kind */
    size_t n;
} demo_line_t;

typedef struct demo_facts {
    demo_line_t *v;
    size_t n;
    char *text;               /* the file, split in place */
    unsigned expect_ok, expect_failed;
} demo_facts_t;

/* Read DIR/scene.tsv. 0 = ok. */
int demo_facts_load(demo_facts_t *d, const char *dir);
void demo_facts_release(demo_facts_t *d);

void demo_report_print(FILE *f, const demo_facts_t *d);

/* The report's sections and plots: stack watermarks per task, per-owner use
 * against quotas, heaps and pools, faults, leaks, and the benchmark's
 * latency per scheme (W1 records of `bench`). */
void demo_report_html(FILE *f, const demo_facts_t *d, const recs_t *bench);

#endif
