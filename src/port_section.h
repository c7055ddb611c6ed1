/* The section of pools and queues (private to src/): the port's
 * rtm_port_lock/unlock (rtmem/port.h), written out inline where the port
 * allows it.
 *
 * On cortex_m it does what rtm_port_enter()/rtm_port_exit() do for a paired
 * use: mask interrupts, count the nesting depth, and on the way out restore
 * the mask as it was on the way in. Outside any section that is the
 * outermost enter's save and exit's restore; nested in a section the mask
 * read on the way in is that section's, so it stays until the outermost exit
 * restores the original. rtm_port_depth() stays exact for the code the pool
 * calls inside (fault hook, observer, gate). Inline, the called pool alloc
 * and free make no port calls. The port's waits never block
 * (waitq_noblock.c.inc), so none releases and re-takes the section: one may
 * span rtm_waitq_wait. On the other ports: the port's functions, which their
 * waits release and re-take. */
#ifndef RTM_PORT_SECTION_H
#define RTM_PORT_SECTION_H

#include <stdint.h>

#include "rtmem/port.h"

#if RTMEM_CFG_PORT == RTMEM_PORT_CORTEX_M
/* port_cortex_m.c's section state: the nesting depth and the mask state the
 * outermost rtm_port_enter() saved, in one object so that enter and exit
 * reach both through one address. */
typedef struct rtm_port_cs {
    uint32_t depth;
    uint32_t saved;
} rtm_port_cs_t;
extern rtm_port_cs_t rtm_port_cs_;

/* Mask the interrupts the port masks; the previous mask state. */
static inline uint32_t rtm_port_mask_(void)
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

static inline void rtm_port_restore_(uint32_t old)
{
#if RTMEM_CFG_CORTEX_M_BASEPRI == 0
    __asm__ volatile("msr primask, %0" ::"r"(old) : "memory");
#else
    __asm__ volatile("msr basepri, %0\n\tisb" ::"r"(old) : "memory");
#endif
}

typedef uint32_t rtm_section_t;

static inline rtm_section_t rtm_section_enter_(void)
{
    uint32_t old = rtm_port_mask_();
    rtm_port_cs_.depth++;
    return old;
}

static inline void rtm_section_exit_(rtm_section_t old)
{
    rtm_port_cs_.depth--;
    rtm_port_restore_(old);
}
#else
typedef int rtm_section_t;

static inline rtm_section_t rtm_section_enter_(void)
{
    rtm_port_lock();
    return 0;
}

static inline void rtm_section_exit_(rtm_section_t s)
{
    (void)s;
    rtm_port_unlock();
}
#endif

#endif /* RTM_PORT_SECTION_H */
