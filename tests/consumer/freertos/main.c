/*
 * The freertos consumer: the kernel (its archive, which calls pvPortMalloc)
 * and the application share rtmem's heap; rtmem's freertos port runs on
 * the kernel's scheduler lock.
 */
#include <stdio.h>

#include "FreeRTOS.h"
#include "task.h"

#include "rtmem/freertos_heap.h"
#include "rtmem/port.h"

static int g_failed;
void vApplicationMallocFailedHook(void) { g_failed++; }

int main(void)
{
    size_t before = xPortGetFreeHeapSize();
    void *obj = pvStubKernelObjectCreate(200); /* the kernel's own allocation */
    void *mine = pvPortMalloc(100);
    int ok = before == 0u && obj != NULL && mine != NULL && rtm_freertos_heap_scheme() == 4;
    HeapStats_t s;
    vPortGetHeapStats(&s);
    ok = ok && s.xNumberOfSuccessfulAllocations == 2u &&
         xPortGetFreeHeapSize() < (size_t)configTOTAL_HEAP_SIZE - 300u &&
         xPortGetFreeHeapSize() > (size_t)configTOTAL_HEAP_SIZE - 400u;
    rtm_port_enter();
    ok = ok && rtm_port_depth() == 1u;
    rtm_port_exit();
    vStubKernelObjectDelete(obj);
    vPortFree(mine);
    ok = ok && rtm_freertos_heap_check(NULL) == RTM_OK && rtm_freertos_heap_faults() == 0u &&
         g_failed == 0 && rtm_port_depth() == 0u;
    printf("freertos consumer (%u KiB heap): %s\n", (unsigned)APP_HEAP_KB, ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
