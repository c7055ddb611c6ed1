/*
 * Single-threaded stand-in for the kernel functions rtmem's freertos port
 * calls (see FreeRTOS.h): the scheduler lock counts, time passes only when
 * a task would block, a notification is a counter. Enough to link and run
 * the port and the heap layer in kernel mode; it is not a scheduler.
 */
#include "FreeRTOS.h"
#include "task.h"

static UBaseType_t g_suspended;
static TickType_t g_ticks;
static uint32_t g_notified;
static int g_self;

void vTaskSuspendAll(void) { g_suspended++; }

BaseType_t xTaskResumeAll(void)
{
    configASSERT(g_suspended > 0u);
    g_suspended--;
    return pdFALSE;
}

TickType_t xTaskGetTickCount(void) { return g_ticks; }

TaskHandle_t xTaskGetCurrentTaskHandle(void) { return &g_self; }

/* No other task can give: a pending count is taken, otherwise the whole
 * timeout passes. */
uint32_t ulTaskNotifyTake(BaseType_t xClearCountOnExit, TickType_t xTicksToWait)
{
    uint32_t n = g_notified;
    if (n == 0u) {
        g_ticks = (TickType_t)(g_ticks + xTicksToWait);
        return 0u;
    }
    g_notified = xClearCountOnExit != pdFALSE ? 0u : n - 1u;
    return n;
}

BaseType_t xTaskNotifyGive(TaskHandle_t xTaskToNotify)
{
    (void)xTaskToNotify;
    g_notified++;
    return pdPASS;
}

#if configSUPPORT_DYNAMIC_ALLOCATION == 1
void *pvStubKernelObjectCreate(size_t xSize) { return pvPortMalloc(xSize); }

void vStubKernelObjectDelete(void *pv) { vPortFree(pv); }
#endif
