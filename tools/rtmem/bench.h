/* rtmem bench: the configuration a run shares with its tables. */
#ifndef RTM_TOOL_BENCH_H
#define RTM_TOOL_BENCH_H

#include <stdbool.h>
#include <stddef.h>

#include "report.h"
#include "schemes.h"
#include "trace.h"

enum { WL_W1, WL_W2, WL_W3, WL_W4, WL_R, WL_COUNT };

#define BENCH_MAX_TRACES 16
#define BENCH_MAX_SEL 32

typedef struct bench_cfg {
    bool wl[WL_COUNT];
    const scheme_t *sel[BENCH_MAX_SEL];
    size_t nsel;
    unsigned runs;
    const char *json;
    bool child;
    char scheme_args[512]; /* --scheme options, passed on to rtmem32 */
    /* R: traces loaded once, smallest arenas found once (deterministic) */
    trace_t traces[BENCH_MAX_TRACES];
    char trace_names[BENCH_MAX_TRACES][512];
    size_t ntraces;
    size_t min_arena[BENCH_MAX_TRACES][BENCH_MAX_SEL];
    size_t probes[BENCH_MAX_TRACES][BENCH_MAX_SEL];
    bool arena_done;
    /* W4: the empty timed region at start-up and in W4's own loop (raw
     * ticks; < 0 = not measured), for the table's header */
    double w4_startup_empty, w4_empty;
} bench_cfg_t;

/* Print the tables of the workloads c selected from the records rs; w3_32_why
 * says why the 32-bit W3 was not measured (NULL: it was, as w3_32_how says). */
void bench_print_tables(const bench_cfg_t *c, const recs_t *rs, const char *w3_32_why,
                        const char *w3_32_how);

#endif /* RTM_TOOL_BENCH_H */
