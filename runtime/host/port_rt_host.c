/*
 * The rtmem port for code that runs on the host task runtime (runtime/host):
 * one thread, tasks preempted by SIGVTALRM. A critical section blocks that
 * signal, so a task is never switched out while it holds an allocator's
 * state; nothing ever blocks (a task that must wait yields, rtm_rt_yield).
 * Built with RTMEM_CFG_PORT == RTMEM_PORT_NONE: the core needs no waiting.
 * Host only (signals): never in src/.
 */
#define _GNU_SOURCE 1
#include <signal.h>

#include "rtm_internal.h"
#include "rtmem/port.h"

_Static_assert(RTMEM_CFG_PORT == RTMEM_PORT_NONE,
               "port_rt_host.c needs RTMEM_CFG_PORT == RTMEM_PORT_NONE");

static volatile uint32_t depth;
static sigset_t saved;
static uint32_t ticks;

void rtm_port_enter(void)
{
    sigset_t tick, old;
    (void)sigemptyset(&tick);
    (void)sigaddset(&tick, SIGVTALRM);
    (void)sigprocmask(SIG_BLOCK, &tick, &old);
    if (depth++ == 0u) {
        saved = old; /* the outermost section restores what the task had */
    }
}

void rtm_port_exit(void)
{
    RTM_ASSERT(depth > 0u);
    if (depth > 0u && --depth == 0u) {
        (void)sigprocmask(SIG_SETMASK, &saved, NULL);
    }
}

uint32_t rtm_port_depth(void) { return depth; }

bool rtm_port_in_isr(void) { return false; }

uint32_t rtm_port_ticks(void) { return ticks++; }

#include "../../src/port/waitq_noblock.c.inc"
