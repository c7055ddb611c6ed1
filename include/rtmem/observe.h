/*
 * rtmem observe: call-site tags, failure injection at one call site, and a
 * fan-out that lets several observers (leak tracker, trace recorder,
 * sanitizer announcer) share the one global observer slot of rtmem/hooks.h.
 *
 * Call sites: wrap an allocating call in RTM_ALLOC_AT(...) and every observer
 * sees its file and line (rtm_site_current()) while the call runs:
 *     msg = RTM_ALLOC_AT(rtm_heap4_alloc(&heap, n));
 * The site is one global (like the current owner): tag from one context at a
 * time, or from code that does not preempt another tagged call. With
 * RTMEM_CFG_EVENTS=0 the macro is the bare call and costs nothing.
 */
#ifndef RTMEM_OBSERVE_H
#define RTMEM_OBSERVE_H

#include "rtmem/common.h"
#include "rtmem/hooks.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A call site: file and line of an RTM_ALLOC_AT, or { NULL, 0 } when the
 * running allocation was not tagged. */
typedef struct rtm_site {
    const char *file;
    uint32_t line;
} rtm_site_t;

#if RTMEM_CFG_EVENTS
#define RTM_ALLOC_AT(call) \
    (rtm_site_enter_(__FILE__, (uint32_t)__LINE__), rtm_site_leave_(call))
#else
#define RTM_ALLOC_AT(call) (call)
#endif

/* Used by RTM_ALLOC_AT: set the site for the call that follows; clear it and
 * pass the call's result through. O(1). */
void rtm_site_enter_(const char *file, uint32_t line);
void *rtm_site_leave_(void *result);

/* The site of the allocation running now ({ NULL, 0 } outside a tagged
 * call). O(1). */
rtm_site_t rtm_site_current(void);

/* Fail the `nth` (0 = the first) tagged allocation made at `file`:`line`
 * from now on, once, as rtm_inject_fail() does (NULL, no fault hook call).
 * `file` is compared as __FILE__ gives it (by content). Uses the gate's
 * injection: do not combine with rtm_inject_fail() at the same time.
 * Returns RTM_ERR_NULL for a NULL file, RTM_ERR_NOT_SUPPORTED with
 * RTMEM_CFG_EVENTS=0 (no sites). O(1); each tagged call then compares one
 * string (O(length of the file name)). */
rtm_err_t rtm_inject_site(const char *file, uint32_t line, uint32_t nth);
/* Disarm rtm_inject_site(). O(1). Never fails. */
void rtm_inject_site_off(void);
/* Tagged calls that matched the chosen site since rtm_inject_site(). O(1).
 * Never fails. */
uint32_t rtm_inject_site_seen(void);

/* ---- Fan-out: several observers at once --------------------------------- */

/* RTM_FANOUT_MAX: an option of rtmem/config.h. */

typedef struct rtm_fanout {
    rtm_observer_fn fn[RTM_FANOUT_MAX];
    void *user[RTM_FANOUT_MAX];
    unsigned n;
} rtm_fanout_t;

/* Empty fan-out. O(1). NULL: ignored. */
void rtm_fanout_init(rtm_fanout_t *f);
/* Append an observer; events reach the observers in the order added.
 * RTM_ERR_NULL (f or fn NULL), RTM_ERR_NO_MEMORY (RTM_FANOUT_MAX reached).
 * Add before installing, or with allocations quiescent. O(1). */
rtm_err_t rtm_fanout_add(rtm_fanout_t *f, rtm_observer_fn fn, void *user);
/* The observer to install: rtm_observer_set(rtm_fanout_observer, &fan).
 * O(observers). user NULL: nothing done. */
void rtm_fanout_observer(void *user, rtm_ev_kind_t kind, const void *obj, const void *ptr,
                         const void *old, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_OBSERVE_H */
