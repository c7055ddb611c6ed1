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

/* RTMEM_CFG_TLSF_USE_BUILTIN_CLZ: how rtm_tlsf scans its bitmaps. 1 = the
 * compiler's count-leading/trailing-zeros builtins (one CLZ/RBIT instruction
 * on Cortex-M3/M4/M33, a libgcc call on Cortex-M0+, which has no CLZ); 0 = a
 * portable scan of five fixed steps. Same layout and same results either
 * way. Follows the compiler (1 with GCC and Clang, else 0) and is no user
 * option; the tests set 0 to build, on GCC, the scan a compiler without the
 * builtins gets (tests/tlsf.cmake, tests/target/run.sh, the levels test). */
#ifndef RTMEM_CFG_TLSF_USE_BUILTIN_CLZ
#if defined(__GNUC__)
#define RTMEM_CFG_TLSF_USE_BUILTIN_CLZ 1
#else
#define RTMEM_CFG_TLSF_USE_BUILTIN_CLZ 0
#endif
#endif

#if RTMEM_CFG_TEST_HOOKS
extern size_t rtm_test_steps;
#define RTM_STEP() ((void)rtm_test_steps++)
#else
#define RTM_STEP() ((void)0)
#endif

#endif /* RTM_CONFIG_INTERNAL_H */
