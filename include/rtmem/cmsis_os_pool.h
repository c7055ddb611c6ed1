/*
 * CMSIS-RTOS v1 memory pool API (osPoolDef, osPool, osPoolCreate,
 * osPoolAlloc, osPoolCAlloc, osPoolFree) over rtm_pool.
 *
 * Without an upstream v1 cmsis_os.h, this header declares osStatus, osPoolId
 * and osPoolDef_t with the upstream names and values, and an osPoolDef that
 * declares the control block and the block storage statically:
 *
 *   osPoolDef(msgs, 16, struct msg);           // 16 blocks of struct msg
 *   osPoolId id = osPoolCreate(osPool(msgs));
 *
 * With an upstream v1 cmsis_os.h included first (its guard _CMSIS_OS_H), its
 * types and its osPoolDef are used, and osPoolCreate takes what that
 * osPoolDef gives: no memory (pool NULL, the template's) means control block
 * and storage from the RTOS's memory (the default allocator of
 * rtmem/cmsis_os2_pool.h); RTX's word array (3 + ceil(item/4) * count words)
 * holds the blocks, the control block comes from that allocator.
 * RTM_OS_POOL_DEF(name, no, type) is this header's static definition under
 * any cmsis_os.h.
 *
 * With the v1-on-v2 compatibility header (CMSIS/RTOS2/Template's
 * cmsis_os.h, used with RTX5 and CMSIS-FreeRTOS: guard CMSIS_OS_H_, osCMSIS
 * >= 0x20000), rtmem must be built with RTMEM_CFG_CMSIS_V1_ON_V2=1 (library
 * and application: that header's osPoolDef_t holds an osMemoryPoolAttr_t,
 * and the two must agree on it; a mismatch is a compile error here). The v1
 * calls are then the v2 ones, as in that header's RTOSes: osPoolCreate =
 * osMemoryPoolNew(pool_sz, item_sz, &attr) (the header's osPoolDef leaves
 * attr empty: memory from the RTOS's memory), osPoolAlloc =
 * osMemoryPoolAlloc(id, 0), osPoolFree = osMemoryPoolFree (its statuses:
 * osErrorParameter for a bad or already free block, osErrorResource for a
 * damaged pool), and RTM_OS_POOL_DEF fills attr with static memory. The
 * header is included from here when __has_include finds it, so the include
 * order does not matter.
 *
 * The v1 pools never block (v1 has no timeout on osPoolAlloc) and are safe
 * from threads and interrupts (the port's pool section). osPoolFree: osOK;
 * osErrorParameter for a NULL or invalid pool id or a NULL block;
 * osErrorValue for a block that does not belong to the pool, an interior
 * pointer or a block already free. The status is returned in every build
 * (the pools start with a fault hook that only counts).
 */
#ifndef RTMEM_CMSIS_OS_POOL_H
#define RTMEM_CMSIS_OS_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "rtmem/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An RTOS's cmsis_os.h on the include path is used whatever the order. */
#if !defined(_CMSIS_OS_H) && !defined(CMSIS_OS_H_) && defined(__has_include)
#if __has_include("cmsis_os.h")
#include "cmsis_os.h"
#endif
#endif

#if defined(CMSIS_OS_H_) && defined(osCMSIS)
#if osCMSIS >= 0x20000
#define RTM_OS_V1_ON_V2_HEADER 1
#endif
#endif
#ifndef RTM_OS_V1_ON_V2_HEADER
#define RTM_OS_V1_ON_V2_HEADER 0
#endif
#if RTM_OS_V1_ON_V2_HEADER && !RTMEM_CFG_CMSIS_V1_ON_V2
#error "cmsis_os.h is the v1-on-v2 compatibility header: build rtmem and the application with RTMEM_CFG_CMSIS_V1_ON_V2=1"
#endif
#if RTMEM_CFG_CMSIS_V1_ON_V2 && (defined(_CMSIS_OS_H) || (defined(CMSIS_OS_H_) && !RTM_OS_V1_ON_V2_HEADER))
#error "rtmem is built with RTMEM_CFG_CMSIS_V1_ON_V2=1 but this cmsis_os.h is a v1 header"
#endif

#if RTMEM_CFG_CMSIS_V1_ON_V2
#ifdef __cplusplus
}
#endif
#include "rtmem/cmsis_os2_pool.h"
#ifdef __cplusplus
extern "C" {
#endif

#if !defined(CMSIS_OS_H_)
/* The compatibility header's definitions (as documented for API >= 2.0). */
typedef int32_t osStatus;
#define osEventSignal (0x08)
#define osEventMessage (0x10)
#define osEventMail (0x20)
#define osEventTimeout (0x40)
#define osErrorOS osError
#define osErrorTimeoutResource osErrorTimeout
#define osErrorISRRecursive (-126)
#define osErrorValue (-127)
#define osErrorPriority (-128)

typedef void *osPoolId;

typedef struct os_pool_def {
    uint32_t pool_sz;
    uint32_t item_sz;
    osMemoryPoolAttr_t attr;
} osPoolDef_t;

#if defined(osObjectsExternal)
#define osPoolDef(name, no, type) extern const osPoolDef_t os_pool_def_##name
#else
#define osPoolDef(name, no, type) RTM_OS_POOL_DEF(name, no, type)
#endif
#define osPool(name) &os_pool_def_##name
#endif /* no cmsis_os.h */

/* rtmem's static osPoolDef: control block and blocks (RTX5's sizes) in
 * static memory given through attr. */
#define RTM_OS_POOL_DEF(name, no, type)                                                  \
    static _Alignas(rtm_os2_pool_cb_t) uint8_t os_pool_cb_##name[RTM_OS2_POOL_CB_SIZE];  \
    static union {                                                                       \
        uint32_t w;                                                                      \
        type t;                                                                          \
        uint8_t b[RTM_OS2_POOL_MEM_SIZE((no), sizeof(type))];                            \
    } os_pool_m_##name;                                                                  \
    const osPoolDef_t os_pool_def_##name = {                                             \
        (no), sizeof(type),                                                              \
        {#name, 0U, os_pool_cb_##name, sizeof(os_pool_cb_##name), &os_pool_m_##name,     \
         sizeof(os_pool_m_##name)}}

#else /* the v1 API over rtm_pool */
#if !defined(_CMSIS_OS_H) && !defined(CMSIS_OS_H_)
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
#define osPoolDef(name, no, type) RTM_OS_POOL_DEF(name, no, type)
#endif

#define osPool(name) (&os_pool_def_##name)
#endif /* no cmsis_os.h */

/* What rtmem's osPoolDef points osPoolDef_t.pool at (tagged, so that the
 * memory an upstream osPoolDef gives is told apart). */
#define RTM_OS_POOL_TAG 0x4F53504Du /* "OSPM" */
typedef struct rtm_os_pool_mem {
    uint32_t tag; /* RTM_OS_POOL_TAG */
    uint32_t cb_size; /* sizeof *cb where it was defined: osPoolCreate() refuses
                       * a control block laid out for another configuration */
    rtm_pool_t *cb;
    void *mem;
    size_t mem_size;
    size_t align;
} rtm_os_pool_mem_t;

/* rtmem's static osPoolDef, available under any cmsis_os.h. */
#define RTM_OS_POOL_DEF(name, no, type)                                               \
    RTM_POOL_STORAGE(static, os_pool_m_##name, type, (no));                           \
    static rtm_pool_t os_pool_cb_##name;                                              \
    static rtm_os_pool_mem_t os_pool_x_##name = {RTM_OS_POOL_TAG,                      \
                                                 (uint32_t)sizeof(rtm_pool_t),         \
                                                 &os_pool_cb_##name,                   \
                                                 os_pool_m_##name, sizeof(os_pool_m_##name), \
                                                 _Alignof(type)};                     \
    const osPoolDef_t os_pool_def_##name = {(no), sizeof(type), &os_pool_x_##name}

#endif /* RTMEM_CFG_CMSIS_V1_ON_V2 */

/* Create the pool described by osPoolDef; NULL on a NULL definition, too
 * little memory, no memory left in the RTOS's memory, from an interrupt, or
 * for rtmem's osPoolDef compiled under another configuration than the
 * library (its rtm_pool_t has another size: rtmem/common.h, layout key).
 * O(1) plus the allocator's time when memory comes from it. */
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
