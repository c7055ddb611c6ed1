/*
 * The reference task runtime: a minimal round-robin scheduler that runs real
 * tasks on rtm_stack stacks, on the host (runtime/host: ucontext, preempted
 * by a timer signal) and on Cortex-M (runtime/cortex_m: SysTick + PendSV,
 * tasks in thread mode on the process stack). It exists so that stacks,
 * partitions and MPU regions are shown on running code; it is not a kernel
 * and is never linked into a firmware that does not ask for it.
 *
 * Its product API is the few points every kernel calls, so that the same
 * code serves FreeRTOS, Zephyr or this runtime:
 *   task create   rtm_task_create(): stack (and its checks), partitions,
 *                 quota owner attached;
 *   switch hook   at every switch the runtime checks the outgoing task's
 *                 stack (methods 1, 2), sets the current owner
 *                 (rtm_owner_set), programs the incoming task's guard region
 *                 (method 3) and stack limit (method 4), then calls the one
 *                 registered switch extension (rtm_rt_set_switch_hook(): the
 *                 MPU regions of the next task, say);
 *   delete        rtm_task_delete(): stack and the owner's blocks given back;
 *   fault report  rtm_rt_fault(): which task, which address, which method;
 *                 the task is stopped and the others run on.
 *
 * Not thread-safe: one scheduler per process (host) or per core. The
 * runtime's state is the one global of this directory.
 */
#ifndef RTMEM_RT_H
#define RTMEM_RT_H

#include "rtmem/common.h"
#include "rtmem/partition.h"
#include "rtmem/stack.h"

#include "rt_port.h" /* rtm_rt_port_t: runtime/host/ or runtime/cortex_m/ */

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*rtm_task_fn)(void *arg);

typedef enum rtm_task_state {
    RTM_TASK_UNUSED = 0,
    RTM_TASK_READY,   /* created, or switched out */
    RTM_TASK_RUNNING,
    RTM_TASK_DONE,    /* its function returned */
    RTM_TASK_FAULTED  /* stopped by a fault report */
} rtm_task_state_t;

/* Task flags. */
#define RTM_TASK_UNPRIV 0x0001u /* Cortex-M: thread mode unprivileged (CONTROL.nPRIV) */

typedef struct rtm_task_cfg {
    const char *name;
    rtm_task_fn fn;
    void *arg;
    rtm_stack_t *stack;             /* set up by rtm_stack_init/create; methods there */
    rtm_partition_t *const *parts;  /* partitions attached (reset at delete) */
    size_t nparts;
    rtm_quota_t *quota;             /* shared heap: owner's blocks given back at delete */
    rtm_owner_t owner;              /* 0: the runtime assigns 1, 2, ... */
    uint16_t flags;                 /* RTM_TASK_* */
} rtm_task_cfg_t;

/* The task control block (caller-owned; fields readable by switch
 * extensions, written only by the runtime). */
typedef struct rtm_task {
    const char *name;
    rtm_task_fn fn;
    void *arg;
    rtm_stack_t *stack;
    rtm_partition_t *const *parts;
    size_t nparts;
    rtm_quota_t *quota;
    struct rtm_task *next;      /* ring of live tasks */
    void *ext;                  /* the switch extension's per-task data (MPU plan) */
    uintptr_t sp;               /* saved stack pointer (last switch out) */
    uint32_t switches;          /* times switched in */
    rtm_err_t why;              /* RTM_OK, or the fault that stopped it */
    rtm_owner_t owner;
    uint16_t flags;
    uint8_t state;              /* rtm_task_state_t */
    rtm_rt_port_t port;         /* the port's saved context */
} rtm_task_t;

/* A fault report: the task, what stopped it, where. */
typedef struct rtm_rt_fault {
    rtm_task_t *task;
    rtm_err_t err;              /* RTM_ERR_STACK_OVERFLOW, RTM_ERR_ACCESS, ... */
    rtm_stack_method_t method;  /* for a stack overflow: the method that caught it */
    const void *addr;           /* the faulting address or stack pointer, if known */
    uint32_t status;            /* the port's fault status (CFSR on Cortex-M; signal code on the host) */
} rtm_rt_fault_t;

typedef void (*rtm_rt_fault_fn)(void *user, const rtm_rt_fault_t *f);
/* The switch extension: called at every switch after the stack checks and
 * rtm_owner_set(), with interrupts masked on Cortex-M (inside PendSV), from
 * the scheduler on the host. `to` is NULL when the runtime returns to
 * rtm_rt_run()'s caller. It must not block or allocate. */
typedef void (*rtm_rt_switch_fn)(void *user, rtm_task_t *from, rtm_task_t *to);

/* Reset the runtime (no tasks, hooks cleared). O(1). */
void rtm_rt_init(void);

/* Create a task: attached to `cfg->stack` (its name and handle become the
 * task's), ready to run at the next switch. O(1) (the stack was painted by
 * its init). Bad input: NULL t/cfg/fn/stack -> RTM_ERR_NULL; a stack not
 * set up, or too small for the runtime's initial frame
 * (RTM_RT_MIN_STACK usable bytes) -> RTM_ERR_ARG; t already live ->
 * RTM_ERR_STATE; the runtime's fault hook is called with the code (task NULL). */
rtm_err_t rtm_task_create(rtm_task_t *t, const rtm_task_cfg_t *cfg);

/* Delete a task that is not running (ready, done or faulted): out of the
 * ring, its partitions reset, its quota owner's blocks given back, its stack
 * destroyed (a dynamic stack returns to its allocator). O(partitions + live
 * quota blocks). The running task -> RTM_ERR_STATE; NULL -> RTM_ERR_NULL. */
rtm_err_t rtm_task_delete(rtm_task_t *t);

/* Run the tasks until none is ready (all done or faulted), then return.
 * preempt_us: the time slice for preemption (0 = cooperative only); on
 * Cortex-M it is taken as SysTick reload ticks. */
void rtm_rt_run(uint32_t preempt_us);

/* From a task: let the next ready task run. */
void rtm_rt_yield(void);

/* The running task, or NULL outside tasks. O(1). */
rtm_task_t *rtm_rt_current(void);

/* Install the one switch extension (NULL = none). O(1). */
void rtm_rt_set_switch_hook(rtm_rt_switch_fn fn, void *user);
/* Install the fault hook (NULL = faults only recorded in task->why). O(1). */
void rtm_rt_set_fault_hook(rtm_rt_fault_fn fn, void *user);

/* The fault report: record the fault in the task (t->why), call the fault
 * hook, stop the task (it never runs again; the others go on). Called by the
 * ports' fault handlers and by the switch checks; an MPU extension calls it
 * for a MemManage fault that is not a guard hit. From a fault handler on
 * Cortex-M the switch away happens when the handler returns. O(1). */
void rtm_rt_fault(rtm_task_t *t, rtm_err_t err, rtm_stack_method_t method,
                  const void *addr, uint32_t status);

/* Switches done since rtm_rt_init. */
uint32_t rtm_rt_switch_count(void);

/* ---- Between the core (runtime/rt_core.c) and a port --------------------- */

/* The core's switch: `cur` (may be NULL) was switched out with saved stack
 * pointer `sp`; checks its stack, picks the next ready task (NULL: none),
 * sets the owner, calls the extension. */
rtm_task_t *rtm_rt_switch_(uintptr_t sp);
/* Port: prepare t's first context (stack frame, entry). */
void rtm_rt_port_setup_(rtm_task_t *t);
/* Port: a task ended or faulted while running: switch away for good. */
void rtm_rt_port_stop_(rtm_task_t *t);
/* Port: the task trampoline calls this when fn returns. */
void rtm_rt_task_exit_(void);
/* Port: the incoming task's hardware protections (guard, PSPLIM). */
void rtm_rt_port_protect_(rtm_task_t *to);

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_RT_H */
