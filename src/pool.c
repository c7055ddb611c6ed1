/*
 * rtm_pool: fixed-size blocks in O(1). See include/rtmem/pool.h for the
 * layout, the sizing rule and the three locking modes.
 *
 * State of the blocks, by index:
 *
 *   0 ............................ mark ................ capacity
 *   [ handed out at least once    ][ never used (watermark) ]
 *     allocated, or on the free list (LIFO, newest first)
 *
 * Allocation pops the free list, else takes block `mark` and bumps it; so
 * init is O(1) and a fresh pool needs no free-list threading.
 */
#include "rtmem/pool.h"

#include <string.h>

#include "rtm_internal.h"

#if RTMEM_CFG_POOL_LOCKFREE
#if defined(__ARM_ARCH_6M__)
#error "RTMEM_CFG_POOL_LOCKFREE=1 needs compare-and-swap, which ARMv6-M (Cortex-M0/M0+) lacks: set it to 0"
#endif
#include <stdatomic.h>
#endif

_Static_assert(RTMEM_CFG_POOL_FREE_BITMAP == 0 || RTMEM_CFG_POOL_FREE_BITMAP == 1,
               "RTMEM_CFG_POOL_FREE_BITMAP must be 0 or 1");
_Static_assert(RTMEM_CFG_POOL_LOCKFREE == 0 || RTMEM_CFG_POOL_LOCKFREE == 1,
               "RTMEM_CFG_POOL_LOCKFREE must be 0 or 1");
_Static_assert(RTM_POOL_STRIDE(1, 0) == 4u && RTM_POOL_STRIDE(5, 0) == 8u &&
                   RTM_POOL_STRIDE(12, 8) == 16u && RTM_POOL_STRIDE(32, 16) == 32u,
               "stride formula");

#define POOL_MAGIC 0x504F4F4Cu /* "POOL" */
#define KNOWN_FLAGS (RTM_POOL_BITMAP | RTM_POOL_LOCKFREE | RTM_POOL_NOLOCK)

/* ---- Block helpers ----------------------------------------------------------- */

static inline uint8_t *block_at(const rtm_pool_t *p, uint32_t i)
{
    return p->base + (size_t)i * p->stride;
}

/* The intrusive link of a recycled block (locked modes): its first 4 bytes. */
static inline uint32_t link_get(const uint8_t *b)
{
    uint32_t v;
    memcpy(&v, b, sizeof v);
    return v;
}


/* Index of the block `ptr` starts, or the bad-input reason. O(1): no
 * division (rtm_pool_index_). */
static rtm_err_t locate(const rtm_pool_t *p, const void *ptr, uint32_t *idx)
{
    if (ptr == NULL) {
        return RTM_ERR_NULL;
    }
    uintptr_t off = (uintptr_t)ptr - (uintptr_t)p->base; /* wraps when below */
    if (off >= p->span) {
        return RTM_ERR_FOREIGN_PTR;
    }
    size_t i = rtm_pool_index_(p, ptr);
    if (i >= p->capacity) {
        return RTM_ERR_INTERIOR_PTR; /* inside the span, off a block boundary */
    }
    *idx = (uint32_t)i;
    return RTM_OK;
}

/* ---- Locked modes: rtm_pool_alloc_unlocked / rtm_pool_free_unlocked (pool.h) */

static inline bool has_free_locked(const rtm_pool_t *p)
{
    return p->hot != NULL || p->head != RTM_POOL_NIL || p->mark < p->capacity;
}

/* Forced inline: an out-of-line copy costs the minimal init+alloc+free link
 * (which keeps rtm_pool_reject_) 20 bytes on Cortex-M4. */
#if defined(__GNUC__)
#define POOL_INLINE static inline __attribute__((always_inline))
#else
#define POOL_INLINE static inline
#endif

/* The port's critical section, except for RTM_POOL_NOLOCK pools (whose
 * caller serialises). Returns whether it was entered, for pool_unlock(). */
POOL_INLINE bool pool_lock(const rtm_pool_t *p)
{
    bool lock = (p->flags & RTM_POOL_NOLOCK) == 0u;
    if (lock) {
        rtm_port_enter();
    }
    return lock;
}

POOL_INLINE void pool_unlock(bool locked)
{
    if (locked) {
        rtm_port_exit();
    }
}

/* Locked modes: blocks in use (see rtm_pool_t). */
static size_t counted_used(const rtm_pool_t *p)
{
    return (size_t)p->mark - p->nfree - (p->hot != NULL ? 1u : 0u);
}

/* The alloc path when the hot slot is empty: pop the free list, else hand
 * out the block at the watermark, else fail. Called with the pool
 * serialised, as the inline path is. */
void *rtm_pool_take_(rtm_pool_t *p)
{
    uint32_t i = p->head;
    if (i != RTM_POOL_NIL) {
        p->head = link_get(block_at(p, i));
        p->nfree--;
    } else if (p->mark < p->capacity) {
        i = p->mark++;
    } else {
        p->failed++;
        return NULL;
    }
    if (p->bitmap != NULL) {
        p->bitmap[i >> 5] |= (uint32_t)1u << (i & 31u);
    }
    return block_at(p, i);
}

/* Allocated (or hot) block i onto the free list: its bit cleared, linked
 * to the old head. */
static void push(rtm_pool_t *p, void *block, size_t i)
{
    if (p->bitmap != NULL) {
        p->bitmap[i >> 5] &= ~((uint32_t)1u << (i & 31u));
    }
    memcpy(block, &p->head, sizeof p->head); /* the link to the old head */
    p->head = (uint32_t)i;
    p->nfree++;
}

/* Whether handed-out block i may be allocated: its bitmap bit is set, or the
 * pool has no bitmap (then only the hot block's double free is caught). */
POOL_INLINE bool marked(const rtm_pool_t *p, size_t i)
{
    return p->bitmap == NULL || ((p->bitmap[i >> 5] >> (i & 31u)) & 1u) != 0u;
}

/* Every free but the inline path's one (see rtm_pool_t's hot and last).
 * Bad input is refused: not a handed-out block, the hot block again, or a
 * clear bit. A good block becomes the hot one and the old hot block goes
 * down onto the list, so blocks come back newest first; while threads wait
 * (signal_free, both slots empty) it goes onto the list and one waiter wakes.
 * Called with the pool serialised. */
rtm_err_t rtm_pool_give_(rtm_pool_t *p, void *block)
{
    size_t i = rtm_pool_index_(p, block);
    if (i >= p->mark) {
        uint32_t at; /* a block never handed out is a double free */
        rtm_err_t why = locate(p, block, &at);
        return rtm_pool_reject_(p, why == RTM_OK ? RTM_ERR_DOUBLE_FREE : why, block);
    }
    if (block == p->hot || !marked(p, i)) {
        return rtm_pool_reject_(p, RTM_ERR_DOUBLE_FREE, block);
    }
    p->last = NULL; /* it may be this block, and the hot slot fills below */
    if (p->signal_free != 0u) {
        push(p, block, i);
        rtm_waitq_signal(&p->waitq);
        return RTM_OK;
    }
    void *old = p->hot;
    if (old != NULL) {
        push(p, old, rtm_pool_index_(p, old));
    }
    p->hot = block;
    return RTM_OK;
}

/* Count a rejected free and raise the fault; the pool itself is untouched. */
rtm_err_t rtm_pool_reject_(rtm_pool_t *p, rtm_err_t why, const void *ptr)
{
    bool locked = pool_lock(p);
    p->invalid++;
    rtm_err_t r = rtm_fault_raise(&p->fault, why, p, ptr);
    pool_unlock(locked);
    return r;
}

/* stride = d << tz with d odd; inv = 1/d modulo 2^N by Newton's iteration,
 * which doubles the correct low bits each step: d is its own inverse to 3
 * bits, so 5 steps give 96 >= 64. A fixed number of steps: O(1). */
static void set_divisor(rtm_pool_t *p, size_t stride)
{
    uint8_t tz = 0;
    while (((stride >> tz) & 1u) == 0u) {
        tz++; /* stride != 0: at most the bit width of size_t steps */
    }
    size_t d = stride >> tz, inv = d;
    for (unsigned k = 0; k < 5u; k++) {
        inv *= 2u - d * inv;
    }
    RTM_ASSERT(d * inv == 1u);
    p->tz = tz;
    p->inv = inv;
}

/* ---- Lock-free mode ------------------------------------------------------------ */

#if RTMEM_CFG_POOL_LOCKFREE
#if UINTPTR_MAX > 0xFFFFFFFFu
#define LF_IDX_BITS 32u
#define LF_NIL 0xFFFFFFFFu
#else
#define LF_IDX_BITS 16u
#define LF_NIL 0xFFFFu
#endif
#define LF_MAX_BLOCKS LF_NIL /* indices 0 .. LF_NIL-1 */

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

static void *take_lockfree(rtm_pool_t *p)
{
    rtm_pool_tagged_t h = atomic_load(&p->lf_head); /* seq_cst: see alloc_wait() */
    uint32_t i = lf_index(h);
    while (i != LF_NIL) {
        uint32_t next = atomic_load_explicit(&lf_links(p)[i], memory_order_relaxed);
        if (atomic_compare_exchange_weak_explicit(&p->lf_head, &h, lf_next(h, next),
                                                  memory_order_acquire, memory_order_acquire)) {
            break;
        }
        i = lf_index(h);
    }
    if (i == LF_NIL) {
        uint32_t m = atomic_load_explicit(&p->lf_mark, memory_order_relaxed);
        do {
            if (m >= p->capacity) {
                return NULL;
            }
        } while (!atomic_compare_exchange_weak_explicit(&p->lf_mark, &m, m + 1u,
                                                        memory_order_relaxed,
                                                        memory_order_relaxed));
        i = m;
    }
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
    return block_at(p, i);
}

static rtm_err_t give_lockfree(rtm_pool_t *p, void *ptr)
{
    uint32_t i;
    rtm_err_t err = locate(p, ptr, &i);
    if (err != RTM_OK) {
        return err;
    }
    if (i >= atomic_load_explicit(&p->lf_mark, memory_order_relaxed)) {
        return RTM_ERR_DOUBLE_FREE;
    }
    if (p->bitmap != NULL) {
        uint32_t bit = 1u << (i & 31u);
        uint32_t old = atomic_fetch_and_explicit(&lf_bitmap(p)[i >> 5], ~bit,
                                                 memory_order_relaxed);
        if ((old & bit) == 0u) {
            return RTM_ERR_DOUBLE_FREE; /* the bit was clear: nothing changed */
        }
    }
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
        rtm_port_enter();
        rtm_waitq_signal(&p->waitq);
        rtm_port_exit();
    }
    return RTM_OK;
}
#endif /* RTMEM_CFG_POOL_LOCKFREE */

static inline bool is_lockfree(const rtm_pool_t *p)
{
    return RTMEM_CFG_POOL_LOCKFREE && (p->flags & RTM_POOL_LOCKFREE) != 0u;
}

/* ---- Init and deinit --------------------------------------------------------- */

size_t rtm_pool_mem_size(size_t count, size_t block_size, size_t align, unsigned flags)
{
    if (block_size == 0u || (align != 0u && !RTM_IS_POW2(align))) {
        return 0u;
    }
    size_t stride = rtm_align_up_checked(block_size > 4u ? block_size : 4u, RTM_POOL_ALIGN(align));
    if (stride == 0u || stride > SIZE_MAX - 4u) {
        return 0u;
    }
    size_t per = stride + (((flags & RTM_POOL_LOCKFREE) != 0u) ? 4u : 0u);
    size_t words = count / 32u + ((count % 32u) != 0u ? 1u : 0u); /* no count + 31 wrap */
    size_t bm = ((flags & RTM_POOL_BITMAP) != 0u) ? words * 4u : 0u;
    if (rtm_mul_overflows(count, per) || rtm_add_overflows(count * per, bm)) {
        return 0u;
    }
    return count * per + bm;
}

/* Most blocks of `per` bytes (plus a 4-byte bitmap word per 32 blocks when
 * `bitmap`) that fit in `bytes`. O(1). */
static size_t fit_count(size_t bytes, size_t per, bool bitmap)
{
    if (!bitmap) {
        return bytes / per;
    }
    size_t group = 32u * per + 4u; /* 32 blocks and their bitmap word */
    size_t n = (bytes / group) * 32u;
    size_t rest = bytes % group;
    if (rest >= 4u + per) {
        n += (rest - 4u) / per; /* < 32 because rest < group */
    }
    return n;
}

static size_t lf_limit(unsigned flags)
{
#if RTMEM_CFG_POOL_LOCKFREE
    if ((flags & RTM_POOL_LOCKFREE) != 0u) {
        return LF_MAX_BLOCKS;
    }
#else
    (void)flags;
#endif
    return RTM_POOL_NIL; /* indices 0 .. UINT32_MAX-1 */
}

static rtm_err_t check_init_args(const rtm_pool_t *p, const void *mem, size_t block_size,
                                 size_t align, unsigned flags)
{
    if (p == NULL || mem == NULL) {
        return RTM_ERR_NULL;
    }
    if (block_size == 0u || (align != 0u && !RTM_IS_POW2(align)) ||
        (flags & ~KNOWN_FLAGS) != 0u ||
        ((flags & RTM_POOL_LOCKFREE) != 0u && (flags & RTM_POOL_NOLOCK) != 0u)) {
        return RTM_ERR_ARG;
    }
    if (!RTMEM_CFG_POOL_LOCKFREE && (flags & RTM_POOL_LOCKFREE) != 0u) {
        return RTM_ERR_NOT_SUPPORTED;
    }
    if (((uintptr_t)mem & (RTM_POOL_ALIGN(align) - 1u)) != 0u) {
        return RTM_ERR_ARG;
    }
    return RTM_OK;
}

rtm_err_t rtm_pool_init(rtm_pool_t *p, void *mem, size_t mem_size, size_t block_size,
                        size_t align, uint32_t count, unsigned flags)
{
    rtm_err_t err = check_init_args(p, mem, block_size, align, flags);
    if (err != RTM_OK) {
        return err;
    }
    size_t stride = rtm_align_up_checked(block_size > 4u ? block_size : 4u, RTM_POOL_ALIGN(align));
    if (stride == 0u || stride > SIZE_MAX - 4u) {
        return RTM_ERR_OVERFLOW;
    }
    size_t per = stride + (((flags & RTM_POOL_LOCKFREE) != 0u) ? 4u : 0u);
    size_t fit = fit_count(mem_size, per, (flags & RTM_POOL_BITMAP) != 0u);
    size_t n = count != 0u ? count : fit;
    if (n > lf_limit(flags)) {
        if (count != 0u) {
            return RTM_ERR_ARG;
        }
        n = lf_limit(flags);
    }
    if (n == 0u || n > fit) {
        return RTM_ERR_NO_MEMORY;
    }
    memset(p, 0, sizeof *p);
    p->base = (uint8_t *)mem;
    p->stride = stride;
    p->span = n * stride; /* <= mem_size: cannot overflow */
    p->capacity = (uint32_t)n;
    set_divisor(p, stride);
    p->flags = (uint8_t)flags;
    uint8_t *tail = p->base + p->span;
    if ((flags & RTM_POOL_LOCKFREE) != 0u) {
        p->links = tail;
        tail += n * 4u;
    }
    if ((flags & RTM_POOL_BITMAP) != 0u) {
        p->bitmap = (uint32_t *)(void *)tail;
        memset(tail, 0, RTM_POOL_BITMAP_BYTES(n)); /* ceil(n/32) words: n/32 + 1 stores */
    }
    p->head = RTM_POOL_NIL;
#if RTMEM_CFG_POOL_LOCKFREE
    atomic_init(&p->lf_head, (rtm_pool_tagged_t)LF_NIL);
    atomic_init(&p->lf_mark, 0u);
    atomic_init(&p->lf_used, 0u);
    atomic_init(&p->lf_peak, 0u);
    atomic_init(&p->lf_waiting, 0u);
    atomic_init(&p->lf_failed, (size_t)0u);
#endif
    rtm_fault_init(&p->fault);
    if ((flags & RTM_POOL_NOLOCK) == 0u) {
        err = rtm_waitq_init(&p->waitq);
        if (err != RTM_OK) {
            return err;
        }
    }
    p->magic = POOL_MAGIC;
    return RTM_OK;
}

/* The pool is dying: nothing can be allocated from here on, so the waiters
 * that rtm_waitq_drain() wakes give up with NULL. */
static void retire_pool(void *obj)
{
    rtm_pool_t *p = obj;
    p->capacity = 0;
    p->head = RTM_POOL_NIL;
    p->hot = NULL;
    p->last = NULL;
    p->signal_free = 1u; /* a free now wakes the waiters that are leaving */
    p->magic = 0;
}

rtm_err_t rtm_pool_deinit(rtm_pool_t *p)
{
    if (p == NULL) {
        return RTM_ERR_NULL;
    }
    if (p->magic != POOL_MAGIC) {
        return RTM_ERR_STATE;
    }
    bool locked = pool_lock(p);
    if (locked) {
        rtm_waitq_t *const qs[] = {&p->waitq};
        rtm_err_t err = rtm_waitq_drain(qs, 1u, retire_pool, p);
        if (err != RTM_OK) {
            pool_unlock(locked);
            return err;
        }
    }
    p->magic = 0;
    p->capacity = 0;
    p->span = 0;
    p->mark = 0;
    p->head = RTM_POOL_NIL;
    p->hot = NULL;
    p->last = NULL;
    p->nfree = 0;
#if RTMEM_CFG_POOL_LOCKFREE
    atomic_store(&p->lf_head, (rtm_pool_tagged_t)LF_NIL);
    atomic_store(&p->lf_mark, 0u);
#endif
    if (locked) {
        rtm_waitq_destroy(&p->waitq);
    }
    pool_unlock(locked);
    return RTM_OK;
}

/* ---- Allocation and free ----------------------------------------------------- */

#define MODE_MASK (RTM_POOL_NOLOCK | RTM_POOL_LOCKFREE)

void *rtm_pool_alloc(rtm_pool_t *p)
{
    if (p == NULL) {
        return NULL;
    }
    if ((p->flags & MODE_MASK) == 0u) {
        rtm_port_enter();
        void *b = rtm_pool_alloc_unlocked(p);
        rtm_port_exit();
        return b;
    }
#if RTMEM_CFG_POOL_LOCKFREE
    if ((p->flags & RTM_POOL_LOCKFREE) != 0u) {
        void *b = take_lockfree(p);
        if (b == NULL) {
            (void)atomic_fetch_add_explicit(&p->lf_failed, (size_t)1u, memory_order_relaxed);
        }
        return b;
    }
#endif
    return rtm_pool_alloc_unlocked(p);
}

void *rtm_pool_calloc(rtm_pool_t *p)
{
    void *b = rtm_pool_alloc(p);
    if (b != NULL) {
        memset(b, 0, p->stride);
    }
    return b;
}

/* One attempt inside the critical section, without counting a failure. */
static void *try_take(rtm_pool_t *p)
{
#if RTMEM_CFG_POOL_LOCKFREE
    if (is_lockfree(p)) {
        return take_lockfree(p);
    }
#endif
    return has_free_locked(p) ? rtm_pool_alloc_unlocked(p) : NULL;
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
    /* seq_cst, paired with the push in give_lockfree(): either our next look
     * at the head sees a block freed lock-free, or that free sees us waiting
     * and signals under the lock. */
    (void)atomic_fetch_add(&p->lf_waiting, 1u);
#endif
    for (;;) {
        b = try_take(p);
        if (b != NULL || p->magic != POOL_MAGIC) {
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
    (void)atomic_fetch_sub(&p->lf_waiting, 1u);
    if (b == NULL && is_lockfree(p)) {
        (void)atomic_fetch_add_explicit(&p->lf_failed, (size_t)1u, memory_order_relaxed);
        return NULL;
    }
#endif
    if (b == NULL) {
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
        rtm_port_depth() != 0u) {
        return rtm_pool_alloc(p); /* cannot block here */
    }
    rtm_port_enter();
    void *b = alloc_wait(p, timeout);
    rtm_port_exit();
    return b;
}

rtm_err_t rtm_pool_free(rtm_pool_t *p, void *block)
{
    if (p == NULL) {
        return RTM_ERR_NULL;
    }
    if ((p->flags & MODE_MASK) == 0u) {
        rtm_port_enter();
        rtm_err_t err = rtm_pool_free_unlocked(p, block);
        rtm_port_exit();
        return err;
    }
#if RTMEM_CFG_POOL_LOCKFREE
    if ((p->flags & RTM_POOL_LOCKFREE) != 0u) {
        rtm_err_t err = give_lockfree(p, block);
        return err == RTM_OK ? RTM_OK : rtm_pool_reject_(p, err, block);
    }
#endif
    return rtm_pool_free_unlocked(p, block);
}

/* ---- Queries ------------------------------------------------------------------ */

size_t rtm_pool_capacity(const rtm_pool_t *p) { return p == NULL ? 0u : p->capacity; }

size_t rtm_pool_block_size(const rtm_pool_t *p) { return p == NULL ? 0u : p->stride; }

static uint32_t used_now(const rtm_pool_t *p)
{
#if RTMEM_CFG_POOL_LOCKFREE
    if (is_lockfree(p)) {
        return atomic_load_explicit(&((rtm_pool_t *)(uintptr_t)p)->lf_used, memory_order_relaxed);
    }
#endif
    /* Three fields: read them under the lock so that an alloc and a free by
     * another thread between the reads cannot show a wrapped count. */
    bool locked = pool_lock(p);
    uint32_t used = (uint32_t)counted_used(p);
    pool_unlock(locked);
    return used;
}

size_t rtm_pool_used(const rtm_pool_t *p) { return p == NULL ? 0u : used_now(p); }

size_t rtm_pool_available(const rtm_pool_t *p)
{
    if (p == NULL) {
        return 0u;
    }
    uint32_t u = used_now(p);
    return u >= p->capacity ? 0u : (size_t)(p->capacity - u);
}

bool rtm_pool_owns(const rtm_pool_t *p, const void *ptr)
{
    uint32_t i;
    return p != NULL && locate(p, ptr, &i) == RTM_OK;
}

void rtm_pool_set_fault_hook(rtm_pool_t *p, rtm_fault_fn hook, void *user)
{
    if (p != NULL) {
        p->fault.hook = hook;
        p->fault.user = user;
    }
}

static void snapshot(const rtm_pool_t *p, rtm_pool_stats_t *s)
{
    s->capacity = p->capacity;
    s->block_size = p->stride;
    s->used = counted_used(p);
    s->peak_used = p->mark; /* see rtm_pool_t */
    s->failed_allocs = p->failed;
    s->invalid_frees = p->invalid;
#if RTMEM_CFG_POOL_LOCKFREE
    if (is_lockfree(p)) {
        rtm_pool_t *q = (rtm_pool_t *)(uintptr_t)p; /* atomics loads need non-const */
        s->used = atomic_load(&q->lf_used);
        s->peak_used = atomic_load(&q->lf_peak);
        s->failed_allocs = atomic_load(&q->lf_failed);
    }
#endif
    s->free = s->used >= s->capacity ? 0u : s->capacity - s->used;
}

rtm_err_t rtm_pool_get_stats(const rtm_pool_t *p, rtm_pool_stats_t *s)
{
    if (p == NULL || s == NULL) {
        return RTM_ERR_NULL;
    }
    bool locked = pool_lock(p);
    snapshot(p, s);
    pool_unlock(locked);
    return RTM_OK;
}

rtm_err_t rtm_pool_stats(const rtm_pool_t *p, rtm_stats_t *s)
{
    rtm_pool_stats_t ps;
    if (s == NULL) {
        return RTM_ERR_NULL;
    }
    rtm_err_t err = rtm_pool_get_stats(p, &ps);
    if (err != RTM_OK) {
        return err;
    }
    s->total_bytes = ps.capacity * ps.block_size;
    s->free_bytes = ps.free * ps.block_size;
    s->min_ever_free = (ps.capacity - ps.peak_used) * ps.block_size;
    s->largest_free = ps.free != 0u ? ps.block_size : 0u;
    s->smallest_free = s->largest_free;
    s->free_blocks = ps.free;
    s->used_blocks = ps.used;
    s->alloc_count = 0u; /* pools do not count operations (see rtm_pool_t) */
    s->free_count = 0u;
    s->failed_allocs = ps.failed_allocs;
    s->faults = p->fault.count;
    return RTM_OK;
}

/* ---- Integrity check (read-only) ------------------------------------------------ */

typedef struct view {
    uint32_t head, mark, used, peak; /* head in RTM_POOL_NIL form */
    uint32_t listed;                 /* blocks the list must hold */
    uint32_t hot;                    /* 1 when the hot slot holds a block */
} view_t;

static uint32_t next_of(const rtm_pool_t *p, uint32_t i)
{
#if RTMEM_CFG_POOL_LOCKFREE
    if (is_lockfree(p)) {
        uint32_t n = atomic_load_explicit(&lf_links(p)[i], memory_order_relaxed);
        return n == LF_NIL ? RTM_POOL_NIL : n;
    }
#endif
    return link_get(block_at(p, i));
}

static view_t read_view(const rtm_pool_t *p)
{
    /* used as the fields give it: corrupt ones may exceed 32 bits */
    size_t used = counted_used(p);
    view_t v = {p->head, p->mark, used > UINT32_MAX ? UINT32_MAX : (uint32_t)used, p->mark,
                p->nfree, p->hot != NULL ? 1u : 0u};
#if RTMEM_CFG_POOL_LOCKFREE
    if (is_lockfree(p)) {
        rtm_pool_t *q = (rtm_pool_t *)(uintptr_t)p;
        uint32_t h = lf_index(atomic_load(&q->lf_head));
        v.head = h == LF_NIL ? RTM_POOL_NIL : h;
        v.mark = atomic_load(&q->lf_mark);
        v.used = atomic_load(&q->lf_used);
        v.peak = atomic_load(&q->lf_peak);
        v.listed = v.used <= v.mark ? v.mark - v.used : 0u;
        v.hot = 0u;
    }
#endif
    return v;
}

static uint32_t bitmap_word(const rtm_pool_t *p, size_t w)
{
#if RTMEM_CFG_POOL_LOCKFREE
    if (is_lockfree(p)) {
        return atomic_load_explicit(&lf_bitmap(p)[w], memory_order_relaxed);
    }
#endif
    return p->bitmap[w];
}

static rtm_err_t check_bitmap(const rtm_pool_t *p, const view_t *v, rtm_check_t *r)
{
    size_t set = 0;
    for (size_t w = 0; w < RTM_POOL_BITMAP_BYTES(p->capacity) / 4u; w++) {
        uint32_t bits = bitmap_word(p, w);
        for (uint32_t b = 0; b < 32u; b++) {
            if ((bits & (1u << b)) == 0u) {
                continue;
            }
            if (w * 32u + b >= v->mark) {
                return rtm_check_fail(r, RTM_ERR_CORRUPT, block_at(p, (uint32_t)(w * 32u + b)),
                                      "bitmap marks a never-used block allocated");
            }
            set++;
        }
    }
    if (set != (size_t)v->used + v->hot) { /* the hot block keeps its bit */
        return rtm_check_fail(r, RTM_ERR_CORRUPT, p->bitmap,
                              "bitmap count differs from the used counter");
    }
    return RTM_OK;
}

/* Locked modes: what `signal_free` must hold (see rtm_pool_t). */
static uint8_t expected_signal(const rtm_pool_t *p)
{
    bool waiting = (p->flags & RTM_POOL_NOLOCK) == 0u && rtm_waitq_waiters(&p->waitq) != 0u;
    return waiting ? 1u : 0u;
}

/* A slot's block (hot or last) must be a handed-out block, marked in the
 * bitmap; its index into *idx (the list walk then checks it is not listed
 * too). A NULL slot passes with *idx = RTM_POOL_NIL. */
static rtm_err_t check_slot(const rtm_pool_t *p, const view_t *v, const void *b,
                            uint32_t *idx, rtm_check_t *r)
{
    *idx = RTM_POOL_NIL;
    if (b == NULL) {
        return RTM_OK;
    }
    if (locate(p, b, idx) != RTM_OK || *idx >= v->mark) {
        return rtm_check_fail(r, RTM_ERR_CORRUPT, b, "hot or last block is not a handed-out block");
    }
    if (!marked(p, *idx)) {
        return rtm_check_fail(r, RTM_ERR_CORRUPT, b, "hot or last block clear in the bitmap");
    }
    return RTM_OK;
}

/* Locked modes: both slots valid, and never both taken (see rtm_pool_t). */
static rtm_err_t check_slots(const rtm_pool_t *p, const view_t *v, uint32_t *hot,
                             uint32_t *last, rtm_check_t *r)
{
    rtm_err_t err = check_slot(p, v, p->hot, hot, r);
    if (err == RTM_OK) {
        err = check_slot(p, v, p->last, last, r);
    }
    if (err == RTM_OK && p->last != NULL && p->hot != NULL) {
        err = rtm_check_fail(r, RTM_ERR_CORRUPT, p->last, "a last block while the hot slot is taken");
    }
    return err;
}

rtm_err_t rtm_pool_check(const rtm_pool_t *p, rtm_check_t *r)
{
    rtm_check_t dummy;
    if (r == NULL) {
        r = &dummy;
    }
    memset(r, 0, sizeof *r);
    r->what = "ok";
    if (p == NULL) {
        return rtm_check_fail(r, RTM_ERR_NULL, NULL, "pool is NULL");
    }
    if (p->magic != POOL_MAGIC) {
        return rtm_check_fail(r, RTM_ERR_STATE, p, "pool is not initialised");
    }
    bool locked = pool_lock(p);
    view_t v = read_view(p);
    rtm_err_t err = RTM_OK;
    if (v.mark > p->capacity || (size_t)v.listed + v.hot > v.mark || v.used > v.mark ||
        v.peak < v.used || v.peak > p->capacity) {
        err = rtm_check_fail(r, RTM_ERR_CORRUPT, p, "counters out of range");
    } else if (!is_lockfree(p) && p->signal_free != expected_signal(p)) {
        /* clear while threads wait, a free could leave them asleep */
        err = rtm_check_fail(r, RTM_ERR_CORRUPT, p, "wake-on-free flag differs from the waiters");
    }
    uint32_t hot = RTM_POOL_NIL, last = RTM_POOL_NIL;
    if (err == RTM_OK && !is_lockfree(p)) {
        err = check_slots(p, &v, &hot, &last, r);
    }
    size_t walked = 0;
    for (uint32_t i = v.head; err == RTM_OK && i != RTM_POOL_NIL; i = next_of(p, i)) {
        if (i >= v.mark) {
            err = rtm_check_fail(r, RTM_ERR_CORRUPT, p, "free-list link outside the used blocks");
        } else if (++walked > v.listed) {
            err = rtm_check_fail(r, RTM_ERR_CORRUPT, block_at(p, i),
                                 "free list longer than the counters allow (cycle?)");
        } else if (i == hot || i == last) {
            err = rtm_check_fail(r, RTM_ERR_CORRUPT, block_at(p, i),
                                 "the hot or last block is also on the free list");
        } else if (p->bitmap != NULL && (bitmap_word(p, i >> 5) & (1u << (i & 31u))) != 0u) {
            err = rtm_check_fail(r, RTM_ERR_CORRUPT, block_at(p, i),
                                 "free-listed block marked allocated in the bitmap");
        }
    }
    if (err == RTM_OK && walked != v.listed) {
        err = rtm_check_fail(r, RTM_ERR_CORRUPT, p, "free list shorter than the counters say");
    }
    if (err == RTM_OK && p->bitmap != NULL) {
        err = check_bitmap(p, &v, r);
    }
    r->blocks = v.mark;
    r->free_blocks = walked + v.hot + (p->capacity - v.mark);
    r->free_bytes = r->free_blocks * p->stride;
    pool_unlock(locked);
    return err;
}
