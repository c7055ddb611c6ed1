/*
 * rtm_tlsf: set-up (init, added regions, the control structure's size).
 * Layout: include/rtmem/tlsf.h.
 */
#include "rtmem/tlsf.h"

#include "rtm_internal.h"
#include "tlsf_internal.h"

/* ---- Set-up ------------------------------------------------------------- */

/* A byte loop rather than memset: init is its only caller, and a bare-metal
 * link of init/alloc/free then needs no libc (not even memset). volatile
 * keeps the compiler from turning the loop back into a memset call. O(n). */
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
    rtm_tlsf_insert_(t, h, s);
#if RTMEM_CFG_HARDEN >= 2
    rtm_tlsf_poison(h + 3u * RTM_TW, h + s - RTM_TW);
#endif
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
    if (abi != RTM_TLSF_ABI) { /* the caller saw another HARDEN or layout version */
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

