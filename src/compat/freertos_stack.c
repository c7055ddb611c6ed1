/*
 * rtm_stack for FreeRTOS applications (see rtmem/freertos_stack.h).
 */
#include "rtmem/freertos_stack.h"

static rtm_stack_t *attached[RTMEM_CFG_FREERTOS_STACKS];

static void frt_overflow(void *user, const rtm_stack_t *s, rtm_stack_method_t m, const void *a)
{
    (void)user;
    (void)m;
    (void)a;
    vApplicationStackOverflowHook((TaskHandle_t)s->handle, (char *)(uintptr_t)s->name);
}

StackType_t *rtm_frt_stack_buffer(const rtm_stack_t *s)
{
    return (StackType_t *)rtm_stack_limit(s);
}

configSTACK_DEPTH_TYPE rtm_frt_stack_depth(const rtm_stack_t *s)
{
    return (configSTACK_DEPTH_TYPE)(rtm_stack_usable(s) / sizeof(StackType_t));
}

static rtm_stack_t **slot_of(TaskHandle_t h)
{
    for (size_t i = 0; i < RTMEM_CFG_FREERTOS_STACKS; i++) {
        if (attached[i] != NULL && attached[i]->handle == h) {
            return &attached[i];
        }
    }
    return NULL;
}

rtm_err_t rtm_frt_stack_attach(rtm_stack_t *s, TaskHandle_t h)
{
    if (s == NULL || h == NULL) {
        return RTM_ERR_NULL;
    }
    rtm_stack_t **slot = slot_of(h);
    for (size_t i = 0; slot == NULL && i < RTMEM_CFG_FREERTOS_STACKS; i++) {
        slot = attached[i] == NULL ? &attached[i] : NULL;
    }
    if (slot == NULL) {
        return RTM_ERR_NO_MEMORY;
    }
    s->handle = h;
    *slot = s;
    rtm_stack_set_overflow_hook(frt_overflow, NULL);
    return RTM_OK;
}

void rtm_frt_stack_detach(TaskHandle_t h)
{
    rtm_stack_t **slot = slot_of(h);
    if (slot != NULL) {
        *slot = NULL;
    }
}

/* Whether rtm_frt_stack_attach(s, h) will find a slot: a free one, or h's
 * own (a static TCB used again). */
static bool has_room(TaskHandle_t h)
{
    for (size_t i = 0; i < RTMEM_CFG_FREERTOS_STACKS; i++) {
        if (attached[i] == NULL) {
            return true;
        }
    }
    return slot_of(h) != NULL;
}

TaskHandle_t rtm_frt_task_create_static(TaskFunction_t fn, const char *name, rtm_stack_t *s,
                                        void *arg, UBaseType_t prio, StaticTask_t *tcb)
{
    /* The room is checked first: once created, the task runs, and a NULL
     * result would leave it running without a handle or a checked stack.
     * xTaskCreateStatic's handle is the TCB. */
    if (s == NULL || !has_room((TaskHandle_t)tcb)) {
        return NULL;
    }
    s->name = name;
    TaskHandle_t h = xTaskCreateStatic(fn, name, rtm_frt_stack_depth(s), arg, prio,
                                       rtm_frt_stack_buffer(s), tcb);
    if (h != NULL && rtm_frt_stack_attach(s, h) != RTM_OK) {
        return NULL;
    }
    return h;
}

void rtm_frt_switched_out(void *tcb)
{
    rtm_stack_t **slot = slot_of((TaskHandle_t)tcb);
    if (slot != NULL) {
        /* pxTopOfStack, the TCB's first member: the SP the port just saved */
        (void)rtm_stack_check(*slot, (uintptr_t)*(void *const *)tcb);
    }
}
