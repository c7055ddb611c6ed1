/*
 * Set-up steps of the free-list core (heap_2, heap_4, heap_5): the region
 * plan and the initial blocks, markers and list, inline so that heap_4's
 * public init (src/heap4.c) is the set-up itself, not a call on to it.
 * Included by src/freelist_init.c and src/heap4.c. See rtmem/freelist.h.
 */
#ifndef RTM_FREELIST_SETUP_H
#define RTM_FREELIST_SETUP_H

#include "freelist.h"
#include "freelist_acc.h"

#include <string.h>

static inline void setup(rtm_fl_t *fl, rtm_fl_span_t *spans, size_t n, bool by_size,
                  uintptr_t canary)
{
    memset(fl, 0, sizeof *fl);
    fl->fault.hook = NULL; /* rtm_fault_init: compiles away after the memset */
    fl->fault.user = NULL;
    fl->fault.last = RTM_OK;
    fl->spans = spans;
    fl->nspans = n;
    fl->by_size = by_size;
    if (RTMEM_CFG_HARDEN >= 1 && canary == 0u) {
        /* no canary given: one from the instance and memory addresses */
        canary = (addr(fl) ^ (addr(spans[0].first) << 7)) * (uintptr_t)0x9E3779B1u;
    }
    fl->canary = RTM_FL_PROT ? canary : 0u;
}

/* The first block at the start rounded up, the end marker at
 * (start + size - H) rounded down; the block between them, end - first, is
 * size - skip - H rounded down (skip: the bytes up to the aligned start), so
 * it reaches RTM_FL_MIN_BLOCK (aligned) exactly when size - skip - H does.
 * Read as a signed number end - first - RTM_FL_MIN_BLOCK is negative
 * otherwise, also when a tiny region's end or a misaligned start just below
 * the top of the address space wraps (size - skip - H is then above -2A).
 * A region of 2^(N-1) bytes or more is refused: its block's size word would
 * carry the allocated bit (and heap_4's free and alloc rely on every block
 * and the free bytes staying below 2^(N-1)). */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline bool plan(uintptr_t start, size_t size, rtm_fl_span_t *out)
{
    uintptr_t first = (start + FL_ALIGN - 1u) & ~(FL_ALIGN - 1u);
    uintptr_t end = (start + size - FL_HDR) & ~(FL_ALIGN - 1u);
    if (start == 0u || size > UINTPTR_MAX - start || size > (SIZE_MAX >> 1) ||
        end - first - RTM_FL_MIN_BLOCK > (SIZE_MAX >> 1)) {
        return false;
    }
    out->first = (uint8_t *)first;
    out->end = (uint8_t *)end;
    return true;
}

/* Each span: [first: one free block][end marker: size 0]; each marker links
 * to the next span's block, the last one ends the list:
 *   head -> [blk0][m0] -> [blk1][m1] -> ... -> [blkN][mN] (= fl->end) */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline void init_addr(rtm_fl_t *fl, rtm_fl_span_t *spans, size_t n, uintptr_t canary)
{
    link_t *prev = &fl->head;
    size_t total = 0;
    setup(fl, spans, n, false, canary);
    for (size_t i = 0; i < n; i++) {
        link_t *blk = at(addr(spans[i].first));
        link_t *mark = at(addr(spans[i].end));
        /* the size from registers: read back from the header it would be
         * loaded again after the marker's stores (they might alias) */
        size_t sz = (size_t)(addr(mark) - addr(blk));
        prev->next = enc(fl, blk);
        blk->size = sz;
        blk->next = enc(fl, mark);
        mark->size = 0;
        rtm_fl_poison(fl, addr(blk) + FL_HDR, addr(mark));
        total += sz;
        prev = mark;
    }
    prev->next = enc(fl, NULL);
    prev->size = RTM_FL_END_SIZE;
    fl->end = prev;
    /* the head "ends" at address 0, below every block: free's test that
     * the block before the one freed ends at or below it, and its merge
     * test, hold for the head as they are, without a test for the head */
    fl->head.size = (size_t)(0u - addr(&fl->head));
    fl->total_bytes = fl->free_bytes = fl->min_ever_free = total;
    fl->head_units = (size_t)(addr(prev) - addr(spans[0].first)) / FL_ALIGN + 1u;
}

#endif /* RTM_FREELIST_SETUP_H */
