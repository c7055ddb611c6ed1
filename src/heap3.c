/*
 * rtm_heap3: the C library's heap behind the port's critical section
 * (FreeRTOS heap_3 semantics, see rtmem/heap3.h). The only hosted module:
 * it needs malloc and free.
 */
#include "rtmem/heap3.h"

#include <stdlib.h>
#include <string.h>

#include "rtm_internal.h"
#include "rtm_hooks.h"
#include "rtmem/port.h"

rtm_err_t rtm_heap3_init(rtm_heap3_t *h)
{
    if (h == NULL) {
        return RTM_ERR_NULL;
    }
    h->alloc_count = 0;
    h->free_count = 0;
    h->failed_allocs = 0;
    h->live_blocks = 0;
    h->on_failed = NULL;
    h->on_failed_user = NULL;
    rtm_fault_init(&h->fault);
    memset(h->quarantine, 0, sizeof h->quarantine);
    h->q_next = 0;
    return RTM_OK;
}

void rtm_heap3_set_malloc_failed_hook(rtm_heap3_t *h, rtm_heap3_failed_fn fn, void *user)
{
    if (h != NULL) {
        h->on_failed = fn;
        h->on_failed_user = user;
    }
}

/* Count a NULL result (inside the section), then tell the callback after
 * leaving it, as upstream calls vApplicationMallocFailedHook after
 * xTaskResumeAll. */
static void *failed(rtm_heap3_t *h, size_t size)
{
    rtm_port_enter();
    h->failed_allocs++;
    rtm_port_exit();
    RTM_EVENT(RTM_EV_FAIL, h, NULL, NULL, size);
    if (h->on_failed != NULL) {
        h->on_failed(h->on_failed_user, size);
    }
    return NULL;
}

/* The tag of the block whose user bytes start at p: the instance and the
 * block address mixed with a salt, so neither another instance's block nor
 * zeroed or freed bytes carry it. */
static uintptr_t tag_of(const rtm_heap3_t *h, const void *p)
{
    return ((uintptr_t)h * 2654435761u) ^ (uintptr_t)p ^ ((uintptr_t)-1 / 255u * 0x5Au);
}

static uintptr_t *tag_at(void *p)
{
    return (uintptr_t *)(void *)((uint8_t *)p - RTM_HEAP3_HEADER);
}

/* The tag of a block in the quarantine: never a live block's tag. */
static uintptr_t freed_tag_of(const rtm_heap3_t *h, const void *p)
{
    return ~tag_of(h, p);
}

/* ---- Quarantine (see rtm_heap3_free in heap3.h) --------------------------- */

/* The quarantine holds what malloc returned (the tag's address), so a leak
 * checker sees the blocks as reachable even when the user bytes are empty. */
static void *user_of(void *base)
{
    return (uint8_t *)base + RTM_HEAP3_HEADER;
}

/* Is the freed tag of quarantined block q (what malloc returned) intact?
 * One test for eviction and for the check. */
static bool q_tag_ok(const rtm_heap3_t *h, void *q)
{
    return *tag_at(user_of(q)) == freed_tag_of(h, user_of(q));
}

static bool in_quarantine(const rtm_heap3_t *h, const void *p)
{
    uintptr_t base = (uintptr_t)p - RTM_HEAP3_HEADER; /* p is not read */
    for (size_t i = 0; i < RTM_HEAP3_QUARANTINE; i++) {
        if ((uintptr_t)h->quarantine[i] == base) {
            return true;
        }
    }
    return false;
}

/* Empty slot i (inside the section): the block goes to free() if its freed
 * tag is intact; else it is kept from free() and returned (to be reported). */
static void *evict(rtm_heap3_t *h, size_t i)
{
    void *q = h->quarantine[i];
    h->quarantine[i] = NULL;
    if (q == NULL) {
        return NULL;
    }
    if (!q_tag_ok(h, q)) {
        return user_of(q);
    }
    *tag_at(user_of(q)) = 0u;
    free(q);
    return NULL;
}

static void report_damaged(rtm_heap3_t *h, void *q)
{
    if (q != NULL) {
        (void)rtm_fault_raise(&h->fault, RTM_ERR_CORRUPT, h, q);
    }
}

void rtm_heap3_flush(rtm_heap3_t *h)
{
    if (h == NULL) {
        return;
    }
    for (size_t i = 0; i < RTM_HEAP3_QUARANTINE; i++) {
        rtm_port_enter();
        void *bad = evict(h, i);
        rtm_port_exit();
        report_damaged(h, bad);
    }
}

static bool q_empty(const rtm_heap3_t *h)
{
    for (size_t i = 0; i < RTM_HEAP3_QUARANTINE; i++) {
        if (h->quarantine[i] != NULL) {
            return false;
        }
    }
    return true;
}

/* malloc in the section; on failure the quarantine is flushed and malloc
 * tried once more, so holding freed blocks back never fails an allocation. */
static void *lib_malloc(rtm_heap3_t *h, size_t n)
{
    for (int tries = 0;; tries++) {
        rtm_port_enter();
        void *p = malloc(n);
        bool retry = p == NULL && tries == 0 && !q_empty(h);
        rtm_port_exit();
        if (!retry) {
            return p;
        }
        rtm_heap3_flush(h);
    }
}

void *rtm_heap3_alloc(rtm_heap3_t *h, size_t size)
{
    if (h == NULL) {
        return NULL;
    }
    if (RTM_GATE(&h->fault, h, size)) {
        return failed(h, size);
    }
    if (size > SIZE_MAX - RTM_HEAP3_HEADER) {
        return failed(h, size);
    }
    void *p = lib_malloc(h, size + RTM_HEAP3_HEADER);
    rtm_port_enter();
    if (p != NULL) {
        p = (uint8_t *)p + RTM_HEAP3_HEADER;
        *tag_at(p) = tag_of(h, p);
        h->alloc_count++;
        h->live_blocks++;
    }
    rtm_port_exit();
    if (p == NULL) {
        return failed(h, size);
    }
    RTM_EVENT(RTM_EV_ALLOC, h, p, NULL, size);
    return p;
}

void *rtm_heap3_calloc(rtm_heap3_t *h, size_t n, size_t size)
{
    if (h == NULL) {
        return NULL;
    }
    if (rtm_mul_overflows(n, size)) {
        return failed(h, SIZE_MAX);
    }
    void *p = rtm_heap3_alloc(h, n * size);
    if (p != NULL) {
        memset(p, 0, n * size);
    }
    return p;
}

rtm_err_t rtm_heap3_free(rtm_heap3_t *h, void *p)
{
    if (h == NULL) {
        return RTM_ERR_NULL;
    }
    if (p == NULL) {
        return RTM_OK;
    }
    void *bad = NULL;
    rtm_err_t err = RTM_OK;
    rtm_port_enter();
    if (in_quarantine(h, p)) { /* compared, nothing read */
        err = RTM_ERR_DOUBLE_FREE;
    } else if (h->live_blocks == 0u || ((uintptr_t)p & (RTM_MAX_ALIGN - 1u)) != 0u ||
               *tag_at(p) != tag_of(h, p)) {
        err = RTM_ERR_FOREIGN_PTR;
    } else {
        bad = evict(h, h->q_next);
        *tag_at(p) = freed_tag_of(h, p);
        h->quarantine[h->q_next] = tag_at(p);
        h->q_next = (h->q_next + 1u) % RTM_HEAP3_QUARANTINE;
        h->free_count++;
        h->live_blocks--;
    }
    rtm_port_exit();
    if (err != RTM_OK) {
        return rtm_fault_raise(&h->fault, err, h, p);
    }
    report_damaged(h, bad);
    RTM_EVENT(RTM_EV_FREE, h, p, NULL, 0u);
    return RTM_OK;
}

size_t rtm_heap3_free_bytes(const rtm_heap3_t *h)
{
    (void)h;
    return 0;
}

size_t rtm_heap3_min_ever_free(const rtm_heap3_t *h)
{
    (void)h;
    return 0;
}

void rtm_heap3_reset_min_ever_free(rtm_heap3_t *h) { (void)h; }

void rtm_heap3_stats(const rtm_heap3_t *h, rtm_stats_t *out)
{
    if (out == NULL) {
        return;
    }
    memset(out, 0, sizeof(*out));
    if (h == NULL) {
        return;
    }
    rtm_port_enter();
    out->used_blocks = h->live_blocks;
    out->alloc_count = h->alloc_count;
    out->free_count = h->free_count;
    out->failed_allocs = h->failed_allocs;
    out->faults = h->fault.count;
    rtm_port_exit();
}

rtm_err_t rtm_heap3_check(const rtm_heap3_t *h, rtm_check_t *report)
{
    if (report != NULL) {
        memset(report, 0, sizeof(*report));
        report->err = RTM_OK;
        report->what = "ok";
    }
    if (h == NULL) {
        return rtm_check_fail(report, RTM_ERR_NULL, NULL, "instance is NULL");
    }
    rtm_port_enter();
    bool ok = h->free_count <= h->alloc_count &&
              h->live_blocks == h->alloc_count - h->free_count;
    size_t live = h->live_blocks;
    const void *bad = NULL;
    for (size_t i = 0; i < RTM_HEAP3_QUARANTINE; i++) {
        void *q = h->quarantine[i];
        if (q != NULL && !q_tag_ok(h, q)) {
            bad = user_of(q);
        }
    }
    rtm_port_exit();
    if (!ok) {
        return rtm_check_fail(report, RTM_ERR_CORRUPT, h, "counters disagree");
    }
    if (bad != NULL) {
        return rtm_check_fail(report, RTM_ERR_CORRUPT, bad, "a freed block's tag was overwritten");
    }
    if (report != NULL) {
        report->blocks = live;
    }
    return RTM_OK;
}

void rtm_heap3_set_fault_hook(rtm_heap3_t *h, rtm_fault_fn fn, void *user)
{
    if (h != NULL) {
        h->fault.hook = fn;
        h->fault.user = user;
    }
}
