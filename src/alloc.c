/*
 * rtm_alloc: one operations table per scheme (see rtmem/alloc.h). The
 * adapters only convert the instance pointer and fill the gaps a scheme
 * leaves (heap_5's region table, the pool's size argument).
 */
#include "rtmem/alloc.h"

#include <string.h>

#include "rtmem/heap1.h"
#include "rtmem/heap2.h"
#include "rtmem/heap4.h"
#include "rtmem/heap5.h"
#include "rtmem/pool.h"
#include "rtmem/tlsf.h"

/* ---- heap_1 -------------------------------------------------------------- */

static rtm_err_t h1_init(void *i, void *mem, size_t size, size_t param)
{
    (void)param;
    return rtm_heap1_init(i, mem, size);
}
static void *h1_alloc(void *i, size_t size) { return rtm_heap1_alloc(i, size); }
static rtm_err_t h1_free(void *i, void *p) { return rtm_heap1_free(i, p); }
static void h1_stats(const void *i, rtm_stats_t *o) { rtm_heap1_stats(i, o); }
static rtm_err_t h1_check(const void *i, rtm_check_t *r) { return rtm_heap1_check(i, r); }
static void h1_hook(void *i, rtm_fault_fn fn, void *u) { rtm_heap1_set_fault_hook(i, fn, u); }

const rtm_alloc_ops_t rtm_alloc_heap1 = {"heap_1", h1_init, h1_alloc, h1_free, NULL,
                                         h1_stats, h1_check, h1_hook};

/* ---- heap_2 -------------------------------------------------------------- */

static rtm_err_t h2_init(void *i, void *mem, size_t size, size_t param)
{
    (void)param;
    return rtm_heap2_init(i, mem, size);
}
static void *h2_alloc(void *i, size_t size) { return rtm_heap2_alloc(i, size); }
static rtm_err_t h2_free(void *i, void *p) { return rtm_heap2_free(i, p); }
static void h2_stats(const void *i, rtm_stats_t *o) { rtm_heap2_stats(i, o); }
static rtm_err_t h2_check(const void *i, rtm_check_t *r) { return rtm_heap2_check(i, r); }
static void h2_hook(void *i, rtm_fault_fn fn, void *u) { rtm_heap2_set_fault_hook(i, fn, u); }

const rtm_alloc_ops_t rtm_alloc_heap2 = {"heap_2", h2_init, h2_alloc, h2_free, NULL,
                                         h2_stats, h2_check, h2_hook};

/* ---- heap_4 -------------------------------------------------------------- */

static rtm_err_t h4_init(void *i, void *mem, size_t size, size_t param)
{
    (void)param;
    return rtm_heap4_init(i, mem, size);
}
static void *h4_alloc(void *i, size_t size) { return rtm_heap4_alloc(i, size); }
static rtm_err_t h4_free(void *i, void *p) { return rtm_heap4_free(i, p); }
static void h4_stats(const void *i, rtm_stats_t *o) { rtm_heap4_stats(i, o); }
static rtm_err_t h4_check(const void *i, rtm_check_t *r) { return rtm_heap4_check(i, r); }
static void h4_hook(void *i, rtm_fault_fn fn, void *u) { rtm_heap4_set_fault_hook(i, fn, u); }

const rtm_alloc_ops_t rtm_alloc_heap4 = {"heap_4", h4_init, h4_alloc, h4_free, NULL,
                                         h4_stats, h4_check, h4_hook};

/* ---- heap_5: one region (heap_5 copies the table at init) ----------------- */

static rtm_err_t h5_init(void *i, void *mem, size_t size, size_t param)
{
    (void)param;
    rtm_region_t r[2] = {{mem, size}, {NULL, 0u}};
    return rtm_heap5_init(i, r);
}
static void *h5_alloc(void *i, size_t size) { return rtm_heap5_alloc(i, size); }
static rtm_err_t h5_free(void *i, void *p) { return rtm_heap5_free(i, p); }
static void h5_stats(const void *i, rtm_stats_t *o) { rtm_heap5_stats(i, o); }
static rtm_err_t h5_check(const void *i, rtm_check_t *r) { return rtm_heap5_check(i, r); }
static void h5_hook(void *i, rtm_fault_fn fn, void *u) { rtm_heap5_set_fault_hook(i, fn, u); }

const rtm_alloc_ops_t rtm_alloc_heap5 = {"heap_5", h5_init, h5_alloc, h5_free, NULL,
                                         h5_stats, h5_check, h5_hook};

/* ---- tlsf ------------------------------------------------------------------ */

static rtm_err_t tl_init(void *i, void *mem, size_t size, size_t param)
{
    (void)param;
    return rtm_tlsf_init(i, mem, size);
}
static void *tl_alloc(void *i, size_t size) { return rtm_tlsf_alloc(i, size); }
static rtm_err_t tl_free(void *i, void *p) { return rtm_tlsf_free(i, p); }
static void *tl_realloc(void *i, void *p, size_t size) { return rtm_tlsf_realloc(i, p, size); }
static void tl_stats(const void *i, rtm_stats_t *o) { rtm_tlsf_stats(i, o); }
static rtm_err_t tl_check(const void *i, rtm_check_t *r) { return rtm_tlsf_check(i, r); }
static void tl_hook(void *i, rtm_fault_fn fn, void *u) { rtm_tlsf_set_fault_hook(i, fn, u); }

const rtm_alloc_ops_t rtm_alloc_tlsf = {"tlsf", tl_init, tl_alloc, tl_free, tl_realloc,
                                        tl_stats, tl_check, tl_hook};

/* ---- pool: param = block size; a larger request cannot be served -------- */

static rtm_err_t po_init(void *i, void *mem, size_t size, size_t param)
{
    return rtm_pool_init(i, mem, size, param, 0u, 0u, 0u);
}
static void *po_alloc(void *i, size_t size)
{
    return size <= rtm_pool_block_size(i) ? rtm_pool_alloc(i) : NULL;
}
static rtm_err_t po_free(void *i, void *p) { return rtm_pool_free(i, p); }
/* The pool's block figures in the common form; a pool counts no operations
 * (pool.h), so alloc_count and free_count read RTM_STATS_NOT_COUNTED. */
static void po_stats(const void *i, rtm_stats_t *o)
{
    rtm_pool_stats_t s;
    memset(o, 0, sizeof *o);
    if (rtm_pool_stats(i, &s) != RTM_OK) {
        return;
    }
    o->total_bytes = s.capacity * s.block_size;
    o->free_bytes = s.free_blocks * s.block_size;
    o->min_ever_free = (s.capacity - s.peak_used) * s.block_size;
    o->largest_free = s.free_blocks != 0u ? s.block_size : 0u;
    o->smallest_free = o->largest_free;
    o->free_blocks = s.free_blocks;
    o->used_blocks = s.used_blocks;
    o->alloc_count = RTM_STATS_NOT_COUNTED;
    o->free_count = RTM_STATS_NOT_COUNTED;
    o->failed_allocs = s.failed_allocs;
    o->faults = s.faults;
}
static rtm_err_t po_check(const void *i, rtm_check_t *r) { return rtm_pool_check(i, r); }
static void po_hook(void *i, rtm_fault_fn fn, void *u) { rtm_pool_set_fault_hook(i, fn, u); }

const rtm_alloc_ops_t rtm_alloc_pool = {"pool", po_init, po_alloc, po_free, NULL,
                                        po_stats, po_check, po_hook};

/* ---- The calls ------------------------------------------------------------ */

static bool bound(const rtm_alloc_t *a)
{
    return a != NULL && a->ops != NULL && a->inst != NULL;
}

void *rtm_alloc_alloc(const rtm_alloc_t *a, size_t size)
{
    return bound(a) ? a->ops->alloc(a->inst, size) : NULL;
}

rtm_err_t rtm_alloc_free(const rtm_alloc_t *a, void *p)
{
    return bound(a) ? a->ops->free(a->inst, p) : RTM_ERR_NULL;
}

void *rtm_alloc_realloc(const rtm_alloc_t *a, void *p, size_t size)
{
    if (!bound(a) || a->ops->realloc == NULL) {
        return NULL;
    }
    return a->ops->realloc(a->inst, p, size);
}

rtm_err_t rtm_alloc_stats(const rtm_alloc_t *a, rtm_stats_t *out)
{
    if (!bound(a) || out == NULL) {
        return RTM_ERR_NULL;
    }
    a->ops->stats(a->inst, out);
    return RTM_OK;
}

rtm_err_t rtm_alloc_check(const rtm_alloc_t *a, rtm_check_t *report)
{
    if (!bound(a)) {
        return RTM_ERR_NULL;
    }
    return a->ops->check(a->inst, report);
}
