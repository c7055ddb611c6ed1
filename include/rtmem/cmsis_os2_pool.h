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
 *                   (RTM_OS2_POOL_CB_SIZE is at most RTX5's 36 bytes on
 *                   32-bit targets, so cb_mem sized for RTX is accepted.)
 *   mp_mem/mp_size  block memory, aligned to 4 bytes. Blocks are rounded up
 *                   to a multiple of 4 bytes, as in RTX5; the memory-size rule
 *                   is RTX5's osRtxMemoryPoolMemSize:
 *                     RTM_OS2_POOL_MEM_SIZE(count, size)
 *                       = count * ((size + 3) / 4) * 4
 *                   Smaller, or mp_mem NULL with mp_size != 0, or misaligned:
 *                   osMemoryPoolNew returns NULL.
 * Dynamic allocation (attr NULL, or cb_mem / mp_mem NULL with size 0): from
 * the RTOS's memory, as CMSIS code expects: pvPortMalloc/vPortFree under the
 * freertos port, else a private rtm_heap4 of RTMEM_CFG_CMSIS_HEAP_SIZE bytes
 * (config.h; 0 = none). rtm_os2_pool_set_allocator() installs another.
 *
 * Status codes: osMemoryPoolFree returns osOK, or osErrorParameter for a
 * NULL or invalid id, a NULL block, a block of another pool, an interior
 * pointer or a block already free (double free), and osErrorResource when the
 * pool's free list is found damaged. The status is returned in every build:
 * a fault is only counted (rtm_os2_pool_faults) unless
 * rtm_os2_pool_set_fault_hook() installs a hook that reports.
 * Time bounds: osMemoryPoolAlloc (timeout 0) and osMemoryPoolFree O(1), except
 * that a free of a block that looks already free (its tag word matches) walks
 * the free list once to confirm it (O(free blocks)); getters O(1);
 * osMemoryPoolNew O(block_count) (it threads the free list); a blocking
 * osMemoryPoolAlloc finds its wait slot in O(RTMEM_CFG_CMSIS_WAIT_POOLS).
 * Wait limits: threads blocked in osMemoryPoolAlloc wait in a static table
 * of RTMEM_CFG_CMSIS_WAIT_POOLS wait queues (config.h), one per pool that has
 * waiters at that moment, any number of pools over time; under the freertos
 * port each queue holds RTMEM_CFG_FREERTOS_WAITERS tasks. An
 * osMemoryPoolAlloc with a timeout that would have to wait beyond either
 * limit does not block and does not pass for a timeout: it returns NULL at
 * once, counts a fault (rtm_os2_pool_faults) and calls the pool's fault hook
 * with RTM_ERR_BUSY. Raise the option to the number of pools on which
 * threads may wait at the same time.
 */
#ifndef RTMEM_CMSIS_OS2_POOL_H
#define RTMEM_CMSIS_OS2_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "rtmem/pool.h" /* common.h, config.h, port.h */

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

/* The control block osMemoryPoolNew places in cb_mem: its own compact
 * fixed-block pool (not an rtm_pool_t), so that it fits RTX5's
 * osRtxMemoryPoolCbSize (36 bytes on 32-bit targets) and cb_mem buffers
 * sized for RTX are accepted. The free list runs through the free blocks as
 * 32-bit block numbers (1-based, 0 = end), each range-checked before it is
 * followed; a freed block of 8 bytes or more also holds a tag word, and a
 * free whose block carries the tag (or, for 4-byte blocks, a valid link) is
 * confirmed as a double free by a walk of the free list (O(free blocks), only
 * then). Threads blocked in osMemoryPoolAlloc wait in a static table outside
 * the control block (RTMEM_CFG_CMSIS_WAIT_POOLS pools may have waiters at
 * once). Same structure on every target; larger on 64-bit hosts (pointers). */
typedef struct rtm_os2_pool_cb {
    uint16_t magic;       /* RTM_OS2_POOL_MAGIC while alive */
    uint16_t faults;      /* faults seen (saturates at 0xFFFF) */
    uint32_t block_size;  /* multiple of 4; bit 0: cb dynamic, bit 1: memory dynamic */
    uint32_t capacity;    /* blocks */
    uint32_t used;        /* blocks handed out */
    uint32_t free;        /* first free block number (1-based), 0 = none */
    const char *name;
    uint8_t *base;        /* block 1 */
    rtm_fault_fn hook;    /* NULL: the fault is only counted */
    void *user;
} rtm_os2_pool_cb_t;

#define RTM_OS2_POOL_CB_SIZE ((uint32_t)sizeof(rtm_os2_pool_cb_t))
_Static_assert(sizeof(void *) != 4u || sizeof(rtm_os2_pool_cb_t) <= 36u,
               "on 32-bit targets the control block fits RTX5's osRtxMemoryPoolCbSize (36 bytes)");
/* The block memory osMemoryPoolNew needs: RTX5's osRtxMemoryPoolMemSize. */
#define RTM_OS2_POOL_MEM_SIZE(count, size) \
    ((uint32_t)(count) * ((((uint32_t)(size)) + 3U) / 4U) * 4U)
/* Kept for source compatibility (the same size: no bitmap is used any more). */
#define RTM_OS2_POOL_MEM_SIZE_NO_BITMAP(count, size) RTM_OS2_POOL_MEM_SIZE(count, size)

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

/* Dynamic memory for osMemoryPoolNew (and the v1 osPoolCreate): `alloc(ctx,
 * size)` must return memory aligned to at least 8 bytes or NULL;
 * `release(ctx, ptr)` takes it back. NULL alloc = the default (see above).
 * Not thread-safe: call it once at start-up. O(1). */
typedef void *(*rtm_os2_alloc_fn)(void *ctx, size_t size);
typedef void (*rtm_os2_free_fn)(void *ctx, void *ptr);
void rtm_os2_pool_set_allocator(rtm_os2_alloc_fn alloc, rtm_os2_free_fn release, void *ctx);

/* Install a fault hook on a pool made by osMemoryPoolNew (NULL: back to the
 * counting one these pools start with). O(1). An invalid id: ignored. */
void rtm_os2_pool_set_fault_hook(osMemoryPoolId_t mp_id, rtm_fault_fn hook, void *user);

/* Check the pool under an id: RTM_OK, RTM_ERR_ARG for an invalid id,
 * RTM_ERR_CORRUPT when the free list is out of range, loops, or does not hold
 * capacity - used blocks. O(capacity). Not from an interrupt's hot path. */
rtm_err_t rtm_os2_pool_check(osMemoryPoolId_t mp_id);

/* Faults seen by the pool (bad frees, a damaged list), saturating at 0xFFFF;
 * 0 for an invalid id. O(1). */
uint32_t rtm_os2_pool_faults(osMemoryPoolId_t mp_id);

/* Threads blocked in osMemoryPoolAlloc on the pool; 0 for an invalid id.
 * O(RTMEM_CFG_CMSIS_WAIT_POOLS). */
uint32_t rtm_os2_pool_waiters(osMemoryPoolId_t mp_id);

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_CMSIS_OS2_POOL_H */
