/*
 * rtmem configuration: the one place where every option lives.
 *
 * Every option has a documented default below. A project overrides any of them
 * by defining RTMEM_CONFIG_HEADER (e.g. -DRTMEM_CONFIG_HEADER='"my_rtmem_cfg.h"')
 * naming a header that #defines the options it wants changed; that header is
 * included first, so its values win. Options are 0/1 switches or numbers, always
 * tested with #if (never #ifdef) so that -Wundef catches a misspelt option, and
 * checked with _Static_assert in src/common.c. Only options an application
 * sets live here; rtmem's own test-only knobs are in src/rtm_config_internal.h.
 */
#ifndef RTMEM_CONFIG_H
#define RTMEM_CONFIG_H

#if defined(RTMEM_CONFIG_HEADER)
#include RTMEM_CONFIG_HEADER
#endif

/* RTMEM_CFG_FREERTOS_HEAP: 1 = take the heap options (alignment, protector)
 * from the application's FreeRTOSConfig.h, as part 1 of
 * rtmem/freertos_heap.h derives them; every rtmem source of a build with the
 * FreeRTOS heap layer gets it (rtmem_add_freertos_heap sets it; a Makefile
 * passes -DRTMEM_CFG_FREERTOS_HEAP=1). Default 0. */
#if defined(RTMEM_CFG_FREERTOS_HEAP) && RTMEM_CFG_FREERTOS_HEAP
#define RTMEM_FREERTOS_CONFIG_ONLY 1
#include "rtmem/freertos_heap.h"
#undef RTMEM_FREERTOS_CONFIG_ONLY
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

/* RTMEM_TRAP(): what a failed internal assertion (RTMEM_CFG_ASSERT) or the
 * default fault hook does. Default: the compiler's trap instruction. */
#ifndef RTMEM_TRAP
#define RTMEM_TRAP() __builtin_trap()
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
 * queue under the freertos port (each costs one pointer in the object). A
 * plain decimal number, without parentheses or casts: under that port it is
 * part of the link names that catch a layout mismatch (rtmem/common.h). */
#ifndef RTMEM_CFG_FREERTOS_WAITERS
#define RTMEM_CFG_FREERTOS_WAITERS 8
#endif

/* The freertos port's three options below have defaults that need the
 * application's FreeRTOS headers (FreeRTOSConfig.h, portmacro.h), so
 * src/port/port_freertos.c sets those defaults, after including them; an
 * application that wants another value defines the option in
 * FreeRTOSConfig.h or in its RTMEM_CONFIG_HEADER.
 *
 * RTMEM_CFG_FREERTOS_NOTIFY_INDEX: the direct-to-task notification index on
 * which the port parks a blocked task, so the application's index 0 is left
 * alone. Default the last index, configTASK_NOTIFICATION_ARRAY_ENTRIES - 1;
 * -1 = none (the default with a single entry): a waiter then sleeps a tick at
 * a time and looks again.
 *
 * RTMEM_CFG_FREERTOS_IN_ISR(): non-zero when called from an interrupt.
 * Default the port's portCHECK_IF_IN_ISR() where it has one, else IPSR on
 * Arm M-profile cores; any other core must name its port's test, e.g.
 *   #define RTMEM_CFG_FREERTOS_IN_ISR() (xPortIsInsideInterrupt() != pdFALSE)
 * (without it every call counts as task code).
 *
 * RTMEM_CFG_FREERTOS_YIELD_FROM_ISR(woke): what an interrupt whose free or
 * send woke a task does. Default portYIELD_FROM_ISR(woke), the switch at the
 * interrupt's end; ((void)(woke)) where the interrupt yields by itself, or
 * where the "interrupt" is a tick hook on a port whose portYIELD_FROM_ISR
 * switches at once (the POSIX simulator): the woken task then runs at the
 * next switch.
 *
 * (Before these names were settled the last two were RTMEM_FREERTOS_IN_ISR
 * and RTMEM_FREERTOS_YIELD_FROM_ISR; the port refuses those names at compile
 * time, so a FreeRTOSConfig.h that still sets them is not silently ignored.) */

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

/* RTMEM_CFG_SAN: let a host sanitizer see inside the heaps (rtmem/san.h).
 * 0 = off (the only value for a target); 1 = AddressSanitizer's manual
 * poisoning (the library itself then built without -fsanitize=address);
 * 2 = Valgrind client requests (needs valgrind/memcheck.h). Needs
 * RTMEM_CFG_EVENTS=1. */
#ifndef RTMEM_CFG_SAN
#define RTMEM_CFG_SAN 0
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

/* rtm_tlsf has no option of its own: one block layout (32-bit words, 8-byte
 * granularity and alignment, 16 second-level classes per power of two; see
 * rtmem/tlsf.h) whatever the optimisation level, compiler or target. A layout
 * option would let an application and a library disagree on the arena bound
 * and multiply the configurations to test; 8 bytes aligns every type on
 * Cortex-M, and rtm_tlsf_aligned_alloc() serves larger alignments (16 for
 * x86-64's max_align_t). The bit scan uses the compiler's CLZ/CTZ builtins
 * with GCC and Clang and a portable scan otherwise, with the same results.
 * RTMEM_CFG_HARDEN (above) is the only option that changes its block layout;
 * the library and the application must agree on it: rtm_tlsf_init() refuses
 * a heap when they differ (RTM_TLSF_ABI). */
#if defined(RTMEM_CFG_TLSF_ALIGN)
#error "RTMEM_CFG_TLSF_ALIGN is gone: rtm_tlsf always aligns to 8 (RTM_TLSF_ALIGN); use rtm_tlsf_aligned_alloc() for a larger alignment"
#endif
#if defined(RTMEM_CFG_TLSF_SL_LOG2)
#error "RTMEM_CFG_TLSF_SL_LOG2 is gone: rtm_tlsf has a fixed layout (RTM_TLSF_SL_LOG2); remove the definition"
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

/* RTMEM_CFG_CMSIS_HEAP_SIZE: bytes of the private rtm_heap4 from which the
 * CMSIS-RTOS pool layers take control blocks and block storage when the
 * application gives none (osMemoryPoolNew with attr NULL, the v1 osPoolDef of
 * an upstream cmsis_os.h): CMSIS code expects the RTOS's memory there. 0 =
 * none (such calls return NULL unless rtm_os2_pool_set_allocator() installs
 * an allocator). Ignored under the freertos port, where pvPortMalloc serves. */
#ifndef RTMEM_CFG_CMSIS_HEAP_SIZE
#define RTMEM_CFG_CMSIS_HEAP_SIZE 4096
#endif

/* RTMEM_CFG_CMSIS_WAIT_POOLS: how many CMSIS-RTOS2 pools may have threads
 * blocked in osMemoryPoolAlloc at the same time (a static table of wait
 * queues, kept outside the control blocks so that those fit RTX5's size).
 * A wait beyond it returns NULL with an RTM_ERR_BUSY fault (cmsis_os2_pool.h). */
#ifndef RTMEM_CFG_CMSIS_WAIT_POOLS
#define RTMEM_CFG_CMSIS_WAIT_POOLS 4
#endif

/* RTMEM_CFG_CMSIS_V1_ON_V2: 1 = the CMSIS-RTOS v1 pool API (osPool*) is
 * built for the v1-on-v2 compatibility cmsis_os.h (CMSIS/RTOS2/Template, with
 * RTX5 and CMSIS-FreeRTOS), whose osPoolDef_t holds an osMemoryPoolAttr_t:
 * the v1 calls map onto osMemoryPool*. 0 = v1 over rtm_pool, with rtmem's own
 * declarations or a v1 cmsis_os.h. Library and application must agree; the
 * header refuses a cmsis_os.h of the other kind. */
#ifndef RTMEM_CFG_CMSIS_V1_ON_V2
#define RTMEM_CFG_CMSIS_V1_ON_V2 0
#endif

/* RTMEM_CFG_FREERTOS_QUEUE_COMPAT: 1 = compile the FreeRTOS-named queue layer
 * (xQueueCreateStatic, ...) for bare-metal builds; it is never compiled into a
 * FreeRTOS build (RTMEM_CFG_PORT == RTMEM_PORT_FREERTOS), whose own queue.c
 * owns those names. */
#ifndef RTMEM_CFG_FREERTOS_QUEUE_COMPAT
#define RTMEM_CFG_FREERTOS_QUEUE_COMPAT 1
#endif

/* ---- Sealing, observation and the malloc guard: table sizes ------------- */

/* RTM_SEAL_OWNERS: (instance, owner) pairs rtm_seal_owner() can hold at once
 * (rtmem/hooks.h); the gate's slow path is O(RTM_SEAL_OWNERS). */
#ifndef RTM_SEAL_OWNERS
#define RTM_SEAL_OWNERS 8
#endif

/* RTM_SEAL_AT_START: instances rtm_seal_at_start() can seal (rtmem/seal.h). */
#ifndef RTM_SEAL_AT_START
#define RTM_SEAL_AT_START 8
#endif

/* RTM_FANOUT_MAX: observers one rtm_fanout_t holds (rtmem/observe.h; its
 * size). Library and application must agree. */
#ifndef RTM_FANOUT_MAX
#define RTM_FANOUT_MAX 4u
#endif

/* RTM_SAN_MAX_INST: instances one rtm_san_t watches (rtmem/san.h; its size).
 * Library and application must agree. */
#ifndef RTM_SAN_MAX_INST
#define RTM_SAN_MAX_INST 4u
#endif

/* RTM_GUARD_OWNERS: owners 0..RTM_GUARD_OWNERS-1 the malloc guard can flag
 * real-time (rtmem/malloc_guard.h). */
#ifndef RTM_GUARD_OWNERS
#define RTM_GUARD_OWNERS 64
#endif

/* ---- Stacks (rtm_stack) ------------------------------------------------- */

/* RTMEM_CFG_STACK_CANARY_BYTES: bytes of the canary at a stack's limit
 * (overflow method 2): a multiple of 8, at least 16. */
#ifndef RTMEM_CFG_STACK_CANARY_BYTES
#define RTMEM_CFG_STACK_CANARY_BYTES 16
#endif

/* RTMEM_CFG_FREERTOS_STACKS: how many task stacks the FreeRTOS stack layer
 * (rtmem/freertos_stack.h) can attach at once. */
#ifndef RTMEM_CFG_FREERTOS_STACKS
#define RTMEM_CFG_FREERTOS_STACKS 16
#endif

#endif /* RTMEM_CONFIG_H */
