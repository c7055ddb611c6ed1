/*
 * Private interface of the free-list core (src/freelist.c) shared by heap_2,
 * heap_4 and heap_5 and by their white-box tests. The state type rtm_fl_t
 * and the layout macros are public (rtmem/heap5.h) because instances are
 * caller-owned.
 *
 * Two list disciplines, fixed per wrapper at compile time (each has its own
 * entry points below, so a scheme links only its own code):
 *   address order (heap_4/5): first fit, a freed block merges with free
 *     neighbours, a split remainder is linked right after the predecessor;
 *   size order (heap_2): first fit = best fit, no merging, a freed block or a
 *     split remainder goes before the first block at least as large.
 */
#ifndef RTM_FREELIST_H
#define RTM_FREELIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rtmem/heap5.h"

/* Top bit of a block size: the block is allocated. */
#define RTM_FL_USED_BIT (~(SIZE_MAX >> 1))

/* Plan a heap_4/5 region: start rounded up to the alignment if misaligned,
 * end marker at (start + size - header) rounded down. Writes *out only on
 * success. False when the region is NULL, wraps, or leaves a free block
 * smaller than RTM_FL_MIN_BLOCK. O(1). */
bool rtm_fl_plan(uintptr_t start, size_t size, rtm_fl_span_t *out);

/* Set `fl` up over n planned spans (the wrapper's table, kept by pointer):
 * blocks, end markers and list in address order (heap_4/5). O(spans). */
void rtm_fl_init_addr(rtm_fl_t *fl, rtm_fl_span_t *spans, size_t n, uintptr_t canary);
/* The same for exactly one span (heap_4). O(1). */
void rtm_fl_init_addr1(rtm_fl_t *fl, rtm_fl_span_t *span, uintptr_t canary);

/* Set `fl` up over heap_2's one span (size order): one block and the
 * instance's end sentinel. O(1). */
void rtm_fl_init_size(rtm_fl_t *fl, rtm_fl_span_t *span, uintptr_t canary);

/* First fit: address order (heap_4/5), size order = best fit (heap_2). */
void *rtm_fl_alloc_addr(rtm_fl_t *fl, size_t n);
void *rtm_fl_alloc_size(rtm_fl_t *fl, size_t n);

typedef void *rtm_fl_alloc_fn(rtm_fl_t *fl, size_t n);
/* n * size zeroed bytes from `alloc_fn` (one of the two above). */
void *rtm_fl_calloc(rtm_fl_t *fl, size_t n, size_t size, rtm_fl_alloc_fn *alloc_fn);

/* Free: address order over any number of spans (heap_5), over exactly one
 * span (heap_4), size order (heap_2). */
rtm_err_t rtm_fl_free_addr(rtm_fl_t *fl, void *p);
rtm_err_t rtm_fl_free_addr1(rtm_fl_t *fl, void *p);
rtm_err_t rtm_fl_free_size(rtm_fl_t *fl, void *p);
void rtm_fl_stats(const rtm_fl_t *fl, rtm_stats_t *out);
rtm_err_t rtm_fl_check(const rtm_fl_t *fl, rtm_check_t *report);
size_t rtm_fl_usable_size(const void *p);

#endif /* RTM_FREELIST_H */
