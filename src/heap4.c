/*
 * rtm_heap4: FreeRTOS heap_4 as a caller-owned instance over the free-list
 * core. Init, allocation and free are the core's one-span instances
 * (src/freelist_setup.h, src/freelist_addr.h) compiled here, so the public
 * entry is the implementation, not a call on to it. Behaviour matched to FreeRTOS-Kernel
 * V11.1.0 portable/MemMang/heap_4.c; see rtmem/heap4.h.
 */
#include "rtmem/heap4.h"

#include <stddef.h>

#include "freelist_addr.h"
#include "freelist_setup.h"

/* calloc hands the core's calloc the instance as its free list */
_Static_assert(offsetof(rtm_heap4_t, fl) == 0, "rtm_heap4_t starts with its free list");

/* The checks, plan and set-up in one function (one prologue, not three);
 * h untouched on failure. */
rtm_err_t rtm_heap4_init(rtm_heap4_t *h, void *mem, size_t size)
{
    rtm_fl_span_t *span;
    uintptr_t start = (uintptr_t)mem;
    if (h == NULL || start == 0u) {
        return RTM_ERR_NULL;
    }
    span = &h->span;
#if defined(__GNUC__)
    /* hides that span sits right after the free list: otherwise -Os keeps
     * its two words in registers across the set-up (a larger prologue)
     * instead of reading them back once. No effect on behaviour. */
    __asm__("" : "+r"(span));
#endif
    if (!plan(start, size, span)) {
        return RTM_ERR_ARG;
    }
    init_addr(&h->fl, span, 1u, 0u);
    return RTM_OK;
}

/* Laid out as rtm_heap4_init does (so this links no second copy of the
 * set-up), then the list re-keyed with the canary given. */
rtm_err_t rtm_heap4_init_canary(rtm_heap4_t *h, void *mem, size_t size,
                                uintptr_t canary)
{
    rtm_err_t err = rtm_heap4_init(h, mem, size);
    if (err == RTM_OK) {
        rtm_fl_rekey1(&h->fl, canary);
    }
    return err;
}

void *rtm_heap4_alloc(rtm_heap4_t *h, size_t size)
{
    return (h != NULL) ? alloc_gated(&h->fl, size, true) : NULL;
}

/* rtm_heap4_alloc for the core's calloc: fl is the instance's first member */
static void *alloc_fl(rtm_fl_t *fl, size_t n)
{
    return rtm_heap4_alloc((rtm_heap4_t *)(void *)fl, n);
}

void *rtm_heap4_calloc(rtm_heap4_t *h, size_t n, size_t size)
{
    return (h != NULL) ? rtm_fl_calloc(&h->fl, n, size, alloc_fl) : NULL;
}

rtm_err_t rtm_heap4_free(rtm_heap4_t *h, void *p)
{
    return (h != NULL) ? freed(&h->fl, p, free_addr(&h->fl, p, true)) : RTM_ERR_NULL;
}

/* Getters and setters: a NULL instance reads as empty (0) and is ignored. */
size_t rtm_heap4_free_bytes(const rtm_heap4_t *h)
{
    return (h != NULL) ? h->fl.free_bytes : 0u;
}

size_t rtm_heap4_min_ever_free(const rtm_heap4_t *h)
{
    return (h != NULL) ? h->fl.min_ever_free : 0u;
}

void rtm_heap4_reset_min_ever_free(rtm_heap4_t *h)
{
    if (h != NULL) {
        h->fl.min_ever_free = h->fl.free_bytes;
    }
}

void rtm_heap4_stats(const rtm_heap4_t *h, rtm_stats_t *out)
{
    rtm_fl_stats((h != NULL) ? &h->fl : NULL, out);
}

rtm_err_t rtm_heap4_check(const rtm_heap4_t *h, rtm_check_t *report)
{
    return rtm_fl_check((h != NULL) ? &h->fl : NULL, report);
}

void rtm_heap4_set_fault_hook(rtm_heap4_t *h, rtm_fault_fn fn, void *user)
{
    if (h != NULL) {
        h->fl.fault.hook = fn;
        h->fl.fault.user = user;
    }
}

void rtm_heap4_set_clear_on_free(rtm_heap4_t *h, bool on)
{
    if (h != NULL) {
        h->fl.clear_on_free = on;
    }
}

/* A bad pointer counts as a fault of the instance: its fault state is
 * bookkeeping, written through the const pointer (instances are never
 * defined const). */
size_t rtm_heap4_usable_size(const rtm_heap4_t *h, const void *p)
{
    return (h != NULL) ? rtm_fl_usable_size((rtm_fl_t *)(uintptr_t)&h->fl, p) : 0u;
}
