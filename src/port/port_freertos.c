/*
 * freertos port, for use inside a FreeRTOS application (compile this file with
 * the application's FreeRTOS include paths).
 *
 * Two sections. rtm_port_enter() is the scheduler lock, which FreeRTOS itself
 * nests and uses for its heaps: allocation can take long and must not hold
 * interrupts off, and heaps are never called from an interrupt.
 * rtm_port_lock() is the section of pools and queues, which interrupts use
 * too: taskENTER_CRITICAL() from a task, taskENTER_CRITICAL_FROM_ISR() from an
 * interrupt (both mask the interrupts allowed to call FreeRTOS, and nothing
 * here is forbidden in an interrupt: no vTaskSuspendAll, no blocking, the
 * FromISR notification).
 *
 * Wait queues park tasks on a direct-to-task notification of their own index,
 * RTMEM_CFG_FREERTOS_NOTIFY_INDEX (default the last one,
 * configTASK_NOTIFICATION_ARRAY_ENTRIES - 1), so the application's index 0 is
 * left alone. With a single notification entry there is no index to spare:
 * then a waiter sleeps one tick at a time and looks whether a signal has
 * unparked it (latency up to a tick; notifications untouched).
 */
#include "FreeRTOS.h"
#include "task.h"

#include "rtm_internal.h"
#include "rtmem/port.h"

_Static_assert(RTMEM_CFG_PORT == RTMEM_PORT_FREERTOS,
               "port_freertos.c needs RTMEM_CFG_PORT == RTMEM_PORT_FREERTOS");

#ifndef configTASK_NOTIFICATION_ARRAY_ENTRIES
#define configTASK_NOTIFICATION_ARRAY_ENTRIES 1
#endif
#ifndef RTMEM_CFG_FREERTOS_NOTIFY_INDEX
#if configTASK_NOTIFICATION_ARRAY_ENTRIES > 1
#define RTMEM_CFG_FREERTOS_NOTIFY_INDEX (configTASK_NOTIFICATION_ARRAY_ENTRIES - 1)
#else
#define RTMEM_CFG_FREERTOS_NOTIFY_INDEX (-1) /* none to spare: the polling wait */
#endif
#endif

/* The defaults of the options config.h documents ("freertos port"). */
#if defined(RTMEM_FREERTOS_IN_ISR) || defined(RTMEM_FREERTOS_YIELD_FROM_ISR)
#error "RTMEM_FREERTOS_IN_ISR / _YIELD_FROM_ISR are now RTMEM_CFG_FREERTOS_IN_ISR / _YIELD_FROM_ISR"
#endif
#ifndef RTMEM_CFG_FREERTOS_IN_ISR
#if defined(portCHECK_IF_IN_ISR)
#define RTMEM_CFG_FREERTOS_IN_ISR() (portCHECK_IF_IN_ISR() != 0)
#elif defined(__ARM_ARCH)
#define RTMEM_CFG_FREERTOS_IN_ISR() rtm_ipsr_active()
static inline bool rtm_ipsr_active(void)
{
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    return (ipsr & 0x1FFu) != 0u;
}
#else
#define RTMEM_CFG_FREERTOS_IN_ISR() false
#endif
#endif

#ifndef RTMEM_CFG_FREERTOS_YIELD_FROM_ISR
#define RTMEM_CFG_FREERTOS_YIELD_FROM_ISR(woke) portYIELD_FROM_ISR(woke)
#endif

static volatile uint32_t g_depth;    /* scheduler lock, task code */
static volatile uint32_t g_crit;     /* rtm_port_lock from task code */
static volatile uint32_t g_isr;      /* rtm_port_lock from interrupts */
static UBaseType_t g_isr_saved;      /* the mask the outermost ISR lock found */

bool rtm_port_in_isr(void) { return RTMEM_CFG_FREERTOS_IN_ISR() != 0; }

void rtm_port_enter(void)
{
    vTaskSuspendAll();
    g_depth = g_depth + 1u;
}

void rtm_port_exit(void)
{
    RTM_ASSERT(g_depth > 0u);
    g_depth = g_depth - 1u;
    (void)xTaskResumeAll();
}

/* While one interrupt holds the ISR lock no other interrupt that may call
 * rtmem can run, so one saved mask and one depth serve every interrupt. */
void rtm_port_lock(void)
{
    if (rtm_port_in_isr()) {
        UBaseType_t saved = taskENTER_CRITICAL_FROM_ISR();
        if (g_isr == 0u) {
            g_isr_saved = saved;
        }
        g_isr = g_isr + 1u;
        return;
    }
    taskENTER_CRITICAL();
    g_crit = g_crit + 1u;
}

void rtm_port_unlock(void)
{
    if (rtm_port_in_isr()) {
        RTM_ASSERT(g_isr > 0u);
        g_isr = g_isr - 1u;
        if (g_isr == 0u) {
            taskEXIT_CRITICAL_FROM_ISR(g_isr_saved);
        }
        return;
    }
    RTM_ASSERT(g_crit > 0u);
    g_crit = g_crit - 1u;
    taskEXIT_CRITICAL();
}

uint32_t rtm_port_depth(void) { return rtm_port_in_isr() ? g_isr : g_depth + g_crit; }

uint32_t rtm_port_ticks(void)
{
    return (uint32_t)(rtm_port_in_isr() ? xTaskGetTickCountFromISR() : xTaskGetTickCount());
}

rtm_err_t rtm_waitq_init(rtm_waitq_t *q)
{
    if (q == NULL) {
        return RTM_ERR_NULL;
    }
    q->waiters = 0;
    return RTM_OK;
}

void rtm_waitq_destroy(rtm_waitq_t *q) { (void)q; }

/* Remove `task` from the queue if a signal has not already taken it. */
static bool unpark(rtm_waitq_t *q, void *task)
{
    for (uint32_t i = 0; i < q->waiters; i++) {
        if (q->tasks[i] == task) {
            q->tasks[i] = q->tasks[q->waiters - 1u];
            q->waiters--;
            return true;
        }
    }
    return false;
}

/* Sleep outside the lock until signalled or `timeout` ticks pass; returns
 * with the lock held again and the task still parked unless signalled. */
static void sleep_unlocked(rtm_waitq_t *q, void *self, uint32_t timeout)
{
#if RTMEM_CFG_FREERTOS_NOTIFY_INDEX >= 0
    (void)q;
    (void)self;
    /* a notification given between the unlock and the take stays pending on
     * our index, so the wake-up cannot be lost */
    rtm_port_unlock();
    TickType_t ticks = (timeout == RTM_WAIT_FOREVER) ? portMAX_DELAY : (TickType_t)timeout;
    (void)ulTaskNotifyTakeIndexed((UBaseType_t)RTMEM_CFG_FREERTOS_NOTIFY_INDEX, pdTRUE, ticks);
    rtm_port_lock();
#else
    /* no index to spare: a tick at a time, until a signal unparks us */
    TickType_t start = xTaskGetTickCount();
    for (;;) {
        rtm_port_unlock();
        vTaskDelay(1);
        rtm_port_lock();
        bool parked = false;
        for (uint32_t i = 0; i < q->waiters; i++) {
            parked = parked || q->tasks[i] == self;
        }
        if (!parked || (timeout != RTM_WAIT_FOREVER &&
                        (uint32_t)(xTaskGetTickCount() - start) >= timeout)) {
            return;
        }
    }
#endif
}

rtm_err_t rtm_waitq_wait(rtm_waitq_t *q, uint32_t timeout)
{
    if (rtm_port_in_isr()) {
        return timeout == 0u ? RTM_ERR_TIMEOUT : RTM_ERR_ISR;
    }
    if (timeout == 0u) {
        return RTM_ERR_TIMEOUT;
    }
    if (g_crit != 1u || g_depth != 0u) {
        return RTM_ERR_STATE;
    }
    if (q->waiters >= (uint32_t)RTMEM_CFG_FREERTOS_WAITERS) {
        return RTM_ERR_BUSY;
    }
    void *self = (void *)xTaskGetCurrentTaskHandle();
    q->tasks[q->waiters++] = self;
    sleep_unlocked(q, self, timeout);
    bool still_parked = unpark(q, self);
    return still_parked ? RTM_ERR_TIMEOUT : RTM_OK;
}

/* Called inside rtm_port_lock(), from a task or an interrupt. */
void rtm_waitq_signal(rtm_waitq_t *q)
{
    if (q->waiters == 0u) {
        return;
    }
    void *task = q->tasks[0];
    q->tasks[0] = q->tasks[q->waiters - 1u];
    q->waiters--;
#if RTMEM_CFG_FREERTOS_NOTIFY_INDEX >= 0
    if (rtm_port_in_isr()) {
        BaseType_t woke = pdFALSE;
        vTaskNotifyGiveIndexedFromISR((TaskHandle_t)task,
                                      (UBaseType_t)RTMEM_CFG_FREERTOS_NOTIFY_INDEX, &woke);
        RTMEM_CFG_FREERTOS_YIELD_FROM_ISR(woke);
    } else {
        /* Some ports switch to the woken task inside the notify, critical
         * section or not (the POSIX simulator does; Cortex-M defers it to the
         * section's exit). The section's state is consistent here, and
         * g_crit must count the running task's nesting, so it is zero for
         * whatever runs meanwhile and ours again when we run on. */
        uint32_t mine = g_crit;
        g_crit = 0u;
        (void)xTaskNotifyGiveIndexed((TaskHandle_t)task,
                                     (UBaseType_t)RTMEM_CFG_FREERTOS_NOTIFY_INDEX);
        g_crit = mine;
    }
#else
    (void)task; /* unparked: the polling waiter sees it at its next tick */
#endif
}

void rtm_waitq_broadcast(rtm_waitq_t *q)
{
    while (q->waiters > 0u) {
        rtm_waitq_signal(q);
    }
}

uint32_t rtm_waitq_waiters(const rtm_waitq_t *q) { return q->waiters; }
