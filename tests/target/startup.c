/*
 * Start-up and system calls for the target tests (see target.h). Output and
 * exit go through ARM semihosting (BKPT 0xAB), which QEMU serves with
 * `-semihosting-config enable=on,target=native`: printf reaches the host's
 * stdout and exit(n) becomes QEMU's exit status (0 or 1).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "target.h"

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _estack, _heap_start, _heap_end;
int main(void);

/* Prototypes of newlib's system-call layer (defined here, called by libc). */
int _write(int fd, const char *buf, int len);
int _read(int fd, char *buf, int len);
int _close(int fd);
int _lseek(int fd, int off, int whence);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);
int _kill(int pid, int sig);
int _getpid(void);
void *_sbrk(ptrdiff_t incr);
__attribute__((noreturn)) void _exit(int status);
void Reset_Handler(void);
void Fault_Handler(void);
/* A test that takes interrupts defines its own; otherwise they fault. */
void PendSV_Handler(void) __attribute__((weak, alias("Fault_Handler")));
void SysTick_Handler(void) __attribute__((weak, alias("Fault_Handler")));
/* The task runtime (runtime/cortex_m) defines these; otherwise they fault. */
void MemManage_Handler(void) __attribute__((weak, alias("Fault_Handler")));
void BusFault_Handler(void) __attribute__((weak, alias("Fault_Handler")));
void UsageFault_Handler(void) __attribute__((weak, alias("Fault_Handler")));
void SVC_Handler(void) __attribute__((weak, alias("Fault_Handler")));
void _init(void);
void _fini(void);

/* exit() runs __libc_fini_array, which calls _fini (-nostartfiles drops crti) */
void _init(void) {}
void _fini(void) {}

int tgt_failures;

enum { SYS_OPEN = 0x01, SYS_CLOSE = 0x02, SYS_WRITE0 = 0x04, SYS_WRITE = 0x05, SYS_EXIT = 0x18 };
#define ADP_APPLICATION_EXIT 0x20026u
#define ADP_RUNTIME_ERROR 0x20023u

static uint32_t semihost(uint32_t op, uint32_t arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register uint32_t r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

uint32_t tgt_file_open(const char *name)
{
    uint32_t args[3] = { (uint32_t)(uintptr_t)name, 5u /* "wb" */, (uint32_t)strlen(name) };
    return semihost(SYS_OPEN, (uint32_t)(uintptr_t)args);
}

bool tgt_file_write(uint32_t fd, const void *buf, size_t n)
{
    uint32_t args[3] = { fd, (uint32_t)(uintptr_t)buf, (uint32_t)n };
    return semihost(SYS_WRITE, (uint32_t)(uintptr_t)args) == 0u; /* returns the bytes not written */
}

bool tgt_file_close(uint32_t fd)
{
    uint32_t args[1] = { fd };
    return semihost(SYS_CLOSE, (uint32_t)(uintptr_t)args) == 0u;
}

static void put(const char *s)
{
    semihost(SYS_WRITE0, (uint32_t)(uintptr_t)s);
}

void _exit(int status)
{
    semihost(SYS_EXIT, status == 0 ? ADP_APPLICATION_EXIT : ADP_RUNTIME_ERROR);
    for (;;) {
    }
}

int _write(int fd, const char *buf, int len)
{
    (void)fd;
    char chunk[65];
    int done = 0;
    while (done < len) { /* SYS_WRITE0 takes NUL-terminated text */
        size_t n = (size_t)(len - done) < 64u ? (size_t)(len - done) : 64u;
        memcpy(chunk, buf + done, n);
        chunk[n] = '\0';
        put(chunk);
        done += (int)n;
    }
    return len;
}

int _read(int fd, char *buf, int len)
{
    (void)fd;
    (void)buf;
    (void)len;
    return 0;
}

int _close(int fd)
{
    (void)fd;
    return -1;
}

int _lseek(int fd, int off, int whence)
{
    (void)fd;
    (void)off;
    (void)whence;
    return 0;
}

int _fstat(int fd, struct stat *st)
{
    (void)fd;
    memset(st, 0, sizeof *st);
    st->st_mode = S_IFCHR;
    return 0;
}

int _isatty(int fd)
{
    (void)fd;
    return 1;
}

int _kill(int pid, int sig)
{
    (void)pid;
    (void)sig;
    _exit(1);
}

int _getpid(void)
{
    return 1;
}

/* newlib's malloc (the reference in the target benchmark) grows from the end
 * of .bss up to _heap_end, below the stack. */
void *_sbrk(ptrdiff_t incr)
{
    static uint8_t *brk;
    if (brk == NULL) {
        brk = (uint8_t *)&_heap_start;
    }
    if (incr < 0 || (size_t)incr > (size_t)((uint8_t *)&_heap_end - brk)) {
        errno = ENOMEM;
        return (void *)-1;
    }
    uint8_t *old = brk;
    brk += incr;
    return old;
}

/* Any fault ends the run with the faulting PC, so a bad access on the target
 * (an unaligned word on ARMv6-M, say) fails the test instead of hanging.
 * The handler is naked so that MSP still points at the exception frame (a C
 * prologue would push below it first; the stacked PC is its 7th word). */
void fault_report(const uint32_t *frame) __attribute__((noreturn, used));
void fault_report(const uint32_t *frame)
{
    static const char hex[] = "0123456789abcdef";
    char msg[] = "target: fault at pc 0x00000000\n";
    uint32_t pc = frame[6];
    for (unsigned i = 0; i < 8u; i++) {
        msg[22u + i] = hex[(pc >> (28u - 4u * i)) & 0xFu];
    }
    put(msg);
    _exit(1);
}

__attribute__((naked)) void Fault_Handler(void)
{
    __asm__ volatile("mrs r0, msp\n\tbl fault_report");
}

void Reset_Handler(void)
{
    memcpy(&_sdata, &_sidata, (size_t)((uint8_t *)&_edata - (uint8_t *)&_sdata));
    memset(&_sbss, 0, (size_t)((uint8_t *)&_ebss - (uint8_t *)&_sbss));
#if defined(__ARM_FP)
    /* CPACR: full access to CP10 and CP11, before any floating-point code */
    *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
    exit(main());
}

typedef void (*vector_t)(void);

/* Initial stack pointer, reset, and every fault (NMI..SysTick) to one handler. */
__attribute__((section(".vectors"), used)) static const vector_t vectors[16] = {
    (vector_t)(uintptr_t)&_estack, Reset_Handler, Fault_Handler, Fault_Handler,
    MemManage_Handler, BusFault_Handler, UsageFault_Handler, NULL, NULL, NULL, NULL,
    SVC_Handler, Fault_Handler, NULL, PendSV_Handler, SysTick_Handler,
};

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)

void tgt_counter_start(void)
{
    SYST_RVR = 0xFFFFFFu;
    SYST_CVR = 0u;
    SYST_CSR = 5u; /* enable, processor clock, no interrupt */
}

/* A loop of exactly 2 instructions per turn (subs, bne). */
static uint32_t spin_ticks(uint32_t turns)
{
    uint32_t t0 = tgt_now();
    __asm__ volatile(".syntax unified\n1: subs %0, %0, #1\n\tbne 1b" : "+l"(turns)::"cc");
    return tgt_ticks(t0, tgt_now());
}

void tgt_dither(uint32_t i)
{
    /* Wait for a tick edge, then run exactly 4 + (i mod 40) instructions: the
     * next region starts at phase (edge offset + i) mod 40, so 40 successive
     * calls visit every phase once whatever the caller's loop length is (the
     * edge offset is the 0..2 instructions of the polling loop). */
    uint32_t c = tgt_now();
    while (tgt_now() == c) {
    }
#if defined(__ARM_ARCH_6M__)
    uint32_t turns = (i % 40u) / 2u + 1u; /* no register-shifted SUB: 2 per turn */
    __asm__ volatile(".syntax unified\n1: subs %0, %0, #1\n\tbne 1b" : "+l"(turns)::"cc");
#else
    uint32_t k = i % 40u;
    __asm__ volatile(".syntax unified\n\t"
                     "adr r1, 2f\n\t"
                     "sub r1, r1, %0, lsl #1\n\t" /* 2-byte nops: back k of them */
                     "orr r1, r1, #1\n\t"
                     "bx r1\n\t"
                     ".rept 40\n\tnop\n\t.endr\n"
                     "2:"
                     :
                     : "r"(k)
                     : "r1", "memory");
#endif
}

uint32_t tgt_insn_per_tick(void)
{
    uint32_t a = spin_ticks(50000u), b = spin_ticks(150000u);
    if (b <= a) {
        return 0u;
    }
    /* 200,000 more instructions in the second loop; round to a whole number */
    uint32_t per = (200000u + (b - a) / 2u) / (b - a);
    uint32_t back = 200000u / per; /* icount makes it exact: check it is */
    return back + 2u >= b - a && back <= b - a + 2u ? per : 0u;
}

const char *tgt_cpu(void)
{
#if defined(__ARM_ARCH_6M__)
    return "cortex-m0";
#elif defined(__ARM_ARCH_8M_MAIN__)
    return "cortex-m33";
#elif defined(__ARM_ARCH_7EM__)
    return "cortex-m4";
#else
    return "cortex-m";
#endif
}
