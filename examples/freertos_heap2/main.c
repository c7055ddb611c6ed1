/*
 * heap_2 through the FreeRTOS API: best fit, no coalescing. Blocks of the
 * same few sizes are reused without fragmenting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtmem/freertos_heap.h"

void example_assert_failed(const char *file, int line)
{
    printf("configASSERT failed at %s:%d\n", file, line);
}

static int failed_hooks;
void vApplicationMallocFailedHook(void) { failed_hooks++; }

int main(void)
{
    size_t start = xPortGetFreeHeapSize();
    printf("heap_2: %zu bytes free\n", start);
    for (int round = 0; round < 100; round++) {
        char *msg[4];
        for (int i = 0; i < 4; i++) {
            msg[i] = pvPortMalloc(32u * (size_t)(i + 1));
            if (msg[i] == NULL) {
                return EXIT_FAILURE;
            }
            memset(msg[i], 'a' + i, 32u * (size_t)(i + 1));
        }
        for (int i = 0; i < 4; i++) {
            vPortFree(msg[i]);
        }
    }
    HeapStats_t s;
    vPortGetHeapStats(&s);
    printf("after 400 allocations: %zu free in %zu blocks, lowest %zu\n",
           s.xAvailableHeapSpaceInBytes, s.xNumberOfFreeBlocks, s.xMinimumEverFreeBytesRemaining);
    int ok = s.xAvailableHeapSpaceInBytes == start && s.xNumberOfSuccessfulAllocations == 400u &&
             s.xNumberOfSuccessfulFrees == 400u && failed_hooks == 0;
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
