/*
 * Seal after start-up in the RTOS layers' own terms (see rtmem/seal.h).
 *
 * FreeRTOS (the heap layer, rtmem/freertos_heap.h; the functions live in
 * src/compat/seal_compat.c, which rtmem_add_freertos_heap() builds into the
 * layer's library):
 *   vPortHeapSeal()        pvPortMalloc/pvPortCalloc from now on return NULL
 *                          (vApplicationMallocFailedHook runs if enabled) and
 *                          count a fault; vPortFree and the statistics work.
 *   vPortHeapUnseal()      undo it.
 *   rtm_freertos_heap_seal_at_start()  seal it when rtm_seal_at_start() runs; with
 *                          configUSE_DAEMON_TASK_STARTUP_HOOK 1 the
 *                          application writes
 *                            void vApplicationDaemonTaskStartupHook(void)
 *                            { rtm_seal_at_start(); }
 *                          (or uses RTM_FREERTOS_SEAL_ON_START_HOOK below),
 *                          so everything allocated before vTaskStartScheduler
 *                          and in the tasks' first run up to that hook is
 *                          warm-up, then the heap is sealed.
 * CMSIS-RTOS (header only, over the pool the id names; the ids of rtmem's
 * CMSIS layers point at their rtm_pool_t):
 *   rtm_osMemoryPoolSeal(mp_id) / rtm_osMemoryPoolUnseal(mp_id)   (v2)
 *   rtm_osPoolSeal(pool_id) / rtm_osPoolUnseal(pool_id)            (v1)
 *   auto-seal: rtm_seal_at_start() just before osKernelStart().
 * All O(1) (the FreeRTOS functions take the port's critical section); a NULL
 * id is ignored.
 */
#ifndef RTMEM_SEAL_COMPAT_H
#define RTMEM_SEAL_COMPAT_H

#include "rtmem/seal.h"

#ifdef __cplusplus
extern "C" {
#endif

void vPortHeapSeal(void);
void vPortHeapUnseal(void);
/* 1 while the FreeRTOS heap is sealed, else 0. */
int xPortHeapIsSealed(void);
/* Register the FreeRTOS heap for rtm_seal_at_start(); returns its result
 * (RTM_ERR_STATE for heap_5 before vPortDefineHeapRegions).
 * O(RTM_SEAL_AT_START). */
rtm_err_t rtm_freertos_heap_seal_at_start(void);

/* Defines FreeRTOS's daemon-task start-up hook as the auto-seal point. */
#define RTM_FREERTOS_SEAL_ON_START_HOOK                   \
    void vApplicationDaemonTaskStartupHook(void);         \
    void vApplicationDaemonTaskStartupHook(void)          \
    {                                                     \
        rtm_seal_at_start();                              \
    }

/* Seal / unseal a CMSIS pool (its id is its rtm_pool_t), as rtm_pool_seal /
 * rtm_pool_unseal: O(1), NULL ignored. */
static inline void rtm_osMemoryPoolSeal(void *mp_id)
{
    rtm_pool_seal((rtm_pool_t *)mp_id);
}
static inline void rtm_osMemoryPoolUnseal(void *mp_id)
{
    rtm_pool_unseal((rtm_pool_t *)mp_id);
}
static inline void rtm_osPoolSeal(void *pool_id)
{
    rtm_pool_seal((rtm_pool_t *)pool_id);
}
static inline void rtm_osPoolUnseal(void *pool_id)
{
    rtm_pool_unseal((rtm_pool_t *)pool_id);
}

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_SEAL_COMPAT_H */
