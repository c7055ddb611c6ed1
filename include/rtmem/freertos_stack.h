/*
 * rtm_stack for FreeRTOS applications: task stacks from rtm_stack, the
 * switch-time checks from traceTASK_SWITCHED_OUT, and overflows reported to
 * vApplicationStackOverflowHook(handle, name). Compiled inside the
 * application (it includes the kernel's FreeRTOS.h and task.h).
 *
 * Wiring (FreeRTOSConfig.h):
 *     void rtm_frt_switched_out(void *tcb);
 *     #define traceTASK_SWITCHED_OUT() rtm_frt_switched_out((void *)pxCurrentTCB)
 *     #define configCHECK_FOR_STACK_OVERFLOW 0   (rtmem checks instead)
 * and create tasks with rtm_frt_task_create_static() (or pass
 * rtm_frt_stack_buffer()/rtm_frt_stack_depth() to xTaskCreateStatic and call
 * rtm_frt_stack_attach()). The kernel gets only the usable part of the stack
 * (it fills it with 0xA5 itself, the same paint), so the canary and the
 * guard below it stay rtmem's; uxTaskGetStackHighWaterMark and
 * rtm_stack_free_min_words agree. The kernel keeps each task's saved stack
 * pointer as the first member of its TCB (pxTopOfStack), which is what
 * rtm_frt_switched_out reads.
 *
 * The one global: a table of RTMEM_CFG_FREERTOS_STACKS (config.h) attached
 * stacks.
 */
#ifndef RTMEM_FREERTOS_STACK_H
#define RTMEM_FREERTOS_STACK_H

#include "FreeRTOS.h"
#include "task.h"

#include "rtmem/stack.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The buffer and depth (in StackType_t words) to give xTaskCreateStatic:
 * the usable part of `s` (a stack growing down). O(1). NULL or destroyed
 * s: NULL and 0 (which xTaskCreateStatic refuses). */
StackType_t *rtm_frt_stack_buffer(const rtm_stack_t *s);
configSTACK_DEPTH_TYPE rtm_frt_stack_depth(const rtm_stack_t *s);

/* Attach `s` to task `h` (s->handle = h; s->name kept or set by the caller)
 * and install the overflow hook that calls vApplicationStackOverflowHook.
 * O(RTMEM_CFG_FREERTOS_STACKS). NULL -> RTM_ERR_NULL; table full ->
 * RTM_ERR_NO_MEMORY. */
rtm_err_t rtm_frt_stack_attach(rtm_stack_t *s, TaskHandle_t h);
/* Forget task h's stack (call before vTaskDelete). O(table). A task with
 * no stack attached (or NULL): nothing done. */
void rtm_frt_stack_detach(TaskHandle_t h);

/* xTaskCreateStatic on an rtm_stack, then attach. O(table). NULL when s is
 * NULL, the table is full (checked first: no task is created then) or the
 * kernel refuses. */
TaskHandle_t rtm_frt_task_create_static(TaskFunction_t fn, const char *name, rtm_stack_t *s,
                                        void *arg, UBaseType_t prio, StaticTask_t *tcb);

/* traceTASK_SWITCHED_OUT: check the outgoing task's stack (methods 1 and 2
 * of its rtm_stack) with the stack pointer the kernel just saved. O(table)
 * + rtm_stack_check. A task without an attached stack is ignored. */
void rtm_frt_switched_out(void *tcb);

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_FREERTOS_STACK_H */
