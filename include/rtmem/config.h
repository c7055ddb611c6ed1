/*
 * rtmem configuration: the one place where every option lives.
 *
 * Every option has a documented default below. A project overrides any of them
 * by defining RTMEM_CONFIG_HEADER (e.g. -DRTMEM_CONFIG_HEADER='"my_rtmem_cfg.h"')
 * naming a header that #defines the options it wants changed; that header is
 * included first, so its values win. Options are 0/1 switches or numbers, always
 * tested with #if (never #ifdef) so that -Wundef catches a misspelt option, and
 * checked with _Static_assert in src/common.c.
 */
#ifndef RTMEM_CONFIG_H
#define RTMEM_CONFIG_H

#if defined(RTMEM_CONFIG_HEADER)
#include RTMEM_CONFIG_HEADER
#endif

/* ---- General ------------------------------------------------------------ */

/* RTMEM_CFG_ASSERT: 1 = internal assertions and the default fault hook trap
 * (debug builds); 0 = no assertions, faults are only counted in the statistics
 * (release builds). Default follows NDEBUG. */
#ifndef RTMEM_CFG_ASSERT
#if defined(NDEBUG)
#define RTMEM_CFG_ASSERT 0
#else
#define RTMEM_CFG_ASSERT 1
#endif
#endif

/* RTMEM_CFG_PORT: which port supplies critical sections and blocking waits.
 * The build system sets it to match the port source it compiles. */
#define RTMEM_PORT_NONE 0     /* single thread, no locking, no blocking */
#define RTMEM_PORT_POSIX 1    /* pthread mutex + condition variables (host) */
#define RTMEM_PORT_CORTEX_M 2 /* PRIMASK (or BASEPRI) save/restore */
#define RTMEM_PORT_FREERTOS 3 /* vTaskSuspendAll / xTaskResumeAll */
#ifndef RTMEM_CFG_PORT
#define RTMEM_CFG_PORT RTMEM_PORT_NONE
#endif

/* RTMEM_CFG_CORTEX_M_BASEPRI: 0 = the cortex_m port masks all interrupts with
 * PRIMASK; a non-zero value is written to BASEPRI instead, so interrupts of a
 * higher priority (numerically lower) than this value keep running. ARMv6-M
 * (Cortex-M0/M0+) has no BASEPRI: the value must be 0 there. */
#ifndef RTMEM_CFG_CORTEX_M_BASEPRI
#define RTMEM_CFG_CORTEX_M_BASEPRI 0
#endif

/* RTMEM_CFG_PORT_TICK_HZ: tick rate assumed by the posix port when it turns
 * timeouts given in ticks into wall-clock time. */
#ifndef RTMEM_CFG_PORT_TICK_HZ
#define RTMEM_CFG_PORT_TICK_HZ 1000
#endif

/* RTMEM_CFG_FREERTOS_WAITERS: most tasks that may block at once on one pool or
 * queue under the freertos port (each costs one pointer in the object). */
#ifndef RTMEM_CFG_FREERTOS_WAITERS
#define RTMEM_CFG_FREERTOS_WAITERS 8
#endif

/* RTMEM_CFG_TEST_HOOKS: 1 = algorithms count their loop steps in the instance
 * (rtm_steps_t) so tests can prove a bound; 0 in production: compiles away. */
#ifndef RTMEM_CFG_TEST_HOOKS
#define RTMEM_CFG_TEST_HOOKS 0
#endif

/* ---- Free-list heaps (heap_2, heap_4, heap_5) --------------------------- */

/* RTMEM_CFG_FREE_VERIFY: 1 = a free() proves the pointer is the start of an
 * allocated block by walking the allocated blocks between the neighbouring free
 * blocks (the walk heap_4 already does to find the insertion point, extended);
 * this catches interior pointers whose bytes happen to look like a header.
 * 0 = only the O(1) header checks (bounds, alignment, allocated bit, link). */
#ifndef RTMEM_CFG_FREE_VERIFY
#define RTMEM_CFG_FREE_VERIFY 1
#endif

/* ---- Module sections: each module adds its options below its heading. --- */

/* ---- TLSF (rtm_tlsf) ----------------------------------------------------- */

/* ---- Pools and queues (rtm_pool, rtm_queue) ----------------------------- */

#endif /* RTMEM_CONFIG_H */
