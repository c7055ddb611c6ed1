/*
 * rtm_heap2: a best-fit free-list heap without coalescing; the behaviour of
 * FreeRTOS heap_2 as a caller-owned instance. It shares the free-list core of
 * heap_4/heap_5 (rtm_fl_t, rtmem/freelist.h) with the list kept in
 * size order.
 *
 * Matches FreeRTOS-Kernel V11.1.0 portable/MemMang/heap_2.c (unchanged in
 * V11.2.0): for the same RTMEM_CFG_HEAP_ALIGNMENT (portBYTE_ALIGNMENT) and
 * size, every call succeeds or fails as upstream does and leaves the same
 * free bytes.
 *
 * Layout (A = alignment, H = RTM_FL_HEADER): the usable size is always
 * size - A (configADJUSTED_HEAP_SIZE) starting at mem rounded up to A; the end
 * sentinel lives in the instance, outside the heap. The free list is ordered
 * by size (a freed block goes before blocks of equal size), so the first fit
 * is the best fit. A block is split when the rest is larger than 2*H; free
 * blocks are never merged.
 *
 * Upstream heap_2 has no minimum-ever-free and no vPortGetHeapStats; rtmem
 * keeps both anyway (same definitions as heap_4). Before its heap is set up
 * upstream reports size - A free bytes; the FreeRTOS layer reproduces that.
 *
 * Not thread-safe: callers serialise. Instances must not be copied or moved.
 */
#ifndef RTMEM_HEAP2_H
#define RTMEM_HEAP2_H

#include "rtmem/common.h"
#include "rtmem/freelist.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rtm_heap2 {
    rtm_fl_t fl;
    rtm_fl_span_t span;
} rtm_heap2_t;

/* Lay the heap out in [mem, mem + size). O(1). RTM_OK, RTM_ERR_NULL (h or
 * mem NULL), or RTM_ERR_ARG when the memory wraps the address space or
 * size - A is not larger than RTM_FL_MIN_BLOCK; h untouched on error.
 * (mem itself needs no alignment.) */
rtm_err_t rtm_heap2_init(rtm_heap2_t *h, void *mem, size_t size);

/* rtm_heap2_init with the protector's canary (used when
 * RTMEM_CFG_HEAP_PROTECTOR is 1 or RTMEM_CFG_HARDEN >= 1, where a canary of 0
 * is replaced by one mixed from the addresses; upstream heap_2 has no
 * protector). O(1). */
rtm_err_t rtm_heap2_init_canary(rtm_heap2_t *h, void *mem, size_t size,
                                uintptr_t canary);
rtm_err_t rtm_heap2_free(rtm_heap2_t *h, void *p); /* first: RTM_ALLOCATOR */

/* Best fit. O(free blocks). NULL (a failed allocation) for size 0, for a size
 * whose rounding overflows or sets the top bit, or when no block is large
 * enough; a damaged link or free-block size (every build) raises
 * RTM_ERR_CORRUPT and returns NULL with the heap untouched. */
RTM_ALLOCATOR(rtm_heap2_free, 2) RTM_ALLOC_SIZE(2) void *rtm_heap2_alloc(rtm_heap2_t *h, size_t size);

/* n * size zeroed bytes; NULL if the product overflows or is 0.
 * O(free blocks + n*size). */
RTM_ALLOCATOR(rtm_heap2_free, 2) RTM_ALLOC_SIZE(2, 3) void *rtm_heap2_calloc(rtm_heap2_t *h, size_t n, size_t size);

/* Return a block to the size-ordered list. O(free blocks): the walk to its
 * place by size. NULL: RTM_OK.
 * Bad pointers raise a fault and leave the heap untouched, found in O(1)
 * from the block header and its check word (rtmem/freelist.h):
 * RTM_ERR_FOREIGN_PTR (outside the heap); RTM_ERR_INTERIOR_PTR (misaligned,
 * or the bytes in front are no block header); RTM_ERR_DOUBLE_FREE (a header
 * without the allocated mark: freed before, or merged into a neighbour);
 * RTM_ERR_CORRUPT (the allocated mark without a matching check word: a
 * damaged header or bytes made to look like one), and RTM_ERR_CORRUPT for a
 * damaged link or free-block size met on the walk. */
RTM_DEALLOCATOR(2) rtm_err_t rtm_heap2_free(rtm_heap2_t *h, void *p);

/* xPortGetFreeHeapSize. O(1). */
size_t rtm_heap2_free_bytes(const rtm_heap2_t *h);
/* Lowest free bytes since init or the last reset (rtmem addition). O(1). */
size_t rtm_heap2_min_ever_free(const rtm_heap2_t *h);
/* Minimum ever free = free now. O(1). */
void rtm_heap2_reset_min_ever_free(rtm_heap2_t *h);

/* HeapStats_t-style numbers computed as heap_4 does (upstream heap_2 has no
 * vPortGetHeapStats): the sentinel is not counted; smallest_free is 0 when
 * no block is free. O(free blocks). */
void rtm_heap2_stats(const rtm_heap2_t *h, rtm_stats_t *out);

/* Read-only full walk (size order, sizes, every block). O(blocks). RTM_OK or
 * RTM_ERR_CORRUPT, also written to *report if not NULL. */
rtm_err_t rtm_heap2_check(const rtm_heap2_t *h, rtm_check_t *report);

/* Install a fault hook (NULL = default). O(1). */
void rtm_heap2_set_fault_hook(rtm_heap2_t *h, rtm_fault_fn fn, void *user);

/* configHEAP_CLEAR_MEMORY_ON_FREE at run time; off after init. O(1). */
void rtm_heap2_set_clear_on_free(rtm_heap2_t *h, bool on);

/* Usable bytes of the live allocation p (block size - header). O(1). A
 * pointer free would refuse: 0 and the same fault. h NULL: 0. (Every getter:
 * h NULL reads as 0, setters ignore it, check(NULL) is RTM_ERR_NULL.) */
size_t rtm_heap2_usable_size(const rtm_heap2_t *h, const void *p);

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_HEAP2_H */
