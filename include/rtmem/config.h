/*
 * rtmem configuration: the one place where every option lives.
 *
 * Every option has a documented default below. A project overrides any of them
 * by defining RTMEM_CONFIG_HEADER (e.g. -DRTMEM_CONFIG_HEADER='"my_rtmem_cfg.h"')
 * naming a header that #defines the options it wants changed; that header is
 * included first, so its values win. Options are 0/1 switches or numbers, always
 * tested with #if (never #ifdef) so that -Wundef catches a misspelt option, and
 * checked with _Static_assert in src/common.c.
 */
#ifndef RTMEM_CONFIG_H
#define RTMEM_CONFIG_H

#if defined(RTMEM_CONFIG_HEADER)
#include RTMEM_CONFIG_HEADER
#endif

/* ---- General ------------------------------------------------------------ */

/* RTMEM_CFG_ASSERT: 1 = internal assertions and the default fault hook trap
 * (debug builds); 0 = no assertions, faults are only counted in the statistics
 * (release builds). Default follows NDEBUG. */
#ifndef RTMEM_CFG_ASSERT
#if defined(NDEBUG)
#define RTMEM_CFG_ASSERT 0
#else
#define RTMEM_CFG_ASSERT 1
#endif
#endif

/* RTMEM_CFG_PORT: which port supplies critical sections and blocking waits.
 * The build system sets it to match the port source it compiles. */
#define RTMEM_PORT_NONE 0     /* single thread, no locking, no blocking */
#define RTMEM_PORT_POSIX 1    /* pthread mutex + condition variables (host) */
#define RTMEM_PORT_CORTEX_M 2 /* PRIMASK (or BASEPRI) save/restore */
#define RTMEM_PORT_FREERTOS 3 /* vTaskSuspendAll / xTaskResumeAll */
#ifndef RTMEM_CFG_PORT
#define RTMEM_CFG_PORT RTMEM_PORT_NONE
#endif

/* RTMEM_CFG_CORTEX_M_BASEPRI: 0 = the cortex_m port masks all interrupts with
 * PRIMASK; a non-zero value is written to BASEPRI instead, so interrupts of a
 * higher priority (numerically lower) than this value keep running. ARMv6-M
 * (Cortex-M0/M0+) has no BASEPRI: the value must be 0 there. */
#ifndef RTMEM_CFG_CORTEX_M_BASEPRI
#define RTMEM_CFG_CORTEX_M_BASEPRI 0
#endif

/* RTMEM_CFG_PORT_TICK_HZ: tick rate assumed by the posix port when it turns
 * timeouts given in ticks into wall-clock time. */
#ifndef RTMEM_CFG_PORT_TICK_HZ
#define RTMEM_CFG_PORT_TICK_HZ 1000
#endif

/* RTMEM_CFG_FREERTOS_WAITERS: most tasks that may block at once on one pool or
 * queue under the freertos port (each costs one pointer in the object). */
#ifndef RTMEM_CFG_FREERTOS_WAITERS
#define RTMEM_CFG_FREERTOS_WAITERS 8
#endif

/* RTMEM_CFG_TEST_HOOKS: 1 = algorithms count their loop steps in the instance
 * (rtm_steps_t) so tests can prove a bound; 0 in production: compiles away. */
#ifndef RTMEM_CFG_TEST_HOOKS
#define RTMEM_CFG_TEST_HOOKS 0
#endif

/* RTMEM_CFG_EVENTS: 1 = every allocator reports alloc/free/realloc/failure
 * events to the observer installed with rtm_observer_set() (rtmem/hooks.h):
 * trace recording and leak tracking need it. 0 = the reports are not
 * compiled in and cost nothing. */
#ifndef RTMEM_CFG_EVENTS
#define RTMEM_CFG_EVENTS 0
#endif

/* RTMEM_CFG_HARDEN: protection against the application's own stray writes.
 * 0 = the default checks: every link, index and size read from the heap's
 * memory is range-checked before it is followed or trusted (O(1));
 * 1 = also links and sizes stored protected (XOR with a per-instance canary),
 * freed memory tagged, so corruption is found at the next touch;
 * 2 = also guard bytes after each block (checked at free and by the check)
 * and freed memory poisoned (verified when handed out again).
 * No level changes the layout of a public struct. */
#ifndef RTMEM_CFG_HARDEN
#define RTMEM_CFG_HARDEN 0
#endif

/* ---- Free-list heaps (heap_2, heap_4, heap_5) --------------------------- */

/* RTMEM_CFG_HEAP_ALIGNMENT: alignment of every block and returned pointer, in
 * bytes (FreeRTOS portBYTE_ALIGNMENT; 8 on Cortex-M). A power of two from 4 to
 * 64, and at least alignof(void *) and alignof(size_t) (so 8 on a 64-bit
 * host). The block header is {next, size} rounded up to this value. */
#ifndef RTMEM_CFG_HEAP_ALIGNMENT
#define RTMEM_CFG_HEAP_ALIGNMENT 8
#endif

/* RTMEM_CFG_HEAP_PROTECTOR: 1 = free-list links and the check words of
 * allocated blocks are stored XOR-ed with a per-instance canary
 * (rtm_heapX_init_canary; FreeRTOS configENABLE_HEAP_PROTECTOR), as with
 * RTMEM_CFG_HARDEN >= 1. 0 = plain links. Either way every link is checked
 * before it is followed (rtmem/freelist.h). */
#ifndef RTMEM_CFG_HEAP_PROTECTOR
#define RTMEM_CFG_HEAP_PROTECTOR 0
#endif

/* RTMEM_CFG_HEAP5_MAX_REGIONS: most regions an rtm_heap5_t accepts; each
 * costs two pointers in the instance (used to reject foreign pointers and to
 * walk the heap). */
#ifndef RTMEM_CFG_HEAP5_MAX_REGIONS
#define RTMEM_CFG_HEAP5_MAX_REGIONS 8
#endif

/* ---- Module sections: each module adds its options below its heading. --- */

/* ---- heap_1 and heap_3 (rtm_heap1, rtm_heap3) ---------------------------- */

/* rtm_heap1 uses RTMEM_CFG_HEAP_ALIGNMENT (above) and has no other option.
 * rtm_heap3 wraps the C library's malloc/free: src/heap3.c is the one hosted
 * source (<stdlib.h>); a bare-metal link needs the C library's heap. */

/* ---- FreeRTOS heap layer (src/compat/freertos_heap.c) -------------------- */

/* RTMEM_CFG_FREERTOS_KERNEL: 1 = the layer is compiled inside a FreeRTOS
 * application: it includes "FreeRTOS.h" and uses the kernel's types
 * (HeapStats_t, HeapRegion_t, portMAX_DELAY, configASSERT). 0 = it includes
 * only the application's "FreeRTOSConfig.h" and declares those itself. The
 * scheme and heap options come from that header, not from here (see
 * rtmem/freertos_heap.h). */
#ifndef RTMEM_CFG_FREERTOS_KERNEL
#define RTMEM_CFG_FREERTOS_KERNEL 0
#endif

/* ---- TLSF (rtm_tlsf) ----------------------------------------------------- */

/* RTMEM_CFG_TLSF_SL_LOG2: log2 of the second-level subdivisions of each
 * power-of-two size range (2..5). 4 = 16 classes per power of two: classes are
 * exact below 256 bytes and at most 1/16 wide above; the control structure
 * for a 64 KiB arena on a 32-bit target is 348 bytes with 16-bit heads (5:
 * 32-bit SL bitmaps and 9 x 32 heads, 620 bytes). */
#ifndef RTMEM_CFG_TLSF_SL_LOG2
#define RTMEM_CFG_TLSF_SL_LOG2 4
#endif

/* RTMEM_CFG_TLSF_USE_BUILTIN_CLZ: 1 = bitmap searches use the compiler's
 * count-leading/trailing-zeros builtins (one CLZ/RBIT instruction on
 * Cortex-M3/M4/M33; a libgcc call on Cortex-M0+, which has no CLZ); 0 = a
 * portable fixed-step (5 comparisons) fallback. Default 1 with GCC/Clang. */
#ifndef RTMEM_CFG_TLSF_USE_BUILTIN_CLZ
#if defined(__GNUC__)
#define RTMEM_CFG_TLSF_USE_BUILTIN_CLZ 1
#else
#define RTMEM_CFG_TLSF_USE_BUILTIN_CLZ 0
#endif
#endif

/* RTMEM_CFG_TLSF_OFFSET32: 1 = block headers, sizes and free-list links are
 * 32-bit words (links are offsets from the init() buffer in ALIGN units),
 * so a 64-bit host has exactly the
 * Cortex-M block layout: 4-byte header, 16-byte minimum block; every region
 * must then lie within 32 GiB above the first arena. 0 = words of uintptr_t
 * (8-byte header and 32-byte minimum block on a 64-bit host). Identical
 * layouts and code on 32-bit targets. Default 1: on x86-64 it measured as
 * fast as 0 (W1 median alloc/free 20/30 ns both) and packs better (W3 fill
 * 0.889 vs 0.867 with word-sized heads), and the host then behaves like the
 * target. */
#ifndef RTMEM_CFG_TLSF_OFFSET32
#define RTMEM_CFG_TLSF_OFFSET32 1
#endif

/* RTMEM_CFG_TLSF_WORD16: 1 = the compact block layout: the header, the
 * free-list links and the size copy are 16-bit words, so a used block
 * carries a 2-byte header (not 4) and the minimum block is 8 bytes (not 16).
 * Sizes must then fit 16 bits: init() and rtm_tlsf_add_region() cut a
 * region with more than RTM_TLSF_MAX_BLOCK (65,528) bytes of blocks into
 * chunks of at most that size, each with its own descriptor and sentinel
 * (8 bytes), so any heap up to RTM_TLSF_MAX_ARENA (512 KiB with ALIGN 8,
 * as with 16-bit list heads) still works, but no request above
 * RTM_TLSF_MAX_REQUEST (65,526 bytes) can succeed: it fails like any
 * other (NULL, counted in failed_allocs, no fault).
 * The 2 bytes per block raise W3 fill (BENCH.md, 32-bit build, default
 * placement) from 0.898 to 0.9015 on seeds 1..200, 0.897 -> 0.903 on seeds
 * 1..10,000. They cost time: Cortex-M4 -O2 W1 means (make bench-target)
 * alloc 96 -> 104 and free 98 -> 110 instructions, mostly because free
 * blocks of 8-15 bytes are now split off and merged back (W2 108 / 110 ->
 * 109 / 108, W4 pair 215 both); longest paths alloc 189 -> 190, free
 * 243 -> 245. And code: the
 * minimal init+alloc+free link on Cortex-M4 at -Os grows from 968 to 1,070
 * bytes (the chunk set-up in init, 84), past the 1,000-byte budget, so
 * size-optimised builds (__OPTIMIZE_SIZE__)
 * default to 0, as for RTMEM_CFG_TLSF_CARVE; other 32-bit builds default
 * to 1; 64-bit hosts to 0 (the tool replays traces with blocks of MiBs).
 * Set 0 where single blocks above 64 KiB are needed. With 1,
 * RTMEM_CFG_TLSF_HEAD16 and RTMEM_CFG_TLSF_OFFSET32 are ignored (heads and
 * words are 16-bit). */
#ifndef RTMEM_CFG_TLSF_WORD16
#if (defined(__SIZEOF_POINTER__) && __SIZEOF_POINTER__ > 4) || defined(__OPTIMIZE_SIZE__)
#define RTMEM_CFG_TLSF_WORD16 0
#else
#define RTMEM_CFG_TLSF_WORD16 1
#endif
#endif

/* RTMEM_CFG_TLSF_HEAD16: 1 = free-list heads in the control structure are
 * 16-bit links (block distance from the arena start in ALIGN units), which
 * halves the control structure (348 bytes for a 64 KiB arena on a 32-bit
 * target instead of 668) but limits the heap to RTM_TLSF_MAX_ARENA: every
 * region must lie within 65535 * ALIGN bytes (512 KiB with ALIGN 8) above
 * the start of the init() buffer. 0 = word-sized heads, no such limit.
 * Default: 1 on 32-bit targets, 0 on 64-bit hosts. */
#ifndef RTMEM_CFG_TLSF_HEAD16
#if defined(__SIZEOF_POINTER__) && __SIZEOF_POINTER__ > 4
#define RTMEM_CFG_TLSF_HEAD16 0 /* 64-bit hosts: arenas of any size (the tool replays MiB-sized traces) */
#else
#define RTMEM_CFG_TLSF_HEAD16 1 /* 32-bit targets: MCU RAM fits in 512 KiB; set 0 for bigger heaps */
#endif
#endif

/* RTMEM_CFG_TLSF_ALIGN: alignment of every pointer rtm_tlsf returns, and the
 * block granularity: a power of two, 8..64. 8 suits Cortex-M; x86-64's
 * max_align_t is 16, so host code storing long double or SSE types in TLSF
 * blocks sets 16 (or uses rtm_tlsf_aligned_alloc). */
#ifndef RTMEM_CFG_TLSF_ALIGN
#define RTMEM_CFG_TLSF_ALIGN 8
#endif

/* RTMEM_CFG_TLSF_CARVE: 1 = alloc chooses which end of the free block it
 * splits to carve the new block from: the top when the block just above is
 * small (a used block under RTMEM_CFG_TLSF_CARVE_NEAR bytes, or the region's
 * end), the bottom otherwise; the other way round for blocks over
 * RTMEM_CFG_TLSF_CARVE_LARGE bytes. The leftover then lies against the
 * larger neighbour, whose release makes a larger hole, and small and large
 * blocks gather apart. One header read more per split, O(1). W3 fill
 * (BENCH.md, 32-bit layout), 0 -> 1: seeds 1..200 0.894 -> 0.898, seeds
 * 201..1200 (not the benchmark's) 0.894 -> 0.897. Instructions on
 * Cortex-M4 (-O2, make bench-target, 0 -> 1): W1 means alloc 94 -> 96, free
 * 97 -> 98; W2 alloc(256) 114 -> 108 and free 125 -> 110, W4 pair
 * 237 -> 215 (a block carved from the top, or merged down into its free
 * predecessor, keeps that free block's place and links: resize()). The
 * longest alloc path 183 -> 189. The thresholds came from
 * the placement model (scripts/w3sim.c), where they did best on both seed
 * ranges. A block carved from the top merges down into its old leftover
 * when freed, leaving its old header inside the merged free block, so with
 * 1 free also recognises a second free of such a block as
 * RTM_ERR_DOUBLE_FREE (with 0, as with classic TLSF, that case reads as
 * RTM_ERR_CORRUPT). rtm_tlsf_aligned_alloc and realloc keep the bottom.
 * 0 = always the bottom (classic TLSF). Costs 112 bytes of the minimal
 * init+alloc+free link on Cortex-M4 at -Os, which would then pass 1,000
 * bytes, so size-optimised builds (__OPTIMIZE_SIZE__) default to 0. */
#ifndef RTMEM_CFG_TLSF_CARVE
#if defined(__OPTIMIZE_SIZE__)
#define RTMEM_CFG_TLSF_CARVE 0
#else
#define RTMEM_CFG_TLSF_CARVE 1
#endif
#endif
#ifndef RTMEM_CFG_TLSF_CARVE_NEAR
#define RTMEM_CFG_TLSF_CARVE_NEAR 256
#endif
#ifndef RTMEM_CFG_TLSF_CARVE_LARGE
#define RTMEM_CFG_TLSF_CARVE_LARGE 2048
#endif

/* RTMEM_CFG_TLSF_RELINK: 1 = when a split leaves, or a merge with one free
 * neighbour makes, a free block of the same size class as the free block it
 * replaces, the new block takes the old one's place in its list: no unlink,
 * no insert, no bitmap change. Measured on Cortex-M4 in instructions
 * (make bench-target, -O2, RTMEM_CFG_TLSF_CARVE 0, off -> on): W4 alloc(32)+free pair 345 -> 237,
 * W2 alloc(256) 175 -> 115 and its free 172 -> 123, W1 means alloc
 * 105 -> 94, free 98 -> 97. It costs text (tlsf.o
 * on M4: 4,631 -> 5,203 bytes at -O2, 3,892 -> 4,234 at -Os), so
 * size-optimised builds (__OPTIMIZE_SIZE__, i.e. -Os) leave it out by
 * default and keep init+alloc+free under 1,000 bytes. Either way alloc and
 * free stay O(1): the worst case is the path without it plus one class
 * comparison. */
#ifndef RTMEM_CFG_TLSF_RELINK
#if defined(__OPTIMIZE_SIZE__)
#define RTMEM_CFG_TLSF_RELINK 0
#else
#define RTMEM_CFG_TLSF_RELINK 1
#endif
#endif

/* ---- Pools and queues (rtm_pool, rtm_queue) ----------------------------- */

/* RTMEM_CFG_POOL_FREE_BITMAP: 1 = pools get an allocation bitmap (one bit per
 * block) unless created without RTM_POOL_BITMAP, so a double free is caught in
 * O(1); this is the default flag set of RTM_POOL_STORAGE(). 0 = by default no
 * bitmap: a double free of a block goes undetected (range and boundary checks
 * stay). Either way a pool may choose with its own flags. */
#ifndef RTMEM_CFG_POOL_FREE_BITMAP
#define RTMEM_CFG_POOL_FREE_BITMAP 1
#endif

/* RTMEM_CFG_POOL_LOCKFREE: 1 = compile the lock-free pool mode
 * (RTM_POOL_LOCKFREE, C11 <stdatomic.h>, compare-and-swap on a tagged index).
 * It needs a CAS instruction: ARMv6-M (Cortex-M0/M0+) has none, so there the
 * default is 0 and setting 1 is a compile-time error (use the default
 * critical-section mode, which masks interrupts and is just as ISR-safe). */
#ifndef RTMEM_CFG_POOL_LOCKFREE
#if defined(__ARM_ARCH_6M__) || defined(__STDC_NO_ATOMICS__)
#define RTMEM_CFG_POOL_LOCKFREE 0
#else
#define RTMEM_CFG_POOL_LOCKFREE 1
#endif
#endif

/* RTMEM_CFG_FREERTOS_QUEUE_COMPAT: 1 = compile the FreeRTOS-named queue layer
 * (xQueueCreateStatic, ...) for bare-metal builds; it is never compiled into a
 * FreeRTOS build (RTMEM_CFG_PORT == RTMEM_PORT_FREERTOS), whose own queue.c
 * owns those names. */
#ifndef RTMEM_CFG_FREERTOS_QUEUE_COMPAT
#define RTMEM_CFG_FREERTOS_QUEUE_COMPAT 1
#endif

#endif /* RTMEM_CONFIG_H */
