/*
 * rtmem port layer: critical sections, interrupt-context query, and wait
 * queues for blocking calls. The allocator cores are not thread-safe; the
 * objects that are (the FreeRTOS and CMSIS layers, pools, queues) take the
 * port's critical section around their core calls.
 *
 * One port is compiled into the library, chosen by RTMEM_CFG_PORT (the build
 * system sets it together with the port source):
 *   none      single thread: critical sections only count nesting; waits with
 *             a non-zero timeout are refused (RTM_ERR_NOT_SUPPORTED).
 *   posix     one process-wide mutex (nesting per thread) and a condition
 *             variable per wait queue; for the host, tests and tools.
 *   cortex_m  PRIMASK save/restore, or BASEPRI when RTMEM_CFG_CORTEX_M_BASEPRI
 *             is non-zero; bare metal has no scheduler, so only timeout 0.
 *   freertos  vTaskSuspendAll / xTaskResumeAll from task code; inside an ISR
 *             the allocator must not be called (FreeRTOS's own rule for heaps).
 *             Pools and queues, which interrupts may use, take rtm_port_lock()
 *             instead (below).
 *
 * Every critical section nests: enter/exit pairs may be nested to any depth
 * (up to UINT32_MAX) and only the outermost exit re-enables.
 */
#ifndef RTMEM_PORT_H
#define RTMEM_PORT_H

#include <stdbool.h>
#include <stdint.h>

#include "rtmem/common.h"

#if RTMEM_CFG_PORT == RTMEM_PORT_POSIX
#include <pthread.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Timeout value meaning "wait until it succeeds". Matches osWaitForever. */
#define RTM_WAIT_FOREVER UINT32_MAX

/* Enter the critical section (nestable). O(1); on posix it may block while
 * another thread holds the section. Never fails. */
void rtm_port_enter(void);

/* Leave the critical section; the outermost exit releases it. O(1). Calling it
 * without a matching enter is a programming error: bad input that only the
 * debug assertion (RTMEM_CFG_ASSERT) catches. */
void rtm_port_exit(void);

/* Current nesting depth of the calling thread's critical section. O(1).
 * Never fails. */
uint32_t rtm_port_depth(void);

/* The section of the objects interrupts use too (pools, queues and their
 * CMSIS layers): nestable, allowed from an interrupt, and the one the wait
 * queues release while a thread sleeps. On the freertos port it masks the
 * interrupts that may call the kernel (taskENTER_CRITICAL from a task,
 * taskENTER_CRITICAL_FROM_ISR from an interrupt), never the scheduler lock,
 * which is not allowed in an interrupt; rtm_port_depth() counts both there.
 * On every other port it is rtm_port_enter()/rtm_port_exit(). O(1). Bad
 * input as for those: an unlock without a lock trips the debug assertion. */
#if RTMEM_CFG_PORT == RTMEM_PORT_FREERTOS
void rtm_port_lock(void);
void rtm_port_unlock(void);
#else
static inline void rtm_port_lock(void) { rtm_port_enter(); }
static inline void rtm_port_unlock(void) { rtm_port_exit(); }
#endif

/* True when called from an interrupt handler (Cortex-M: IPSR != 0; posix: the
 * calling thread declared itself an ISR with rtm_port_posix_set_isr()). O(1).
 * Never fails. */
bool rtm_port_in_isr(void);

/* A monotonic tick counter in port ticks (posix: RTMEM_CFG_PORT_TICK_HZ),
 * wrapping at 2^32. O(1). Never fails. */
uint32_t rtm_port_ticks(void);

/* Wait queue: embedded in a blocking object (pool, queue). */
typedef struct rtm_waitq {
#if RTMEM_CFG_PORT == RTMEM_PORT_POSIX
    pthread_cond_t cond;
    uint32_t waiters;
#elif RTMEM_CFG_PORT == RTMEM_PORT_FREERTOS
    void *tasks[RTMEM_CFG_FREERTOS_WAITERS > 0 ? RTMEM_CFG_FREERTOS_WAITERS : 1];
    uint32_t waiters;
#else
    uint32_t waiters; /* always 0: this port never blocks */
#endif
} rtm_waitq_t;

/* 1 when an all-zero rtm_waitq_t is an initialised one on this port, so an
 * object whose init zeroes its struct need not call rtm_waitq_init (the
 * pool's init relies on it). A port whose wait queue needs set-up says 0. */
#if RTMEM_CFG_PORT == RTMEM_PORT_POSIX
#define RTM_WAITQ_ZERO_READY 0
#else
#define RTM_WAITQ_ZERO_READY 1
#endif

/* 1 when a wait queue can hold a blocked thread on this port; 0 on the ports
 * that never block (none, cortex_m), where rtm_waitq_signal() does nothing,
 * so a caller may leave the call out (the pool's free does). */
#if RTMEM_CFG_PORT == RTMEM_PORT_NONE || RTMEM_CFG_PORT == RTMEM_PORT_CORTEX_M
#define RTM_WAITQ_BLOCKS 0
#else
#define RTM_WAITQ_BLOCKS 1
#endif

/* Initialise / destroy a wait queue. O(1). NULL q: RTM_ERR_NULL / ignored. */
rtm_err_t rtm_waitq_init(rtm_waitq_t *q);
void rtm_waitq_destroy(rtm_waitq_t *q);

/* Block the caller until rtm_waitq_signal() or until `timeout` ticks pass.
 * Must be called inside the critical section at depth 1: it leaves the section
 * while it sleeps and re-enters before it returns, so the caller re-checks its
 * condition. Returns RTM_OK when signalled, RTM_ERR_TIMEOUT when the time ran
 * out (immediately for timeout 0), RTM_ERR_ISR from an interrupt,
 * RTM_ERR_STATE if the nesting depth is not 1, RTM_ERR_NOT_SUPPORTED on ports
 * that cannot block. Spurious wake-ups may return RTM_OK. Blocks at most
 * `timeout` ticks (RTM_WAIT_FOREVER: no limit), O(1) besides the wait; q
 * must not be NULL (the objects that embed it check their own arguments). */
rtm_err_t rtm_waitq_wait(rtm_waitq_t *q, uint32_t timeout);

/* Wake one waiter, if any (call inside the critical section). O(1). q must
 * not be NULL, as for the calls below. */
void rtm_waitq_signal(rtm_waitq_t *q);

/* Wake every waiter (used when an object is deleted). O(1) on posix,
 * O(RTMEM_CFG_FREERTOS_WAITERS) on freertos, nothing on ports that never
 * block. q must not be NULL. */
void rtm_waitq_broadcast(rtm_waitq_t *q);

/* Number of threads blocked on `q` (call inside the critical section). O(1).
 * q must not be NULL. */
uint32_t rtm_waitq_waiters(const rtm_waitq_t *q);

/* Retire an object that threads may be blocked on (pool or queue deletion):
 * if any of the `n` queues has waiters, call retire(obj) so the object refuses
 * them from now on, wake them all and poll once per tick until every one has
 * left. With no waiters it returns RTM_OK at once and does not call retire.
 * Must be called inside the critical section at depth 1 (else RTM_ERR_STATE),
 * not from an interrupt (RTM_ERR_ISR); on an error nothing was changed.
 * Bounded by how long the woken threads take to run, not real-time. */
rtm_err_t rtm_waitq_drain(rtm_waitq_t *const qs[], size_t n, void (*retire)(void *obj),
                          void *obj);

/* Ticks left of a `timeout` (RTM_WAIT_FOREVER: no limit) that started at
 * rtm_port_ticks() == `start`; 0 once it has passed; RTM_WAIT_FOREVER stays
 * so. Wrap-safe. O(1). For the wait loops of pools and queues. Never fails:
 * any values are accepted. */
uint32_t rtm_waitq_ticks_left(uint32_t start, uint32_t timeout);

#if RTMEM_CFG_PORT == RTMEM_PORT_POSIX
/* Host test aid: mark the calling thread as running "in an interrupt", so the
 * ISR rules of pools, queues and the CMSIS layer can be tested. O(1).
 * Never fails. */
void rtm_port_posix_set_isr(bool in_isr);
#endif

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_PORT_H */
