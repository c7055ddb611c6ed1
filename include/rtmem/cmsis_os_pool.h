/*
 * CMSIS-RTOS v1 memory pool API (osPoolDef, osPool, osPoolCreate,
 * osPoolAlloc, osPoolCAlloc, osPoolFree) over rtm_pool.
 *
 * When the upstream v1 cmsis_os.h is already included (its guard _CMSIS_OS_H
 * is defined), its osStatus, osPoolId and osPoolDef_t are used, and its
 * osPoolDef() macro, which supplies no memory (pool == NULL), makes
 * osPoolCreate return NULL: use this header's osPoolDef instead, which
 * declares the control block and the block storage statically:
 *
 *   osPoolDef(msgs, 16, struct msg);           // 16 blocks of struct msg
 *   osPoolId id = osPoolCreate(osPool(msgs));
 *
 * The v1 pools never block (v1 has no timeout on osPoolAlloc) and are safe
 * from threads and interrupts (the port's critical section). osPoolFree:
 * osOK; osErrorParameter for a NULL or invalid pool id or a NULL block;
 * osErrorValue for a block that does not belong to the pool, an interior
 * pointer or a block already free (reported through the pool's fault hook
 * first; the default hook traps when RTMEM_CFG_ASSERT is 1).
 */
#ifndef RTMEM_CMSIS_OS_POOL_H
#define RTMEM_CMSIS_OS_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "rtmem/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef _CMSIS_OS_H
/* The upstream v1 definitions the pool API needs (values as in cmsis_os.h). */
typedef enum {
    osOK = 0,
    osEventSignal = 0x08,
    osEventMessage = 0x10,
    osEventMail = 0x20,
    osEventTimeout = 0x40,
    osErrorParameter = 0x80,
    osErrorResource = 0x81,
    osErrorTimeoutResource = 0xC1,
    osErrorISR = 0x82,
    osErrorISRRecursive = 0x83,
    osErrorPriority = 0x84,
    osErrorNoMemory = 0x85,
    osErrorValue = 0x86,
    osErrorOS = 0xFF,
    os_status_reserved = 0x7FFFFFFF
} osStatus;

typedef struct os_pool_cb *osPoolId;

typedef struct os_pool_def {
    uint32_t pool_sz; /* number of blocks */
    uint32_t item_sz; /* size of a block */
    void *pool;       /* rtm_os_pool_mem_t from osPoolDef, or NULL */
} osPoolDef_t;

/* Static control block and storage for `no` blocks of `type`. With
 * osObjectsExternal defined (as in upstream), only a declaration. */
#if defined(osObjectsExternal)
#define osPoolDef(name, no, type) extern const osPoolDef_t os_pool_def_##name
#else
#define osPoolDef(name, no, type)                                                    \
    RTM_POOL_STORAGE(static, os_pool_m_##name, type, (no));                          \
    static rtm_pool_t os_pool_cb_##name;                                             \
    static rtm_os_pool_mem_t os_pool_x_##name = {&os_pool_cb_##name, os_pool_m_##name, \
                                                 sizeof(os_pool_m_##name), _Alignof(type)}; \
    const osPoolDef_t os_pool_def_##name = {(no), sizeof(type), &os_pool_x_##name}
#endif

#define osPool(name) (&os_pool_def_##name)
#endif /* _CMSIS_OS_H */

/* What rtmem's osPoolDef points osPoolDef_t.pool at. */
typedef struct rtm_os_pool_mem {
    rtm_pool_t *cb;
    void *mem;
    size_t mem_size;
    size_t align;
} rtm_os_pool_mem_t;

/* Create the pool described by osPoolDef; NULL on a NULL definition, no
 * memory (pool == NULL), too little memory, or from an interrupt. O(1). */
osPoolId osPoolCreate(const osPoolDef_t *pool_def);
osStatus osPoolFree(osPoolId pool_id, void *block); /* first: RTM_ALLOCATOR */

/* A block, or NULL when the pool is empty or the id is NULL. O(1). */
RTM_ALLOCATOR(osPoolFree, 2) void *osPoolAlloc(osPoolId pool_id);

/* A block filled with zeros, or NULL. O(block size). */
RTM_ALLOCATOR(osPoolFree, 2) void *osPoolCAlloc(osPoolId pool_id);

/* Return a block (status codes above). O(1). */
RTM_DEALLOCATOR(2) osStatus osPoolFree(osPoolId pool_id, void *block);

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_CMSIS_OS_POOL_H */
