/*
 * rtm_mpu on the Cortex-M task runtime (runtime/rtm_rt.h, runtime/cortex_m):
 * the switch extension that loads the incoming task's MPU regions, and the
 * fault hook that turns a MemManage fault into a record naming the range hit.
 *
 * Regions 0..3 hold the map every task shares (code, shared areas,
 * peripherals, privileged-only areas), planned and loaded once by
 * rtm_mpu_cm_install(); regions 4..6 the running task's own ranges, planned at
 * attach time (rtm_mpu_plan into first = 4 over the shared plan: on ARMv8-M
 * no overlap with it) and loaded at every switch by one LDM and one STM
 * through the alias registers: 6 register writes on ARMv7-M (RBAR/RASR x 3,
 * each RBAR carrying VALID and its region number), 7 on ARMv8-M (RNR = 4,
 * then RBAR/RLAR x 3). Region 7 stays the runtime's stack guard
 * (RTM_RT_GUARD_REGION), which the port programs before this hook runs.
 * PendSV's exception return orders the writes before the task runs.
 *
 * Tasks created with RTM_TASK_UNPRIV run unprivileged; the handlers keep the
 * default map (PRIVDEFENA). The runtime's task_entry reads the task's
 * control block in thread mode, so the shared map must let unprivileged
 * code read the control blocks (a read-only range over them).
 *
 * Not thread-safe: attach and install before rtm_rt_run(). Target only.
 */
#ifndef RTMEM_MPU_CM_H
#define RTMEM_MPU_CM_H

#include "rtm_rt.h"
#include "rtmem/mpu.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RTM_MPU_CM_FIRST 4u
#define RTM_MPU_CM_SLOTS (RTM_RT_GUARD_REGION - RTM_MPU_CM_FIRST)
#define RTM_MPU_CM_MAX_TASKS 16u
#define RTM_MPU_CM_MAX_RECORDS 16u

/* A task's own regions (caller-owned; the task's ext points at it). */
typedef struct rtm_mpu_cm_task {
    uint32_t words[RTM_MPU_SWITCH_WORDS]; /* what the switch stores */
    rtm_mpu_plan_t plan;
} rtm_mpu_cm_task_t;

/* The MemManage record of one fault. */
typedef struct rtm_mpu_cm_record {
    const char *task;   /* stopped */
    rtm_err_t err;      /* the runtime's report (RTM_ERR_ACCESS, a stack overflow, ...) */
    uint32_t mmfsr;     /* CFSR[7:0] */
    uint32_t mmfar;     /* MMFAR when MMARVALID, else 0 */
    uint32_t pc;        /* the stacked PC (the faulting instruction); 0 for a stack overflow */
    const char *owner;  /* the task whose range holds the address (MMFAR, else PC); NULL: shared map or none */
    const char *range;  /* that range's name, "(no region)" if none */
} rtm_mpu_cm_record_t;

typedef struct rtm_mpu_cm {
    rtm_mpu_plan_t common;
    rtm_task_t *tasks[RTM_MPU_CM_MAX_TASKS];
    size_t ntasks;
    uint32_t empty[RTM_MPU_SWITCH_WORDS]; /* loaded for a task without a map */
    rtm_mpu_cm_record_t records[RTM_MPU_CM_MAX_RECORDS];
    size_t nrecords;
    rtm_rt_fault_fn chain;
    void *chain_user;
} rtm_mpu_cm_t;

/* Plan the shared map into regions 0..3 (sub-regions on ARMv7-M). O(n).
 * Errors as rtm_mpu_plan (m->common.diag names the range and rule). */
rtm_err_t rtm_mpu_cm_init(rtm_mpu_cm_t *m, const rtm_mpu_range_t *common, size_t n);

/* Plan task t's own ranges into regions 4..6 (t created; t->ext = x). O(n).
 * Errors as rtm_mpu_plan (x->plan.diag); RTM_ERR_NO_MEMORY past
 * RTM_MPU_CM_MAX_TASKS; NULL -> RTM_ERR_NULL. */
rtm_err_t rtm_mpu_cm_attach(rtm_mpu_cm_t *m, rtm_task_t *t, rtm_mpu_cm_task_t *x,
                            const rtm_mpu_range_t *map, size_t n);

/* Load the shared regions (and MAIR0/1 on ARMv8-M), disable 4..6, install the
 * switch and fault hooks (`chain`, may be NULL, is called after a record). */
void rtm_mpu_cm_install(rtm_mpu_cm_t *m, rtm_rt_fault_fn chain, void *chain_user);

/* The switch extension: the incoming task's words, one LDM/STM. O(1). */
void rtm_mpu_cm_switch(void *user, rtm_task_t *from, rtm_task_t *to);

/* The fault hook (handler mode): a record, then `chain`. O(tasks x regions). */
void rtm_mpu_cm_on_fault(void *user, const rtm_rt_fault_t *f);

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_MPU_CM_H */
