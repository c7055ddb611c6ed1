/* CMSIS-RTOS v1 memory pools over rtm_pool (see rtmem/cmsis_os_pool.h). */
#include "rtmem/cmsis_os_pool.h"

#include "rtm_internal.h"

/* Validity of an id: rtm_pool_capacity() is 0 for a pool that was never
 * created or was destroyed; the id is the rtm_pool_t itself. */
static rtm_pool_t *pool_of(osPoolId pool_id)
{
    rtm_pool_t *p = (rtm_pool_t *)(void *)pool_id;
    return (p == NULL || rtm_pool_capacity(p) == 0u) ? NULL : p;
}

osPoolId osPoolCreate(const osPoolDef_t *pool_def)
{
    if (pool_def == NULL || pool_def->pool == NULL || rtm_port_in_isr()) {
        return NULL;
    }
    const rtm_os_pool_mem_t *m = (const rtm_os_pool_mem_t *)pool_def->pool;
    if (m->cb == NULL || pool_def->pool_sz == 0u || pool_def->item_sz == 0u) {
        return NULL;
    }
    if (rtm_pool_init(m->cb, m->mem, m->mem_size, pool_def->item_sz, m->align,
                      pool_def->pool_sz, RTM_POOL_DEFAULT) != RTM_OK) {
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
