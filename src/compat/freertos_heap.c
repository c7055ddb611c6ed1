/*
 * FreeRTOS heap API over one global rtmem heap (see rtmem/freertos_heap.h).
 *
 * Thin on purpose: every algorithm lives in the scheme module; this file only
 * chooses the module, owns ucHeap and the one instance, sets it up when
 * upstream would, holds the port's critical section around each call and
 * translates the statistics. The scheme functions share one shape, so
 * HEAP(fn) names the chosen module's rtm_<scheme>_fn.
 */
#include "rtmem/freertos_heap.h"

#include <string.h>

#include "rtm_internal.h"
#include "rtmem/port.h"

#define SCHEME RTM_FRT_SCHEME

#if SCHEME == 0
/* configSUPPORT_DYNAMIC_ALLOCATION 0: no heap API and no ucHeap, so a
 * static-only application may keep the layer in its build at no cost (a
 * call of pvPortMalloc fails to link, as with no heap_N.c upstream). */
int rtm_freertos_heap_scheme(void) { return 0; }
size_t rtm_freertos_heap_faults(void) { return 0u; }
rtm_err_t rtm_freertos_heap_last_fault(void) { return RTM_OK; }
rtm_err_t rtm_freertos_heap_check(rtm_check_t *report)
{
    if (report != NULL) {
        memset(report, 0, sizeof(*report));
        report->what = "ok";
    }
    return RTM_OK;
}
#else /* SCHEME != 0: the rest of the file */

#if SCHEME == 1
#include "rtmem/heap1.h"
#define HEAP(fn) rtm_heap1_##fn
typedef rtm_heap1_t heap_t;
#elif SCHEME == 2
#include "rtmem/heap2.h"
#define HEAP(fn) rtm_heap2_##fn
typedef rtm_heap2_t heap_t;
#elif SCHEME == 3
#include "rtmem/heap3.h"
#define HEAP(fn) rtm_heap3_##fn
typedef rtm_heap3_t heap_t;
#elif SCHEME == 4
#include "rtmem/heap4.h"
#define HEAP(fn) rtm_heap4_##fn
typedef rtm_heap4_t heap_t;
#elif SCHEME == 5
#include "rtmem/heap5.h"
#define HEAP(fn) rtm_heap5_##fn
typedef rtm_heap5_t heap_t;
#elif SCHEME == 6
#include "rtmem/tlsf.h"
#define HEAP(fn) rtm_tlsf_##fn
typedef rtm_tlsf_t heap_t;
#else
#error "configFRTOS_MEMORY_SCHEME must be 1..5 (heap_N) or 6 (rtm_tlsf)"
#endif

/* ---- Configuration checks ------------------------------------------------ */

#define IS_01(x) ((x) == 0 || (x) == 1)
_Static_assert(IS_01(configAPPLICATION_ALLOCATED_HEAP), "configAPPLICATION_ALLOCATED_HEAP is 0 or 1");
_Static_assert(IS_01(configUSE_MALLOC_FAILED_HOOK), "configUSE_MALLOC_FAILED_HOOK is 0 or 1");
_Static_assert(IS_01(configHEAP_CLEAR_MEMORY_ON_FREE), "configHEAP_CLEAR_MEMORY_ON_FREE is 0 or 1");
_Static_assert(IS_01(configENABLE_HEAP_PROTECTOR), "configENABLE_HEAP_PROTECTOR is 0 or 1");
_Static_assert(RTM_IS_POW2(portBYTE_ALIGNMENT) && portBYTE_ALIGNMENT >= 4 && portBYTE_ALIGNMENT <= 64,
               "portBYTE_ALIGNMENT must be a power of two from 4 to 64");
_Static_assert(portBYTE_ALIGNMENT == RTMEM_CFG_HEAP_ALIGNMENT,
               "portBYTE_ALIGNMENT must equal RTMEM_CFG_HEAP_ALIGNMENT (build with rtmem_add_freertos_heap)");
_Static_assert(portBYTE_ALIGNMENT_MASK == portBYTE_ALIGNMENT - 1, "portBYTE_ALIGNMENT_MASK");
_Static_assert(sizeof(portPOINTER_SIZE_TYPE) >= sizeof(void *), "portPOINTER_SIZE_TYPE holds a pointer");
#if SCHEME == 4 || SCHEME == 5
_Static_assert(configENABLE_HEAP_PROTECTOR == RTMEM_CFG_HEAP_PROTECTOR,
               "configENABLE_HEAP_PROTECTOR must equal RTMEM_CFG_HEAP_PROTECTOR (build with rtmem_add_freertos_heap)");
#endif
/* configTOTAL_HEAP_SIZE as a size_t: a C expression, never used in #if
 * (FreeRTOSConfig.h files write it with casts, as upstream allows). */
#define HEAP_BYTES ((size_t)(configTOTAL_HEAP_SIZE))
#if SCHEME == 1 || SCHEME == 2 || SCHEME == 4
_Static_assert(HEAP_BYTES > 2u * portBYTE_ALIGNMENT, "configTOTAL_HEAP_SIZE is too small");
#endif
_Static_assert(sizeof(HeapStats_t) == 7 * sizeof(size_t), "HeapStats_t has upstream's 7 fields");

#ifndef traceMALLOC
#define traceMALLOC(pvAddress, uiSize)
#endif
#ifndef traceFREE
#define traceFREE(pvAddress, uiSize)
#endif

/* configASSERT given by the application (FreeRTOS.h defines an empty one and
 * sets configASSERT_DEFINED to 0 when the application did not). */
#if defined(configASSERT_DEFINED)
#define HAVE_ASSERT configASSERT_DEFINED
#elif defined(configASSERT)
#define HAVE_ASSERT 1
#else
#define HAVE_ASSERT 0
#endif

/* heap_1 and heap_2 report a fixed free size before their heap exists. */
#define ADJUSTED_SIZE (HEAP_BYTES - (size_t)portBYTE_ALIGNMENT)

/* ---- State ------------------------------------------------------------------
 * All of it is read and written inside rtm_port_enter/rtm_port_exit. */

/* The schemes that live in ucHeap (RTM_FRT_UCHEAP); heap_5 and heap_3 have
 * none. */
#if RTM_FRT_UCHEAP && configAPPLICATION_ALLOCATED_HEAP == 1
/* Defined by the application, as upstream declares it. */
extern uint8_t ucHeap[configTOTAL_HEAP_SIZE];
#elif RTM_FRT_UCHEAP
/* Aligned so no byte is lost to rounding; upstream's numbers for an array at
 * the same address are the same. tlsf with a size of 0 takes its regions
 * from vPortDefineHeapRegions only (the array then has one unused byte). */
static _Alignas(portBYTE_ALIGNMENT) uint8_t ucHeap[HEAP_BYTES > 0u ? HEAP_BYTES : 1u];
#endif

static heap_t g_heap;
static bool g_ready;
static size_t g_faults;
static rtm_err_t g_last_fault = RTM_OK;

/* Every fault of the instance and of the layer ends here: counted, then
 * handed to configASSERT as upstream's own checks would. */
static void on_fault(void *user, rtm_err_t reason, const void *obj, const void *ptr)
{
    (void)user;
    (void)obj;
    (void)ptr;
    g_faults++;
    g_last_fault = reason;
#if HAVE_ASSERT
    configASSERT(reason == RTM_OK);
#endif
}

static void malloc_failed(void)
{
#if configUSE_MALLOC_FAILED_HOOK == 1
    vApplicationMallocFailedHook();
#endif
}

#if SCHEME == 4 || SCHEME == 5
static uintptr_t heap_canary(void)
{
#if configENABLE_HEAP_PROTECTOR == 1
    portPOINTER_SIZE_TYPE canary = 0;
    vApplicationGetRandomHeapCanary(&canary);
    return (uintptr_t)canary;
#else
    return 0u;
#endif
}
#endif

/* Options every scheme gets once its heap is laid out. */
static void finish_setup(void)
{
    HEAP(set_fault_hook)(&g_heap, on_fault, NULL);
#if SCHEME == 2 || SCHEME == 4 || SCHEME == 5
    HEAP(set_clear_on_free)(&g_heap, configHEAP_CLEAR_MEMORY_ON_FREE == 1);
#endif
    g_ready = true;
}

/* Set the heap up where upstream's pvPortMalloc does; false if it cannot
 * exist yet (heap_5 before vPortDefineHeapRegions: upstream asserts). */
static bool ready_for_malloc(void)
{
    if (g_ready) {
        return true;
    }
    rtm_err_t err;
#if SCHEME == 1 || SCHEME == 2
    err = HEAP(init)(&g_heap, ucHeap, HEAP_BYTES);
#elif SCHEME == 6 && RTM_FRT_UCHEAP
    err = HEAP_BYTES > 0u ? rtm_tlsf_init(&g_heap, ucHeap, HEAP_BYTES) : RTM_ERR_STATE;
#elif SCHEME == 3
    err = rtm_heap3_init(&g_heap);
#elif SCHEME == 4
    err = rtm_heap4_init_canary(&g_heap, ucHeap, HEAP_BYTES, heap_canary());
#else
    err = RTM_ERR_STATE; /* regions come from vPortDefineHeapRegions */
#endif
    if (err != RTM_OK) {
        on_fault(NULL, err, &g_heap, NULL);
        return false;
    }
    finish_setup();
    return true;
}

/* Values upstream reports while its heap does not exist. */
static size_t free_before_setup(void)
{
#if SCHEME == 1 || SCHEME == 2
    return ADJUSTED_SIZE;
#else
    return 0u;
#endif
}

/* ---- The API ----------------------------------------------------------- */

/* Every scheme's pointers are portBYTE_ALIGNMENT-aligned. rtm_tlsf aligns to
 * RTM_TLSF_ALIGN (8); a port that wants more (16 on some) gets it from
 * rtm_tlsf_aligned_alloc, whose blocks rtm_tlsf_free and
 * rtm_tlsf_usable_size take like any other. */
static void *heap_alloc(size_t size)
{
#if SCHEME == 6 && portBYTE_ALIGNMENT > 8
    return rtm_tlsf_aligned_alloc(&g_heap, portBYTE_ALIGNMENT, size);
#else
    return HEAP(alloc)(&g_heap, size);
#endif
}

void *pvPortMalloc(size_t xWantedSize)
{
    void *p = NULL;
    rtm_port_enter();
    if (ready_for_malloc()) {
        p = heap_alloc(xWantedSize);
    }
    traceMALLOC(p, xWantedSize);
    rtm_port_exit();
    if (p == NULL) {
        malloc_failed();
    }
    return p;
}

void *pvPortCalloc(size_t xNum, size_t xSize)
{
    /* As upstream: an overflowing product is refused before pvPortMalloc,
     * so neither the heap set-up nor the malloc-failed hook happen. */
    if (rtm_mul_overflows(xNum, xSize)) {
        return NULL;
    }
    void *p = pvPortMalloc(xNum * xSize);
    if (p != NULL) {
        memset(p, 0, xNum * xSize);
    }
    return p;
}

void vPortFree(void *pv)
{
    if (pv == NULL) {
        return;
    }
    rtm_port_enter();
#if SCHEME == 3
    (void)ready_for_malloc();
#endif
    if (!g_ready) {
        on_fault(NULL, RTM_ERR_FOREIGN_PTR, &g_heap, pv);
    } else {
#if SCHEME == 6 && configHEAP_CLEAR_MEMORY_ON_FREE == 1
        /* 0 for a pointer that fails the free checks, so nothing is wiped. */
        memset(pv, 0, rtm_tlsf_usable_size(&g_heap, pv));
#endif
        (void)HEAP(free)(&g_heap, pv);
        traceFREE(pv, 0);
    }
    rtm_port_exit();
}

size_t xPortGetFreeHeapSize(void)
{
    rtm_port_enter();
    size_t n = g_ready ? HEAP(free_bytes)(&g_heap) : free_before_setup();
    rtm_port_exit();
    return n;
}

size_t xPortGetMinimumEverFreeHeapSize(void)
{
    rtm_port_enter();
    size_t n = g_ready ? HEAP(min_ever_free)(&g_heap) : free_before_setup();
    rtm_port_exit();
    return n;
}

void xPortResetHeapMinimumEverFreeHeapSize(void)
{
    rtm_port_enter();
    if (g_ready) {
        HEAP(reset_min_ever_free)(&g_heap);
    }
    rtm_port_exit();
}

void vPortGetHeapStats(HeapStats_t *pxHeapStats)
{
    rtm_stats_t st;
    memset(&st, 0, sizeof(st));
    rtm_port_enter();
    if (g_ready) {
        HEAP(stats)(&g_heap, &st);
    } else {
        size_t f = free_before_setup();
        st.free_bytes = f;
        st.min_ever_free = f;
        st.largest_free = f;
        st.smallest_free = f;
        st.free_blocks = f != 0u ? 1u : 0u;
    }
    rtm_port_exit();
    if (pxHeapStats == NULL) {
        return;
    }
    pxHeapStats->xAvailableHeapSpaceInBytes = st.free_bytes;
    pxHeapStats->xSizeOfLargestFreeBlockInBytes = st.largest_free;
    /* Upstream starts its minimum at portMAX_DELAY and keeps it when no
     * (non-empty) block is free. */
    pxHeapStats->xSizeOfSmallestFreeBlockInBytes =
        st.smallest_free != 0u ? st.smallest_free : (size_t)portMAX_DELAY;
    pxHeapStats->xNumberOfFreeBlocks = st.free_blocks;
    pxHeapStats->xMinimumEverFreeBytesRemaining = st.min_ever_free;
    pxHeapStats->xNumberOfSuccessfulAllocations = st.alloc_count;
    pxHeapStats->xNumberOfSuccessfulFrees = st.free_count;
}

#if SCHEME == 5 || SCHEME == 6
/* Number of regions before the size-0 terminator, at most `cap` (so a table
 * longer than the scheme accepts is still seen as too long). */
static size_t count_regions(const HeapRegion_t *regions, size_t cap)
{
    size_t n = 0;
    while (n < cap && regions[n].xSizeInBytes > 0u) {
        n++;
    }
    return n;
}
#endif

void vPortDefineHeapRegions(const HeapRegion_t *const pxHeapRegions)
{
    rtm_port_enter();
#if SCHEME == 5
    if (g_ready || pxHeapRegions == NULL) {
        on_fault(NULL, g_ready ? RTM_ERR_STATE : RTM_ERR_NULL, &g_heap, pxHeapRegions);
    } else {
        /* Copied field by field into rtmem's own region type (same layout,
         * but a distinct type to the compiler); one entry past the limit
         * lets rtm_heap5_init see an over-long table. */
        rtm_region_t table[RTMEM_CFG_HEAP5_MAX_REGIONS + 2];
        size_t n = count_regions(pxHeapRegions, RTMEM_CFG_HEAP5_MAX_REGIONS + 1u);
        for (size_t i = 0; i < n; i++) {
            table[i].start = pxHeapRegions[i].pucStartAddress;
            table[i].size = pxHeapRegions[i].xSizeInBytes;
        }
        table[n].start = NULL;
        table[n].size = 0;
        rtm_err_t err = rtm_heap5_init_canary(&g_heap, table, heap_canary());
        if (err != RTM_OK) {
            on_fault(NULL, err, &g_heap, pxHeapRegions);
        } else {
            finish_setup();
        }
    }
#elif SCHEME == 6
    /* rtm_tlsf takes regions one by one, before or after its first one. */
    size_t n = pxHeapRegions == NULL ? 0u : count_regions(pxHeapRegions, SIZE_MAX);
    if (n == 0u) {
        on_fault(NULL, RTM_ERR_BAD_REGION, &g_heap, pxHeapRegions);
    }
    for (size_t i = 0; i < n; i++) {
        void *mem = pxHeapRegions[i].pucStartAddress;
        size_t size = pxHeapRegions[i].xSizeInBytes;
        rtm_err_t err = g_ready ? rtm_tlsf_add_region(&g_heap, mem, size)
                                : rtm_tlsf_init(&g_heap, mem, size);
        if (err != RTM_OK) {
            on_fault(NULL, err, &g_heap, mem);
        } else if (!g_ready) {
            finish_setup();
        }
    }
#else
    (void)pxHeapRegions;
    on_fault(NULL, RTM_ERR_NOT_SUPPORTED, &g_heap, NULL);
#endif
    rtm_port_exit();
}

void vPortInitialiseBlocks(void)
{
#if SCHEME == 1
    rtm_port_enter();
    if (g_ready) {
        rtm_heap1_reset(&g_heap);
    }
    rtm_port_exit();
#endif
}

void vPortHeapResetState(void)
{
#if SCHEME != 3
    /* heap_3 keeps its counters: the C library's blocks stay live. */
    rtm_port_enter();
    g_ready = false;
    rtm_port_exit();
#endif
}

/* ---- rtmem additions ----------------------------------------------------- */

int rtm_freertos_heap_scheme(void) { return SCHEME; }

size_t rtm_freertos_heap_faults(void)
{
    rtm_port_enter();
    size_t n = g_faults;
    rtm_port_exit();
    return n;
}

rtm_err_t rtm_freertos_heap_last_fault(void)
{
    rtm_port_enter();
    rtm_err_t e = g_last_fault;
    rtm_port_exit();
    return e;
}

rtm_err_t rtm_freertos_heap_check(rtm_check_t *report)
{
    rtm_err_t err = RTM_OK;
    rtm_port_enter();
    if (g_ready) {
        err = HEAP(check)(&g_heap, report);
    } else if (report != NULL) {
        memset(report, 0, sizeof(*report));
        report->what = "ok";
    }
    rtm_port_exit();
    return err;
}

/* The global heap's fault state (what vPortHeapSeal() seals), setting the
 * heap up first as the first pvPortMalloc would; NULL when it cannot exist
 * yet (heap_5 before vPortDefineHeapRegions: a fault, as for pvPortMalloc). */
rtm_fault_t *rtm_freertos_heap_fault_state(void)
{
    rtm_port_enter();
#if SCHEME == 2 || SCHEME == 4 || SCHEME == 5
    rtm_fault_t *f = ready_for_malloc() ? &g_heap.fl.fault : NULL;
#else
    rtm_fault_t *f = ready_for_malloc() ? &g_heap.fault : NULL;
#endif
    rtm_port_exit();
    return f;
}

#endif /* SCHEME != 0 */

#if SCHEME == 0
/* A static-only build (configSUPPORT_DYNAMIC_ALLOCATION 0) has no heap to
 * seal: vPortHeapSeal() and its kin then do nothing. */
rtm_fault_t *rtm_freertos_heap_fault_state(void)
{
    return NULL;
}
#endif
