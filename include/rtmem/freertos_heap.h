/*
 * FreeRTOS heap API over rtmem: pvPortMalloc, vPortFree, pvPortCalloc,
 * xPortGetFreeHeapSize, xPortGetMinimumEverFreeHeapSize,
 * xPortResetHeapMinimumEverFreeHeapSize, vPortGetHeapStats,
 * vPortDefineHeapRegions, vPortInitialiseBlocks and vPortHeapResetState with
 * the FreeRTOS-Kernel V11 types and signatures (include/portable.h), so
 * application code written for heap_1..heap_5 compiles unchanged.
 *
 * Configuration comes from a FreeRTOSConfig.h-style header on the include
 * path (with RTMEM_CFG_FREERTOS_KERNEL=1 from the kernel's "FreeRTOS.h",
 * whose types are then used):
 *   configFRTOS_MEMORY_SCHEME      1..5 = heap_1..heap_5, 6 = rtm_tlsf
 *                                  (required unless
 *                                  configSUPPORT_DYNAMIC_ALLOCATION is 0)
 *   configSUPPORT_DYNAMIC_ALLOCATION 0 = the layer is empty: it defines no
 *                                  pvPortMalloc and no ucHeap, as when
 *                                  upstream builds no heap_N.c (default 1)
 *   configTOTAL_HEAP_SIZE          bytes of ucHeap (schemes 1, 2, 4; 6 has
 *                                  ucHeap only if it is defined, and uses it
 *                                  if it is not 0); any C expression that
 *                                  upstream accepts, e.g. ((size_t)(65*1024))
 *   configAPPLICATION_ALLOCATED_HEAP  1 = the application defines
 *                                  uint8_t ucHeap[configTOTAL_HEAP_SIZE]
 *                                  (default 0: the layer owns it, aligned
 *                                  to portBYTE_ALIGNMENT)
 *   configUSE_MALLOC_FAILED_HOOK   1 = vApplicationMallocFailedHook() runs
 *                                  whenever pvPortMalloc/pvPortCalloc return
 *                                  NULL after calling the scheme (so also for
 *                                  size 0 and overflowing sizes), outside
 *                                  the critical section; a pvPortCalloc whose
 *                                  n * size overflows returns NULL without
 *                                  it, as upstream does (default 0)
 *   configHEAP_CLEAR_MEMORY_ON_FREE 1 = a freed block's user bytes are zeroed
 *                                  (schemes 2, 4, 5, 6; default 0)
 *   configENABLE_HEAP_PROTECTOR    1 = free-list links XOR-ed with the canary
 *                                  from vApplicationGetRandomHeapCanary(),
 *                                  block pointers checked to lie inside the
 *                                  heap (schemes 4, 5; default 0)
 *   portBYTE_ALIGNMENT             power of two, 4..64 (default 8); it must
 *                                  equal RTMEM_CFG_HEAP_ALIGNMENT, which this
 *                                  header sets from it
 *   portPOINTER_SIZE_TYPE          default uintptr_t
 *   portMAX_DELAY                  the kernel's; without the kernel, from
 *                                  configTICK_TYPE_WIDTH_IN_BITS
 *                                  (TICK_TYPE_WIDTH_16_BITS, _32_BITS,
 *                                  _64_BITS, defined here as in FreeRTOS.h)
 *                                  or configUSE_16_BIT_TICKS; 32 bits if
 *                                  neither is set
 *   configASSERT(x)                optional: receives every fault (below)
 *
 * The layer holds ONE global instance of the chosen scheme. Schemes 1, 2, 3,
 * 4 and 6 set it up on the first pvPortMalloc/pvPortCalloc, scheme 5 in
 * vPortDefineHeapRegions (6 may also take its regions there), exactly when
 * upstream sets its heap up, so every query returns upstream's numbers
 * before the first allocation too. Every call runs the scheme inside
 * rtm_port_enter()/rtm_port_exit() (the cores are not thread-safe).
 *
 * Numbers: with the same portBYTE_ALIGNMENT, heap size and ucHeap address,
 * heap_1/2/4/5 succeed or fail on the same calls as FreeRTOS-Kernel V11.2.0
 * heap_N.c (whose logic differs from V11.1.0 only in the protector's
 * encoding of an allocated block's link and the new
 * xPortResetHeapMinimumEverFreeHeapSize), return blocks at the same offsets
 * and report the same xPortGetFreeHeapSize(),
 * xPortGetMinimumEverFreeHeapSize() and vPortGetHeapStats() fields after
 * every call (xSizeOfSmallestFreeBlockInBytes is portMAX_DELAY when no block
 * is free, as upstream). Where upstream has no such function:
 *   heap_1  pvPortCalloc (overflow check, then pvPortMalloc + zeroing);
 *           min-ever = free bytes; reset-min does nothing; vPortGetHeapStats
 *           reports the free part as one block (see rtmem/heap1.h);
 *   heap_2  min-ever and vPortGetHeapStats as heap_4 computes them (before
 *           the heap is set up: configTOTAL_HEAP_SIZE - portBYTE_ALIGNMENT
 *           as one block, the value upstream's free size has then);
 *   heap_3  xPortGetFreeHeapSize, min-ever = 0 (the C library does not say);
 *           vPortGetHeapStats has only the allocation and free counts
 *           (smallest = portMAX_DELAY); pvPortCalloc as for heap_1;
 *   all     vPortDefineHeapRegions with schemes 1..4 is a fault
 *           (RTM_ERR_NOT_SUPPORTED) and does nothing.
 * Deliberate differences from upstream (misuse, and one upstream bug):
 *   - after vPortHeapResetState and before the next allocation, heap_4/5
 *     report the values of a heap not yet set up (upstream's
 *     vPortGetHeapStats walks the old, abandoned free list then);
 *   - a second vPortDefineHeapRegions is a fault and is ignored (upstream
 *     asserts, then lays the heap out again over live blocks);
 *   - bad pointers are caught (see below) instead of corrupting the heap;
 *   - heap_5 with the protector: upstream V11 fails a configASSERT whenever
 *     a search that finds no block reaches the end marker (its bound check
 *     excludes the marker's own address; fixed upstream later, FreeRTOS-
 *     Kernel PR #1425); rtmem just returns NULL. The numbers are the same.
 *
 * Faults: a foreign, interior or double free, a free with heap_1, a free
 * before the heap exists, a corrupted header or link, pvPortMalloc before
 * vPortDefineHeapRegions with heap_5, or a bad region table go to the
 * layer's fault hook. It counts them (rtm_freertos_heap_faults()) and, if
 * the application defined configASSERT, calls configASSERT with a false
 * condition, as upstream's own configASSERT checks would; the scheme then
 * returns without touching the heap (vPortFree does nothing, pvPortMalloc
 * returns NULL).
 *
 * Build with rtmem_add_freertos_heap() (cmake/modules/freertos.cmake), or
 * compile src/compat/freertos_heap.c and the scheme's sources with
 * RTMEM_CFG_FREERTOS_HEAP=1 (rtmem/config.h then takes the heap options from
 * FreeRTOSConfig.h: part 1 below) and the port with the rest of rtmem; the
 * README's FreeRTOS section has both recipes.
 */

/* ---- Part 1: the user's configuration, defaults, rtmem options ---------- *
 * Also included on its own (RTMEM_FREERTOS_CONFIG_ONLY) as the
 * RTMEM_CONFIG_HEADER of the rtmem sources built for the layer, so they see
 * the same alignment and protector settings. */
#ifndef RTMEM_FREERTOS_HEAP_CONFIG_DONE
#define RTMEM_FREERTOS_HEAP_CONFIG_DONE

#include <stddef.h>
#include <stdint.h>

/* Tested with defined() because this part may run before rtmem/config.h
 * has set its defaults. RTMEM_FREERTOS_KERNEL is accepted as another name
 * for RTMEM_CFG_FREERTOS_KERNEL. An application that included the kernel's
 * FreeRTOS.h first (INC_FREERTOS_H) gets the kernel's types either way. */
#if defined(RTMEM_FREERTOS_KERNEL) && !defined(RTMEM_CFG_FREERTOS_KERNEL)
#define RTMEM_CFG_FREERTOS_KERNEL RTMEM_FREERTOS_KERNEL
#endif
#if (defined(RTMEM_CFG_FREERTOS_KERNEL) && RTMEM_CFG_FREERTOS_KERNEL) || defined(INC_FREERTOS_H)
#include "FreeRTOS.h"
#define RTM_FRT_KERNEL_TYPES 1
#else
/* The kernel's names for configTICK_TYPE_WIDTH_IN_BITS, with its values
 * (FreeRTOS.h defines them before it includes FreeRTOSConfig.h), so a
 * configuration that uses them reads the same without the kernel. */
#ifndef TICK_TYPE_WIDTH_16_BITS
#define TICK_TYPE_WIDTH_16_BITS 0
#endif
#ifndef TICK_TYPE_WIDTH_32_BITS
#define TICK_TYPE_WIDTH_32_BITS 1
#endif
#ifndef TICK_TYPE_WIDTH_64_BITS
#define TICK_TYPE_WIDTH_64_BITS 2
#endif
#include "FreeRTOSConfig.h"
#define RTM_FRT_KERNEL_TYPES 0
#endif

/* Every configuration value below is read in #if only where upstream reads
 * it in #if too (so it is a plain number or expression there);
 * configTOTAL_HEAP_SIZE, which upstream uses only in C expressions (demos
 * write it as ((size_t)(65 * 1024))), is never tested by the preprocessor. */
#ifndef configSUPPORT_DYNAMIC_ALLOCATION
#define configSUPPORT_DYNAMIC_ALLOCATION 1
#endif
/* RTM_FRT_SCHEME: the scheme the layer provides; 0 = none, the layer is
 * empty (configSUPPORT_DYNAMIC_ALLOCATION 0: upstream links no heap then). */
#if configSUPPORT_DYNAMIC_ALLOCATION == 1
#ifndef configFRTOS_MEMORY_SCHEME
#error "FreeRTOSConfig.h must define configFRTOS_MEMORY_SCHEME (1..5, or 6 for rtm_tlsf)"
#endif
#define RTM_FRT_SCHEME configFRTOS_MEMORY_SCHEME
#else
#define RTM_FRT_SCHEME 0
#endif
#ifndef configAPPLICATION_ALLOCATED_HEAP
#define configAPPLICATION_ALLOCATED_HEAP 0
#endif
#ifndef configUSE_MALLOC_FAILED_HOOK
#define configUSE_MALLOC_FAILED_HOOK 0
#endif
#ifndef configHEAP_CLEAR_MEMORY_ON_FREE
#define configHEAP_CLEAR_MEMORY_ON_FREE 0
#endif
#ifndef configENABLE_HEAP_PROTECTOR
#define configENABLE_HEAP_PROTECTOR 0
#endif
#ifndef portBYTE_ALIGNMENT
#define portBYTE_ALIGNMENT 8
#endif
#ifndef portBYTE_ALIGNMENT_MASK
#define portBYTE_ALIGNMENT_MASK (portBYTE_ALIGNMENT - 1)
#endif
#ifndef portPOINTER_SIZE_TYPE
#define portPOINTER_SIZE_TYPE uintptr_t
#endif
/* Without the kernel, portMAX_DELAY as the ports' portmacro.h define it for
 * the tick width (configUSE_16_BIT_TICKS is the older name, as upstream). */
#ifndef portMAX_DELAY
#if defined(configTICK_TYPE_WIDTH_IN_BITS)
#if configTICK_TYPE_WIDTH_IN_BITS == TICK_TYPE_WIDTH_16_BITS
#define portMAX_DELAY ((uint16_t)0xffffU)
#elif configTICK_TYPE_WIDTH_IN_BITS == TICK_TYPE_WIDTH_32_BITS
#define portMAX_DELAY ((uint32_t)0xffffffffUL)
#elif configTICK_TYPE_WIDTH_IN_BITS == TICK_TYPE_WIDTH_64_BITS
#define portMAX_DELAY ((uint64_t)0xffffffffffffffffULL)
#else
#error "configTICK_TYPE_WIDTH_IN_BITS must be TICK_TYPE_WIDTH_16_BITS, TICK_TYPE_WIDTH_32_BITS or TICK_TYPE_WIDTH_64_BITS"
#endif
#elif defined(configUSE_16_BIT_TICKS) && configUSE_16_BIT_TICKS == 1
#define portMAX_DELAY ((uint16_t)0xffffU)
#else
#define portMAX_DELAY ((uint32_t)0xffffffffUL)
#endif
#endif
/* RTM_FRT_UCHEAP: 1 = the scheme lives in ucHeap[configTOTAL_HEAP_SIZE]
 * (heap_1, 2, 4; tlsf when configTOTAL_HEAP_SIZE is defined). */
#if RTM_FRT_SCHEME == 1 || RTM_FRT_SCHEME == 2 || RTM_FRT_SCHEME == 4
#ifndef configTOTAL_HEAP_SIZE
#error "FreeRTOSConfig.h must define configTOTAL_HEAP_SIZE for this scheme"
#endif
#define RTM_FRT_UCHEAP 1
#elif RTM_FRT_SCHEME == 6 && defined(configTOTAL_HEAP_SIZE)
#define RTM_FRT_UCHEAP 1
#else
#define RTM_FRT_UCHEAP 0
#endif

/* The rtmem options that must agree with the FreeRTOS configuration. */
#ifndef RTMEM_CFG_HEAP_ALIGNMENT
#define RTMEM_CFG_HEAP_ALIGNMENT portBYTE_ALIGNMENT
#endif
#ifndef RTMEM_CFG_HEAP_PROTECTOR
#define RTMEM_CFG_HEAP_PROTECTOR configENABLE_HEAP_PROTECTOR
#endif
/* rtm_tlsf (scheme 6) has one layout, aligned to 8: with a larger
 * portBYTE_ALIGNMENT, pvPortMalloc asks rtm_tlsf_aligned_alloc for it. */

#endif /* RTMEM_FREERTOS_HEAP_CONFIG_DONE */

/* ---- Part 2: the API ---------------------------------------------------- */
#if !defined(RTMEM_FREERTOS_CONFIG_ONLY) && !defined(RTMEM_FREERTOS_HEAP_H)
#define RTMEM_FREERTOS_HEAP_H

#include "rtmem/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#if !RTM_FRT_KERNEL_TYPES
/* Without the kernel these come from here, as in FreeRTOS portable.h. */

/* One memory region for vPortDefineHeapRegions (heap_5); a table ends with a
 * region of size 0, regions in ascending address order. */
typedef struct HeapRegion {
    uint8_t *pucStartAddress;
    size_t xSizeInBytes;
} HeapRegion_t;

/* vPortGetHeapStats output; field names and order as upstream. */
typedef struct xHeapStats {
    size_t xAvailableHeapSpaceInBytes;      /* sum of the free blocks */
    size_t xSizeOfLargestFreeBlockInBytes;  /* largest free block */
    size_t xSizeOfSmallestFreeBlockInBytes; /* smallest, portMAX_DELAY if none */
    size_t xNumberOfFreeBlocks;             /* heap_5: listed region markers too */
    size_t xMinimumEverFreeBytesRemaining;  /* low-water mark of the free bytes */
    size_t xNumberOfSuccessfulAllocations;
    size_t xNumberOfSuccessfulFrees;
} HeapStats_t;

/* Allocate; NULL on failure (then vApplicationMallocFailedHook if enabled).
 * Bound: the scheme's (heap_1 O(1), heap_2/4/5 O(free blocks), tlsf O(1)). */
void *pvPortMalloc(size_t xWantedSize);
/* xNum * xSize zeroed bytes; NULL if the product overflows (no hook call).
 * pvPortMalloc's bound + O(xNum * xSize) to clear. */
void *pvPortCalloc(size_t xNum, size_t xSize);
/* Free a block (NULL does nothing); bad pointers are faults (see above).
 * Bound: the scheme's free (heap_2/4/5 O(free blocks), tlsf O(1)). */
void vPortFree(void *pv);
/* Free bytes now (upstream's value before the heap is set up). O(1). */
size_t xPortGetFreeHeapSize(void);
/* Lowest free bytes so far. O(1). */
size_t xPortGetMinimumEverFreeHeapSize(void);
/* Restart the low-water mark at the free bytes now. O(1). */
void xPortResetHeapMinimumEverFreeHeapSize(void);
/* Fill *pxHeapStats. O(free blocks) (tlsf, heap_1, heap_3: O(1)). */
void vPortGetHeapStats(HeapStats_t *pxHeapStats);
/* heap_5 (and 6): lay the heap out over the regions; once. O(regions). */
void vPortDefineHeapRegions(const HeapRegion_t *const pxHeapRegions);
/* heap_1: forget every allocation (upstream xNextFreeByte = 0); others: no-op.
 * O(1). */
void vPortInitialiseBlocks(void);
/* Forget the heap: the next allocation (heap_5: vPortDefineHeapRegions)
 * sets it up again, as after start-up. heap_3: nothing to reset. O(1). */
void vPortHeapResetState(void);

#if configUSE_MALLOC_FAILED_HOOK == 1
void vApplicationMallocFailedHook(void);
#endif
#if configENABLE_HEAP_PROTECTOR == 1
void vApplicationGetRandomHeapCanary(portPOINTER_SIZE_TYPE *pxHeapCanary);
#endif
#endif /* !RTM_FRT_KERNEL_TYPES */

/* The allocator/deallocator pairs for static analysis (rtmem/attrs.h), for
 * the kernel's declarations too. */
RTM_DEALLOCATOR(1) void vPortFree(void *pv);
RTM_ALLOCATOR(vPortFree, 1) RTM_ALLOC_SIZE(1) void *pvPortMalloc(size_t xWantedSize);
RTM_ALLOCATOR(vPortFree, 1) RTM_ALLOC_SIZE(1, 2) void *pvPortCalloc(size_t xNum, size_t xSize);

/* ---- rtmem additions ---------------------------------------------------- */

/* configFRTOS_MEMORY_SCHEME the layer was built with. O(1). */
int rtm_freertos_heap_scheme(void);

/* Faults the layer has seen since start-up (bad frees, corruption, misuse;
 * never reset). O(1). */
size_t rtm_freertos_heap_faults(void);

/* Reason of the most recent fault, RTM_OK if none. O(1). */
rtm_err_t rtm_freertos_heap_last_fault(void);

/* The scheme's read-only integrity check on the global heap, inside the
 * critical section (rtm_heapN_check / rtm_tlsf_check; heap_3 checks only its
 * counters). RTM_OK before the heap is set up. Cost: the scheme's check. */
rtm_err_t rtm_freertos_heap_check(rtm_check_t *report);

/* The global heap's fault state, set up first if need be (for vPortHeapSeal,
 * rtmem/seal_compat.h); NULL if it cannot exist yet. O(1). */
rtm_fault_t *rtm_freertos_heap_fault_state(void);

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_FREERTOS_HEAP_H */
