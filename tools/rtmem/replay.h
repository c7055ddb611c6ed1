/*
 * Trace replay over one scheme, and the smallest-arena search (bisection).
 */
#ifndef RTM_TOOL_REPLAY_H
#define RTM_TOOL_REPLAY_H

#include <stdbool.h>
#include <stddef.h>

#include "schemes.h"
#include "timing.h"
#include "trace.h"

/* What a replay shows an observer after each event: the instance, its
 * arena, and the live blocks (ptr[k] non-NULL, of sz[k] bytes asked for). */
typedef struct replay_view {
    size_t index;               /* 0-based event number */
    const trace_event_t *ev;
    const scheme_t *s;
    void *st;
    const unsigned char *arena; /* NULL when the scheme has no arena */
    size_t arena_size;
    void *const *ptr;
    const size_t *sz;
    size_t slots;
    size_t live_bytes;          /* sum of sz[k] over live blocks */
} replay_view_t;

typedef struct replay_opts {
    size_t max_events;  /* 0 = all */
    bool timed;         /* collect alloc/free latencies (realloc counts as alloc) */
    bool check;         /* run the scheme's integrity check after every event */
    bool stop_on_fail;  /* stop at the first failed allocation (bisection probes) */
    /* Optional: called after every event (not timed). */
    void (*observe)(void *ctx, const replay_view_t *v);
    void *observe_ctx;
} replay_opts_t;

typedef struct replay_result {
    bool init_failed;       /* the scheme refused the arena */
    size_t events;          /* events replayed */
    size_t failed;          /* failed allocations and reallocations */
    size_t first_fail_line;
    rtm_err_t check_err;    /* first integrity-check failure, RTM_OK if none */
    size_t check_line;
    char check_what[120];
    bool have_stats;
    rtm_stats_t st;         /* at the end, before the tool frees what is left */
    tm_pct_t alloc, free;
} replay_result_t;

int replay_run(const scheme_t *s, const trace_t *t, size_t arena, const replay_opts_t *o,
               replay_result_t *r);

/* The parts of a replay result that a workload result also has (failures,
 * end statistics, latencies), for the shared tables. */
struct wl_result;
void replay_as_result(const replay_result_t *rr, struct wl_result *out);

/* The heap size to configure for a smallest arena: +25% margin, rounded up
 * to 8 (what replay and advise recommend). */
size_t replay_with_margin(size_t arena);

/* Smallest arena (bytes) in which the whole trace runs with no failed
 * allocation, by bisection to within 1% (the answer is within 1% above the
 * true edge). 0 when the scheme has no arena or no size up to the search cap
 * works. `probes` (optional) receives the number of replays made. */
size_t replay_min_arena(const scheme_t *s, const trace_t *t, size_t *probes);

/* The same with an upper bound on the arena tried (0 = the default bound:
 * four times every byte ever asked for, plus 1 MiB). */
size_t replay_min_arena_max(const scheme_t *s, const trace_t *t, size_t max_arena,
                            size_t *probes);

/* Same search over a predicate, for tests and other callers: ok(size) must be
 * false at `lo` and true at `hi`. */
size_t replay_bisect(size_t lo, size_t hi, bool (*ok)(void *ctx, size_t size), void *ctx,
                     size_t *probes);

#endif
