/* Private to the rtm_pool sources (pool*.c).
 *
 * The sources split along what a build uses: pool.c holds the locked modes
 * (init, alloc, free), pool_wait.c the blocking wait, pool_lockfree.c the
 * lock-free mode, pool_check.c the queries, statistics and the integrity
 * check, pool_walk.c the free-list walk of a pool without a bitmap. alloc
 * and free reach the lock-free mode and the walk through weak stand-ins
 * (pool.c) and the wait the lock-free mode through weak references, which
 * pull nothing in; only rtm_pool_init_lockfree_() and
 * rtm_pool_init_nobitmap_() do, so a firmware that creates no such pool
 * does not link them. */
#ifndef RTMEM_POOL_INTERNAL_H
#define RTMEM_POOL_INTERNAL_H

#include "rtm_hooks.h"
#include "rtm_internal.h"
#include "rtmem/pool.h"

#define POOL_MAGIC 0x504F4F4Cu /* "POOL" */
#define POOL_KNOWN_FLAGS (RTM_POOL_BITMAP | RTM_POOL_LOCKFREE | RTM_POOL_NOLOCK)

static inline uint8_t *pool_block(const rtm_pool_t *p, uint32_t i)
{
    return p->base + (size_t)i * p->stride;
}

static inline bool pool_is_lockfree(const rtm_pool_t *p)
{
    return RTMEM_CFG_POOL_LOCKFREE && (p->flags & RTM_POOL_LOCKFREE) != 0u;
}

/* The port's critical section, except for RTM_POOL_NOLOCK pools (whose
 * caller serialises). Returns whether it was entered, for pool_unlock(). */
static inline bool pool_lock(const rtm_pool_t *p)
{
    bool lock = (p->flags & RTM_POOL_NOLOCK) == 0u;
    if (lock) {
        rtm_port_lock();
    }
    return lock;
}

static inline void pool_unlock(bool locked)
{
    if (locked) {
        rtm_port_unlock();
    }
}

/* Index of the block `ptr` starts, or the bad-input reason. O(1). */
rtm_err_t rtm_pool_locate_(const rtm_pool_t *p, const void *ptr, uint32_t *idx);

/* The init both modes share (pool.c): arguments, layout, counters, with
 * room for the side links after the blocks; rtm_pool_init_lockfree_() does
 * the rest. rtm_pool_init_locked_() (pool.h) is the same without the side
 * links, so a firmware with only locked pools links none of it. */
rtm_err_t rtm_pool_init_lf_layout_(rtm_pool_t *p, void *mem, size_t mem_size, size_t block_size,
                                   size_t align, uint32_t count, unsigned flags);

/* The locked modes' free-list word of a listed block: the next index XOR the
 * pool's key (see pool.c). */
uint32_t rtm_pool_link_(const rtm_pool_t *p, uint32_t i);

/* Whether block i is on the locked modes' free list: O(free blocks), only
 * for a suspected double free on a pool without a bitmap (pool_walk.c). */
bool rtm_pool_walk_(const rtm_pool_t *p, uint32_t i);
/* Whether handed-out block i is on the free list of a pool without a bitmap:
 * O(1) unless its word looks like a link, then rtm_pool_walk_ (pool_walk.c). */
bool rtm_pool_listed_(const rtm_pool_t *p, uint32_t i);

#if RTMEM_CFG_POOL_LOCKFREE
/* rtm_pool_alloc / rtm_pool_free for a pool in a mode without the port's
 * lock, NOLOCK or lock-free (pool_lockfree.c; weak stand-ins in pool.c). */
void *rtm_pool_alloc_mode_(rtm_pool_t *p);
rtm_err_t rtm_pool_free_mode_(rtm_pool_t *p, void *block);

/* The lock-free mode's alloc (counting a failure or not) and free. */
void *rtm_pool_lf_take_(rtm_pool_t *p, bool count);
rtm_err_t rtm_pool_lf_give_(rtm_pool_t *p, void *block);

/* The lock-free mode's counters, read with atomic loads (pool_lockfree.c). */
typedef struct rtm_pool_lf_view {
    uint32_t head; /* RTM_POOL_NIL when empty */
    uint32_t mark, used, peak;
    size_t failed;
} rtm_pool_lf_view_t;
void rtm_pool_lf_view_(const rtm_pool_t *p, rtm_pool_lf_view_t *v);
uint32_t rtm_pool_lf_next_(const rtm_pool_t *p, uint32_t i); /* RTM_POOL_NIL at the end */
uint32_t rtm_pool_lf_bitmap_word_(const rtm_pool_t *p, size_t w);
void rtm_pool_lf_waiting_(rtm_pool_t *p, bool enter, bool failed);
void rtm_pool_lf_reset_(rtm_pool_t *p);
#endif

#endif /* RTMEM_POOL_INTERNAL_H */
