/*
 * rtm_pool: fixed-size block pool. Every allocation and free is O(1), and so
 * is creation: never-used blocks are handed out from a watermark, freed ones
 * are recycled through a free list, so no pass over the blocks ever happens.
 *
 * Memory layout inside the caller's buffer (`mem`, aligned to the block
 * alignment):
 *
 *   [block 0][block 1]...[block N-1][links: N x 4 B][bitmap: ceil(N/32) x 4 B]
 *                                    ^ lock-free only ^ RTM_POOL_BITMAP only
 *
 * Block size formula (the "stride", what every block really occupies):
 *   align  = max(requested alignment, 4)          (4 if the request is 0)
 *   stride = round_up(max(block_size, 4), align)
 * Memory a pool of N blocks needs: RTM_POOL_MEM_SIZE(N, block_size, align,
 * flags) = N * stride + (LOCKFREE ? 4 N : 0) + (BITMAP ? 4 ceil(N/32) : 0).
 *
 * Locking modes, chosen per pool at init:
 *   default           the port's pool/queue section (rtm_port_lock/unlock)
 *                     around each call: safe from threads and interrupts
 *                     under every port (cortex_m: interrupt masking; freertos:
 *                     taskENTER_CRITICAL, or its FROM_ISR form in an
 *                     interrupt); blocking allocation with a timeout through
 *                     the port's wait queue (threads only).
 *   RTM_POOL_LOCKFREE C11 atomics: a Treiber stack whose head packs a block
 *                     index and a generation tag in one atomic word (ABA-safe;
 *                     64-bit word with a 32-bit index on 64-bit hosts, 32-bit
 *                     word with a 16-bit index, so at most 65534 blocks, on
 *                     32-bit targets). Needs RTMEM_CFG_POOL_LOCKFREE=1, which
 *                     ARMv6-M (Cortex-M0/M0+, no LDREX/STREX) rejects at
 *                     compile time. The free list links live in a side array
 *                     so no thread ever reads a link inside a block another
 *                     thread owns. Blocking waits still use the port.
 *   RTM_POOL_NOLOCK   no locking at all: the caller serialises every call
 *                     (one thread, or its own lock). The fastest path; no
 *                     blocking.
 *
 * Bad input to rtm_pool_free (NULL, a foreign pointer, an interior pointer, a
 * block never handed out, a double free) is reported through rtm_fault_raise()
 * and the pool is left untouched. A double free is caught in every mode: with
 * a bitmap in O(1); without one through the freed block's own first word (the
 * free-list link, XORed with a per-pool key), confirmed by a walk of the free
 * list only when that word looks like a link, so the normal free stays O(1);
 * in lock-free mode by the block's side link, O(1). A stray write into a freed
 * block never makes alloc follow a link outside [0, watermark) or hand out a
 * block outside the pool: the link is range-checked first and the damage
 * reported as RTM_ERR_CORRUPT (lock-free links live outside the blocks). An
 * uninitialised (zeroed) or destroyed pool gives NULL / RTM_ERR_STATE.
 *
 * Every allocating call passes the allocation gate (rtmem/hooks.h: rtm_seal,
 * no-alloc sections, failure injection) and, with RTMEM_CFG_EVENTS, reports
 * to the observer; the inline hot-slot pair tests one global word for both.
 *
 * The common pattern, take a block and give it back before the next, runs
 * through two slots in rtm_pool_t (hot, last): the free of the block the
 * newest alloc handed out is known valid and needs no check; every other free
 * is checked in full (range, boundary, handed out, not already free).
 *
 * Cost: `make bench-target` measures the W4 pair (inline and locked calls) in
 * Cortex-M instructions, `make paths` the longest rtm_pool_alloc/rtm_pool_free
 * paths (no loop: a bounded number of instructions), `make sizes` the
 * init+alloc+free link; the figures are in the generated reports, not here.
 * The lock-free mode retries its compare-and-swap under contention:
 * lock-free, O(1) per attempt, no bound.
 */
#ifndef RTMEM_POOL_H
#define RTMEM_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <string.h>

#include "rtmem/common.h"
#include "rtmem/hooks.h"
#include "rtmem/port.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Per-pool flags. */
#define RTM_POOL_BITMAP 0x1u   /* one allocation bit per block: O(1) double-free check */
#define RTM_POOL_LOCKFREE 0x2u /* lock-free mode (RTMEM_CFG_POOL_LOCKFREE) */
#define RTM_POOL_NOLOCK 0x4u   /* caller serialises; no port calls at all */

/* The flags RTM_POOL_STORAGE() sizes for: a bitmap when
 * RTMEM_CFG_POOL_FREE_BITMAP is 1, critical-section locking. */
#if RTMEM_CFG_POOL_FREE_BITMAP
#define RTM_POOL_DEFAULT RTM_POOL_BITMAP
#else
#define RTM_POOL_DEFAULT 0u
#endif

/* ---- Sizing rules (compile-time constants when the arguments are) -------- */

#define RTM_POOL_MIN_ALIGN 4u
#define RTM_POOL_ALIGN(align) ((size_t)(align) > RTM_POOL_MIN_ALIGN ? (size_t)(align) : RTM_POOL_MIN_ALIGN)
#define RTM_POOL_STRIDE(block_size, align)                                                  \
    RTM_ALIGN_UP(((size_t)(block_size) > 4u ? (size_t)(block_size) : (size_t)4u), RTM_POOL_ALIGN(align))
#define RTM_POOL_BITMAP_BYTES(count) ((((size_t)(count) + 31u) / 32u) * 4u)
#define RTM_POOL_MEM_SIZE(count, block_size, align, flags)                      \
    ((size_t)(count) * RTM_POOL_STRIDE(block_size, align) +                     \
     (((flags) & RTM_POOL_LOCKFREE) != 0u ? (size_t)(count) * 4u : (size_t)0u) + \
     (((flags) & RTM_POOL_BITMAP) != 0u ? RTM_POOL_BITMAP_BYTES(count) : (size_t)0u))

/* Declare correctly aligned storage for `count` blocks of type T:
 *   RTM_POOL_STORAGE(static, msg_mem, struct msg, 16);
 *   RTM_POOL_INIT_FOR(&pool, msg_mem, struct msg, RTM_POOL_DEFAULT);   */
#define RTM_POOL_STORAGE_FLAGS(storage, name, T, count, flags) \
    storage _Alignas(RTM_POOL_ALIGN(_Alignof(T))) uint8_t      \
        name[RTM_POOL_MEM_SIZE((count), sizeof(T), _Alignof(T), (flags))]
#define RTM_POOL_STORAGE(storage, name, T, count) \
    RTM_POOL_STORAGE_FLAGS(storage, name, T, count, RTM_POOL_DEFAULT)
#define RTM_POOL_INIT_FOR(pool, name, T, flags) \
    rtm_pool_init((pool), (name), sizeof(name), sizeof(T), _Alignof(T), 0u, (flags))

/* ---- The instance (fields are private; layout public for static allocation) */

#if RTMEM_CFG_POOL_LOCKFREE
#if UINTPTR_MAX > 0xFFFFFFFFu
typedef uint64_t rtm_pool_tagged_t; /* [generation:32][index:32] */
#else
typedef uint32_t rtm_pool_tagged_t; /* [generation:16][index:16] */
#endif
#endif

/* C++ (before C++23) has no _Atomic: there the lock-free fields, which only
 * pool.c touches, are declared as the plain types of the same size. */
#if defined(__cplusplus)
#define RTM_POOL_ATOMIC_(T) T
#else
#define RTM_POOL_ATOMIC_(T) _Atomic T
#endif

typedef struct rtm_pool {
    uint8_t *base;     /* block 0 */
    /* Locked modes, two slots that make the common alloc-then-free of one
     * block at a time touch neither the list, nor the bitmap, nor a counter,
     * nor the index arithmetic:
     * hot:  a freed block kept off the free list (NULL: none): the one the
     *       unchecked free of `last` gave back. An alloc takes it first; it
     *       keeps its bitmap bit; it counts as free.
     * last: NULL or the block the newest alloc handed out, while it is
     *       still allocated and the hot slot empty (an alloc empties the
     *       slot; a free into the slot clears `last`). So a free of exactly
     *       that block needs no check at all: it is known to be a valid,
     *       allocated block, and goes back to the empty hot slot (the inline
     *       free and rtm_pool_free() alike). Any other free takes the
     *       checked path, rtm_pool_give_(), which puts the block on the
     *       free list and leaves both slots as they are. */
    void *hot;
    void *last;
    size_t stride;     /* bytes per block (formula above) */
    size_t inv;        /* inverse of stride's odd factor, modulo 2^(bits of size_t) */
    uint32_t *bitmap;  /* NULL or 1 bit per block, 1 = allocated (or hot) */
    uint8_t tz;        /* trailing zero bits of stride: stride = odd factor << tz */
    uint8_t flags;     /* RTM_POOL_* */
    /* 1 while a thread waits in rtm_pool_alloc_timeout() (and then `hot` and
     * `last` are NULL, so every free takes rtm_pool_give_()): a good free goes
     * onto the list and wakes one waiter. Locked modes only. */
    uint8_t signal_free;
    uint8_t reserved;
    uint32_t capacity; /* blocks */
    uint32_t head;     /* first block of the free list or RTM_POOL_NIL (locked modes) */
    uint32_t mark;     /* blocks [mark, capacity) were never handed out */
    /* Locked modes keep no `used` or `peak` field: used = mark - nfree - (hot
     * != NULL), and peak == mark, because the watermark only moves while the
     * list and the hot slot are empty, i.e. while all blocks below it are in
     * use. */
    uint32_t nfree;    /* blocks on the free list (locked modes) */
    size_t span;       /* capacity * stride */
    void *links;       /* lock-free: one atomic next index per block */
    size_t failed;     /* allocation calls that returned NULL */
#if RTMEM_CFG_POOL_LOCKFREE
    RTM_POOL_ATOMIC_(rtm_pool_tagged_t) lf_head;
    RTM_POOL_ATOMIC_(uint32_t) lf_mark;
    RTM_POOL_ATOMIC_(uint32_t) lf_used;
    RTM_POOL_ATOMIC_(uint32_t) lf_peak;
    RTM_POOL_ATOMIC_(uint32_t) lf_waiting; /* threads in a blocking allocation */
    RTM_POOL_ATOMIC_(size_t) lf_failed;
#endif
    rtm_waitq_t waitq; /* blocked allocators */
    rtm_fault_t fault;
    uint32_t magic;    /* RTM_POOL_MAGIC while initialised */
} rtm_pool_t;

#define RTM_POOL_NIL UINT32_MAX

/* Bytes a pool of `count` blocks needs (the RTM_POOL_MEM_SIZE rule), or 0 if
 * that overflows or an argument is invalid (align not 0 or a power of two). O(1). */
size_t rtm_pool_mem_size(size_t count, size_t block_size, size_t align, unsigned flags);

/* Create a pool over `mem` (`mem_size` bytes, aligned to RTM_POOL_ALIGN(align);
 * any buffer: static storage or a block from any rtmem heap). `align` is 0 or
 * a power of two; `count` is the number of blocks, or 0 for as many as fit.
 * O(1): no pass over the blocks. Errors: RTM_ERR_NULL (p or mem NULL),
 * RTM_ERR_ARG (block_size 0, align not a power of two, mem misaligned, unknown
 * flags, LOCKFREE and NOLOCK together, too many blocks for lock-free mode),
 * RTM_ERR_NO_MEMORY (not even one block, or fewer than `count`, fits),
 * RTM_ERR_OVERFLOW, RTM_ERR_NOT_SUPPORTED (LOCKFREE without
 * RTMEM_CFG_POOL_LOCKFREE). On error `*p` is not a usable pool. */
static inline rtm_err_t rtm_pool_init(rtm_pool_t *p, void *mem, size_t mem_size,
                                      size_t block_size, size_t align, uint32_t count,
                                      unsigned flags);

/* Destroy a pool: every thread blocked in rtm_pool_alloc_timeout() wakes and
 * gets NULL; deinit returns once they have all left, so the memory may then be
 * reused. Afterwards the pool owns nothing (alloc gives NULL, free returns
 * RTM_ERR_STATE without a fault, as for a pool never initialised). O(1) plus the waiters' wake-up. Errors: RTM_ERR_NULL,
 * RTM_ERR_STATE (not initialised, or called inside a critical section while
 * threads wait), RTM_ERR_ISR (from an interrupt while threads wait). */
rtm_err_t rtm_pool_deinit(rtm_pool_t *p);
rtm_err_t rtm_pool_free(rtm_pool_t *p, void *block); /* first: RTM_ALLOCATOR */

/* Take a block, never blocking. O(1) (lock-free mode: lock-free, O(1) per
 * attempt). NULL when the pool is empty or p is NULL (counted as failed). */
RTM_ALLOCATOR(rtm_pool_free, 2) void *rtm_pool_alloc(rtm_pool_t *p);

/* rtm_pool_alloc(), then fill the whole block (stride bytes) with zeros.
 * O(block size). */
RTM_ALLOCATOR(rtm_pool_free, 2) void *rtm_pool_calloc(rtm_pool_t *p);

/* Take a block, waiting up to `timeout` port ticks for another thread to free
 * one (RTM_WAIT_FOREVER: no limit; 0: never blocks, same as rtm_pool_alloc).
 * The freeing thread wakes one waiter. Returns NULL on timeout, when the pool
 * is deleted meanwhile, or when it cannot block: from an interrupt, inside a
 * critical section, in RTM_POOL_NOLOCK mode, or on a port that never blocks
 * (none, cortex_m). O(1) per wake-up. */
RTM_ALLOCATOR(rtm_pool_free, 2) void *rtm_pool_alloc_timeout(rtm_pool_t *p, uint32_t timeout);

/* Return a block. O(1). Bad input (p or block NULL, pointer outside the pool,
 * not on a block boundary, block already free) raises the fault hook and
 * returns RTM_ERR_NULL / RTM_ERR_FOREIGN_PTR / RTM_ERR_INTERIOR_PTR /
 * RTM_ERR_DOUBLE_FREE with the pool untouched. */
RTM_DEALLOCATOR(2) rtm_err_t rtm_pool_free(rtm_pool_t *p, void *block);

/* Quick queries, O(1); 0 for a NULL pool. */
size_t rtm_pool_capacity(const rtm_pool_t *p);
size_t rtm_pool_block_size(const rtm_pool_t *p); /* the stride */
size_t rtm_pool_used(const rtm_pool_t *p);
size_t rtm_pool_available(const rtm_pool_t *p);  /* capacity - used */

/* True when `ptr` is the start of a block of `p` (allocated or not). O(1). */
bool rtm_pool_owns(const rtm_pool_t *p, const void *ptr);

/* A pool's statistics, in blocks. A pool counts no operations (a counter
 * each way would cost the inline alloc/free pair more than the pair itself
 * does), so unlike the heaps' rtm_stats_t there is no alloc_count or
 * free_count: used_blocks is exact at every moment. rtm_alloc_pool (alloc.h)
 * turns these into an rtm_stats_t for the uniform interface. */
typedef struct rtm_pool_stats {
    size_t capacity;      /* blocks */
    size_t block_size;    /* bytes per block: the stride */
    size_t used_blocks;   /* allocated now */
    size_t free_blocks;   /* capacity - used_blocks */
    size_t peak_used;     /* most blocks allocated at once since init */
    size_t failed_allocs; /* allocation calls that returned NULL */
    size_t faults;        /* bad-input calls and corruption found */
} rtm_pool_stats_t;

/* Fill `out` (under the pool's lock, except in lock-free mode, where each
 * figure is one atomic read). O(1). RTM_ERR_NULL on NULL args. */
rtm_err_t rtm_pool_stats(const rtm_pool_t *p, rtm_pool_stats_t *out);

/* Read-only integrity check: walks the free list (bounded by the counters, so
 * a cycle is caught), checks every link is a handed-out block, that list
 * length + used == watermark, used <= watermark <= capacity, and, with a bitmap,
 * that free-listed blocks are clear, no bit is set beyond the watermark and
 * the set bits number `used`. In lock-free mode call it only while no other
 * thread uses the pool. O(capacity). Returns RTM_OK or the first problem
 * (RTM_ERR_CORRUPT, RTM_ERR_STATE for an uninitialised pool). `report` may be NULL. */
rtm_err_t rtm_pool_check(const rtm_pool_t *p, rtm_check_t *report);

/* Install a fault hook (NULL = the default). O(1). */
void rtm_pool_set_fault_hook(rtm_pool_t *p, rtm_fault_fn fn, void *user);

/* ---- Inline fast path -------------------------------------------------------
 * rtm_pool_alloc_unlocked / rtm_pool_free_unlocked do the same as
 * rtm_pool_alloc / rtm_pool_free without any locking, inlined at the call
 * site: for RTM_POOL_NOLOCK pools, or for a default pool while the caller
 * holds the port's pool section (to take or return several blocks under
 * one rtm_port_lock). Never for lock-free pools. O(1). p must not be NULL.
 * The bad-input path and the wake-up of a blocked allocator are out of line. */

/* Out-of-line helpers of the inline path and of rtm_pool_init; not for
 * direct use. The inits' link names carry the layout key (rtmem/common.h). */
#define rtm_pool_init_locked_ RTM_LAYOUT_NAME_(rtm_pool_init_locked_)
#define rtm_pool_init_lockfree_ RTM_LAYOUT_NAME_(rtm_pool_init_lockfree_)
#define rtm_pool_init_nobitmap_ RTM_LAYOUT_NAME_(rtm_pool_init_nobitmap_)
void *rtm_pool_take_(rtm_pool_t *p);
rtm_err_t rtm_pool_give_(rtm_pool_t *p, void *block);
rtm_err_t rtm_pool_reject_(rtm_pool_t *p, rtm_err_t why, bool alloc, const void *ptr);
rtm_err_t rtm_pool_init_locked_(rtm_pool_t *p, void *mem, size_t mem_size, size_t block_size,
                                size_t align, uint32_t count, unsigned flags);
rtm_err_t rtm_pool_init_lockfree_(rtm_pool_t *p, void *mem, size_t mem_size,
                                  size_t block_size, size_t align, uint32_t count,
                                  unsigned flags);
rtm_err_t rtm_pool_init_nobitmap_(rtm_pool_t *p, void *mem, size_t mem_size,
                                  size_t block_size, size_t align, uint32_t count,
                                  unsigned flags);

/* The allocation gate's word (rtmem/hooks.h: non-zero while a seal, a no-alloc
 * section or failure injection is armed anywhere), and with
 * RTMEM_CFG_EVENTS the observer: while either is set the inline paths take
 * the out-of-line ones, which gate and report. */
extern volatile uint32_t rtm_gate_word_;
#if RTMEM_CFG_EVENTS
extern rtm_observer_fn rtm_observer_;
#define RTM_POOL_WATCHED_() (rtm_observer_ != NULL)
#else
#define RTM_POOL_WATCHED_() 0
#endif

/* One entry point for every kind of pool, split inline so that a call with
 * constant flags links only its own mode's code: the locked init never
 * reaches the lock-free sources, and a pool with a bitmap never the free-list
 * walk that a pool without one needs to confirm a double free. */
static inline rtm_err_t rtm_pool_init(rtm_pool_t *p, void *mem, size_t mem_size,
                                      size_t block_size, size_t align, uint32_t count,
                                      unsigned flags)
{
    if ((flags & RTM_POOL_LOCKFREE) != 0u) {
        return rtm_pool_init_lockfree_(p, mem, mem_size, block_size, align, count, flags);
    }
    if ((flags & RTM_POOL_BITMAP) == 0u) {
        return rtm_pool_init_nobitmap_(p, mem, mem_size, block_size, align, count, flags);
    }
    return rtm_pool_init_locked_(p, mem, mem_size, block_size, align, count, flags);
}

/* The index of the block `ptr` starts, for a pointer that is one; otherwise a
 * number >= capacity. One multiply and one rotate, no division, whatever the
 * stride: with stride = d << tz (d odd) and inv = 1/d modulo 2^N, the offset
 * i * stride maps to i, and any other offset (a foreign pointer, NULL, one
 * below base, one that is not on a block boundary) to at least 2^N / stride,
 * which no index reaches (capacity * stride fits below 2^N). O(1). */
static inline size_t rtm_pool_index_(const rtm_pool_t *p, const void *ptr)
{
    const unsigned bits = (unsigned)(sizeof(size_t) * 8u);
    size_t x = ((size_t)((uintptr_t)ptr - (uintptr_t)p->base)) * p->inv;
    return (x >> p->tz) | (x << ((bits - p->tz) & (bits - 1u)));
}

/* Alloc: the hot block, else the free list or the watermark (out of line). */
static inline void *rtm_pool_alloc_unlocked(rtm_pool_t *p)
{
    void *b = p->hot;
    if (RTM_LIKELY_(b != NULL && (rtm_gate_word_ | (uint32_t)RTM_POOL_WATCHED_()) == 0u)) {
        p->hot = NULL;
        p->last = b;
        return b;
    }
    return rtm_pool_take_(p);
}

/* Free: the block the hot slot handed out goes back to it; any other block
 * (and bad input) to the checked path, out of line. */
static inline rtm_err_t rtm_pool_free_unlocked(rtm_pool_t *p, void *block)
{
    if (RTM_LIKELY_(block == p->last && block != NULL && !RTM_POOL_WATCHED_())) {
        /* then the hot slot is empty */
        p->hot = block;
        p->last = NULL;
        return RTM_OK;
    }
    return rtm_pool_give_(p, block);
}

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_POOL_H */
