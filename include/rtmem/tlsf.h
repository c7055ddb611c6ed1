/*
 * rtm_tlsf: a constant-time two-level segregated-fit heap.
 *
 * alloc, free, realloc and aligned_alloc run in O(1): they contain no loop
 * whose trip count depends on the heap state (the number of free blocks, the
 * arena size or the allocation history). Copying in realloc is O(size).
 *
 * Design
 *   - Free blocks sit in segregated lists: first level (FL) by power of two,
 *     second level (SL) by 2^RTMEM_CFG_TLSF_SL_LOG2 equal subdivisions of that
 *     power of two. Sizes below 2^(FL_SHIFT+1) (256 bytes with the defaults)
 *     have exact classes of RTMEM_CFG_TLSF_ALIGN bytes. One bit per list in
 *     the SL bitmaps and one bit per FL in the FL bitmap; the search is two
 *     count-trailing-zeros.
 *   - Good fit, two O(1) steps, no list walk: the first block of the
 *     request's own class if it is large enough (the tightest candidate),
 *     else the first block of the next non-empty higher class, where every
 *     block fits. Lists are LIFO. The found block is split exactly; the remainder,
 *     if at least RTM_TLSF_MIN_BLOCK bytes, goes back to its list.
 *   - Immediate coalescing with both physical neighbours via boundary tags.
 *
 * Block layout, W = RTM_TLSF_WORD_SIZE: 2 with RTMEM_CFG_TLSF_WORD16 (the
 * default on 32-bit targets except at -Os), else 4 on 32-bit targets and
 * with RTMEM_CFG_TLSF_OFFSET32=1 on 64-bit hosts, else 8:
 *
 *   used:  [size|flags][payload ..................................]
 *   free:  [size|flags][next free][prev free] ...........[size copy]
 *          ^ header      payload starts here, aligned      last word
 *
 *   The header word holds the block size (a multiple of RTMEM_CFG_TLSF_ALIGN,
 *   header included) and three flag bits: FREE, PREV_FREE (the physically
 *   previous block is free) and USED (set exactly when FREE is clear, a
 *   one-bit check against stray pointers). The size copy in a free block's
 *   last word is the "prev-physical link" of the next block: free() reads it
 *   only when PREV_FREE is set, so a used block pays one word of overhead.
 *   Minimum block RTM_TLSF_MIN_BLOCK: 8 bytes with W = 2, 16 with W = 4, 32
 *   with W = 8. With W = 2 a size and its flags fit 16 bits, so no block
 *   exceeds RTM_TLSF_MAX_BLOCK (65,528 bytes): regions with more block bytes
 *   are laid out as consecutive regions ("chunks"), whose free blocks never
 *   merge across a chunk's sentinel.
 *   Links (list heads, next/prev free, region descriptors) are distances
 *   from the start of the init() buffer in ALIGN units (0 = none), so list
 *   heads fit 16 bits (RTMEM_CFG_TLSF_HEAD16, the default on 32-bit targets: heaps up to
 *   RTM_TLSF_MAX_ARENA = 512 KiB with ALIGN 8).
 *
 *   Arena: [control structure][region: next-region link, block bytes/ALIGN]
 *          [blocks ...][sentinel header: size 0, USED]
 *   Added regions get the same 2-word descriptor and sentinel.
 *
 * Overhead (W = 4, ALIGN = 8, SL_LOG2 = 4, HEAD16): 4 bytes per used block; a
 * 64 KiB arena has a 348-byte control structure (rtm_tlsf_control_size(65536):
 * 2 "nil" words + 10 first-level classes x (a 16-bit SL bitmap + 16 two-byte
 * list heads); the FL bitmap is in rtm_tlsf_t) plus at most 12 + 21 bytes of
 * region descriptor, sentinel and alignment (RTM_TLSF_OVERHEAD); the
 * caller-owned rtm_tlsf_t is 76 bytes on Cortex-M. With
 * RTMEM_CFG_TLSF_HEAD16=0 the heads are words: 668 bytes for 64 KiB. With
 * W = 2: 2 bytes per used block, 344 bytes of control structure for 64 KiB
 * (the nil words are 2 bytes each; classes stop at 64 KiB whatever the
 * arena), and 8 bytes per chunk after the first. The nil
 * words are the next/prev fields of the pseudo block that link 0 decodes to:
 * list updates aimed at a missing neighbour land there, so insert and
 * unlink need no test for it (8 bytes of RAM for 16+ bytes of code).
 *
 * Alignment: every pointer returned is aligned to RTMEM_CFG_TLSF_ALIGN
 * (default 8, enough for every type on Cortex-M). On x86-64 max_align_t is
 * 16: set RTMEM_CFG_TLSF_ALIGN to 16 or use rtm_tlsf_aligned_alloc() for
 * long double / SSE data.
 *
 * Bad input: free/realloc check a pointer in O(1): outside the span of all
 * regions -> RTM_ERR_FOREIGN_PTR; misaligned, or its header word cannot be a
 * header -> RTM_ERR_INTERIOR_PTR; the block is already free (a valid free
 * block, or, with RTMEM_CFG_TLSF_CARVE, a block that its free merged into
 * the free block below it) -> RTM_ERR_DOUBLE_FREE; a plausible header whose
 * neighbours, size copy or list links disagree -> RTM_ERR_CORRUPT. Each is reported through
 * rtm_fault_raise() and the heap is left untouched. These checks are
 * heuristics: a pointer into the middle of a block whose bytes happen to
 * form a consistent header is not caught (rtm_tlsf_check() finds the damage
 * afterwards). A pointer that is inside the span but between two regions
 * (multi-region heaps only) has its header word read.
 *
 * Worst-case path length on Cortex-M4 (arm-none-eabi-gcc 12.2.1, -Os -mthumb
 * -mcpu=cortex-m4 -ffunction-sections -fdata-sections, NDEBUG, default
 * options): rtm_tlsf_alloc <= 195 instructions, rtm_tlsf_free <= 260,
 * rtm_tlsf_realloc <= 596, rtm_tlsf_aligned_alloc <= 301, helpers included,
 * rtm_fault_raise and memcpy/memmove excluded; at -O2 (where
 * RTMEM_CFG_TLSF_RELINK, RTMEM_CFG_TLSF_CARVE and RTMEM_CFG_TLSF_WORD16 are
 * on) 190, 245, 607 and 267 (4-byte words: 189, 243, 604, 269); Cortex-M33
 * the same at -Os; Cortex-M0+ (no CLZ: the portable bit scan) 374, 414, 984
 * and 541.
 * Method (`make paths`, scripts/path-bound.py, run by `make test`): the
 * functions are linked alone with --gc-sections, disassembled, and the
 * longest path through each control-flow graph is taken, adding at each call
 * the callee's longest path. It is an upper bound on instructions executed
 * (infeasible paths included); the script fails if a graph has a loop, so it
 * is also the check that none of these functions loops. Allow about 1.5-2
 * cycles per instruction on a zero-wait-state M4. The emulated M4 agrees
 * (make bench-target, -O2): the longest W1 alloc and free read 200 and 280
 * with the counter stepping by 40, i.e. at least 161 and 241 instructions.
 * Code size, linked alone the same way (also -mfpu=fpv4-sp-d16
 * -mfloat-abi=hard, -nostdlib against src/common.c): init+alloc+free with every helper they
 * pull in, rtm_fault_raise included, are 968 bytes of text (966 on
 * Cortex-M33, 1,168 on Cortex-M0+; no libc: init clears with its own byte
 * loop, not memset): rtm_tlsf_free 246 (pointer checks and coalescing, with
 * free_at 56 more), rtm_tlsf_alloc 264 (search, take and split), rtm_tlsf_init
 * 178 (region set-up included), insert 82, unlink 54, the bitmap flip 40,
 * class_of and rtm_fault_raise 24 each (-Os defaults, 4-byte words and
 * classic placement: RTMEM_CFG_TLSF_CARVE on would add 112 bytes,
 * RTMEM_CFG_TLSF_WORD16 on 102, both 202; `make sizes` prints the last
 * two). The helpers that only alloc, free
 * or init need in the minimal link are forced inline there (RTM_TLSF_INLINE);
 * realloc, aligned_alloc and usable_size call shared out-of-line copies, so
 * the whole object is larger: 3,880 bytes on M4.
 *
 * Quality: on the W3 workload (BENCH.md, 64 KiB arena, 200 seeds) the fill
 * at the first failure with the 32-bit target defaults at -O2 (16-bit words,
 * RTMEM_CFG_TLSF_WORD16; placement RTMEM_CFG_TLSF_CARVE: the new block from
 * the end of the free block away from its larger neighbour) is mean 0.9015,
 * min 0.736, both on the host's 32-bit build (rtmem32) and on the Cortex-M4
 * build run on QEMU (make bench-target). Seeds 201..1200, which the
 * benchmark does not use: 0.903; seeds 1..10,000: 0.903. With 4-byte words
 * (the -Os default, or WORD16 0): 0.898 with CARVE, 0.894 without (the -Os
 * defaults; M4: 0.8936); 16-bit words without CARVE: 0.899. `make w3sim`
 * (scripts/w3sim.c, an exhaustive model of the holes) agrees: the carving
 * rule gives 0.8973 with a 4-byte header and 0.8997 with a 2-byte one
 * (seeds 1..10,000: 0.8977 and 0.9027; exact best fit 0.8925); carving by
 * both neighbours' sizes, which an O(1) allocator cannot read, does no
 * better (0.8949). Most of the gap to a perfect packer (about 0.966 after
 * headers and rounding) is the free space left in holes smaller than the
 * failing request (typically a 1-4 KiB one).
 *
 * Executed instructions on Cortex-M4 (make bench-target: QEMU -icount,
 * -O2 defaults: RTMEM_CFG_TLSF_RELINK, CARVE and WORD16 on; not cycles): W2
 * alloc(256) 109 and its free 108 at K = 100, 1,000 and 10,000 (heap_4
 * alloc: 854 -> 80,054); W1 means alloc 104, free 110 (newlib's malloc: 66
 * and 59, but up to 680 and 360 where this stays within 200 and 280); W4
 * pair 215 (newlib 234). With 4-byte words (WORD16 0): W2 108 / 110, W1
 * means 96 / 98, W4 215; the 8-byte minimum
 * block of 16-bit words splits off, and later merges, free blocks of 8-15
 * bytes that 4-byte words leave inside the used block, which is most of
 * the difference.
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

#if RTMEM_CFG_TLSF_WORD16
typedef uint16_t rtm_tlsf_word_t;
#define RTM_TLSF_WORD_SIZE 2u
#elif RTMEM_CFG_TLSF_OFFSET32
typedef uint32_t rtm_tlsf_word_t;
#define RTM_TLSF_WORD_SIZE 4u
#else
typedef uintptr_t rtm_tlsf_word_t;
#define RTM_TLSF_WORD_SIZE ((unsigned)sizeof(uintptr_t))
#endif

/* List heads: 16-bit links (RTMEM_CFG_TLSF_HEAD16 or WORD16) or words. */
#if RTMEM_CFG_TLSF_HEAD16 || RTMEM_CFG_TLSF_WORD16
typedef uint16_t rtm_tlsf_head_t;
#else
typedef rtm_tlsf_word_t rtm_tlsf_head_t;
#endif
/* Second-level bitmaps: one bit per class of a power of two. */
#if RTMEM_CFG_TLSF_SL_LOG2 <= 4
typedef uint16_t rtm_tlsf_sl_t;
#else
typedef uint32_t rtm_tlsf_sl_t;
#endif

#define RTM_TLSF_ALIGN ((unsigned)RTMEM_CFG_TLSF_ALIGN)
#define RTM_TLSF_ALIGN_LOG2                                          \
    (RTMEM_CFG_TLSF_ALIGN == 8 ? 3u : RTMEM_CFG_TLSF_ALIGN == 16 ? 4u \
     : RTMEM_CFG_TLSF_ALIGN == 32 ? 5u : 6u)
#define RTM_TLSF_SL_COUNT (1u << RTMEM_CFG_TLSF_SL_LOG2)
/* Sizes below 2^FL_SHIFT are all in first-level class 0. */
#define RTM_TLSF_FL_SHIFT ((unsigned)RTMEM_CFG_TLSF_SL_LOG2 + RTM_TLSF_ALIGN_LOG2)
/* Smallest block (header included): holds header, two links, size copy. */
#define RTM_TLSF_MIN_BLOCK \
    ((4u * RTM_TLSF_WORD_SIZE + RTM_TLSF_ALIGN - 1u) & ~(RTM_TLSF_ALIGN - 1u))
/* Block size (header included) used for a request of n bytes, n >= 1. */
#define RTM_TLSF_BLOCK_SIZE(n)                                                  \
    ((((size_t)(n) + RTM_TLSF_WORD_SIZE + RTM_TLSF_ALIGN - 1u) &                 \
      ~((size_t)RTM_TLSF_ALIGN - 1u)) < RTM_TLSF_MIN_BLOCK                       \
         ? (size_t)RTM_TLSF_MIN_BLOCK                                           \
         : (((size_t)(n) + RTM_TLSF_WORD_SIZE + RTM_TLSF_ALIGN - 1u) &           \
            ~((size_t)RTM_TLSF_ALIGN - 1u)))

/* Largest block (header included) and largest request. With
 * RTMEM_CFG_TLSF_WORD16 a size and its flags share 16 bits, and regions are
 * cut into chunks of at most RTM_TLSF_MAX_BLOCK bytes of blocks; otherwise
 * there is no such limit (the arena is the limit). */
#if RTMEM_CFG_TLSF_WORD16
#define RTM_TLSF_MAX_BLOCK ((size_t)65536u - RTM_TLSF_ALIGN)
#else
#define RTM_TLSF_MAX_BLOCK ((size_t)SIZE_MAX / 2u + 1u - RTM_TLSF_ALIGN)
#endif
#define RTM_TLSF_MAX_REQUEST (RTM_TLSF_MAX_BLOCK - RTM_TLSF_WORD_SIZE)

/* Number of first-level classes for an arena of `a` bytes (its blocks are
 * smaller than a): 1 + the number of powers of two 2^k < a with
 * k >= FL_SHIFT (a constant expression). */
#define RTM_TLSF__GE(a, k) \
    ((k) >= RTM_TLSF_FL_SHIFT && (unsigned long long)(a) > (1ull << (k)))
#define RTM_TLSF__GE4(a, k) (RTM_TLSF__GE(a, k) + RTM_TLSF__GE(a, (k) + 1) + \
                             RTM_TLSF__GE(a, (k) + 2) + RTM_TLSF__GE(a, (k) + 3))
#define RTM_TLSF__GE16(a, k) (RTM_TLSF__GE4(a, k) + RTM_TLSF__GE4(a, (k) + 4) + \
                              RTM_TLSF__GE4(a, (k) + 8) + RTM_TLSF__GE4(a, (k) + 12))
#define RTM_TLSF__FL_COUNT(a) \
    (1u + (unsigned)(RTM_TLSF__GE16(a, 0) + RTM_TLSF__GE16(a, 16) + \
                     RTM_TLSF__GE16(a, 32) + RTM_TLSF__GE16(a, 48)))
/* Blocks are also below RTM_TLSF_MAX_BLOCK + ALIGN (a power of two with
 * WORD16), so no class beyond it is needed. */
#if RTMEM_CFG_TLSF_WORD16
#define RTM_TLSF_FL_COUNT(a) \
    RTM_TLSF__FL_COUNT((unsigned long long)(a) < 65536ull ? (unsigned long long)(a) : 65536ull)
#else
#define RTM_TLSF_FL_COUNT(a) RTM_TLSF__FL_COUNT(a)
#endif

/* Bytes of the control structure init() carves from the start of an arena of
 * `a` bytes: one SL bitmap per FL class (padded to a head) + one list head
 * per class. (The FL bitmap lives in rtm_tlsf_t.) Same value as
 * rtm_tlsf_control_size(). */
#define RTM_TLSF_CONTROL_SIZE(a)                                                    \
    (2u * RTM_TLSF_WORD_SIZE +                                                        \
     ((sizeof(rtm_tlsf_sl_t) * RTM_TLSF_FL_COUNT(a) + sizeof(rtm_tlsf_head_t) - 1u) & \
      ~(sizeof(rtm_tlsf_head_t) - 1u)) +                                              \
     sizeof(rtm_tlsf_head_t) * RTM_TLSF_SL_COUNT * RTM_TLSF_FL_COUNT(a))

/* Largest size init() accepts: with 16-bit heads every block must lie
 * within 65535 * ALIGN bytes of the arena start (512 KiB with ALIGN 8). */
#if RTMEM_CFG_TLSF_HEAD16 || RTMEM_CFG_TLSF_WORD16
#define RTM_TLSF_MAX_ARENA ((size_t)65536u * RTM_TLSF_ALIGN)
#elif RTMEM_CFG_TLSF_OFFSET32
#define RTM_TLSF_MAX_ARENA ((size_t)UINT32_MAX)
#elif SIZE_MAX > 0xFFFFFFFFu
/* 2^(30+FL_SHIFT): at most 31 first-level classes (the FL bitmap). */
#define RTM_TLSF_MAX_ARENA ((size_t)1 << (30u + RTM_TLSF_FL_SHIFT))
#else
#define RTM_TLSF_MAX_ARENA (SIZE_MAX >> 1)
#endif

/* Bytes of an arena of `a` bytes that init() may leave outside the first free
 * block: control structure, base alignment (ALIGN-1), region descriptor (2
 * words), first-header alignment (ALIGN-1), sentinel (1 word), tail (ALIGN-1).
 * After init, total_bytes >= a - RTM_TLSF_OVERHEAD(a). rtm_tlsf_add_region()
 * loses at most 3 words + 2*(ALIGN-1) bytes of its region. With
 * RTMEM_CFG_TLSF_WORD16 each chunk after a region's first loses up to 2 ALIGN
 * more (its descriptor, the previous chunk's sentinel, alignment). */
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
 * bytes occupies at most max(B, r_i + W + ALIGN - 1) <= B r_i bytes, and
 * F <= F r_i; with sum r_i <= M - 1 before the failing request,
 *     L + (k+1) F <= (B + F)(M - 1) + F < (B + F) M.
 * Hence block space A = (B + F) M never fails; add RTM_TLSF_OVERHEAD.
 *
 * This is the bound of any "some-fit" splitting allocator, not Robson's
 * M log2(n) bound for the best possible (power-of-two, address-ordered)
 * strategy: Robson also showed best fit can need ~M n / 4 bytes in the worst
 * case, and a segregated good-fit allocator (like TLSF or best fit) that
 * splits exactly can be driven to the same pattern (tiny live blocks pinning
 * holes just too small for the next request), so no log bound holds for it.
 * The bound is what the guarantee costs; typical workloads need 1.1-1.5 M
 * (measure with the trace replay of `rtmem bench`). When a hard, small bound
 * matters more than fill, use a pool (rtm_pool) for the small sizes. */
/* With WORD16 an arena beyond RTM_TLSF_MAX_BLOCK is cut into chunks, and a
 * free block cannot grow across a chunk's end: each chunk after the first
 * may hold one more free block (at most F bytes) and loses up to 2 ALIGN to
 * its descriptor and sentinel, so the bound adds (chunks - 1)(F + 2 ALIGN),
 * with chunks counted for the largest arena, RTM_TLSF_CHUNKS_MAX. Requests
 * above RTM_TLSF_MAX_REQUEST have no bound (the function returns 0). */
#define RTM_TLSF_CHUNKS_MAX                                                           \
    (RTMEM_CFG_TLSF_WORD16 ? RTM_TLSF_MAX_ARENA / (RTM_TLSF_MAX_BLOCK - 2u * RTM_TLSF_ALIGN - \
                                                   RTM_TLSF_MIN_BLOCK) + 1u                 \
                           : 1u)
#define RTM_TLSF__CHUNKS(M, n)                                                        \
    (RTM_TLSF__B(M, n) > RTM_TLSF_MAX_BLOCK                                             \
         ? (RTM_TLSF_CHUNKS_MAX - 1u) * (RTM_TLSF__F(n) + 2u * RTM_TLSF_ALIGN)           \
         : (size_t)0)
#define RTM_TLSF__F(n) (RTM_TLSF_BLOCK_SIZE(n) + (RTM_TLSF_BLOCK_SIZE(n) >> RTMEM_CFG_TLSF_SL_LOG2))
#define RTM_TLSF__A(M, n) (((size_t)RTM_TLSF_MIN_BLOCK + RTM_TLSF__F(n)) * (size_t)(M))
#define RTM_TLSF__OVERHEAD_MAX RTM_TLSF_OVERHEAD(~(size_t)0 >> 1)
#define RTM_TLSF__B(M, n) \
    (RTM_TLSF__A(M, n) + RTM_TLSF_OVERHEAD(RTM_TLSF__A(M, n) + RTM_TLSF__OVERHEAD_MAX))
#define RTM_TLSF_ARENA_BOUND(max_live_bytes, max_block) \
    (RTM_TLSF__B(max_live_bytes, max_block) + RTM_TLSF__CHUNKS(max_live_bytes, max_block))

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
    size_t used_bytes;       /* in used blocks: free bytes = total - used */
    size_t max_used;         /* peak used_bytes: min ever free = total - max_used */
    size_t free_blocks;      /* used blocks: alloc_count - free_count */
    size_t alloc_count;
    size_t free_count;
    size_t failed_allocs;
#if RTMEM_CFG_TEST_HOOKS
    size_t steps;            /* basic steps (list/bitmap/split/merge ops) */
#endif
} rtm_tlsf_t;

/* ---- API --------------------------------------------------------------------
 * Every call with t == NULL returns RTM_ERR_NULL / NULL / 0 and does nothing
 * (there is no instance to report the fault to). Allocation failures
 * (no memory, size 0, size overflow) return NULL, count failed_allocs
 * (except size 0) and are not faults. */

/* Set up a heap in [mem, mem + size). The control structure
 * (rtm_tlsf_control_size(size) bytes) goes at the start of the buffer, the
 * rest becomes one free block (with RTMEM_CFG_TLSF_WORD16, one per chunk of
 * at most RTM_TLSF_MAX_BLOCK bytes: at most 9 with ALIGN 8).
 * O(rtm_tlsf_control_size(size)).
 * RTM_ERR_NULL: mem NULL. RTM_ERR_ARG: size is below RTM_TLSF_OVERHEAD(size)
 * + RTM_TLSF_MIN_BLOCK (= rtm_tlsf_arena_bound(0, 0) up to the control
 * structure's growth; enough whatever the alignment of mem), the buffer
 * wraps the address space, or it is larger
 * than RTM_TLSF_MAX_ARENA (512 KiB with 16-bit heads and ALIGN 8; 4 GiB with
 * 32-bit words; 2^(30+FL_SHIFT) bytes otherwise). */
rtm_err_t rtm_tlsf_init(rtm_tlsf_t *t, void *mem, size_t size);

/* Add [mem, mem + size) as another region (like heap_5). O(1) (with
 * RTMEM_CFG_TLSF_WORD16, O(chunks) as in init()). Its blocks never merge
 * with another region's. RTM_ERR_NULL: mem NULL. RTM_ERR_STATE:
 * t not initialised. RTM_ERR_BAD_REGION: too small for a minimum block,
 * wraps, overlaps the span of the existing regions, has a block larger than
 * the control structure's classes (keep added regions no larger than the
 * init() buffer), or has a block that a link cannot reach: with 16-bit heads
 * (the default) every region must lie within RTM_TLSF_MAX_ARENA bytes above
 * the start of the init() buffer; with 32-bit words on a 64-bit host within
 * 32 GiB above it. */
rtm_err_t rtm_tlsf_add_region(rtm_tlsf_t *t, void *mem, size_t size);
rtm_err_t rtm_tlsf_free(rtm_tlsf_t *t, void *p); /* first: RTM_ALLOCATOR */

/* Allocate `size` bytes aligned to RTMEM_CFG_TLSF_ALIGN. O(1). size 0 ->
 * NULL (not counted as a failure); a size larger than the heap (up to
 * SIZE_MAX) or than RTM_TLSF_MAX_REQUEST -> NULL without wrapping. */
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
 * to RTMEM_CFG_TLSF_ALIGN are a plain alloc). O(1). The search asks for
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
 * Requests up to this minus RTM_TLSF_WORD_SIZE always succeed. */
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
