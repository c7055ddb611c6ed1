/*
 * rtm_pool: fixed-size blocks in O(1), the locked modes (default and
 * RTM_POOL_NOLOCK). See include/rtmem/pool.h for the layout, the sizing rule
 * and the modes; pool_lockfree.c holds the lock-free mode, pool_wait.c the
 * blocking allocation, pool_check.c the queries, statistics and the
 * integrity check.
 *
 * State of the blocks, by index:
 *
 *   0 ............................ mark ................ capacity
 *   [ handed out at least once    ][ never used (watermark) ]
 *     allocated, or on the free list (LIFO, newest first)
 *
 * Allocation pops the free list, else takes block `mark` and bumps it; so
 * init is O(1) and a fresh pool needs no free-list threading.
 *
 * A listed block's first word holds the next index XOR the pool's key. The
 * key makes a stray write into a freed block decode, almost always, to an
 * index outside [0, mark), which the pop refuses before following it; and it
 * is the tag that lets a pool without a bitmap detect a double free: a block
 * whose word decodes to a valid link may be free, and only then is the list
 * walked to confirm (so the normal free stays O(1)).
 */
#include "rtmem/pool.h"

#include <limits.h>
#include <string.h>

#include "pool_internal.h"
#include "port_section.h"

_Static_assert(RTMEM_CFG_POOL_FREE_BITMAP == 0 || RTMEM_CFG_POOL_FREE_BITMAP == 1,
               "RTMEM_CFG_POOL_FREE_BITMAP must be 0 or 1");
_Static_assert(RTMEM_CFG_POOL_LOCKFREE == 0 || RTMEM_CFG_POOL_LOCKFREE == 1,
               "RTMEM_CFG_POOL_LOCKFREE must be 0 or 1");
_Static_assert(RTM_POOL_STRIDE(1, 0) == 4u && RTM_POOL_STRIDE(5, 0) == 8u &&
                   RTM_POOL_STRIDE(12, 8) == 16u && RTM_POOL_STRIDE(32, 16) == 32u,
               "stride formula");

#if RTMEM_CFG_POOL_LOCKFREE && defined(__GNUC__)
/* Weak references: they pull nothing from the library, so the lock-free mode
 * (pool_lockfree.c) is linked only when rtm_pool_init_lockfree_() is, i.e.
 * when the firmware makes a lock-free pool; only such a pool reaches them. */
__attribute__((weak)) void rtm_pool_lf_reset_(rtm_pool_t *p);
#endif

#if defined(__GNUC__)
/* The double-free test of a pool without a bitmap (pool_walk.c) has a weak
 * stand-in here: rtm_pool_init_nobitmap_() links the real one, which takes
 * its place, so a firmware whose pools all have a bitmap (RTM_POOL_DEFAULT)
 * does not link the walk. The stand-in, which no pool made by
 * rtm_pool_init() can reach, says "listed": the free is refused, the pool
 * untouched. (GCC never inlines a weak function, so the call stays.) */
__attribute__((weak)) bool rtm_pool_listed_(const rtm_pool_t *p, uint32_t i)
{
    (void)p;
    (void)i;
    return true;
}
#endif

/* ---- Block helpers ----------------------------------------------------------- */

/* The key listed blocks' words are XORed with (see the top of this file):
 * derived from the pool's address, so two pools differ. */
static inline uint32_t link_key(const rtm_pool_t *p)
{
    return (uint32_t)(uintptr_t)p->base ^ 0x5A5A5A5Au;
}

/* A block's first word, through memcpy (the block holds the caller's data
 * type), told 4-aligned (stride and base are): a core without unaligned
 * access (ARMv6-M) then loads or stores it in one instruction, no call. */
#if defined(__GNUC__)
#define BLOCK_WORD(ptr) __builtin_assume_aligned((ptr), 4)
#else
#define BLOCK_WORD(ptr) (ptr)
#endif

static inline uint32_t link_of(const rtm_pool_t *p, uint32_t i)
{
    uint32_t v;
    memcpy(&v, BLOCK_WORD(pool_block(p, i)), sizeof v);
    return v ^ link_key(p);
}

uint32_t rtm_pool_link_(const rtm_pool_t *p, uint32_t i)
{
    return link_of(p, i);
}

/* Forced inline: out-of-line copies cost the minimal link bytes. */
#if defined(__GNUC__)
#define POOL_INLINE static inline __attribute__((always_inline))
#else
#define POOL_INLINE static inline
#endif

/* Whether `ptr`, whose block index (rtm_pool_index_) is i, starts a block:
 * RTM_OK, or why not. One body for rtm_pool_locate_ and the free's refusal,
 * which already holds i. */
POOL_INLINE rtm_err_t classify(const rtm_pool_t *p, const void *ptr, size_t i)
{
    if (ptr == NULL) {
        return RTM_ERR_NULL;
    }
    if ((uintptr_t)ptr - (uintptr_t)p->base >= p->span) { /* wraps when below */
        return RTM_ERR_FOREIGN_PTR;
    }
    /* inside the span: off a block boundary unless i is a block */
    return i >= p->capacity ? RTM_ERR_INTERIOR_PTR : RTM_OK;
}

rtm_err_t rtm_pool_locate_(const rtm_pool_t *p, const void *ptr, uint32_t *idx)
{
    size_t i = rtm_pool_index_(p, ptr);
    rtm_err_t why = classify(p, ptr, i);
    if (why == RTM_OK) {
        *idx = (uint32_t)i;
    }
    return why;
}

/* ---- Locked modes: rtm_pool_alloc_unlocked / rtm_pool_free_unlocked (pool.h) */

/* The free list cannot be followed: its head or the head's link is out of
 * range, or the link disagrees with the count (a stray write into a freed
 * block, or a zeroed, never initialised pool, whose head 0 is not below its
 * mark 0: then no fault, see rtm_pool_reject_). Nothing is changed; NULL. */
static void *refuse_take(rtm_pool_t *p)
{
    (void)rtm_pool_reject_(p, RTM_ERR_CORRUPT, true, pool_block(p, p->head));
    return NULL;
}

/* Every alloc but the inline path's one: the gate, the hot block, the free
 * list (its link range-checked before it is followed), the watermark, or
 * NULL. Called with the pool serialised, as the inline path is. The hot slot
 * is empty after any of them, so the block handed out becomes `last` (its
 * free refills the slot unchecked), except while threads wait: then every
 * free must take rtm_pool_give_(), which wakes one. */
void *rtm_pool_take_(rtm_pool_t *p)
{
    if (RTM_GATE(&p->fault, p, p->stride)) {
        p->failed++;
        return NULL;
    }
    void *b = p->hot;
    if (b != NULL) {
        p->hot = NULL;
    } else {
        uint32_t i = p->head;
        if (i != RTM_POOL_NIL) {
            if (i >= p->mark) {
                return refuse_take(p);
            }
            uint32_t next = link_of(p, i);
            if (p->nfree == 1u ? next != RTM_POOL_NIL : next >= p->mark) {
                return refuse_take(p);
            }
            p->head = next;
            p->nfree--;
        } else if (p->mark < p->capacity) {
            i = p->mark++;
        } else {
            p->failed++;
            RTM_EVENT(RTM_EV_FAIL, p, NULL, NULL, p->stride);
            return NULL;
        }
        RTM_ASSERT(i < p->mark && p->mark <= p->capacity); /* range-checked above */
        if (p->bitmap != NULL) {
            p->bitmap[i >> 5] |= (uint32_t)1u << (i & 31u);
        }
        b = pool_block(p, i);
    }
    /* where nothing blocks (RTM_WAITQ_BLOCKS 0), signal_free is set only
     * inside alloc_wait's own critical section, never while a call is here */
    if (!RTM_WAITQ_BLOCKS || p->signal_free == 0u) {
        p->last = b;
    }
    RTM_EVENT(RTM_EV_ALLOC, p, b, NULL, p->stride);
    return b;
}

/* Every free but the inline path's one (see rtm_pool_t's hot and last),
 * though the called free takes that one here too, first. Bad input is
 * refused: not a handed-out block, the hot block again, or a block already
 * free. A good block goes onto the free list (newest first, under the hot
 * block, which an alloc takes before the list) and, while threads wait, one
 * waiter wakes. The slots are left as they are: `last` is still allocated
 * and the hot slot unchanged. Called with the pool serialised. */
rtm_err_t rtm_pool_give_(rtm_pool_t *p, void *block)
{
    if (block != NULL && block == p->last) {
        /* the inline free's case, for the called rtm_pool_free(): the block
         * the hot slot handed out goes back to the empty slot, no check */
        RTM_EVENT(RTM_EV_FREE, p, block, NULL, 0u);
        p->hot = block;
        p->last = NULL;
        return RTM_OK;
    }
    size_t i = rtm_pool_index_(p, block);
    if (i >= p->mark) {
        rtm_err_t why = classify(p, block, i); /* a block never handed out: */
        return rtm_pool_reject_(p, why == RTM_OK ? RTM_ERR_DOUBLE_FREE : why, false, block);
    }
    /* allocated: not the hot block, and its bitmap bit set (which the push
     * clears) or, with no bitmap, not on the free list (pool_walk.c, or the
     * weak stand-in above) */
    uint32_t *word = p->bitmap;
    uint32_t bit = (uint32_t)1u << (i & 31u);
    if (word != NULL) {
        word += i >> 5;
    }
    if (block == p->hot ||
        (word != NULL ? (*word & bit) == 0u : rtm_pool_listed_(p, (uint32_t)i))) {
        return rtm_pool_reject_(p, RTM_ERR_DOUBLE_FREE, false, block);
    }
    RTM_EVENT(RTM_EV_FREE, p, block, NULL, 0u);
    if (word != NULL) {
        *word &= ~bit;
    }
    uint32_t link = p->head ^ link_key(p); /* onto the list, newest first */
    memcpy(BLOCK_WORD(block), &link, sizeof link);
    p->head = (uint32_t)i;
    p->nfree++;
    if (RTM_WAITQ_BLOCKS && p->signal_free != 0u) {
        rtm_waitq_signal(&p->waitq); /* a no-op where nothing blocks */
    }
    return RTM_OK;
}

/* Raise the fault for a refused call, counting a refused allocation
 * (`alloc`) as failed first, as the hook may read the statistics; the pool
 * is otherwise untouched. A pool that was never initialised (or was
 * destroyed) gives RTM_ERR_STATE and no fault: its fault state is not a
 * pool's. One body for the refused alloc and the refused free, which the
 * minimal link pays once. Called with the pool serialised (the lock-free
 * mode takes the port's section for it). */
rtm_err_t rtm_pool_reject_(rtm_pool_t *p, rtm_err_t why, bool alloc, const void *ptr)
{
    if (p->magic != POOL_MAGIC) {
        return RTM_ERR_STATE;
    }
    p->failed += alloc;
    return rtm_fault_raise(&p->fault, why, p, ptr);
}

/* ---- Init and deinit --------------------------------------------------------- */

/* stride = d << tz with d odd; inv = 1/d modulo 2^N by Newton's iteration,
 * which doubles the correct low bits each step: d is its own inverse to 3
 * bits, so 5 steps give 96 >= 64. A fixed number of steps: O(1). */
POOL_INLINE void set_divisor(rtm_pool_t *p, size_t stride)
{
#if defined(__GNUC__) && SIZE_MAX == UINT_MAX && (!defined(__arm__) || defined(__ARM_FEATURE_CLZ))
    uint8_t tz = (uint8_t)__builtin_ctz(stride); /* stride != 0 */
#elif defined(__GNUC__) && SIZE_MAX == ULONG_MAX && !defined(__arm__)
    uint8_t tz = (uint8_t)__builtin_ctzl(stride);
#else
    uint8_t tz = 0;
    while (((stride >> tz) & 1u) == 0u) {
        tz++; /* stride != 0: at most the bit width of size_t steps */
    }
#endif
    size_t d = stride >> tz, inv = d;
    for (unsigned k = 0; k < 5u; k++) {
        inv *= 2u - d * inv;
    }
    RTM_ASSERT(d * inv == 1u);
    p->tz = tz;
    p->inv = inv;
}

/* The stride for block_size and align, or 0 when it overflows. */
POOL_INLINE size_t stride_of(size_t block_size, size_t align)
{
    size_t mask = RTM_POOL_ALIGN(align) - 1u;
    /* when the sum wraps, the rounded value is 0: below any real stride */
    size_t s = ((block_size > 4u ? block_size : 4u) + mask) & ~mask;
    return s - 1u < SIZE_MAX - 4u ? s : 0u;
}

size_t rtm_pool_mem_size(size_t count, size_t block_size, size_t align, unsigned flags)
{
    if (block_size == 0u || (align != 0u && !RTM_IS_POW2(align))) {
        return 0u;
    }
    size_t stride = stride_of(block_size, align);
    if (stride == 0u) {
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

/* n / d, and n % d in *rem (d != 0). A core without a divide instruction
 * (ARMv6-M) would link the C library's division routines, larger than this
 * loop by far: there shift and subtract, a fixed number of steps (the bits
 * of size_t); init is the only user. */
static size_t div_rem(size_t n, size_t d, size_t *rem)
{
#if defined(__arm__) && !defined(__ARM_FEATURE_IDIV)
    size_t q = 0;
    for (unsigned k = (unsigned)sizeof(size_t) * 8u; k-- != 0u;) {
        if ((n >> k) >= d) { /* then d << k <= n: no wrap */
            n -= d << k;
            q |= (size_t)1u << k;
        }
    }
    *rem = n;
    return q;
#else
    *rem = n % d;
    return n / d;
#endif
}

/* Most blocks of `per` bytes (plus a 4-byte bitmap word per 32 blocks or
 * part of 32 when `bitmap`) that fit in `bytes`. O(1). Whole groups of 32
 * blocks and their word first, then the blocks of one more word in the rest
 * (fewer than 32: the rest is smaller than a group). A stride so large that
 * a group would wrap has no whole group in any buffer (a huge stride once
 * made it wrap to a tiny group: thousands of blocks "fitted" in a few bytes). */
POOL_INLINE size_t fit_count(size_t bytes, size_t per, bool bitmap)
{
    size_t word = bitmap ? 4u : 0u;
    size_t n = 0, rest = bytes;
    if (per <= SIZE_MAX / 64u) {
        size_t group = 32u * per + word; /* 32 blocks and their bitmap word */
        n = div_rem(bytes, group, &rest) * 32u;
    }
    return n + (rest > word ? div_rem(rest - word, per, &rest) : 0u);
}

/* The init both modes share: arguments, layout, counters. `lockfree` is a
 * constant at each of the two call sites below, so the locked mode's init
 * carries none of the lock-free layout (the side links, 16-bit indices). */
POOL_INLINE rtm_err_t init_layout(rtm_pool_t *p, void *mem, size_t mem_size, size_t block_size,
                                  size_t align, uint32_t count, unsigned flags, bool lockfree)
{
    size_t extra = lockfree ? 4u : 0u; /* the side links */
    /* a mode's flags: unknown ones, and LOCKFREE with NOLOCK, are refused */
    unsigned allowed = RTM_POOL_BITMAP | (lockfree ? RTM_POOL_LOCKFREE : RTM_POOL_NOLOCK);
    if (p == NULL || mem == NULL) {
        return RTM_ERR_NULL;
    }
    if (block_size == 0u || (align & (align - 1u)) != 0u /* 0 or a power of two */ ||
        (flags & ~allowed) != 0u ||
        ((uintptr_t)mem & (RTM_POOL_ALIGN(align) - 1u)) != 0u) {
        return RTM_ERR_ARG;
    }
    size_t stride = stride_of(block_size, align);
    if (stride == 0u) {
        return RTM_ERR_OVERFLOW;
    }
    size_t fit = fit_count(mem_size, stride + extra, (flags & RTM_POOL_BITMAP) != 0u);
    /* lock-free: 16-bit indices on 32-bit targets (see pool_lockfree.c) */
    size_t limit = extra != 0u && UINTPTR_MAX <= 0xFFFFFFFFu ? 0xFFFEu : 0xFFFFFFFDu;
    if (count > limit) {
        return RTM_ERR_ARG;
    }
    size_t n = count != 0u ? count : fit;
    /* as many as fit, up to the limit (which a locked pool reaches only
     * where size_t is wider than 32 bits: fit <= mem_size / 4) */
    if ((extra != 0u || SIZE_MAX > 0xFFFFFFFFu) && n > limit) {
        n = limit;
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
    uint8_t *tail = p->base + p->span + n * extra; /* after the lock-free links */
    if ((flags & RTM_POOL_BITMAP) != 0u) {
        p->bitmap = (uint32_t *)(void *)tail;
        memset(tail, 0, RTM_POOL_BITMAP_BYTES(n)); /* ceil(n/32) words: n/32 + 1 stores */
    }
    p->head = RTM_POOL_NIL;
    /* p->fault as rtm_fault_init() leaves it, all zero: the memset did it,
     * so the minimal link carries no call for it */
#if !RTM_WAITQ_ZERO_READY
    /* on the other ports the memset made the wait queue ready (port.h) */
    if ((flags & RTM_POOL_NOLOCK) == 0u) {
        rtm_err_t err = rtm_waitq_init(&p->waitq);
        if (err != RTM_OK) {
            return err;
        }
    }
#endif
    p->magic = POOL_MAGIC;
    return RTM_OK;
}

rtm_err_t rtm_pool_init_locked_(rtm_pool_t *p, void *mem, size_t mem_size, size_t block_size,
                                size_t align, uint32_t count, unsigned flags)
{
    /* rtm_pool_init() sends RTM_POOL_LOCKFREE to rtm_pool_init_lockfree_(),
     * so init_layout refuses it here */
    return init_layout(p, mem, mem_size, block_size, align, count, flags, false);
}

rtm_err_t rtm_pool_init_lf_layout_(rtm_pool_t *p, void *mem, size_t mem_size, size_t block_size,
                                   size_t align, uint32_t count, unsigned flags)
{
    return init_layout(p, mem, mem_size, block_size, align, count, flags, true);
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
    if (pool_is_lockfree(p)) {
        rtm_pool_lf_reset_(p);
    }
#endif
    if (locked) {
        rtm_waitq_destroy(&p->waitq);
    }
    pool_unlock(locked);
    return RTM_OK;
}

/* ---- Allocation and free ----------------------------------------------------- */

/* The calls of a pool in a mode without the port's lock: NOLOCK, or
 * lock-free where compiled. Under GCC rtm_pool_alloc_mode_ and
 * rtm_pool_free_mode_ are weak stand-ins here that know NOLOCK only: the
 * lock-free source, which rtm_pool_init_lockfree_() links, holds the real
 * ones, which also send a lock-free pool to its own code. So the default
 * mode's alloc and free make one test for both modes and link neither. */
#if RTMEM_CFG_POOL_LOCKFREE
#if defined(__GNUC__)
__attribute__((weak)) void *rtm_pool_alloc_mode_(rtm_pool_t *p)
{
    return rtm_pool_take_(p);
}

__attribute__((weak)) rtm_err_t rtm_pool_free_mode_(rtm_pool_t *p, void *block)
{
    return rtm_pool_give_(p, block);
}
#endif
#define OTHER_MODES (RTM_POOL_LOCKFREE | RTM_POOL_NOLOCK)
#define ALLOC_MODE(p) rtm_pool_alloc_mode_(p)
#define FREE_MODE(p, block) rtm_pool_free_mode_((p), (block))
#else
#define OTHER_MODES RTM_POOL_NOLOCK
#define ALLOC_MODE(p) rtm_pool_take_(p)
#define FREE_MODE(p, block) rtm_pool_give_((p), (block))
#endif

void *rtm_pool_alloc(rtm_pool_t *p)
{
    if (p == NULL) {
        return NULL;
    }
    if ((p->flags & OTHER_MODES) != 0u) {
        return ALLOC_MODE(p);
    }
    rtm_section_t s = rtm_section_enter_();
    void *b = rtm_pool_take_(p); /* the inline path's work, out of line: smaller */
    rtm_section_exit_(s);
    return b;
}

void *rtm_pool_calloc(rtm_pool_t *p)
{
    void *b = rtm_pool_alloc(p);
    if (b != NULL) {
        memset(b, 0, p->stride);
    }
    return b;
}

rtm_err_t rtm_pool_free(rtm_pool_t *p, void *block)
{
    if (p == NULL) {
        return RTM_ERR_NULL;
    }
    if ((p->flags & OTHER_MODES) != 0u) {
        return FREE_MODE(p, block);
    }
    rtm_section_t s = rtm_section_enter_();
    rtm_err_t err = rtm_pool_give_(p, block); /* checked, and the hot slot filled */
    rtm_section_exit_(s);
    return err;
}
