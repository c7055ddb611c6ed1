/*
 * rtm_tlsf: calloc, aligned_alloc, realloc and usable_size, over the O(1)
 * pieces of src/tlsf.c (declared in tlsf_internal.h). Bounds and bad-input
 * rules: include/rtmem/tlsf.h.
 */
#include "rtmem/tlsf.h"

#include <string.h>

#include "rtm_hooks.h"
#include "rtm_internal.h"
#include "tlsf_internal.h"

void *rtm_tlsf_calloc(rtm_tlsf_t *t, size_t n, size_t size)
{
    if (t == NULL) {
        return NULL;
    }
    if (rtm_mul_overflows(n, size)) {
        t->failed_allocs++;
        return NULL;
    }
    void *p = rtm_tlsf_alloc(t, n * size);
    if (p != NULL) {
        memset(p, 0, n * size);
    }
    return p;
}

static void *aligned_in(rtm_tlsf_t *t, size_t align, size_t size)
{
    if (align <= RTM_G && RTM_IS_POW2(align)) {
        return rtm_tlsf_alloc_in_(t, size);
    }
    size_t bs = rtm_tlsf_block_size(t, size);
    /* Worst leading gap: MIN_BLOCK + align - ALIGN (a gap is 0 or a block).
     * A bad align asks for more than the heap (the sum cannot wrap). */
    size_t need = rtm_tlsf_block_size(t, t->total_bytes);
    if (RTM_IS_POW2(align) && align <= t->total_bytes) {
        need = bs + RTM_BMIN - RTM_G + align;
    }
    uintptr_t b = rtm_tlsf_grab_(t, need);
    if (b == 0u) {
        return NULL;
    }
    size_t s = bsize(b);
    uintptr_t pay = b + RTM_TW;
    uintptr_t al = RTM_ALIGN_UP(pay, (uintptr_t)align);
    if (al != pay && al - pay < RTM_BMIN) {
        al = RTM_ALIGN_UP(pay + RTM_BMIN, (uintptr_t)align);
    }
    size_t gap = (size_t)(al - pay);
    uintptr_t f = b;
    size_t total = s;
    if (gap != 0u) {
        /* [------ b ------] -> [gap: free][b + gap: used ...] */
        rtm_tlsf_insert_(t, b, gap);
        b += gap;
        s -= gap;
    }
    return rtm_tlsf_handed_(t, rtm_tlsf_take_(t, b, s, bs), f, total);
}

void *rtm_tlsf_aligned_alloc(rtm_tlsf_t *t, size_t align, size_t size)
{
    if (t == NULL || size == 0u) {
        return NULL;
    }
    void *p = RTM_GATE(&t->fault, t, size) ? rtm_tlsf_refused(t) : aligned_in(t, align, size);
    RTM_EVENT(p != NULL ? RTM_EV_ALLOC : RTM_EV_FAIL, t, p, NULL, size);
    return p;
}

/* realloc of the checked used block u (payload p) to size >= 1 bytes, not
 * gated, no event. */
static void *realloc_in(rtm_tlsf_t *t, void *p, const rtm_used_t *uu, size_t size)
{
    rtm_used_t u = *uu;
    /* bs larger than every block when size is beyond the heap: falls
     * through to the alloc below, which fails and counts it. */
    size_t bs = rtm_tlsf_block_size(t, size);
    uintptr_t b = u.b;
    size_t s = u.s;
    size_t ns = u.ns;
    size_t ps = u.ps;
    if (bs <= s + ns) {
        /* Shrink, or grow into the next block: [b][next] -> [b: bs][tail]. */
        if (ns != 0u) {
            rtm_tlsf_unlink_(t, b + s, ns);
        }
        t->used_bytes -= s; /* take() counts the block it returns */
        return rtm_tlsf_take_(t, b, s + ns, bs);
    }
    if (ps != 0u && bs <= ps + s + ns) {
        /* [prev: free][b][next?] -> [moved b: bs][tail], data memmoved down. */
        uintptr_t nb = b - ps;
        rtm_tlsf_unlink_(t, nb, ps);
        if (ns != 0u) {
            rtm_tlsf_unlink_(t, b + s, ns);
        }
        memmove((void *)(nb + RTM_TW), p, s - RTM_TW);
        t->used_bytes -= s;
        return rtm_tlsf_take_(t, nb, ps + s + ns, bs);
    }
    void *q = rtm_tlsf_alloc_in_(t, size);
    if (q != NULL) {
        memcpy(q, p, s - RTM_TX < size ? s - RTM_TX : size);
        /* The alloc may have taken a neighbour of p: u is stale. */
        (void)rtm_tlsf_free_in_(t, p);
    }
    return q;
}

void *rtm_tlsf_realloc(rtm_tlsf_t *t, void *p, size_t size)
{
    if (t == NULL) {
        return NULL;
    }
    if (size == 0u) {
        (void)rtm_tlsf_free(t, p); /* reports the free */
        return NULL;
    }
    rtm_used_t u = {0u, 0u, 0u, 0u};
    if (p != NULL) {
        rtm_err_t e = rtm_tlsf_check_used_(t, p, &u);
        if (e != RTM_OK) {
            (void)rtm_fault_raise(&t->fault, e, t, p);
            return NULL;
        }
    }
    /* Only a realloc that may need more memory is an allocation. */
    void *q;
    if (rtm_tlsf_block_size(t, size) > u.s && RTM_GATE(&t->fault, t, size)) {
        q = rtm_tlsf_refused(t);
    } else {
        q = p != NULL ? realloc_in(t, p, &u, size) : rtm_tlsf_alloc_in_(t, size);
    }
    RTM_EVENT(q != NULL ? RTM_EV_REALLOC : RTM_EV_FAIL, t, q, p, size);
    return q;
}

/* ---- Queries ------------------------------------------------------------ */

size_t rtm_tlsf_usable_size(const rtm_tlsf_t *t, const void *p)
{
    rtm_used_t u;
    if (t == NULL || p == NULL || rtm_tlsf_check_used_(t, p, &u) != RTM_OK) {
        return 0u;
    }
    return u.s - RTM_TX;
}

