/* rtm_mpu on the Cortex-M task runtime (see mpu_cm.h). */
#include "mpu_cm.h"

#include <string.h>

#define REG(a) (*(volatile uint32_t *)(a))
#define MPU_RNR REG(0xE000ED98u)
#define MPU_RBAR REG(0xE000ED9Cu)
#define MPU_RASR REG(0xE000EDA0u) /* RLAR on ARMv8-M */
#define MPU_MAIR0 REG(0xE000EDC0u)
#define MPU_MAIR1 REG(0xE000EDC4u)
#define MMARVALID 0x80u

#if defined(__ARM_ARCH_8M_MAIN__)
#define ARCH RTM_MPU_ARMV8M
#define REGIONS 16u
#else
#define ARCH RTM_MPU_ARMV7M
#define REGIONS 8u
#endif

_Static_assert(RTM_RT_GUARD_REGION == 7u, "the task's regions are 4..6, below the guard");

rtm_err_t rtm_mpu_cm_init(rtm_mpu_cm_t *m, const rtm_mpu_range_t *common, size_t n)
{
    if (m == NULL) {
        return RTM_ERR_NULL;
    }
    memset(m, 0, sizeof *m);
    rtm_mpu_cfg_t c = {ARCH, (uint8_t)REGIONS, 0u, 1u, NULL, NULL};
    rtm_err_t e = rtm_mpu_plan(&m->common, &c, common, n);
    if (e == RTM_OK && m->common.count > RTM_MPU_CM_FIRST) {
        return RTM_ERR_UNEXPRESSIBLE; /* the shared map needs more than regions 0..3 */
    }
    /* the words that leave 4..6 disabled */
    rtm_mpu_plan_t none;
    rtm_mpu_cfg_t nc = {ARCH, (uint8_t)REGIONS, RTM_MPU_CM_FIRST, 1u, NULL, NULL};
    (void)rtm_mpu_plan(&none, &nc, NULL, 0u);
    (void)rtm_mpu_switch_words(&none, RTM_MPU_CM_SLOTS, m->empty);
    return e;
}

rtm_err_t rtm_mpu_cm_attach(rtm_mpu_cm_t *m, rtm_task_t *t, rtm_mpu_cm_task_t *x,
                            const rtm_mpu_range_t *map, size_t n)
{
    if (m == NULL || t == NULL || x == NULL) {
        return RTM_ERR_NULL;
    }
    if (m->ntasks >= RTM_MPU_CM_MAX_TASKS) {
        return RTM_ERR_NO_MEMORY;
    }
    /* planned as regions 4..7 of 8; more than 3 is refused below: 7 is the guard */
    rtm_mpu_cfg_t c = {ARCH, 8u, RTM_MPU_CM_FIRST, 1u, &m->common, NULL};
    rtm_err_t e = rtm_mpu_plan(&x->plan, &c, map, n);
    if (e != RTM_OK) {
        return e;
    }
    if (x->plan.count > RTM_MPU_CM_SLOTS ||
        rtm_mpu_switch_words(&x->plan, RTM_MPU_CM_SLOTS, x->words) == 0u) {
        size_t last = x->plan.range[x->plan.count - 1u];
        x->plan.diag.err = RTM_ERR_UNEXPRESSIBLE;
        x->plan.diag.index = last;
        x->plan.diag.name = map[last].name != NULL ? map[last].name : "?";
        x->plan.diag.base = map[last].base;
        x->plan.diag.size = map[last].size;
        x->plan.diag.rule = "a task's own ranges must fit regions 4..6 (7 is the stack guard)";
        x->plan.count = 0u;
        return RTM_ERR_UNEXPRESSIBLE;
    }
    x->plan.regions = (uint8_t)REGIONS;
    t->ext = x;
    m->tasks[m->ntasks++] = t;
    return RTM_OK;
}

void rtm_mpu_cm_install(rtm_mpu_cm_t *m, rtm_rt_fault_fn chain, void *chain_user)
{
    m->chain = chain;
    m->chain_user = chain_user;
#if defined(__ARM_ARCH_8M_MAIN__)
    MPU_MAIR0 = m->common.mair0;
    MPU_MAIR1 = m->common.mair1;
#endif
    for (unsigned k = 0; k < RTM_MPU_CM_FIRST; k++) {
        bool used = k < m->common.count;
        MPU_RNR = k;
        MPU_RASR = 0u; /* off while RBAR changes */
        if (used) {
            MPU_RBAR = m->common.rbar[k];
            MPU_RASR = m->common.rasr[k];
        }
    }
    for (unsigned k = RTM_MPU_CM_FIRST; k < RTM_RT_GUARD_REGION; k++) {
        MPU_RNR = k;
        MPU_RASR = 0u;
    }
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    rtm_rt_set_switch_hook(rtm_mpu_cm_switch, m);
    rtm_rt_set_fault_hook(rtm_mpu_cm_on_fault, m);
}

void rtm_mpu_cm_switch(void *user, rtm_task_t *from, rtm_task_t *to)
{
    (void)from;
    const rtm_mpu_cm_t *m = user;
    const uint32_t *w = to != NULL && to->ext != NULL ? ((const rtm_mpu_cm_task_t *)to->ext)->words
                                                      : m->empty;
#if defined(__ARM_ARCH_8M_MAIN__)
    /* RNR = 4, RBAR, RLAR, RBAR_A1, RLAR_A1, RBAR_A2, RLAR_A2 */
    __asm__ volatile("ldmia %0, {r2-r8}\n\tstmia %1, {r2-r8}"
                     :
                     : "r"(w), "r"(0xE000ED98u)
                     : "r2", "r3", "r4", "r5", "r6", "r7", "r8", "memory");
#else
    /* RBAR, RASR, RBAR_A1, RASR_A1, RBAR_A2, RASR_A2 (each RBAR: VALID | region) */
    __asm__ volatile("ldmia %0, {r2-r7}\n\tstmia %1, {r2-r7}"
                     :
                     : "r"(w), "r"(0xE000ED9Cu)
                     : "r2", "r3", "r4", "r5", "r6", "r7", "memory");
#endif
}

void rtm_mpu_cm_on_fault(void *user, const rtm_rt_fault_t *f)
{
    rtm_mpu_cm_t *m = user;
    if (m->nrecords < RTM_MPU_CM_MAX_RECORDS) {
        rtm_mpu_cm_record_t *r = &m->records[m->nrecords++];
        const uint32_t *frame;
        __asm__ volatile("mrs %0, psp" : "=r"(frame)); /* the task's hardware frame */
        r->task = f->task != NULL ? f->task->name : "?";
        r->err = f->err;
        r->mmfsr = f->status & 0xFFu;
        r->mmfar = (f->status & MMARVALID) != 0u ? (uint32_t)(uintptr_t)f->addr : 0u;
        /* a stack overflow's frame is not there to read: the stacking that
         * failed (MSTKERR) or the guard itself, which faults in handler mode too */
        r->pc = f->err == RTM_ERR_STACK_OVERFLOW ? 0u : frame[6];
        uint32_t where = (f->status & MMARVALID) != 0u ? r->mmfar : r->pc;
        r->owner = NULL;
        r->range = "(no region)";
        for (size_t i = 0; i < m->ntasks; i++) {
            const rtm_mpu_cm_task_t *x = m->tasks[i]->ext;
            int k = rtm_mpu_lookup(&x->plan, where);
            if (k >= 0) {
                r->owner = m->tasks[i]->name;
                r->range = x->plan.ranges[x->plan.range[k]].name;
            }
        }
        int k = rtm_mpu_lookup(&m->common, where);
        if (r->owner == NULL && k >= 0) {
            r->range = m->common.ranges[m->common.range[k]].name;
        }
    }
    if (m->chain != NULL) {
        m->chain(m->chain_user, f);
    }
}
