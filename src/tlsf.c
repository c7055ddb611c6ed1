/*
 * rtm_tlsf: two-level segregated-fit heap, O(1) alloc and free.
 * Layout, bounds and bad-input rules: include/rtmem/tlsf.h.
 */
#include "rtmem/tlsf.h"

#include "rtm_hooks.h"
#include "rtm_internal.h"
#include "tlsf_internal.h"
#include "tlsf_fit.h"

_Static_assert(RTM_TLSF_SL_COUNT <= sizeof(rtm_tlsf_sl_t) * CHAR_BIT, "one SL bit per class");
_Static_assert(RTMEM_CFG_TLSF_USE_BUILTIN_CLZ == 0 || RTMEM_CFG_TLSF_USE_BUILTIN_CLZ == 1,
               "RTMEM_CFG_TLSF_USE_BUILTIN_CLZ must be 0 or 1");
_Static_assert(RTM_TLSF_ALIGN == 8u && RTM_TLSF_MIN_BLOCK == 16u, "one layout: 8-byte granularity");
_Static_assert(sizeof(rtm_tw_t) == RTM_TLSF_WORD_SIZE, "word size");
_Static_assert(sizeof(rtm_tw_t) <= sizeof(uintptr_t), "a word fits an address");
_Static_assert(RTM_TLSF_MIN_BLOCK % RTM_TLSF_ALIGN == 0 &&
                   RTM_TLSF_MIN_BLOCK >= 4u * RTM_TLSF_WORD_SIZE,
               "minimum block holds header, two links and the size copy");
_Static_assert(RTM_TLSF_ALIGN > RTM_TF_MASK, "flags fit below the size");
_Static_assert(UINT_MAX >= 0xFFFFFFFFu, "bitmaps are unsigned int arithmetic");
_Static_assert(RTM_TLSF_FL_COUNT(65536u) == 16u - RTM_TLSF_FL_SHIFT + 1u &&
                   RTM_TLSF_FL_COUNT(65537u) == 17u - RTM_TLSF_FL_SHIFT + 1u,
               "RTM_TLSF_FL_COUNT");
_Static_assert(RTM_TLSF_FL_COUNT(RTM_TLSF_MAX_ARENA) <= 31u, "FL bitmap is 32 bits");
_Static_assert((RTM_TLSF_CARVE_NEAR & (RTM_TLSF_CARVE_NEAR - 1u)) == 0u &&
                   RTM_TLSF_CARVE_NEAR >= RTM_TLSF_ALIGN && RTM_TLSF_CARVE_NEAR < RTM_TCHK_SMALL,
               "carve_top() tests CARVE_NEAR with a mask");

/* ---- Free lists --------------------------------------------------------- */

/* List idx turned empty or non-empty: flip its SL bit, and its FL bit when
 * the SL bitmap turns zero or non-zero. One helper for insert and unlink.
 * O(1). */
static void flip(rtm_tlsf_t *t, unsigned idx)
{
    unsigned fl = idx >> RTM_SL_LOG2;
    RTM_ASSERT(fl < t->fl_count);
    unsigned old = t->sl[fl];
    unsigned now = old ^ (1u << (idx & RTM_SL_MASK));
    t->sl[fl] = (rtm_tlsf_sl_t)now;
    /* old and now differ in one bit, so they share none exactly when one
     * of them is 0 */
    if ((old & now) == 0u) {
        t->fl_map ^= 1u << fl;
    }
}

/* [b, b+s) reads as a free block of s bytes: its header and its size copy
 * (the successor's PREV_FREE bit is the caller's). */
RTM_TLSF_INLINE void free_words(uintptr_t b, size_t s)
{
    *hdr(b) = (rtm_tw_t)s | RTM_TF_FREE;
    *rtm_tlsf_word(b + s - RTM_TW) = (rtm_tw_t)s;
}

/* Make [b, b+s) a free block (header, size copy, the successor's PREV_FREE
 * bit; its predecessor is used: free blocks never touch) and push it on its
 * class list (LIFO). O(1). insert_in and pop leave free_blocks to their
 * callers, which count each operation's net change once (a split that pops
 * a block and inserts its tail changes nothing).
 * Not forced inline (nor mark_used): where the compiler weighs speed it
 * copies them into free and alloc; where it weighs size it keeps one copy
 * (insert_at stays a call, so that alloc's other paths keep their
 * registers). */
static inline void insert_in(rtm_tlsf_t *t, uintptr_t b, size_t s, unsigned idx)
{
    uintptr_t first = t->heads[idx];
    uintptr_t me = enc(t, b);
    /* Internal invariants (debug builds): the caller's errors go to the
     * fault hook, never here. */
    RTM_ASSERT(s >= RTM_BMIN && (s & (RTM_G - 1u)) == 0u && class_of(s) == idx);
    RTM_ASSERT(rtm_tlsf_in_span(t, b) && s <= t->hi - RTM_TW - b);
    RTM_STEP();
    free_words(b, s);
    *hdr(b + s) |= RTM_TF_PREV_FREE;
    set_next(t, b, (rtm_tw_t)first);
    set_prev(t, b, 0u);
    set_prev(t, dec(t, first), (rtm_tw_t)me); /* first 0: the nil words */
    t->heads[idx] = (rtm_tlsf_head_t)me;
    if (first == 0u) {
        flip(t, idx);
    }
}

/* insert_in, out of line for alloc's split and the other modules. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void insert_at(rtm_tlsf_t *t, uintptr_t b, size_t s, unsigned idx)
{
    insert_in(t, b, s, idx);
}

/* insert into the list of s's class. */
void rtm_tlsf_insert_(rtm_tlsf_t *t, uintptr_t b, size_t s)
{
    insert_at(t, b, s, class_of(s));
    t->free_blocks++;
}

/* Take free block b (size s) off its list and out of free_blocks. O(1). A
 * missing neighbour (link 0) is the nil words: written, never read. */
static void unlink_block(rtm_tlsf_t *t, uintptr_t b, size_t s)
{
    uintptr_t n = get_next(t, b);
    uintptr_t p = get_prev(t, b);
    RTM_STEP();
    set_prev(t, dec(t, n), p);
    set_next(t, dec(t, p), n);
    if (p == 0u) {
        unsigned idx = class_of(s);
        t->heads[idx] = (rtm_tlsf_head_t)n;
        if (n == 0u) {
            flip(t, idx);
        }
    }
    t->free_blocks--;
}

/* The free block at `old` becomes the free block [nb, nb + s) of the same
 * class, in old's place in the list (resize() when nb == old). Both
 * links are read before anything is written, so the two may overlap. What an
 * unlink and an insert into the same list would do, without either bitmap
 * flip or the second class computation. O(1). */
static void relink(rtm_tlsf_t *t, uintptr_t old, uintptr_t nb, size_t s, unsigned idx)
{
    uintptr_t n = get_next(t, old);
    uintptr_t p = get_prev(t, old);
    rtm_tw_t me = (rtm_tw_t)enc(t, nb);
    RTM_ASSERT(s >= RTM_BMIN && class_of(s) == idx);
    RTM_STEP();
    *hdr(nb) = (rtm_tw_t)s | RTM_TF_FREE;
    *rtm_tlsf_word(nb + s - RTM_TW) = (rtm_tw_t)s;
    *hdr(nb + s) |= RTM_TF_PREV_FREE;
    set_next(t, nb, n);
    set_prev(t, nb, p);
    set_prev(t, dec(t, n), me);
    set_next(t, dec(t, p), me);
    if (p == 0u) {
        t->heads[idx] = (rtm_tlsf_head_t)me;
    }
}

/* The free block b takes size s of the same class where it lies: relink()
 * with nb == old, whose list links and neighbours' links stay as they are,
 * so only the header, the size copy and the next block's PREV_FREE bit are
 * written. O(1). */
static void resize(uintptr_t b, size_t s)
{
    RTM_STEP();
    free_words(b, s);
    *hdr(b + s) |= RTM_TF_PREV_FREE;
}

/* Take block b, the head of list idx, off that list: unlink_block without
 * the class computation, and without counting (the caller counts). O(1). */
static void pop(rtm_tlsf_t *t, uintptr_t b, unsigned idx)
{
    uintptr_t n = get_next(t, b);
    RTM_STEP();
    set_prev(t, dec(t, n), 0u);
    t->heads[idx] = (rtm_tlsf_head_t)n;
    if (n == 0u) {
        flip(t, idx);
    }
}

/* Mark [b, b + size) used (keeping b's PREV_FREE bit `pf`) and count it:
 * free bytes are total - used, counted once per operation here and in
 * free(), not in every insert and unlink. Returns the payload. O(1). */
static inline void *mark_used(rtm_tlsf_t *t, uintptr_t b, size_t size, rtm_tw_t pf)
{
    RTM_ASSERT(size >= RTM_BMIN && rtm_tlsf_in_span(t, b));
    *hdr(b) = used_word(t, b, size) | pf;
#if RTMEM_CFG_HARDEN >= 2
    *rtm_tlsf_word(b + size - RTM_TW) = rtm_tlsf_guard(b - t->origin, RTM_CANARY(t));
#endif
    t->used_bytes += size;
    if (t->used_bytes > t->max_used) {
        t->max_used = t->used_bytes;
    }
    return (void *)(b + RTM_TW);
}

/* [b, b + total) is off the lists and not counted free; b's PREV_FREE bit is
 * right. Make bs bytes of it a used block and give back the rest when it is
 * at least MIN_BLOCK: [----b: total----][n] -> [b: bs][tail: free][n]
 * (realloc's split; alloc places its blocks by carve_top()). O(1). */
RTM_TLSF_INLINE void *take(rtm_tlsf_t *t, uintptr_t b, size_t total, size_t bs)
{
    size_t rest = total - bs;
    rtm_tw_t pf = *hdr(b) & RTM_TF_PREV_FREE;
    RTM_ASSERT(total >= bs && bs >= RTM_BMIN && (bs & (RTM_G - 1u)) == 0u);
    RTM_STEP();
    /* the next block follows a used one, unless insert() below puts the
     * tail before it (and sets the bit again) */
    *hdr(b + total) &= RTM_TF_NOT_PREV_FREE;
    if (rest >= RTM_BMIN) {
        uintptr_t tail = b + bs;
        rtm_tlsf_insert_(t, tail, rest);
#if RTMEM_CFG_HARDEN >= 2
        /* realloc's tail may hold old data */
        rtm_tlsf_poison(tail + 3u * RTM_TW, tail + rest - RTM_TW);
#endif
        total = bs;
    }
    return mark_used(t, b, total, pf);
}

void *rtm_tlsf_take_(rtm_tlsf_t *t, uintptr_t b, size_t total, size_t bs)
{
    return take(t, b, total, bs);
}

/* find_in() gave b, the head of list idx (0: none), and head_ok() did not
 * pass it: 0, counted as a failure when there is none, reported as
 * RTM_ERR_CORRUPT when the list held a damaged block. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static uintptr_t refuse(rtm_tlsf_t *t, uintptr_t b)
{
    if (b == 0u) {
        t->failed_allocs++;
    } else {
        (void)rtm_fault_raise(&t->fault, RTM_ERR_CORRUPT, t, (void *)b);
    }
    return 0u;
}

uintptr_t rtm_tlsf_grab_(rtm_tlsf_t *t, size_t bs)
{
    unsigned idx = 0u;
    uintptr_t b = 0u;
    if (!find_in(t, bs, &idx, &b)) {
        return refuse(t, 0u);
    }
    if (!head_ok(t, b, bsize(b))) {
        return refuse(t, b);
    }
    pop(t, b, idx);
    t->free_blocks--;
    t->alloc_count++;
    return b;
}

/* ---- Pointer checks (O(1)) ---------------------------------------------- */


/* check_used() refused the block b with header h: which fault? One cold
 * classifier for every refusal after the pointer's range and alignment, out
 * of line (off the common path).
 * - h is not a used block's header (`used` false): a valid free block is a
 *   double free, anything else an interior pointer.
 * - h is a used block's header but a neighbour disagrees (`used` true): is b
 *   a block freed before? A block carved from the top of a free block
 *   merges down into it when freed, leaving its old header ("used, after a
 *   free block") inside the merged block: when the word before b leads to a
 *   free block that reaches past b, b is such a block. Anything else is
 *   damage.
 * O(1), read-only. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static rtm_err_t fault_of_(const rtm_tlsf_t *t, uintptr_t b, rtm_tw_t h, bool used)
{
    if (!used) {
        if ((h & RTM_TF_STATE) != RTM_TF_USED) {
            /* b lies in the span: check_used() tested p first */
            return free_at(t, b, rtm_tlsf_hsize(h)) ? RTM_ERR_DOUBLE_FREE : RTM_ERR_INTERIOR_PTR;
        }
#if RTMEM_CFG_HARDEN >= 2
        if (h == RTM_POISON) {
            return RTM_ERR_DOUBLE_FREE; /* p lies in freed memory: freed before */
        }
#endif
        return RTM_ERR_INTERIOR_PTR;
    }
    if ((h & RTM_TF_PREV_FREE) == 0u) {
        return RTM_ERR_CORRUPT;
    }
    /* the word before b is free memory here; b lies in the span, so x
     * does when it is not below it */
    uintptr_t x = b - prev_size(b);
    if (x < t->lo || x >= b) {
        return RTM_ERR_CORRUPT;
    }
    rtm_tw_t hx = *hdr(x);
    return (hx & RTM_TF_MASK) == RTM_TF_FREE && rtm_tlsf_hsize(hx) > b - x ? RTM_ERR_DOUBLE_FREE
                                                                           : RTM_ERR_CORRUPT;
}

/* fault_of_(), which is never RTM_OK: said so where it is called, so that
 * free branches straight to the fault. */
RTM_TLSF_INLINE rtm_err_t fault_of(const rtm_tlsf_t *t, uintptr_t b, rtm_tw_t h, bool used)
{
    rtm_err_t e = fault_of_(t, b, h, used);
    return e != RTM_OK ? e : RTM_ERR_INTERIOR_PTR;
}
#define used_fault(t, b, h) fault_of((t), (b), (h), false)
#define STALE(t, b, h) fault_of((t), (b), (h), true)

/* Is h a used header with the big flag, valid because its size needs it
 * (a bit from 2^23 up), with the flags under `mask` exactly USED? What
 * used_ok() says of a header that used_small() refused, in two tests:
 * without the big flag, used_ok() is the test used_small() made. */
static inline bool big_used(rtm_tw_t h, rtm_tw_t mask)
{
    return ((uint32_t)h >> RTM_TCHK_SHIFT) > (uint32_t)(RTM_TF_BIG >> RTM_TCHK_SHIFT) &&
           (h & mask) == RTM_TF_USED;
}

/* Is p the payload of a used block whose neighbours agree? O(1), read-only:
 * the header, the successor's header and, for each free neighbour, its
 * header and size copy; these are the reads coalescing needs anyway, so on
 * success *u holds everything free() and realloc() merge with. A valid free
 * block is a double free; a header that cannot be a used block (state bits,
 * a size running out of the span) makes p an interior pointer; a used header
 * whose neighbours disagree is corruption. Each header is first tried as a
 * used block below RTM_TCHK_SMALL in one compare (used_xor); only a header
 * that fails it goes on to the tests that name the fault or admit a big
 * block, which then continue where the fast test would have: no test runs
 * twice on any path. */
RTM_TLSF_INLINE rtm_err_t check_used(const rtm_tlsf_t *t, const void *p, rtm_used_t *u)
{
    uintptr_t a = (uintptr_t)p;
    if (a < t->lo + RTM_TW || a >= t->hi) {
        return RTM_ERR_FOREIGN_PTR;
    }
    if ((a & (RTM_G - 1u)) != 0u) {
        return RTM_ERR_INTERIOR_PTR;
    }
    uintptr_t b = a - RTM_TW;
    rtm_tw_t h = *hdr(b);
    size_t s;
    if ((h & RTM_TF_BIG) == 0u) {
        /* state bits, check byte and a size of at least MIN_BLOCK
         * (PREV_FREE apart) in one test: the header mark_used() wrote for
         * this place and size */
        uint32_t z = used_xor(t, b, h & RTM_TF_NOT_PREV_FREE);
        if (!used_block(z)) {
            return used_fault(t, b, h);
        }
        s = (size_t)z;
    } else {
        if (!big_used(h, RTM_TF_STATE)
#if RTMEM_CFG_HARDEN >= 2
            || h == RTM_POISON
#endif
        ) {
            return used_fault(t, b, h);
        }
        s = rtm_tlsf_used_size(h);
    }
    if (s > t->hi - a) {
        return RTM_ERR_INTERIOR_PTR;
    }
#if RTMEM_CFG_HARDEN >= 2
    if (*rtm_tlsf_word(b + s - RTM_TW) != rtm_tlsf_guard(b - t->origin, RTM_CANARY(t))) {
        return STALE(t, b, h); /* an overrun past the payload, or freed before */
    }
#endif
    /* Successor: a valid free block, or a used block's header (PREV_FREE
     * clear, its own check byte: so a forged header must also land on a
     * real one). */
    rtm_tw_t nh = *hdr(b + s);
    size_t ns = 0u;
    if ((nh & RTM_TF_MASK) == RTM_TF_FREE) {
        if (!next_free_ok(t, b + s, nh)) {
            return STALE(t, b, h);
        }
        ns = rtm_tlsf_hsize(nh);
    } else if (RTM_UNLIKELY_(!used_small(used_xor(t, b + s, nh))) && !big_used(nh, RTM_TF_MASK)) {
        return STALE(t, b, h);
    }
    /* The word before b is the previous block's size copy only when that
     * block is free; otherwise it is a live block's user data, owned by
     * another thread, and must not be read. */
    size_t ps = 0u;
    if ((h & RTM_TF_PREV_FREE) != 0u) {
        ps = prev_size(b);
        if (!prev_free_ok(t, b, ps)) {
            return STALE(t, b, h);
        }
    }
    u->b = b;
    u->s = s;
    u->ps = ps;
    u->ns = ns;
    return RTM_OK;
}

rtm_err_t rtm_tlsf_check_used_(const rtm_tlsf_t *t, const void *p, rtm_used_t *u)
{
    return check_used(t, p, u);
}

/* Return the checked used block u to the free lists, merging with its free
 * neighbours: [prev: free][b][next: free] -> [---- one free block ----].
 * O(1). */
static void release(rtm_tlsf_t *t, const rtm_used_t *u)
{
    RTM_ASSERT(u->s >= RTM_BMIN && (u->ps == 0u || u->ps >= RTM_BMIN));
    uintptr_t b = u->b - u->ps;
    size_t s = u->ps + u->s + u->ns;
    /* One free neighbour, and the merged block keeps its class: the merged
     * block takes that neighbour's place in its list. */
    if (u->ns == 0u && u->ps != 0u && same_class(u->ps, s)) {
        resize(b, s);
        return;
    }
    unsigned idx = class_of(s);
    if (u->ps == 0u && u->ns != 0u && same_class(u->ns, s)) {
        relink(t, u->b + u->s, b, s, idx);
        return;
    }
    if (u->ps != 0u) {
        unlink_block(t, b, u->ps);
    }
    if (u->ns != 0u) {
        unlink_block(t, u->b + u->s, u->ns);
    }
    insert_in(t, b, s, idx);
    t->free_blocks++;
}

/* ---- Allocation --------------------------------------------------------- */

/* The block at payload p was carved from the free block [f, f + total):
 * p, or (RTMEM_CFG_HARDEN=2) NULL and RTM_ERR_CORRUPT when the poison of
 * the part handed out was overwritten after it was freed (the block then
 * stays allocated, lost, and the heap consistent). */
static void *handed(rtm_tlsf_t *t, void *p, uintptr_t f, size_t total)
{
#if RTMEM_CFG_HARDEN >= 2
    uintptr_t ub = (uintptr_t)p - RTM_TW;
    uintptr_t a = ub + RTM_TW > f + 3u * RTM_TW ? ub + RTM_TW : f + 3u * RTM_TW;
    uintptr_t z = ub + rtm_tlsf_used_size(*hdr(ub)) - RTM_TW; /* before the guard */
    if (z > f + total - RTM_TW) {
        z = f + total - RTM_TW;
    }
    if (a < z && !rtm_tlsf_poisoned(a, z)) {
        (void)rtm_fault_raise(&t->fault, RTM_ERR_CORRUPT, t, p);
        return NULL;
    }
#else
    (void)t;
    (void)f;
    (void)total;
#endif
    return p;
}

/* alloc without the gate and the event report (realloc's inner alloc).
 * size >= 1. */
RTM_TLSF_INLINE void *alloc_in(rtm_tlsf_t *t, size_t size)
{
    /* A request above MAX_ARENA fits no block: refused before its block
     * size could wrap; below it, the block size is larger than every
     * block whenever the request is, and find_in() refuses it. */
    size_t bs = RTM_TLSF_BLOCK_SIZE(size);
    unsigned idx = 0u;
    uintptr_t f = 0u;
    if (RTM_UNLIKELY_(size > RTM_TLSF_MAX_ARENA || !find_in(t, bs, &idx, &f) ||
                      !head_ok(t, f, bsize(f)))) {
        (void)refuse(t, f); /* none (a failure) or a damaged block (a fault) */
        return NULL;
    }
    size_t total = bsize(f);
    t->alloc_count++;
    size_t rest = total - bs;
    RTM_STEP();
    if (rest < RTM_BMIN) { /* too little to split off: the whole block */
        pop(t, f, idx); /* find gives the head of list idx */
        t->free_blocks--;
        *hdr(f + total) &= RTM_TF_NOT_PREV_FREE;
        return handed(t, mark_used(t, f, total, 0u), f, total);
    }
    /* When the tail left by the split keeps the block's class, it takes the
     * block's place in its list (a free block's predecessor is used, so f's
     * PREV_FREE bit is clear); otherwise the block leaves its list, which
     * find() says it heads, and the tail joins the list of class ri
     * (computed here, not again). */
    unsigned ri = class_of(rest);
    rtm_tw_t nh = *hdr(f + total);
    if (ri != idx) {
        /* The next block follows a used one, unless the tail lies before
         * it (insert_at sets the bit again). */
        pop(t, f, idx);
        *hdr(f + total) = nh & RTM_TF_NOT_PREV_FREE;
    }
    if (carve_top(nh, bs)) { /* [f: free tail][used: bs][next] */
        if (ri == idx) { /* the tail keeps f's address and list place */
            /* resize() without the PREV_FREE bit it would set in the
             * header that mark_used() writes just after */
            free_words(f, rest);
            *hdr(f + total) = nh & RTM_TF_NOT_PREV_FREE;
        } else {
            insert_at(t, f, rest, ri);
        }
        return handed(t, mark_used(t, f + rest, bs, RTM_TF_PREV_FREE), f, total);
    }
    if (ri == idx) { /* [f: used][tail: free][next] */
        relink(t, f, f + bs, rest, idx);
    } else {
        insert_at(t, f + bs, rest, ri);
    }
    return handed(t, mark_used(t, f, bs, 0u), f, total);
}

void *rtm_tlsf_alloc_in_(rtm_tlsf_t *t, size_t size)
{
    return alloc_in(t, size);
}

void *rtm_tlsf_alloc(rtm_tlsf_t *t, size_t size)
{
    if (t == NULL || size == 0u) {
        return NULL;
    }
    void *p = RTM_GATE(&t->fault, t, size) ? rtm_tlsf_refused(t) : alloc_in(t, size);
    RTM_EVENT(p != NULL ? RTM_EV_ALLOC : RTM_EV_FAIL, t, p, NULL, size);
    return p;
}

/* free without the instance's NULL test and the event report. A NULL p
 * lies below every span (init refuses a NULL buffer, so lo > W), so the
 * range test refuses it: free(NULL) is told apart on the refusal's path
 * only, where it does nothing. */
static rtm_err_t free_in(rtm_tlsf_t *t, void *p)
{
    rtm_used_t u;
    rtm_err_t e = check_used(t, p, &u);
    if (e != RTM_OK) {
        return p == NULL ? RTM_OK : rtm_fault_raise(&t->fault, e, t, p);
    }
    release(t, &u);
#if RTMEM_CFG_HARDEN >= 2
    { /* what is now inside the merged free block: the block, the absorbed
       * size copy before it and header and links after it */
        uintptr_t m = u.b - u.ps;
        uintptr_t a = u.ps != 0u ? u.b - RTM_TW : u.b;
        uintptr_t z = u.b + u.s + (u.ns != 0u ? 3u * RTM_TW : 0u);
        uintptr_t lo = m + 3u * RTM_TW;
        uintptr_t hi = m + u.ps + u.s + u.ns - RTM_TW;
        rtm_tlsf_poison(a > lo ? a : lo, z < hi ? z : hi);
    }
#endif
    t->free_count++;
    t->used_bytes -= u.s;
    return RTM_OK;
}

rtm_err_t rtm_tlsf_free(rtm_tlsf_t *t, void *p)
{
    if (t == NULL) {
        return RTM_ERR_NULL;
    }
    rtm_err_t e = free_in(t, p);
    if (e == RTM_OK && p != NULL) {
        RTM_EVENT(RTM_EV_FREE, t, p, NULL, 0u);
    }
    return e;
}

/* The pieces tlsf_realloc.c shares (tlsf_internal.h): one copy each. */
rtm_err_t rtm_tlsf_free_in_(rtm_tlsf_t *t, void *p)
{
    return free_in(t, p);
}

void *rtm_tlsf_handed_(rtm_tlsf_t *t, void *p, uintptr_t f, size_t total)
{
    return handed(t, p, f, total);
}

void rtm_tlsf_unlink_(rtm_tlsf_t *t, uintptr_t b, size_t s)
{
    unlink_block(t, b, s);
}
