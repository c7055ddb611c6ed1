/*
 * The Makefile example: the application allocates through the FreeRTOS
 * heap API, which rtmem provides (heap_4), under the kernel's scheduler
 * lock (rtmem's freertos port), before the scheduler starts, as an
 * application creating its objects does. Exits 0 when every number agrees.
 */
#include <stdio.h>
#include <stdlib.h>

#include "FreeRTOS.h"
#include "task.h"

#include "rtmem/freertos_heap.h"

static int g_asserts;
static int g_failed;

void vAssertCalled(const char *pcFile, unsigned long ulLine)
{
    printf("configASSERT at %s:%lu\n", pcFile, ulLine);
    g_asserts++;
}

void vApplicationMallocFailedHook(void) { g_failed++; }

int main(void)
{
    void *a = pvPortMalloc(1000);
    void *b = pvPortCalloc(10, 100);
    void *too_big = pvPortMalloc(configTOTAL_HEAP_SIZE);
    HeapStats_t s;
    vPortGetHeapStats(&s);
    printf("heap_4 via rtmem: %zu of %zu bytes free, %zu allocations\n",
           xPortGetFreeHeapSize(), (size_t)configTOTAL_HEAP_SIZE,
           s.xNumberOfSuccessfulAllocations);
    int ok = a != NULL && b != NULL && too_big == NULL && g_failed == 1 &&
             s.xNumberOfSuccessfulAllocations == 2u;
    vPortFree(a);
    vPortFree(b);
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic ignored "-Wuse-after-free" /* GCC sees it too (rtmem/attrs.h) */
#endif
    vPortFree(b); /* a double free: refused, reported through configASSERT */
    ok = ok && g_asserts == 1 && rtm_freertos_heap_faults() == 1u &&
         rtm_freertos_heap_check(NULL) == RTM_OK &&
         xPortGetFreeHeapSize() + 64u > (size_t)configTOTAL_HEAP_SIZE;
    printf("%s\n", ok ? "ok" : "FAILED");
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
