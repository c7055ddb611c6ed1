/*
 * Private core of the free-list allocator (src/freelist_addr.h: heap_4/5's
 * address order; src/freelist_size.c: heap_2's size order): the constants,
 * accessors and the forced-inline steps both disciplines share. Included by
 * those two only.
 */
#ifndef RTM_FREELIST_CORE_H
#define RTM_FREELIST_CORE_H

#include "freelist.h"
#include "freelist_acc.h"

#include <string.h>

#include "rtm_hooks.h"
#include "rtm_internal.h"

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

static inline void *fail_alloc(rtm_fl_t *fl)
{
    fl->failed_allocs++;
    return NULL;
}

/* Damage found on an allocation path: fault, then a clean failure. */
static inline void *corrupt(rtm_fl_t *fl, const void *where)
{
    (void)rtm_fault_raise(&fl->fault, RTM_ERR_CORRUPT, fl, where);
    return fail_alloc(fl);
}

/* ---- Allocation steps ---------------------------------------------------- */

/* Take `blk` (listed after `prev`) for a block of `want` bytes. A rest larger
 * than the minimum block is split off and linked after `slot`:
 *   [prev] -> [------blk------] -> [x]   becomes
 *   [prev] -> [rest] -> [x]   with [blk|rest] in memory (address order,
 *   slot = prev), or the rest goes to its size slot (heap_2). */
FL_CORE void *take(rtm_fl_t *fl, link_t *prev, link_t *blk, link_t *slot, size_t want)
{
    size_t got = blk->size;
    RTM_ASSERT(got >= want && fl->free_bytes >= got); /* checked by the caller */
    RTM_ASSERT(((addr(blk) | want) & (FL_ALIGN - 1u)) == 0u); /* link checks, BLOCK_SIZE */
    prev->next = blk->next;
    if (got - want > RTM_FL_MIN_BLOCK) {
        link_t *r = at(addr(blk) + want);
        r->size = got - want;
        got = want;
        r->next = slot->next;
        slot->next = enc(fl, r);
    }
    blk->size = got | RTM_FL_USED_BIT;
    blk->next = rtm_fl_chk(fl, blk, got | RTM_FL_USED_BIT);
    fl->alloc_count++;
    fl->free_bytes -= got;
    if (fl->free_bytes < fl->min_ever_free) {
        fl->min_ever_free = fl->free_bytes;
    }
    return (uint8_t *)blk + FL_HDR;
}

/* The event report after every placement (the gate is the caller's). */
FL_CORE void *alloc_done(rtm_fl_t *fl, size_t n, void *p)
{
    RTM_EVENT(p != NULL ? RTM_EV_ALLOC : RTM_EV_FAIL, fl, p, NULL, n);
    (void)fl;
    (void)n;
    return p;
}

/* ---- Free steps ----------------------------------------------------------- */

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
static inline rtm_err_t why_not_live(const link_t *b, uintptr_t e)
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
#define FL_COLD __attribute__((noinline, cold, unused))
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

/* The user bytes of a block of sz bytes just freed: zeroed on request (or
 * poisoned). */
FL_CORE void wipe(const rtm_fl_t *fl, link_t *blk, size_t sz)
{
    if (fl->clear_on_free) {
        memset((uint8_t *)blk + FL_HDR, 0, sz - FL_HDR);
    } else {
        rtm_fl_poison(fl, addr(blk) + FL_HDR, addr(blk) + sz);
    }
}

/* The block becomes free: allocated bit off, user bytes wiped. */
FL_CORE void release(rtm_fl_t *fl, link_t *blk)
{
    blk->size = bsize(blk);
    RTM_ASSERT(blk->size <= fl->total_bytes - fl->free_bytes); /* a live block */
    wipe(fl, blk, blk->size);
    fl->free_bytes += blk->size;
    fl->free_count++;
}

/* The event report after a free that took the block. */
static inline rtm_err_t freed(rtm_fl_t *fl, void *p, rtm_err_t err)
{
    if (err == RTM_OK && p != NULL) {
        RTM_EVENT(RTM_EV_FREE, fl, p, NULL, 0u);
    }
    (void)fl;
    return err;
}

#endif /* RTM_FREELIST_CORE_H */
