/*
 * Set-up of the free-list core (heap_2, heap_4, heap_5): the region plan and
 * the initial blocks, markers and list (the steps in freelist_setup.h, whose
 * one-span instance is rtm_heap4_init in heap4.c). See rtmem/freelist.h.
 */
#include "freelist_setup.h"

bool rtm_fl_plan(uintptr_t start, size_t size, rtm_fl_span_t *out)
{
    return plan(start, size, out);
}

void rtm_fl_init_addr(rtm_fl_t *fl, rtm_fl_span_t *spans, size_t n, uintptr_t canary)
{
    init_addr(fl, spans, n, canary);
}

/* heap_4 with a canary of its own: the list init laid out (under the canary
 * set-up chose) holds three links, the head's, the block's and the end
 * marker's; each is stored again under the new key. */
void rtm_fl_rekey1(rtm_fl_t *fl, uintptr_t canary)
{
    if (RTM_FL_PROT && canary != 0u) {
        link_t *blk = rtm_fl_dec(fl, fl->head.next);
        fl->canary = canary;
        fl->head.next = enc(fl, blk);
        blk->next = enc(fl, fl->end);
        fl->end->next = enc(fl, NULL);
    }
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

