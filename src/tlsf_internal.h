/* rtm_tlsf private layout, shared by src/tlsf.c and the white-box tests. */
#ifndef RTM_TLSF_INTERNAL_H
#define RTM_TLSF_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "rtmem/tlsf.h"

typedef rtm_tlsf_word_t rtm_tw_t;

#define RTM_TW ((uintptr_t)RTM_TLSF_WORD_SIZE)
#define RTM_G ((uintptr_t)RTM_TLSF_ALIGN)
#define RTM_BMIN ((size_t)RTM_TLSF_MIN_BLOCK)
#define RTM_SL_LOG2 ((unsigned)RTMEM_CFG_TLSF_SL_LOG2)
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
 * nor a plausible size at another place matches, one time in 256. Three
 * instructions on Cortex-M. */
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

#endif /* RTM_TLSF_INTERNAL_H */
