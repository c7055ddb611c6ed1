/*
 * rtm_heap1: bump allocation, no free (FreeRTOS heap_1 semantics, see
 * rtmem/heap1.h for the layout rules this file keeps).
 */
#include "rtmem/heap1.h"

#include <string.h>

#include "rtm_internal.h"
#include "rtm_hooks.h"

#define ALIGN ((size_t)RTMEM_CFG_HEAP_ALIGNMENT)
#define ALIGN_MASK (ALIGN - 1u)

_Static_assert(RTM_IS_POW2(RTMEM_CFG_HEAP_ALIGNMENT) && RTMEM_CFG_HEAP_ALIGNMENT >= 4 &&
                   RTMEM_CFG_HEAP_ALIGNMENT <= 64,
               "RTMEM_CFG_HEAP_ALIGNMENT must be a power of two from 4 to 64");

/* Round a request up to the alignment; 0 when that would wrap (upstream turns
 * such a request into a size-0 request, which then fails). */
static size_t round_request(size_t size)
{
    return rtm_align_up_checked(size, ALIGN);
}

/* p lies inside the memory given to init. */
static bool inside(const rtm_heap1_t *h, const void *p)
{
    uintptr_t a = (uintptr_t)p;
    uintptr_t lo = (uintptr_t)h->mem;
    return a >= lo && a - lo < h->size;
}

rtm_err_t rtm_heap1_init(rtm_heap1_t *h, void *mem, size_t size)
{
    if (h == NULL || mem == NULL) {
        return RTM_ERR_NULL;
    }
    uintptr_t lo = (uintptr_t)mem;
    if (size <= ALIGN || rtm_add_overflows((size_t)lo, size)) {
        return RTM_ERR_ARG;
    }
    /* Rounding up moves the start by at most A - 1 bytes, and the usable size
     * keeps a whole A back, so start + usable <= mem + size - 1. */
    h->mem = (uint8_t *)mem;
    h->size = size;
    h->start = (uint8_t *)mem + (RTM_ALIGN_UP(lo, (uintptr_t)ALIGN) - lo);
    h->usable = size - ALIGN;
    h->used = 0;
    h->live_blocks = 0;
    h->alloc_count = 0;
    h->failed_allocs = 0;
    rtm_fault_init(&h->fault);
    return RTM_OK;
}

void *rtm_heap1_alloc(rtm_heap1_t *h, size_t size)
{
    if (h == NULL) {
        return NULL;
    }
    if (RTM_GATE(&h->fault, h, size)) {
        h->failed_allocs++;
        RTM_EVENT(RTM_EV_FAIL, h, NULL, NULL, size);
        return NULL;
    }
    size_t take = round_request(size);
    /* Strict `<`: upstream never hands out the last usable byte. */
    if (take == 0u || rtm_add_overflows(h->used, take) || h->used + take >= h->usable) {
        h->failed_allocs++;
        RTM_EVENT(RTM_EV_FAIL, h, NULL, NULL, size);
        return NULL;
    }
    void *p = h->start + h->used;
    h->used += take;
    RTM_ASSERT(h->used < h->usable && (h->used & ALIGN_MASK) == 0u); /* checked above */
    h->alloc_count++;
    h->live_blocks++;
    RTM_EVENT(RTM_EV_ALLOC, h, p, NULL, size);
    return p;
}

void *rtm_heap1_calloc(rtm_heap1_t *h, size_t n, size_t size)
{
    if (h == NULL) {
        return NULL;
    }
    if (rtm_mul_overflows(n, size)) {
        h->failed_allocs++;
        return NULL;
    }
    void *p = rtm_heap1_alloc(h, n * size);
    if (p != NULL) {
        /* The memory was never used by this heap, but a reset or an
         * application-provided array may leave old bytes there. */
        memset(p, 0, n * size);
    }
    return p;
}

rtm_err_t rtm_heap1_free(rtm_heap1_t *h, void *p)
{
    if (h == NULL) {
        return RTM_ERR_NULL;
    }
    if (p == NULL) {
        return RTM_OK;
    }
    rtm_err_t why = inside(h, p) ? RTM_ERR_NOT_SUPPORTED : RTM_ERR_FOREIGN_PTR;
    return rtm_fault_raise(&h->fault, why, h, p);
}

void rtm_heap1_reset(rtm_heap1_t *h)
{
    if (h != NULL) {
        h->used = 0;
        h->live_blocks = 0;
    }
}

size_t rtm_heap1_free_bytes(const rtm_heap1_t *h)
{
    return h == NULL ? 0u : h->usable - h->used;
}

size_t rtm_heap1_min_ever_free(const rtm_heap1_t *h)
{
    return rtm_heap1_free_bytes(h);
}

void rtm_heap1_reset_min_ever_free(rtm_heap1_t *h) { (void)h; }

void rtm_heap1_stats(const rtm_heap1_t *h, rtm_stats_t *out)
{
    if (out == NULL) {
        return;
    }
    memset(out, 0, sizeof(*out));
    if (h == NULL) {
        return;
    }
    size_t free_now = h->usable - h->used;
    out->total_bytes = h->usable;
    out->free_bytes = free_now;
    out->min_ever_free = free_now;
    out->largest_free = free_now;
    out->smallest_free = free_now;
    out->free_blocks = free_now != 0u ? 1u : 0u;
    out->used_blocks = h->live_blocks;
    out->alloc_count = h->alloc_count;
    out->free_count = 0;
    out->failed_allocs = h->failed_allocs;
    out->faults = h->fault.count;
}

rtm_err_t rtm_heap1_check(const rtm_heap1_t *h, rtm_check_t *report)
{
    if (report != NULL) {
        memset(report, 0, sizeof(*report));
        report->err = RTM_OK;
        report->what = "ok";
    }
    if (h == NULL) {
        return rtm_check_fail(report, RTM_ERR_NULL, NULL, "instance is NULL");
    }
    uintptr_t lo = (uintptr_t)h->mem;
    uintptr_t start = (uintptr_t)h->start;
    if (h->mem == NULL || h->size <= ALIGN || h->usable != h->size - ALIGN) {
        return rtm_check_fail(report, RTM_ERR_CORRUPT, h, "size fields are inconsistent");
    }
    if ((start & ALIGN_MASK) != 0u || start < lo || start - lo >= ALIGN) {
        return rtm_check_fail(report, RTM_ERR_CORRUPT, h->start, "start is misplaced");
    }
    if (h->used >= h->usable) {
        return rtm_check_fail(report, RTM_ERR_CORRUPT, h, "used bytes exceed the heap");
    }
    if ((h->used & ALIGN_MASK) != 0u) {
        return rtm_check_fail(report, RTM_ERR_CORRUPT, h, "used bytes are misaligned");
    }
    size_t free_now = h->usable - h->used;
    if (report != NULL) {
        report->free_blocks = free_now != 0u ? 1u : 0u;
        report->blocks = h->live_blocks + report->free_blocks;
        report->free_bytes = free_now;
    }
    return RTM_OK;
}

void rtm_heap1_set_fault_hook(rtm_heap1_t *h, rtm_fault_fn fn, void *user)
{
    if (h != NULL) {
        h->fault.hook = fn;
        h->fault.user = user;
    }
}
