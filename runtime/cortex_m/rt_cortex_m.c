/*
 * Cortex-M port of the task runtime (see rt_port.h): ARMv7-M and ARMv8-M
 * Mainline, with or without the FPU.
 *
 * A task's saved context: the hardware frame on its stack (r0-r3, r12, lr,
 * pc, xPSR [, s0-s15, FPSCR]; PSP points at it) and the rest in its control
 * block (port.regs: r4-r11, EXC_RETURN [, s16-s31]). Only the hardware
 * pushes to the stack, so a guard region or PSPLIM sees every byte of it:
 * the switch never writes below a task's stack pointer by hand.
 */
#include <string.h>

#include "rtm_rt.h"

#define REG(a) (*(volatile uint32_t *)(a))
#define SCB_ICSR REG(0xE000ED04u)
#define SCB_SHPR3 REG(0xE000ED20u)
#define SCB_SHCSR REG(0xE000ED24u)
#define SCB_CFSR REG(0xE000ED28u)
#define SCB_MMFAR REG(0xE000ED34u)
#define SCB_BFAR REG(0xE000ED38u)
#define MPU_CTRL REG(0xE000ED94u)
#define MPU_RNR REG(0xE000ED98u)
#define MPU_RBAR REG(0xE000ED9Cu)
#define MPU_RASR REG(0xE000EDA0u) /* ARMv8-M: RLAR at the same address */
#define MPU_MAIR0 REG(0xE000EDC0u)
#define FPCCR REG(0xE000EF34u)
#define SYST_CSR REG(0xE000E010u)
#define SYST_RVR REG(0xE000E014u)
#define SYST_CVR REG(0xE000E018u)

#define ICSR_PENDSVSET (1u << 28)
#define CFSR_MMARVALID (1u << 7)
#define CFSR_MSTKERR (1u << 4)
#define CFSR_STKOF (1u << 20)
#define EXC_RETURN_THREAD_PSP 0xFFFFFFFDu
#define XPSR_T (1u << 24)

#if defined(__ARM_ARCH_8M_MAIN__)
#define RT_V8M 1
#else
#define RT_V8M 0
#endif

/* Shared with the PendSV assembly. */
uint32_t *rtm_rt_cm_ctx_;        /* where the running context's registers go */
uint32_t rtm_rt_cm_psplim_;      /* PSPLIM for the incoming task */
static uint32_t main_regs[RTM_RT_REGS];    /* rtm_rt_run's caller */
static uint32_t scratch_regs[RTM_RT_REGS]; /* a stopped task's last registers */
uintptr_t rtm_rt_cm_pendsv_(uintptr_t sp);
void rtm_rt_cm_svc_(const uint32_t *frame);
void rtm_rt_cm_fault_(uint32_t psp, uint32_t kind);
void rtm_rt_cm_panic_(uint32_t cfsr, uint32_t addr);
void PendSV_Handler(void);
void SVC_Handler(void);
void SysTick_Handler(void);
void MemManage_Handler(void);
void BusFault_Handler(void);
void UsageFault_Handler(void);

static volatile uint32_t ticks;

/* A fault outside any task: the runtime cannot stop anything; the program
 * (the target test) defines what happens. */
__attribute__((weak)) void rtm_rt_cm_panic_(uint32_t cfsr, uint32_t addr)
{
    (void)cfsr;
    (void)addr;
    for (;;) {
    }
}

static void svc_call(uint32_t op)
{
    register uint32_t r0 __asm__("r0") = op;
    __asm__ volatile("svc 0" : : "r"(r0) : "memory");
}

static void guard_plan(rtm_task_t *t);

/* Where a task's function returns to. The first frame enters fn(arg)
 * directly and returns here, so an unprivileged task never reads the
 * runtime's state (its control block lies outside the task's regions). */
static void task_exit(void)
{
    svc_call(1u);
    for (;;) {
    }
}

void rtm_rt_port_setup_(rtm_task_t *t)
{
    uint32_t *sp = (uint32_t *)rtm_stack_start(t->stack);
    sp -= 8; /* hardware frame */
    sp[0] = (uint32_t)(uintptr_t)t->arg;                     /* r0 */
    sp[1] = sp[2] = sp[3] = sp[4] = 0u;                      /* r1-r3, r12 */
    sp[5] = (uint32_t)(uintptr_t)task_exit | 1u;             /* lr: fn returns into the exit */
    sp[6] = (uint32_t)(uintptr_t)t->fn & ~1u;                /* pc */
    sp[7] = XPSR_T;
    memset(t->port.regs, 0, sizeof t->port.regs);
    t->port.regs[8] = EXC_RETURN_THREAD_PSP;
    t->port.sp0 = (uintptr_t)sp;
    t->port.control = (t->flags & RTM_TASK_UNPRIV) != 0u ? 1u : 0u;
    guard_plan(t);
}

void rtm_rt_port_release_(rtm_task_t *t)
{
    (void)t;
}

#if !RT_V8M
static uint32_t log2_of(uint32_t x)
{
    return 31u - (uint32_t)__builtin_clz(x);
}
#endif

/* The guard region's register values for task t (RBAR, RASR or RLAR; 0 =
 * region off), worked out once at creation so the switch only stores them. */
static void guard_plan(rtm_task_t *t)
{
    const rtm_stack_t *s = t->stack;
    uintptr_t lo, hi;
    t->port.guard[0] = 0u;
    t->port.guard[1] = 0u;
    if ((s->methods & RTM_STACK_M_GUARD) == 0u || rtm_stack_guard(s, &lo, &hi) != RTM_OK) {
        return;
    }
#if RT_V8M
    /* RBAR: base, SH 0, AP 0b10 (read-only, privileged), XN; RLAR: limit, attr 3, EN */
    t->port.guard[0] = (uint32_t)lo | (2u << 1) | 1u;
    t->port.guard[1] = ((uint32_t)hi - 32u) | (3u << 1) | 1u;
#else
    /* RASR: XN, AP 0b000 (no access), C B, SIZE = log2(size) - 1, ENABLE */
    t->port.guard[0] = (uint32_t)lo;
    t->port.guard[1] = (1u << 28) | (1u << 17) | (1u << 16) |
                       ((log2_of((uint32_t)(hi - lo)) - 1u) << 1) | 1u;
#endif
}

void rtm_rt_port_protect_(rtm_task_t *to)
{
    const rtm_stack_t *s = to->stack;
    MPU_RNR = RTM_RT_GUARD_REGION;
    MPU_RASR = 0u; /* off while RBAR changes */
    if (to->port.guard[1] != 0u) {
        MPU_RBAR = to->port.guard[0];
        MPU_RASR = to->port.guard[1];
    }
    rtm_rt_cm_psplim_ = (s->methods & RTM_STACK_M_PSPLIM) != 0u && RT_V8M
                            ? (uint32_t)rtm_stack_limit(s)
                            : 0u;
    uint32_t control;
    __asm__ volatile("mrs %0, control" : "=r"(control));
    control = (control & ~1u) | to->port.control;
    __asm__ volatile("msr control, %0\n\tisb" : : "r"(control) : "memory");
}

void rtm_rt_port_stop_(rtm_task_t *t)
{
    (void)t;
    rtm_rt_cm_ctx_ = scratch_regs; /* its registers are never needed again */
    SCB_ICSR = ICSR_PENDSVSET;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
}

uintptr_t rtm_rt_cm_pendsv_(uintptr_t sp)
{
    rtm_task_t *t = rtm_rt_switch_(sp);
    rtm_rt_cm_ctx_ = t != NULL ? t->port.regs : main_regs;
    if (t == NULL) { /* back to rtm_rt_run's caller: privileged */
        uint32_t control;
        __asm__ volatile("mrs %0, control" : "=r"(control));
        __asm__ volatile("msr control, %0\n\tisb" : : "r"(control & ~1u) : "memory");
        return 0u;
    }
    return t->sp;
}

void rtm_rt_yield(void)
{
    /* Only CONTROL is read (allowed unprivileged): SPSEL set means the
     * caller runs on a task's process stack. */
    uint32_t control;
    __asm__ volatile("mrs %0, control" : "=r"(control));
    if ((control & 2u) != 0u) {
        svc_call(0u);
    }
}

void rtm_rt_cm_svc_(const uint32_t *frame)
{
    if (frame[0] == 1u) {
        rtm_rt_task_exit_();
    } else {
        SCB_ICSR = ICSR_PENDSVSET;
    }
}

/* kind: 0 MemManage, 1 BusFault, 2 UsageFault. */
void rtm_rt_cm_fault_(uint32_t psp, uint32_t kind)
{
    uint32_t cfsr = SCB_CFSR;
    rtm_task_t *t = rtm_rt_current();
    uint32_t addr = kind == 0u && (cfsr & CFSR_MMARVALID) != 0u ? SCB_MMFAR
                    : kind == 1u && (cfsr & (1u << 15)) != 0u ? SCB_BFAR
                                                              : psp;
    SCB_CFSR = cfsr; /* the status bits are write-one-to-clear */
    if (t == NULL) {
        rtm_rt_cm_panic_(cfsr, addr);
        return;
    }
    uintptr_t lo = 0u, hi = 0u;
    bool guarded = rtm_stack_guard(t->stack, &lo, &hi) == RTM_OK;
    if (kind == 0u && guarded &&
        (((cfsr & CFSR_MMARVALID) != 0u && addr >= lo && addr < hi) || (cfsr & CFSR_MSTKERR) != 0u)) {
        (void)rtm_stack_report(t->stack, RTM_STACK_M_GUARD, (const void *)(uintptr_t)addr);
        rtm_rt_fault(t, RTM_ERR_STACK_OVERFLOW, RTM_STACK_M_GUARD, (const void *)(uintptr_t)addr, cfsr);
    } else if (kind == 2u && (cfsr & CFSR_STKOF) != 0u) {
        (void)rtm_stack_report(t->stack, RTM_STACK_M_PSPLIM, (const void *)(uintptr_t)psp);
        rtm_rt_fault(t, RTM_ERR_STACK_OVERFLOW, RTM_STACK_M_PSPLIM, (const void *)(uintptr_t)psp, cfsr);
    } else {
        rtm_rt_fault(t, RTM_ERR_ACCESS, RTM_STACK_M_NONE, (const void *)(uintptr_t)addr, cfsr);
    }
}

__attribute__((naked)) void MemManage_Handler(void)
{
    __asm__ volatile("mrs r0, psp\n\tmovs r1, #0\n\tb rtm_rt_cm_fault_");
}

__attribute__((naked)) void BusFault_Handler(void)
{
    __asm__ volatile("mrs r0, psp\n\tmovs r1, #1\n\tb rtm_rt_cm_fault_");
}

__attribute__((naked)) void UsageFault_Handler(void)
{
    __asm__ volatile("mrs r0, psp\n\tmovs r1, #2\n\tb rtm_rt_cm_fault_");
}

__attribute__((naked)) void SVC_Handler(void)
{
    __asm__ volatile(".syntax unified\n\t"
                     "tst lr, #4\n\t"
                     "ite eq\n\t"
                     "mrseq r0, msp\n\t"
                     "mrsne r0, psp\n\t"
                     "b rtm_rt_cm_svc_");
}

void SysTick_Handler(void)
{
    ticks++;
    SCB_ICSR = ICSR_PENDSVSET;
}

#if defined(__ARM_FP)
#define FP_SAVE "tst lr, #0x10\n\tit eq\n\tvstmiaeq r2, {s16-s31}\n\t"
#define FP_LOAD "tst lr, #0x10\n\tit eq\n\tvldmiaeq r2, {s16-s31}\n\t"
#else
#define FP_SAVE ""
#define FP_LOAD ""
#endif
#if RT_V8M
#define PSPLIM_OFF "movs r1, #0\n\tmsr psplim, r1\n\t"
#define PSPLIM_ON "ldr r1, =rtm_rt_cm_psplim_\n\tldr r1, [r1]\n\tmsr psplim, r1\n\t"
#else
#define PSPLIM_OFF ""
#define PSPLIM_ON ""
#endif

/* The switch: the outgoing registers to *rtm_rt_cm_ctx_, the core picks
 * the next task (and points rtm_rt_cm_ctx_ at its registers), then back. */
__attribute__((naked)) void PendSV_Handler(void)
{
    __asm__ volatile(
        ".syntax unified\n\t"
        "ldr r3, =rtm_rt_cm_ctx_\n\t"
        "ldr r2, [r3]\n\t"
        "stmia r2!, {r4-r11, lr}\n\t"
        FP_SAVE
        "mrs r0, psp\n\t"
        "tst lr, #4\n\t"
        "it eq\n\t"
        "moveq r0, #0\n\t" /* from rtm_rt_run's caller: no task */
        "bl rtm_rt_cm_pendsv_\n\t"
        "ldr r3, =rtm_rt_cm_ctx_\n\t"
        "ldr r2, [r3]\n\t"
        "ldmia r2!, {r4-r11, lr}\n\t"
        FP_LOAD
        "cbz r0, 1f\n\t"
        PSPLIM_OFF
        "msr psp, r0\n\t"
        PSPLIM_ON
        "1:\n\t"
        "bx lr\n\t"
        ".ltorg");
}

void rtm_rt_run(uint32_t preempt_ticks)
{
    SCB_SHPR3 |= 0xFFFF0000u;                     /* PendSV, SysTick: lowest */
    SCB_SHCSR |= (1u << 16) | (1u << 17) | (1u << 18); /* MemManage, BusFault, UsageFault */
#if defined(__ARM_FP)
    FPCCR &= ~(1u << 30); /* no lazy FP stacking: a stopped task leaves no pending FP state */
#endif
#if RT_V8M
    /* the guard uses attribute 3, normal non-cacheable: the same value
     * rtm_mpu gives Attr3 (RTM_MPU_MAIR0), so a plan loaded beside it
     * keeps its device memory (Attr0) */
    MPU_MAIR0 = (MPU_MAIR0 & ~0xFF000000u) | 0x44000000u;
#endif
    rtm_rt_cm_ctx_ = main_regs;
    uint32_t mpu_was = MPU_CTRL;
    MPU_RNR = RTM_RT_GUARD_REGION;
    MPU_RASR = 0u;
    MPU_CTRL = mpu_was | 5u; /* ENABLE, PRIVDEFENA: privileged code keeps the default map */
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    if (preempt_ticks != 0u) {
        SYST_RVR = preempt_ticks - 1u;
        SYST_CVR = 0u;
        SYST_CSR = 7u; /* enable, interrupt, processor clock */
    }
    SCB_ICSR = ICSR_PENDSVSET; /* runs the tasks; back here when none is ready */
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    if (preempt_ticks != 0u) {
        SYST_CSR = 0u;
    }
    MPU_RNR = RTM_RT_GUARD_REGION;
    MPU_RASR = 0u;
    MPU_CTRL = mpu_was;
#if RT_V8M
    __asm__ volatile("msr psplim, %0" : : "r"(0u));
#endif
    uint32_t control;
    __asm__ volatile("mrs %0, control" : "=r"(control));
    __asm__ volatile("msr control, %0\n\tisb" : : "r"(control & ~1u) : "memory");
    __asm__ volatile("dsb\n\tisb" ::: "memory");
}
