/*
 * Host port of the task runtime (see rt_port.h). The scheduler loop runs on
 * the process's own stack with SIGVTALRM blocked; a task runs with it
 * unblocked, so preemption only ever interrupts a task.
 */
#define _GNU_SOURCE 1
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>

#include "rtm_rt.h"

static ucontext_t sched_ctx;
static uintptr_t switched_sp; /* the outgoing task's stack pointer */
static sigset_t tick_set;

size_t rtm_rt_page_size(void)
{
    long p = sysconf(_SC_PAGESIZE);
    return p > 0 ? (size_t)p : 4096u;
}

static uintptr_t interrupted_sp(const void *ucv)
{
    const ucontext_t *uc = ucv;
#if defined(__x86_64__)
    return (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
#elif defined(__aarch64__)
    return (uintptr_t)uc->uc_mcontext.sp;
#elif defined(__i386__)
    return (uintptr_t)uc->uc_mcontext.gregs[REG_ESP];
#else
#error "rt_host.c: add this architecture's saved stack pointer"
#endif
}

static void task_entry(void)
{
    rtm_task_t *t = rtm_rt_current();
    t->fn(t->arg);
    rtm_rt_task_exit_();
}

void rtm_rt_port_setup_(rtm_task_t *t)
{
    rtm_stack_t *s = t->stack;
    rtm_rt_port_t *p = &t->port;
    if (p->sigstk == NULL) {
        p->sigstk = malloc(RTM_RT_SIGSTACK);
    }
    (void)getcontext(&p->ctx);
    p->ctx.uc_stack.ss_sp = (void *)s->limit;
    p->ctx.uc_stack.ss_size = (size_t)((uintptr_t)s->base + s->size - s->limit);
    p->ctx.uc_link = NULL;
    sigemptyset(&p->ctx.uc_sigmask);
    makecontext(&p->ctx, task_entry, 0);
    p->sp0 = rtm_stack_start(s);
    uintptr_t lo, hi;
    if (rtm_stack_guard(s, &lo, &hi) == RTM_OK && (lo % rtm_rt_page_size()) == 0u &&
        (hi - lo) % rtm_rt_page_size() == 0u) {
        p->guarded = mprotect((void *)lo, hi - lo, PROT_NONE) == 0;
    }
}

void rtm_rt_port_release_(rtm_task_t *t)
{
    uintptr_t lo, hi;
    if (t->port.guarded && rtm_stack_guard(t->stack, &lo, &hi) == RTM_OK) {
        (void)mprotect((void *)lo, hi - lo, PROT_READ | PROT_WRITE);
        t->port.guarded = 0;
    }
    free(t->port.sigstk);
    t->port.sigstk = NULL;
}

void rtm_rt_port_protect_(rtm_task_t *to)
{
    (void)to; /* guard pages stay PROT_NONE; nothing changes per switch */
}

/* Stop the running task for good: back to the scheduler, never to return. */
void rtm_rt_port_stop_(rtm_task_t *t)
{
    switched_sp = (uintptr_t)__builtin_frame_address(0);
    (void)t;
    (void)setcontext(&sched_ctx);
    abort();
}

void rtm_rt_yield(void)
{
    rtm_task_t *t = rtm_rt_current();
    if (t == NULL) {
        return;
    }
    sigset_t old;
    (void)sigprocmask(SIG_BLOCK, &tick_set, &old);
    switched_sp = (uintptr_t)__builtin_frame_address(0);
    (void)swapcontext(&t->port.ctx, &sched_ctx);
    (void)sigprocmask(SIG_SETMASK, &old, NULL);
}

static void on_tick(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)si;
    rtm_task_t *t = rtm_rt_current();
    if (t == NULL) {
        return;
    }
    switched_sp = interrupted_sp(uc);
    (void)swapcontext(&t->port.ctx, &sched_ctx);
}

static struct sigaction old_segv, old_bus;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    rtm_task_t *t = rtm_rt_current();
    if (t == NULL) {
        /* not a task's fault: the default action, at once */
        (void)sigaction(sig, sig == SIGSEGV ? &old_segv : &old_bus, NULL);
        return;
    }
    uintptr_t a = (uintptr_t)si->si_addr, lo, hi;
    if (rtm_stack_guard(t->stack, &lo, &hi) == RTM_OK && a >= lo && a < hi) {
        (void)rtm_stack_report(t->stack, RTM_STACK_M_GUARD, si->si_addr);
        rtm_rt_fault(t, RTM_ERR_STACK_OVERFLOW, RTM_STACK_M_GUARD, si->si_addr,
                     (uint32_t)si->si_code);
    } else {
        rtm_rt_fault(t, RTM_ERR_ACCESS, RTM_STACK_M_NONE, si->si_addr, (uint32_t)si->si_code);
    }
}

static void set_altstack(rtm_task_t *t)
{
    stack_t ss;
    memset(&ss, 0, sizeof ss);
    ss.ss_sp = t->port.sigstk;
    ss.ss_size = RTM_RT_SIGSTACK;
    (void)sigaltstack(&ss, NULL);
}

void rtm_rt_run(uint32_t preempt_us)
{
    struct sigaction sa, old_tick;
    stack_t old_ss;
    sigset_t old_mask;
    sigemptyset(&tick_set);
    sigaddset(&tick_set, SIGVTALRM);
    (void)sigprocmask(SIG_BLOCK, &tick_set, &old_mask);
    (void)sigaltstack(NULL, &old_ss);

    memset(&sa, 0, sizeof sa);
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sa.sa_sigaction = on_segv;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGVTALRM);
    (void)sigaction(SIGSEGV, &sa, &old_segv);
    (void)sigaction(SIGBUS, &sa, &old_bus);
    sa.sa_sigaction = on_tick;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
    (void)sigaction(SIGVTALRM, &sa, &old_tick);

    struct itimerval it;
    memset(&it, 0, sizeof it);
    it.it_interval.tv_usec = (suseconds_t)preempt_us;
    it.it_value.tv_usec = (suseconds_t)preempt_us;
    (void)setitimer(ITIMER_VIRTUAL, &it, NULL);

    switched_sp = 0u;
    rtm_task_t *t = rtm_rt_switch_(0u);
    while (t != NULL) {
        set_altstack(t);
        (void)swapcontext(&sched_ctx, &t->port.ctx);
        t = rtm_rt_switch_(switched_sp);
    }

    memset(&it, 0, sizeof it);
    (void)setitimer(ITIMER_VIRTUAL, &it, NULL);
    (void)sigaction(SIGVTALRM, &old_tick, NULL);
    (void)sigaction(SIGSEGV, &old_segv, NULL);
    (void)sigaction(SIGBUS, &old_bus, NULL);
    old_ss.ss_flags &= ~SS_ONSTACK;
    (void)sigaltstack(&old_ss, NULL);
    (void)sigprocmask(SIG_SETMASK, &old_mask, NULL);
}
