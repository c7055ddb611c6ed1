/* Downstream use of the FreeRTOS heap layer without the kernel
 * (rtmem_add_freertos_heap over the installed or the in-tree rtmem). */
#include <stdio.h>

#include "rtmem/freertos_heap.h"

int main(void)
{
    void *p = pvPortMalloc(64);
    HeapStats_t s;
    vPortGetHeapStats(&s);
    int ok = p != NULL && s.xNumberOfSuccessfulAllocations == 1u &&
             xPortGetFreeHeapSize() + 64u < (size_t)configTOTAL_HEAP_SIZE;
    vPortFree(p);
    ok = ok && rtm_freertos_heap_check(NULL) == RTM_OK && rtm_freertos_heap_scheme() == 4;
    printf("rtmem heap consumer: %s\n", ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
