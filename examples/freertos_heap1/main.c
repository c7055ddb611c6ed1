/*
 * heap_1 through the FreeRTOS API: allocate once at start-up, never free.
 * Application code written for FreeRTOS heap_1 compiles unchanged.
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

typedef struct { int id; char name[12]; } task_t;

int main(void)
{
    printf("free before the first allocation: %zu\n", xPortGetFreeHeapSize());
    task_t *tasks[8];
    for (int i = 0; i < 8; i++) {
        tasks[i] = pvPortMalloc(sizeof(task_t));
        if (tasks[i] == NULL) {
            return EXIT_FAILURE;
        }
        tasks[i]->id = i;
        (void)snprintf(tasks[i]->name, sizeof(tasks[i]->name), "task%d", i);
    }
    uint8_t *stack = pvPortCalloc(64, 8);
    printf("after 8 tasks and a stack: %zu bytes free\n", xPortGetFreeHeapSize());
    /* Too large: NULL, and the malloc-failed hook runs. */
    void *big = pvPortMalloc(configTOTAL_HEAP_SIZE);
    printf("oversized request -> %s, hook calls %d\n", big == NULL ? "NULL" : "?", failed_hooks);
    /* heap_1 cannot free: the layer reports it (configASSERT) and ignores it. */
    vPortFree(tasks[0]);
    printf("faults reported: %zu\n", rtm_freertos_heap_faults());
    int ok = stack != NULL && big == NULL && failed_hooks == 1 && rtm_freertos_heap_faults() == 1u &&
             tasks[7]->id == 7;
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
