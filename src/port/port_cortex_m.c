/*
 * cortex_m port: critical sections by interrupt masking. The mask state is
 * saved on the outermost enter and restored on the outermost exit, so a
 * section entered with interrupts already masked leaves them masked.
 *   RTMEM_CFG_CORTEX_M_BASEPRI == 0: PRIMASK (all maskable interrupts).
 *   RTMEM_CFG_CORTEX_M_BASEPRI != 0: BASEPRI_MAX with that value (ARMv7-M and
 *   ARMv8-M Mainline only), leaving higher-priority interrupts running.
 * Only the CPU's own registers are used: no CMSIS headers are needed.
 */
#include "rtm_internal.h"
#include "port_section.h"
#include "rtmem/port.h"

_Static_assert(RTMEM_CFG_PORT == RTMEM_PORT_CORTEX_M,
               "port_cortex_m.c needs RTMEM_CFG_PORT == RTMEM_PORT_CORTEX_M");
_Static_assert(RTMEM_CFG_CORTEX_M_BASEPRI >= 0 && RTMEM_CFG_CORTEX_M_BASEPRI <= 255,
               "RTMEM_CFG_CORTEX_M_BASEPRI is an 8-bit priority value");

#if RTMEM_CFG_CORTEX_M_BASEPRI != 0 && defined(__ARM_ARCH_6M__)
#error "ARMv6-M has no BASEPRI: set RTMEM_CFG_CORTEX_M_BASEPRI to 0"
#endif

/* The section state (port_section.h, where the pool's inline section uses
 * it too). */
rtm_port_cs_t rtm_port_cs_;
static volatile uint32_t g_ticks;

void rtm_port_enter(void)
{
    uint32_t old = rtm_port_mask_();
    if (rtm_port_cs_.depth == 0u) {
        rtm_port_cs_.saved = old;
    }
    rtm_port_cs_.depth++;
}

void rtm_port_exit(void)
{
    RTM_ASSERT(rtm_port_cs_.depth > 0u);
    if (rtm_port_cs_.depth == 0u) {
        return;
    }
    rtm_port_cs_.depth--;
    if (rtm_port_cs_.depth == 0u) {
        rtm_port_restore_(rtm_port_cs_.saved);
    }
}

uint32_t rtm_port_depth(void) { return rtm_port_cs_.depth; }

bool rtm_port_in_isr(void)
{
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    return (ipsr & 0x1FFu) != 0u;
}

/* The application advances the tick from its SysTick handler, if it wants
 * rtm_port_ticks() to mean time; bare metal rtmem never blocks on it. */
void rtm_port_cortex_m_tick(void);
void rtm_port_cortex_m_tick(void) { g_ticks = g_ticks + 1u; }

uint32_t rtm_port_ticks(void) { return g_ticks; }

#include "waitq_noblock.c.inc"
