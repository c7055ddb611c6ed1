/*
 * rtm_heap4: FreeRTOS heap_4 as a caller-owned instance over the free-list
 * core. Allocation and free are the core's one-span instances
 * (src/freelist_addr.h) compiled here, so the public entry is the
 * implementation, not a call on to it. Behaviour matched to FreeRTOS-Kernel
 * V11.1.0 portable/MemMang/heap_4.c; see rtmem/heap4.h.
 */
#include "rtmem/heap4.h"

#include <stddef.h>

#include "freelist_addr.h"

/* calloc hands the core's calloc the instance as its free list */
_Static_assert(offsetof(rtm_heap4_t, fl) == 0, "rtm_heap4_t starts with its free list");

/* The instance's span follows its free list: the core's one-span init finds
 * it there, so the call carries four arguments, all in registers. */
_Static_assert(offsetof(rtm_heap4_t, span) == sizeof(rtm_fl_t),
               "rtm_heap4_t's span follows its free list");

/* h->span untouched on failure; fl is h's first member, so a NULL h is a
 * NULL fl */
rtm_err_t rtm_heap4_init_canary(rtm_heap4_t *h, void *mem, size_t size,
                                uintptr_t canary)
{
    return rtm_fl_init_addr1((rtm_fl_t *)(void *)h, (uintptr_t)mem, size, canary);
}

rtm_err_t rtm_heap4_init(rtm_heap4_t *h, void *mem, size_t size)
{
    return rtm_fl_init_addr1((rtm_fl_t *)(void *)h, (uintptr_t)mem, size, 0u);
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
