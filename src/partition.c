/*
 * rtm_partition and rtm_quota (see rtmem/partition.h).
 *
 * A quota block:  [ rtm_quota_hdr_t | pad to RTM_QUOTA_HEADER ][ user bytes ]
 *                 ^ the heap's block                          ^ returned
 */
#include "rtmem/partition.h"

#include <string.h>

#include "rtm_internal.h"

/* ---- Partitions ---------------------------------------------------------- */

rtm_err_t rtm_partition_init(rtm_partition_t *p, void *mem, size_t size,
                             const rtm_partition_cfg_t *cfg)
{
    if (p == NULL) {
        return RTM_ERR_NULL;
    }
    memset(p, 0, sizeof *p);
    rtm_fault_init(&p->fault);
    if (cfg == NULL) {
        return rtm_fault_raise(&p->fault, RTM_ERR_NULL, p, mem);
    }
    p->fault.hook = cfg->fault;
    p->fault.user = cfg->fault_user;
    if (mem == NULL || cfg->scheme == NULL || cfg->inst == NULL) {
        return rtm_fault_raise(&p->fault, RTM_ERR_NULL, p, mem);
    }
    if (((uintptr_t)mem % RTM_PARTITION_ALIGN) != 0u || size == 0u ||
        rtm_add_overflows((uintptr_t)mem, size)) {
        return rtm_fault_raise(&p->fault, RTM_ERR_ARG, p, mem);
    }
    rtm_err_t e = cfg->scheme->init(cfg->inst, mem, size, cfg->param);
    if (e != RTM_OK) {
        return rtm_fault_raise(&p->fault, e, p, mem);
    }
    p->name = cfg->name;
    p->owner = cfg->owner;
    p->mem = mem;
    p->size = size;
    p->param = cfg->param;
    p->alloc = rtm_alloc_bind(cfg->scheme, cfg->inst);
    return RTM_OK;
}

void *rtm_partition_alloc(rtm_partition_t *p, size_t size)
{
    if (p == NULL || p->mem == NULL) {
        return NULL;
    }
    void *b = rtm_alloc_alloc(&p->alloc, size);
    if (b == NULL) {
        p->failures++;
    }
    return b;
}

bool rtm_partition_owns(const rtm_partition_t *p, const void *ptr)
{
    uintptr_t a = (uintptr_t)ptr;
    return p != NULL && p->mem != NULL && a >= (uintptr_t)p->mem &&
           a < (uintptr_t)p->mem + p->size;
}

rtm_err_t rtm_partition_free(rtm_partition_t *p, void *ptr)
{
    if (p == NULL) {
        return RTM_ERR_NULL;
    }
    if (ptr == NULL) {
        return RTM_OK;
    }
    if (!rtm_partition_owns(p, ptr)) {
        return rtm_fault_raise(&p->fault, RTM_ERR_FOREIGN_PTR, p, ptr);
    }
    return rtm_alloc_free(&p->alloc, ptr);
}

rtm_err_t rtm_partition_reset(rtm_partition_t *p)
{
    if (p == NULL || p->mem == NULL) {
        return RTM_ERR_NULL;
    }
    return p->alloc.ops->init(p->alloc.inst, p->mem, p->size, p->param);
}

rtm_err_t rtm_partition_stats(const rtm_partition_t *p, rtm_stats_t *out)
{
    if (p == NULL || out == NULL) {
        return RTM_ERR_NULL;
    }
    rtm_err_t e = rtm_alloc_stats(&p->alloc, out);
    if (e == RTM_OK) {
        out->faults += p->fault.count;
    }
    return e;
}

rtm_err_t rtm_partition_check(const rtm_partition_t *p, rtm_check_t *report)
{
    if (p == NULL) {
        return RTM_ERR_NULL;
    }
    return rtm_alloc_check(&p->alloc, report);
}

/* ---- Quotas ---------------------------------------------------------------- */

_Static_assert(RTM_QUOTA_HEADER % RTM_MAX_ALIGN == 0u, "quota header keeps alignment");

static rtm_quota_hdr_t *hdr_of(void *user)
{
    return (rtm_quota_hdr_t *)(void *)((uint8_t *)user - RTM_QUOTA_HEADER);
}

static uint32_t fold(uintptr_t v)
{
    return (uint32_t)v ^ (uint32_t)(v >> 16 >> 16);
}

/* The check value over the whole header: its address (a copied or stale
 * header does not pass), owner, size and both links, so an application's
 * write over any of them is seen before the value is used or followed.
 * Every change of a link reseals the header it is in. */
static uint16_t tag_of(const rtm_quota_hdr_t *h)
{
    uint32_t x = fold((uintptr_t)h) ^ ((uint32_t)h->owner << 3) ^ 0x5A17u;
    x = (x ^ fold((uintptr_t)h->prev)) * 0x9E3779B1u;
    x = (x ^ fold((uintptr_t)h->next)) * 0x85EBCA6Bu;
    x = (x ^ fold(h->size)) * 0xC2B2AE35u;
    return (uint16_t)(x ^ (x >> 16) ^ 0x9E37u);
}

static void seal(rtm_quota_hdr_t *h)
{
    h->tag = tag_of(h);
}

static rtm_quota_owner_t *row_of(const rtm_quota_t *q, rtm_owner_t owner)
{
    for (size_t i = 0; i < q->nrows; i++) {
        if (q->rows[i].owner == owner) {
            return &q->rows[i];
        }
    }
    return NULL;
}

/* A live header that checks: its value over every field, a known owner and
 * a size its owner is still charged for. */
static bool hdr_ok(const rtm_quota_t *q, const rtm_quota_hdr_t *h)
{
    const rtm_quota_owner_t *r = h->tag == tag_of(h) ? row_of(q, h->owner) : NULL;
    return r != NULL && h->size <= r->use.live_bytes;
}

/* May a header be read at `h`: aligned and, when the range is set, inside. */
static bool readable(const rtm_quota_t *q, const rtm_quota_hdr_t *h)
{
    uintptr_t a = (uintptr_t)h;
    return h != NULL && (a % _Alignof(rtm_quota_hdr_t)) == 0u &&
           (q->lo == NULL || (a >= (uintptr_t)q->lo && a < (uintptr_t)q->hi &&
                              (uintptr_t)q->hi - a >= sizeof(rtm_quota_hdr_t)));
}

/* A header that does not check but that the live list points at belongs to
 * a live block whose header was overwritten (RTM_ERR_CORRUPT); otherwise the
 * pointer is foreign, interior or freed. Links are only probed inside the
 * range (without one, only the list's head is compared). */
static rtm_err_t why_bad(const rtm_quota_t *q, const rtm_quota_hdr_t *h)
{
    bool probe = q->lo != NULL;
    bool linked = q->live == h ||
                  (probe && readable(q, h->prev) && h->prev->next == h) ||
                  (probe && readable(q, h->next) && h->next->prev == h);
    return linked ? RTM_ERR_CORRUPT : RTM_ERR_FOREIGN_PTR;
}

rtm_err_t rtm_quota_init(rtm_quota_t *q, const rtm_alloc_t *heap, rtm_quota_owner_t *rows,
                         size_t n, rtm_fault_fn fault, void *user)
{
    if (q == NULL) {
        return RTM_ERR_NULL;
    }
    memset(q, 0, sizeof *q);
    rtm_fault_init(&q->fault);
    q->fault.hook = fault;
    q->fault.user = user;
    if (heap == NULL || heap->ops == NULL || heap->inst == NULL || rows == NULL) {
        return rtm_fault_raise(&q->fault, RTM_ERR_NULL, q, rows);
    }
    if (n == 0u) {
        return rtm_fault_raise(&q->fault, RTM_ERR_ARG, q, rows);
    }
    memset(rows, 0, n * sizeof rows[0]);
    q->heap = *heap;
    q->rows = rows;
    q->nrows = n;
    return RTM_OK;
}

void rtm_quota_set_range(rtm_quota_t *q, const void *lo, const void *hi)
{
    if (q != NULL) {
        q->lo = lo;
        q->hi = hi;
    }
}

rtm_err_t rtm_quota_set(rtm_quota_t *q, rtm_owner_t owner, size_t max_bytes, size_t max_blocks)
{
    if (q == NULL || q->rows == NULL) {
        return RTM_ERR_NULL;
    }
    if (owner == RTM_OWNER_NONE || max_bytes == 0u || max_blocks == 0u) {
        return rtm_fault_raise(&q->fault, RTM_ERR_ARG, q, NULL);
    }
    rtm_quota_owner_t *r = row_of(q, owner);
    if (r == NULL) {
        r = row_of(q, RTM_OWNER_NONE);
        if (r == NULL) {
            return RTM_ERR_NO_MEMORY;
        }
        r->owner = owner;
    }
    r->max_bytes = max_bytes;
    r->max_blocks = max_blocks;
    return RTM_OK;
}

rtm_err_t rtm_quota_alloc(rtm_quota_t *q, rtm_owner_t owner, size_t size, void **out)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (q == NULL || out == NULL || q->rows == NULL) {
        return RTM_ERR_NULL;
    }
    rtm_quota_owner_t *r = owner != RTM_OWNER_NONE ? row_of(q, owner) : NULL;
    if (r == NULL || size == 0u) {
        q->unknown += r == NULL ? 1u : 0u;
        return RTM_ERR_ARG;
    }
    if (rtm_add_overflows(size, RTM_QUOTA_HEADER)) {
        r->use.fails++;
        return RTM_ERR_OVERFLOW;
    }
    if (r->use.live_blocks >= r->max_blocks || r->use.live_bytes >= r->max_bytes ||
        size > r->max_bytes - r->use.live_bytes) {
        r->use.fails++;
        r->over_quota++;
        return RTM_ERR_QUOTA;
    }
    /* the head's header is rewritten below: it must check first */
    rtm_quota_hdr_t *head = q->live;
    if (head != NULL && (!hdr_ok(q, head) || head->prev != NULL)) {
        r->use.fails++;
        return rtm_fault_raise(&q->fault, RTM_ERR_CORRUPT, q, head);
    }
    rtm_quota_hdr_t *h = rtm_alloc_alloc(&q->heap, size + RTM_QUOTA_HEADER);
    if (h == NULL) {
        r->use.fails++;
        return RTM_ERR_NO_MEMORY;
    }
    h->size = size;
    h->owner = owner;
    h->prev = NULL;
    h->next = head;
    seal(h);
    if (head != NULL) {
        head->prev = h;
        seal(head);
    }
    q->live = h;
    r->use.live_bytes += size;
    r->use.live_blocks++;
    r->use.allocs++;
    if (r->use.live_bytes > r->use.peak_bytes) {
        r->use.peak_bytes = r->use.live_bytes;
    }
    *out = (uint8_t *)h + RTM_QUOTA_HEADER;
    return RTM_OK;
}

rtm_err_t rtm_quota_alloc_current(rtm_quota_t *q, size_t size, void **out)
{
    return rtm_quota_alloc(q, rtm_owner_current(), size, out);
}

/* Unlink a live block (its header checked) and credit its owner; then the
 * heap takes it back. The neighbours' headers are rewritten, so they must
 * check and point back at h first:
 *   [prev] <-> [h] <-> [next]   ->   [prev] <-> [next]
 */
static rtm_err_t give_back(rtm_quota_t *q, rtm_quota_owner_t *r, rtm_quota_hdr_t *h)
{
    rtm_quota_hdr_t *prev = h->prev, *next = h->next;
    size_t size = h->size;
    bool linked = (prev == NULL ? q->live == h : hdr_ok(q, prev) && prev->next == h) &&
                  (next == NULL || (hdr_ok(q, next) && next->prev == h));
    if (!linked) {
        return rtm_fault_raise(&q->fault, RTM_ERR_CORRUPT, q, h);
    }
    uint16_t tag = h->tag;
    h->tag = (uint16_t)~tag; /* a second free no longer checks */
    rtm_err_t e = rtm_alloc_free(&q->heap, h);
    if (e != RTM_OK) {
        h->tag = tag; /* the heap refused: the block stays live */
        return e;
    }
    if (prev != NULL) {
        prev->next = next;
        seal(prev);
    } else {
        q->live = next;
    }
    if (next != NULL) {
        next->prev = prev;
        seal(next);
    }
    r->use.live_bytes -= size;
    r->use.live_blocks--;
    r->use.frees++;
    return RTM_OK;
}

rtm_err_t rtm_quota_free(rtm_quota_t *q, void *ptr)
{
    if (q == NULL) {
        return RTM_ERR_NULL;
    }
    if (ptr == NULL) {
        return RTM_OK;
    }
    uintptr_t a = (uintptr_t)ptr;
    bool in_range = q->lo == NULL ||
                    (a >= (uintptr_t)q->lo + RTM_QUOTA_HEADER && a < (uintptr_t)q->hi);
    if (!in_range || (a % _Alignof(rtm_quota_hdr_t)) != 0u) {
        return rtm_fault_raise(&q->fault, RTM_ERR_FOREIGN_PTR, q, ptr);
    }
    rtm_quota_hdr_t *h = hdr_of(ptr);
    if (!hdr_ok(q, h)) {
        return rtm_fault_raise(&q->fault, why_bad(q, h), q, ptr);
    }
    return give_back(q, row_of(q, h->owner), h);
}

size_t rtm_quota_release(rtm_quota_t *q, rtm_owner_t owner)
{
    if (q == NULL || owner == RTM_OWNER_NONE) {
        return 0u;
    }
    rtm_quota_owner_t *r = row_of(q, owner);
    size_t n = 0u;
    rtm_quota_hdr_t *h = q->live;
    /* every header is checked before its link is followed; the walk stops
     * at the first damage (reported once) */
    while (h != NULL && r != NULL) {
        if (!hdr_ok(q, h)) {
            (void)rtm_fault_raise(&q->fault, RTM_ERR_CORRUPT, q, h);
            break;
        }
        rtm_quota_hdr_t *next = h->next;
        if (h->owner == owner) {
            rtm_err_t e = give_back(q, r, h);
            if (e == RTM_ERR_CORRUPT) {
                break;
            }
            n += e == RTM_OK ? 1u : 0u;
        }
        h = next;
    }
    return n;
}

rtm_err_t rtm_quota_owner_stats(const rtm_quota_t *q, rtm_owner_t owner, rtm_quota_owner_t *out)
{
    if (q == NULL || out == NULL) {
        return RTM_ERR_NULL;
    }
    const rtm_quota_owner_t *r = owner != RTM_OWNER_NONE ? row_of(q, owner) : NULL;
    if (r == NULL) {
        return RTM_ERR_ARG;
    }
    *out = *r;
    return RTM_OK;
}

rtm_err_t rtm_quota_check(const rtm_quota_t *q, rtm_check_t *report)
{
    rtm_check_t own;
    if (q == NULL) {
        return RTM_ERR_NULL;
    }
    if (report == NULL) { /* the result alone, as every scheme's check */
        report = &own;
    }
    memset(report, 0, sizeof *report);
    report->what = "ok";
    for (size_t i = 0; i < q->nrows; i++) {
        const rtm_quota_owner_t *r = &q->rows[i];
        if (r->owner == RTM_OWNER_NONE) {
            continue;
        }
        size_t bytes = 0u, blocks = 0u;
        const rtm_quota_hdr_t *back = NULL;
        for (const rtm_quota_hdr_t *h = q->live; h != NULL; back = h, h = h->next) {
            if (h->tag != tag_of(h) || row_of(q, h->owner) == NULL || h->prev != back) {
                return rtm_check_fail(report, RTM_ERR_CORRUPT, h, "quota header damaged");
            }
            if (h->owner == r->owner) {
                bytes += h->size;
                blocks++;
            }
        }
        /* not against the budget: rtm_quota_set may lower it below what the
         * owner holds, which only refuses its next allocations */
        if (bytes != r->use.live_bytes || blocks != r->use.live_blocks ||
            r->use.live_bytes > r->use.peak_bytes) {
            return rtm_check_fail(report, RTM_ERR_CORRUPT, r, "owner counters disagree with live blocks");
        }
        report->blocks += blocks;
    }
    rtm_check_t heap;
    rtm_err_t e = rtm_alloc_check(&q->heap, &heap);
    if (e != RTM_OK) {
        *report = heap;
    }
    return e;
}
