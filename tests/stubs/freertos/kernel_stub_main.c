/*
 * Links the heap layer built in kernel mode (RTMEM_CFG_FREERTOS_KERNEL=1,
 * types from the stub FreeRTOS.h) and makes a few calls through the kernel's
 * declarations: proves the layer's definitions match portable.h.
 */
#include <stdio.h>

#include "FreeRTOS.h"
#include "rtmem/freertos_heap.h"

static int g_asserts;
static int g_failed;

void kernel_stub_assert(int line);
void kernel_stub_assert(int line)
{
    (void)line;
    g_asserts++;
}

void vApplicationMallocFailedHook(void) { g_failed++; }

void vApplicationGetRandomHeapCanary(portPOINTER_SIZE_TYPE *pxHeapCanary)
{
    *pxHeapCanary = (portPOINTER_SIZE_TYPE)0x2545f491u;
}

int main(void)
{
    HeapStats_t s;
    void *p = pvPortMalloc(32);
    void *q = pvPortCalloc(4, 4);
    vPortGetHeapStats(&s);
    int ok = p != NULL && q != NULL && s.xNumberOfSuccessfulAllocations == 2u &&
             s.xAvailableHeapSpaceInBytes == xPortGetFreeHeapSize();
    vPortFree(p);
    vPortFree(q);
    vPortFree(q); /* double free: reaches configASSERT */
    ok = ok && g_asserts == 1 && pvPortMalloc(0) == NULL && g_failed == 1;
    xPortResetHeapMinimumEverFreeHeapSize();
    ok = ok && xPortGetMinimumEverFreeHeapSize() == xPortGetFreeHeapSize();
    vPortInitialiseBlocks();
    vPortHeapResetState();
    ok = ok && xPortGetFreeHeapSize() == 0u && s.xSizeOfSmallestFreeBlockInBytes != portMAX_DELAY;
    printf("kernel-mode layer: %s\n", ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
