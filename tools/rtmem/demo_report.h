/*
 * The demo's memory report drawn on the report page (the facts and the
 * terminal report: demo_facts.h).
 */
#ifndef RTM_TOOL_DEMO_REPORT_H
#define RTM_TOOL_DEMO_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "report.h"

#include "demo_facts.h"

/* The report's sections and plots: stack watermarks per task, per-owner use
 * against quotas, heaps and pools, faults, leaks, and the benchmark's
 * latency per scheme (W1 records of `bench`). */
void demo_report_html(FILE *f, const demo_facts_t *d, const recs_t *bench);

#endif
