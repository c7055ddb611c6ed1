/* rtm_tlsf private layout, shared by src/tlsf.c and the white-box tests. */
#ifndef RTM_TLSF_INTERNAL_H
#define RTM_TLSF_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rtmem/tlsf.h"

typedef rtm_tlsf_word_t rtm_tw_t;

#define RTM_TW ((uintptr_t)RTM_TLSF_WORD_SIZE)
#define RTM_G ((uintptr_t)RTM_TLSF_ALIGN)
#define RTM_BMIN ((size_t)RTM_TLSF_MIN_BLOCK)
#define RTM_SL_LOG2 RTM_TLSF_SL_LOG2
#define RTM_SL_COUNT RTM_TLSF_SL_COUNT
#define RTM_FL_SHIFT RTM_TLSF_FL_SHIFT
#define RTM_SMALL ((size_t)1 << RTM_FL_SHIFT)

/* Header flag bits (below the size, which is a multiple of ALIGN >= 8). */
#define RTM_TF_FREE ((rtm_tw_t)1u)
#define RTM_TF_PREV_FREE ((rtm_tw_t)2u)
#define RTM_TF_USED ((rtm_tw_t)4u)
#define RTM_TF_MASK ((rtm_tw_t)7u)
#define RTM_TF_NOT_PREV_FREE ((rtm_tw_t)~RTM_TF_PREV_FREE) /* a word-wide mask */

/* Largest link value: a list head and a word in a free block must hold it. */
#define RTM_LINK_MAX ((uintptr_t)UINT32_MAX)

/* Placement (carve_top in tlsf.c): a small block is carved from the top of
 * a free block whose upper neighbour is a used block under CARVE_NEAR bytes
 * (or the region's end), from the bottom otherwise; the reverse for blocks
 * over CARVE_LARGE bytes. The values came from the placement model
 * (scripts/w3sim.c). */
#define RTM_TLSF_CARVE_NEAR 256u
#define RTM_TLSF_CARVE_LARGE 2048u

static inline rtm_tw_t *rtm_tlsf_word(uintptr_t addr)
{
    return (rtm_tw_t *)addr;
}

/* Header address of the block whose payload is p. */
static inline uintptr_t rtm_tlsf_block_of(const void *p)
{
    return (uintptr_t)p - RTM_TW;
}

/* Size in a free block's header or size copy (sizes stay below 2^31). */
static inline size_t rtm_tlsf_hsize(rtm_tw_t h)
{
    return (size_t)h & ~(size_t)RTM_TF_MASK;
}

/* A used block's header also carries a check byte derived from its address,
 * its size and the instance's canary, so that a word that merely looks like
 * a header (an interior pointer, a stale or forged header) is refused in
 * O(1) with probability 255/256: bits 23..30 hold the check when the size is
 * below 2^23; larger blocks set bit 31 instead (RTM_TF_BIG) and have no
 * check byte (their size must still fit the span). */
#define RTM_TF_BIG ((rtm_tw_t)0x80000000u)
#define RTM_TCHK_SHIFT 23u
#define RTM_TCHK_SMALL ((size_t)1 << RTM_TCHK_SHIFT)

/* The check byte of a used block at offset b (from the heap's origin) of
 * size s, in place (bits 23..30): address bits 3..10 against size bits
 * 3..10 (and the canary), so that neither a copy of another block's header
 * nor a plausible size at another place matches, one time in 256; a few
 * shifts, no multiply. */
static inline rtm_tw_t rtm_tlsf_chk(uintptr_t b, size_t s, uint32_t canary)
{
    return (rtm_tw_t)((((uint32_t)b ^ (uint32_t)s ^ canary) << 21) >> 1) & 0x7F800000u;
}

/* The per-instance canary: RTMEM_CFG_HARDEN >= 1 only (0 otherwise, known
 * at compile time). */
#if RTMEM_CFG_HARDEN >= 1
#define RTM_CANARY(t) ((t)->canary)
#else
#define RTM_CANARY(t) 0u
#endif

/* The header word of a used block of size s at b, flags apart. */
static inline rtm_tw_t rtm_tlsf_used_word(uintptr_t b, size_t s, uint32_t canary)
{
    return (rtm_tw_t)s | RTM_TF_USED |
           (s < RTM_TCHK_SMALL ? rtm_tlsf_chk(b, s, canary) : RTM_TF_BIG);
}

/* Size in a used block's header. */
static inline size_t rtm_tlsf_used_size(rtm_tw_t h)
{
    return (h & RTM_TF_BIG) != 0u ? (size_t)(h & 0x7FFFFFF8u)
                                  : (size_t)h & (RTM_TCHK_SMALL - 1u) & ~(size_t)RTM_TF_MASK;
}

/* Size in any header: a free one or a used one. */
static inline size_t rtm_tlsf_any_size(rtm_tw_t h)
{
    return (h & RTM_TF_FREE) != 0u ? rtm_tlsf_hsize(h) : rtm_tlsf_used_size(h);
}

/* Payload bytes of a block of size s: the header, and with
 * RTMEM_CFG_HARDEN=2 the guard word at its end, are not the caller's. */
#define RTM_TX ((uintptr_t)RTM_TLSF_BLOCK_EXTRA)

/* RTMEM_CFG_HARDEN=2: the guard word in a used block's last word. */
static inline rtm_tw_t rtm_tlsf_guard(uintptr_t b, uint32_t canary)
{
    return (rtm_tw_t)(((uint32_t)b * 0x85EBCA6Bu) ^ canary ^ 0xA5A5A5A5u);
}

/* ---- Shared by src/tlsf.c, tlsf_realloc.c, tlsf_setup.c and tlsf_check.c - */

#include <limits.h>

#include "rtm_internal.h"

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

/* Are h and c the header and the size copy of one free block: the same
 * size, and the header's flags exactly FREE (a free block follows a used
 * one)? One compare. */
static inline bool free_pair(rtm_tw_t h, rtm_tw_t c)
{
    return (h ^ (c & ~RTM_TF_MASK)) == RTM_TF_FREE;
}

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
static inline unsigned class_of(size_t s)
{
    /* l = max(floor(log2 s), FL_SHIFT); s >> (l - SL) is 2^SL + sl above
     * 2^FL_SHIFT and s / ALIGN below: one formula, no branch. */
    unsigned l = fls_sz(s | RTM_SMALL);
    return ((l - RTM_FL_SHIFT) << RTM_SL_LOG2) + (unsigned)(s >> (l - RTM_SL_LOG2));
}

/* class_of(a) == class_of(m), for a <= m, without either class: they agree
 * when a and m agree from a's class width up (then m has a's top bit, or
 * both are below 2^FL_SHIFT). */
static inline bool same_class(size_t a, size_t m)
{
    unsigned sh = fls_sz(a | RTM_SMALL) - RTM_SL_LOG2;
    RTM_ASSERT(a <= m && (((a ^ m) >> sh) == 0u) == (class_of(a) == class_of(m)));
    return ((a ^ m) >> sh) == 0u;
}

/* First-level classes for blocks smaller than `arena` bytes. */
static inline unsigned fl_count_of(size_t arena)
{
    return fls_sz((arena - 1u) | (RTM_SMALL - 1u)) - RTM_FL_SHIFT + 2u;
}


static inline bool rtm_tlsf_in_span(const rtm_tlsf_t *t, uintptr_t b)
{
    return b >= t->lo && b < t->hi;
}

/* Region descriptor: the 2 words before the region's first header. */
static inline uintptr_t rtm_tlsf_region_next(const rtm_tlsf_t *t, uintptr_t h)
{
    uintptr_t l = *rtm_tlsf_word(h - 2u * RTM_TW);
    return l != 0u ? dec(t, l) : 0u;
}

static inline uintptr_t rtm_tlsf_region_end(uintptr_t h)
{
    return h + ((uintptr_t)*rtm_tlsf_word(h - RTM_TW) << RTM_TLSF_ALIGN_LOG2);
}

#if RTMEM_CFG_HARDEN >= 2
/* RTMEM_CFG_HARDEN=2: the interior of every free block (all but its header,
 * its two links and its size copy) holds this word, written when the block
 * is freed (O(size)) and verified when a block is handed out again. */
#define RTM_POISON ((rtm_tw_t)0xF4EEF4EEu)
static inline void rtm_tlsf_poison(uintptr_t a, uintptr_t z)
{
    for (; a < z; a += RTM_TW) {
        *rtm_tlsf_word(a) = RTM_POISON;
    }
}
static inline bool rtm_tlsf_poisoned(uintptr_t a, uintptr_t z)
{
    for (; a < z; a += RTM_TW) {
        if (*rtm_tlsf_word(a) != RTM_POISON) {
            return false;
        }
    }
    return true;
}
#endif

/* Block size for a request (size >= 1: callers handle 0). A size beyond
 * total_bytes is clamped to it: the result is then larger than every block
 * (so the search fails) yet far from wrapping in later sums. */
static inline size_t rtm_tlsf_block_size(const rtm_tlsf_t *t, size_t size)
{
    return RTM_TLSF_BLOCK_SIZE(size < t->total_bytes ? size : t->total_bytes);
}

/* A gated allocation refused: counted as failed (the gate raised the
 * fault). */
static inline void *rtm_tlsf_refused(rtm_tlsf_t *t)
{
    t->failed_allocs++;
    return NULL;
}

/* A used block and its free neighbours, as free() and realloc() need them. */
typedef struct {
    uintptr_t b; /* header */
    size_t s;    /* size */
    size_t ps;   /* size of the free predecessor, 0 if it is used */
    size_t ns;   /* size of the free successor, 0 if it is used */
} rtm_used_t;

/* ---- O(1) pieces of src/tlsf.c that src/tlsf_realloc.c uses ------------ */

/* Push the free block [b, b+s) on its class list. */
void rtm_tlsf_insert_(rtm_tlsf_t *t, uintptr_t b, size_t s);
/* Take the free block [b, b+s) off its list and out of the free counters. */
void rtm_tlsf_unlink_(rtm_tlsf_t *t, uintptr_t b, size_t s);
/* Find, check, unlink and count a free block of at least bs bytes; 0 when
 * there is none (a failure) or the list held a damaged block (a fault). */
uintptr_t rtm_tlsf_grab_(rtm_tlsf_t *t, size_t bs);
/* Mark the unlinked block [b, b+total) used with bs bytes, the rest freed
 * back; the payload. */
void *rtm_tlsf_take_(rtm_tlsf_t *t, uintptr_t b, size_t total, size_t bs);
/* alloc without the gate and the event report; size >= 1. */
void *rtm_tlsf_alloc_in_(rtm_tlsf_t *t, size_t size);
/* free without the NULL tests and the event report: RTM_OK or the fault. */
rtm_err_t rtm_tlsf_free_in_(rtm_tlsf_t *t, void *p);
/* Is p the payload of a used block whose neighbours agree (fills *u)? The
 * full check, which names the fault (tlsf_check.c); free runs it only when
 * its own one-pass check (used_fast) does not pass p. */
rtm_err_t rtm_tlsf_check_used_(const rtm_tlsf_t *t, const void *p, rtm_used_t *u);
/* p carved from the free block [f, f+total), checked for poison with
 * RTMEM_CFG_HARDEN=2: p, or NULL after a fault. */
void *rtm_tlsf_handed_(rtm_tlsf_t *t, void *p, uintptr_t f, size_t total);

#endif /* RTM_TLSF_INTERNAL_H */
