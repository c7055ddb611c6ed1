/*
 * rtm_heap5: a first-fit, coalescing free-list heap spread over several
 * memory regions; the behaviour of FreeRTOS heap_5 as a caller-owned instance.
 *
 * Matches FreeRTOS-Kernel V11.1.0 portable/MemMang/heap_5.c (and the same file
 * in V11.2.0, which differs only in how the protector encodes the link of an
 * allocated block; rtmem follows V11.2.0 there): for the same
 * RTMEM_CFG_HEAP_ALIGNMENT (portBYTE_ALIGNMENT) and region table, every call
 * succeeds or fails as upstream does and leaves the same free bytes, minimum
 * ever free and HeapStats_t numbers.
 *
 * Layout (A = RTMEM_CFG_HEAP_ALIGNMENT, H = RTM_FL_HEADER = the header
 * {next, size} rounded up to A):
 *   - each region's start is rounded up to A (only if misaligned) and its end
 *     marker, a zero-size header, sits at (start + size - H) rounded down to A;
 *     the region's one free block covers [start, marker);
 *   - the end marker of every region but the last stays in the free list as a
 *     zero-size block that links to the next region. When the free block just
 *     below such a marker is freed the marker is merged into it (adds 0 bytes)
 *     and leaves the list; markers therefore count in
 *     rtm_stats_t.free_blocks while they are listed (as in upstream
 *     vPortGetHeapStats) but never in smallest_free;
 *   - an allocation of n bytes takes a block of RTM_FL_BLOCK_SIZE(n) =
 *     round_up(n + H, A) bytes; a block is split only when the rest is larger
 *     than 2*H, and the rest is linked directly after the taken block's
 *     predecessor (never merged with a following marker).
 *
 * The block layout and the damage checks shared with heap_2 and heap_4 are
 * described in rtmem/freelist.h. An initialised instance refers to itself and
 * to its memory; it must not be copied or moved.
 *
 * Not thread-safe: callers serialise (the FreeRTOS layer takes the port's
 * critical section).
 */
#ifndef RTMEM_HEAP5_H
#define RTMEM_HEAP5_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rtmem/common.h"
#include "rtmem/freelist.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- heap_5 -------------------------------------------------------------- */

/* A region of memory for heap_5; the same layout as FreeRTOS HeapRegion_t.
 * A table of regions is terminated by an entry of size 0. */
typedef struct rtm_region {
    uint8_t *start;
    size_t size;
} rtm_region_t;

typedef struct rtm_heap5 {
    rtm_fl_t fl;
    rtm_fl_span_t span[RTMEM_CFG_HEAP5_MAX_REGIONS];
} rtm_heap5_t;

/* Lay the heap out over `regions` (terminated by size 0). O(regions).
 * Returns RTM_OK, RTM_ERR_NULL if h is NULL, or RTM_ERR_BAD_REGION, with h
 * untouched, for a NULL or empty table, a region with a NULL start, a region
 * that wraps the address space or is SIZE_MAX / 2 + 1 bytes or more (a block
 * size's top bit marks an allocated block), regions not in ascending address order or
 * overlapping, more than RTMEM_CFG_HEAP5_MAX_REGIONS regions, or a region too
 * small to hold a free block of at least RTM_FL_MIN_BLOCK bytes plus its end
 * marker after alignment (upstream asserts on some of these and builds a
 * broken heap from the others).
 * Free bytes after init = sum over regions of (marker - aligned start). */
rtm_err_t rtm_heap5_init(rtm_heap5_t *h, const rtm_region_t *regions);

/* rtm_heap5_init with the heap protector's canary (FreeRTOS
 * vApplicationGetRandomHeapCanary); used when RTMEM_CFG_HEAP_PROTECTOR is 1
 * or RTMEM_CFG_HARDEN >= 1 (where 0 is replaced by a canary mixed from the
 * addresses). O(regions). */
rtm_err_t rtm_heap5_init_canary(rtm_heap5_t *h, const rtm_region_t *regions,
                                uintptr_t canary);
rtm_err_t rtm_heap5_free(rtm_heap5_t *h, void *p); /* first: RTM_ALLOCATOR */

/* First fit in address order. O(free blocks). Returns NULL, counting a failed
 * allocation, for size 0, for a size whose rounding would overflow or set the
 * top bit, and when no free block is large enough. With the protector, a
 * damaged link found on the way raises RTM_ERR_CORRUPT and returns NULL with
 * the heap untouched. h must be an initialised instance (NULL gives NULL). */
RTM_ALLOCATOR(rtm_heap5_free, 2) RTM_ALLOC_SIZE(2) void *rtm_heap5_alloc(rtm_heap5_t *h, size_t size);

/* n * size bytes, zeroed. Returns NULL (failed allocation) if n * size
 * overflows or is 0. O(free blocks + n*size). */
RTM_ALLOCATOR(rtm_heap5_free, 2) RTM_ALLOC_SIZE(2, 3) void *rtm_heap5_calloc(rtm_heap5_t *h, size_t n, size_t size);

/* Return a block and merge it with free neighbours
 * ([prev][this][next] -> [-----prev-----]). O(free blocks + regions): the
 * walk to the insertion point. p == NULL: RTM_OK, nothing done.
 * Bad pointers raise a fault and leave the heap untouched, found in O(1)
 * from the block header and its check word (rtmem/freelist.h):
 * RTM_ERR_FOREIGN_PTR (outside every region); RTM_ERR_INTERIOR_PTR (misaligned,
 * or the bytes in front are no block header); RTM_ERR_DOUBLE_FREE (a header
 * without the allocated mark: freed before, or merged into a neighbour);
 * RTM_ERR_CORRUPT (the allocated mark without a matching check word: a
 * damaged header or bytes made to look like one), and RTM_ERR_CORRUPT for a
 * damaged link or free-block size met on the walk. */
RTM_DEALLOCATOR(2) rtm_err_t rtm_heap5_free(rtm_heap5_t *h, void *p);

/* Free bytes now (xPortGetFreeHeapSize). O(1). */
size_t rtm_heap5_free_bytes(const rtm_heap5_t *h);

/* Lowest free bytes since init or the last reset
 * (xPortGetMinimumEverFreeHeapSize). O(1). */
size_t rtm_heap5_min_ever_free(const rtm_heap5_t *h);

/* Set the minimum ever free to the free bytes now
 * (xPortResetHeapMinimumEverFreeHeapSize). O(1). */
void rtm_heap5_reset_min_ever_free(rtm_heap5_t *h);

/* Statistics with vPortGetHeapStats semantics. O(free blocks).
 * free_blocks counts the listed zero-size region markers (upstream quirk);
 * largest_free is the largest block; smallest_free is the smallest non-zero
 * free block, or 0 when there is none (upstream reports portMAX_DELAY then);
 * used_blocks, failed_allocs, faults and total_bytes are rtmem additions. */
void rtm_heap5_stats(const rtm_heap5_t *h, rtm_stats_t *out);

/* Read-only full walk of the free list and of every region's blocks: links,
 * order, sizes, allocated marks, counters. O(blocks). Returns RTM_OK or the
 * first problem (RTM_ERR_CORRUPT), also written to *report if not NULL. */
rtm_err_t rtm_heap5_check(const rtm_heap5_t *h, rtm_check_t *report);

/* Install a fault hook (NULL = rtm_fault_default). O(1). */
void rtm_heap5_set_fault_hook(rtm_heap5_t *h, rtm_fault_fn fn, void *user);

/* Zero the user bytes of each block when it is freed
 * (configHEAP_CLEAR_MEMORY_ON_FREE). Off after init. O(1). */
void rtm_heap5_set_clear_on_free(rtm_heap5_t *h, bool on);

/* Bytes the caller may use in the allocated block at p (block size - header).
 * O(regions). A pointer free would refuse: 0 and the same fault. h NULL: 0.
 * (Every getter: h NULL reads as 0 or all-zero statistics, setters ignore
 * it, check(NULL) is RTM_ERR_NULL.) */
size_t rtm_heap5_usable_size(const rtm_heap5_t *h, const void *p);

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_HEAP5_H */
