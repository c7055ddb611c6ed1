/*
 * rtm_heap5: FreeRTOS heap_5 as a caller-owned instance, a thin wrapper over
 * the free-list core (src/freelist.c). Behaviour matched to FreeRTOS-Kernel
 * V11.1.0 portable/MemMang/heap_5.c; see rtmem/heap5.h.
 */
#include "rtmem/heap5.h"

#include "freelist.h"

/* Plan every region into `out` before touching the instance, so a bad table
 * leaves it as it was. Regions must ascend without overlap (upstream only
 * asserts that each aligned start lies above the previous end marker).
 * Returns the number of regions, 0 for a bad table. */
static size_t plan_regions(const rtm_region_t *regions, rtm_fl_span_t *out)
{
    size_t n = 0;
    uintptr_t floor = 0;
    if (regions == NULL) {
        return 0;
    }
    for (; regions[n].size != 0u; n++) {
        uintptr_t start = (uintptr_t)regions[n].start;
        if (n == RTMEM_CFG_HEAP5_MAX_REGIONS || start < floor ||
            !rtm_fl_plan(start, regions[n].size, &out[n])) {
            return 0;
        }
        floor = start + regions[n].size;
    }
    return n;
}

rtm_err_t rtm_heap5_init_canary(rtm_heap5_t *h, const rtm_region_t *regions,
                                uintptr_t canary)
{
    rtm_fl_span_t span[RTMEM_CFG_HEAP5_MAX_REGIONS];
    size_t n;
    if (h == NULL) {
        return RTM_ERR_NULL;
    }
    n = plan_regions(regions, span);
    if (n == 0u) {
        return RTM_ERR_BAD_REGION;
    }
    for (size_t i = 0; i < n; i++) {
        h->span[i] = span[i];
    }
    rtm_fl_init_addr(&h->fl, h->span, n, canary);
    return RTM_OK;
}

rtm_err_t rtm_heap5_init(rtm_heap5_t *h, const rtm_region_t *regions)
{
    return rtm_heap5_init_canary(h, regions, 0u);
}

void *rtm_heap5_alloc(rtm_heap5_t *h, size_t size)
{
    return (h != NULL) ? rtm_fl_alloc_addr(&h->fl, size) : NULL;
}

void *rtm_heap5_calloc(rtm_heap5_t *h, size_t n, size_t size)
{
    return (h != NULL) ? rtm_fl_calloc(&h->fl, n, size, rtm_fl_alloc_addr) : NULL;
}

rtm_err_t rtm_heap5_free(rtm_heap5_t *h, void *p)
{
    return (h != NULL) ? rtm_fl_free_addr(&h->fl, p) : RTM_ERR_NULL;
}

/* Getters and setters: a NULL instance reads as empty (0) and is ignored. */
size_t rtm_heap5_free_bytes(const rtm_heap5_t *h)
{
    return (h != NULL) ? h->fl.free_bytes : 0u;
}

size_t rtm_heap5_min_ever_free(const rtm_heap5_t *h)
{
    return (h != NULL) ? h->fl.min_ever_free : 0u;
}

void rtm_heap5_reset_min_ever_free(rtm_heap5_t *h)
{
    if (h != NULL) {
        h->fl.min_ever_free = h->fl.free_bytes;
    }
}

void rtm_heap5_stats(const rtm_heap5_t *h, rtm_stats_t *out)
{
    rtm_fl_stats((h != NULL) ? &h->fl : NULL, out);
}

rtm_err_t rtm_heap5_check(const rtm_heap5_t *h, rtm_check_t *report)
{
    return rtm_fl_check((h != NULL) ? &h->fl : NULL, report);
}

void rtm_heap5_set_fault_hook(rtm_heap5_t *h, rtm_fault_fn fn, void *user)
{
    if (h != NULL) {
        h->fl.fault.hook = fn;
        h->fl.fault.user = user;
    }
}

void rtm_heap5_set_clear_on_free(rtm_heap5_t *h, bool on)
{
    if (h != NULL) {
        h->fl.clear_on_free = on;
    }
}

/* A bad pointer counts as a fault of the instance: its fault state is
 * bookkeeping, written through the const pointer (instances are never
 * defined const). */
size_t rtm_heap5_usable_size(const rtm_heap5_t *h, const void *p)
{
    return (h != NULL) ? rtm_fl_usable_size((rtm_fl_t *)(uintptr_t)&h->fl, p) : 0u;
}
