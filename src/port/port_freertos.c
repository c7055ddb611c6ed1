/*
 * freertos port, for use inside a FreeRTOS application (compile this file with
 * the application's FreeRTOS include paths). The critical section is the
 * scheduler lock, which FreeRTOS itself nests; it is FreeRTOS's own choice for
 * its heaps because allocation can take long and must not hold interrupts off.
 * Wait queues park tasks on direct-to-task notifications.
 */
#include "FreeRTOS.h"
#include "task.h"

#include "rtm_internal.h"
#include "rtmem/port.h"

_Static_assert(RTMEM_CFG_PORT == RTMEM_PORT_FREERTOS,
               "port_freertos.c needs RTMEM_CFG_PORT == RTMEM_PORT_FREERTOS");

static volatile uint32_t g_depth;

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

uint32_t rtm_port_depth(void) { return g_depth; }

bool rtm_port_in_isr(void)
{
#if defined(__ARM_ARCH)
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    return (ipsr & 0x1FFu) != 0u;
#else
    return false;
#endif
}

uint32_t rtm_port_ticks(void) { return (uint32_t)xTaskGetTickCount(); }

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

rtm_err_t rtm_waitq_wait(rtm_waitq_t *q, uint32_t timeout)
{
    if (rtm_port_in_isr()) {
        return timeout == 0u ? RTM_ERR_TIMEOUT : RTM_ERR_ISR;
    }
    if (timeout == 0u) {
        return RTM_ERR_TIMEOUT;
    }
    if (g_depth != 1u) {
        return RTM_ERR_STATE;
    }
    if (q->waiters >= (uint32_t)RTMEM_CFG_FREERTOS_WAITERS) {
        return RTM_ERR_BUSY;
    }
    void *self = (void *)xTaskGetCurrentTaskHandle();
    q->tasks[q->waiters++] = self;
    /* A notification given between the exit and the take stays pending, so
     * the wake-up cannot be lost. */
    rtm_port_exit();
    TickType_t ticks = (timeout == RTM_WAIT_FOREVER) ? portMAX_DELAY : (TickType_t)timeout;
    uint32_t got = (uint32_t)ulTaskNotifyTake(pdTRUE, ticks);
    rtm_port_enter();
    bool still_parked = unpark(q, self);
    return (got != 0u || !still_parked) ? RTM_OK : RTM_ERR_TIMEOUT;
}

void rtm_waitq_signal(rtm_waitq_t *q)
{
    if (q->waiters > 0u) {
        void *task = q->tasks[0];
        q->tasks[0] = q->tasks[q->waiters - 1u];
        q->waiters--;
        (void)xTaskNotifyGive((TaskHandle_t)task);
    }
}

void rtm_waitq_broadcast(rtm_waitq_t *q)
{
    while (q->waiters > 0u) {
        rtm_waitq_signal(q);
    }
}

uint32_t rtm_waitq_waiters(const rtm_waitq_t *q) { return q->waiters; }
