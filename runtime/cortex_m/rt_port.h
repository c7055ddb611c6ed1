/*
 * Cortex-M port of the task runtime (runtime/rtm_rt.h): ARMv7-M (Cortex-M4)
 * and ARMv8-M Mainline (Cortex-M33). Tasks run in thread mode on the process
 * stack (PSP); SysTick pends PendSV for round-robin preemption, PendSV saves
 * r4-r11 (and s16-s31 when the task used the FPU) on the task's stack and
 * restores the next one's. A task calls the runtime with SVC (yield, exit),
 * so an unprivileged task can too. Stack protections at the switch:
 *   method 3: MPU region RTM_RT_GUARD_REGION over the next task's guard
 *             (ARMv7-M: no access; ARMv8-M: read-only, as PMSAv8 has no
 *             privileged no-access; a push is a write), PRIVDEFENA set;
 *   method 4: PSPLIM = the task's limit (ARMv8-M only).
 * A MemManage fault in the guard, or a UsageFault STKOF, is reported through
 * rtm_rt_fault() and the task is stopped; any other MemManage fault while a
 * task runs is reported as RTM_ERR_ACCESS (address from MMFAR when valid,
 * status = CFSR).
 */
#ifndef RTMEM_RT_PORT_H
#define RTMEM_RT_PORT_H

#include <stddef.h>
#include <stdint.h>

/* The runtime's initial frame (16 words of context, FPU context 18 more)
 * and room for a small task: usable bytes a task's stack needs at least. */
#define RTM_RT_MIN_STACK 256u
/* The MPU region number the guard uses (the highest of 8: on ARMv7-M it
 * wins over any other region that overlaps it). An MPU extension plans its
 * regions around this one. */
#ifndef RTM_RT_GUARD_REGION
#define RTM_RT_GUARD_REGION 7u
#endif

typedef struct rtm_rt_port {
    uintptr_t sp0;      /* initial stack pointer (the first frame) */
    uint32_t control;   /* CONTROL for thread mode (nPRIV) */
} rtm_rt_port_t;

struct rtm_task;
void rtm_rt_port_release_(struct rtm_task *t);

#endif
