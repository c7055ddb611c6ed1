/* Interrupt tests on the emulated core (target_isr.c). */
#ifndef RTM_TARGET_ISR_H
#define RTM_TARGET_ISR_H

#include <stdint.h>

/* Runs them; failures count in tgt_failures. */
void target_isr_tests(uint32_t iters);

#endif
