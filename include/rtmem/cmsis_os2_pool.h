/*
 * CMSIS-RTOS2 memory pool API (osMemoryPool*) over rtm_pool, for applications
 * written against cmsis_os2.h. The include order of this header and
 * cmsis_os2.h does not matter: when cmsis_os2.h is on the include path
 * (__has_include) or already included (its guard CMSIS_OS2_H_), its types
 * are used; otherwise the few types the pool API needs are declared here with
 * the upstream names and values. (A compiler without __has_include must
 * include cmsis_os2.h first, if it uses one.)
 *
 * Pools created here use the port's pool section (rtm_port_lock: safe from
 * threads and interrupts under every port) and block through the port's wait
 * queue. From an interrupt, osMemoryPoolAlloc (timeout 0), osMemoryPoolFree
 * and the four getters work, as CMSIS-RTOS2 allows; osMemoryPoolNew and
 * osMemoryPoolDelete are refused (NULL / osErrorISR).
 *
 * Static allocation (osMemoryPoolAttr_t):
 *   cb_mem/cb_size  control block: cb_mem aligned to 4 (pointer alignment on
 *                   64-bit hosts) and cb_size >= RTM_OS2_POOL_CB_SIZE; cb_mem
 *                   NULL with cb_size != 0 is an error.
 *   mp_mem/mp_size  block memory, aligned to 4 bytes. Blocks are rounded up
 *                   to a multiple of 4 bytes, as in RTX5; the memory-size rule:
 *                     RTM_OS2_POOL_MEM_SIZE(count, size)
 *                       = count * ((size + 3) / 4) * 4        (the blocks)
 *                       + ((count + 31) / 32) * 4             (free bitmap)
 *                   The RTX5 size (osRtxMemoryPoolMemSize, the blocks only,
 *                   RTM_OS2_POOL_MEM_SIZE_NO_BITMAP) is accepted too: the pool
 *                   then runs without the bitmap and still refuses a double
 *                   free (see rtmem/pool.h). Smaller, or mp_mem NULL with
 *                   mp_size != 0, or misaligned: osMemoryPoolNew returns NULL.
 * Dynamic allocation (attr NULL, or cb_mem / mp_mem NULL with size 0): from
 * the RTOS's memory, as CMSIS code expects: pvPortMalloc/vPortFree under the
 * freertos port, else a private rtm_heap4 of RTMEM_CFG_CMSIS_HEAP_SIZE bytes
 * (config.h; 0 = none). rtm_os2_pool_set_allocator() installs another.
 *
 * Status codes: osMemoryPoolFree returns osOK, or osErrorParameter for a
 * NULL or invalid id, a NULL block, a block of another pool, an interior
 * pointer or a block already free (double free), and osErrorResource when the
 * pool's free list is found damaged. The status is returned in every build:
 * these pools start with a fault hook that only counts (the pool's
 * fault.count); rtm_os2_pool_set_fault_hook() installs one that reports.
 */
#ifndef RTMEM_CMSIS_OS2_POOL_H
#define RTMEM_CMSIS_OS2_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "rtmem/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

#if !defined(CMSIS_OS2_H_) && defined(__has_include)
#if __has_include("cmsis_os2.h")
#include "cmsis_os2.h"
#endif
#endif

#ifndef CMSIS_OS2_H_
/* The upstream definitions the pool API needs (values as in cmsis_os2.h). */
#ifndef osWaitForever
#define osWaitForever 0xFFFFFFFFU
#endif
typedef enum {
    osOK = 0,
    osError = -1,
    osErrorTimeout = -2,
    osErrorResource = -3,
    osErrorParameter = -4,
    osErrorNoMemory = -5,
    osErrorISR = -6,
    osErrorSafetyClass = -7, /* API 2.2 */
    osStatusReserved = 0x7FFFFFFF
} osStatus_t;
typedef void *osMemoryPoolId_t;
typedef struct {
    const char *name;
    uint32_t attr_bits;
    void *cb_mem;
    uint32_t cb_size;
    void *mp_mem;
    uint32_t mp_size;
} osMemoryPoolAttr_t;
#endif /* CMSIS_OS2_H_ */

/* The control block osMemoryPoolNew places in cb_mem. */
typedef struct rtm_os2_pool_cb {
    rtm_pool_t pool;
    const char *name;
    uint32_t id;        /* RTM_OS2_POOL_ID while alive */
    uint8_t dyn_cb;     /* control block from the allocator */
    uint8_t dyn_mem;    /* block memory from the allocator */
    uint8_t reserved[2];
    void *mem;
} rtm_os2_pool_cb_t;

#define RTM_OS2_POOL_CB_SIZE ((uint32_t)sizeof(rtm_os2_pool_cb_t))
#define RTM_OS2_POOL_MEM_SIZE_NO_BITMAP(count, size) \
    ((uint32_t)(count) * ((((uint32_t)(size)) + 3U) / 4U) * 4U)
#define RTM_OS2_POOL_MEM_SIZE(count, size) \
    (RTM_OS2_POOL_MEM_SIZE_NO_BITMAP(count, size) + (((uint32_t)(count) + 31U) / 32U) * 4U)

/* The upstream API, with the upstream signatures. */
osMemoryPoolId_t osMemoryPoolNew(uint32_t block_count, uint32_t block_size,
                                 const osMemoryPoolAttr_t *attr);
const char *osMemoryPoolGetName(osMemoryPoolId_t mp_id);
void *osMemoryPoolAlloc(osMemoryPoolId_t mp_id, uint32_t timeout);
osStatus_t osMemoryPoolFree(osMemoryPoolId_t mp_id, void *block);
uint32_t osMemoryPoolGetCapacity(osMemoryPoolId_t mp_id);
uint32_t osMemoryPoolGetBlockSize(osMemoryPoolId_t mp_id);
uint32_t osMemoryPoolGetCount(osMemoryPoolId_t mp_id);
uint32_t osMemoryPoolGetSpace(osMemoryPoolId_t mp_id);
osStatus_t osMemoryPoolDelete(osMemoryPoolId_t mp_id);

/* Dynamic memory for osMemoryPoolNew (and the v1 osPoolCreate): `alloc(ctx,
 * size)` must return memory aligned to at least 8 bytes or NULL;
 * `release(ctx, ptr)` takes it back. NULL alloc = the default (see above).
 * Not thread-safe: call it once at start-up. */
typedef void *(*rtm_os2_alloc_fn)(void *ctx, size_t size);
typedef void (*rtm_os2_free_fn)(void *ctx, void *ptr);
void rtm_os2_pool_set_allocator(rtm_os2_alloc_fn alloc, rtm_os2_free_fn release, void *ctx);

/* Install a fault hook on a pool made by osMemoryPoolNew (NULL: back to the
 * counting one these pools start with). */
void rtm_os2_pool_set_fault_hook(osMemoryPoolId_t mp_id, rtm_fault_fn hook, void *user);

/* The rtm_pool under an id (NULL if the id is invalid), e.g. for
 * rtm_pool_check or rtm_pool_stats. */
rtm_pool_t *rtm_os2_pool_of(osMemoryPoolId_t mp_id);

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_CMSIS_OS2_POOL_H */
