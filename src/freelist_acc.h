/*
 * The free-list core's short names (src/freelist*.c only, not the heap
 * wrappers or tests, which include freelist.h): constants, the link type and
 * the accessors every source of the core uses.
 */
#ifndef RTM_FREELIST_ACC_H
#define RTM_FREELIST_ACC_H

#include "freelist.h"

#define FL_ALIGN ((uintptr_t)RTMEM_CFG_HEAP_ALIGNMENT)
#define FL_HDR RTM_FL_HEADER

typedef rtm_fl_link_t link_t;

static inline uintptr_t addr(const void *p)
{
    return (uintptr_t)p;
}

static inline link_t *at(uintptr_t a)
{
    return (link_t *)a;
}

static inline link_t *enc(const rtm_fl_t *fl, const link_t *p)
{
    return rtm_fl_dec(fl, p); /* XOR both ways */
}

static inline size_t bsize(const link_t *b)
{
    return b->size & ~RTM_FL_USED_BIT;
}

#endif /* RTM_FREELIST_ACC_H */
