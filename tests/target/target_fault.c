/*
 * The target harness's own check (run.sh test, on the Cortex-M0 board): a
 * misaligned word store must end the run through the fault handler with the
 * PC of the faulting instruction. This proves that the emulated ARMv6-M core
 * faults on unaligned accesses as the silicon does (so the M0 test run checks
 * that the library never makes one) and that a fault reports where it
 * happened; run.sh checks the reported PC lies in misaligned_store() and
 * that the exit status is 1.
 */
#include <stdint.h>
#include <stdio.h>

/* A word store two bytes off the alignment of `base`; the asm hides the
 * offset from the optimiser, which could otherwise fold the access away. */
__attribute__((noinline)) void misaligned_store(uint8_t *base);
__attribute__((noinline)) void misaligned_store(uint8_t *base)
{
    uint8_t *at = base + 2;
    __asm__ volatile("" : "+r"(at));
    *(uint32_t *)(void *)at = 0x5AA5F00Du;
}

int main(void)
{
    static uint32_t words[2];
    printf("target_fault: a misaligned word store must fault now\n");
    misaligned_store((uint8_t *)words);
    printf("target_fault: FAILED: the misaligned store did not fault\n");
    return 0;
}
