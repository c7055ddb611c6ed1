/*
 * rtm_alloc: the small allocator interface every rtmem scheme offers, so that
 * partitions, stacks, quotas, the tool and the FreeRTOS layer take any scheme
 * the same way. An rtm_alloc_t is a pair (operations, instance); the
 * operations tables below adapt each scheme without changing it.
 *
 * Bounds and bad-input rules are the scheme's own (see its header): these
 * wrappers add one indirect call. realloc is NULL where a scheme has none;
 * rtm_alloc_realloc() then refuses (NULL, fault RTM_ERR_NOT_SUPPORTED on the
 * scheme's instance is not raised: the call simply reports "not supported").
 */
#ifndef RTMEM_ALLOC_H
#define RTMEM_ALLOC_H

#include "rtmem/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rtm_alloc_ops {
    const char *name; /* "heap_1", "heap_2", "heap_4", "heap_5", "tlsf", "pool" */
    /* Set up the scheme's instance over one region; `param` is the block size
     * for a pool, unused (0) otherwise. */
    rtm_err_t (*init)(void *inst, void *mem, size_t size, size_t param);
    void *(*alloc)(void *inst, size_t size);
    rtm_err_t (*free)(void *inst, void *p);
    void *(*realloc)(void *inst, void *p, size_t size); /* NULL: none */
    void (*stats)(const void *inst, rtm_stats_t *out);
    rtm_err_t (*check)(const void *inst, rtm_check_t *report);
    void (*set_fault_hook)(void *inst, rtm_fault_fn fn, void *user);
} rtm_alloc_ops_t;

typedef struct rtm_alloc {
    const rtm_alloc_ops_t *ops;
    void *inst; /* rtm_heap1_t, rtm_heap2_t, ..., rtm_pool_t */
} rtm_alloc_t;

/* The adapters (instances: rtm_heap1_t, rtm_heap2_t, rtm_heap4_t,
 * rtm_heap5_t, rtm_tlsf_t, rtm_pool_t). heap_5's init takes one region; a
 * pool's alloc refuses sizes above its block size (NULL, counted as a
 * failure by the caller). A table is linked only when referenced. */
extern const rtm_alloc_ops_t rtm_alloc_heap1;
extern const rtm_alloc_ops_t rtm_alloc_heap2;
extern const rtm_alloc_ops_t rtm_alloc_heap4;
extern const rtm_alloc_ops_t rtm_alloc_heap5;
extern const rtm_alloc_ops_t rtm_alloc_tlsf;
extern const rtm_alloc_ops_t rtm_alloc_pool;

/* Bind `a` to an instance. O(1). Nothing is checked here: a NULL ops or
 * inst gives an unbound `a`, which the calls below refuse. */
static inline rtm_alloc_t rtm_alloc_bind(const rtm_alloc_ops_t *ops, void *inst)
{
    rtm_alloc_t a = {ops, inst};
    return a;
}

/* The calls. A NULL or unbound `a` gives NULL / RTM_ERR_NULL (no instance to
 * raise a fault on). Time: the scheme's. */
void *rtm_alloc_alloc(const rtm_alloc_t *a, size_t size);
rtm_err_t rtm_alloc_free(const rtm_alloc_t *a, void *p);
/* The scheme's realloc: its time bound and bad-pointer rules. NULL with the
 * block untouched when the scheme has none, or for an unbound `a`. */
void *rtm_alloc_realloc(const rtm_alloc_t *a, void *p, size_t size);
/* The scheme's statistics. RTM_ERR_NULL for a NULL or unbound `a` or a NULL
 * `out`. Time: the scheme's. */
rtm_err_t rtm_alloc_stats(const rtm_alloc_t *a, rtm_stats_t *out);
/* The scheme's read-only check: its result, also in *report when `report`
 * is not NULL (as every scheme's own check). Time: the scheme's. */
rtm_err_t rtm_alloc_check(const rtm_alloc_t *a, rtm_check_t *report);

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_ALLOC_H */
