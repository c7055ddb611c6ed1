/*
 * Bare-metal support for running rtmem on an emulated Cortex-M (QEMU's
 * mps2-an386 Cortex-M4, mps2-an505 Cortex-M33, microbit Cortex-M0): the
 * start-up code, newlib's system calls over ARM semihosting, and an
 * instruction counter for the target benchmark. Test support, not library code.
 */
#ifndef RTM_TARGET_H
#define RTM_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A failed expectation in a target test: said with its place and counted;
 * the test's main() returns non-zero when tgt_failures is. */
extern int tgt_failures;
#define TGT_EXPECT(c)                                                        \
    do {                                                                     \
        if (!(c)) {                                                          \
            printf("target: %s:%d: %s\n", __FILE__, __LINE__, #c);           \
            tgt_failures++;                                                  \
        }                                                                    \
    } while (0)

/* SysTick as a free-running down-counter on the processor clock. Under
 * `qemu-system-arm -icount shift=0` one guest instruction advances the
 * virtual clock by 1 ns, so a tick is a fixed number of instructions (40 at
 * mps2's 25 MHz); tgt_insn_per_tick() measures that number at start-up. */
void tgt_counter_start(void);

static inline uint32_t tgt_now(void)
{
    uint32_t v;
    /* the memory clobber keeps inlined allocator code inside the timed region */
    __asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(0xE000E018u) : "memory"); /* SYST_CVR */
    return v;
}

/* Ticks from t0 to t1 (the counter counts down and wraps at 24 bits). */
static inline uint32_t tgt_ticks(uint32_t t0, uint32_t t1)
{
    return (t0 - t1) & 0xFFFFFFu;
}

/* Instructions per tick, measured with a loop of known length; 0 when the
 * counter does not follow the instruction count (QEMU run without -icount). */
uint32_t tgt_insn_per_tick(void);

/* Wait for a counter edge, then spin for i mod 40 more instructions, so that
 * the next region starts at a counter phase that visits every value once in
 * 40 successive calls: a loop that repeats one operation otherwise reads the
 * same rounded tick count every time, and its mean is off by up to a tick. */
void tgt_dither(uint32_t i);

/* A file on the host through semihosting (relative to QEMU's working
 * directory), for what a device would send over a UART: open for writing
 * ("wb"; TGT_NO_FILE when it cannot), write (true when every byte went),
 * close (true when closed). */
#define TGT_NO_FILE 0xFFFFFFFFu
uint32_t tgt_file_open(const char *name);
bool tgt_file_write(uint32_t fd, const void *buf, size_t n);
bool tgt_file_close(uint32_t fd);

/* The CPU name as the compiler saw it ("cortex-m4", ...). */
const char *tgt_cpu(void);

#endif
