/*
 * Free-list core shared by heap_2, heap_4 and heap_5: heap_5's entry points
 * of the address-ordered allocation and free (the steps in freelist_addr.h,
 * whose one-span instances are heap_4's entry points in heap4.c), calloc and
 * the usable size (heap_2's size order in freelist_size.c, the shared steps
 * in freelist_core.h, set-up in freelist_init.c, statistics and the
 * integrity check in freelist_check.c).
 *
 * Behaviour matched to FreeRTOS-Kernel V11.1.0 portable/MemMang heap_2.c,
 * heap_4.c and heap_5.c (the numbers are the same in V11.2.0); written from
 * the layout rules, not from the upstream text. See rtmem/freelist.h for the
 * layout and the damage checks.
 *
 * Blocks of one span are contiguous, so header + size leads to the next
 * header. Address arithmetic is done in uintptr_t: heap_5 regions are
 * separate objects and comparing pointers into them is not portable C.
 */
#include "freelist_addr.h"

_Static_assert(RTM_IS_POW2(RTMEM_CFG_HEAP_ALIGNMENT) &&
                   RTMEM_CFG_HEAP_ALIGNMENT >= 4 && RTMEM_CFG_HEAP_ALIGNMENT <= 64,
               "RTMEM_CFG_HEAP_ALIGNMENT must be a power of two from 4 to 64");
_Static_assert(RTMEM_CFG_HEAP_ALIGNMENT >= _Alignof(void *) &&
                   RTMEM_CFG_HEAP_ALIGNMENT >= _Alignof(size_t),
               "RTMEM_CFG_HEAP_ALIGNMENT must be >= alignof(void *) (8 on 64-bit hosts)");
_Static_assert(RTMEM_CFG_HEAP_PROTECTOR == 0 || RTMEM_CFG_HEAP_PROTECTOR == 1,
               "RTMEM_CFG_HEAP_PROTECTOR must be 0 or 1");
_Static_assert(RTMEM_CFG_HARDEN >= 0 && RTMEM_CFG_HARDEN <= 2, "RTMEM_CFG_HARDEN is 0, 1 or 2");
_Static_assert(RTMEM_CFG_HEAP5_MAX_REGIONS >= 1, "RTMEM_CFG_HEAP5_MAX_REGIONS must be >= 1");
_Static_assert(RTM_FL_HEADER % RTMEM_CFG_HEAP_ALIGNMENT == 0, "header keeps blocks aligned");

void *rtm_fl_alloc_addr(rtm_fl_t *fl, size_t n)
{
    return alloc_gated(fl, n, false);
}

void *rtm_fl_calloc(rtm_fl_t *fl, size_t n, size_t size, rtm_fl_alloc_fn *alloc_fn)
{
    void *p;
    if (rtm_mul_overflows(n, size)) {
        return fail_alloc(fl);
    }
    p = alloc_fn(fl, n * size);
    if (p != NULL) {
        memset(p, 0, n * size);
    }
    return p;
}

rtm_err_t rtm_fl_free_addr(rtm_fl_t *fl, void *p)
{
    return freed(fl, p, free_addr(fl, p, false));
}

size_t rtm_fl_usable_size(rtm_fl_t *fl, const void *p)
{
    const rtm_fl_span_t *s;
    rtm_err_t err = locate(fl, p, &s, false);
    if (err != RTM_OK) {
        (void)rtm_fault_raise(&fl->fault, err, fl, p);
        return 0;
    }
    return bsize(at(addr(p) - FL_HDR)) - FL_HDR;
}
