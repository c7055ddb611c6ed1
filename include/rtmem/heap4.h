/*
 * rtm_heap4: a first-fit, coalescing free-list heap in one block of memory;
 * the behaviour of FreeRTOS heap_4 as a caller-owned instance. It is heap_5
 * with a single region (the core, layout and quirks are described in
 * rtmem/heap5.h).
 *
 * Matches FreeRTOS-Kernel V11.1.0 portable/MemMang/heap_4.c (V11.2.0 differs
 * only in the protector's encoding of an allocated block's link, which rtmem
 * follows): for the same RTMEM_CFG_HEAP_ALIGNMENT (portBYTE_ALIGNMENT), memory
 * address and size, every call succeeds or fails as upstream does and leaves
 * the same free bytes, minimum ever free and HeapStats_t numbers.
 *
 * Layout (A = alignment, H = RTM_FL_HEADER): the start is rounded up to A only
 * if it is misaligned (the size shrinks by the bytes skipped); the end marker
 * sits at (start + size - H) rounded down to A; the free bytes after init are
 * marker - start. An allocation of n bytes takes RTM_FL_BLOCK_SIZE(n).
 *
 * Not thread-safe: callers serialise. Instances must not be copied or moved.
 */
#ifndef RTMEM_HEAP4_H
#define RTMEM_HEAP4_H

#include "rtmem/common.h"
#include "rtmem/freelist.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rtm_heap4 {
    rtm_fl_t fl;
    rtm_fl_span_t span;
} rtm_heap4_t;

/* Lay the heap out in [mem, mem + size). O(1). Returns RTM_OK, RTM_ERR_NULL
 * (h or mem NULL), or RTM_ERR_ARG when the memory wraps the address space,
 * is SIZE_MAX / 2 + 1 bytes or more (a block size's top bit marks an
 * allocated block) or is too small for a free block of at least
 * RTM_FL_MIN_BLOCK plus the end marker; h is untouched on error. */
rtm_err_t rtm_heap4_init(rtm_heap4_t *h, void *mem, size_t size);

/* rtm_heap4_init with the protector's canary (used when
 * RTMEM_CFG_HEAP_PROTECTOR is 1 or RTMEM_CFG_HARDEN >= 1, where a canary of 0
 * is replaced by one mixed from the addresses). O(1). */
rtm_err_t rtm_heap4_init_canary(rtm_heap4_t *h, void *mem, size_t size,
                                uintptr_t canary);
rtm_err_t rtm_heap4_free(rtm_heap4_t *h, void *p); /* first: RTM_ALLOCATOR */

/* First fit in address order. O(free blocks). NULL (a failed allocation)
 * for size 0, for a size whose rounding overflows or sets the top bit, or
 * when no block is large enough; a damaged link or free-block size (every
 * build: rtmem/freelist.h) raises RTM_ERR_CORRUPT and returns NULL with the
 * heap untouched. */
RTM_ALLOCATOR(rtm_heap4_free, 2) RTM_ALLOC_SIZE(2) void *rtm_heap4_alloc(rtm_heap4_t *h, size_t size);

/* n * size zeroed bytes; NULL if the product overflows or is 0.
 * O(free blocks + n*size). */
RTM_ALLOCATOR(rtm_heap4_free, 2) RTM_ALLOC_SIZE(2, 3) void *rtm_heap4_calloc(rtm_heap4_t *h, size_t n, size_t size);

/* Return a block, merging it with free neighbours. O(free blocks): the walk
 * to the insertion point, as upstream's. NULL: RTM_OK.
 * Bad pointers raise a fault and leave the heap untouched, found in O(1)
 * from the block header and its check word (rtmem/freelist.h):
 * RTM_ERR_FOREIGN_PTR (outside the heap); RTM_ERR_INTERIOR_PTR (misaligned,
 * or the bytes in front are no block header); RTM_ERR_DOUBLE_FREE (a header
 * without the allocated mark: freed before, or merged into a neighbour);
 * RTM_ERR_CORRUPT (the allocated mark without a matching check word: a
 * damaged header or bytes made to look like one), and RTM_ERR_CORRUPT for a
 * damaged link or free-block size met on the walk. */
RTM_DEALLOCATOR(2) rtm_err_t rtm_heap4_free(rtm_heap4_t *h, void *p);

/* Getters and setters below: h NULL reads as 0 (stats: all zero) or is
 * ignored; check(NULL) is RTM_ERR_NULL. */
/* xPortGetFreeHeapSize. O(1). */
size_t rtm_heap4_free_bytes(const rtm_heap4_t *h);
/* xPortGetMinimumEverFreeHeapSize (since init or the last reset). O(1). */
size_t rtm_heap4_min_ever_free(const rtm_heap4_t *h);
/* xPortResetHeapMinimumEverFreeHeapSize: min ever free = free now. O(1). */
void rtm_heap4_reset_min_ever_free(rtm_heap4_t *h);

/* vPortGetHeapStats semantics. O(free blocks). smallest_free is 0 when no
 * block is free (upstream reports portMAX_DELAY then); used_blocks,
 * failed_allocs, faults and total_bytes are rtmem additions. */
void rtm_heap4_stats(const rtm_heap4_t *h, rtm_stats_t *out);

/* Read-only full walk (free list and every block). O(blocks). RTM_OK or
 * RTM_ERR_CORRUPT, also written to *report if not NULL. */
rtm_err_t rtm_heap4_check(const rtm_heap4_t *h, rtm_check_t *report);

/* Install a fault hook (NULL = default). O(1). */
void rtm_heap4_set_fault_hook(rtm_heap4_t *h, rtm_fault_fn fn, void *user);

/* configHEAP_CLEAR_MEMORY_ON_FREE at run time; off after init. O(1). */
void rtm_heap4_set_clear_on_free(rtm_heap4_t *h, bool on);

/* Usable bytes of the live allocation p (block size - header). O(1). A
 * pointer free would refuse: 0 and the same fault. h NULL: 0. */
size_t rtm_heap4_usable_size(const rtm_heap4_t *h, const void *p);

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_HEAP4_H */
