/*
 * heap_3 through the FreeRTOS API: the C library's malloc/free, made safe
 * for tasks by the port's critical section.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtmem/freertos_heap.h"

void example_assert_failed(const char *file, int line)
{
    printf("configASSERT failed at %s:%d\n", file, line);
}

void vApplicationMallocFailedHook(void) { puts("malloc failed"); }

int main(void)
{
    char *line = pvPortMalloc(80);
    if (line == NULL) {
        return EXIT_FAILURE;
    }
    strcpy(line, "hello from heap_3");
    puts(line);
    vPortFree(line);
    HeapStats_t s;
    vPortGetHeapStats(&s);
    /* The C library does not say how much it has left: free size 0. */
    printf("allocations %zu, frees %zu, free size %zu (unknown)\n",
           s.xNumberOfSuccessfulAllocations, s.xNumberOfSuccessfulFrees, xPortGetFreeHeapSize());
    return s.xNumberOfSuccessfulFrees == 1u ? EXIT_SUCCESS : EXIT_FAILURE;
}
