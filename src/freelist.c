/*
 * Free-list core shared by heap_2, heap_4 and heap_5.
 *
 * Behaviour matched to FreeRTOS-Kernel V11.1.0 portable/MemMang heap_2.c,
 * heap_4.c and heap_5.c (the numbers are the same in V11.2.0); written from
 * the layout rules, not from the upstream text. See rtmem/heap5.h for the
 * layout and rtmem/heap2.h for the size-ordered variant.
 *
 * A block is a header {next, size} (RTM_FL_HEADER bytes) followed by user
 * bytes; blocks of one span are contiguous, so header + size leads to the
 * next header. Address arithmetic is done in uintptr_t: heap_5 regions are
 * separate objects and comparing pointers into them is not portable C.
 */
#include "freelist.h"

#include <string.h>

#include "rtm_internal.h"
#include "rtm_hooks.h"

_Static_assert(RTM_IS_POW2(RTMEM_CFG_HEAP_ALIGNMENT) &&
                   RTMEM_CFG_HEAP_ALIGNMENT >= 4 && RTMEM_CFG_HEAP_ALIGNMENT <= 64,
               "RTMEM_CFG_HEAP_ALIGNMENT must be a power of two from 4 to 64");
_Static_assert(RTMEM_CFG_HEAP_ALIGNMENT >= _Alignof(void *) &&
                   RTMEM_CFG_HEAP_ALIGNMENT >= _Alignof(size_t),
               "RTMEM_CFG_HEAP_ALIGNMENT must be >= alignof(void *) (8 on 64-bit hosts)");
_Static_assert(RTMEM_CFG_HEAP_PROTECTOR == 0 || RTMEM_CFG_HEAP_PROTECTOR == 1,
               "RTMEM_CFG_HEAP_PROTECTOR must be 0 or 1");
_Static_assert(RTMEM_CFG_HEAP5_MAX_REGIONS >= 1, "RTMEM_CFG_HEAP5_MAX_REGIONS must be >= 1");
_Static_assert(RTM_FL_HEADER % RTMEM_CFG_HEAP_ALIGNMENT == 0, "header keeps blocks aligned");

#define FL_ALIGN ((uintptr_t)RTMEM_CFG_HEAP_ALIGNMENT)
#define FL_HDR RTM_FL_HEADER
/* Largest request whose block size, round_up(n + H, A), keeps the top bit of
 * size_t clear; larger ones fail as upstream's overflow and top-bit tests do. */
#define FL_MAX_REQUEST ((SIZE_MAX >> 1) - (FL_ALIGN - 1u) - FL_HDR)
/* Under the protector a link read from the list may be rejected (NULL). */
#define FL_BAD(p) (RTMEM_CFG_HEAP_PROTECTOR && (p) == NULL)

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

/* ---- Small accessors ------------------------------------------------------ */

static inline uintptr_t addr(const void *p)
{
    return (uintptr_t)p;
}

static inline link_t *at(uintptr_t a)
{
    return (link_t *)a;
}

static inline uintptr_t key(const rtm_fl_t *fl)
{
    return RTMEM_CFG_HEAP_PROTECTOR ? fl->canary : 0u;
}

/* Links are stored XOR-ed with the canary (a no-op without the protector). */
static inline link_t *enc(const rtm_fl_t *fl, const link_t *p)
{
    return at(addr(p) ^ key(fl));
}

static inline size_t bsize(const link_t *b)
{
    return b->size & ~RTM_FL_USED_BIT;
}

static inline bool is_used(const link_t *b)
{
    return (b->size & RTM_FL_USED_BIT) != 0u;
}

/* First byte after block b. */
static inline uintptr_t after(const link_t *b)
{
    return addr(b) + b->size;
}

/* Lowest block address and the highest end (the last end marker, or heap_2's
 * end of memory): the protector's bounds. */
static inline uintptr_t lo_bound(const rtm_fl_t *fl)
{
    return addr(fl->spans[0].first);
}

static inline uintptr_t hi_bound(const rtm_fl_t *fl)
{
    return addr(fl->spans[fl->nspans - 1u].end);
}

/* Can `n` follow `cur` in the list? The list end, or an aligned address inside
 * the heap, above `cur` when the list is in address order (which also stops a
 * damaged link from making a walk go round in circles). */
static bool link_ok(const rtm_fl_t *fl, const link_t *cur, const link_t *n, bool by_size)
{
    uintptr_t a = addr(n);
    if (n == fl->end) {
        return true;
    }
    if ((a & (FL_ALIGN - 1u)) != 0u || a < lo_bound(fl) || a >= hi_bound(fl)) {
        return false;
    }
    return by_size || cur == &fl->head || a > addr(cur);
}

/* The list element after `cur`, decoded; NULL if the protector rejects it.
 * `by_size` is a constant at every call but the read-only ones (stats). */
static inline link_t *next_of(const rtm_fl_t *fl, const link_t *cur, bool by_size)
{
    link_t *n = enc(fl, cur->next);
    if (RTMEM_CFG_HEAP_PROTECTOR && !link_ok(fl, cur, n, by_size)) {
        return NULL;
    }
    return n;
}

static void *fail_alloc(rtm_fl_t *fl)
{
    fl->failed_allocs++;
    return NULL;
}

/* ---- Set-up ----------------------------------------------------------------- */

static void setup(rtm_fl_t *fl, rtm_fl_span_t *spans, size_t n, bool by_size,
                  uintptr_t canary)
{
    memset(fl, 0, sizeof *fl);
    fl->fault.hook = NULL; /* rtm_fault_init: compiles away after the memset */
    fl->fault.user = NULL;
    fl->fault.last = RTM_OK;
    fl->spans = spans;
    fl->nspans = n;
    fl->by_size = by_size;
    fl->canary = RTMEM_CFG_HEAP_PROTECTOR ? canary : 0u;
}

/* skip = bytes up to the aligned start; the end marker then sits at
 * (start + size - H) rounded down, at least RTM_FL_MIN_BLOCK above the
 * aligned start whenever size - skip >= H + RTM_FL_MIN_BLOCK (both aligned). */
bool rtm_fl_plan(uintptr_t start, size_t size, rtm_fl_span_t *out)
{
    uintptr_t skip = (0u - start) & (FL_ALIGN - 1u);
    if (start == 0u || size > UINTPTR_MAX - start || size < skip + FL_HDR + RTM_FL_MIN_BLOCK) {
        return false;
    }
    out->first = (uint8_t *)(start + skip);
    out->end = (uint8_t *)((start + size - FL_HDR) & ~(FL_ALIGN - 1u));
    return true;
}

/* Each span: [first: one free block][end marker: size 0]; each marker links
 * to the next span's block, the last one ends the list:
 *   head -> [blk0][m0] -> [blk1][m1] -> ... -> [blkN][mN] (= fl->end) */
FL_CORE void init_addr(rtm_fl_t *fl, rtm_fl_span_t *spans, size_t n, uintptr_t canary)
{
    link_t *prev = &fl->head;
    size_t total = 0;
    setup(fl, spans, n, false, canary);
    for (size_t i = 0; i < n; i++) {
        link_t *blk = at(addr(spans[i].first));
        link_t *mark = at(addr(spans[i].end));
        prev->next = enc(fl, blk);
        blk->size = (size_t)(addr(mark) - addr(blk));
        blk->next = enc(fl, mark);
        mark->size = 0;
        total += blk->size;
        prev = mark;
    }
    prev->next = enc(fl, NULL);
    fl->end = prev;
    fl->total_bytes = fl->free_bytes = fl->min_ever_free = total;
}

void rtm_fl_init_addr(rtm_fl_t *fl, rtm_fl_span_t *spans, size_t n, uintptr_t canary)
{
    init_addr(fl, spans, n, canary);
}

void rtm_fl_init_addr1(rtm_fl_t *fl, rtm_fl_span_t *span, uintptr_t canary)
{
    init_addr(fl, span, 1u, canary);
}

/* head -> [one block of all usable bytes] -> tail (in the instance, its size
 * the usable bytes, so a size-ordered walk always stops there). */
void rtm_fl_init_size(rtm_fl_t *fl, rtm_fl_span_t *span, uintptr_t canary)
{
    link_t *blk = at(addr(span->first));
    size_t usable = (size_t)(addr(span->end) - addr(blk));
    setup(fl, span, 1u, true, canary);
    fl->end = &fl->tail;
    fl->tail.size = usable;
    fl->tail.next = enc(fl, NULL);
    blk->size = usable;
    blk->next = enc(fl, &fl->tail);
    fl->head.next = enc(fl, blk);
    fl->total_bytes = fl->free_bytes = fl->min_ever_free = usable;
}

/* ---- Allocation ------------------------------------------------------------- */

/* Where a block of `size` bytes goes in the size-ordered list: after the last
 * element whose successor is smaller. NULL if the protector rejects a link. */
static link_t *size_slot(rtm_fl_t *fl, size_t size)
{
    link_t *it = &fl->head;
    for (;;) {
        link_t *n = next_of(fl, it, true);
        if (FL_BAD(n) || n->size >= size) {
            return FL_BAD(n) ? NULL : it;
        }
        it = n;
    }
}

/* Take `blk` (listed after `prev`) for a block of `want` bytes. A rest larger
 * than the minimum block is split off and linked after `slot`:
 *   [prev] -> [------blk------] -> [x]   becomes
 *   [prev] -> [rest] -> [x]   with [blk|rest] in memory (address order,
 *   slot = prev), or the rest goes to its size slot (heap_2). */
FL_CORE void take(rtm_fl_t *fl, link_t *prev, link_t *blk, link_t *slot, size_t want)
{
    size_t got = blk->size;
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
    blk->size = got | RTM_FL_USED_BIT;
    blk->next = enc(fl, NULL);
    fl->alloc_count++;
}

/* The slot for a split remainder: heap_2 looks it up before anything changes
 * (so a damaged link leaves the heap untouched); it is the same after `blk`
 * leaves the list because blk is larger than the rest. */
FL_CORE link_t *rest_slot(rtm_fl_t *fl, link_t *prev, const link_t *blk, size_t want,
                                bool by_size)
{
    size_t rest = blk->size - want;
    if (!by_size || rest <= RTM_FL_MIN_BLOCK) {
        return prev;
    }
    return size_slot(fl, rest);
}

/* The one allocation algorithm; `by_size` is a constant in each instance
 * below, so heap_4/5 link no size-order code and heap_2 no address-order. */
FL_CORE void *alloc(rtm_fl_t *fl, size_t n, bool by_size)
{
    link_t *prev = &fl->head;
    link_t *blk, *slot;
    size_t want;
    if (n - 1u >= FL_MAX_REQUEST) { /* n == 0 wraps to SIZE_MAX */
        return fail_alloc(fl);
    }
    want = RTM_FL_BLOCK_SIZE(n);
    if (want > fl->free_bytes) {
        return fail_alloc(fl);
    }
    blk = next_of(fl, prev, by_size);
    while (!FL_BAD(blk) && blk != fl->end && blk->size < want) {
        prev = blk;
        blk = next_of(fl, blk, by_size);
    }
    slot = (FL_BAD(blk) || blk == fl->end) ? blk : rest_slot(fl, prev, blk, want, by_size);
    if (FL_BAD(slot)) {
        rtm_fault_raise(&fl->fault, RTM_ERR_CORRUPT, fl, prev);
    }
    if (FL_BAD(slot) || blk == fl->end) {
        return fail_alloc(fl);
    }
    take(fl, prev, blk, slot, want);
    return (uint8_t *)blk + FL_HDR;
}

/* The gate and the event report around both placements. */
static void *alloc_gated(rtm_fl_t *fl, size_t n, bool by_size)
{
    void *p = RTM_GATE(&fl->fault, fl, n) ? fail_alloc(fl) : alloc(fl, n, by_size);
    RTM_EVENT(p != NULL ? RTM_EV_ALLOC : RTM_EV_FAIL, fl, p, NULL, n);
    return p;
}

void *rtm_fl_alloc_addr(rtm_fl_t *fl, size_t n)
{
    return alloc_gated(fl, n, false);
}

void *rtm_fl_alloc_size(rtm_fl_t *fl, size_t n)
{
    return alloc_gated(fl, n, true);
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
 * constant) makes it a single bounds test. */
FL_CORE const rtm_fl_span_t *span_of(const rtm_fl_t *fl, uintptr_t b, bool one)
{
    size_t n = one ? 1u : fl->nspans;
    for (size_t i = 0; i < n; i++) {
        if (b >= addr(fl->spans[i].first) && b < addr(fl->spans[i].end)) {
            return &fl->spans[i];
        }
    }
    return NULL;
}

/* Where the pointer being freed lies: RTM_OK with its span, or the fault.
 * (p < H wraps blk above every span: foreign.) */
FL_CORE rtm_err_t locate(const rtm_fl_t *fl, const void *p, const rtm_fl_span_t **s,
                               bool one)
{
    *s = span_of(fl, addr(p) - FL_HDR, one);
    if (*s == NULL) {
        return RTM_ERR_FOREIGN_PTR;
    }
    return (addr(p) & (FL_ALIGN - 1u)) != 0u ? RTM_ERR_INTERIOR_PTR : RTM_OK;
}

/* Prove `blk` is the start of an allocated block: walk the blocks physically
 * from the block start q (at or below blk) up to it; no block may reach past
 * `limit` (the next free block or the span end). Returns
 *   RTM_ERR_DOUBLE_FREE  blk is, or lies inside, a free block;
 *   RTM_ERR_INTERIOR_PTR the walk jumps over blk;
 *   RTM_ERR_CORRUPT      a size is damaged or blk's link is not the encoded NULL.
 * Without RTMEM_CFG_FREE_VERIFY only q and blk are looked at. O(blocks passed). */
FL_CORE rtm_err_t walk_to(const rtm_fl_t *fl, uintptr_t q, const link_t *blk, uintptr_t limit)
{
    for (;;) {
        const link_t *b = at(q);
        size_t sz = bsize(b);
        if (!is_used(b) && (q == addr(blk) || addr(blk) < q + sz)) {
            return RTM_ERR_DOUBLE_FREE;
        }
        if (sz <= FL_HDR || sz > limit - q) {
            return RTM_ERR_CORRUPT;
        }
        if (q == addr(blk)) {
            return b->next == enc(fl, NULL) ? RTM_OK : RTM_ERR_CORRUPT;
        }
        q = RTMEM_CFG_FREE_VERIFY ? q + sz : addr(blk);
        if (q > addr(blk)) {
            return RTM_ERR_INTERIOR_PTR;
        }
    }
}

/* The last list element below `blk` (the head if none); NULL if the protector
 * rejects a link on the way. */
static link_t *addr_slot(rtm_fl_t *fl, const link_t *blk)
{
    link_t *it = &fl->head;
    for (;;) {
        link_t *n = next_of(fl, it, false);
        if (FL_BAD(n)) {
            return NULL;
        }
        if (addr(n) >= addr(blk)) {
            return it;
        }
        it = n;
    }
}

/* Merge blk into the address-ordered list after prev:
 *   [prev][blk]        -> [----prev----]
 *   [blk][next]        -> [----blk-----]   (not when next is the list end;
 *                                           a zero-size region marker merges)
 *   [prev][blk][next]  -> [--------prev--------]                         */
FL_CORE void coalesce(rtm_fl_t *fl, link_t *prev, link_t *blk)
{
    link_t *nx = enc(fl, prev->next);
    if (after(prev) == addr(blk)) {
        prev->size += blk->size;
        blk = prev;
    }
    if (after(blk) == addr(nx) && nx != fl->end) {
        blk->size += nx->size;
        blk->next = nx->next;
    } else {
        blk->next = prev->next;
    }
    if (blk != prev) {
        prev->next = enc(fl, blk);
    }
}

/* The block becomes free: allocated bit off, user bytes zeroed on request. */
FL_CORE void release(rtm_fl_t *fl, link_t *blk)
{
    blk->size = bsize(blk);
    if (fl->clear_on_free) {
        memset((uint8_t *)blk + FL_HDR, 0, blk->size - FL_HDR);
    }
    fl->free_bytes += blk->size;
    fl->free_count++;
}

/* heap_4/5: every check runs before anything changes. The list neighbours
 * bound the proof: [prev]...allocated...[blk]...[nx]; the walk starts at prev
 * when it lies in blk's span (so a blk inside prev is a double free), else at
 * the span start, and no block may reach past nx. `one`: a single span. */
FL_CORE rtm_err_t free_addr(rtm_fl_t *fl, void *p, bool one)
{
    const rtm_fl_span_t *s;
    link_t *blk = at(addr(p) - FL_HDR);
    link_t *prev = NULL;
    rtm_err_t err;
    if (p == NULL) {
        return RTM_OK;
    }
    err = locate(fl, p, &s, one);
    if (err == RTM_OK) {
        prev = addr_slot(fl, blk);
        err = (prev == NULL) ? RTM_ERR_CORRUPT : RTM_OK;
    }
    if (err == RTM_OK) {
        uintptr_t nx = addr(enc(fl, prev->next)); /* heap_4: at most the end marker */
        uintptr_t limit = (one || nx < addr(s->end)) ? nx : addr(s->end);
        bool prev_here = prev != &fl->head && (one || addr(prev) >= addr(s->first));
        uintptr_t q = prev_here ? addr(prev) : (RTMEM_CFG_FREE_VERIFY ? addr(s->first) : addr(blk));
        err = walk_to(fl, q, blk, limit);
    }
    if (err != RTM_OK) {
        return rtm_fault_raise(&fl->fault, err, fl, p);
    }
    release(fl, blk);
    coalesce(fl, prev, blk);
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

/* heap_2: no address order, so the proof is a walk from the heap start. */
static rtm_err_t free_size(rtm_fl_t *fl, void *p)
{
    const rtm_fl_span_t *s;
    link_t *blk = at(addr(p) - FL_HDR);
    link_t *slot = NULL;
    rtm_err_t err;
    if (p == NULL) {
        return RTM_OK;
    }
    err = locate(fl, p, &s, true);
    if (err == RTM_OK) {
        err = walk_to(fl, RTMEM_CFG_FREE_VERIFY ? addr(s->first) : addr(blk), blk, addr(s->end));
    }
    if (err == RTM_OK) {
        slot = size_slot(fl, bsize(blk));
        err = (slot == NULL) ? RTM_ERR_CORRUPT : RTM_OK;
    }
    if (err != RTM_OK) {
        return rtm_fault_raise(&fl->fault, err, fl, p);
    }
    release(fl, blk);
    blk->next = slot->next;
    slot->next = enc(fl, blk);
    return RTM_OK;
}

size_t rtm_fl_usable_size(const void *p)
{
    return bsize(at(addr(p) - FL_HDR)) - FL_HDR;
}

/* ---- Statistics ------------------------------------------------------------- */

/* vPortGetHeapStats: every listed element before the end counts as a free
 * block (heap_5's zero-size markers too), the smallest ignores size 0. */
void rtm_fl_stats(const rtm_fl_t *fl, rtm_stats_t *out)
{
    size_t smallest = SIZE_MAX;
    memset(out, 0, sizeof *out);
    for (const link_t *b = next_of(fl, &fl->head, fl->by_size); !FL_BAD(b) && b != fl->end;
         b = next_of(fl, b, fl->by_size)) {
        out->free_blocks++;
        out->largest_free = b->size > out->largest_free ? b->size : out->largest_free;
        if (b->size != 0u && b->size < smallest) {
            smallest = b->size;
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

/* ---- Integrity check -------------------------------------------------------- */

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

/* One listed element: a marker of size 0 or a free block inside a span. */
static rtm_err_t check_listed(const rtm_fl_t *fl, const link_t *n, rtm_check_t *r)
{
    const rtm_fl_span_t *s = span_of(fl, addr(n), false);
    if (!fl->by_size && is_inner_marker(fl, n)) {
        return n->size == 0u ? RTM_OK
                             : rtm_check_fail(r, RTM_ERR_CORRUPT, n, "region marker has a size");
    }
    if (s == NULL || (addr(n) & (FL_ALIGN - 1u)) != 0u) {
        return rtm_check_fail(r, RTM_ERR_CORRUPT, n, "free-list link points outside the heap");
    }
    if (is_used(n) || n->size <= FL_HDR || n->size > addr(s->end) - addr(n)) {
        return rtm_check_fail(r, RTM_ERR_CORRUPT, n, "free block size is damaged");
    }
    r->free_blocks++;
    r->free_bytes += n->size;
    return RTM_OK;
}

/* Walk the free list: in bounds, in order, sizes sane, counters agree. The
 * step limit stops a damaged list that loops. */
static rtm_err_t check_list(const rtm_fl_t *fl, rtm_check_t *r)
{
    size_t limit = fl->total_bytes / FL_HDR + fl->nspans + 1u;
    const link_t *cur = &fl->head;
    const link_t *n = enc(fl, cur->next);
    for (; n != fl->end; cur = n, n = enc(fl, n->next)) {
        /* link_ok also enforces address order; heap_2 needs size order */
        if (limit-- == 0u || !link_ok(fl, cur, n, fl->by_size) ||
            (fl->by_size && cur != &fl->head && n->size < cur->size)) {
            return rtm_check_fail(r, RTM_ERR_CORRUPT, cur, "free list is out of order or loops");
        }
        if (check_listed(fl, n, r) != RTM_OK) {
            return r->err;
        }
    }
    if (n->next != enc(fl, NULL) || (!fl->by_size && n->size != 0u)) {
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
        n = enc(fl, n->next);
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
    if (sz <= FL_HDR || sz > end - addr(b)) {
        return rtm_check_fail(r, RTM_ERR_CORRUPT, b, "block size is damaged");
    }
    if (is_used(b)) {
        *prev_free = false;
        return b->next == enc(fl, NULL)
                   ? RTM_OK
                   : rtm_check_fail(r, RTM_ERR_CORRUPT, b, "allocated block link is damaged");
    }
    if (!fl->by_size && (*prev_free || b != *want)) {
        return rtm_check_fail(r, RTM_ERR_CORRUPT, b,
                              *prev_free ? "adjacent free blocks not merged"
                                         : "free block missing from the list");
    }
    *prev_free = true;
    if (!fl->by_size) {
        *want = skip_markers(fl, enc(fl, b->next));
    }
    return RTM_OK;
}

/* Walk every span block by block; the blocks must tile it exactly. */
static rtm_err_t check_spans(const rtm_fl_t *fl, rtm_check_t *r, size_t *used, size_t *nfree)
{
    const link_t *want = skip_markers(fl, enc(fl, fl->head.next));
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
    if (check_list(fl, r) != RTM_OK || check_spans(fl, r, &used, &nfree) != RTM_OK) {
        return r->err;
    }
    if (used != fl->alloc_count - fl->free_count || nfree != r->free_blocks) {
        return rtm_check_fail(r, RTM_ERR_CORRUPT, NULL, "block counts disagree with the list");
    }
    return RTM_OK;
}

rtm_err_t rtm_fl_free_size(rtm_fl_t *fl, void *p)
{
    return freed(fl, p, free_size(fl, p));
}
