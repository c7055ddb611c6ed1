/*
 * Private interface of the free-list core (src/freelist.c and
 * src/freelist_size.c, the check in src/freelist_check.c) shared by heap_2,
 * heap_4 and heap_5 and by their white-box tests. The state type and the layout are public
 * (rtmem/freelist.h) because instances are caller-owned.
 *
 * Two list disciplines, fixed per wrapper at compile time (each has its own
 * entry points below, so a scheme links only its own code):
 *   address order (heap_4/5): first fit, a freed block merges with free
 *     neighbours, a split remainder is linked right after the predecessor;
 *     the list ends at the last region's end marker;
 *   size order (heap_2): first fit = best fit, no merging, a freed block or a
 *     split remainder goes before the first block at least as large; the list
 *     ends at the instance's tail sentinel.
 */
#ifndef RTM_FREELIST_H
#define RTM_FREELIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "rtmem/freelist.h"

/* Links and check words are XOR-ed with the instance's canary. */
#define RTM_FL_PROT (RTMEM_CFG_HEAP_PROTECTOR == 1 || RTMEM_CFG_HARDEN >= 1)
/* Freed user bytes are poisoned and verified when handed out again. */
#define RTM_FL_POISON (RTMEM_CFG_HARDEN >= 2)
#define RTM_FL_POISON_BYTE 0xA5u
#define RTM_FL_POISON_WORD ((uintptr_t)-1 / 255u * RTM_FL_POISON_BYTE)
/* Size word of heap_4/5's last end marker: 0 with the allocated bit, so a
 * first-fit walk stops there on the size test alone (the size is 0 to every
 * reader that masks the bit). */
#define RTM_FL_END_SIZE RTM_FL_USED_BIT

static inline uintptr_t rtm_fl_key(const rtm_fl_t *fl)
{
    return RTM_FL_PROT ? fl->canary : 0u;
}

/* A link as stored (XOR-ed with the canary under protection) and back. */
static inline rtm_fl_link_t *rtm_fl_dec(const rtm_fl_t *fl, const rtm_fl_link_t *p)
{
    return (rtm_fl_link_t *)((uintptr_t)p ^ rtm_fl_key(fl));
}

/* The check word an allocated block at `b` with size word `w` carries in
 * its `next` field: their sum, one instruction on every target. Two equal
 * words (bytes filled with one pattern) would need b = 0 to pass, which no
 * heap holds, and the last end marker (size word the allocated bit alone,
 * link 0) needs b = 2^(N-1) but is never taken for a block. */
static inline rtm_fl_link_t *rtm_fl_chk(const rtm_fl_t *fl, const rtm_fl_link_t *b, size_t w)
{
    return (rtm_fl_link_t *)(((uintptr_t)b + (uintptr_t)w) ^ rtm_fl_key(fl));
}

/* Is `b` the header of an allocated block (allocated bit and check word)? */
static inline bool rtm_fl_live(const rtm_fl_t *fl, const rtm_fl_link_t *b)
{
    size_t w = b->size;
    return (w & RTM_FL_USED_BIT) != 0u && b->next == rtm_fl_chk(fl, b, w);
}

/* Freed bytes hold the poison, or zeros while clear-on-free is on
 * (RTMEM_CFG_HARDEN >= 2; nothing otherwise). */
static inline void rtm_fl_poison(const rtm_fl_t *fl, uintptr_t from, uintptr_t to)
{
    if (RTM_FL_POISON && to > from) {
        memset((void *)from, fl->clear_on_free ? 0 : (int)RTM_FL_POISON_BYTE, (size_t)(to - from));
    }
}

/* Are the bytes [from, to) still as freed? O(to - from). */
static inline bool rtm_fl_poisoned(const rtm_fl_t *fl, uintptr_t from, uintptr_t to)
{
    const uint8_t *q = (const uint8_t *)from;
    for (; RTM_FL_POISON && (uintptr_t)q < to; q++) {
        if (*q != RTM_FL_POISON_BYTE && (*q != 0u || !fl->clear_on_free)) {
            return false;
        }
    }
    return true;
}

/* Plan a heap_4/5 region: start rounded up to the alignment if misaligned,
 * end marker at (start + size - header) rounded down. Writes *out only on
 * success. False when the region is NULL, wraps, or leaves a free block
 * smaller than RTM_FL_MIN_BLOCK. O(1). */
bool rtm_fl_plan(uintptr_t start, size_t size, rtm_fl_span_t *out);

/* Set `fl` up over n planned spans (the wrapper's table, kept by pointer):
 * blocks, end markers and list in address order (heap_4/5). O(spans). */
void rtm_fl_init_addr(rtm_fl_t *fl, rtm_fl_span_t *spans, size_t n, uintptr_t canary);
/* heap_4's init with a canary (rtm_heap4_init_canary): after the one-span
 * set-up under the canary it chose, the list's three links are stored again
 * under `canary` (under protection, when canary is not 0). O(1). */
void rtm_fl_rekey1(rtm_fl_t *fl, uintptr_t canary);

/* Set `fl` up over heap_2's one span (size order): one block and the
 * instance's end sentinel. O(1). */
void rtm_fl_init_size(rtm_fl_t *fl, rtm_fl_span_t *span, uintptr_t canary);

/* First fit: address order over any number of spans (heap_5; heap_4's
 * one-span instance is rtm_heap4_alloc itself, from freelist_addr.h); size
 * order = best fit (heap_2). */
void *rtm_fl_alloc_addr(rtm_fl_t *fl, size_t n);
void *rtm_fl_alloc_size(rtm_fl_t *fl, size_t n);

typedef void *rtm_fl_alloc_fn(rtm_fl_t *fl, size_t n);
/* n * size zeroed bytes from `alloc_fn` (one of the above). */
void *rtm_fl_calloc(rtm_fl_t *fl, size_t n, size_t size, rtm_fl_alloc_fn *alloc_fn);

/* Free: address order over any number of spans (heap_5; heap_4's is
 * rtm_heap4_free), size order (heap_2). */
rtm_err_t rtm_fl_free_addr(rtm_fl_t *fl, void *p);
rtm_err_t rtm_fl_free_size(rtm_fl_t *fl, void *p);
/* Statistics; fl NULL gives all zeros. */
void rtm_fl_stats(const rtm_fl_t *fl, rtm_stats_t *out);
rtm_err_t rtm_fl_check(const rtm_fl_t *fl, rtm_check_t *report);
/* Usable bytes of the allocated block at p; 0 and a fault when p is not one. */
size_t rtm_fl_usable_size(rtm_fl_t *fl, const void *p);

#endif /* RTM_FREELIST_H */
