/*
 * Internal and test-only options. Applications set the options in
 * include/rtmem/config.h; the ones here are for rtmem's own tests and never
 * change a public struct, a layout or a default of the library.
 */
#ifndef RTM_CONFIG_INTERNAL_H
#define RTM_CONFIG_INTERNAL_H

#include <stddef.h>

#include "rtmem/config.h"

/* RTMEM_CFG_TEST_HOOKS: 1 = the O(1) algorithms count their basic steps
 * (list, bitmap, split, merge operations) in rtm_test_steps, so a white-box
 * test can prove a bound (tests/tlsf.cmake builds such a library variant);
 * 0 = the counting compiles away. One global counter rather than a member of
 * the instance, so that the option changes no public struct. */
#ifndef RTMEM_CFG_TEST_HOOKS
#define RTMEM_CFG_TEST_HOOKS 0
#endif

#if RTMEM_CFG_TEST_HOOKS
extern size_t rtm_test_steps;
#define RTM_STEP() ((void)rtm_test_steps++)
#else
#define RTM_STEP() ((void)0)
#endif

#endif /* RTM_CONFIG_INTERNAL_H */
