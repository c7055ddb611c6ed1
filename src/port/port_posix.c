#define _POSIX_C_SOURCE 200809L
/*
 * posix port: one process-wide mutex is the critical section; nesting is
 * counted per thread so that only the outermost enter/exit touch the mutex.
 * Wait queues are condition variables on that mutex, timed on CLOCK_MONOTONIC.
 */
#include <errno.h>
#include <pthread.h>
#include <time.h>

#include "rtm_internal.h"
#include "rtmem/port.h"

_Static_assert(RTMEM_CFG_PORT == RTMEM_PORT_POSIX,
               "port_posix.c needs RTMEM_CFG_PORT == RTMEM_PORT_POSIX");

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local uint32_t t_depth;
static _Thread_local bool t_in_isr;

void rtm_port_enter(void)
{
    if (t_depth == 0u) {
        (void)pthread_mutex_lock(&g_lock);
    }
    t_depth++;
}

void rtm_port_exit(void)
{
    RTM_ASSERT(t_depth > 0u);
    if (t_depth == 0u) {
        return;
    }
    t_depth--;
    if (t_depth == 0u) {
        (void)pthread_mutex_unlock(&g_lock);
    }
}

uint32_t rtm_port_depth(void) { return t_depth; }

bool rtm_port_in_isr(void) { return t_in_isr; }

void rtm_port_posix_set_isr(bool in_isr) { t_in_isr = in_isr; }

uint32_t rtm_port_ticks(void)
{
    struct timespec ts;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t ms = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
    return (uint32_t)(ms * RTMEM_CFG_PORT_TICK_HZ / 1000u);
}

rtm_err_t rtm_waitq_init(rtm_waitq_t *q)
{
    pthread_condattr_t attr;
    if (q == NULL) {
        return RTM_ERR_NULL;
    }
    if (pthread_condattr_init(&attr) != 0) {
        return RTM_ERR_NO_MEMORY;
    }
    (void)pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    int rc = pthread_cond_init(&q->cond, &attr);
    (void)pthread_condattr_destroy(&attr);
    q->waiters = 0;
    return rc == 0 ? RTM_OK : RTM_ERR_NO_MEMORY;
}

void rtm_waitq_destroy(rtm_waitq_t *q)
{
    if (q != NULL) {
        (void)pthread_cond_destroy(&q->cond);
    }
}

/* Absolute CLOCK_MONOTONIC deadline `ticks` from now. */
static struct timespec deadline_after(uint32_t ticks)
{
    struct timespec ts;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t ns = (uint64_t)ticks * (1000000000u / RTMEM_CFG_PORT_TICK_HZ);
    ns += (uint64_t)ts.tv_nsec;
    ts.tv_sec += (time_t)(ns / 1000000000u);
    ts.tv_nsec = (long)(ns % 1000000000u);
    return ts;
}

rtm_err_t rtm_waitq_wait(rtm_waitq_t *q, uint32_t timeout)
{
    if (t_in_isr) {
        return timeout == 0u ? RTM_ERR_TIMEOUT : RTM_ERR_ISR;
    }
    if (timeout == 0u) {
        return RTM_ERR_TIMEOUT;
    }
    if (t_depth != 1u) {
        return RTM_ERR_STATE;
    }
    int rc;
    q->waiters++;
    if (timeout == RTM_WAIT_FOREVER) {
        rc = pthread_cond_wait(&q->cond, &g_lock);
    } else {
        struct timespec ts = deadline_after(timeout);
        rc = pthread_cond_timedwait(&q->cond, &g_lock, &ts);
    }
    q->waiters--;
    return rc == ETIMEDOUT ? RTM_ERR_TIMEOUT : RTM_OK;
}

void rtm_waitq_signal(rtm_waitq_t *q)
{
    if (q->waiters > 0u) {
        (void)pthread_cond_signal(&q->cond);
    }
}

void rtm_waitq_broadcast(rtm_waitq_t *q)
{
    if (q->waiters > 0u) {
        (void)pthread_cond_broadcast(&q->cond);
    }
}

uint32_t rtm_waitq_waiters(const rtm_waitq_t *q) { return q->waiters; }
