/*
 * Statistics and integrity check of the free-list core (heap_2, heap_4,
 * heap_5): read-only walks of the free list and of every block. Every link
 * and size is checked before it is followed, so a damaged heap is reported,
 * never crashed on.
 */
#include "freelist.h"
#include "freelist_acc.h"

#include <string.h>

static inline bool is_used(const link_t *b)
{
    return (b->size & RTM_FL_USED_BIT) != 0u;
}

/* The span holding the header at `b`, or NULL. */
static const rtm_fl_span_t *span_of(const rtm_fl_t *fl, uintptr_t b)
{
    for (size_t i = 0; i < fl->nspans; i++) {
        if (b >= addr(fl->spans[i].first) && b < addr(fl->spans[i].end)) {
            return &fl->spans[i];
        }
    }
    return NULL;
}

/* Is `n` an end marker of a span other than the last (heap_5)? */
static bool is_inner_marker(const rtm_fl_t *fl, const link_t *n)
{
    for (size_t i = 0; i + 1u < fl->nspans; i++) {
        if (addr(n) == addr(fl->spans[i].end)) {
            return true;
        }
    }
    return false;
}

/* Can `n` follow `cur` in the list? The list end, or an aligned address inside
 * the heap, above `cur` when the list is in address order (which also stops a
 * damaged link from making a walk go round in circles). */
static bool link_ok(const rtm_fl_t *fl, const link_t *cur, const link_t *n)
{
    uintptr_t a = addr(n);
    if (n == fl->end) {
        return fl->by_size || cur == &fl->head || a > addr(cur);
    }
    if ((a & (FL_ALIGN - 1u)) != 0u || (span_of(fl, a) == NULL && !is_inner_marker(fl, n))) {
        return false;
    }
    return fl->by_size || cur == &fl->head || a > addr(cur);
}

/* One listed element: a marker of size 0 or a free block inside a span. */
static rtm_err_t check_listed(const rtm_fl_t *fl, const link_t *n, rtm_check_t *r)
{
    const rtm_fl_span_t *s = span_of(fl, addr(n));
    if (!fl->by_size && is_inner_marker(fl, n)) {
        return n->size == 0u ? RTM_OK
                             : rtm_check_fail(r, RTM_ERR_CORRUPT, n, "region marker has a size");
    }
    if (is_used(n) || n->size <= FL_HDR || n->size > addr(s->end) - addr(n)) {
        return rtm_check_fail(r, RTM_ERR_CORRUPT, n, "free block size is damaged");
    }
    r->free_blocks++;
    r->free_bytes += n->size;
    return RTM_OK;
}

/* Walk the free list: in bounds, in order, sizes sane, counters agree. The
 * step limit stops a damaged size-ordered list that loops. */
static rtm_err_t check_list(const rtm_fl_t *fl, rtm_check_t *r)
{
    size_t limit = fl->total_bytes / FL_HDR + fl->nspans + 1u;
    const link_t *cur = &fl->head;
    const link_t *n = rtm_fl_dec(fl, cur->next);
    for (;; cur = n, n = rtm_fl_dec(fl, n->next)) {
        if (limit-- == 0u || !link_ok(fl, cur, n) ||
            (fl->by_size && cur != &fl->head && n != fl->end && n->size < cur->size)) {
            return rtm_check_fail(r, RTM_ERR_CORRUPT, cur, "free list is out of order or loops");
        }
        if (n == fl->end) {
            break;
        }
        if (check_listed(fl, n, r) != RTM_OK) {
            return r->err;
        }
    }
    if (n->next != rtm_fl_dec(fl, NULL) ||
        (!fl->by_size && n->size != RTM_FL_END_SIZE)) {
        return rtm_check_fail(r, RTM_ERR_CORRUPT, n, "list end is damaged");
    }
    if (r->free_bytes != fl->free_bytes) {
        return rtm_check_fail(r, RTM_ERR_CORRUPT, NULL, "free byte count disagrees with the list");
    }
    return RTM_OK;
}

/* The next listed real block at or after `n` (markers skipped). */
static const link_t *skip_markers(const rtm_fl_t *fl, const link_t *n)
{
    while (n != fl->end && n->size == 0u) {
        n = rtm_fl_dec(fl, n->next);
    }
    return n;
}

/* One physical block `b` of a span during the walk; `*want` is the next free
 * block the address-ordered list says comes. */
static rtm_err_t check_block(const rtm_fl_t *fl, const link_t *b, uintptr_t end,
                             const link_t **want, bool *prev_free, rtm_check_t *r)
{
    size_t sz = bsize(b);
    r->blocks++;
    if (sz <= FL_HDR || sz > end - addr(b) || (!fl->by_size && (sz & (FL_ALIGN - 1u)) != 0u)) {
        return rtm_check_fail(r, RTM_ERR_CORRUPT, b, "block size is damaged");
    }
    if (is_used(b)) {
        *prev_free = false;
        return rtm_fl_live(fl, b)
                   ? RTM_OK
                   : rtm_check_fail(r, RTM_ERR_CORRUPT, b, "allocated block check word is damaged");
    }
    if (!fl->by_size && (*prev_free || b != *want)) {
        return rtm_check_fail(r, RTM_ERR_CORRUPT, b,
                              *prev_free ? "adjacent free blocks not merged"
                                         : "free block missing from the list");
    }
    for (const uint8_t *q = (const uint8_t *)b + FL_HDR; RTM_FL_POISON && addr(q) < addr(b) + sz; q++) {
        if (*q != RTM_FL_POISON_BYTE && (*q != 0u || !fl->clear_on_free)) {
            return rtm_check_fail(r, RTM_ERR_CORRUPT, q, "freed memory was written to");
        }
    }
    *prev_free = true;
    if (!fl->by_size) {
        *want = skip_markers(fl, rtm_fl_dec(fl, b->next));
    }
    return RTM_OK;
}

/* Walk every span block by block; the blocks must tile it exactly. */
static rtm_err_t check_spans(const rtm_fl_t *fl, rtm_check_t *r, size_t *used, size_t *nfree)
{
    const link_t *want = skip_markers(fl, rtm_fl_dec(fl, fl->head.next));
    size_t before = r->blocks;
    for (size_t i = 0; i < fl->nspans; i++) {
        bool prev_free = false;
        uintptr_t end = addr(fl->spans[i].end);
        for (uintptr_t q = addr(fl->spans[i].first); q < end; q += bsize(at(q))) {
            if (check_block(fl, at(q), end, &want, &prev_free, r) != RTM_OK) {
                return r->err;
            }
            *used += is_used(at(q)) ? 1u : 0u;
        }
    }
    *nfree = r->blocks - before - *used;
    if (!fl->by_size && want != fl->end) {
        return rtm_check_fail(r, RTM_ERR_CORRUPT, want, "listed block is not in the heap walk");
    }
    return RTM_OK;
}

rtm_err_t rtm_fl_check(const rtm_fl_t *fl, rtm_check_t *report)
{
    rtm_check_t tmp;
    rtm_check_t *r = (report != NULL) ? report : &tmp;
    size_t used = 0, nfree = 0;
    memset(r, 0, sizeof *r);
    r->what = "ok";
    if (fl == NULL) {
        return rtm_check_fail(r, RTM_ERR_NULL, NULL, "no instance");
    }
    if (check_list(fl, r) != RTM_OK || check_spans(fl, r, &used, &nfree) != RTM_OK) {
        return r->err;
    }
    if (used != fl->alloc_count - fl->free_count || nfree != r->free_blocks) {
        return rtm_check_fail(r, RTM_ERR_CORRUPT, NULL, "block counts disagree with the list");
    }
    return RTM_OK;
}

/* ---- Statistics ------------------------------------------------------------- */

/* vPortGetHeapStats: every listed element before the end counts as a free
 * block (heap_5's zero-size markers too), the smallest ignores size 0. The
 * walk stops at a link the checks reject (the check reports it). */
void rtm_fl_stats(const rtm_fl_t *fl, rtm_stats_t *out)
{
    size_t smallest = SIZE_MAX;
    const link_t *b, *cur;
    if (out == NULL) {
        return;
    }
    memset(out, 0, sizeof *out);
    if (fl == NULL) {
        return;
    }
    cur = &fl->head;
    for (b = rtm_fl_dec(fl, cur->next); b != fl->end; cur = b, b = rtm_fl_dec(fl, b->next)) {
        if (!link_ok(fl, cur, b)) {
            break;
        }
        out->free_blocks++;
        out->largest_free = b->size > out->largest_free ? b->size : out->largest_free;
        if (b->size != 0u && b->size < smallest) {
            smallest = b->size;
        }
        if (out->free_blocks > fl->total_bytes / FL_HDR + fl->nspans) {
            break; /* a damaged size-ordered list that loops */
        }
    }
    out->smallest_free = (smallest == SIZE_MAX) ? 0u : smallest;
    out->total_bytes = fl->total_bytes;
    out->free_bytes = fl->free_bytes;
    out->min_ever_free = fl->min_ever_free;
    out->used_blocks = fl->alloc_count - fl->free_count;
    out->alloc_count = fl->alloc_count;
    out->free_count = fl->free_count;
    out->failed_allocs = fl->failed_allocs;
    out->faults = fl->fault.count;
}
