/*
 * heap_4 through the FreeRTOS API: first fit with coalescing, the heap
 * protector on (links XOR-ed with the application's canary), and the
 * statistics a monitoring task would print.
 */
#include <stdio.h>
#include <stdlib.h>

#include "rtmem/freertos_heap.h"

void example_assert_failed(const char *file, int line)
{
    printf("configASSERT failed at %s:%d\n", file, line);
}

static int failed_hooks;
void vApplicationMallocFailedHook(void) { failed_hooks++; }

void vApplicationGetRandomHeapCanary(portPOINTER_SIZE_TYPE *pxHeapCanary)
{
    /* A real system reads a hardware random number generator here. */
    *pxHeapCanary = (portPOINTER_SIZE_TYPE)0x6d2b79f5u;
}

static void print_stats(const char *when)
{
    HeapStats_t s;
    vPortGetHeapStats(&s);
    printf("%-14s free %5zu  largest %5zu  smallest %5zu  blocks %2zu  lowest %5zu  allocs %zu  frees %zu\n",
           when, s.xAvailableHeapSpaceInBytes, s.xSizeOfLargestFreeBlockInBytes,
           s.xSizeOfSmallestFreeBlockInBytes, s.xNumberOfFreeBlocks,
           s.xMinimumEverFreeBytesRemaining, s.xNumberOfSuccessfulAllocations,
           s.xNumberOfSuccessfulFrees);
}

int main(void)
{
    print_stats("start");
    void *a = pvPortMalloc(100);
    void *b = pvPortMalloc(200);
    void *c = pvPortMalloc(300);
    print_stats("three blocks");
    vPortFree(a);
    vPortFree(c);
    print_stats("two freed");
    vPortFree(b); /* merges everything back into one block */
    print_stats("all freed");
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic ignored "-Wuse-after-free" /* GCC sees it too (rtmem/attrs.h) */
#endif
    vPortFree(b); /* double free: reported, heap untouched */
    xPortResetHeapMinimumEverFreeHeapSize();
    print_stats("min reset");
    HeapStats_t s;
    vPortGetHeapStats(&s);
    int ok = s.xNumberOfFreeBlocks == 1u && s.xNumberOfSuccessfulFrees == 3u &&
             rtm_freertos_heap_faults() == 1u && failed_hooks == 0;
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
