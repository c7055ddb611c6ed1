/*
 * Free-list core shared by heap_2, heap_4 and heap_5: allocation and free
 * (set-up in freelist_init.c, statistics and the integrity check in
 * freelist_check.c).
 *
 * Behaviour matched to FreeRTOS-Kernel V11.1.0 portable/MemMang heap_2.c,
 * heap_4.c and heap_5.c (the numbers are the same in V11.2.0); written from
 * the layout rules, not from the upstream text. See rtmem/freelist.h for the
 * layout and the damage checks.
 *
 * Blocks of one span are contiguous, so header + size leads to the next
 * header. Address arithmetic is done in uintptr_t: heap_5 regions are
 * separate objects and comparing pointers into them is not portable C.
 */
#include "freelist.h"

#include <string.h>

#include "rtm_hooks.h"
#include "rtm_internal.h"

_Static_assert(RTM_IS_POW2(RTMEM_CFG_HEAP_ALIGNMENT) &&
                   RTMEM_CFG_HEAP_ALIGNMENT >= 4 && RTMEM_CFG_HEAP_ALIGNMENT <= 64,
               "RTMEM_CFG_HEAP_ALIGNMENT must be a power of two from 4 to 64");
_Static_assert(RTMEM_CFG_HEAP_ALIGNMENT >= _Alignof(void *) &&
                   RTMEM_CFG_HEAP_ALIGNMENT >= _Alignof(size_t),
               "RTMEM_CFG_HEAP_ALIGNMENT must be >= alignof(void *) (8 on 64-bit hosts)");
_Static_assert(RTMEM_CFG_HEAP_PROTECTOR == 0 || RTMEM_CFG_HEAP_PROTECTOR == 1,
               "RTMEM_CFG_HEAP_PROTECTOR must be 0 or 1");
_Static_assert(RTMEM_CFG_HARDEN >= 0 && RTMEM_CFG_HARDEN <= 2, "RTMEM_CFG_HARDEN is 0, 1 or 2");
_Static_assert(RTMEM_CFG_HEAP5_MAX_REGIONS >= 1, "RTMEM_CFG_HEAP5_MAX_REGIONS must be >= 1");
_Static_assert(RTM_FL_HEADER % RTMEM_CFG_HEAP_ALIGNMENT == 0, "header keeps blocks aligned");

#define FL_ALIGN ((uintptr_t)RTMEM_CFG_HEAP_ALIGNMENT)
#define FL_HDR RTM_FL_HEADER
/* Largest request whose block size, round_up(n + H, A), keeps the top bit of
 * size_t clear; larger ones fail as upstream's overflow and top-bit tests do. */
#define FL_MAX_REQUEST ((SIZE_MAX >> 1) - (FL_ALIGN - 1u) - FL_HDR)

/* The core is written once as static functions taking the list discipline
 * (and heap_4's single span) as a parameter; each exported entry point passes
 * constants, and forced inlining makes every instance keep only its own
 * branches (plain -Os would share one generic copy and test at run time). */
#if defined(__GNUC__)
#define FL_CORE static inline __attribute__((always_inline))
#else
#define FL_CORE static inline
#endif

typedef rtm_fl_link_t link_t;

/* Hides a pointer's origin from the optimiser: after a walk, the link that
 * stopped it is read again from the element returned instead of being
 * carried out of the loop, which on Thumb-2 costs two register copies at
 * every step. No effect on behaviour. */
#if defined(__GNUC__)
#define FL_OPAQUE(p) __asm__("" : "+r"(p))
#else
#define FL_OPAQUE(p) ((void)0)
#endif

/* ---- Small accessors ------------------------------------------------------ */

static inline uintptr_t addr(const void *p)
{
    return (uintptr_t)p;
}

static inline link_t *at(uintptr_t a)
{
    return (link_t *)a;
}

static inline link_t *enc(const rtm_fl_t *fl, const link_t *p)
{
    return rtm_fl_dec(fl, p); /* XOR both ways */
}

static inline size_t bsize(const link_t *b)
{
    return b->size & ~RTM_FL_USED_BIT;
}

static inline uintptr_t after(const link_t *b)
{
    return addr(b) + b->size;
}

static inline uintptr_t span_first(const rtm_fl_t *fl, size_t i)
{
    return addr(fl->spans[i].first);
}

static inline uintptr_t span_end(const rtm_fl_t *fl, size_t i)
{
    return addr(fl->spans[i].end);
}

static void *fail_alloc(rtm_fl_t *fl)
{
    fl->failed_allocs++;
    return NULL;
}

/* Damage found on an allocation path: fault, then a clean failure. */
static void *corrupt(rtm_fl_t *fl, const void *where)
{
    (void)rtm_fault_raise(&fl->fault, RTM_ERR_CORRUPT, fl, where);
    return fail_alloc(fl);
}

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
 * last end marker. */
static inline walk_t walk_head(const rtm_fl_t *fl)
{
    return walk_from(addr(fl->end), span_first(fl, 0) - FL_ALIGN, 0u);
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

/* heap_2: a link is the tail or an aligned block address inside the span. */
static bool link_ok_size(const rtm_fl_t *fl, const link_t *n)
{
    uintptr_t a = addr(n);
    return n == fl->end ||
           ((a & (FL_ALIGN - 1u)) == 0u && a - span_first(fl, 0) < span_end(fl, 0) - span_first(fl, 0));
}

/* ---- Allocation ------------------------------------------------------------- */

/* Take `blk` (listed after `prev`) for a block of `want` bytes. A rest larger
 * than the minimum block is split off and linked after `slot`:
 *   [prev] -> [------blk------] -> [x]   becomes
 *   [prev] -> [rest] -> [x]   with [blk|rest] in memory (address order,
 *   slot = prev), or the rest goes to its size slot (heap_2). */
FL_CORE void *take(rtm_fl_t *fl, link_t *prev, link_t *blk, link_t *slot, size_t want)
{
    size_t got = blk->size;
    RTM_ASSERT(got >= want && fl->free_bytes >= got); /* checked by fits() */
    RTM_ASSERT(((addr(blk) | want) & (FL_ALIGN - 1u)) == 0u); /* link checks, BLOCK_SIZE */
    prev->next = blk->next;
    if (got - want > RTM_FL_MIN_BLOCK) {
        link_t *r = at(addr(blk) + want);
        r->size = got - want;
        got = want;
        r->next = slot->next;
        slot->next = enc(fl, r);
    }
    fl->free_bytes -= got;
    if (fl->free_bytes < fl->min_ever_free) {
        fl->min_ever_free = fl->free_bytes;
    }
    got |= RTM_FL_USED_BIT;
    blk->size = got;
    blk->next = rtm_fl_chk(fl, blk, got);
    fl->alloc_count++;
    return (uint8_t *)blk + FL_HDR;
}

/* May the free block `blk` of span end `e`, listed before `n`, be trusted
 * for a block of `want` bytes (its size is at least that)? Its size must fit
 * the span (and be aligned but for heap_2's last block), and what follows it
 * must be the span's end, the next listed block, or an allocated block
 * (heap_4/5 merge free neighbours; heap_2 does not, so there only the span
 * bound holds). With poisoning, the user bytes take() hands out must be
 * untouched: only those, so the check costs what the caller gets (a rest
 * split off keeps its poison, verified when it is handed out in turn, and by
 * the check). */
FL_CORE bool fits(const rtm_fl_t *fl, const link_t *blk, uintptr_t n, uintptr_t e, bool by_size,
                  size_t want)
{
    uintptr_t s = blk->size;
    uintptr_t nxt = addr(blk) + s;
    if (s > e - addr(blk) || s <= FL_HDR || (!by_size && (s & (FL_ALIGN - 1u)) != 0u)) {
        return false;
    }
    if (!by_size && nxt != e && nxt != n && (nxt > n || !rtm_fl_live(fl, at(nxt)))) {
        return false;
    }
    RTM_ASSERT(s >= want);
    return rtm_fl_poisoned(fl, addr(blk) + FL_HDR,
                           s - want > RTM_FL_MIN_BLOCK ? addr(blk) + want : nxt);
}

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
 * link proven sane before anything changes. */
FL_CORE void *alloc_addr(rtm_fl_t *fl, size_t n, bool one)
{
    link_t *prev;
    link_t *blk;
    walk_t w = walk_head(fl);
    size_t want;
    uintptr_t nx;
    if (n - 1u >= FL_MAX_REQUEST) { /* n == 0 wraps to SIZE_MAX */
        return fail_alloc(fl);
    }
    want = RTM_FL_BLOCK_SIZE(n);
    if (want > fl->free_bytes) {
        return fail_alloc(fl);
    }
    if (!walk_fit(fl, &w, &prev, &blk, want, one)) {
        return corrupt(fl, prev);
    }
    if (blk == fl->end) {
        return fail_alloc(fl);
    }
    nx = addr(enc(fl, blk->next));
    {
        walk_t wn = w;
        if (!link_in(fl, &wn, nx, one) || !fits(fl, blk, nx, span_end(fl, w.si), false, want)) {
            return corrupt(fl, blk);
        }
    }
    return take(fl, prev, blk, prev, want);
}

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
    if (!fits(fl, blk, 0u, span_end(fl, 0), true, want) || !link_ok_size(fl, enc(fl, blk->next))) {
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

/* The gate and the event report around every placement. */
FL_CORE void *alloc_gated(rtm_fl_t *fl, size_t n, int kind)
{
    void *p;
    if (RTM_GATE(&fl->fault, fl, n)) {
        p = fail_alloc(fl);
    } else {
        p = kind == 2 ? alloc_size(fl, n) : alloc_addr(fl, n, kind == 1);
    }
    RTM_EVENT(p != NULL ? RTM_EV_ALLOC : RTM_EV_FAIL, fl, p, NULL, n);
    return p;
}

void *rtm_fl_alloc_addr(rtm_fl_t *fl, size_t n)
{
    return alloc_gated(fl, n, 0);
}

void *rtm_fl_alloc_addr1(rtm_fl_t *fl, size_t n)
{
    return alloc_gated(fl, n, 1);
}

void *rtm_fl_alloc_size(rtm_fl_t *fl, size_t n)
{
    return alloc_gated(fl, n, 2);
}

void *rtm_fl_calloc(rtm_fl_t *fl, size_t n, size_t size, rtm_fl_alloc_fn *alloc_fn)
{
    void *p;
    if (rtm_mul_overflows(n, size)) {
        return fail_alloc(fl);
    }
    p = alloc_fn(fl, n * size);
    if (p != NULL) {
        memset(p, 0, n * size);
    }
    return p;
}

/* ---- Free ------------------------------------------------------------------- */

/* The span holding the header at `b`, or NULL. O(spans); `one` (heap_2/4, a
 * constant) makes it a single unsigned comparison. */
FL_CORE const rtm_fl_span_t *span_of(const rtm_fl_t *fl, uintptr_t b, bool one)
{
    size_t n = one ? 1u : fl->nspans;
    for (size_t i = 0; i < n; i++) {
        if (b - span_first(fl, i) < span_end(fl, i) - span_first(fl, i)) {
            return &fl->spans[i];
        }
    }
    return NULL;
}

/* Why the header at `b` (inside the span ending at e) is not a live block:
 * no allocated bit and a size that fits: a block freed before (or merged
 * into a neighbour); no bit and no such size: not a block start; the bit
 * without the check word: a damaged header (or bytes made to look like one). */
static rtm_err_t why_not_live(const link_t *b, uintptr_t e)
{
    size_t sz = bsize(b);
    if (RTM_FL_POISON && b->size == (size_t)RTM_FL_POISON_WORD && addr(b->next) == RTM_FL_POISON_WORD) {
        return RTM_ERR_DOUBLE_FREE; /* a header merged away and poisoned */
    }
    if ((b->size & RTM_FL_USED_BIT) != 0u) {
        return RTM_ERR_CORRUPT;
    }
    if (sz > FL_HDR && sz <= e - addr(b)) {
        return RTM_ERR_DOUBLE_FREE;
    }
    return RTM_ERR_INTERIOR_PTR;
}

/* The allocated block whose user pointer is p: RTM_OK and *s its span, or
 * why not. O(1) for one span. (p < H wraps blk above every span: foreign.) */
FL_CORE rtm_err_t locate(const rtm_fl_t *fl, const void *p, const rtm_fl_span_t **s, bool one)
{
    const link_t *blk = at(addr(p) - FL_HDR);
    *s = span_of(fl, addr(blk), one);
    if (*s == NULL) {
        return RTM_ERR_FOREIGN_PTR;
    }
    if ((addr(p) & (FL_ALIGN - 1u)) != 0u) {
        return RTM_ERR_INTERIOR_PTR;
    }
    return rtm_fl_live(fl, blk) ? RTM_OK : why_not_live(blk, addr((*s)->end));
}

/* Is p the user pointer of an allocated block? O(1) for one span. */
FL_CORE bool live_ptr(const rtm_fl_t *fl, const void *p, bool one)
{
    uintptr_t b = addr(p) - FL_HDR;
    return span_of(fl, b, one) != NULL && (addr(p) & (FL_ALIGN - 1u)) == 0u &&
           rtm_fl_live(fl, at(b));
}

/* Why p is not (live_ptr false): the rare half of the free's pointer check,
 * out of line so the common path stays short; one copy for one span
 * (heap_2/4), one for several (heap_5). */
#if defined(__GNUC__)
#define FL_COLD __attribute__((noinline, cold))
#else
#define FL_COLD
#endif
FL_COLD static rtm_err_t why_not_ptr1(const rtm_fl_t *fl, const void *p)
{
    const rtm_fl_span_t *s;
    return locate(fl, p, &s, true);
}

FL_COLD static rtm_err_t why_not_ptrn(const rtm_fl_t *fl, const void *p)
{
    const rtm_fl_span_t *s;
    return locate(fl, p, &s, false);
}

FL_CORE rtm_err_t why_not_ptr(const rtm_fl_t *fl, const void *p, bool one)
{
    return one ? why_not_ptr1(fl, p) : why_not_ptrn(fl, p);
}

/* The block becomes free: allocated bit off, user bytes zeroed on request
 * (or poisoned). */
FL_CORE void release(rtm_fl_t *fl, link_t *blk)
{
    blk->size = bsize(blk);
    RTM_ASSERT(blk->size <= fl->total_bytes - fl->free_bytes); /* a live block */
    if (fl->clear_on_free) {
        memset((uint8_t *)blk + FL_HDR, 0, blk->size - FL_HDR);
    } else {
        rtm_fl_poison(fl, addr(blk) + FL_HDR, after(blk));
    }
    fl->free_bytes += blk->size;
    fl->free_count++;
}

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
    uintptr_t bend, dbend;
    bool merge_nx;
    if (p == NULL) {
        return RTM_OK;
    }
    if (!live_ptr(fl, p, one)) {
        return rtm_fault_raise(&fl->fault, why_not_ptr(fl, p, one), fl, p);
    }
    bend = addr(blk) + bsize(blk);
    /* blk's end measured below the last end marker: aligned, above blk and
     * at most the marker, or the size word is damaged */
    w = walk_from(addr(fl->end), addr(blk), 0u);
    dbend = w.ref - rotr(bend);
    if (dbend >= w.dist) {
        return rtm_fault_raise(&fl->fault, RTM_ERR_CORRUPT, fl, blk);
    }
    /* below blk: the elements strictly under it */
    wb = walk_from(addr(blk) - FL_ALIGN, span_first(fl, 0) - FL_ALIGN, 0u);
    prev = walk_below(fl, &wb, one);
    FL_OPAQUE(prev);
    nx = enc(fl, prev->next);
    /* nx: aligned, from blk's end up to the marker (so above prev); wb.si is
     * prev's region, at or below nx's */
    w.dist = dbend + 1u;
    w.si = wb.si;
    if (!link_in(fl, &w, addr(nx), one) || (prev != &fl->head && after(prev) > addr(blk))) {
        return rtm_fault_raise(&fl->fault, RTM_ERR_CORRUPT, fl, prev);
    }
    merge_nx = addr(nx) == bend && nx != fl->end;
    link = enc(fl, nx);
    if (merge_nx) {
        link = nx->next;
        if (!link_in(fl, &w, addr(enc(fl, link)), one) || nx->size > addr(enc(fl, link)) - addr(nx)) {
            return rtm_fault_raise(&fl->fault, RTM_ERR_CORRUPT, fl, nx);
        }
    }
    RTM_ASSERT(bend <= addr(nx) && (prev == &fl->head || after(prev) <= addr(blk)));
    release(fl, blk);
    if (merge_nx) {
        blk->size += nx->size;
        rtm_fl_poison(fl, addr(nx), addr(nx) + (nx->size != 0u ? FL_HDR : 0u));
    }
    /* the head's size is 0, so it never ends at blk */
    if (after(prev) == addr(blk)) {
        prev->size += blk->size;
        rtm_fl_poison(fl, addr(blk), addr(blk) + FL_HDR);
        prev->next = link;
    } else {
        blk->next = link;
        prev->next = enc(fl, blk);
    }
    return RTM_OK;
}

/* The event report after a free that took the block. */
static rtm_err_t freed(rtm_fl_t *fl, void *p, rtm_err_t err)
{
    if (err == RTM_OK && p != NULL) {
        RTM_EVENT(RTM_EV_FREE, fl, p, NULL, 0u);
    }
    (void)fl;
    return err;
}

rtm_err_t rtm_fl_free_addr(rtm_fl_t *fl, void *p)
{
    return freed(fl, p, free_addr(fl, p, false));
}

rtm_err_t rtm_fl_free_addr1(rtm_fl_t *fl, void *p)
{
    return freed(fl, p, free_addr(fl, p, true));
}

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

size_t rtm_fl_usable_size(rtm_fl_t *fl, const void *p)
{
    const rtm_fl_span_t *s;
    rtm_err_t err = locate(fl, p, &s, false);
    if (err != RTM_OK) {
        (void)rtm_fault_raise(&fl->fault, err, fl, p);
        return 0;
    }
    return bsize(at(addr(p) - FL_HDR)) - FL_HDR;
}
