/*
 * Free-list core, heap_2's size-ordered discipline: best-fit allocation from
 * the size-ordered list and the free that files a block before the first one
 * at least as large (no merging). The shared steps are in freelist_core.h,
 * heap_4/5's address order in freelist_addr.h.
 */
#include "freelist_core.h"

/* heap_2: a link is the tail or an aligned block address inside the span. */
static bool link_ok_size(const rtm_fl_t *fl, const link_t *n)
{
    uintptr_t a = addr(n);
    return n == fl->end ||
           ((a & (FL_ALIGN - 1u)) == 0u && a - span_first(fl, 0) < span_end(fl, 0) - span_first(fl, 0));
}

/* May the free block `blk` of span end `e` be trusted for a block of `want`
 * bytes (its size is at least that)? Its size must fit the span (heap_2 does
 * not merge, so only the span bound holds for what follows it; its last
 * block may be unaligned). With poisoning, the user bytes take() hands out
 * must be untouched: only those, so the check costs what the caller gets (a
 * rest split off keeps its poison, verified when it is handed out in turn,
 * and by the check). */
static bool fits(const rtm_fl_t *fl, const link_t *blk, uintptr_t e, size_t want)
{
    uintptr_t s = blk->size;
    if (s > e - addr(blk) || s <= FL_HDR) {
        return false;
    }
    RTM_ASSERT(s >= want);
    return rtm_fl_poisoned(fl, addr(blk) + FL_HDR,
                           s - want > RTM_FL_MIN_BLOCK ? addr(blk) + want : addr(blk) + s);
}

/* ---- Allocation ------------------------------------------------------------- */

/* heap_2: the last element whose successor is smaller than `size` (where a
 * block of `size` bytes goes), every link checked, the steps bounded (a
 * damaged list cannot loop). NULL if a link is damaged. */
static link_t *size_slot(rtm_fl_t *fl, size_t size)
{
    size_t steps = fl->total_bytes / FL_HDR + 2u;
    link_t *it = &fl->head;
    for (;;) {
        link_t *n = enc(fl, it->next);
        if (steps-- == 0u || !link_ok_size(fl, n)) {
            return NULL;
        }
        if (n->size >= size) {
            return it;
        }
        it = n;
    }
}

/* heap_2 best fit: the first block at least `want` in the size-ordered list;
 * the rest's slot is looked up before anything changes. */
static void *alloc_size(rtm_fl_t *fl, size_t n)
{
    link_t *prev, *blk, *slot;
    size_t want;
    if (n - 1u >= FL_MAX_REQUEST) {
        return fail_alloc(fl);
    }
    want = RTM_FL_BLOCK_SIZE(n);
    if (want > fl->free_bytes) {
        return fail_alloc(fl);
    }
    prev = size_slot(fl, want);
    if (prev == NULL) {
        return corrupt(fl, fl);
    }
    blk = enc(fl, prev->next);
    if (blk == fl->end) {
        return fail_alloc(fl);
    }
    /* blk's own link too: take() moves it into the list, where an unchecked
     * damaged link would only be found by a later call */
    if (!fits(fl, blk, span_end(fl, 0), want) || !link_ok_size(fl, enc(fl, blk->next))) {
        return corrupt(fl, blk);
    }
    slot = prev;
    if (blk->size - want > RTM_FL_MIN_BLOCK) {
        /* the same after blk leaves the list: blk is larger than the rest */
        slot = size_slot(fl, blk->size - want);
        if (slot == NULL) {
            return corrupt(fl, fl);
        }
    }
    return take(fl, prev, blk, slot, want);
}

void *rtm_fl_alloc_size(rtm_fl_t *fl, size_t n)
{
    return alloc_done(fl, n, RTM_GATE(&fl->fault, fl, n) ? fail_alloc(fl) : alloc_size(fl, n));
}

/* ---- Free ------------------------------------------------------------------- */

/* heap_2: O(1) header check, then the block goes before the first listed
 * block at least as large. */
static rtm_err_t free_size(rtm_fl_t *fl, void *p)
{
    link_t *blk = at(addr(p) - FL_HDR);
    link_t *slot;
    if (p == NULL) {
        return RTM_OK;
    }
    if (!live_ptr(fl, p, true)) {
        return rtm_fault_raise(&fl->fault, why_not_ptr(fl, p, true), fl, p);
    }
    slot = size_slot(fl, bsize(blk));
    if (slot == NULL) {
        return rtm_fault_raise(&fl->fault, RTM_ERR_CORRUPT, fl, p);
    }
    release(fl, blk);
    blk->next = slot->next;
    slot->next = enc(fl, blk);
    return RTM_OK;
}

rtm_err_t rtm_fl_free_size(rtm_fl_t *fl, void *p)
{
    return freed(fl, p, free_size(fl, p));
}
