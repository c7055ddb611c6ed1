/*
 * rtm_heap1: bump allocation without free; the behaviour of FreeRTOS heap_1
 * as a caller-owned instance.
 *
 * Matches FreeRTOS-Kernel V11.2.0 portable/MemMang/heap_1.c (unchanged since
 * V11.0.0): for the same RTMEM_CFG_HEAP_ALIGNMENT (portBYTE_ALIGNMENT) and
 * size, every allocation succeeds or fails as upstream does and leaves the
 * same free bytes.
 *
 * Layout (A = RTMEM_CFG_HEAP_ALIGNMENT):
 *   - the usable size is always size - A (upstream configADJUSTED_HEAP_SIZE),
 *     whatever the address: up to A - 1 bytes may be lost rounding the start
 *     up to A, and one more A is kept back even when mem is aligned;
 *   - a request of n bytes takes n rounded up to A; n == 0, or a rounding that
 *     would overflow, fails;
 *   - an allocation succeeds only if used + taken < usable, strictly: the
 *     last byte of the usable size is never handed out, so at most
 *     size - 2A bytes can ever be allocated (upstream's `<` test);
 *   - free bytes = usable - used.
 *   [mem ..pad..][A-aligned start ............ start+usable)[..rest of mem]
 *
 * Memory is never freed; rtm_heap1_reset() forgets every allocation at once
 * (FreeRTOS vPortInitialiseBlocks / vPortHeapResetState).
 *
 * Not thread-safe: callers serialise (the FreeRTOS layer takes the port's
 * critical section). Every function is O(1) except calloc, which also zeroes
 * the bytes it returns.
 */
#ifndef RTMEM_HEAP1_H
#define RTMEM_HEAP1_H

#include <stddef.h>
#include <stdint.h>

#include "rtmem/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rtm_heap1 {
    uint8_t *mem;         /* memory as given (for the foreign-pointer test) */
    size_t size;
    uint8_t *start;       /* mem rounded up to the alignment */
    size_t usable;        /* size - alignment (configADJUSTED_HEAP_SIZE) */
    size_t used;          /* bytes handed out (upstream xNextFreeByte) */
    size_t live_blocks;   /* allocations since init or the last reset */
    size_t alloc_count;   /* successful allocations since init */
    size_t failed_allocs; /* allocations that returned NULL since init */
    rtm_fault_t fault;
} rtm_heap1_t;

/* Smallest memory size for which allocations whose sizes, each rounded up
 * to A, add up to `rounded_sum` all succeed: usable = size - A must exceed
 * the sum (strict test), whatever the address of the memory. */
#define RTM_HEAP1_SIZE_FOR(rounded_sum) \
    ((size_t)(rounded_sum) + (size_t)RTMEM_CFG_HEAP_ALIGNMENT + 1u)

/* Use [mem, mem + size) as the heap. O(1). Returns RTM_OK; RTM_ERR_NULL if h
 * or mem is NULL; RTM_ERR_ARG if size is not larger than the alignment or
 * the memory wraps the address space (h untouched on error). */
rtm_err_t rtm_heap1_init(rtm_heap1_t *h, void *mem, size_t size);

/* Take `size` bytes (rounded up to the alignment) from the top of the used
 * part. O(1). Returns an A-aligned pointer, or NULL, counted as a failed
 * allocation, for size 0, an overflowing rounding, or too little room
 * (used + taken must stay strictly below the usable size). h NULL: NULL. */
void *rtm_heap1_alloc(rtm_heap1_t *h, size_t size) RTM_ALLOC_SIZE(2);

/* n * size bytes, zeroed. O(n * size). NULL (a failed allocation) when the
 * product overflows or is 0, or as rtm_heap1_alloc. Upstream heap_1 has no
 * pvPortCalloc; this is an rtmem addition. */
void *rtm_heap1_calloc(rtm_heap1_t *h, size_t n, size_t size) RTM_ALLOC_SIZE(2, 3);

/* heap_1 cannot free. O(1). NULL: RTM_OK, nothing done. Any other pointer is
 * reported to the fault hook and the heap is left untouched: a pointer inside
 * the memory given to init gives RTM_ERR_NOT_SUPPORTED, any other
 * RTM_ERR_FOREIGN_PTR (the value returned). h NULL: RTM_ERR_NULL. */
rtm_err_t rtm_heap1_free(rtm_heap1_t *h, void *p);

/* Forget every allocation: the whole usable size is free again (upstream
 * vPortInitialiseBlocks / vPortHeapResetState). The counters of
 * rtm_heap1_stats are kept. O(1). */
void rtm_heap1_reset(rtm_heap1_t *h);

/* usable - used (xPortGetFreeHeapSize). O(1). h NULL: 0. */
size_t rtm_heap1_free_bytes(const rtm_heap1_t *h);

/* Lowest free bytes since init: always the free bytes now, since nothing is
 * ever given back (upstream heap_1 has no such function). O(1). */
size_t rtm_heap1_min_ever_free(const rtm_heap1_t *h);

/* Nothing to do (the minimum ever free is always the free bytes now); kept so
 * every scheme has the same API. O(1). */
void rtm_heap1_reset_min_ever_free(rtm_heap1_t *h);

/* Statistics. O(1). The free part is one block: total_bytes = usable;
 * free_bytes = min_ever_free = largest_free = smallest_free = usable - used;
 * free_blocks = 1 (0 when nothing is free); used_blocks = allocations since
 * init or the last reset; alloc_count = successful allocations since init;
 * free_count = 0;
 * failed_allocs; faults = faults raised by this instance. Upstream heap_1
 * has no vPortGetHeapStats. */
void rtm_heap1_stats(const rtm_heap1_t *h, rtm_stats_t *out);

/* Read-only consistency check: start aligned and inside the memory, used a
 * multiple of the alignment and below the usable size, usable part inside
 * the memory. O(1) (there is no list to walk). Returns RTM_OK or
 * RTM_ERR_CORRUPT (RTM_ERR_NULL for h NULL), also in *report if not NULL
 * (blocks = used_blocks plus the free block, free_blocks, free_bytes). */
rtm_err_t rtm_heap1_check(const rtm_heap1_t *h, rtm_check_t *report);

/* Install a fault hook (NULL = rtm_fault_default). O(1). */
void rtm_heap1_set_fault_hook(rtm_heap1_t *h, rtm_fault_fn fn, void *user);

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_HEAP1_H */
