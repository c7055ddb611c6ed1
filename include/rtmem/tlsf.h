/*
 * rtm_tlsf: a constant-time two-level segregated-fit heap.
 *
 * alloc, free, realloc and aligned_alloc run in O(1): they contain no loop
 * whose trip count depends on the heap state (the number of free blocks, the
 * arena size or the allocation history). Copying in realloc is O(size).
 * `make paths` proves it from the disassembly (no loop in their control-flow
 * graphs) and prints their longest paths.
 *
 * Design
 *   - Free blocks sit in segregated lists: first level (FL) by power of two,
 *     second level (SL) by 2^RTM_TLSF_SL_LOG2 (16) equal subdivisions of that
 *     power of two. Sizes below 2^(FL_SHIFT+1) (256 bytes) have exact
 *     classes of RTM_TLSF_ALIGN (8) bytes. One bit per list in
 *     the SL bitmaps and one bit per FL in the FL bitmap.
 *   - Good fit, two O(1) steps, no list walk: the first block of the
 *     request's own class if it is large enough, else the first block of the
 *     next non-empty higher class, where every block fits. Lists are LIFO.
 *   - Placement: a block is carved from the end of the free block away from
 *     its larger neighbour (the top when the block above is a small used
 *     block or the region's end, the bottom otherwise; the reverse for large
 *     requests), so small and large blocks gather apart. A split or merge
 *     whose result keeps the free block's size class keeps its list place.
 *   - Immediate coalescing with both physical neighbours via boundary tags.
 *
 * One block layout whatever the compiler, its flags or the target (W = 4):
 *
 *   used:  [size|flags][payload ..................................]
 *   free:  [size|flags][next free][prev free] ...........[size copy]
 *          ^ header      payload starts here, aligned      last word
 *
 *   Every word is 32 bits. The header holds the block size (a multiple of
 *   RTM_TLSF_ALIGN, header included) and three flags: FREE, PREV_FREE
 *   (the previous block is free) and USED (set exactly when FREE is clear);
 *   a used block's header also holds a check byte (bits 23..30, blocks
 *   below 8 MiB) or a "big" flag (bit 31). The size copy in a free block's
 *   last word is read only when PREV_FREE is set, so a used block costs one
 *   word (two with RTMEM_CFG_HARDEN=2: the guard word). Links (list heads,
 *   next/prev free, region descriptors) are distances from the start of the
 *   init() buffer in ALIGN units (0 = none). Minimum block
 *   RTM_TLSF_MIN_BLOCK: 16 bytes.
 *
 *   Arena: [control structure][region: next-region link, block bytes/ALIGN]
 *          [blocks ...][sentinel header: size 0, USED]
 *   Added regions get the same 2-word descriptor and sentinel.
 *
 * Limits: one block or one arena up to RTM_TLSF_MAX_ARENA (2 GiB - 1); every
 * region within 2^32 ALIGN units above the init() buffer.
 *
 * Alignment: every pointer returned is aligned to RTM_TLSF_ALIGN, 8 bytes,
 * enough for every type on Cortex-M; 8 is also the block granularity. There
 * is no option to change it (one layout, one arena bound for every build):
 * memory that needs more (x86-64's max_align_t is 16, DMA buffers, cache
 * lines) comes from rtm_tlsf_aligned_alloc() and goes back with
 * rtm_tlsf_free() like any block.
 *
 * Layout check: rtm_tlsf_init() is an inline wrapper that passes the layout
 * this header was compiled with (RTM_TLSF_ABI); a library built with another
 * RTMEM_CFG_HARDEN or another version of this header refuses the heap with
 * RTM_ERR_ARG and a fault.
 *
 * Bad input: free/realloc check a pointer in O(1): outside the span of all
 * regions -> RTM_ERR_FOREIGN_PTR; misaligned, or its header word cannot be a
 * header -> RTM_ERR_INTERIOR_PTR; the block is already free (a valid free
 * block, or a block carved from the top of a free block that its free merged
 * into) -> RTM_ERR_DOUBLE_FREE; a plausible header whose neighbours, size
 * copy or links disagree -> RTM_ERR_CORRUPT. Each is reported through
 * rtm_fault_raise() and the heap is left untouched. Every link and size read
 * from the heap's memory is range-checked before it is followed, and a free
 * block is taken off its list only when its header, size copy and both
 * list neighbours agree (O(1)), so a stray write into a free block (write
 * after free, an overrun into a free neighbour) makes the next call that
 * meets it report RTM_ERR_CORRUPT instead of following it. A used block's
 * header carries a check byte derived from its place and size (blocks below
 * 8 MiB), and its successor's header must carry its own, so a word that
 * merely looks like a header (an interior pointer) is refused
 * (RTM_ERR_INTERIOR_PTR) unless both match by chance (1 in 65,536 for
 * random words). RTMEM_CFG_HARDEN >= 1 keys the check bytes with a
 * per-instance canary and stores free-list links XOR-ed with it;
 * RTMEM_CFG_HARDEN = 2 adds a guard word after every payload
 * (RTM_TLSF_BLOCK_EXTRA), checked at free and realloc (RTM_ERR_CORRUPT) and
 * by rtm_tlsf_check(), and poisons freed memory, verified when it is handed
 * out again (a write after free: NULL, RTM_ERR_CORRUPT, the block withheld);
 * at that level alloc and free are O(1) + O(block size). rtm_tlsf_check()
 * finds any damage afterwards.
 *
 * Thread safety: none. The core is not thread-safe; callers serialise with the
 * port's critical section (rtm_port_enter/exit) or their own lock.
 */
#ifndef RTMEM_TLSF_H
#define RTMEM_TLSF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rtmem/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Layout constants (public so that sizing can be done at compile time) */

typedef uint32_t rtm_tlsf_word_t;
#define RTM_TLSF_WORD_SIZE 4u
/* List heads: links, one word each. */
typedef uint32_t rtm_tlsf_head_t;
/* Second-level bitmaps: one bit per class of a power of two. */
typedef uint16_t rtm_tlsf_sl_t;

/* Alignment of every block and pointer, and the block granularity. */
#define RTM_TLSF_ALIGN_LOG2 3u
#define RTM_TLSF_ALIGN (1u << RTM_TLSF_ALIGN_LOG2)
/* log2 of the second-level classes per power of two: classes are exact
 * below 256 bytes and at most 1/16 of their size wide above. */
#define RTM_TLSF_SL_LOG2 4u
#define RTM_TLSF_SL_COUNT (1u << RTM_TLSF_SL_LOG2)
/* Sizes below 2^FL_SHIFT are all in first-level class 0. */
#define RTM_TLSF_FL_SHIFT (RTM_TLSF_SL_LOG2 + RTM_TLSF_ALIGN_LOG2)
/* Bytes a block carries besides its payload: the header word, and with
 * RTMEM_CFG_HARDEN=2 a guard word after the payload. */
#define RTM_TLSF_BLOCK_EXTRA (RTM_TLSF_WORD_SIZE * (RTMEM_CFG_HARDEN >= 2 ? 2u : 1u))
/* Smallest block (header included): holds header, two links, size copy. */
#define RTM_TLSF_MIN_BLOCK \
    ((4u * RTM_TLSF_WORD_SIZE + RTM_TLSF_ALIGN - 1u) & ~(RTM_TLSF_ALIGN - 1u))
/* Block size (header included) used for a request of n bytes, n >= 1. */
#define RTM_TLSF__RAW(n) \
    (((size_t)(n) + RTM_TLSF_BLOCK_EXTRA + RTM_TLSF_ALIGN - 1u) & ~((size_t)RTM_TLSF_ALIGN - 1u))
#define RTM_TLSF_BLOCK_SIZE(n) \
    (RTM_TLSF__RAW(n) < RTM_TLSF_MIN_BLOCK ? (size_t)RTM_TLSF_MIN_BLOCK : RTM_TLSF__RAW(n))

/* Largest arena init() and region add_region() accept: sizes and flags
 * share a 32-bit word and stay below 2^31. */
#define RTM_TLSF_MAX_ARENA ((size_t)0x7FFFFFFFu)
/* Largest block, and request, any heap can hold: a region of MAX_ARENA bytes
 * keeps 3 words (its descriptor and sentinel) and the ALIGN-aligned rest.
 * Added with rtm_tlsf_add_region() at 3 words below an ALIGN boundary, it
 * is one free block of exactly RTM_TLSF_MAX_BLOCK bytes, where a request of
 * RTM_TLSF_MAX_REQUEST bytes succeeds; a larger request always returns
 * NULL (a failure, not a fault). An init() arena of a bytes holds one
 * request of up to ALIGN_DOWN(a - RTM_TLSF_OVERHEAD(a)) - BLOCK_EXTRA. */
#define RTM_TLSF_MAX_BLOCK \
    ((RTM_TLSF_MAX_ARENA - 3u * RTM_TLSF_WORD_SIZE) & ~((size_t)RTM_TLSF_ALIGN - 1u))
#define RTM_TLSF_MAX_REQUEST (RTM_TLSF_MAX_BLOCK - RTM_TLSF_BLOCK_EXTRA)


/* Number of first-level classes for an arena of `a` bytes (its blocks are
 * smaller than a): 1 + the number of powers of two 2^k < a with
 * k >= FL_SHIFT (a constant expression). */
#define RTM_TLSF__GE(a, k) \
    ((k) >= RTM_TLSF_FL_SHIFT && (unsigned long long)(a) > (1ull << (k)))
#define RTM_TLSF__GE4(a, k) (RTM_TLSF__GE(a, k) + RTM_TLSF__GE(a, (k) + 1) + \
                             RTM_TLSF__GE(a, (k) + 2) + RTM_TLSF__GE(a, (k) + 3))
#define RTM_TLSF__GE16(a, k) (RTM_TLSF__GE4(a, k) + RTM_TLSF__GE4(a, (k) + 4) + \
                              RTM_TLSF__GE4(a, (k) + 8) + RTM_TLSF__GE4(a, (k) + 12))
#define RTM_TLSF_FL_COUNT(a) \
    (1u + (unsigned)(RTM_TLSF__GE16(a, 0) + RTM_TLSF__GE16(a, 16) + \
                     RTM_TLSF__GE16(a, 32) + RTM_TLSF__GE16(a, 48)))

/* Bytes of the control structure init() carves from the start of an arena of
 * `a` bytes: two nil words, one SL bitmap per FL class (padded to a head) and
 * one list head per class. (The FL bitmap lives in rtm_tlsf_t.) Same value as
 * rtm_tlsf_control_size(). */
#define RTM_TLSF_CONTROL_SIZE(a)                                                    \
    (2u * RTM_TLSF_WORD_SIZE +                                                        \
     ((sizeof(rtm_tlsf_sl_t) * RTM_TLSF_FL_COUNT(a) + sizeof(rtm_tlsf_head_t) - 1u) & \
      ~(sizeof(rtm_tlsf_head_t) - 1u)) +                                              \
     sizeof(rtm_tlsf_head_t) * RTM_TLSF_SL_COUNT * RTM_TLSF_FL_COUNT(a))

/* Bytes of an arena of `a` bytes that init() may leave outside the first free
 * block: control structure, base alignment (ALIGN-1), region descriptor (2
 * words), first-header alignment (ALIGN-1), sentinel (1 word), tail (ALIGN-1).
 * After init, total_bytes >= a - RTM_TLSF_OVERHEAD(a). rtm_tlsf_add_region()
 * loses at most 3 words + 2*(ALIGN-1) bytes of its region. */
#define RTM_TLSF_OVERHEAD(a) \
    (RTM_TLSF_CONTROL_SIZE(a) + 3u * RTM_TLSF_WORD_SIZE + 3u * (RTM_TLSF_ALIGN - 1u))

/* ---- Memory bound ----------------------------------------------------------
 *
 * RTM_TLSF_ARENA_BOUND(M, n): an arena size (bytes passed to init) in which
 * every allocation succeeds as long as the application never holds more than
 * M requested bytes live (the new request included) and never requests more
 * than n bytes at once (1 <= n <= M), whatever the order of requests.
 *
 * Derivation. Let N = RTM_TLSF_BLOCK_SIZE(n) and B = RTM_TLSF_MIN_BLOCK. The
 * good-fit search succeeds whenever some free block is at least the lower
 * bound of the class that N rounded up falls in, and that bound is at most
 * N + N/2^SL_LOG2 (class width <= size/2^SL). So a request fails only if every
 * free block is at most F = N + (N >> SL_LOG2) - ALIGN bytes; we use
 * F = N + (N >> SL_LOG2). Immediate coalescing means two free blocks are never
 * adjacent, so with k live blocks there are at most k + 1 free blocks, and a
 * failure needs A - L <= (k+1) F, where A is the block space of the arena and
 * L the bytes of the k live blocks. Each live block of r_i >= 1 requested
 * bytes occupies at most max(B, r_i + EXTRA + ALIGN - 1) <= B r_i bytes, and
 * F <= F r_i; with sum r_i <= M - 1 before the failing request,
 *     L + (k+1) F <= (B + F)(M - 1) + F < (B + F) M.
 * Hence block space A = (B + F) M never fails; add RTM_TLSF_OVERHEAD.
 *
 * This is the bound of any "some-fit" splitting allocator, not Robson's
 * M log2(n) bound for the best possible strategy: a segregated good-fit
 * allocator that splits exactly can be driven to pin holes just too small
 * for the next request, so no log bound holds for it. Typical workloads need
 * far less (measure with the trace replay of `rtmem replay`). When a hard,
 * small bound matters more than fill, use a pool (rtm_pool) for the small
 * sizes. */
#define RTM_TLSF__F(n) (RTM_TLSF_BLOCK_SIZE(n) + (RTM_TLSF_BLOCK_SIZE(n) >> RTM_TLSF_SL_LOG2))
#define RTM_TLSF__A(M, n) (((size_t)RTM_TLSF_MIN_BLOCK + RTM_TLSF__F(n)) * (size_t)(M))
#define RTM_TLSF__OVERHEAD_MAX RTM_TLSF_OVERHEAD(~(size_t)0 >> 1)
#define RTM_TLSF_ARENA_BOUND(max_live_bytes, max_block) \
    (RTM_TLSF__A(max_live_bytes, max_block) +                    \
     RTM_TLSF_OVERHEAD(RTM_TLSF__A(max_live_bytes, max_block) + RTM_TLSF__OVERHEAD_MAX))

/* ---- Instance ---------------------------------------------------------------
 * Caller-owned handle; the free-list heads and bitmaps (the "control
 * structure", rtm_tlsf_control_size() bytes) are carved from the start of the
 * arena given to rtm_tlsf_init(). Treat the members as private. */
typedef struct rtm_tlsf {
    rtm_fault_t fault;       /* first: &t->fault == t saves an add per report */
    rtm_tlsf_sl_t *sl;       /* SL bitmap of each FL class; NULL = no heap */
    rtm_tlsf_head_t *heads;  /* list heads, [fl * SL_COUNT + sl], 0 = empty */
    uintptr_t origin;        /* a link l means the block at origin + l*ALIGN;
                                origin = aligned buffer start - W (link 0: nil) */
    uintptr_t lo, hi;        /* span of all regions' blocks and sentinels */
    uintptr_t regions;       /* first block of the newest region, 0 = none */
    uint32_t fl_map;         /* FL bitmap: bit fl = some list of class fl */
    unsigned fl_count;       /* first-level classes in the control structure */
    size_t total_bytes;      /* block bytes of all regions */
    /* free_count and used_bytes side by side: free updates both, in one
     * load and one store of the pair (ldrd/strd on Cortex-M) */
    size_t free_count;
    size_t used_bytes;       /* in used blocks: free bytes = total - used */
    size_t max_used;         /* peak used_bytes: min ever free = total - max_used */
    size_t free_blocks;      /* used blocks: alloc_count - free_count */
    size_t alloc_count;
    size_t failed_allocs;
    uint32_t canary;         /* RTMEM_CFG_HARDEN: the per-instance key (else 0) */
} rtm_tlsf_t;

/* The layout a translation unit compiles against: rtm_tlsf_init() passes
 * it, and a library built with another refuses to set up the heap. It
 * holds ALIGN and SL_LOG2 (fixed now; an application built against an
 * older header with other values is refused), RTMEM_CFG_HARDEN, the size of
 * rtm_tlsf_t and a layout version. */
#define RTM_TLSF_ABI                                                     \
    ((uint32_t)RTM_TLSF_ALIGN | ((uint32_t)RTM_TLSF_SL_LOG2 << 8) |      \
     ((uint32_t)RTMEM_CFG_HARDEN << 12) |                                \
     (((uint32_t)sizeof(rtm_tlsf_t) & 0xFFu) << 20) | ((uint32_t)2u << 28))

/* ---- API --------------------------------------------------------------------
 * Every call with t == NULL returns RTM_ERR_NULL / NULL / 0 and does nothing
 * (there is no instance to report the fault to). Allocation failures
 * (no memory, size 0, size overflow) return NULL, count failed_allocs
 * (except size 0) and are not faults. */

/* Set up a heap in [mem, mem + size). The control structure
 * (rtm_tlsf_control_size(size) bytes) goes at the start of the buffer, the
 * rest becomes one free block. O(rtm_tlsf_control_size(size)).
 * RTM_ERR_NULL: mem NULL. RTM_ERR_ARG: size is below RTM_TLSF_OVERHEAD(size)
 * + RTM_TLSF_MIN_BLOCK (= rtm_tlsf_arena_bound(0, 0) up to the control
 * structure's growth; enough whatever the alignment of mem), the buffer
 * wraps the address space, or it is larger than RTM_TLSF_MAX_ARENA; also
 * (with a fault) when `abi` is not the library's RTM_TLSF_ABI: the caller
 * was compiled with another RTMEM_CFG_HARDEN or layout version than the
 * library.
 * Call it as rtm_tlsf_init(t, mem, size), which passes the caller's layout. */
rtm_err_t rtm_tlsf_init_abi(rtm_tlsf_t *t, void *mem, size_t size, uint32_t abi);
static inline rtm_err_t rtm_tlsf_init(rtm_tlsf_t *t, void *mem, size_t size)
{
    return rtm_tlsf_init_abi(t, mem, size, RTM_TLSF_ABI);
}

/* Add [mem, mem + size) as another region (like heap_5). O(1). Its blocks
 * never merge with another region's. RTM_ERR_NULL: mem NULL. RTM_ERR_STATE:
 * t not initialised. RTM_ERR_BAD_REGION: too small for a minimum block,
 * wraps, overlaps the span of the existing regions, has a block larger than
 * the control structure's classes (keep added regions no larger than the
 * init() buffer), or lies beyond 2^32 ALIGN units (32 GiB with ALIGN 8) above
 * the start of the init() buffer (a 64-bit host only). */
rtm_err_t rtm_tlsf_add_region(rtm_tlsf_t *t, void *mem, size_t size);
rtm_err_t rtm_tlsf_free(rtm_tlsf_t *t, void *p); /* first: RTM_ALLOCATOR */

/* Allocate `size` bytes aligned to RTM_TLSF_ALIGN (8). O(1). size 0 ->
 * NULL (not counted as a failure); a size larger than the heap (up to
 * SIZE_MAX) -> NULL without wrapping. A damaged free list met on the way
 * -> NULL and RTM_ERR_CORRUPT through the fault hook. Refused with
 * RTM_ERR_SEALED (fault, NULL) while the instance is sealed or a no-alloc
 * section is active (rtmem/hooks.h); the same holds for calloc, realloc and
 * aligned_alloc. */
RTM_ALLOCATOR(rtm_tlsf_free, 2) RTM_ALLOC_SIZE(2) void *rtm_tlsf_alloc(rtm_tlsf_t *t, size_t size);

/* Allocate n * size zeroed bytes. O(1) + O(n * size) for the zeroing. n * size
 * overflowing or 0 -> NULL. */
RTM_ALLOCATOR(rtm_tlsf_free, 2) RTM_ALLOC_SIZE(2, 3) void *rtm_tlsf_calloc(rtm_tlsf_t *t, size_t n, size_t size);

/* Resize the block at p to `size` bytes, keeping min(old, new) bytes of
 * content. O(1) + O(size) when the data is copied. In place (same pointer)
 * when shrinking, or when the next physical block is free and large enough.
 * Otherwise, if the previous (plus next) free neighbour makes room, the data
 * moves down into it (memmove); else a new block is allocated, the data
 * copied and p freed. p NULL -> rtm_tlsf_alloc(size). size 0 with p non-NULL
 * -> frees p and returns NULL. Failure -> NULL with p untouched and still
 * valid. A bad p is reported like rtm_tlsf_free() and gives NULL. */
RTM_REALLOCATOR(rtm_tlsf_free, 2) RTM_ALLOC_SIZE(3) void *rtm_tlsf_realloc(rtm_tlsf_t *t, void *p, size_t size);

/* Allocate `size` bytes aligned to `align`, any power of two (alignments up
 * to RTM_TLSF_ALIGN are a plain alloc). O(1). The search asks for
 * size + align + RTM_TLSF_MIN_BLOCK bytes; the leading gap is returned to the
 * free lists. align not a power of two, size 0, or overflow -> NULL. The
 * block is released with rtm_tlsf_free(). */
RTM_ALLOCATOR(rtm_tlsf_free, 2) RTM_ALLOC_ALIGN(2) RTM_ALLOC_SIZE(3) void *rtm_tlsf_aligned_alloc(rtm_tlsf_t *t, size_t align, size_t size);

/* Free a block. O(1). NULL -> RTM_OK, no-op. Bad pointers: see the top of
 * this file (RTM_ERR_FOREIGN_PTR, RTM_ERR_INTERIOR_PTR, RTM_ERR_DOUBLE_FREE,
 * RTM_ERR_CORRUPT through the fault hook; the heap is untouched). */
RTM_DEALLOCATOR(2) rtm_err_t rtm_tlsf_free(rtm_tlsf_t *t, void *p);

/* Usable bytes of the block at p (>= the size requested). O(1). NULL or a
 * pointer that fails the free() checks -> 0 (no fault: t is const). */
size_t rtm_tlsf_usable_size(const rtm_tlsf_t *t, const void *p);

/* Bytes in free blocks, their headers included. O(1). */
size_t rtm_tlsf_free_bytes(const rtm_tlsf_t *t);

/* Lowest rtm_tlsf_free_bytes() since init or the last reset. O(1). */
size_t rtm_tlsf_min_ever_free(const rtm_tlsf_t *t);

/* Restart the low-water mark at the current free bytes. O(1). */
void rtm_tlsf_reset_min_ever_free(rtm_tlsf_t *t);

/* Size (header included) of the first block of the highest non-empty class:
 * a class bound, not always exact. O(1). Exact when that class holds one
 * block (e.g. the untouched tail of the heap) or its sizes are below
 * 2^(FL_SHIFT+1) (256 bytes by default, where classes are exact); otherwise a
 * lower bound within a factor (1 - 2^-SL_LOG2) of the largest free block (all
 * blocks of a class lie within one class width). 0 when nothing is free.
 * Requests up to this minus RTM_TLSF_BLOCK_EXTRA always succeed. */
size_t rtm_tlsf_largest_free(const rtm_tlsf_t *t);

/* Fill *out. O(1): largest_free as rtm_tlsf_largest_free(); smallest_free is
 * the first block of the lowest non-empty class (exact below 256 bytes,
 * otherwise within one class width); the other fields are counters.
 * free_bytes counts free blocks with their headers. */
void rtm_tlsf_stats(const rtm_tlsf_t *t, rtm_stats_t *out);

/* Read-only integrity check. O(blocks + classes). Walks every region's
 * physical blocks (sizes, flags, PREV_FREE bits, size copies, no two free
 * neighbours, sentinels) and every free list (links both ways, class of each
 * block, bitmaps agree with the lists), and compares counts and bytes with
 * the counters. Returns RTM_OK or the first problem (also in *report if not
 * NULL). t NULL -> RTM_ERR_NULL. */
rtm_err_t rtm_tlsf_check(const rtm_tlsf_t *t, rtm_check_t *report);

/* Call fn for every block, region by region (newest region first), in
 * address order within a region: ptr is the payload, size the usable bytes
 * (block size minus the header), used whether allocated. fn returns false to
 * stop. O(blocks). RTM_ERR_NULL for t or fn NULL; RTM_ERR_CORRUPT if a
 * header cannot be followed (the walk stops there). */
typedef bool (*rtm_tlsf_walker)(void *user, void *ptr, size_t size, bool used);
rtm_err_t rtm_tlsf_walk(const rtm_tlsf_t *t, rtm_tlsf_walker fn, void *user);

/* Install the fault hook (NULL = rtm_fault_default). O(1). */
void rtm_tlsf_set_fault_hook(rtm_tlsf_t *t, rtm_fault_fn fn, void *user);

/* Bytes of the control structure for an arena of arena_size bytes (equals
 * RTM_TLSF_CONTROL_SIZE(arena_size)). O(1). */
size_t rtm_tlsf_control_size(size_t arena_size);

/* Arena size (bytes for rtm_tlsf_init) guaranteeing that every allocation
 * succeeds: see RTM_TLSF_ARENA_BOUND. O(1). 0 if it overflows size_t or
 * exceeds RTM_TLSF_MAX_ARENA;
 * n is clamped to M; M == 0 gives the smallest arena init() accepts. */
size_t rtm_tlsf_arena_bound(size_t max_live_bytes, size_t max_block);

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_TLSF_H */
