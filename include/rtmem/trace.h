/*
 * rtmem trace: record the allocation events of a running firmware into a
 * compact binary ring buffer in RAM, which the application drains when it
 * can (over a UART, semihosting, or a debugger reading the buffer). The host
 * tool turns the drained bytes into a text trace (`rtmem decode`, format of
 * TRACE.md) that `rtmem replay` runs on every scheme.
 *
 *   static uint8_t ring[2048];
 *   rtm_trace_init(&tr, ring, sizeof ring);
 *   rtm_observer_set(rtm_trace_observer, &tr);   (RTMEM_CFG_EVENTS=1)
 *   ... n = rtm_trace_drain(&tr, chunk, sizeof chunk); uart_send(chunk, n);
 *
 * The byte stream (what the drains return, concatenated):
 *   "RTMT" 0x01 P           header: version 1, P = sizeof(void *) of the target
 *   records:  tag [ptr] [old] [size] [owner]
 *     tag bits 0-1: 0 alloc, 1 free, 2 realloc, 3 failed allocation;
 *     bit 2: an owner field follows (the owner changed since the last record);
 *     ptr (not for a failure), old (realloc only), size (not for a free) and
 *     owner are unsigned LEB128 (7 bits per byte, low first).
 *   tag 0xFF, count            `count` records were lost before this point
 * A record is written whole or not at all: when the ring has no room it is
 * dropped and counted (rtm_trace_t.lost, and a loss record in the stream as
 * soon as there is room), so a decoder always knows the trace has a gap.
 */
#ifndef RTMEM_TRACE_H
#define RTMEM_TRACE_H

#include "rtmem/common.h"
#include "rtmem/hooks.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RTM_TRACE_MAGIC "RTMT"
#define RTM_TRACE_VERSION 1u
#define RTM_TRACE_HEADER_BYTES 6u
#define RTM_TRACE_TAG_LOST 0xFFu
#define RTM_TRACE_TAG_OWNER 0x04u
/* The longest record: tag, two pointers, a size, an owner. */
#define RTM_TRACE_RECORD_MAX (1u + 3u * ((sizeof(uintptr_t) * 8u + 6u) / 7u) + 3u)

typedef struct rtm_trace {
    uint8_t *buf;
    size_t cap;
    size_t head;        /* next byte to drain */
    size_t used;        /* bytes waiting */
    const void *only;   /* record one instance only (NULL: all) */
    size_t records;     /* records written */
    size_t lost;        /* records dropped for want of room, in all */
    size_t lost_unsaid; /* dropped since the last loss record */
    rtm_owner_t owner;  /* owner of the last record */
    bool paused;
} rtm_trace_t;

/* Set up a ring over buf[0..cap) and write the stream header. RTM_ERR_NULL,
 * RTM_ERR_ARG (cap < RTM_TRACE_HEADER_BYTES + RTM_TRACE_RECORD_MAX). O(1). */
rtm_err_t rtm_trace_init(rtm_trace_t *t, uint8_t *buf, size_t cap);

/* Record only the events of instance `obj` (NULL: all). O(1). */
void rtm_trace_only(rtm_trace_t *t, const void *obj);

/* Stop / resume recording (events while paused are not recorded and not
 * counted as lost). O(1). NULL: ignored. */
void rtm_trace_pause(rtm_trace_t *t, bool paused);

/* The observer (user = the rtm_trace_t): one record, O(1) (at most
 * RTM_TRACE_RECORD_MAX bytes copied), inside rtm_port_enter/exit so that an
 * interrupt's allocation cannot interleave. user NULL: nothing recorded. */
void rtm_trace_observer(void *user, rtm_ev_kind_t kind, const void *obj, const void *ptr,
                        const void *old, size_t size);

/* Move up to `max` waiting bytes to `out`; returns the count (0: empty).
 * O(max), inside one rtm_port_enter/exit: drain in chunks as small as the
 * interrupt latency you can afford. NULL t or out: 0. */
size_t rtm_trace_drain(rtm_trace_t *t, uint8_t *out, size_t max);

/* Bytes waiting to be drained. O(1). NULL t: 0. */
size_t rtm_trace_pending(const rtm_trace_t *t);

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_TRACE_H */
