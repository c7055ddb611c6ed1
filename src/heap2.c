/*
 * rtm_heap2: FreeRTOS heap_2 as a caller-owned instance, a thin wrapper over
 * the free-list core (src/freelist.c). Behaviour matched to FreeRTOS-Kernel
 * V11.1.0 portable/MemMang/heap_2.c; see rtmem/heap2.h.
 */
#include "rtmem/heap2.h"

#include "freelist.h"

/* heap_2 always gives up A bytes to alignment (configADJUSTED_HEAP_SIZE):
 * [mem .. pad][usable = size - A][rest of the pad] */
rtm_err_t rtm_heap2_init_canary(rtm_heap2_t *h, void *mem, size_t size,
                                uintptr_t canary)
{
    const uintptr_t a = (uintptr_t)RTMEM_CFG_HEAP_ALIGNMENT;
    uintptr_t start = (uintptr_t)mem;
    if (h == NULL || mem == NULL) {
        return RTM_ERR_NULL;
    }
    if (size > UINTPTR_MAX - start || size <= a || size - a <= RTM_FL_MIN_BLOCK) {
        return RTM_ERR_ARG;
    }
    h->span.first = (uint8_t *)((start + a - 1u) & ~(a - 1u));
    h->span.end = h->span.first + (size - a);
    rtm_fl_init_size(&h->fl, &h->span, canary);
    return RTM_OK;
}

rtm_err_t rtm_heap2_init(rtm_heap2_t *h, void *mem, size_t size)
{
    return rtm_heap2_init_canary(h, mem, size, 0u);
}

void *rtm_heap2_alloc(rtm_heap2_t *h, size_t size)
{
    return (h != NULL) ? rtm_fl_alloc_size(&h->fl, size) : NULL;
}

void *rtm_heap2_calloc(rtm_heap2_t *h, size_t n, size_t size)
{
    return (h != NULL) ? rtm_fl_calloc(&h->fl, n, size, rtm_fl_alloc_size) : NULL;
}

rtm_err_t rtm_heap2_free(rtm_heap2_t *h, void *p)
{
    return (h != NULL) ? rtm_fl_free_size(&h->fl, p) : RTM_ERR_NULL;
}

/* Getters and setters: a NULL instance reads as empty (0) and is ignored. */
size_t rtm_heap2_free_bytes(const rtm_heap2_t *h)
{
    return (h != NULL) ? h->fl.free_bytes : 0u;
}

size_t rtm_heap2_min_ever_free(const rtm_heap2_t *h)
{
    return (h != NULL) ? h->fl.min_ever_free : 0u;
}

void rtm_heap2_reset_min_ever_free(rtm_heap2_t *h)
{
    if (h != NULL) {
        h->fl.min_ever_free = h->fl.free_bytes;
    }
}

void rtm_heap2_stats(const rtm_heap2_t *h, rtm_stats_t *out)
{
    rtm_fl_stats((h != NULL) ? &h->fl : NULL, out);
}

rtm_err_t rtm_heap2_check(const rtm_heap2_t *h, rtm_check_t *report)
{
    return rtm_fl_check((h != NULL) ? &h->fl : NULL, report);
}

void rtm_heap2_set_fault_hook(rtm_heap2_t *h, rtm_fault_fn fn, void *user)
{
    if (h != NULL) {
        h->fl.fault.hook = fn;
        h->fl.fault.user = user;
    }
}

void rtm_heap2_set_clear_on_free(rtm_heap2_t *h, bool on)
{
    if (h != NULL) {
        h->fl.clear_on_free = on;
    }
}

/* A bad pointer counts as a fault of the instance: its fault state is
 * bookkeeping, written through the const pointer (instances are never
 * defined const). */
size_t rtm_heap2_usable_size(const rtm_heap2_t *h, const void *p)
{
    return (h != NULL) ? rtm_fl_usable_size((rtm_fl_t *)(uintptr_t)&h->fl, p) : 0u;
}
