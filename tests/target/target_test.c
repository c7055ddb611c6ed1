/*
 * The library's own code, as cross-compiled for Cortex-M, run on an emulated
 * core: the fuzz interpreter (shadow model, integrity check after every op,
 * bad frees refused) over PRNG programs for heap_2, heap_4, heap_5, tlsf and
 * the pool, and the cortex_m port's critical sections. The host tests cover
 * the same code with other compilers and sanitizers; this run is the one that
 * executes the Thumb code whose sizes and path lengths rtmem publishes, on
 * ARMv6-M, ARMv7E-M and ARMv8-M Mainline. (QEMU 7.2 does not model ARMv6-M's
 * trap on an unaligned word access, so that rule is not checked here.)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_alloc.h"
#include "rtmem/config.h"
#include "rtmem/port.h"
#include "target.h"
#include "target_isr.h"

#if defined(__OPTIMIZE_SIZE__)
#define OPT_NAME "-Os"
#else
#define OPT_NAME "-O2"
#endif

#ifndef TARGET_ISR_ITERS
#define TARGET_ISR_ITERS 200000u
#endif

#ifndef TARGET_PROGRAMS
#define TARGET_PROGRAMS 200u
#endif

static int failures;

#define EXPECT(c)                                                              \
    do {                                                                       \
        if (!(c)) {                                                            \
            printf("target_test: %s:%d: %s\n", __FILE__, __LINE__, #c);        \
            failures++;                                                        \
        }                                                                      \
    } while (0)

static uint32_t primask(void)
{
    uint32_t v;
    __asm__ volatile("mrs %0, primask" : "=r"(v));
    return v & 1u;
}

/* Nesting: masked inside, restored only by the outermost exit; a section
 * entered with interrupts already masked leaves them masked. */
static void test_port_critical_sections(void)
{
    __asm__ volatile("cpsie i" ::: "memory");
    EXPECT(primask() == 0u && rtm_port_depth() == 0u);
    rtm_port_enter();
    EXPECT(primask() == 1u && rtm_port_depth() == 1u);
    rtm_port_enter();
    rtm_port_exit();
    EXPECT(primask() == 1u && rtm_port_depth() == 1u);
    rtm_port_exit();
    EXPECT(primask() == 0u && rtm_port_depth() == 0u);

    __asm__ volatile("cpsid i" ::: "memory");
    rtm_port_enter();
    rtm_port_exit();
    EXPECT(primask() == 1u);
    __asm__ volatile("cpsie i" ::: "memory");
    EXPECT(!rtm_port_in_isr());
}

int main(void)
{
    test_port_critical_sections();
    failures += target_isr_tests(TARGET_ISR_ITERS);
    static uint8_t prog[FUZZ_PRNG_MAX];
    uint64_t x = 0x2545F4914F6CDD1DULL;
    for (unsigned k = 0; k < TARGET_PROGRAMS; k++) {
        size_t len = fuzz_alloc_prng(prog, (uint8_t)(k % 5u), &x);
        (void)fuzz_alloc_run(prog, len); /* aborts on a finding */
    }
    printf("target_test %s (%s, tlsf relink %d): port checks %s, %u fuzz programs passed\n",
           tgt_cpu(), OPT_NAME, RTMEM_CFG_TLSF_RELINK, failures ? "FAILED" : "passed",
           TARGET_PROGRAMS);
    return failures ? 1 : 0;
}
