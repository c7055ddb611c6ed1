/* rtm_tlsf private: the good-fit search, the checks of a block taken from
 * a list and of list links, the carve end (placement), and the header and
 * neighbour tests of the pointer check. Included by
 * src/tlsf.c only; static inline, so its code is that file's. */
#ifndef RTM_TLSF_FIT_H
#define RTM_TLSF_FIT_H

#include "tlsf_internal.h"

/* Is there a free block of at least bs bytes? It is *f, and heads list
 * *list. Good fit in two O(1) steps, no loop: the first block of bs's own
 * class if it is large enough (the tightest candidate; classes below
 * 2^FL_SHIFT are exact, so there it always fits), else the first block of
 * the next non-empty higher class, where every block fits (two bitmap
 * scans). The answer apart from *f lets the caller branch once. */
RTM_TLSF_INLINE bool find_in(rtm_tlsf_t *t, size_t bs, unsigned *list, uintptr_t *f)
{
    unsigned idx = class_of(bs);
    unsigned fl = idx >> RTM_SL_LOG2;
    RTM_STEP();
    if (fl >= t->fl_count) {
        return false; /* larger than every class: larger than every block */
    }
    uintptr_t l = t->heads[idx];
    if (l != 0u && bsize(dec(t, l)) >= bs) {
        *list = idx;
        *f = dec(t, l);
        return true;
    }
    /* fl < fl_count <= RTM_FL_MAX: both shifts stay below 32. */
    uint32_t m = t->sl[fl] & (~1u << (idx & RTM_SL_MASK));
    if (m == 0u) {
        uint32_t fm = t->fl_map & (~1u << fl);
        if (fm == 0u) {
            return false;
        }
        fl = ffs32(fm);
        m = t->sl[fl];
    }
    *list = (fl << RTM_SL_LOG2) | ffs32(m);
    *f = dec(t, t->heads[*list]);
    return true;
}

/* Could l be a link to a block header: inside the span, with room for a
 * minimum block? 0 (none) is not. One comparison. */
static inline bool link_ok(const rtm_tlsf_t *t, uintptr_t l)
{
    return dec(t, l) - t->lo <= t->hi - RTM_BMIN - t->lo;
}

/* Is l (not 0) a link to a block in the span whose list link at offset
 * off (RTM_TW: next, 2 RTM_TW: prev) leads back to the link me? */
static inline bool back_ok(const rtm_tlsf_t *t, uintptr_t l, uintptr_t off, uintptr_t me)
{
    return link_ok(t, l) && (uintptr_t)(*rtm_tlsf_word(dec(t, l) + off) ^ RTM_CANARY(t)) == me;
}

/* Are the list links of the free block x (size s) consistent: each
 * neighbour in the list a reachable block that links back to x, and x the
 * head of its list when it has no predecessor? Checked before a block is
 * unlinked, so that a stray write into a free block (write after free, an
 * overrun) is reported instead of followed. O(1), read-only. */
static bool links_ok(const rtm_tlsf_t *t, uintptr_t x, size_t s)
{
    uintptr_t n = get_next(t, x);
    uintptr_t p = get_prev(t, x);
    uintptr_t me = enc(t, x);
    if (n != 0u && !back_ok(t, n, 2u * RTM_TW, me)) {
        return false;
    }
    return p != 0u ? back_ok(t, p, RTM_TW, me) : t->heads[class_of(s)] == me;
}

/* Is f, taken from the head of a list, a sound free block of `total`
 * bytes: a free header, a size inside the span, a matching size copy (a
 * single stray write cannot forge both), no list predecessor, and a next
 * block that links back? O(1), read-only: alloc checks this before it
 * trusts the block. */
RTM_TLSF_INLINE bool head_ok(const rtm_tlsf_t *t, uintptr_t f, size_t total)
{
    /* total is the size in f's header: the range test first (so that the
     * size copy read stays in the span), then the header's flags and the
     * size copy in one compare */
    if (total > t->hi - RTM_TW - f || !free_pair(*hdr(f), *rtm_tlsf_word(f + total - RTM_TW)) ||
        get_prev(t, f) != 0u) {
        return false;
    }
    uintptr_t n = get_next(t, f);
    return n == 0u || back_ok(t, n, 2u * RTM_TW, enc(t, f));
}

/* Which end of the free block alloc carves bs bytes from, given the header
 * h of the block above it:
 * the top when the block above is small (under RTM_TLSF_CARVE_NEAR bytes)
 * or the region's end (a 0-size sentinel), the reverse for blocks over
 * RTM_TLSF_CARVE_LARGE bytes. The leftover then lies against the larger
 * neighbour, whose release makes a larger hole. */
RTM_TLSF_INLINE bool carve_top(rtm_tw_t h, size_t bs)
{
    /* h is the header above: a used block's (its size below the check
     * byte, or the big flag) or the region's sentinel (size 0). It is
     * under NEAR bytes exactly when no size bit from NEAR up and no big
     * flag is set: rotated left by one, the big flag comes to bit 0, and
     * those bits less one wrap exactly when they are all clear. Then
     * (near) != (bs > LARGE) as the sign of an XOR (sizes stay below
     * 2^31). */
    uint32_t r = ((uint32_t)h << 1) | ((uint32_t)h >> 31);
    size_t near = (size_t)(r & ((((uint32_t)RTM_TCHK_SMALL - 1u) & ~(uint32_t)(RTM_TLSF_CARVE_NEAR - 1u)) << 1 | 1u)) - 1u;
    size_t large = (size_t)RTM_TLSF_CARVE_LARGE - bs;
    return ((near ^ large) >> (sizeof(size_t) * CHAR_BIT - 1u)) != 0u;
}

/* ---- Pieces of the pointer check (check_used in tlsf.c) ----------------- */

/* Is there a valid free block of s bytes at x, a header address inside
 * the span: header exactly "s | FREE" (a free block's predecessor is used)
 * and a matching size copy? The range tests come first so that no read
 * leaves the span. */
static bool free_at(const rtm_tlsf_t *t, uintptr_t x, size_t s)
{
    RTM_ASSERT(rtm_tlsf_in_span(t, x));
    return s >= RTM_BMIN && s <= t->hi - RTM_TW - x &&
           (size_t)*hdr(x) == (s | RTM_TF_FREE) && prev_size(x + s) == s;
}

/* The successor x of a used block that ends inside the span (so x lies in
 * it), with header word h: free_at(x, size in h) and sound list links
 * (links_ok), a free neighbour that free() or realloc() may unlink. */
RTM_TLSF_INLINE bool next_free_ok(const rtm_tlsf_t *t, uintptr_t x, rtm_tw_t h)
{
    size_t s = rtm_tlsf_hsize(h);
    return (h & RTM_TF_MASK) == RTM_TF_FREE && s >= RTM_BMIN && s <= t->hi - RTM_TW - x &&
           prev_size(x + s) == s && links_ok(t, x, s);
}

/* The predecessor of the used block b, whose size copy (the word before b)
 * says s: free_at(b - s, s) and sound list links. It ends at b, below the
 * span's end, and its size copy is the word read: what is left to check is
 * its start, its header and its links. */
RTM_TLSF_INLINE bool prev_free_ok(const rtm_tlsf_t *t, uintptr_t b, size_t s)
{
    return s >= RTM_BMIN && s <= b - t->lo && (size_t)*hdr(b - s) == (s | RTM_TF_FREE) &&
           links_ok(t, b - s, s);
}

/* h with what mark_used() adds to a size taken out (the check byte for the
 * block at b, and USED): the size itself when h is exactly the header of a
 * used block below RTM_TCHK_SMALL with FREE, PREV_FREE and the big flag
 * clear; else a word with a bit set outside bits 3..22. The check byte
 * depends on size bits 3..10 only, which h holds in place, so h serves as
 * the size. */
static inline uint32_t used_xor(const rtm_tlsf_t *t, uintptr_t b, rtm_tw_t h)
{
    return (uint32_t)h ^ (uint32_t)rtm_tlsf_chk(b - t->origin, (size_t)h, RTM_CANARY(t)) ^
           (uint32_t)RTM_TF_USED;
}

/* Has z, from used_xor(), only bits 3..22 (one rotation, one compare)? */
static inline bool used_small(uint32_t z)
{
    return ((z >> 3) | (z << 29)) < ((uint32_t)RTM_TCHK_SMALL >> 3);
}

/* used_small(z), and z at least MIN_BLOCK (one subtraction more)? */
static inline bool used_block(uint32_t z)
{
    return ((z >> 3) | (z << 29)) - (uint32_t)(RTM_BMIN >> 3) <
           (uint32_t)((RTM_TCHK_SMALL - RTM_BMIN) >> 3);
}

#endif /* RTM_TLSF_FIT_H */
