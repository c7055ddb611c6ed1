/*
 * none port: a single thread of execution and no interrupts that touch rtmem.
 * Critical sections only count their nesting (so misuse is still caught) and
 * nothing ever blocks.
 */
#include "rtm_internal.h"
#include "rtmem/port.h"

_Static_assert(RTMEM_CFG_PORT == RTMEM_PORT_NONE,
               "port_none.c needs RTMEM_CFG_PORT == RTMEM_PORT_NONE");

static uint32_t g_depth;
static uint32_t g_ticks;

void rtm_port_enter(void) { g_depth++; }

void rtm_port_exit(void)
{
    RTM_ASSERT(g_depth > 0u);
    if (g_depth > 0u) {
        g_depth--;
    }
}

uint32_t rtm_port_depth(void) { return g_depth; }

bool rtm_port_in_isr(void) { return false; }

/* No time source without an RTOS: every call advances one tick, which keeps
 * the counter monotonic for code that measures elapsed ticks. */
uint32_t rtm_port_ticks(void) { return g_ticks++; }
#include "waitq_noblock.c.inc"
