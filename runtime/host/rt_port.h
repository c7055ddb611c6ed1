/*
 * Host port of the task runtime (runtime/rtm_rt.h): a task is a ucontext on
 * its rtm_stack stack, switched by swapcontext from the scheduler loop in
 * rtm_rt_run(); preemption is SIGVTALRM (process CPU time), delivered on a
 * signal stack of the task's own, so the kernel's signal frame never lands on
 * the task's stack (the high-water mark stays the task's) and a task caught
 * mid-recursion keeps its frame there until it is resumed. A guard page
 * (method 3) is PROT_NONE; the SIGSEGV it raises is handled on the same
 * signal stack, reported, and the task stopped.
 *
 * Host only (POSIX, ucontext, signals, mprotect): never in src/.
 */
#ifndef RTMEM_RT_PORT_H
#define RTMEM_RT_PORT_H

#include <stddef.h>
#include <stdint.h>
#include <ucontext.h>

/* Usable stack a task needs at least: the C library (printf, the cmocka
 * assertions) runs on it. */
#define RTM_RT_MIN_STACK 16384u
/* Each task's signal stack (the preemption and fault handlers run there). */
#define RTM_RT_SIGSTACK 65536u

typedef struct rtm_rt_port {
    ucontext_t ctx;    /* the task's saved context */
    uintptr_t sp0;     /* initial stack pointer */
    void *sigstk;      /* RTM_RT_SIGSTACK bytes (malloc) */
    int guarded;       /* the guard page is PROT_NONE */
} rtm_rt_port_t;

struct rtm_task;
/* Host: give back the signal stack and lift the guard page's protection (the
 * memory may then be reused). Called by rtm_task_delete. */
void rtm_rt_port_release_(struct rtm_task *t);
/* Host: the system page size (a guard's size for method 3). */
size_t rtm_rt_page_size(void);

#endif
