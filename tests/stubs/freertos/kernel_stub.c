/*
 * Single-threaded stand-in for the kernel functions rtmem's freertos port
 * calls or may call (see FreeRTOS.h): the scheduler lock and the critical
 * sections count, time passes only when a task would block, a notification
 * is a counter per index. Enough to link and run the port and the heap
 * layer in kernel mode; it is not a scheduler.
 */
#include "FreeRTOS.h"
#include "task.h"

#ifndef configTASK_NOTIFICATION_ARRAY_ENTRIES
#define configTASK_NOTIFICATION_ARRAY_ENTRIES 1
#endif

static UBaseType_t g_suspended;
static UBaseType_t g_critical;
static UBaseType_t g_isr_mask;
static TickType_t g_ticks;
static uint32_t g_notified[configTASK_NOTIFICATION_ARRAY_ENTRIES];
static int g_self;

void vTaskSuspendAll(void) { g_suspended++; }

BaseType_t xTaskResumeAll(void)
{
    configASSERT(g_suspended > 0u);
    g_suspended--;
    return pdFALSE;
}

TickType_t xTaskGetTickCount(void) { return g_ticks; }

TickType_t xTaskGetTickCountFromISR(void) { return g_ticks; }

/* One thread: a delay only lets time pass. */
void vTaskDelay(TickType_t xTicksToDelay) { g_ticks = (TickType_t)(g_ticks + xTicksToDelay); }

TaskHandle_t xTaskGetCurrentTaskHandle(void) { return &g_self; }

BaseType_t xTaskGetSchedulerState(void)
{
    return g_suspended > 0u ? taskSCHEDULER_SUSPENDED : taskSCHEDULER_RUNNING;
}

/* No other task can give: a pending count is taken, otherwise the whole
 * timeout passes. */
uint32_t ulTaskGenericNotifyTake(UBaseType_t uxIndexToWaitOn, BaseType_t xClearCountOnExit,
                                 TickType_t xTicksToWait)
{
    configASSERT(uxIndexToWaitOn < configTASK_NOTIFICATION_ARRAY_ENTRIES);
    uint32_t n = g_notified[uxIndexToWaitOn];
    if (n == 0u) {
        g_ticks = (TickType_t)(g_ticks + xTicksToWait);
        return 0u;
    }
    g_notified[uxIndexToWaitOn] = xClearCountOnExit != pdFALSE ? 0u : n - 1u;
    return n;
}

/* Only eIncrement (a "give") is modelled. */
BaseType_t xTaskGenericNotify(TaskHandle_t xTaskToNotify, UBaseType_t uxIndexToNotify,
                              uint32_t ulValue, eNotifyAction eAction,
                              uint32_t *pulPreviousNotificationValue)
{
    (void)xTaskToNotify;
    (void)ulValue;
    (void)eAction;
    configASSERT(uxIndexToNotify < configTASK_NOTIFICATION_ARRAY_ENTRIES);
    configASSERT(eAction == eIncrement);
    if (pulPreviousNotificationValue != NULL) {
        *pulPreviousNotificationValue = g_notified[uxIndexToNotify];
    }
    g_notified[uxIndexToNotify]++;
    return pdPASS;
}

void vTaskGenericNotifyGiveFromISR(TaskHandle_t xTaskToNotify, UBaseType_t uxIndexToNotify,
                                   BaseType_t *pxHigherPriorityTaskWoken)
{
    (void)xTaskGenericNotify(xTaskToNotify, uxIndexToNotify, 0u, eIncrement, NULL);
    if (pxHigherPriorityTaskWoken != NULL) {
        *pxHigherPriorityTaskWoken = pdFALSE;
    }
}

void vPortEnterCritical(void) { g_critical++; }

void vPortExitCritical(void)
{
    configASSERT(g_critical > 0u);
    g_critical--;
}

UBaseType_t ulPortSetInterruptMaskFromISR(void)
{
    UBaseType_t saved = g_isr_mask;
    g_isr_mask = 1u;
    return saved;
}

void vPortClearInterruptMaskFromISR(UBaseType_t uxSavedStatus) { g_isr_mask = uxSavedStatus; }

void vPortYieldFromISR(BaseType_t xSwitchRequired) { (void)xSwitchRequired; }

BaseType_t xPortIsInsideInterrupt(void) { return pdFALSE; }

#if configSUPPORT_DYNAMIC_ALLOCATION == 1
void *pvStubKernelObjectCreate(size_t xSize) { return pvPortMalloc(xSize); }

void vStubKernelObjectDelete(void *pv) { vPortFree(pv); }
#endif
