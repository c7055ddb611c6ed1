/* CMSIS-RTOS v1 memory pools over rtm_pool, or over the CMSIS-RTOS2 pools
 * for the v1-on-v2 compatibility header (see rtmem/cmsis_os_pool.h). */
#include "rtmem/cmsis_os_pool.h"

#include <string.h>

#include "cmsis_mem.h"
#include "rtm_internal.h"

#if RTMEM_CFG_CMSIS_V1_ON_V2

/* As the v1-on-v2 header's RTOSes do it: the v1 call is the v2 one. */
osPoolId osPoolCreate(const osPoolDef_t *pool_def)
{
    return pool_def == NULL ? NULL
                            : (osPoolId)osMemoryPoolNew(pool_def->pool_sz, pool_def->item_sz,
                                                        &pool_def->attr);
}

void *osPoolAlloc(osPoolId pool_id)
{
    return osMemoryPoolAlloc((osMemoryPoolId_t)pool_id, 0U);
}

void *osPoolCAlloc(osPoolId pool_id)
{
    void *b = osMemoryPoolAlloc((osMemoryPoolId_t)pool_id, 0U);
    if (b != NULL) {
        memset(b, 0, osMemoryPoolGetBlockSize((osMemoryPoolId_t)pool_id));
    }
    return b;
}

osStatus osPoolFree(osPoolId pool_id, void *block)
{
    return (osStatus)osMemoryPoolFree((osMemoryPoolId_t)pool_id, block);
}

#else /* v1 over rtm_pool */

/* Validity of an id: rtm_pool_capacity() is 0 for a pool that was never
 * created or was destroyed; the id is the rtm_pool_t itself. */
static rtm_pool_t *pool_of(osPoolId pool_id)
{
    rtm_pool_t *p = (rtm_pool_t *)(void *)pool_id;
    return (p == NULL || rtm_pool_capacity(p) == 0u) ? NULL : p;
}

/* The pool over `mem` in `cb`, with the bitmap when `mem_size` has room. */
static bool make(rtm_pool_t *cb, void *mem, size_t mem_size, uint32_t n, uint32_t item,
                 size_t align)
{
    unsigned flags = mem_size >= rtm_pool_mem_size(n, item, align, RTM_POOL_BITMAP)
                         ? RTM_POOL_BITMAP
                         : 0u;
    if (rtm_pool_init(cb, mem, mem_size, item, align, n, flags) != RTM_OK) {
        return false;
    }
    rtm_pool_set_fault_hook(cb, rtm_os2_fault_quiet_, NULL);
    return true;
}

/* An upstream osPoolDef: no memory (the template's), or RTX's word array of
 * 3 + ceil(item/4) * count words. The control block, and the storage when
 * none is given, come from the RTOS's memory. */
static osPoolId create_upstream(const osPoolDef_t *d)
{
    size_t words = rtm_pool_mem_size(d->pool_sz, d->item_sz, 4u, 0u) / 4u;
    if (words == 0u || words > (SIZE_MAX / 4u) - 3u) {
        return NULL;
    }
    rtm_pool_t *cb = rtm_os2_mem_alloc_(sizeof *cb);
    void *mem = d->pool;
    size_t size = (words + 3u) * 4u;
    if (mem == NULL) {
        size = rtm_pool_mem_size(d->pool_sz, d->item_sz, 4u, RTM_POOL_BITMAP);
        mem = cb != NULL && size != 0u ? rtm_os2_mem_alloc_(size) : NULL;
    }
    if (cb == NULL || mem == NULL || !make(cb, mem, size, d->pool_sz, d->item_sz, 4u)) {
        if (mem != d->pool) {
            rtm_os2_mem_free_(mem);
        }
        rtm_os2_mem_free_(cb);
        return NULL;
    }
    return (osPoolId)(void *)cb;
}

osPoolId osPoolCreate(const osPoolDef_t *pool_def)
{
    if (pool_def == NULL || rtm_port_in_isr() || pool_def->pool_sz == 0u ||
        pool_def->item_sz == 0u) {
        return NULL;
    }
    const rtm_os_pool_mem_t *m = (const rtm_os_pool_mem_t *)pool_def->pool;
    uint32_t tag = 0;
    if (m != NULL) {
        memcpy(&tag, m, sizeof tag); /* the first word of whatever it is */
    }
    if (tag != RTM_OS_POOL_TAG) {
        return create_upstream(pool_def);
    }
    if (m->cb == NULL || m->cb_size != (uint32_t)sizeof(rtm_pool_t) ||
        !make(m->cb, m->mem, m->mem_size, pool_def->pool_sz, pool_def->item_sz, m->align)) {
        return NULL;
    }
    return (osPoolId)(void *)m->cb;
}

void *osPoolAlloc(osPoolId pool_id)
{
    rtm_pool_t *p = pool_of(pool_id);
    return p == NULL ? NULL : rtm_pool_alloc(p);
}

void *osPoolCAlloc(osPoolId pool_id)
{
    rtm_pool_t *p = pool_of(pool_id);
    return p == NULL ? NULL : rtm_pool_calloc(p);
}

osStatus osPoolFree(osPoolId pool_id, void *block)
{
    rtm_pool_t *p = pool_of(pool_id);
    if (p == NULL || block == NULL) {
        return osErrorParameter;
    }
    return rtm_pool_free(p, block) == RTM_OK ? osOK : osErrorValue;
}

#endif /* RTMEM_CFG_CMSIS_V1_ON_V2 */
