/*
 * Private interface of the free-list core (src/freelist.c) shared by heap_2,
 * heap_4 and heap_5 and by their white-box tests. The state type rtm_fl_t
 * and the layout macros are public (rtmem/heap5.h) because instances are
 * caller-owned.
 *
 * Two list disciplines, chosen at setup:
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

/* Put `fl` in the "empty, nothing laid out" state with the given span table
 * (n entries, filled by the caller before rtm_fl_build_*). O(1). */
void rtm_fl_setup(rtm_fl_t *fl, rtm_fl_span_t *spans, size_t n, bool by_size,
                  uintptr_t canary);

/* Plan a heap_4/5 region: start rounded up to the alignment if misaligned,
 * end marker at (start + size - header) rounded down. False when the region
 * is NULL, wraps, or leaves a free block smaller than RTM_FL_MIN_BLOCK. O(1). */
bool rtm_fl_plan(uintptr_t start, size_t size, rtm_fl_span_t *out);

/* Write the blocks, end markers and list for the planned spans (address
 * order), and set the free bytes. O(spans). */
void rtm_fl_build_addr(rtm_fl_t *fl);

/* Write the single block and the instance's end sentinel for heap_2's one
 * span (size order). O(1). */
void rtm_fl_build_size(rtm_fl_t *fl);

void *rtm_fl_alloc(rtm_fl_t *fl, size_t n);
void *rtm_fl_calloc(rtm_fl_t *fl, size_t n, size_t size);
/* Free for the address-ordered (heap_4/5) and size-ordered (heap_2) lists;
 * separate so that each scheme links only its own. */
rtm_err_t rtm_fl_free_addr(rtm_fl_t *fl, void *p);
rtm_err_t rtm_fl_free_size(rtm_fl_t *fl, void *p);
void rtm_fl_stats(const rtm_fl_t *fl, rtm_stats_t *out);
rtm_err_t rtm_fl_check(const rtm_fl_t *fl, rtm_check_t *report);
size_t rtm_fl_usable_size(const void *p);

#endif /* RTM_FREELIST_H */
