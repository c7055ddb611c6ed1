/*
 * rtmem trace v1 parser (format in ../shared/TRACE.md).
 *
 * The whole trace is parsed and validated before anything is replayed, so a
 * replay never meets a bad event half-way: an unknown id, a duplicate live id,
 * a malformed line or a bad header stops the parse with the line number and
 * the reason. Ids are mapped to dense slot numbers (a slot is reused after its
 * block is freed), so a replay keeps its live pointers in a plain array of
 * `slots` entries and never hashes.
 */
#ifndef RTM_TOOL_TRACE_H
#define RTM_TOOL_TRACE_H

#include <stddef.h>
#include <stdint.h>

#define TRACE_HEADER "# rtmem-trace v1"

typedef enum trace_op { TRACE_ALLOC = 'a', TRACE_FREE = 'f', TRACE_REALLOC = 'r' } trace_op_t;

typedef struct trace_event {
    size_t size;   /* requested size (alloc, realloc); 0 for free */
    uint32_t slot; /* dense index of the block's id while it is live */
    uint32_t line; /* 1-based line number in the file */
    char op;       /* trace_op_t */
} trace_event_t;

typedef struct trace {
    trace_event_t *ev;
    size_t n;                  /* events */
    size_t slots;              /* most blocks live at once = slots needed */
    size_t n_alloc, n_free, n_realloc;
    size_t peak_live_bytes;    /* max over time of the sum of live requested sizes */
    size_t peak_live_blocks;
    uint64_t total_alloc_bytes; /* sum of every alloc and realloc size (what heap_1 needs) */
    size_t leaked_blocks;      /* blocks still live at the end: a leak report */
    size_t leaked_bytes;
} trace_t;

typedef struct trace_error {
    size_t line;       /* 1-based; 0 when the error is not tied to a line (I/O) */
    char reason[160];
} trace_error_t;

/* Parse `len` bytes of trace text. Returns 0 and fills `t` (release with
 * trace_free), or -1 with `err` filled and `t` empty. O(length) expected. */
int trace_parse(trace_t *t, const char *text, size_t len, trace_error_t *err);

/* Read and parse a file. Same results as trace_parse; I/O errors give line 0. */
int trace_load(trace_t *t, const char *path, trace_error_t *err);

void trace_free(trace_t *t);

#endif
