/*
 * Test controls of the stub kernel (kernel_stub.c), not part of the kernel's
 * layout: a few task identities, a simulated interrupt context (what
 * xPortIsInsideInterrupt() answers), a log of every kernel call the port
 * makes, and a function run "while the current task is blocked", which is
 * how a single-threaded stub lets another task or an interrupt act while a
 * waiter sleeps.
 *
 * The log also applies the kernel's interrupt rule: a call that is not one
 * of the FromISR / interrupt-mask calls made while in interrupt context is
 * counted as a violation (stub_isr_violations()).
 */
#ifndef KERNEL_STUB_CTL_H
#define KERNEL_STUB_CTL_H

#include <stddef.h>

#include "FreeRTOS.h"
#include "task.h"

#define STUB_TASKS 4
#define STUB_LOG_MAX 256

typedef enum {
    STUB_SUSPEND_ALL,       /* vTaskSuspendAll */
    STUB_RESUME_ALL,        /* xTaskResumeAll */
    STUB_ENTER_CRITICAL,    /* taskENTER_CRITICAL */
    STUB_EXIT_CRITICAL,     /* taskEXIT_CRITICAL */
    STUB_MASK_FROM_ISR,     /* taskENTER_CRITICAL_FROM_ISR */
    STUB_CLEAR_FROM_ISR,    /* taskEXIT_CRITICAL_FROM_ISR */
    STUB_YIELD_FROM_ISR,    /* portYIELD_FROM_ISR */
    STUB_NOTIFY_TAKE,       /* ulTaskNotifyTake(Indexed): blocks */
    STUB_NOTIFY,            /* xTaskNotifyGive(Indexed) and the other task notifies */
    STUB_NOTIFY_FROM_ISR,   /* vTaskNotifyGive(Indexed)FromISR */
    STUB_DELAY,             /* vTaskDelay: blocks */
    STUB_TICK_COUNT,        /* xTaskGetTickCount */
    STUB_TICK_COUNT_FROM_ISR,
    STUB_CURRENT_TASK,      /* xTaskGetCurrentTaskHandle */
    STUB_SCHEDULER_STATE,   /* xTaskGetSchedulerState */
    STUB_CALLS
} stub_call_t;

typedef struct {
    stub_call_t call;
    int in_isr;          /* made in simulated interrupt context */
    int task;            /* the current task, or for a notification its target */
    UBaseType_t index;   /* notification index, when there is one */
} stub_rec_t;

/* Back to the start: task 0 current, task context, no log, no pending
 * notifications, tick 0, no blocked-time function. */
void stub_reset(void);
void stub_set_isr(int in_isr);
void stub_set_task(int task);
TaskHandle_t stub_task(int task);
/* Notifications pending on `index` of `task`. */
uint32_t stub_pending(int task, UBaseType_t index);
/* Run fn(arg) the next time the current task would block (once; the
 * function may switch task or interrupt context, and must restore them). */
void stub_on_block(void (*fn)(void *), void *arg);
/* Run fn(arg) inside the next task-context notification, after the
 * notification is given: a port that switches to the woken (or another)
 * task inside the call, critical section or not, as the POSIX simulator
 * does. Once; fn must restore the current task. */
void stub_on_notify(void (*fn)(void *), void *arg);
/* Calls of one kind logged so far in interrupt context (in_isr 1), task
 * context (0) or either (-1). */
size_t stub_count(stub_call_t call, int in_isr);
size_t stub_log_size(void);
const stub_rec_t *stub_log_at(size_t i);
size_t stub_isr_violations(void);
/* Critical-section nesting: task, interrupt mask (0 = unmasked), scheduler lock. */
UBaseType_t stub_critical_depth(void);
UBaseType_t stub_isr_masked(void);
UBaseType_t stub_suspended(void);

#endif /* KERNEL_STUB_CTL_H */
