/*
 * rtm_fl: the free-list core shared by heap_2, heap_4 and heap_5 (the block
 * layout of FreeRTOS's BlockLink_t). Instances are caller-owned, so the state
 * type and the layout macros are public; the fields are private: read them
 * through the scheme's functions (rtmem/heap2.h, heap4.h, heap5.h). An
 * initialised instance refers to itself and to its memory; it must not be
 * copied or moved.
 *
 * Block: a header {next, size} of RTM_FL_HEADER bytes, then the user bytes.
 * `size` counts the header; its top bit (RTM_FL_USED_BIT) marks an allocated
 * block. In a free block `next` links the free list; in an allocated block,
 * where FreeRTOS leaves it unused, it holds a check word derived from the
 * block's address and size word, so a free or usable_size recognises the
 * start of an allocated block in O(1) (an interior pointer, a second free or a
 * damaged header does not carry it).
 *
 * Damage checks (every configuration): each link read from the heap is
 * range-checked (inside the heap, aligned, ascending for heap_4/5) before it
 * is followed, and a free block's size is checked against its region and its
 * neighbours before it is trusted; found damage raises RTM_ERR_CORRUPT
 * through the fault hook and the call fails with the heap untouched.
 * RTMEM_CFG_HEAP_PROTECTOR=1 or RTMEM_CFG_HARDEN>=1 also stores the links
 * and check words XOR-ed with a per-instance canary; RTMEM_CFG_HARDEN>=2
 * also fills freed user bytes with a poison pattern and verifies it when the
 * block is handed out again (a write after free is then RTM_ERR_CORRUPT).
 */
#ifndef RTMEM_FREELIST_H
#define RTMEM_FREELIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rtmem/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Block header: the FreeRTOS BlockLink_t. */
typedef struct rtm_fl_link {
    struct rtm_fl_link *next;
    size_t size;
} rtm_fl_link_t;

/* Top bit of a block size: the block is allocated. */
#define RTM_FL_USED_BIT (~(SIZE_MAX >> 1))

/* Bytes of a block header: sizeof(rtm_fl_link_t) rounded up to the alignment
 * (FreeRTOS xHeapStructSize). */
#define RTM_FL_HEADER                                                        \
    ((sizeof(rtm_fl_link_t) + (size_t)RTMEM_CFG_HEAP_ALIGNMENT - 1u) &      \
     ~((size_t)RTMEM_CFG_HEAP_ALIGNMENT - 1u))
/* Smallest free block a split may leave, exclusive (heapMINIMUM_BLOCK_SIZE). */
#define RTM_FL_MIN_BLOCK (2u * RTM_FL_HEADER)
/* Bytes a successful allocation of n > 0 bytes takes from the free bytes
 * (n must be small enough not to overflow). */
#define RTM_FL_BLOCK_SIZE(n)                                                 \
    (((size_t)(n) + RTM_FL_HEADER + (size_t)RTMEM_CFG_HEAP_ALIGNMENT - 1u) & \
     ~((size_t)RTMEM_CFG_HEAP_ALIGNMENT - 1u))

/* One memory stretch as laid out by init: blocks run from `first` up to
 * `end` (heap_4/5: the end marker; heap_2: one past the last byte). */
typedef struct rtm_fl_span {
    uint8_t *first;
    uint8_t *end;
} rtm_fl_span_t;

/* Free-list core state, embedded in rtm_heap2_t, rtm_heap4_t, rtm_heap5_t. */
typedef struct rtm_fl {
    rtm_fl_link_t head;   /* list head (xStart): head.next = first free block;
                           * heap_4/5: head.size makes it end at address 0 */
    union {
        rtm_fl_link_t tail; /* heap_2: end sentinel, size = usable bytes */
        size_t head_units;  /* heap_4/5: the head's distance below the last end
                             * marker in alignment units, where the first-fit
                             * walk starts (kept: one load, not three steps) */
    };
    rtm_fl_link_t *end;   /* the list's last element: &tail or the end marker */
    rtm_fl_span_t *spans; /* the wrapper's span table, `nspans` entries */
    size_t nspans;
    /* the flags lie within Thumb's short byte load (offset below 32) */
    bool by_size;         /* heap_2: size-ordered list, no coalescing */
    bool clear_on_free;   /* zero the user bytes of a block when freed */
    uintptr_t canary;     /* XOR key of links and check words (0: not protected) */
    size_t total_bytes;   /* free bytes right after init */
    size_t free_bytes;    /* xFreeBytesRemaining */
    size_t min_ever_free; /* xMinimumEverFreeBytesRemaining */
    size_t alloc_count;
    size_t free_count;
    size_t failed_allocs;
    rtm_fault_t fault;
} rtm_fl_t;

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_FREELIST_H */
