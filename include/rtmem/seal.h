/*
 * Seal after start-up, by scheme: the names of rtm_seal()/rtm_unseal()
 * (rtmem/hooks.h) for each allocator, and the "warm up, then seal when the
 * scheduler starts" mode.
 *
 * After rtm_<scheme>_seal(x), every allocation from x is refused with
 * RTM_ERR_SEALED and a call of x's fault hook (counted as a failed
 * allocation); frees, statistics and checks work as before. The refusal is
 * made by the allocation gate (RTM_GATE) that each scheme's allocating
 * functions call first; a scheme whose build has no gate yet ignores the seal
 * (heap_1..heap_5 have it).
 *
 * Auto-seal: register instances with rtm_seal_at_start_add() during
 * start-up (while the application allocates its long-lived objects), then
 * call rtm_seal_at_start() once from the RTOS's start hook: FreeRTOS,
 * vApplicationDaemonTaskStartupHook() (configUSE_DAEMON_TASK_STARTUP_HOOK 1,
 * it runs once, in the first task, after vTaskStartScheduler());
 * CMSIS-RTOS2, just before osKernelStart(); Zephyr, a SYS_INIT at
 * APPLICATION level. rtmem/seal_compat.h maps the FreeRTOS layer's heap.
 */
#ifndef RTMEM_SEAL_H
#define RTMEM_SEAL_H

#include "rtmem/hooks.h"
#include "rtmem/heap1.h"
#include "rtmem/heap2.h"
#include "rtmem/heap3.h"
#include "rtmem/heap4.h"
#include "rtmem/heap5.h"
#include "rtmem/pool.h"
#include "rtmem/tlsf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Seal / unseal one instance. O(1). NULL: ignored. */
void rtm_heap1_seal(rtm_heap1_t *h);
void rtm_heap1_unseal(rtm_heap1_t *h);
void rtm_heap2_seal(rtm_heap2_t *h);
void rtm_heap2_unseal(rtm_heap2_t *h);
void rtm_heap3_seal(rtm_heap3_t *h);
void rtm_heap3_unseal(rtm_heap3_t *h);
void rtm_heap4_seal(rtm_heap4_t *h);
void rtm_heap4_unseal(rtm_heap4_t *h);
void rtm_heap5_seal(rtm_heap5_t *h);
void rtm_heap5_unseal(rtm_heap5_t *h);
void rtm_tlsf_seal(rtm_tlsf_t *t);
void rtm_tlsf_unseal(rtm_tlsf_t *t);
void rtm_pool_seal(rtm_pool_t *p);
void rtm_pool_unseal(rtm_pool_t *p);

/* The fault state of each instance (what rtm_seal(), rtm_seal_owner() and
 * rtm_seal_at_start_add() take). O(1). NULL -> NULL. */
rtm_fault_t *rtm_heap1_fault_state(rtm_heap1_t *h);
rtm_fault_t *rtm_heap2_fault_state(rtm_heap2_t *h);
rtm_fault_t *rtm_heap3_fault_state(rtm_heap3_t *h);
rtm_fault_t *rtm_heap4_fault_state(rtm_heap4_t *h);
rtm_fault_t *rtm_heap5_fault_state(rtm_heap5_t *h);
rtm_fault_t *rtm_tlsf_fault_state(rtm_tlsf_t *t);
rtm_fault_t *rtm_pool_fault_state(rtm_pool_t *p);

/* RTM_SEAL_AT_START: an option of rtmem/config.h. */

/* Register the instance whose fault state is `f` to be sealed by
 * rtm_seal_at_start(). O(RTM_SEAL_AT_START). RTM_OK (also when already
 * registered), RTM_ERR_NULL, RTM_ERR_NO_MEMORY (the table is full), or
 * RTM_ERR_STATE (rtm_seal_at_start() has run: the instance is then sealed at
 * once, as it would have been). */
rtm_err_t rtm_seal_at_start_add(rtm_fault_t *f);
/* Seal every registered instance; later registrations seal at once. Call
 * it once, from the RTOS start hook (again: nothing new). O(RTM_SEAL_AT_START).
 * Never fails. */
void rtm_seal_at_start(void);
/* True once rtm_seal_at_start() has run. O(1). Never fails. */
bool rtm_seal_started(void);
/* Forget the registrations and the start (tests, a warm restart); the
 * instances stay sealed: rtm_<scheme>_unseal() them. O(RTM_SEAL_AT_START).
 * Never fails. */
void rtm_seal_at_start_reset(void);

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_SEAL_H */
