/*
 * CMSIS-RTOS2 memory pool API (osMemoryPool*) over rtm_pool, for applications
 * written against cmsis_os2.h. Include this header instead of, or after, the
 * upstream cmsis_os2.h: when that header is present (its guard CMSIS_OS2_H_
 * is defined) its types are used; otherwise the few types the pool API needs
 * are declared here with the upstream names and values.
 *
 * Pools created here use the port's critical section (safe from threads and
 * interrupts) and block through the port's wait queue.
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
 *                   The bitmap lets osMemoryPoolFree detect a double free.
 *                   The RTX5 size (osRtxMemoryPoolMemSize, the blocks only,
 *                   RTM_OS2_POOL_MEM_SIZE_NO_BITMAP) is accepted too: the pool
 *                   then runs without the bitmap. Smaller, or mp_mem NULL with
 *                   mp_size != 0, or misaligned: osMemoryPoolNew returns NULL.
 * Dynamic allocation (cb_mem or mp_mem NULL with size 0): from the allocator
 * installed with rtm_os2_pool_set_allocator() (e.g. a two-line adapter over
 * any rtmem heap); with none installed osMemoryPoolNew returns NULL.
 *
 * A fault hook: osMemoryPoolFree reports bad blocks through the pool's fault
 * hook first (rtm_os2_pool_set_fault_hook); the default hook traps when
 * RTMEM_CFG_ASSERT is 1, so release builds see the status code.
 */
#ifndef RTMEM_CMSIS_OS2_POOL_H
#define RTMEM_CMSIS_OS2_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "rtmem/pool.h"

#ifdef __cplusplus
extern "C" {
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
osStatus_t osMemoryPoolFree(osMemoryPoolId_t mp_id, void *block); /* first: RTM_ALLOCATOR */
RTM_ALLOCATOR(osMemoryPoolFree, 2) void *osMemoryPoolAlloc(osMemoryPoolId_t mp_id, uint32_t timeout);
RTM_DEALLOCATOR(2) osStatus_t osMemoryPoolFree(osMemoryPoolId_t mp_id, void *block);
uint32_t osMemoryPoolGetCapacity(osMemoryPoolId_t mp_id);
uint32_t osMemoryPoolGetBlockSize(osMemoryPoolId_t mp_id);
uint32_t osMemoryPoolGetCount(osMemoryPoolId_t mp_id);
uint32_t osMemoryPoolGetSpace(osMemoryPoolId_t mp_id);
osStatus_t osMemoryPoolDelete(osMemoryPoolId_t mp_id);

/* Dynamic memory for osMemoryPoolNew: `alloc(ctx, size)` must return memory
 * aligned to at least 8 bytes or NULL; `release(ctx, ptr)` takes it back.
 * NULL alloc = no dynamic allocation (the default). Not thread-safe: call it
 * once at start-up. */
typedef void *(*rtm_os2_alloc_fn)(void *ctx, size_t size);
typedef void (*rtm_os2_free_fn)(void *ctx, void *ptr);
void rtm_os2_pool_set_allocator(rtm_os2_alloc_fn alloc, rtm_os2_free_fn release, void *ctx);

/* Install a fault hook on a pool made by osMemoryPoolNew. */
void rtm_os2_pool_set_fault_hook(osMemoryPoolId_t mp_id, rtm_fault_fn hook, void *user);

/* The rtm_pool under an id (NULL if the id is invalid), e.g. for
 * rtm_pool_check or rtm_pool_get_stats. */
rtm_pool_t *rtm_os2_pool_of(osMemoryPoolId_t mp_id);

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_CMSIS_OS2_POOL_H */
