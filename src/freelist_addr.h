/*
 * The address-ordered discipline of the free-list core (heap_4 and heap_5):
 * the link checks, first-fit allocation and the free that merges, as
 * forced-inline steps taking the region count (`one`: heap_4's single span,
 * a constant) as a parameter. Included by src/freelist.c (heap_5's entry
 * points, any number of regions) and src/heap4.c, whose public entry points
 * are the one-span instances themselves (no wrapper call on the way).
 *
 * Behaviour matched to FreeRTOS-Kernel V11.1.0 portable/MemMang heap_4.c and
 * heap_5.c; see src/freelist.c and rtmem/freelist.h.
 */
#ifndef RTM_FREELIST_ADDR_H
#define RTM_FREELIST_ADDR_H

#include "freelist_core.h"

/* ---- Link checks -------------------------------------------------------------- */

/* log2 of the alignment, and a rotation right by it: an aligned distance
 * becomes distance / A, a misaligned one a number above any heap size. */
#define FL_SHIFT                                                             \
    (FL_ALIGN == 4u ? 2u : FL_ALIGN == 8u ? 3u : FL_ALIGN == 16u ? 4u :        \
     FL_ALIGN == 32u ? 5u : 6u)

static inline uintptr_t rotr(uintptr_t x)
{
    return (x >> FL_SHIFT) | (x << (sizeof(uintptr_t) * 8u - FL_SHIFT));
}

/* Walk position for the link checks of the address-ordered list. The walk
 * measures every element by its distance below a reference point `ref` (the
 * last end marker, or the block being freed), in rotated form: dist(n) =
 * rotr(ref) - rotr(n). rotr is a bijection, and for aligned n in
 * [ref - A * D, ref] dist(n) = (ref - n) / A < D; so dist(n) < D holds for
 * exactly those D aligned addresses and for nothing else (a misaligned or
 * out-of-range n lands at or above D). `dist` is the distance of the element
 * last accepted, `si` its region. On Thumb-2 the distance is one subtraction
 * with a rotated operand, so a link costs that, one comparison and a branch. */
typedef struct {
    uintptr_t ref; /* rotr(reference point) */
    uintptr_t dist;
    size_t si;
} walk_t;

/* A walk measured below `ref` that has accepted `from` (region si). */
static inline walk_t walk_from(uintptr_t ref, uintptr_t from, size_t si)
{
    walk_t w = {rotr(ref), rotr(ref) - rotr(from), si};
    return w;
}

/* A walk from the head (which stands A below the first region) up to the
 * last end marker: the head's distance below the marker is set at init. */
static inline walk_t walk_head(const rtm_fl_t *fl)
{
    walk_t w = {rotr(addr(fl->end)), fl->head_units, 0u};
    RTM_ASSERT(w.dist == rotr(addr(fl->end)) - rotr(span_first(fl, 0) - FL_ALIGN));
    return w;
}

/* May the address-ordered list go on to `n`? n must be aligned, lie above
 * the element last accepted and at most at the reference point: one
 * distance and one comparison cover all three. With several regions n must
 * also lie inside one; w->si only moves up. */
FL_CORE bool link_in(const rtm_fl_t *fl, walk_t *w, uintptr_t n, bool one)
{
    uintptr_t d = w->ref - rotr(n);
    if (d >= w->dist) {
        return false;
    }
    w->dist = d;
    if (one) {
        return true;
    }
    while (n > span_end(fl, w->si)) {
        w->si++; /* ends: n <= the reference <= the last region's marker */
    }
    RTM_ASSERT(w->si < fl->nspans);
    return n >= span_first(fl, w->si);
}

/* ---- Allocation ------------------------------------------------------------- */
/* heap_4/5 first fit: walk the address-ordered list from the head, every
 * link checked before it is followed, to the first element of at least
 * `want` bytes (*found; *prev the one before it); the end marker's size
 * word stops the walk. False when a link fails its check (*prev: the element
 * holding it). Unrolled by two, as walk_below. */
FL_CORE bool walk_fit(rtm_fl_t *fl, walk_t *w, link_t **prev, link_t **found, size_t want,
                      bool one)
{
    link_t *x = &fl->head;
    link_t *y;
    for (;;) {
        y = enc(fl, x->next);
        if (!link_in(fl, w, addr(y), one)) {
            *prev = x;
            return false;
        }
        if (y->size >= want) {
            *prev = x;
            *found = y;
            return true;
        }
        x = enc(fl, y->next);
        if (!link_in(fl, w, addr(x), one)) {
            *prev = y;
            return false;
        }
        if (x->size >= want) {
            *prev = y;
            *found = x;
            return true;
        }
    }
}

/* heap_4/5 first fit (walk_fit), then the found block and its successor
 * link proven sane before anything changes: its link `nx` and its end `nxt`
 * lie above it, aligned, at most at the last marker (one distance and one
 * comparison each, as in the walk; for nxt that also says its size is
 * aligned and does not wrap, and the walk stopped on size >= want > H), its
 * end within its own span (heap_5), and what follows it is the span's end,
 * the next listed block or an allocated block (free neighbours merge). With
 * poisoning, the user bytes take() hands out must be untouched (only those:
 * a rest split off keeps its poison, verified when it is handed out). */
FL_CORE void *alloc_addr(rtm_fl_t *fl, size_t n, bool one)
{
    link_t *prev;
    link_t *blk = NULL; /* set when walk_fit succeeds; -Og cannot see it */
    walk_t w;
    size_t m = n - 1u; /* n == 0 wraps to SIZE_MAX */
    /* the block size, computed before the gate (nothing is touched): only
     * it is kept across the gate's call */
    size_t want = (m + (FL_HDR + FL_ALIGN)) & ~(FL_ALIGN - 1u);
    uintptr_t nx, nxt, e, dnxt;
    if (RTM_GATE(&fl->fault, fl, n)) {
        return fail_alloc(fl);
    }
    /* heap_4: m + H + A wraps (want < H + A) for n == 0 and for n whose
     * block size wraps; any other n above FL_MAX_REQUEST has a block size
     * of 2^(N-1) or more, above the free bytes (init keeps the heap under
     * that), so the free bytes test below refuses it. heap_5's free bytes
     * can reach 2^(N-1): n is tested. */
    if (one ? want < FL_HDR + FL_ALIGN : m >= FL_MAX_REQUEST) {
        return fail_alloc(fl);
    }
    if (want > fl->free_bytes) {
        return fail_alloc(fl);
    }
    RTM_ASSERT(n - 1u < FL_MAX_REQUEST && want == RTM_FL_BLOCK_SIZE(n));
    w = walk_head(fl);
    if (!walk_fit(fl, &w, &prev, &blk, want, one)) {
        return corrupt(fl, prev);
    }
    nx = addr(enc(fl, blk->next));
    nxt = addr(blk) + blk->size;
    e = one ? addr(fl->end) : span_end(fl, w.si);
    {
        /* nx, measured below the marker as the walk measures: above blk,
         * aligned, at most the marker. The walk stops on the last marker
         * too (its size word holds the allocated bit): the marker stands at
         * distance 0, so no link passes from it, and this refusal is where
         * a request that nothing fits ends, off the common path. */
        walk_t wn = w;
        if (!link_in(fl, &wn, nx, one) || (!one && nxt > e)) {
            return blk == fl->end ? fail_alloc(fl) : corrupt(fl, blk);
        }
        /* What follows blk: nx itself (a free block or the marker, which
         * passed the test above), for heap_5 its span's end, or an
         * allocated block (free neighbours merge) at blk's end nxt, which
         * then lies above blk, aligned, below nx (nx may not lie inside
         * blk, even when blk reaches its span's end). For one span,
         * nxt == e implies nxt == nx. */
        if (nxt != nx) {
            dnxt = w.ref - rotr(nxt);
            if (dnxt >= w.dist || dnxt < wn.dist ||
                ((one || nxt != e) && !rtm_fl_live(fl, at(nxt)))) {
                return corrupt(fl, blk);
            }
        }
        if (!rtm_fl_poisoned(fl, addr(blk) + FL_HDR,
                             blk->size - want > RTM_FL_MIN_BLOCK ? addr(blk) + want : nxt)) {
            return corrupt(fl, blk);
        }
    }
    RTM_ASSERT(blk->size >= want && want > FL_HDR);
    return take(fl, prev, blk, prev, want);
}

/* The event report around every placement (the gate is alloc_addr's). */
FL_CORE void *alloc_gated(rtm_fl_t *fl, size_t n, bool one)
{
    return alloc_done(fl, n, alloc_addr(fl, n, one));
}

/* ---- Free ------------------------------------------------------------------- */

/* heap_4/5 free: walk the address-ordered list from the head while the
 * links lead on below the block being freed (w measures below it, so one
 * test per link is both the link check and the stop test). Returns the
 * element holding the first link that does not (normally the last free
 * block below, its link the first one above, checked by the caller).
 * Unrolled by two, so that the two positions trade registers instead of
 * being copied at every step; the link is read again by the caller rather
 * than carried out of the loop. */
FL_CORE link_t *walk_below(rtm_fl_t *fl, walk_t *w, bool one)
{
    link_t *x = &fl->head;
    link_t *y;
    for (;;) {
        y = enc(fl, x->next);
        if (!link_in(fl, w, addr(y), one)) {
            return x;
        }
        x = enc(fl, y->next);
        if (!link_in(fl, w, addr(x), one)) {
            return y;
        }
    }
}

/* The rare exits of free, out of line so the common path stays short: p
 * NULL (nothing to do), p not the user pointer of an allocated block (the
 * fault names why), or, for one that is, a size word whose end is not
 * within the heap (damaged). The NULL test lives here because a NULL p
 * never passes the common path's pointer test: its header would stand at
 * 0 - H, above every span (init plans each one to end at most H + A below
 * the top of the address space). One copy for one span (heap_4), one for
 * several (heap_5); heap_4's finds the span from the instance, as its free
 * does (the marker and the usable size below it), not from the span table. */
FL_CORE rtm_err_t bad_free(rtm_fl_t *fl, const link_t *blk, bool one)
{
    const rtm_fl_span_t *s;
    void *p = at(addr(blk) + FL_HDR);
    const void *where = p;
    uintptr_t e = addr(fl->end);
    rtm_err_t err;
    if (p == NULL) {
        return RTM_OK;
    }
    if (!one) {
        err = locate(fl, p, &s, one);
    } else if (e - addr(blk) - 1u >= fl->total_bytes) {
        err = RTM_ERR_FOREIGN_PTR; /* not in [end - total, end): the span */
    } else if ((addr(p) & (FL_ALIGN - 1u)) != 0u) {
        err = RTM_ERR_INTERIOR_PTR;
    } else {
        err = rtm_fl_live(fl, blk) ? RTM_OK : why_not_live(blk, e);
    }
    if (err == RTM_OK) {
        err = RTM_ERR_CORRUPT;
        where = blk;
    }
    return rtm_fault_raise(&fl->fault, err, fl, where);
}

FL_COLD static rtm_err_t bad_free1(rtm_fl_t *fl, const link_t *blk)
{
    return bad_free(fl, blk, true);
}

FL_COLD static rtm_err_t bad_freen(rtm_fl_t *fl, const link_t *blk)
{
    return bad_free(fl, blk, false);
}

/* heap_4/5: find blk's list neighbours, every link checked, and prove them
 * sane before anything changes: prev ends at or below blk, nx starts at or
 * above blk's end, and a following nx that will be merged has a size that
 * ends at or below its own successor. Then merge:
 *   [prev][blk]        -> [----prev----]
 *   [blk][nx]          -> [----blk-----]   (not when nx is the list end;
 *                                           a zero-size region marker merges)
 *   [prev][blk][nx]    -> [--------prev--------]                         */
FL_CORE rtm_err_t free_addr(rtm_fl_t *fl, void *p, bool one)
{
    link_t *blk = at(addr(p) - FL_HDR);
    link_t *prev;
    link_t *nx;
    link_t *link;
    walk_t w, wb;
    uintptr_t bend, dbend, pend;
    size_t sz, psz, grown;
    size_t nsz = 0u; /* read only when merge_nx, which sets it */
    bool merge_nx;
    /* blk's origin hidden: the header is then addressed through blk, not
     * as p - H, so heap_4 keeps no register for p (no effect on behaviour) */
    FL_OPAQUE(blk);
    w = walk_from(addr(fl->end), addr(blk), 0u);
    /* heap_4: blk measured below the marker (w.dist) and, from that, above
     * the first block, where the walk below starts: (end - first) / A (=
     * total_bytes / A there) less w.dist, which is below total_bytes / A
     * exactly when w.dist is 1 to total_bytes / A: blk aligned and in
     * [first, end) in one comparison, as span_of and the alignment test of
     * live_ptr say; then the check word. The allocated bit is tested with
     * blk's end below: the size word with the bit flipped puts the end
     * 2^(N-1) bytes or more above blk, outside any span (init refuses larger
     * ones), so a header without the bit fails there, and bad_free
     * classifies it as live_ptr would have. */
    if (one) {
        FL_OPAQUE(w.dist); /* kept whole: not re-associated into wb.dist */
    }
    wb.dist = (fl->total_bytes >> FL_SHIFT) - w.dist;
    if (one ? wb.dist >= fl->total_bytes >> FL_SHIFT ||
                  blk->next != rtm_fl_chk(fl, blk, blk->size)
            : !live_ptr(fl, p, one)) {
        return one ? bad_free1(fl, blk) : bad_freen(fl, blk);
    }
    sz = blk->size ^ RTM_FL_USED_BIT;
    bend = addr(blk) + sz;
    /* blk's end measured below the last end marker: aligned, above blk and
     * at most the marker, or the size word is damaged */
    dbend = w.ref - rotr(bend);
    if (dbend >= w.dist) {
        return one ? bad_free1(fl, blk) : bad_freen(fl, blk);
    }
    /* below blk: the elements strictly under it, measured below blk - A,
     * from the head A below the first block: wb.dist above for one span */
    if (one) {
        wb.ref = rotr(addr(blk)) - 1u;
        wb.si = 0u;
    } else {
        wb = walk_from(addr(blk) - FL_ALIGN, span_first(fl, 0) - FL_ALIGN, 0u);
    }
    prev = walk_below(fl, &wb, one);
    FL_OPAQUE(prev);
    nx = enc(fl, prev->next);
    /* nx: aligned, from blk's end up to the marker (so above prev): at most
     * bend's distance below the marker; wb.si is prev's region, at or below
     * nx's */
    psz = prev->size;
    pend = addr(prev) + psz;
    if (one) {
        w.dist = w.ref - rotr(addr(nx));
        if (w.dist > dbend || pend > addr(blk)) {
            return rtm_fault_raise(&fl->fault, RTM_ERR_CORRUPT, fl, prev);
        }
    } else {
        w.dist = dbend + 1u;
        w.si = wb.si;
        if (!link_in(fl, &w, addr(nx), one) || pend > addr(blk)) {
            return rtm_fault_raise(&fl->fault, RTM_ERR_CORRUPT, fl, prev);
        }
    }
    /* nx measured below the marker (w.dist now): at bend's distance it
     * starts at bend (w.ref - rotr(x) is one-to-one) and merges, unless it
     * is the last marker (distance 0). For one span that case is told
     * apart off the common path: the marker's link never passes the check
     * below (nothing lies below distance 0). */
    merge_nx = w.dist == dbend && (one || dbend != 0u);
    link = enc(fl, nx);
    grown = sz;
    if (merge_nx) {
        link = nx->next;
        nsz = nx->size;
        if (!link_in(fl, &w, addr(enc(fl, link)), one) || nsz > addr(enc(fl, link)) - addr(nx)) {
            if (!one || dbend != 0u) {
                return rtm_fault_raise(&fl->fault, RTM_ERR_CORRUPT, fl, nx);
            }
            merge_nx = false;
            link = enc(fl, nx);
        } else {
            grown += nsz;
        }
    }
    RTM_ASSERT(bend <= addr(nx) && after(prev) <= addr(blk));
    RTM_ASSERT(merge_nx == (addr(nx) == bend && nx != fl->end));
    RTM_ASSERT(sz <= fl->total_bytes - fl->free_bytes); /* a live block */
    /* every size was read above: the headers do not overlap, but the
     * compiler would read them again after each store */
    blk->size = grown;
    fl->free_bytes += sz;
    fl->free_count++;
    if (merge_nx) {
        rtm_fl_poison(fl, addr(nx), addr(nx) + (nsz != 0u ? FL_HDR : 0u));
    }
    /* the head ends at 0 (init), so never at blk */
    if (pend == addr(blk)) {
        prev->size = psz + grown;
        rtm_fl_poison(fl, addr(blk), addr(blk) + FL_HDR);
        prev->next = link;
    } else {
        blk->next = link;
        prev->next = enc(fl, blk);
    }
    /* last, so that no list value is kept across a call: the user bytes
     * lie between the headers written above */
    wipe(fl, blk, sz);
    return RTM_OK;
}

#endif /* RTM_FREELIST_ADDR_H */
