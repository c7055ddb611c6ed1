/*
 * heap_5 through the FreeRTOS API: the heap spread over two memory regions
 * (say internal SRAM and a second RAM bank), given once with
 * vPortDefineHeapRegions() before the first allocation.
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

/* Two separate "RAM banks"; the table lists them in ascending address
 * order, as heap_5 requires, and ends with a zero-size entry. */
static _Alignas(8) uint8_t banks[2][2048];

int main(void)
{
    HeapRegion_t regions[] = {
        {banks[0], sizeof(banks[0])},
        {banks[1], sizeof(banks[1])},
        {NULL, 0},
    };
    vPortDefineHeapRegions(regions);
    printf("heap_5 over two regions: %zu bytes free\n", xPortGetFreeHeapSize());
    /* Larger than what is left in the first bank: comes from the second. */
    uint8_t *small = pvPortMalloc(1500);
    uint8_t *large = pvPortMalloc(1500);
    int in_second = large >= banks[1] && large < banks[1] + sizeof(banks[1]);
    HeapStats_t s;
    vPortGetHeapStats(&s);
    printf("two 1500-byte blocks: second in bank 2: %s; %zu free in %zu blocks\n",
           in_second ? "yes" : "no", s.xAvailableHeapSpaceInBytes, s.xNumberOfFreeBlocks);
    vPortFree(small);
    vPortFree(large);
    int ok = small != NULL && large != NULL && in_second && failed_hooks == 0;
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
