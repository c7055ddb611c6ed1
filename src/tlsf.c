/*
 * rtm_tlsf: two-level segregated-fit heap, O(1) alloc and free.
 * Layout, bounds and bad-input rules: include/rtmem/tlsf.h.
 */
#include "rtmem/tlsf.h"

#include <limits.h>
#include <string.h>

#include "rtm_hooks.h"
#include "rtm_internal.h"
#include "tlsf_internal.h"

_Static_assert(RTMEM_CFG_TLSF_SL_LOG2 >= 2 && RTMEM_CFG_TLSF_SL_LOG2 <= 5,
               "RTMEM_CFG_TLSF_SL_LOG2 must be 2..5 (SL bitmap is 32 bits)");
_Static_assert(RTMEM_CFG_TLSF_USE_BUILTIN_CLZ == 0 || RTMEM_CFG_TLSF_USE_BUILTIN_CLZ == 1,
               "RTMEM_CFG_TLSF_USE_BUILTIN_CLZ must be 0 or 1");
_Static_assert(RTMEM_CFG_TLSF_ALIGN == 8 || RTMEM_CFG_TLSF_ALIGN == 16 ||
                   RTMEM_CFG_TLSF_ALIGN == 32 || RTMEM_CFG_TLSF_ALIGN == 64,
               "RTMEM_CFG_TLSF_ALIGN must be 8, 16, 32 or 64");
_Static_assert((1u << RTM_TLSF_ALIGN_LOG2) == RTM_TLSF_ALIGN, "ALIGN_LOG2");
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

#define RTM_TF_STATE (RTM_TF_FREE | RTM_TF_USED)

/* Forced inlining puts a helper's code into the one caller that the minimal
 * init+alloc+free link keeps, sparing the call, the argument moves and the
 * struct passed through memory; the other callers share an out-of-line copy
 * (see check_used_out) or are dropped by --gc-sections when unused. */
#if defined(__GNUC__)
#define RTM_TLSF_INLINE static inline __attribute__((always_inline))
#else
#define RTM_TLSF_INLINE static inline
#endif
#define RTM_SL_MASK (RTM_SL_COUNT - 1u)
/* Largest first-level count: the FL bitmap is 32 bits and find() shifts it
 * by up to fl_count places. */
#define RTM_FL_MAX 31u

/* ---- Bit scans ---------------------------------------------------------- */

#if RTMEM_CFG_TLSF_USE_BUILTIN_CLZ
/* floor(log2(x)), x != 0. */
static inline unsigned fls_sz(size_t x)
{
    if (sizeof(size_t) == sizeof(unsigned long long)) {
        return (unsigned)(sizeof(unsigned long long) * CHAR_BIT - 1u) -
               (unsigned)__builtin_clzll((unsigned long long)x);
    }
    return (unsigned)(sizeof(unsigned long) * CHAR_BIT - 1u) -
           (unsigned)__builtin_clzl((unsigned long)x);
}

/* Index of the lowest set bit, x != 0. */
static inline unsigned ffs32(uint32_t x)
{
    return (unsigned)__builtin_ctzl((unsigned long)x);
}
#else
/* Portable: five fixed steps per 32 bits, no data-dependent loop. */
static inline unsigned fls32_soft(uint32_t x)
{
    unsigned n = 0;
    if ((x & 0xFFFF0000u) != 0u) { n += 16u; x >>= 16; }
    if ((x & 0xFF00u) != 0u) { n += 8u; x >>= 8; }
    if ((x & 0xF0u) != 0u) { n += 4u; x >>= 4; }
    if ((x & 0xCu) != 0u) { n += 2u; x >>= 2; }
    if ((x & 0x2u) != 0u) { n += 1u; }
    return n;
}

static inline unsigned fls_sz(size_t x)
{
#if SIZE_MAX > 0xFFFFFFFFu
    if (((uint64_t)x >> 32) != 0u) {
        return 32u + fls32_soft((uint32_t)((uint64_t)x >> 32));
    }
#endif
    return fls32_soft((uint32_t)x);
}

static inline unsigned ffs32(uint32_t x)
{
    return fls32_soft(x & (0u - x));
}
#endif

/* ---- Block accessors ---------------------------------------------------- */

static inline rtm_tw_t *hdr(uintptr_t b) { return rtm_tlsf_word(b); }
static inline rtm_tw_t *nextf(uintptr_t b) { return rtm_tlsf_word(b + RTM_TW); }
static inline rtm_tw_t *prevf(uintptr_t b) { return rtm_tlsf_word(b + 2u * RTM_TW); }
static inline size_t bsize(uintptr_t b) { return rtm_tlsf_hsize(*hdr(b)); }
/* The size copy in a free block's last word, read through its successor
 * (flag bits masked, so a damaged copy still gives an aligned address). */
static inline size_t prev_size(uintptr_t b) { return rtm_tlsf_hsize(*rtm_tlsf_word(b - RTM_TW)); }

/* List links in free blocks; with RTMEM_CFG_HARDEN >= 1 stored XOR-ed with
 * the canary, so a stray write cannot plant a chosen link. */
static inline uintptr_t get_next(const rtm_tlsf_t *t, uintptr_t b)
{
    (void)t;
    return (uintptr_t)(*nextf(b) ^ RTM_CANARY(t));
}
static inline uintptr_t get_prev(const rtm_tlsf_t *t, uintptr_t b)
{
    (void)t;
    return (uintptr_t)(*prevf(b) ^ RTM_CANARY(t));
}
static inline void set_next(const rtm_tlsf_t *t, uintptr_t b, uintptr_t l)
{
    (void)t;
    *nextf(b) = (rtm_tw_t)(l ^ RTM_CANARY(t));
}
static inline void set_prev(const rtm_tlsf_t *t, uintptr_t b, uintptr_t l)
{
    (void)t;
    *prevf(b) = (rtm_tw_t)(l ^ RTM_CANARY(t));
}

/* Link <-> address. A link is the block's distance from t->origin in ALIGN
 * units; 0 means none. origin is one word before the control structure, so
 * the "block" of link 0 has its next/prev fields in the control structure's
 * first two words (RTM_NIL_WORDS): list updates aimed at a missing neighbour
 * land there harmlessly, and insert/unlink need no test for it. */
static inline uintptr_t dec(const rtm_tlsf_t *t, uintptr_t l)
{
    return t->origin + (l << RTM_TLSF_ALIGN_LOG2);
}

static inline uintptr_t enc(const rtm_tlsf_t *t, uintptr_t b)
{
    return (b - t->origin) >> RTM_TLSF_ALIGN_LOG2;
}

/* The header of a used block of size s at b (flags apart from USED): its
 * check byte depends on b's place in the heap, not on where the heap is. */
static inline rtm_tw_t used_word(const rtm_tlsf_t *t, uintptr_t b, size_t s)
{
    return rtm_tlsf_used_word(b - t->origin, s, RTM_CANARY(t));
}

/* Is h the header mark_used() (or region_setup(), for a sentinel) wrote at
 * b, flags apart? */
static inline bool used_ok(const rtm_tlsf_t *t, uintptr_t b, rtm_tw_t h)
{
    return ((h ^ used_word(t, b, rtm_tlsf_used_size(h))) & ~RTM_TF_MASK) == 0u;
}

/* ---- Size classes ------------------------------------------------------- */

/* List index fl * SL_COUNT + sl of size s (s >= MIN_BLOCK). Below 2^FL_SHIFT
 * the classes are ALIGN bytes wide (fl 0); above, 2^SL per power of two. */
static unsigned class_of(size_t s)
{
    /* l = max(floor(log2 s), FL_SHIFT); s >> (l - SL) is 2^SL + sl above
     * 2^FL_SHIFT and s / ALIGN below: one formula, no branch. */
    unsigned l = fls_sz(s | RTM_SMALL);
    return ((l - RTM_FL_SHIFT) << RTM_SL_LOG2) + (unsigned)(s >> (l - RTM_SL_LOG2));
}

/* First-level classes for blocks smaller than `arena` bytes. */
static unsigned fl_count_of(size_t arena)
{
    return fls_sz((arena - 1u) | (RTM_SMALL - 1u)) - RTM_FL_SHIFT + 2u;
}

/* ---- Free lists --------------------------------------------------------- */

/* List idx turned empty or non-empty: flip its SL bit, and its FL bit when
 * the SL bitmap turns zero or non-zero. One helper for insert and unlink.
 * O(1). */
static void flip(rtm_tlsf_t *t, unsigned idx)
{
    unsigned fl = idx >> RTM_SL_LOG2;
    unsigned old = t->sl[fl];
    unsigned now = old ^ (1u << (idx & RTM_SL_MASK));
    t->sl[fl] = (rtm_tlsf_sl_t)now;
    /* old and now differ in one bit, so they share none exactly when one
     * of them is 0 */
    if ((old & now) == 0u) {
        t->fl_map ^= 1u << fl;
    }
}

/* Make [b, b+s) a free block (header, size copy, the successor's PREV_FREE
 * bit; its predecessor is used: free blocks never touch) and push it on its
 * class list (LIFO: placing the larger block first measured no better on
 * W3). Counts it in free_blocks. O(1). */
static void insert_at(rtm_tlsf_t *t, uintptr_t b, size_t s, unsigned idx)
{
    uintptr_t first = t->heads[idx];
    uintptr_t me = enc(t, b);
    RTM_STEP(t->steps);
    *hdr(b) = (rtm_tw_t)s | RTM_TF_FREE;
    *rtm_tlsf_word(b + s - RTM_TW) = (rtm_tw_t)s;
    *hdr(b + s) |= RTM_TF_PREV_FREE;
    set_next(t, b, (rtm_tw_t)first);
    set_prev(t, b, 0u);
    set_prev(t, dec(t, first), (rtm_tw_t)me); /* first 0: the nil words */
    t->heads[idx] = (rtm_tlsf_head_t)me;
    if (first == 0u) {
        flip(t, idx);
    }
    t->free_blocks++;
}

/* insert into the list of s's class. */
static void insert(rtm_tlsf_t *t, uintptr_t b, size_t s)
{
    insert_at(t, b, s, class_of(s));
}

/* Take free block b (size s) off its list and out of the free counters.
 * O(1). A missing neighbour (link 0) is the nil words: written, never read. */
static void unlink_block(rtm_tlsf_t *t, uintptr_t b, size_t s)
{
    uintptr_t n = get_next(t, b);
    uintptr_t p = get_prev(t, b);
    RTM_STEP(t->steps);
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
    RTM_STEP(t->steps);
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
static void resize(rtm_tlsf_t *t, uintptr_t b, size_t s)
{
    (void)t; /* the step count only (RTMEM_CFG_TEST_HOOKS) */
    RTM_STEP(t->steps);
    *hdr(b) = (rtm_tw_t)s | RTM_TF_FREE;
    *rtm_tlsf_word(b + s - RTM_TW) = (rtm_tw_t)s;
    *hdr(b + s) |= RTM_TF_PREV_FREE;
}

/* Take block b, the head of list idx, off that list: unlink_block without
 * the class computation. O(1). */
static void pop(rtm_tlsf_t *t, uintptr_t b, unsigned idx)
{
    uintptr_t n = get_next(t, b);
    RTM_STEP(t->steps);
    set_prev(t, dec(t, n), 0u);
    t->heads[idx] = (rtm_tlsf_head_t)n;
    if (n == 0u) {
        flip(t, idx);
    }
    t->free_blocks--;
}

/* A free block of at least bs bytes, or 0; it heads list *list. Good fit in
 * two O(1) steps, no loop: the first block of bs's own class if it is large
 * enough (the tightest candidate; classes below 2^FL_SHIFT are exact, so
 * there it always fits), else the first block of the next non-empty higher
 * class, where every block fits (two bitmap scans). */
RTM_TLSF_INLINE uintptr_t find_in(rtm_tlsf_t *t, size_t bs, unsigned *list)
{
    unsigned idx = class_of(bs);
    unsigned fl = idx >> RTM_SL_LOG2;
    RTM_STEP(t->steps);
    if (fl >= t->fl_count) {
        return 0u; /* larger than every class: larger than every block */
    }
    uintptr_t l = t->heads[idx];
    if (l != 0u && bsize(dec(t, l)) >= bs) {
        *list = idx;
        return dec(t, l);
    }
    /* fl < fl_count <= RTM_FL_MAX: both shifts stay below 32. */
    uint32_t m = t->sl[fl] & (~1u << (idx & RTM_SL_MASK));
    if (m == 0u) {
        uint32_t f = t->fl_map & (~1u << fl);
        if (f == 0u) {
            return 0u;
        }
        fl = ffs32(f);
        m = t->sl[fl];
    }
    *list = (fl << RTM_SL_LOG2) | ffs32(m);
    return dec(t, t->heads[*list]);
}

/* Could l be a link to a block header: inside the span, with room for a
 * minimum block? 0 (none) is not. One comparison. */
static inline bool link_ok(const rtm_tlsf_t *t, uintptr_t l)
{
    return dec(t, l) - t->lo <= t->hi - RTM_BMIN - t->lo;
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
    if (n != 0u && (!link_ok(t, n) || get_prev(t, dec(t, n)) != me)) {
        return false;
    }
    return p != 0u ? link_ok(t, p) && get_next(t, dec(t, p)) == me : t->heads[class_of(s)] == me;
}

/* Is f, taken from the head of a list, a sound free block of `total`
 * bytes: a free header, a size inside the span, a matching size copy (a
 * single stray write cannot forge both), no list predecessor, and a next
 * block that links back? O(1), read-only: alloc checks this before it
 * trusts the block. */
RTM_TLSF_INLINE bool head_ok(const rtm_tlsf_t *t, uintptr_t f, size_t total)
{
    if ((size_t)*hdr(f) != (total | RTM_TF_FREE) || total > t->hi - RTM_TW - f ||
        prev_size(f + total) != total || get_prev(t, f) != 0u) {
        return false;
    }
    uintptr_t n = get_next(t, f);
    return n == 0u || (link_ok(t, n) && get_prev(t, dec(t, n)) == enc(t, f));
}

/* Mark [b, b + size) used (keeping b's PREV_FREE bit `pf`) and count it:
 * free bytes are total - used, counted once per operation here and in
 * free(), not in every insert and unlink. Returns the payload. O(1). */
RTM_TLSF_INLINE void *mark_used(rtm_tlsf_t *t, uintptr_t b, size_t size, rtm_tw_t pf)
{
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

/* Which end of the free block [b, b + total) alloc carves bs bytes from:
 * the top when the block above is small (under RTM_TLSF_CARVE_NEAR bytes)
 * or the region's end (a 0-size sentinel), the reverse for blocks over
 * RTM_TLSF_CARVE_LARGE bytes. The leftover then lies against the larger
 * neighbour, whose release makes a larger hole. */
RTM_TLSF_INLINE bool carve_top(uintptr_t b, size_t total, size_t bs)
{
    /* (next < NEAR) != (bs > LARGE) as the sign of an XOR of differences:
     * sizes stay below 2^31 (RTM_TLSF_MAX_ARENA), and the header's flag
     * bits (< ALIGN) do not change a comparison with a multiple of ALIGN */
    rtm_tw_t h = *hdr(b + total); /* a used block's: its size, or 2^23 for a big one */
    size_t near = (size_t)((h & 0x7FFFF8u) | ((h >> 8) & 0x800000u)) - (size_t)RTM_TLSF_CARVE_NEAR;
    size_t large = (size_t)RTM_TLSF_CARVE_LARGE - bs;
    return ((near ^ large) >> (sizeof(size_t) * CHAR_BIT - 1u)) != 0u;
}

/* [b, b + total) is off the lists and not counted free; b's PREV_FREE bit is
 * right. Make bs bytes of it a used block and give back the rest when it is
 * at least MIN_BLOCK: [----b: total----][n] -> [b: bs][tail: free][n], or,
 * when `fit` (alloc) and carve_top() say so, [b: free][bs][n]. O(1). */
RTM_TLSF_INLINE void *take(rtm_tlsf_t *t, uintptr_t b, size_t total, size_t bs, bool fit)
{
    size_t rest = total - bs;
    rtm_tw_t pf = *hdr(b) & RTM_TF_PREV_FREE;
    RTM_STEP(t->steps);
    /* the next block follows a used one, unless insert() below puts the
     * tail before it (and sets the bit again) */
    *hdr(b + total) &= RTM_TF_NOT_PREV_FREE;
    if (rest >= RTM_BMIN) {
        uintptr_t tail = b + bs;
        if (fit && carve_top(b, total, bs)) { /* [b: free tail][used: bs][next] */
            tail = b;
            b += rest;
            pf = RTM_TF_PREV_FREE;
        }
        insert(t, tail, rest);
        total = bs;
    }
    return mark_used(t, b, total, pf);
}

/* Block size for a request (size >= 1: callers handle 0). A size beyond
 * total_bytes is clamped to it: the result is then larger than every block
 * (so the search fails) yet far from wrapping in later sums. */
static size_t block_size(const rtm_tlsf_t *t, size_t size)
{
    return RTM_TLSF_BLOCK_SIZE(size < t->total_bytes ? size : t->total_bytes);
}

/* take for realloc and aligned_alloc: one shared copy. */
static void *take_out(rtm_tlsf_t *t, uintptr_t b, size_t total, size_t bs)
{
    return take(t, b, total, bs, false);
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

/* Find, check, unlink and count a free block of at least bs bytes (0 if
 * none, see refuse). For aligned_alloc; alloc does the same inline. */
static uintptr_t grab_out(rtm_tlsf_t *t, size_t bs)
{
    unsigned idx = 0u;
    uintptr_t b = find_in(t, bs, &idx);
    if (b == 0u || !head_ok(t, b, bsize(b))) {
        return refuse(t, b);
    }
    pop(t, b, idx);
    t->alloc_count++;
    return b;
}

/* ---- Pointer checks (O(1)) ---------------------------------------------- */

static bool in_span(const rtm_tlsf_t *t, uintptr_t b)
{
    return b >= t->lo && b < t->hi;
}

/* Is there a valid free block of s bytes at x: inside the span, header
 * exactly "s | FREE" (a free block's predecessor is used) and a matching
 * size copy? The range tests come first so that no read leaves the span. */
static bool free_at(const rtm_tlsf_t *t, uintptr_t x, size_t s)
{
    return in_span(t, x) && s >= RTM_BMIN && s <= t->hi - RTM_TW - x &&
           (size_t)*hdr(x) == (s | RTM_TF_FREE) && prev_size(x + s) == s;
}

/* free_at, and x's list links are sound (links_ok): a free neighbour that
 * free() or realloc() may unlink. */
static bool free_ok(const rtm_tlsf_t *t, uintptr_t x, size_t s)
{
    return free_at(t, x, s) && links_ok(t, x, s);
}

/* check_used() found b's header "used" but a neighbour that disagrees: is
 * b a block freed before? A block carved from the top of a free block merges down into it when freed, leaving its old
 * header ("used, after a free block") inside the merged block: when the
 * word before b leads to a free block that reaches past b, b is such a
 * block. Anything else is damage. O(1), read-only. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static bool freed_before(const rtm_tlsf_t *t, uintptr_t b, rtm_tw_t h)
{
    if ((h & RTM_TF_PREV_FREE) == 0u) {
        return false;
    }
    uintptr_t x = b - prev_size(b); /* the word before b is free memory here */
    if (!in_span(t, x) || x >= b) {
        return false;
    }
    rtm_tw_t hx = *hdr(x);
    return (hx & RTM_TF_MASK) == RTM_TF_FREE && rtm_tlsf_hsize(hx) > b - x;
}
#define STALE(t, b, h) (freed_before((t), (b), (h)) ? RTM_ERR_DOUBLE_FREE : RTM_ERR_CORRUPT)

/* A used block and its free neighbours, as free() and realloc() need them. */
typedef struct {
    uintptr_t b; /* header */
    size_t s;    /* size */
    size_t ps;   /* size of the free predecessor, 0 if it is used */
    size_t ns;   /* size of the free successor, 0 if it is used */
} rtm_used_t;

/* Is p the payload of a used block whose neighbours agree? O(1), read-only:
 * the header, the successor's header and, for each free neighbour, its
 * header and size copy; these are the reads coalescing needs anyway, so on
 * success *u holds everything free() and realloc() merge with. A valid free
 * block is a double free; a header that cannot be a used block (state bits,
 * a size running out of the span) makes p an interior pointer; a used header
 * whose neighbours disagree is corruption. */
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
    if ((h & RTM_TF_STATE) != RTM_TF_USED) {
        return free_at(t, b, rtm_tlsf_hsize(h)) ? RTM_ERR_DOUBLE_FREE : RTM_ERR_INTERIOR_PTR;
    }
    /* The check byte (or the big flag, for a size that needs it) must be
     * what mark_used() wrote for this address and size. */
    size_t s = rtm_tlsf_used_size(h);
    if (s < RTM_BMIN || s > t->hi - a || !used_ok(t, b, h)) {
        return RTM_ERR_INTERIOR_PTR;
    }
#if RTMEM_CFG_HARDEN >= 2
    if (*rtm_tlsf_word(b + s - RTM_TW) != rtm_tlsf_guard(b - t->origin, RTM_CANARY(t))) {
        return STALE(t, b, h); /* an overrun past the payload, or freed before */
    }
#endif
    /* Successor: a used block's header (PREV_FREE clear, its own check
     * byte: so a forged header must also land on a real one), or a valid
     * free block. */
    rtm_tw_t nh = *hdr(b + s);
    size_t ns = 0u;
    if ((nh & RTM_TF_MASK) != RTM_TF_USED || !used_ok(t, b + s, nh)) {
        ns = rtm_tlsf_hsize(nh);
        if (!free_ok(t, b + s, ns)) {
            return STALE(t, b, h);
        }
    }
    /* The word before b is the previous block's size copy only when that
     * block is free; otherwise it is a live block's user data, owned by
     * another thread, and must not be read. */
    size_t ps = 0u;
    if ((h & RTM_TF_PREV_FREE) != 0u) {
        ps = prev_size(b);
        if (!free_ok(t, b - ps, ps)) {
            return STALE(t, b, h);
        }
    }
    u->b = b;
    u->s = s;
    u->ps = ps;
    u->ns = ns;
    return RTM_OK;
}

/* check_used for realloc and usable_size: one shared copy. */
static rtm_err_t check_used_out(const rtm_tlsf_t *t, const void *p, rtm_used_t *u)
{
    return check_used(t, p, u);
}

/* Return the checked used block u to the free lists, merging with its free
 * neighbours: [prev: free][b][next: free] -> [---- one free block ----].
 * O(1). */
static void release(rtm_tlsf_t *t, const rtm_used_t *u)
{
    uintptr_t b = u->b - u->ps;
    size_t s = u->ps + u->s + u->ns;
    unsigned idx = class_of(s);
    /* One free neighbour, and the merged block keeps its class: the merged
     * block takes that neighbour's place in its list. */
    if (u->ns == 0u && u->ps != 0u && class_of(u->ps) == idx) {
        resize(t, b, s);
        return;
    }
    if (u->ps == 0u && u->ns != 0u && class_of(u->ns) == idx) {
        relink(t, u->b + u->s, b, s, idx);
        return;
    }
    if (u->ps != 0u) {
        unlink_block(t, b, u->ps);
    }
    if (u->ns != 0u) {
        unlink_block(t, u->b + u->s, u->ns);
    }
    insert_at(t, b, s, idx);
}

/* ---- Set-up ------------------------------------------------------------- */

/* A byte loop rather than memset: init is its only caller, and a bare-metal
 * link of init/alloc/free then needs no libc (newlib's memset is 162 bytes
 * on Cortex-M4). volatile keeps the compiler from turning the loop back into
 * a memset call. O(n). */
static void zero(void *p, size_t n)
{
    volatile unsigned char *q = p;
    while (n-- != 0u) {
        *q++ = 0u;
    }
}

/* First block header and sentinel header of a region [start, end): the
 * region descriptor takes the 2 words before the first header. */
static uintptr_t region_first(uintptr_t start)
{
    return RTM_ALIGN_UP(start + 3u * RTM_TW, RTM_G) - RTM_TW;
}

static uintptr_t region_sentinel(uintptr_t end)
{
    return RTM_ALIGN_DOWN(end, RTM_G) - RTM_TW;
}

/* Lay out a region with first header h and sentinel header e: descriptor
 * (prev: the link to the region added before, 0 for the first; and the
 * region's block bytes in ALIGN units), one free block, and a size-0 USED
 * sentinel header. The
 * callers have checked that the block is at least MIN_BLOCK and every header
 * is reachable by a link (RTM_LINK_MAX), and they widen the span [lo, hi).
 * O(1). */
RTM_TLSF_INLINE void region_setup(rtm_tlsf_t *t, uintptr_t h, uintptr_t e, rtm_tw_t prev)
{
    size_t s = (size_t)(e - h);
    *rtm_tlsf_word(h - 2u * RTM_TW) = prev; /* link to the region added before */
    *rtm_tlsf_word(h - RTM_TW) = (rtm_tw_t)(s >> RTM_TLSF_ALIGN_LOG2);
    *hdr(e) = used_word(t, e, 0u); /* a size-0 used block */
    insert(t, h, s);
    t->regions = h;
    t->total_bytes += s;
}

/* Control bytes for fl first-level classes: nil words, SL bitmaps,
 * padding, heads. */
#define RTM_NIL_WORDS (2u * RTM_TW)
static size_t control_bytes(size_t fl)
{
    return RTM_NIL_WORDS + RTM_ALIGN_UP(sizeof(rtm_tlsf_sl_t) * fl, sizeof(rtm_tlsf_head_t)) +
           sizeof(rtm_tlsf_head_t) * RTM_SL_COUNT * fl;
}

size_t rtm_tlsf_control_size(size_t arena_size)
{
    return control_bytes(fl_count_of(arena_size));
}

rtm_err_t rtm_tlsf_init_abi(rtm_tlsf_t *t, void *mem, size_t size, uint32_t abi)
{
    if (t == NULL) {
        return RTM_ERR_NULL;
    }
    zero(t, sizeof(*t)); /* a failed init leaves a dead, empty heap */
    if (abi != RTM_TLSF_ABI) { /* the caller's header saw other layout options */
        return rtm_fault_raise(&t->fault, RTM_ERR_ARG, t, mem);
    }
    if (mem == NULL) {
        return RTM_ERR_NULL;
    }
    uintptr_t start = (uintptr_t)mem;
    unsigned fl = fl_count_of(size);
    size_t cs = control_bytes(fl);
    /* size <= MAX_ARENA keeps fl <= RTM_FL_MAX, sizes within a word and
     * every link within RTM_LINK_MAX; size >= OVERHEAD + MIN_BLOCK leaves a
     * first block of at least MIN_BLOCK whatever the alignment of mem (the
     * bound derived at RTM_TLSF_OVERHEAD). */
    if (start > UINTPTR_MAX - size || size > RTM_TLSF_MAX_ARENA ||
        size < cs + 3u * RTM_TW + 3u * (RTM_G - 1u) + RTM_BMIN) {
        return RTM_ERR_ARG;
    }
    uintptr_t base = RTM_ALIGN_UP(start, RTM_G);
    t->sl = (rtm_tlsf_sl_t *)(base + RTM_NIL_WORDS);
    t->heads = (rtm_tlsf_head_t *)(base + RTM_NIL_WORDS +
                                   RTM_ALIGN_UP(sizeof(rtm_tlsf_sl_t) * fl, sizeof(rtm_tlsf_head_t)));
    t->origin = base - RTM_TW; /* headers sit at -W modulo ALIGN */
    t->fl_count = fl;
#if RTMEM_CFG_HARDEN >= 1
    /* Per instance, from its addresses: what a forged header or link must
     * match differs from one heap (and one firmware layout) to the next. */
    t->canary = (uint32_t)(((uintptr_t)t ^ (start << 7) ^ size) * 0x9E3779B1u) | 1u;
#endif
    zero((void *)base, cs);
    uintptr_t h = region_first(base + cs);
    uintptr_t e = region_sentinel(start + size);
    t->lo = h;
    t->hi = e + RTM_TW;
    region_setup(t, h, e, 0u); /* the first region */
    return RTM_OK;
}

rtm_err_t rtm_tlsf_add_region(rtm_tlsf_t *t, void *mem, size_t size)
{
    if (t == NULL || mem == NULL) {
        return RTM_ERR_NULL;
    }
    if (t->sl == NULL) {
        return RTM_ERR_STATE;
    }
    uintptr_t start = (uintptr_t)mem;
    if (start > UINTPTR_MAX - size || (start < t->hi && start + size > t->origin + RTM_TW) ||
        size < 3u * RTM_TW + RTM_BMIN || size > RTM_TLSF_MAX_ARENA ||
        (class_of(size - 3u * RTM_TW) >> RTM_SL_LOG2) >= t->fl_count) {
        return RTM_ERR_BAD_REGION;
    }
    /* h cannot wrap: start + 3W + ALIGN - 1 < start + size (size >= 3W +
     * MIN_BLOCK, MIN_BLOCK >= ALIGN), which does not wrap. */
    uintptr_t end = start + size;
    uintptr_t h = region_first(start);
    uintptr_t e = region_sentinel(end);
    if (end < h || end - h < RTM_BMIN + RTM_TW || enc(t, e) > RTM_LINK_MAX ||
        enc(t, h) > RTM_LINK_MAX) {
        return RTM_ERR_BAD_REGION;
    }
    /* Regions never overlap the span (checked above): it grows at one end. */
    if (h < t->lo) {
        t->lo = h;
    }
    if (e + RTM_TW > t->hi) {
        t->hi = e + RTM_TW;
    }
    region_setup(t, h, e, (rtm_tw_t)enc(t, t->regions)); /* regions != 0 after init */
    return RTM_OK;
}

/* ---- Allocation --------------------------------------------------------- */

/* alloc without the gate and the event report (realloc's inner alloc).
 * size >= 1. */
RTM_TLSF_INLINE void *alloc_in(rtm_tlsf_t *t, size_t size)
{
    size_t bs = block_size(t, size);
    /* When the tail left by the split keeps the block's class, it takes the
     * block's place in its list (a free block's predecessor is used, so f's
     * PREV_FREE bit is clear); otherwise the block leaves its list, which
     * find() says it heads. */
    unsigned idx = 0u;
    uintptr_t f = find_in(t, bs, &idx);
    size_t total = f != 0u ? bsize(f) : 0u;
    if (f != 0u && head_ok(t, f, total)) {
        t->alloc_count++;
        if (total >= bs + RTM_BMIN && class_of(total - bs) == idx) {
            if (carve_top(f, total, bs)) { /* the tail keeps f's address */
                resize(t, f, total - bs);
                *hdr(f + total) &= RTM_TF_NOT_PREV_FREE;
                return mark_used(t, f + total - bs, bs, RTM_TF_PREV_FREE);
            }
            relink(t, f, f + bs, total - bs, idx);
            return mark_used(t, f, bs, 0u);
        }
        pop(t, f, idx); /* find gives the head of list idx */
        return take(t, f, total, bs, true);
    }
    (void)refuse(t, f); /* none (a failure) or a damaged block (a fault) */
    return NULL;
}

/* alloc_in for realloc: one shared copy. */
static void *alloc_out(rtm_tlsf_t *t, size_t size)
{
    return alloc_in(t, size);
}

/* A gated allocation refused: counted as failed (the gate raised the
 * fault). */
static void *refused(rtm_tlsf_t *t)
{
    t->failed_allocs++;
    return NULL;
}

void *rtm_tlsf_alloc(rtm_tlsf_t *t, size_t size)
{
    if (t == NULL || size == 0u) {
        return NULL;
    }
    void *p = RTM_GATE(&t->fault, t, size) ? refused(t) : alloc_in(t, size);
    RTM_EVENT(p != NULL ? RTM_EV_ALLOC : RTM_EV_FAIL, t, p, NULL, size);
    return p;
}

void *rtm_tlsf_calloc(rtm_tlsf_t *t, size_t n, size_t size)
{
    if (t == NULL) {
        return NULL;
    }
    if (rtm_mul_overflows(n, size)) {
        t->failed_allocs++;
        return NULL;
    }
    void *p = rtm_tlsf_alloc(t, n * size);
    if (p != NULL) {
        memset(p, 0, n * size);
    }
    return p;
}

static void *aligned_in(rtm_tlsf_t *t, size_t align, size_t size)
{
    if (align <= RTM_G && RTM_IS_POW2(align)) {
        return alloc_out(t, size);
    }
    size_t bs = block_size(t, size);
    /* Worst leading gap: MIN_BLOCK + align - ALIGN (a gap is 0 or a block).
     * A bad align asks for more than the heap (the sum cannot wrap). */
    size_t need = block_size(t, t->total_bytes);
    if (RTM_IS_POW2(align) && align <= t->total_bytes) {
        need = bs + RTM_BMIN - RTM_G + align;
    }
    uintptr_t b = grab_out(t, need);
    if (b == 0u) {
        return NULL;
    }
    size_t s = bsize(b);
    uintptr_t pay = b + RTM_TW;
    uintptr_t al = RTM_ALIGN_UP(pay, (uintptr_t)align);
    if (al != pay && al - pay < RTM_BMIN) {
        al = RTM_ALIGN_UP(pay + RTM_BMIN, (uintptr_t)align);
    }
    size_t gap = (size_t)(al - pay);
    if (gap != 0u) {
        /* [------ b ------] -> [gap: free][b + gap: used ...] */
        insert(t, b, gap);
        b += gap;
        s -= gap;
    }
    return take_out(t, b, s, bs);
}

void *rtm_tlsf_aligned_alloc(rtm_tlsf_t *t, size_t align, size_t size)
{
    if (t == NULL || size == 0u) {
        return NULL;
    }
    void *p = RTM_GATE(&t->fault, t, size) ? refused(t) : aligned_in(t, align, size);
    RTM_EVENT(p != NULL ? RTM_EV_ALLOC : RTM_EV_FAIL, t, p, NULL, size);
    return p;
}

static rtm_err_t free_in(rtm_tlsf_t *t, void *p);

/* realloc of the checked used block u (payload p) to size >= 1 bytes, not
 * gated, no event. */
static void *realloc_in(rtm_tlsf_t *t, void *p, const rtm_used_t *uu, size_t size)
{
    rtm_used_t u = *uu;
    /* bs larger than every block when size is beyond the heap: falls
     * through to the alloc below, which fails and counts it. */
    size_t bs = block_size(t, size);
    uintptr_t b = u.b;
    size_t s = u.s;
    size_t ns = u.ns;
    size_t ps = u.ps;
    if (bs <= s + ns) {
        /* Shrink, or grow into the next block: [b][next] -> [b: bs][tail]. */
        if (ns != 0u) {
            unlink_block(t, b + s, ns);
        }
        t->used_bytes -= s; /* take() counts the block it returns */
        return take_out(t, b, s + ns, bs);
    }
    if (ps != 0u && bs <= ps + s + ns) {
        /* [prev: free][b][next?] -> [moved b: bs][tail], data memmoved down. */
        uintptr_t nb = b - ps;
        unlink_block(t, nb, ps);
        if (ns != 0u) {
            unlink_block(t, b + s, ns);
        }
        memmove((void *)(nb + RTM_TW), p, s - RTM_TW);
        t->used_bytes -= s;
        return take_out(t, nb, ps + s + ns, bs);
    }
    void *q = alloc_out(t, size);
    if (q != NULL) {
        memcpy(q, p, s - RTM_TX < size ? s - RTM_TX : size);
        /* The alloc may have taken a neighbour of p: u is stale. */
        (void)free_in(t, p);
    }
    return q;
}

void *rtm_tlsf_realloc(rtm_tlsf_t *t, void *p, size_t size)
{
    if (t == NULL) {
        return NULL;
    }
    if (size == 0u) {
        (void)rtm_tlsf_free(t, p); /* reports the free */
        return NULL;
    }
    rtm_used_t u = {0u, 0u, 0u, 0u};
    if (p != NULL) {
        rtm_err_t e = check_used_out(t, p, &u);
        if (e != RTM_OK) {
            (void)rtm_fault_raise(&t->fault, e, t, p);
            return NULL;
        }
    }
    /* Only a realloc that may need more memory is an allocation. */
    void *q;
    if (block_size(t, size) > u.s && RTM_GATE(&t->fault, t, size)) {
        q = refused(t);
    } else {
        q = p != NULL ? realloc_in(t, p, &u, size) : alloc_out(t, size);
    }
    RTM_EVENT(q != NULL ? RTM_EV_REALLOC : RTM_EV_FAIL, t, q, p, size);
    return q;
}

/* free without the NULL tests and the event report. */
static rtm_err_t free_in(rtm_tlsf_t *t, void *p)
{
    rtm_used_t u;
    rtm_err_t e = check_used(t, p, &u);
    if (e != RTM_OK) {
        return rtm_fault_raise(&t->fault, e, t, p);
    }
    release(t, &u);
    t->used_bytes -= u.s;
    t->free_count++;
    return RTM_OK;
}

rtm_err_t rtm_tlsf_free(rtm_tlsf_t *t, void *p)
{
    if (t == NULL) {
        return RTM_ERR_NULL;
    }
    if (p == NULL) {
        return RTM_OK;
    }
    rtm_err_t e = free_in(t, p);
    if (e == RTM_OK) {
        RTM_EVENT(RTM_EV_FREE, t, p, NULL, 0u);
    }
    return e;
}

/* ---- Queries ------------------------------------------------------------ */

size_t rtm_tlsf_usable_size(const rtm_tlsf_t *t, const void *p)
{
    rtm_used_t u;
    if (t == NULL || p == NULL || check_used_out(t, p, &u) != RTM_OK) {
        return 0u;
    }
    return u.s - RTM_TX;
}

size_t rtm_tlsf_free_bytes(const rtm_tlsf_t *t)
{
    return t != NULL ? t->total_bytes - t->used_bytes : 0u;
}

size_t rtm_tlsf_min_ever_free(const rtm_tlsf_t *t)
{
    return t != NULL ? t->total_bytes - t->max_used : 0u;
}

void rtm_tlsf_reset_min_ever_free(rtm_tlsf_t *t)
{
    if (t != NULL) {
        t->max_used = t->used_bytes;
    }
}

size_t rtm_tlsf_largest_free(const rtm_tlsf_t *t)
{
    if (t == NULL || t->fl_map == 0u) {
        return 0u;
    }
    unsigned fl = fls_sz(t->fl_map);
    unsigned sl = fls_sz(t->sl[fl]);
    return bsize(dec(t, t->heads[(fl << RTM_SL_LOG2) + sl]));
}

static size_t smallest_free(const rtm_tlsf_t *t)
{
    if (t->fl_map == 0u) {
        return 0u;
    }
    unsigned fl = ffs32(t->fl_map);
    unsigned sl = ffs32(t->sl[fl]);
    return bsize(dec(t, t->heads[(fl << RTM_SL_LOG2) + sl]));
}

void rtm_tlsf_stats(const rtm_tlsf_t *t, rtm_stats_t *out)
{
    if (t == NULL || out == NULL) {
        return;
    }
    out->total_bytes = t->total_bytes;
    out->free_bytes = t->total_bytes - t->used_bytes;
    out->min_ever_free = t->total_bytes - t->max_used;
    out->largest_free = rtm_tlsf_largest_free(t);
    out->smallest_free = smallest_free(t);
    out->free_blocks = t->free_blocks;
    out->used_blocks = t->alloc_count - t->free_count;
    out->alloc_count = t->alloc_count;
    out->free_count = t->free_count;
    out->failed_allocs = t->failed_allocs;
    out->faults = t->fault.count;
}

void rtm_tlsf_set_fault_hook(rtm_tlsf_t *t, rtm_fault_fn fn, void *user)
{
    if (t != NULL) {
        t->fault.hook = fn;
        t->fault.user = user;
    }
}

/* ---- Walk and check (O(blocks)) ----------------------------------------- */

/* Region descriptor: the 2 words before the region's first header. */
static uintptr_t region_next(const rtm_tlsf_t *t, uintptr_t h)
{
    uintptr_t l = *rtm_tlsf_word(h - 2u * RTM_TW);
    return l != 0u ? dec(t, l) : 0u;
}

static uintptr_t region_end(uintptr_t h)
{
    return h + ((uintptr_t)*rtm_tlsf_word(h - RTM_TW) << RTM_TLSF_ALIGN_LOG2);
}

/* Regions visited so far exceed what the heap can hold: a cycle. */
static bool too_many(const rtm_tlsf_t *t, size_t regions)
{
    return regions > t->total_bytes / RTM_BMIN;
}

rtm_err_t rtm_tlsf_walk(const rtm_tlsf_t *t, rtm_tlsf_walker fn, void *user)
{
    if (t == NULL || fn == NULL) {
        return RTM_ERR_NULL;
    }
    size_t regions = 0;
    for (uintptr_t h = t->regions; h != 0u; h = region_next(t, h)) {
        uintptr_t e = region_end(h);
        if (++regions > 1u && too_many(t, regions)) {
            return RTM_ERR_CORRUPT;
        }
        if (e < h || e >= t->hi) {
            return RTM_ERR_CORRUPT;
        }
        for (uintptr_t b = h; b < e;) {
            rtm_tw_t hd = *hdr(b);
            size_t s = rtm_tlsf_any_size(hd);
            bool used = (hd & RTM_TF_FREE) == 0u;
            if (s < RTM_BMIN || s > e - b) {
                return RTM_ERR_CORRUPT;
            }
            if (!fn(user, (void *)(b + RTM_TW), s - (used ? RTM_TX : RTM_TW), used)) {
                return RTM_OK;
            }
            b += s;
        }
    }
    return RTM_OK;
}

/* Physical walk of one region; adds to r's counts and *used. */
static rtm_err_t check_region(const rtm_tlsf_t *t, uintptr_t h, rtm_check_t *r, size_t *used)
{
    uintptr_t e = region_end(h);
    if (e < h + RTM_BMIN || e > t->hi - RTM_TW || ((e - h) & (RTM_G - 1u)) != 0u) {
        return rtm_check_fail(r, RTM_ERR_CORRUPT, (void *)h, "region descriptor damaged");
    }
    bool prev_free = false;
    uintptr_t b = h;
    while (b < e) {
        rtm_tw_t hd = *hdr(b);
        size_t s = rtm_tlsf_any_size(hd);
        r->blocks++;
        if (s < RTM_BMIN || s > e - b || (s & (RTM_G - 1u)) != 0u) {
            return rtm_check_fail(r, RTM_ERR_CORRUPT, (void *)b, "block size out of range");
        }
        if (((hd & RTM_TF_PREV_FREE) != 0u) != prev_free) {
            return rtm_check_fail(r, RTM_ERR_CORRUPT, (void *)b,
                                  "PREV_FREE bit disagrees with the previous block");
        }
        if ((hd & RTM_TF_STATE) == RTM_TF_FREE) {
            if (prev_free) {
                return rtm_check_fail(r, RTM_ERR_CORRUPT, (void *)b, "two adjacent free blocks");
            }
            if (prev_size(b + s) != s) {
                return rtm_check_fail(r, RTM_ERR_CORRUPT, (void *)b, "free block size copy damaged");
            }
            r->free_blocks++;
            r->free_bytes += s;
            prev_free = true;
        } else if ((hd & RTM_TF_STATE) == RTM_TF_USED) {
            if (!used_ok(t, b, hd)) {
                return rtm_check_fail(r, RTM_ERR_CORRUPT, (void *)b, "used block check byte damaged");
            }
#if RTMEM_CFG_HARDEN >= 2
            if (*rtm_tlsf_word(b + s - RTM_TW) != rtm_tlsf_guard(b - t->origin, RTM_CANARY(t))) {
                return rtm_check_fail(r, RTM_ERR_CORRUPT, (void *)b, "guard word after a block overwritten");
            }
#endif
            (*used)++;
            prev_free = false;
        } else {
            return rtm_check_fail(r, RTM_ERR_CORRUPT, (void *)b, "block state bits damaged");
        }
        b += s;
    }
    if (b != e || *hdr(e) != (used_word(t, e, 0u) | (prev_free ? RTM_TF_PREV_FREE : 0u))) {
        return rtm_check_fail(r, RTM_ERR_CORRUPT, (void *)e, "region sentinel damaged");
    }
    return RTM_OK;
}

/* Walk every list: links both ways, class of each block, bitmaps. */
static rtm_err_t check_lists(const rtm_tlsf_t *t, rtm_check_t *r)
{
    size_t listed = 0;
    if ((t->fl_map >> t->fl_count) != 0u) {
        return rtm_check_fail(r, RTM_ERR_CORRUPT, &t->fl_map, "FL bitmap beyond the classes");
    }
    for (unsigned fl = 0; fl < t->fl_count; fl++) {
        uint32_t slm = t->sl[fl];
        if ((slm != 0u) != (((t->fl_map >> fl) & 1u) != 0u) ||
            (RTM_SL_COUNT < 32u && (slm >> (RTM_SL_COUNT & 31u)) != 0u)) {
            return rtm_check_fail(r, RTM_ERR_CORRUPT, &t->sl[fl],
                                  "FL bitmap disagrees with an SL bitmap");
        }
        for (unsigned sl = 0; sl < RTM_SL_COUNT; sl++) {
            unsigned idx = (fl << RTM_SL_LOG2) + sl;
            uintptr_t l = t->heads[idx];
            uintptr_t prev = 0u;
            if ((l != 0u) != (((slm >> sl) & 1u) != 0u)) {
                return rtm_check_fail(r, RTM_ERR_CORRUPT, &t->heads[idx],
                                      "SL bitmap disagrees with its list");
            }
            while (l != 0u) {
                uintptr_t x = dec(t, l);
                if (!in_span(t, x) || x + RTM_BMIN > t->hi || ((x + RTM_TW) & (RTM_G - 1u)) != 0u) {
                    return rtm_check_fail(r, RTM_ERR_CORRUPT, &t->heads[idx], "list link out of range");
                }
                if ((*hdr(x) & RTM_TF_STATE) != RTM_TF_FREE) {
                    return rtm_check_fail(r, RTM_ERR_CORRUPT, (void *)x, "used block in a free list");
                }
                if (class_of(bsize(x)) != idx) {
                    return rtm_check_fail(r, RTM_ERR_CORRUPT, (void *)x, "free block in the wrong class");
                }
                if (get_prev(t, x) != prev) {
                    return rtm_check_fail(r, RTM_ERR_CORRUPT, (void *)x, "free list back link damaged");
                }
                if (++listed > r->free_blocks) {
                    return rtm_check_fail(r, RTM_ERR_CORRUPT, (void *)x,
                                          "free lists hold more blocks than the heap (cycle?)");
                }
                prev = l;
                l = get_next(t, x);
            }
        }
    }
    if (listed != r->free_blocks) {
        return rtm_check_fail(r, RTM_ERR_CORRUPT, NULL, "a free block is missing from the lists");
    }
    return RTM_OK;
}

rtm_err_t rtm_tlsf_check(const rtm_tlsf_t *t, rtm_check_t *report)
{
    rtm_check_t local;
    rtm_check_t *r = report != NULL ? report : &local;
    memset(r, 0, sizeof(*r));
    r->err = RTM_OK;
    r->what = "ok";
    if (t == NULL) {
        return rtm_check_fail(r, RTM_ERR_NULL, NULL, "NULL instance");
    }
    if (t->sl == NULL) {
        return rtm_check_fail(r, RTM_ERR_STATE, t, "not initialised");
    }
    size_t used = 0;
    size_t regions = 0;
    for (uintptr_t h = t->regions; h != 0u; h = region_next(t, h)) {
        if (!in_span(t, h) || (++regions > 1u && too_many(t, regions))) {
            return rtm_check_fail(r, RTM_ERR_CORRUPT, (void *)h, "region list damaged");
        }
        rtm_err_t e = check_region(t, h, r, &used);
        if (e != RTM_OK) {
            return e;
        }
    }
    if (r->free_blocks != t->free_blocks || r->free_bytes != t->total_bytes - t->used_bytes) {
        return rtm_check_fail(r, RTM_ERR_CORRUPT, t, "free counters disagree with the blocks");
    }
    if (used != t->alloc_count - t->free_count) {
        return rtm_check_fail(r, RTM_ERR_CORRUPT, t, "used counter disagrees with the blocks");
    }
    return check_lists(t, r);
}

/* ---- Sizing ------------------------------------------------------------- */

size_t rtm_tlsf_arena_bound(size_t max_live_bytes, size_t max_block)
{
    size_t m = max_live_bytes;
    size_t n = max_block < m ? max_block : m;
    if (n == 0u) {
        n = 1u;
    }
    if (n > SIZE_MAX / 4u) {
        return 0u;
    }
    size_t nb = RTM_TLSF_BLOCK_SIZE(n);
    size_t per = RTM_BMIN + nb + (nb >> RTM_SL_LOG2);
    if (rtm_mul_overflows(per, m)) {
        return 0u;
    }
    size_t a = m != 0u ? per * m : RTM_BMIN;
    size_t omax = RTM_TLSF_OVERHEAD(SIZE_MAX >> 1);
    if (rtm_add_overflows(a, omax)) {
        return 0u;
    }
    size_t o = rtm_tlsf_control_size(a + omax) + 3u * RTM_TW + 3u * (RTM_G - 1u);
    if (rtm_add_overflows(a, o)) {
        return 0u;
    }
    return rtm_add_overflows(a, o) || a + o > RTM_TLSF_MAX_ARENA ? 0u : a + o;
}
