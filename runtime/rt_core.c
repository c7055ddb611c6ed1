/*
 * The task runtime's portable part: the ring of tasks, the switch (stack
 * checks, owner, protections, extension), creation, deletion and the fault
 * report. The ports (runtime/host, runtime/cortex_m) save and restore
 * contexts and call rtm_rt_switch_().
 */
#include "rtm_rt.h"

#include <string.h>

static struct {
    rtm_task_t *ring;      /* any live task; the ring follows ->next */
    rtm_task_t *current;   /* running task, NULL in the scheduler / main */
    rtm_rt_switch_fn on_switch;
    void *switch_user;
    rtm_rt_fault_fn on_fault;
    void *fault_user;
    uint32_t switches;
    rtm_owner_t next_owner;
} rt;

void rtm_rt_init(void)
{
    memset(&rt, 0, sizeof rt);
    rt.next_owner = 1u;
}

rtm_task_t *rtm_rt_current(void)
{
    return rt.current;
}

uint32_t rtm_rt_switch_count(void)
{
    return rt.switches;
}

void rtm_rt_set_switch_hook(rtm_rt_switch_fn fn, void *user)
{
    rt.on_switch = fn;
    rt.switch_user = user;
}

void rtm_rt_set_fault_hook(rtm_rt_fault_fn fn, void *user)
{
    rt.on_fault = fn;
    rt.fault_user = user;
}

static rtm_err_t refuse(rtm_err_t err, const void *addr)
{
    if (rt.on_fault != NULL) {
        rtm_rt_fault_t f = {NULL, err, RTM_STACK_M_NONE, addr, 0u};
        rt.on_fault(rt.fault_user, &f);
    }
    return err;
}

static void ring_insert(rtm_task_t *t)
{
    if (rt.ring == NULL) {
        t->next = t;
        rt.ring = t;
    } else {
        t->next = rt.ring->next;
        rt.ring->next = t;
    }
}

static void ring_remove(rtm_task_t *t)
{
    rtm_task_t *p = rt.ring;
    if (p == NULL) {
        return;
    }
    while (p->next != t) {
        p = p->next;
        if (p == rt.ring && p->next != t) {
            return; /* not in the ring */
        }
    }
    p->next = t->next;
    if (rt.ring == t) {
        rt.ring = t->next == t ? NULL : t->next;
    }
    t->next = NULL;
}

rtm_err_t rtm_task_create(rtm_task_t *t, const rtm_task_cfg_t *cfg)
{
    if (t == NULL || cfg == NULL || cfg->fn == NULL || cfg->stack == NULL) {
        return refuse(RTM_ERR_NULL, t);
    }
    if (t->state == RTM_TASK_READY || t->state == RTM_TASK_RUNNING) {
        return refuse(RTM_ERR_STATE, t);
    }
    rtm_stack_t *s = cfg->stack;
    if (s->base == NULL || rtm_stack_usable(s) < RTM_RT_MIN_STACK ||
        (s->flags & (RTM_STACK_UP | RTM_STACK_MAIN)) != 0u ||
        (cfg->nparts != 0u && cfg->parts == NULL)) {
        return refuse(RTM_ERR_ARG, s);
    }
    memset(t, 0, sizeof *t);
    t->name = cfg->name;
    t->fn = cfg->fn;
    t->arg = cfg->arg;
    t->stack = s;
    t->parts = cfg->parts;
    t->nparts = cfg->nparts;
    t->quota = cfg->quota;
    t->flags = cfg->flags;
    t->owner = cfg->owner != RTM_OWNER_NONE ? cfg->owner : rt.next_owner++;
    s->name = cfg->name;
    s->handle = t;
    rtm_rt_port_setup_(t);
    t->sp = t->port.sp0;
    t->state = RTM_TASK_READY;
    ring_insert(t);
    return RTM_OK;
}

rtm_err_t rtm_task_delete(rtm_task_t *t)
{
    if (t == NULL) {
        return RTM_ERR_NULL;
    }
    if (t->state == RTM_TASK_RUNNING || t == rt.current || t->state == RTM_TASK_UNUSED) {
        return refuse(RTM_ERR_STATE, t);
    }
    ring_remove(t);
    for (size_t i = 0; i < t->nparts; i++) {
        (void)rtm_partition_reset(t->parts[i]);
    }
    if (t->quota != NULL) {
        (void)rtm_quota_release(t->quota, t->owner);
    }
    rtm_rt_port_release_(t);
    rtm_err_t e = rtm_stack_destroy(t->stack);
    t->state = RTM_TASK_UNUSED;
    return e;
}

void rtm_rt_fault(rtm_task_t *t, rtm_err_t err, rtm_stack_method_t method, const void *addr,
                  uint32_t status)
{
    if (t == NULL) {
        (void)refuse(err, addr);
        return;
    }
    if (t->state == RTM_TASK_FAULTED) {
        return; /* reported once */
    }
    t->why = err;
    t->state = RTM_TASK_FAULTED;
    if (rt.on_fault != NULL) {
        rtm_rt_fault_t f = {t, err, method, addr, status};
        rt.on_fault(rt.fault_user, &f);
    }
    if (t == rt.current) {
        rtm_rt_port_stop_(t);
    }
}

void rtm_rt_task_exit_(void)
{
    rtm_task_t *t = rt.current;
    if (t != NULL) {
        t->state = RTM_TASK_DONE;
        rtm_rt_port_stop_(t);
    }
}

/* The switch-out checks of methods 1 and 2; the fault report stops the task. */
static void check_out(rtm_task_t *t, uintptr_t sp)
{
    t->sp = sp;
    if (t->state != RTM_TASK_RUNNING) {
        return;
    }
    t->state = RTM_TASK_READY;
    rtm_stack_t *s = t->stack;
    if ((s->methods & (RTM_STACK_M_SP | RTM_STACK_M_CANARY)) == 0u) {
        return;
    }
    if (rtm_stack_check(s, sp) != RTM_OK) {
        rtm_stack_method_t m = (s->caught & RTM_STACK_M_SP) != 0u ? RTM_STACK_M_SP
                                                                  : RTM_STACK_M_CANARY;
        t->why = RTM_ERR_STACK_OVERFLOW;
        t->state = RTM_TASK_FAULTED;
        if (rt.on_fault != NULL) {
            rtm_rt_fault_t f = {t, RTM_ERR_STACK_OVERFLOW, m, (const void *)sp, 0u};
            rt.on_fault(rt.fault_user, &f);
        }
    }
}

static rtm_task_t *pick_after(rtm_task_t *from)
{
    rtm_task_t *start = from != NULL && from->next != NULL ? from->next : rt.ring;
    rtm_task_t *t = start;
    if (t == NULL) {
        return NULL;
    }
    do {
        if (t->state == RTM_TASK_READY) {
            return t;
        }
        t = t->next;
    } while (t != start);
    return NULL;
}

rtm_task_t *rtm_rt_switch_(uintptr_t sp)
{
    rtm_task_t *from = rt.current;
    if (from != NULL) {
        check_out(from, sp);
    }
    rtm_task_t *to = pick_after(from);
    if (to != NULL) {
        to->state = RTM_TASK_RUNNING;
        to->switches++;
    }
    rt.switches++;
    rt.current = to;
    rtm_owner_set(to != NULL ? to->owner : RTM_OWNER_NONE);
    if (to != NULL) {
        rtm_rt_port_protect_(to);
    }
    if (rt.on_switch != NULL) {
        rt.on_switch(rt.switch_user, from, to);
    }
    return to;
}
