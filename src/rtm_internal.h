/* Private helpers shared by the rtmem sources and white-box tests. */
#ifndef RTM_INTERNAL_H
#define RTM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "rtmem/common.h"
#include "rtm_config_internal.h"

/* RTMEM_TRAP(): what a failed assertion or a default fault does (an option
 * of rtmem/config.h). */

#if RTMEM_CFG_ASSERT
#define RTM_ASSERT(x) ((x) ? (void)0 : RTMEM_TRAP())
#else
#define RTM_ASSERT(x) ((void)0)
#endif

/* a + b would wrap around SIZE_MAX. */
static inline int rtm_add_overflows(size_t a, size_t b)
{
    return a > (SIZE_MAX - b);
}

/* a * b would wrap around SIZE_MAX. */
static inline int rtm_mul_overflows(size_t a, size_t b)
{
    return b != 0u && a > (SIZE_MAX / b);
}

/* Round `x` up to the power of two `a`; returns 0 when that would wrap. */
static inline size_t rtm_align_up_checked(size_t x, size_t a)
{
    size_t mask = a - 1u;
    if ((x & mask) == 0u) {
        return x;
    }
    if (rtm_add_overflows(x, a - (x & mask))) {
        return 0u;
    }
    return x + (a - (x & mask));
}

#endif /* RTM_INTERNAL_H */
