/*
 * CMSIS-RTOS2 memory pools on a compact fixed-block core whose control block
 * fits RTX5's (see rtmem/cmsis_os2_pool.h). Status codes and rules follow the
 * CMSIS-RTOS2 API: creation and deletion are refused from interrupts,
 * allocation from an interrupt only with timeout 0, a NULL or dead id gives
 * osErrorParameter (or NULL / 0 from the getters). Every access to a control
 * block is made under rtm_port_lock/unlock (written out inline where the port
 * allows, port_section.h).
 */
#include "rtmem/cmsis_os2_pool.h"

#include <string.h>

#include "cmsis_mem.h"
#include "port_section.h"
#include "rtm_internal.h"
#include "rtmem/heap4.h"

#include "rtm_hooks.h"

#define OS2_MAGIC 0x4F32u      /* "O2" */
#define OS2_DYN_CB 1u          /* block_size bit: control block from the allocator */
#define OS2_DYN_MEM 2u         /* block_size bit: block memory from the allocator */
#define OS2_TAG_KEY 0x5A17F4EEu /* mixed into the tag word of a free block */

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


/* ---- The pool core ------------------------------------------------------------ */

static uint32_t bsize(const rtm_os2_pool_cb_t *cb)
{
    return cb->block_size & ~3u;
}

static uint8_t *block_at(const rtm_os2_pool_cb_t *cb, uint32_t n)
{
    return cb->base + (size_t)(n - 1u) * bsize(cb);
}

static uint32_t link_of(const uint8_t *b)
{
    uint32_t v;
    memcpy(&v, b, sizeof v);
    return v;
}

/* The tag word a free block of 8 bytes or more carries after its link: it
 * depends on the pool and the block, so a block of another pool or data
 * copied from elsewhere does not carry it by chance. */
static uint32_t tag_of(const rtm_os2_pool_cb_t *cb, uint32_t n)
{
    return ((uint32_t)(uintptr_t)cb ^ OS2_TAG_KEY) + n * 0x9E3779B1u;
}

static void put_free(rtm_os2_pool_cb_t *cb, uint32_t n)
{
    uint8_t *b = block_at(cb, n);
    memcpy(b, &cb->free, sizeof cb->free);
    if (bsize(cb) >= 8u) {
        uint32_t t = tag_of(cb, n);
        memcpy(b + 4, &t, sizeof t);
    }
    cb->free = n;
}

/* Count a fault; the hook (if any) is called by the caller after the lock. */
static void count_fault(rtm_os2_pool_cb_t *cb)
{
    if (cb->faults != 0xFFFFu) {
        cb->faults++;
    }
}

static void report(rtm_os2_pool_cb_t *cb, rtm_fault_fn hook, void *user, rtm_err_t why,
                   const void *ptr)
{
    if (hook != NULL) {
        hook(user, why, cb, ptr);
    }
}

/* Take the first free block; RTM_ERR_CORRUPT when its link is out of range
 * (nothing is changed then). Inside the lock. O(1). */
static void *take(rtm_os2_pool_cb_t *cb, rtm_err_t *err)
{
    *err = RTM_OK;
    uint32_t n = cb->free;
    if (n == 0u) {
        return NULL;
    }
    if (n > cb->capacity || cb->used >= cb->capacity) {
        *err = RTM_ERR_CORRUPT;
        return NULL;
    }
    uint8_t *b = block_at(cb, n);
    uint32_t next = link_of(b);
    if (next > cb->capacity || next == n) {
        *err = RTM_ERR_CORRUPT;
        return NULL;
    }
    cb->free = next;
    cb->used++;
    if (bsize(cb) >= 8u) {
        memset(b + 4, 0, 4u); /* the tag goes: the block is in use */
    }
    return b;
}

/* Whether block `n` is on the free list: RTM_OK (no), RTM_ERR_DOUBLE_FREE
 * (yes) or RTM_ERR_CORRUPT (the list is damaged). O(free blocks). */
static rtm_err_t walk(const rtm_os2_pool_cb_t *cb, uint32_t n)
{
    uint32_t at = cb->free;
    for (uint32_t steps = 0; at != 0u; steps++) {
        if (at > cb->capacity || steps >= cb->capacity) {
            return RTM_ERR_CORRUPT;
        }
        if (at == n) {
            return RTM_ERR_DOUBLE_FREE;
        }
        at = link_of(block_at(cb, at));
    }
    return RTM_OK;
}

/* Give block `b` back: RTM_ERR_FOREIGN_PTR / RTM_ERR_INTERIOR_PTR /
 * RTM_ERR_DOUBLE_FREE / RTM_ERR_CORRUPT, nothing changed then. Inside the
 * lock. O(1), plus one list walk when the block looks free already. */
static rtm_err_t give(rtm_os2_pool_cb_t *cb, const void *b)
{
    uintptr_t off = (uintptr_t)b - (uintptr_t)cb->base;
    uint32_t bs = bsize(cb);
    if ((uintptr_t)b < (uintptr_t)cb->base || off / bs >= cb->capacity) {
        return RTM_ERR_FOREIGN_PTR;
    }
    if (off % bs != 0u) {
        return RTM_ERR_INTERIOR_PTR;
    }
    uint32_t n = (uint32_t)(off / bs) + 1u;
    const uint8_t *p = block_at(cb, n);
    uint32_t t = 0;
    if (bs >= 8u) {
        memcpy(&t, p + 4, sizeof t);
    }
    bool suspect = bs >= 8u ? t == tag_of(cb, n) : link_of(p) <= cb->capacity;
    if (suspect || cb->used == 0u) {
        rtm_err_t err = walk(cb, n);
        if (err != RTM_OK) {
            return err;
        }
        if (cb->used == 0u) {
            return RTM_ERR_CORRUPT; /* not on the list, yet nothing is out */
        }
    }
    put_free(cb, n);
    cb->used--;
    return RTM_OK;
}

/* ---- Waiting (a static table outside the control blocks) ---------------------- */

typedef struct {
    const rtm_os2_pool_cb_t *cb; /* the pool whose threads wait here, or NULL */
    bool ready;                  /* q initialised (once, never destroyed) */
    rtm_waitq_t q;
} os2_wait_slot_t;

_Static_assert(RTMEM_CFG_CMSIS_WAIT_POOLS >= 1, "RTMEM_CFG_CMSIS_WAIT_POOLS must be at least 1");

/* The layer's second hidden global (see RTMEM_CFG_CMSIS_WAIT_POOLS). */
static os2_wait_slot_t g_wait[RTMEM_CFG_CMSIS_WAIT_POOLS];

static os2_wait_slot_t *slot_find(const rtm_os2_pool_cb_t *cb)
{
    for (size_t i = 0; i < RTMEM_CFG_CMSIS_WAIT_POOLS; i++) {
        if (g_wait[i].cb == cb) {
            return &g_wait[i];
        }
    }
    return NULL;
}

static os2_wait_slot_t *slot_claim(const rtm_os2_pool_cb_t *cb)
{
    os2_wait_slot_t *s = slot_find(cb);
    if (s == NULL) {
        s = slot_find(NULL);
    }
    if (s != NULL && !s->ready) {
        s->ready = rtm_waitq_init(&s->q) == RTM_OK;
    }
    if (s == NULL || !s->ready) {
        return NULL;
    }
    s->cb = cb;
    return s;
}

static void wake_one(const rtm_os2_pool_cb_t *cb)
{
    os2_wait_slot_t *s = slot_find(cb);
    if (s != NULL) {
        rtm_waitq_signal(&s->q);
    }
}

static bool alive(const rtm_os2_pool_cb_t *cb)
{
    return cb->magic == OS2_MAGIC;
}

/* The blocking loop, inside the lock at depth 1. After every wake-up
 * (signal, timeout or spurious) it tries once more, so a block freed just as
 * the time ran out is still taken. No wait slot left (RTMEM_CFG_CMSIS_WAIT_POOLS
 * other pools have waiters) or no room in the slot's queue (the port's
 * limit) is RTM_ERR_BUSY, reported as a fault: a configuration too small for
 * the application, never a silent timeout. */
static void *take_wait(rtm_os2_pool_cb_t *cb, uint32_t timeout, rtm_err_t *err)
{
    uint32_t start = rtm_port_ticks();
    for (;;) {
        void *b = take(cb, err);
        if (b != NULL || *err != RTM_OK) {
            return b;
        }
        uint32_t left = rtm_waitq_ticks_left(start, timeout);
        if (left == 0u) {
            return NULL; /* time is up */
        }
        os2_wait_slot_t *s = slot_claim(cb);
        if (s == NULL) {
            *err = RTM_ERR_BUSY;
            return NULL;
        }
        rtm_err_t w = rtm_waitq_wait(&s->q, left);
        if (rtm_waitq_waiters(&s->q) == 0u && s->cb == cb) {
            s->cb = NULL; /* the last waiter is back */
        }
        if (w == RTM_ERR_BUSY && alive(cb)) {
            *err = RTM_ERR_BUSY;
            return NULL;
        }
        if (!alive(cb) || (w != RTM_OK && w != RTM_ERR_TIMEOUT)) {
            return NULL; /* deleted, or this port or context cannot block */
        }
    }
}

static void retire(void *obj)
{
    ((rtm_os2_pool_cb_t *)obj)->magic = 0; /* the waiters leave with NULL */
}

/* ---- The API ------------------------------------------------------------------- */

static rtm_os2_pool_cb_t *cb_of(osMemoryPoolId_t mp_id)
{
    rtm_os2_pool_cb_t *cb = (rtm_os2_pool_cb_t *)mp_id;
    if (cb == NULL || ((uintptr_t)cb & (_Alignof(rtm_os2_pool_cb_t) - 1u)) != 0u ||
        !alive(cb)) {
        return NULL;
    }
    return cb;
}

/* Where the control block goes: the caller's cb_mem, or the allocator. NULL
 * when cb_mem/cb_size break the static-allocation rules or nothing is left. */
static rtm_os2_pool_cb_t *place_cb(const osMemoryPoolAttr_t *attr, uint32_t *dyn)
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
    *dyn = OS2_DYN_CB;
    return (rtm_os2_pool_cb_t *)rtm_os2_mem_alloc_(sizeof(rtm_os2_pool_cb_t));
}

/* The block memory: the caller's mp_mem, or the allocator. */
static void *place_mem(const osMemoryPoolAttr_t *attr, uint32_t size, uint32_t *dyn)
{
    *dyn = 0;
    if (attr != NULL && attr->mp_mem != NULL) {
        if (attr->mp_size < size || ((uintptr_t)attr->mp_mem & 3u) != 0u) {
            return NULL;
        }
        return attr->mp_mem;
    }
    if (attr != NULL && attr->mp_size != 0u) {
        return NULL;
    }
    *dyn = OS2_DYN_MEM;
    return rtm_os2_mem_alloc_(size);
}

osMemoryPoolId_t osMemoryPoolNew(uint32_t block_count, uint32_t block_size,
                                 const osMemoryPoolAttr_t *attr)
{
    if (rtm_port_in_isr() || block_count == 0u || block_size == 0u ||
        block_size > UINT32_MAX - 3u) {
        return NULL;
    }
    uint32_t bs = (block_size + 3u) & ~3u;
    if (block_count > UINT32_MAX / bs) {
        return NULL; /* the pool would not fit 32-bit sizes */
    }
    uint32_t dyn_cb;
    uint32_t dyn_mem = 0;
    rtm_os2_pool_cb_t *cb = place_cb(attr, &dyn_cb);
    void *mem = cb != NULL ? place_mem(attr, block_count * bs, &dyn_mem) : NULL;
    if (mem == NULL) {
        if (cb != NULL && dyn_cb != 0u) {
            rtm_os2_mem_free_(cb);
        }
        return NULL;
    }
    rtm_port_lock();
    cb->block_size = bs | dyn_cb | dyn_mem;
    cb->capacity = block_count;
    cb->used = 0;
    cb->free = 0;
    cb->faults = 0;
    cb->name = attr != NULL ? attr->name : NULL;
    cb->base = mem;
    cb->hook = NULL;
    cb->user = NULL;
    for (uint32_t n = block_count; n > 0u; n--) {
        put_free(cb, n); /* block 1 first out */
    }
    cb->magic = OS2_MAGIC;
    rtm_port_unlock();
    return (osMemoryPoolId_t)cb;
}

const char *osMemoryPoolGetName(osMemoryPoolId_t mp_id)
{
    rtm_os2_pool_cb_t *cb = cb_of(mp_id);
    return cb == NULL ? NULL : cb->name;
}

void *osMemoryPoolAlloc(osMemoryPoolId_t mp_id, uint32_t timeout)
{
    if (timeout != 0u && rtm_port_in_isr()) {
        return NULL;
    }
    rtm_fault_t gate;
    rtm_fault_init(&gate);
    gate.hook = rtm_os2_fault_quiet_;
    rtm_section_t sec = rtm_section_enter_();
    rtm_os2_pool_cb_t *cb = cb_of(mp_id);
    if (cb == NULL) {
        rtm_section_exit_(sec);
        return NULL;
    }
    uint32_t size = bsize(cb);
    if (RTM_GATE(&gate, cb, size)) {
        count_fault(cb); /* refused: sealed, no-alloc section, injection */
        rtm_section_exit_(sec);
        return NULL;
    }
    rtm_err_t err;
    void *b = (timeout != 0u && rtm_port_depth() == 1u) ? take_wait(cb, timeout, &err)
                                                         : take(cb, &err);
    rtm_fault_fn hook = NULL;
    void *user = NULL;
    if (err != RTM_OK) {
        count_fault(cb);
        hook = cb->hook;
        user = cb->user;
    }
    rtm_section_exit_(sec);
    if (err != RTM_OK) {
        report(cb, hook, user, err, NULL);
    }
    if (b != NULL) {
        RTM_EVENT(RTM_EV_ALLOC, cb, b, NULL, size);
    } else {
        RTM_EVENT(RTM_EV_FAIL, cb, NULL, NULL, size);
    }
    return b;
}

osStatus_t osMemoryPoolFree(osMemoryPoolId_t mp_id, void *block)
{
    if (block == NULL) {
        return osErrorParameter;
    }
    rtm_section_t sec = rtm_section_enter_();
    rtm_os2_pool_cb_t *cb = cb_of(mp_id);
    if (cb == NULL) {
        rtm_section_exit_(sec);
        return osErrorParameter;
    }
    rtm_err_t err = give(cb, block);
    rtm_fault_fn hook = cb->hook;
    void *user = cb->user;
    if (err == RTM_OK) {
        wake_one(cb);
    } else {
        count_fault(cb);
    }
    rtm_section_exit_(sec);
    if (err == RTM_OK) {
        RTM_EVENT(RTM_EV_FREE, cb, block, NULL, 0u);
        return osOK;
    }
    report(cb, hook, user, err, block);
    /* a damaged list: the pool is not in a valid state; else not an
     * allocated block of this pool */
    return err == RTM_ERR_CORRUPT ? osErrorResource : osErrorParameter;
}

/* A getter under the lock: 0 for an invalid id. */
static uint32_t get(osMemoryPoolId_t mp_id, int what)
{
    uint32_t v = 0;
    rtm_section_t sec = rtm_section_enter_();
    const rtm_os2_pool_cb_t *cb = cb_of(mp_id);
    if (cb != NULL) {
        v = what == 0 ? cb->capacity
            : what == 1 ? bsize(cb)
            : what == 2 ? cb->used
            : what == 3 ? cb->capacity - cb->used
                        : (uint32_t)cb->faults;
    }
    rtm_section_exit_(sec);
    return v;
}

uint32_t osMemoryPoolGetCapacity(osMemoryPoolId_t mp_id) { return get(mp_id, 0); }
uint32_t osMemoryPoolGetBlockSize(osMemoryPoolId_t mp_id) { return get(mp_id, 1); }
uint32_t osMemoryPoolGetCount(osMemoryPoolId_t mp_id) { return get(mp_id, 2); }
uint32_t osMemoryPoolGetSpace(osMemoryPoolId_t mp_id) { return get(mp_id, 3); }
uint32_t rtm_os2_pool_faults(osMemoryPoolId_t mp_id) { return get(mp_id, 4); }

/* Threads blocked in osMemoryPoolAlloc wake and return NULL (as in RTX5);
 * deletion returns after they have left, then gives dynamic memory back. */
osStatus_t osMemoryPoolDelete(osMemoryPoolId_t mp_id)
{
    if (rtm_port_in_isr()) {
        return osErrorISR;
    }
    rtm_port_lock();
    rtm_os2_pool_cb_t *cb = cb_of(mp_id);
    if (cb == NULL) {
        rtm_port_unlock();
        return osErrorParameter;
    }
    os2_wait_slot_t *s = slot_find(cb);
    if (s != NULL) {
        rtm_waitq_t *const qs[] = {&s->q};
        if (rtm_waitq_drain(qs, 1u, retire, cb) != RTM_OK) {
            rtm_port_unlock();
            return osErrorResource;
        }
        if (s->cb == cb) {
            s->cb = NULL;
        }
    }
    cb->magic = 0;
    uint32_t flags = cb->block_size;
    void *mem = cb->base;
    rtm_port_unlock();
    if ((flags & OS2_DYN_MEM) != 0u) {
        rtm_os2_mem_free_(mem);
    }
    if ((flags & OS2_DYN_CB) != 0u) {
        rtm_os2_mem_free_(cb);
    }
    return osOK;
}

void rtm_os2_pool_set_fault_hook(osMemoryPoolId_t mp_id, rtm_fault_fn hook, void *user)
{
    rtm_section_t sec = rtm_section_enter_();
    rtm_os2_pool_cb_t *cb = cb_of(mp_id);
    if (cb != NULL) {
        cb->hook = hook;
        cb->user = hook != NULL ? user : NULL;
    }
    rtm_section_exit_(sec);
}

rtm_err_t rtm_os2_pool_check(osMemoryPoolId_t mp_id)
{
    rtm_err_t err = RTM_ERR_ARG;
    rtm_section_t sec = rtm_section_enter_();
    const rtm_os2_pool_cb_t *cb = cb_of(mp_id);
    if (cb != NULL) {
        err = cb->used <= cb->capacity ? RTM_OK : RTM_ERR_CORRUPT;
        uint32_t nfree = 0;
        for (uint32_t at = cb->free; at != 0u && err == RTM_OK; nfree++) {
            if (at > cb->capacity || nfree >= cb->capacity) {
                err = RTM_ERR_CORRUPT;
            } else {
                at = link_of(block_at(cb, at));
            }
        }
        if (err == RTM_OK && nfree != cb->capacity - cb->used) {
            err = RTM_ERR_CORRUPT;
        }
    }
    rtm_section_exit_(sec);
    return err;
}

uint32_t rtm_os2_pool_waiters(osMemoryPoolId_t mp_id)
{
    uint32_t n = 0;
    rtm_section_t sec = rtm_section_enter_();
    const rtm_os2_pool_cb_t *cb = cb_of(mp_id);
    os2_wait_slot_t *s = cb != NULL ? slot_find(cb) : NULL;
    if (s != NULL) {
        n = rtm_waitq_waiters(&s->q);
    }
    rtm_section_exit_(sec);
    return n;
}
