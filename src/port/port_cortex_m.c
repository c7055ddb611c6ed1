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
#include "rtmem/port.h"

_Static_assert(RTMEM_CFG_PORT == RTMEM_PORT_CORTEX_M,
               "port_cortex_m.c needs RTMEM_CFG_PORT == RTMEM_PORT_CORTEX_M");
_Static_assert(RTMEM_CFG_CORTEX_M_BASEPRI >= 0 && RTMEM_CFG_CORTEX_M_BASEPRI <= 255,
               "RTMEM_CFG_CORTEX_M_BASEPRI is an 8-bit priority value");

#if RTMEM_CFG_CORTEX_M_BASEPRI != 0 && defined(__ARM_ARCH_6M__)
#error "ARMv6-M has no BASEPRI: set RTMEM_CFG_CORTEX_M_BASEPRI to 0"
#endif

/* The nesting depth and the mask state saved by the outermost enter, in one
 * object so that enter and exit reach both through one address. */
static struct {
    uint32_t depth;
    uint32_t saved;
} g_cs;
static volatile uint32_t g_ticks;

static inline uint32_t mask_interrupts(void)
{
    uint32_t old;
#if RTMEM_CFG_CORTEX_M_BASEPRI == 0
    __asm__ volatile("mrs %0, primask\n\tcpsid i" : "=r"(old)::"memory");
#else
    uint32_t level = RTMEM_CFG_CORTEX_M_BASEPRI;
    __asm__ volatile("mrs %0, basepri\n\tmsr basepri_max, %1\n\tisb"
                     : "=&r"(old)
                     : "r"(level)
                     : "memory");
#endif
    return old;
}

static inline void restore_interrupts(uint32_t old)
{
#if RTMEM_CFG_CORTEX_M_BASEPRI == 0
    __asm__ volatile("msr primask, %0" ::"r"(old) : "memory");
#else
    __asm__ volatile("msr basepri, %0\n\tisb" ::"r"(old) : "memory");
#endif
}

void rtm_port_enter(void)
{
    uint32_t old = mask_interrupts();
    if (g_cs.depth == 0u) {
        g_cs.saved = old;
    }
    g_cs.depth++;
}

void rtm_port_exit(void)
{
    RTM_ASSERT(g_cs.depth > 0u);
    if (g_cs.depth == 0u) {
        return;
    }
    g_cs.depth--;
    if (g_cs.depth == 0u) {
        restore_interrupts(g_cs.saved);
    }
}

uint32_t rtm_port_depth(void) { return g_cs.depth; }

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
