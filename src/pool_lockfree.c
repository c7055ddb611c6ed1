/*
 * rtm_pool's lock-free mode (RTM_POOL_LOCKFREE, see include/rtmem/pool.h): a
 * Treiber stack of block indices whose head packs an index and a generation
 * (ABA-safe). The links live in a side array after the blocks, so no thread
 * reads a link inside a block another thread owns, and a write into a freed
 * block cannot break the list.
 *
 * A handed-out block's link holds LF_TAKEN: a free swaps it out with one
 * compare-and-swap, so a double free (even two racing frees of one block) is
 * refused in O(1) with or without a bitmap, and no extra memory.
 *
 * Only rtm_pool_init_lockfree_() reaches this file, so a firmware that makes
 * no lock-free pool does not link it.
 */
#include "rtmem/pool.h"

#include <string.h>

#include "pool_internal.h"

#if RTMEM_CFG_POOL_LOCKFREE
#if defined(__ARM_ARCH_6M__)
#error "RTMEM_CFG_POOL_LOCKFREE=1 needs compare-and-swap, which ARMv6-M (Cortex-M0/M0+) lacks: set it to 0"
#endif
#include <stdatomic.h>

#if UINTPTR_MAX > 0xFFFFFFFFu
#define LF_IDX_BITS 32u
#define LF_NIL 0xFFFFFFFFu
#else
#define LF_IDX_BITS 16u
#define LF_NIL 0xFFFFu
#endif
#define LF_TAKEN 0xFFFFFFFEu /* the link of a handed-out block: no index */

_Static_assert(sizeof(_Atomic uint32_t) == sizeof(uint32_t), "atomic link is one word");

static inline uint32_t lf_index(rtm_pool_tagged_t h) { return (uint32_t)(h & LF_NIL); }

/* Next head word: index `i` with the generation bumped, so a head that was
 * popped and pushed back between a reader's load and its CAS never compares
 * equal (ABA). */
static inline rtm_pool_tagged_t lf_next(rtm_pool_tagged_t h, uint32_t i)
{
    rtm_pool_tagged_t gen = (rtm_pool_tagged_t)(h >> LF_IDX_BITS) + 1u;
    return (rtm_pool_tagged_t)(gen << LF_IDX_BITS) | (rtm_pool_tagged_t)i;
}

static inline _Atomic uint32_t *lf_links(const rtm_pool_t *p)
{
    return (_Atomic uint32_t *)p->links;
}

static inline _Atomic uint32_t *lf_bitmap(const rtm_pool_t *p)
{
    return (_Atomic uint32_t *)(void *)p->bitmap;
}

static inline rtm_pool_t *mut(const rtm_pool_t *p)
{
    return (rtm_pool_t *)(uintptr_t)p; /* atomic loads need non-const */
}

static void count_failed(rtm_pool_t *p)
{
    (void)atomic_fetch_add_explicit(&p->lf_failed, (size_t)1u, memory_order_relaxed);
}

/* Pop the list, else bump the watermark; UINT32_MAX when empty. */
static uint32_t pop(rtm_pool_t *p)
{
    rtm_pool_tagged_t h = atomic_load(&p->lf_head); /* seq_cst: see alloc_wait() */
    uint32_t i = lf_index(h);
    while (i != LF_NIL) {
        /* a stale read (i taken meanwhile) fails the CAS: the generation moved */
        uint32_t next = atomic_load_explicit(&lf_links(p)[i], memory_order_relaxed);
        if (atomic_compare_exchange_weak_explicit(&p->lf_head, &h, lf_next(h, next & LF_NIL),
                                                  memory_order_acquire, memory_order_acquire)) {
            return i;
        }
        i = lf_index(h);
    }
    uint32_t m = atomic_load_explicit(&p->lf_mark, memory_order_relaxed);
    do {
        if (m >= p->capacity) {
            return UINT32_MAX;
        }
    } while (!atomic_compare_exchange_weak_explicit(&p->lf_mark, &m, m + 1u,
                                                    memory_order_relaxed, memory_order_relaxed));
    return m;
}

void *rtm_pool_lf_take_(rtm_pool_t *p, bool count)
{
    if (RTM_GATE(&p->fault, p, p->stride)) {
        count_failed(p);
        return NULL;
    }
    uint32_t i = pop(p);
    if (i == UINT32_MAX) {
        if (count) {
            count_failed(p);
            RTM_EVENT(RTM_EV_FAIL, p, NULL, NULL, p->stride);
        }
        return NULL;
    }
    atomic_store_explicit(&lf_links(p)[i], LF_TAKEN, memory_order_relaxed);
    if (p->bitmap != NULL) {
        (void)atomic_fetch_or_explicit(&lf_bitmap(p)[i >> 5], 1u << (i & 31u),
                                       memory_order_relaxed);
    }
    uint32_t used = atomic_fetch_add_explicit(&p->lf_used, 1u, memory_order_relaxed) + 1u;
    uint32_t peak = atomic_load_explicit(&p->lf_peak, memory_order_relaxed);
    while (used > peak && !atomic_compare_exchange_weak_explicit(
                              &p->lf_peak, &peak, used, memory_order_relaxed,
                              memory_order_relaxed)) {
    }
    void *b = pool_block(p, i);
    RTM_EVENT(RTM_EV_ALLOC, p, b, NULL, p->stride);
    return b;
}

static rtm_err_t check_free(rtm_pool_t *p, void *ptr, uint32_t *i)
{
    rtm_err_t err = rtm_pool_locate_(p, ptr, i);
    if (err != RTM_OK) {
        return err;
    }
    if (*i >= atomic_load_explicit(&p->lf_mark, memory_order_relaxed)) {
        return RTM_ERR_DOUBLE_FREE; /* never handed out */
    }
    /* the one free that swaps LF_TAKEN out wins; any other is a double free */
    uint32_t taken = LF_TAKEN;
    if (!atomic_compare_exchange_strong_explicit(&lf_links(p)[*i], &taken, LF_NIL,
                                                 memory_order_relaxed, memory_order_relaxed)) {
        return RTM_ERR_DOUBLE_FREE;
    }
    if (p->bitmap != NULL) {
        uint32_t bit = 1u << (*i & 31u);
        (void)atomic_fetch_and_explicit(&lf_bitmap(p)[*i >> 5], ~bit, memory_order_relaxed);
    }
    return RTM_OK;
}

rtm_err_t rtm_pool_lf_give_(rtm_pool_t *p, void *ptr)
{
    uint32_t i;
    rtm_err_t err = check_free(p, ptr, &i);
    if (err != RTM_OK) {
        rtm_port_lock(); /* the fault state is not atomic */
        err = rtm_pool_reject_(p, err, false, ptr);
        rtm_port_unlock();
        return err;
    }
    RTM_EVENT(RTM_EV_FREE, p, ptr, NULL, 0u);
    (void)atomic_fetch_sub_explicit(&p->lf_used, 1u, memory_order_relaxed);
    rtm_pool_tagged_t h = atomic_load_explicit(&p->lf_head, memory_order_relaxed);
    do {
        atomic_store_explicit(&lf_links(p)[i], lf_index(h), memory_order_relaxed);
    } while (!atomic_compare_exchange_weak_explicit(&p->lf_head, &h, lf_next(h, i),
                                                    memory_order_seq_cst,
                                                    memory_order_relaxed));
    /* seq_cst push, then seq_cst read of the waiter count (alloc_wait()
     * bumps it before its seq_cst look at the head): one of the two sees the
     * other, so a waiter never sleeps through this block. */
    if (atomic_load(&p->lf_waiting) != 0u) {
        rtm_port_lock();
        rtm_waitq_signal(&p->waitq);
        rtm_port_unlock();
    }
    return RTM_OK;
}

/* The real rtm_pool_alloc_mode_ / rtm_pool_free_mode_ (pool.c has weak
 * stand-ins for NOLOCK only): linked with this file, i.e. whenever a
 * lock-free pool can exist. */
void *rtm_pool_alloc_mode_(rtm_pool_t *p)
{
    return pool_is_lockfree(p) ? rtm_pool_lf_take_(p, true) : rtm_pool_take_(p);
}

rtm_err_t rtm_pool_free_mode_(rtm_pool_t *p, void *block)
{
    return pool_is_lockfree(p) ? rtm_pool_lf_give_(p, block) : rtm_pool_give_(p, block);
}

rtm_err_t rtm_pool_init_lockfree_(rtm_pool_t *p, void *mem, size_t mem_size, size_t block_size,
                                  size_t align, uint32_t count, unsigned flags)
{
    rtm_err_t err = rtm_pool_init_lf_layout_(p, mem, mem_size, block_size, align, count, flags);
    if (err != RTM_OK) {
        return err;
    }
    p->links = p->base + p->span;
    atomic_init(&p->lf_head, (rtm_pool_tagged_t)LF_NIL);
    atomic_init(&p->lf_mark, 0u);
    atomic_init(&p->lf_used, 0u);
    atomic_init(&p->lf_peak, 0u);
    atomic_init(&p->lf_waiting, 0u);
    atomic_init(&p->lf_failed, (size_t)0u);
    return RTM_OK;
}

void rtm_pool_lf_view_(const rtm_pool_t *p, rtm_pool_lf_view_t *v)
{
    rtm_pool_t *q = mut(p);
    uint32_t h = lf_index(atomic_load(&q->lf_head));
    v->head = h == LF_NIL ? RTM_POOL_NIL : h;
    v->mark = atomic_load(&q->lf_mark);
    v->used = atomic_load(&q->lf_used);
    v->peak = atomic_load(&q->lf_peak);
    v->failed = atomic_load(&q->lf_failed);
}

uint32_t rtm_pool_lf_next_(const rtm_pool_t *p, uint32_t i)
{
    uint32_t n = atomic_load_explicit(&lf_links(p)[i], memory_order_relaxed);
    return n == LF_NIL ? RTM_POOL_NIL : n;
}

uint32_t rtm_pool_lf_bitmap_word_(const rtm_pool_t *p, size_t w)
{
    return atomic_load_explicit(&lf_bitmap(p)[w], memory_order_relaxed);
}

/* seq_cst, paired with the push in rtm_pool_lf_give_(): either the waiter's next
 * look at the head sees a block freed lock-free, or that free sees it
 * waiting and signals under the lock. */
void rtm_pool_lf_waiting_(rtm_pool_t *p, bool enter, bool failed)
{
    if (enter) {
        (void)atomic_fetch_add(&p->lf_waiting, 1u);
        return;
    }
    (void)atomic_fetch_sub(&p->lf_waiting, 1u);
    if (failed) {
        count_failed(p);
    }
}

void rtm_pool_lf_reset_(rtm_pool_t *p)
{
    atomic_store(&p->lf_head, (rtm_pool_tagged_t)LF_NIL);
    atomic_store(&p->lf_mark, 0u);
}

#else /* !RTMEM_CFG_POOL_LOCKFREE */

rtm_err_t rtm_pool_init_lockfree_(rtm_pool_t *p, void *mem, size_t mem_size, size_t block_size,
                                  size_t align, uint32_t count, unsigned flags)
{
    /* the argument errors first, as with the mode compiled in */
    rtm_err_t err = rtm_pool_init_lf_layout_(p, mem, mem_size, block_size, align, count, flags);
    if (err == RTM_OK) {
        memset(p, 0, sizeof *p); /* not a usable pool: like one never initialised */
    }
    return err == RTM_OK ? RTM_ERR_NOT_SUPPORTED : err;
}

#endif /* RTMEM_CFG_POOL_LOCKFREE */
