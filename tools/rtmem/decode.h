/*
 * Allocation events from outside a replay turned into rtmem trace v1 text
 * (../shared/TRACE.md):
 * - the binary stream of the on-target recorder (rtmem/trace.h), drained
 *   from the device;
 * - glibc's mtrace() output (MALLOC_TRACE=file), so a host build of an
 *   application can be recorded without rtmem;
 * - live events on the host (trace_writer_observer), written straight to a
 *   file by an application linked with this file.
 * Blocks are named by ids given in allocation order; pointer values name
 * them only while they are live. Events the text format has no line for
 * (failed allocations, owners, lost records, frees of blocks the trace never
 * saw allocated) become comments, so the text says where the trace has gaps.
 */
#ifndef RTM_TOOL_DECODE_H
#define RTM_TOOL_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "rtmem/hooks.h"
#include "trace.h"

/* Pointer -> id of the live blocks, and where the text goes. */
typedef struct trace_writer {
    FILE *out;
    uint64_t *key, *val; /* open addressing; key 0 = empty, 1 = deleted */
    size_t cap, count, tombs;
    uint64_t next_id;
    uint64_t pending_old; /* mtrace: the '<' half of a realloc */
    size_t events, failed, lost, unknown;
    unsigned owner;
} trace_writer_t;

/* Start a writer on `out` (writes the v1 header line). 0, or -1 (no memory). */
int trace_writer_open(trace_writer_t *w, FILE *out);
/* One event (kind as rtmem/hooks.h; old for a realloc). 0, or -1 (no memory). */
int trace_writer_event(trace_writer_t *w, rtm_ev_kind_t kind, uint64_t ptr, uint64_t old,
                       size_t size);
/* A comment line noting an owner switch (written only when it changes). */
void trace_writer_owner(trace_writer_t *w, unsigned owner);
/* Ends with a summary comment; does not close `out`. */
void trace_writer_close(trace_writer_t *w);

/* rtm_observer_fn for host applications: user = a trace_writer_t. */
void trace_writer_observer(void *user, rtm_ev_kind_t kind, const void *obj, const void *ptr,
                           const void *old, size_t size);

typedef enum decode_fmt { DECODE_TEXT, DECODE_BINARY, DECODE_MTRACE, DECODE_UNKNOWN } decode_fmt_t;

/* What `data` holds, from its first bytes. */
decode_fmt_t decode_detect(const uint8_t *data, size_t len);

/* Decode a binary stream or mtrace text into trace text on `out`. 0, or -1
 * with a reason in err (a truncated record, an unknown tag, a bad line). */
int decode_to_text(const uint8_t *data, size_t len, FILE *out, trace_writer_t *stats,
                   char *err, size_t errlen);

/* The whole file at `path` (malloc'ed, *len bytes), or NULL with errno set
 * (cannot open, a read error such as a directory, no memory). */
uint8_t *decode_read_all(const char *path, size_t *len);

/* trace_load() that also takes the binary and mtrace formats (decoded in
 * memory first). Same results as trace_load. */
int trace_load_any(trace_t *t, const char *path, trace_error_t *err);

#endif
