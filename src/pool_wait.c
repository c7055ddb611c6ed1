/*
 * rtm_pool's blocking allocation, rtm_pool_alloc_timeout() (see
 * include/rtmem/pool.h): a firmware that never waits for a block does not
 * link it.
 */
#include "rtmem/pool.h"

#include "pool_internal.h"

#if RTMEM_CFG_POOL_LOCKFREE && defined(__GNUC__)
/* Weak references: they pull nothing from the library, so the lock-free mode
 * (pool_lockfree.c) is linked only when rtm_pool_init_lockfree_() is, i.e.
 * when the firmware makes a lock-free pool; only such a pool reaches them. */
__attribute__((weak)) void *rtm_pool_lf_take_(rtm_pool_t *p, bool count);
__attribute__((weak)) void rtm_pool_lf_waiting_(rtm_pool_t *p, bool enter, bool failed);
#endif

/* One attempt inside the critical section, without counting a failure. */
static void *try_take(rtm_pool_t *p)
{
#if RTMEM_CFG_POOL_LOCKFREE
    if (pool_is_lockfree(p)) {
        return rtm_pool_lf_take_(p, false);
    }
#endif
    bool any = p->hot != NULL || p->head != RTM_POOL_NIL || p->mark < p->capacity;
    if (!any && RTM_GATE(&p->fault, p, p->stride)) {
        p->failed++; /* a sealed pool refuses even when empty: no wait */
    }
    return any ? rtm_pool_alloc_unlocked(p) : NULL;
}

/* The blocking loop, inside the critical section at depth 1. After every
 * wake-up (signal, timeout or spurious) it tries once more, so a block freed
 * just as the time ran out is still taken, and a signal consumed by a waiter
 * that timed out is not lost to the others. Counts the failure. */
static void *alloc_wait(rtm_pool_t *p, uint32_t timeout)
{
    uint32_t start = rtm_port_ticks();
    void *b = NULL;
#if RTMEM_CFG_POOL_LOCKFREE
    if (pool_is_lockfree(p)) {
        rtm_pool_lf_waiting_(p, true, false);
    }
#endif
    bool refused = false;
    for (;;) {
        size_t faults = p->fault.count;
        b = try_take(p);
        /* a refusal (sealed pool, corrupt list) raised a fault and counted
         * the failure: waiting would not end it */
        refused = p->fault.count != faults;
        if (b != NULL || refused || p->magic != POOL_MAGIC) {
            break;
        }
        uint32_t left = rtm_waitq_ticks_left(start, timeout);
        if (left == 0u) {
            break;
        }
        p->signal_free = 1u; /* frees now take the path that wakes us: */
        p->last = NULL;      /* even a free of the block the hot slot handed out */
        rtm_err_t err = rtm_waitq_wait(&p->waitq, left);
        if (rtm_waitq_waiters(&p->waitq) == 0u && p->magic == POOL_MAGIC) {
            p->signal_free = 0u; /* the last waiter is back */
        }
        if (err != RTM_OK && err != RTM_ERR_TIMEOUT) {
            break; /* this port or context cannot block */
        }
    }
#if RTMEM_CFG_POOL_LOCKFREE
    if (pool_is_lockfree(p)) {
        rtm_pool_lf_waiting_(p, false, b == NULL && !refused);
        return b;
    }
#endif
    if (b == NULL && !refused) {
        p->failed++;
    }
    return b;
}

void *rtm_pool_alloc_timeout(rtm_pool_t *p, uint32_t timeout)
{
    if (p == NULL) {
        return NULL;
    }
    if (timeout == 0u || (p->flags & RTM_POOL_NOLOCK) != 0u || rtm_port_in_isr() ||
        rtm_port_depth() != 0u || p->magic != POOL_MAGIC) {
        return rtm_pool_alloc(p); /* cannot block here */
    }
    rtm_port_lock();
    void *b = alloc_wait(p, timeout);
    rtm_port_unlock();
    return b;
}
