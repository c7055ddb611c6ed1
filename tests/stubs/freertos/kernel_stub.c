/*
 * Single-threaded stand-in for the kernel functions rtmem's freertos port
 * calls or may call (see FreeRTOS.h): the scheduler lock and the critical
 * sections count, time passes only when a task would block, a notification
 * is a counter per task and index. Enough to link and run the port and the
 * heap layer in kernel mode; it is not a scheduler. kernel_stub_ctl.h gives
 * tests the task identities, the simulated interrupt context, the call log
 * and the function run while a task is blocked.
 */
#include <stdlib.h>

#include "FreeRTOS.h"
#include "kernel_stub_ctl.h"
#include "task.h"

#ifndef configTASK_NOTIFICATION_ARRAY_ENTRIES
#define configTASK_NOTIFICATION_ARRAY_ENTRIES 1
#endif

static UBaseType_t g_suspended;
static UBaseType_t g_critical;
static UBaseType_t g_isr_mask;
static TickType_t g_ticks;
static uint32_t g_notified[STUB_TASKS][configTASK_NOTIFICATION_ARRAY_ENTRIES];
static int g_tasks[STUB_TASKS];
static int g_current;
static int g_in_isr;
static stub_rec_t g_log[STUB_LOG_MAX];
static size_t g_logged;
static size_t g_violations;
static void (*g_on_block)(void *);
static void *g_on_block_arg;
static void (*g_on_notify)(void *);
static void *g_on_notify_arg;

/* The calls the kernel allows from an interrupt. */
static int isr_safe(stub_call_t c)
{
    return c == STUB_MASK_FROM_ISR || c == STUB_CLEAR_FROM_ISR || c == STUB_YIELD_FROM_ISR ||
           c == STUB_NOTIFY_FROM_ISR || c == STUB_TICK_COUNT_FROM_ISR;
}

static void note(stub_call_t c, int task, UBaseType_t index)
{
    if (g_in_isr && !isr_safe(c)) {
        g_violations++;
    }
    if (g_logged < STUB_LOG_MAX) {
        g_log[g_logged] = (stub_rec_t){c, g_in_isr, task, index};
    }
    g_logged++;
}

static int task_of(TaskHandle_t h)
{
    for (int i = 0; i < STUB_TASKS; i++) {
        if (h == (TaskHandle_t)&g_tasks[i]) {
            return i;
        }
    }
    configASSERT(0);
    return 0;
}

/* Run a once-only test function as another context, which must restore
 * the current task and the task context. */
static void run_once(void (**slot)(void *), void *arg)
{
    void (*fn)(void *) = *slot;
    *slot = NULL;
    if (fn != NULL) {
        int task = g_current;
        fn(arg);
        configASSERT(g_current == task && !g_in_isr);
        (void)task;
    }
}

/* The current task would block: let the blocked-time function act. */
static void blocked(void) { run_once(&g_on_block, g_on_block_arg); }

void stub_reset(void)
{
    g_suspended = 0;
    g_critical = 0;
    g_isr_mask = 0;
    g_ticks = 0;
    for (int t = 0; t < STUB_TASKS; t++) {
        for (int i = 0; i < configTASK_NOTIFICATION_ARRAY_ENTRIES; i++) {
            g_notified[t][i] = 0;
        }
    }
    g_current = 0;
    g_in_isr = 0;
    g_logged = 0;
    g_violations = 0;
    g_on_block = NULL;
    g_on_notify = NULL;
}

void stub_set_isr(int in_isr) { g_in_isr = in_isr; }

void stub_set_task(int task)
{
    configASSERT(task >= 0 && task < STUB_TASKS);
    g_current = task;
}

TaskHandle_t stub_task(int task) { return (TaskHandle_t)&g_tasks[task]; }

uint32_t stub_pending(int task, UBaseType_t index) { return g_notified[task][index]; }

void stub_on_block(void (*fn)(void *), void *arg)
{
    g_on_block = fn;
    g_on_block_arg = arg;
}

void stub_on_notify(void (*fn)(void *), void *arg)
{
    g_on_notify = fn;
    g_on_notify_arg = arg;
}

size_t stub_count(stub_call_t call, int in_isr)
{
    size_t n = 0;
    for (size_t i = 0; i < g_logged && i < STUB_LOG_MAX; i++) {
        if (g_log[i].call == call && (in_isr < 0 || g_log[i].in_isr == in_isr)) {
            n++;
        }
    }
    return n;
}

size_t stub_log_size(void) { return g_logged; }

const stub_rec_t *stub_log_at(size_t i) { return i < STUB_LOG_MAX ? &g_log[i] : NULL; }

size_t stub_isr_violations(void) { return g_violations; }

UBaseType_t stub_critical_depth(void) { return g_critical; }

UBaseType_t stub_isr_masked(void) { return g_isr_mask; }

UBaseType_t stub_suspended(void) { return g_suspended; }

void vTaskSuspendAll(void)
{
    note(STUB_SUSPEND_ALL, g_current, 0);
    g_suspended++;
}

BaseType_t xTaskResumeAll(void)
{
    note(STUB_RESUME_ALL, g_current, 0);
    configASSERT(g_suspended > 0u);
    g_suspended--;
    return pdFALSE;
}

TickType_t xTaskGetTickCount(void)
{
    note(STUB_TICK_COUNT, g_current, 0);
    return g_ticks;
}

TickType_t xTaskGetTickCountFromISR(void)
{
    note(STUB_TICK_COUNT_FROM_ISR, g_current, 0);
    return g_ticks;
}

/* One thread: a delay lets the blocked-time function act, then time pass. */
void vTaskDelay(TickType_t xTicksToDelay)
{
    note(STUB_DELAY, g_current, 0);
    configASSERT(g_critical == 0u && g_suspended == 0u);
    blocked();
    g_ticks = (TickType_t)(g_ticks + xTicksToDelay);
}

TaskHandle_t xTaskGetCurrentTaskHandle(void)
{
    note(STUB_CURRENT_TASK, g_current, 0);
    return stub_task(g_current);
}

BaseType_t xTaskGetSchedulerState(void)
{
    note(STUB_SCHEDULER_STATE, g_current, 0);
    return g_suspended > 0u ? taskSCHEDULER_SUSPENDED : taskSCHEDULER_RUNNING;
}

/* A pending count is taken at once; otherwise the blocked-time function
 * acts, and if it gave nothing the whole timeout passes. Blocking forever
 * with nothing to wake the task would hang a real kernel: abort. */
uint32_t ulTaskGenericNotifyTake(UBaseType_t uxIndexToWaitOn, BaseType_t xClearCountOnExit,
                                 TickType_t xTicksToWait)
{
    note(STUB_NOTIFY_TAKE, g_current, uxIndexToWaitOn);
    configASSERT(uxIndexToWaitOn < configTASK_NOTIFICATION_ARRAY_ENTRIES);
    uint32_t *slot = &g_notified[g_current][uxIndexToWaitOn];
    if (*slot == 0u && xTicksToWait != 0u) {
        configASSERT(g_critical == 0u && g_suspended == 0u);
        blocked();
    }
    uint32_t n = *slot;
    if (n == 0u) {
        if (xTicksToWait == portMAX_DELAY) {
            abort();
        }
        g_ticks = (TickType_t)(g_ticks + xTicksToWait);
        return 0u;
    }
    *slot = xClearCountOnExit != pdFALSE ? 0u : n - 1u;
    return n;
}

static void give(TaskHandle_t xTaskToNotify, UBaseType_t uxIndexToNotify)
{
    configASSERT(uxIndexToNotify < configTASK_NOTIFICATION_ARRAY_ENTRIES);
    g_notified[task_of(xTaskToNotify)][uxIndexToNotify]++;
}

/* Only eIncrement (a "give") is modelled. */
BaseType_t xTaskGenericNotify(TaskHandle_t xTaskToNotify, UBaseType_t uxIndexToNotify,
                              uint32_t ulValue, eNotifyAction eAction,
                              uint32_t *pulPreviousNotificationValue)
{
    (void)ulValue;
    note(STUB_NOTIFY, task_of(xTaskToNotify), uxIndexToNotify);
    configASSERT(eAction == eIncrement);
    if (pulPreviousNotificationValue != NULL) {
        *pulPreviousNotificationValue = g_notified[task_of(xTaskToNotify)][uxIndexToNotify];
    }
    give(xTaskToNotify, uxIndexToNotify);
    if (!g_in_isr && g_on_notify != NULL) {
        /* a switch inside the call: the nesting is the running task's, as
         * the POSIX port saves it per thread */
        UBaseType_t nesting = g_critical;
        g_critical = 0;
        run_once(&g_on_notify, g_on_notify_arg);
        configASSERT(g_critical == 0u);
        g_critical = nesting;
    }
    return pdPASS;
}

void vTaskGenericNotifyGiveFromISR(TaskHandle_t xTaskToNotify, UBaseType_t uxIndexToNotify,
                                   BaseType_t *pxHigherPriorityTaskWoken)
{
    note(STUB_NOTIFY_FROM_ISR, task_of(xTaskToNotify), uxIndexToNotify);
    give(xTaskToNotify, uxIndexToNotify);
    if (pxHigherPriorityTaskWoken != NULL) {
        *pxHigherPriorityTaskWoken = pdTRUE;
    }
}

void vPortEnterCritical(void)
{
    note(STUB_ENTER_CRITICAL, g_current, 0);
    g_critical++;
}

void vPortExitCritical(void)
{
    note(STUB_EXIT_CRITICAL, g_current, 0);
    configASSERT(g_critical > 0u);
    g_critical--;
}

UBaseType_t ulPortSetInterruptMaskFromISR(void)
{
    note(STUB_MASK_FROM_ISR, g_current, 0);
    UBaseType_t saved = g_isr_mask;
    g_isr_mask = 1u;
    return saved;
}

void vPortClearInterruptMaskFromISR(UBaseType_t uxSavedStatus)
{
    note(STUB_CLEAR_FROM_ISR, g_current, 0);
    g_isr_mask = uxSavedStatus;
}

void vPortYieldFromISR(BaseType_t xSwitchRequired)
{
    (void)xSwitchRequired;
    note(STUB_YIELD_FROM_ISR, g_current, 0);
}

BaseType_t xPortIsInsideInterrupt(void) { return g_in_isr ? pdTRUE : pdFALSE; }

#if configSUPPORT_DYNAMIC_ALLOCATION == 1
void *pvStubKernelObjectCreate(size_t xSize) { return pvPortMalloc(xSize); }

void vStubKernelObjectDelete(void *pv) { vPortFree(pv); }
#endif
