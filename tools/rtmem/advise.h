/*
 * rtmem advise: from a trace, a memory plan. For every scheme the smallest
 * heap that runs the trace, the worst fragmentation and the slowest operation
 * seen at the configured size; the size classes fixed pools should serve,
 * with their peak block counts and the heap they save; one recommendation
 * with its reasons. Also the data behind the report page's plots.
 */
#ifndef RTM_TOOL_ADVISE_H
#define RTM_TOOL_ADVISE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "replay.h"
#include "svg.h"
#include "trace.h"

#define ADVISE_MAX_SCHEMES 16
#define ADVISE_MAX_POOLS 4
#define ADVISE_DEFAULT_MAX_ARENA ((size_t)64 * 1024u * 1024u)

typedef struct advise_scheme {
    const scheme_t *s;
    size_t min_arena;     /* 0: no arena, or none up to the bound runs the trace */
    size_t cfg_arena;     /* min_arena + 25%, rounded up to 8 */
    size_t probes;
    size_t failed_at_cfg; /* failed allocations when replayed at cfg_arena */
    double worst_frag;    /* max over the run of 1 - largest free / free bytes */
    double alloc_p9999_ns, alloc_max_ns, free_p9999_ns, free_max_ns;
    bool bounded;         /* alloc and free are O(1) by design */
} advise_scheme_t;

typedef struct advise_pool {
    size_t size;          /* the block size served (requests of exactly this size) */
    size_t allocs;        /* allocations of this size in the trace */
    size_t peak_blocks;   /* most live at once: the pool's block count */
    double mean_life;     /* mean lifetime in events */
} advise_pool_t;

/* A point of the timeline of the recommended scheme at its configured size. */
typedef struct advise_point {
    double event, live, free_bytes, largest, frag;
} advise_point_t;

typedef struct advise {
    const trace_t *t;
    size_t max_arena;
    advise_scheme_t sch[ADVISE_MAX_SCHEMES];
    size_t nsch;
    const advise_scheme_t *best;      /* smallest configured heap among schemes that free */
    const advise_scheme_t *bounded;   /* the O(1) scheme, if one ran the trace */
    advise_pool_t pool[ADVISE_MAX_POOLS];
    size_t npool;
    size_t pool_bytes;                /* storage the pools need (blocks x rounded size) */
    size_t heap_without_pools;        /* best scheme's smallest heap for the rest, 0 = not run */
    long saved_bytes;                 /* min heap alone - (heap without pools + pool storage) */
    /* Timeline and heap maps of the recommended scheme at its configured size. */
    advise_point_t *tl;
    size_t ntl;
    svg_range_t *map_peak, *map_end;
    size_t nmap_peak, nmap_end;
    size_t hist_bins;
    double hist_lo[24], hist_count[24]; /* free gaps at the peak, power-of-two bins */
} advise_t;

/* Run the whole analysis (bisection per scheme, bounded by max_arena; 0 =
 * ADVISE_DEFAULT_MAX_ARENA). Progress goes to stderr. 0 = ok. */
int advise_run(advise_t *a, const trace_t *t, size_t max_arena, const char *only);
void advise_release(advise_t *a);

/* The plan as an engineer reads it. */
void advise_print(FILE *f, const advise_t *a, const char *trace_name);

/* The plan's sections of the report page (the caller opens and closes it). */
void advise_html(FILE *f, const advise_t *a, const char *trace_name);

int cmd_advise(int argc, char **argv);

#endif
