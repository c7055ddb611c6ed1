/*
 * CMSIS-RTOS2 memory pools over rtm_pool. Status codes and rules follow the
 * CMSIS-RTOS2 API: creation and deletion are refused from interrupts,
 * allocation from an interrupt only with timeout 0, a NULL or dead id gives
 * osErrorParameter (or NULL / 0 from the getters).
 */
#include "rtmem/cmsis_os2_pool.h"

#include <string.h>

#include "cmsis_mem.h"
#include "rtm_internal.h"
#include "rtmem/heap4.h"

#define OS2_POOL_ID 0x4F533250u /* "OS2P" */

/* ---- The RTOS's memory (see cmsis_os2_pool.h) ---------------------------------- */

#if RTMEM_CFG_PORT == RTMEM_PORT_FREERTOS
/* The kernel's heap (portable.h's declarations, repeated so that no kernel
 * header is needed here). */
void *pvPortMalloc(size_t xWantedSize);
void vPortFree(void *pv);

static void *default_alloc(void *ctx, size_t size)
{
    (void)ctx;
    return pvPortMalloc(size);
}

static void default_free(void *ctx, void *ptr)
{
    (void)ctx;
    vPortFree(ptr);
}
#elif RTMEM_CFG_CMSIS_HEAP_SIZE > 0
/* The layer's one hidden global: a private heap, made on first use. */
static rtm_heap4_t g_heap;
static _Alignas(8) uint8_t g_heap_mem[RTMEM_CFG_CMSIS_HEAP_SIZE];
static bool g_heap_ready;

static void *default_alloc(void *ctx, size_t size)
{
    (void)ctx;
    rtm_port_lock();
    if (!g_heap_ready) {
        g_heap_ready = rtm_heap4_init(&g_heap, g_heap_mem, sizeof g_heap_mem) == RTM_OK;
    }
    void *p = g_heap_ready ? rtm_heap4_alloc(&g_heap, size) : NULL;
    rtm_port_unlock();
    return p;
}

static void default_free(void *ctx, void *ptr)
{
    (void)ctx;
    rtm_port_lock();
    (void)rtm_heap4_free(&g_heap, ptr);
    rtm_port_unlock();
}
#else
#define default_alloc NULL
#define default_free NULL
#endif

static rtm_os2_alloc_fn g_alloc = default_alloc;
static rtm_os2_free_fn g_free = default_free;
static void *g_ctx;

void rtm_os2_pool_set_allocator(rtm_os2_alloc_fn alloc, rtm_os2_free_fn release, void *ctx)
{
    g_alloc = alloc != NULL ? alloc : default_alloc;
    g_free = alloc != NULL ? release : default_free;
    g_ctx = alloc != NULL ? ctx : NULL;
}

void *rtm_os2_mem_alloc_(size_t size)
{
    return g_alloc == NULL ? NULL : g_alloc(g_ctx, size);
}

void rtm_os2_mem_free_(void *ptr)
{
    if (ptr != NULL && g_free != NULL) {
        g_free(g_ctx, ptr);
    }
}

/* CMSIS reports bad input by its status code alone: the fault is counted
 * (fault.count) and nothing traps, in every build. */
void rtm_os2_fault_quiet_(void *user, rtm_err_t why, const void *obj, const void *ptr)
{
    (void)user;
    (void)why;
    (void)obj;
    (void)ptr;
}

static rtm_os2_pool_cb_t *cb_of(osMemoryPoolId_t mp_id)
{
    rtm_os2_pool_cb_t *cb = (rtm_os2_pool_cb_t *)mp_id;
    if (cb == NULL || cb->id != OS2_POOL_ID) {
        return NULL;
    }
    return cb;
}

rtm_pool_t *rtm_os2_pool_of(osMemoryPoolId_t mp_id)
{
    rtm_os2_pool_cb_t *cb = cb_of(mp_id);
    return cb == NULL ? NULL : &cb->pool;
}

static void *dyn_alloc(size_t size)
{
    return rtm_os2_mem_alloc_(size);
}

static void dyn_free(void *ptr)
{
    rtm_os2_mem_free_(ptr);
}

/* Where the control block goes: the caller's cb_mem, or the allocator. NULL
 * when cb_mem/cb_size break the static-allocation rules or nothing is left. */
static rtm_os2_pool_cb_t *place_cb(const osMemoryPoolAttr_t *attr, uint8_t *dyn)
{
    *dyn = 0;
    if (attr != NULL && attr->cb_mem != NULL) {
        if (attr->cb_size < RTM_OS2_POOL_CB_SIZE ||
            ((uintptr_t)attr->cb_mem & (_Alignof(rtm_os2_pool_cb_t) - 1u)) != 0u) {
            return NULL;
        }
        return (rtm_os2_pool_cb_t *)attr->cb_mem;
    }
    if (attr != NULL && attr->cb_size != 0u) {
        return NULL; /* a size without memory */
    }
    *dyn = 1;
    return (rtm_os2_pool_cb_t *)dyn_alloc(sizeof(rtm_os2_pool_cb_t));
}

/* The block memory: the caller's mp_mem, or the allocator (with a bitmap).
 * `*flags` says whether the given size leaves room for the bitmap. */
static void *place_mem(const osMemoryPoolAttr_t *attr, uint32_t count, uint32_t size,
                       size_t *mem_size, unsigned *flags, uint8_t *dyn)
{
    size_t with_bm = rtm_pool_mem_size(count, size, 4u, RTM_POOL_BITMAP);
    size_t bare = rtm_pool_mem_size(count, size, 4u, 0u);
    *dyn = 0;
    if (with_bm == 0u || with_bm > UINT32_MAX) {
        return NULL; /* the pool would not fit 32-bit sizes */
    }
    if (attr != NULL && attr->mp_mem != NULL) {
        if (attr->mp_size < bare || ((uintptr_t)attr->mp_mem & 3u) != 0u) {
            return NULL;
        }
        *flags = attr->mp_size >= with_bm ? RTM_POOL_BITMAP : 0u;
        *mem_size = attr->mp_size;
        return attr->mp_mem;
    }
    if (attr != NULL && attr->mp_size != 0u) {
        return NULL;
    }
    *dyn = 1;
    *flags = RTM_POOL_BITMAP;
    *mem_size = with_bm;
    return dyn_alloc(with_bm);
}

osMemoryPoolId_t osMemoryPoolNew(uint32_t block_count, uint32_t block_size,
                                 const osMemoryPoolAttr_t *attr)
{
    if (rtm_port_in_isr() || block_count == 0u || block_size == 0u) {
        return NULL;
    }
    uint8_t dyn_cb;
    uint8_t dyn_mem;
    size_t mem_size = 0;
    unsigned flags = 0;
    rtm_os2_pool_cb_t *cb = place_cb(attr, &dyn_cb);
    if (cb == NULL) {
        return NULL;
    }
    void *mem = place_mem(attr, block_count, block_size, &mem_size, &flags, &dyn_mem);
    if (mem == NULL ||
        rtm_pool_init(&cb->pool, mem, mem_size, block_size, 4u, block_count, flags) != RTM_OK) {
        if (dyn_mem != 0u) {
            dyn_free(mem);
        }
        if (dyn_cb != 0u) {
            dyn_free(cb);
        }
        return NULL;
    }
    rtm_pool_set_fault_hook(&cb->pool, rtm_os2_fault_quiet_, NULL);
    cb->name = attr != NULL ? attr->name : NULL;
    cb->dyn_cb = dyn_cb;
    cb->dyn_mem = dyn_mem;
    cb->mem = mem;
    cb->id = OS2_POOL_ID;
    return (osMemoryPoolId_t)cb;
}

const char *osMemoryPoolGetName(osMemoryPoolId_t mp_id)
{
    rtm_os2_pool_cb_t *cb = cb_of(mp_id);
    return cb == NULL ? NULL : cb->name;
}

void *osMemoryPoolAlloc(osMemoryPoolId_t mp_id, uint32_t timeout)
{
    rtm_os2_pool_cb_t *cb = cb_of(mp_id);
    if (cb == NULL || (timeout != 0u && rtm_port_in_isr())) {
        return NULL;
    }
    return rtm_pool_alloc_timeout(&cb->pool, timeout);
}

osStatus_t osMemoryPoolFree(osMemoryPoolId_t mp_id, void *block)
{
    rtm_os2_pool_cb_t *cb = cb_of(mp_id);
    if (cb == NULL || block == NULL) {
        return osErrorParameter;
    }
    switch (rtm_pool_free(&cb->pool, block)) {
    case RTM_OK:
        return osOK;
    case RTM_ERR_CORRUPT:
    case RTM_ERR_STATE:
        return osErrorResource; /* the pool itself is not in a valid state */
    default:
        return osErrorParameter; /* not an allocated block of this pool */
    }
}

uint32_t osMemoryPoolGetCapacity(osMemoryPoolId_t mp_id)
{
    rtm_os2_pool_cb_t *cb = cb_of(mp_id);
    return cb == NULL ? 0u : (uint32_t)rtm_pool_capacity(&cb->pool);
}

uint32_t osMemoryPoolGetBlockSize(osMemoryPoolId_t mp_id)
{
    rtm_os2_pool_cb_t *cb = cb_of(mp_id);
    return cb == NULL ? 0u : (uint32_t)rtm_pool_block_size(&cb->pool);
}

uint32_t osMemoryPoolGetCount(osMemoryPoolId_t mp_id)
{
    rtm_os2_pool_cb_t *cb = cb_of(mp_id);
    return cb == NULL ? 0u : (uint32_t)rtm_pool_used(&cb->pool);
}

uint32_t osMemoryPoolGetSpace(osMemoryPoolId_t mp_id)
{
    rtm_os2_pool_cb_t *cb = cb_of(mp_id);
    return cb == NULL ? 0u : (uint32_t)rtm_pool_available(&cb->pool);
}

/* Threads blocked in osMemoryPoolAlloc wake and return NULL (as in RTX5);
 * deletion returns after they have left, then gives dynamic memory back. */
osStatus_t osMemoryPoolDelete(osMemoryPoolId_t mp_id)
{
    if (rtm_port_in_isr()) {
        return osErrorISR;
    }
    rtm_os2_pool_cb_t *cb = cb_of(mp_id);
    if (cb == NULL) {
        return osErrorParameter;
    }
    if (rtm_pool_deinit(&cb->pool) != RTM_OK) {
        return osErrorResource;
    }
    cb->id = 0;
    if (cb->dyn_mem != 0u) {
        dyn_free(cb->mem);
    }
    if (cb->dyn_cb != 0u) {
        dyn_free(cb);
    }
    return osOK;
}

void rtm_os2_pool_set_fault_hook(osMemoryPoolId_t mp_id, rtm_fault_fn hook, void *user)
{
    rtm_os2_pool_cb_t *cb = cb_of(mp_id);
    if (cb != NULL) {
        rtm_pool_set_fault_hook(&cb->pool, hook != NULL ? hook : rtm_os2_fault_quiet_,
                                hook != NULL ? user : NULL);
    }
}
