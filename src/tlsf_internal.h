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

static inline size_t rtm_tlsf_hsize(rtm_tw_t h)
{
    return (size_t)h & ~(size_t)RTM_TF_MASK; /* widened first: no 16-bit truncation */
}

#endif /* RTM_TLSF_INTERNAL_H */
