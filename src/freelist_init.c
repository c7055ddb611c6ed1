/*
 * Set-up of the free-list core (heap_2, heap_4, heap_5): the region plan and
 * the initial blocks, markers and list. See rtmem/freelist.h.
 */
#include "freelist.h"
#include "freelist_acc.h"

#include <string.h>

/* ---- Set-up ----------------------------------------------------------------- */

static void setup(rtm_fl_t *fl, rtm_fl_span_t *spans, size_t n, bool by_size,
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

bool rtm_fl_plan(uintptr_t start, size_t size, rtm_fl_span_t *out)
{
    return plan(start, size, out);
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
}

void rtm_fl_init_addr(rtm_fl_t *fl, rtm_fl_span_t *spans, size_t n, uintptr_t canary)
{
    init_addr(fl, spans, n, canary);
}

/* heap_4: the checks, plan and set-up in one call (one prologue, not three);
 * the span is the one rtm_heap4_t places right after its free list. */
rtm_err_t rtm_fl_init_addr1(rtm_fl_t *fl, uintptr_t start, size_t size, uintptr_t canary)
{
    rtm_fl_span_t *span;
    if (fl == NULL || start == 0u) {
        return RTM_ERR_NULL;
    }
    span = (rtm_fl_span_t *)(void *)(fl + 1);
#if defined(__GNUC__)
    /* hides that span sits at fl + 1: otherwise -Os keeps its two words in
     * registers across the set-up (a larger prologue) instead of reading
     * them back once. No effect on behaviour. */
    __asm__("" : "+r"(span));
#endif
    if (!plan(start, size, span)) {
        return RTM_ERR_ARG;
    }
    init_addr(fl, span, 1u, canary);
    return RTM_OK;
}

/* head -> [one block of all usable bytes] -> tail (in the instance, its size
 * the usable bytes, so a size-ordered walk always stops there). */
void rtm_fl_init_size(rtm_fl_t *fl, rtm_fl_span_t *span, uintptr_t canary)
{
    link_t *blk = at(addr(span->first));
    size_t usable = (size_t)(addr(span->end) - addr(blk));
    setup(fl, span, 1u, true, canary);
    fl->end = &fl->tail;
    fl->tail.size = usable;
    fl->tail.next = enc(fl, NULL);
    blk->size = usable;
    blk->next = enc(fl, &fl->tail);
    rtm_fl_poison(fl, addr(blk) + FL_HDR, addr(span->end));
    fl->head.next = enc(fl, blk);
    fl->total_bytes = fl->free_bytes = fl->min_ever_free = usable;
}

