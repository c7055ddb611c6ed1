/*
 * Memory protection on the emulated core: tasks run unprivileged on the
 * process stack, each with its own rtm_mpu plan loaded at every context switch
 * (PendSV), MemManage enabled. A task that writes another task's partition or
 * stack, reads a privileged-only region, executes from its data or writes one
 * byte past its own partition faults; the handler reports the task, MMFAR,
 * MMFSR and the region hit, stops that task, and the others run on. At the
 * end the victims' data are checked intact, and a task that writes every byte
 * of its own stack and partitions has run to its end.
 *
 * Cortex-M4 (mps2-an386): ARMv7-M, 8 regions, sub-regions. Cortex-M33
 * (mps2-an505, secure state): ARMv8-M, 16 regions (8 used). Regions 0..3 are
 * the map every task shares (code, a privileged-only kernel area, a shared
 * queue area, a peripheral), loaded once; regions 4..7 are the running task's
 * own, loaded at each switch with one LDM and one STM through the alias
 * registers (4 instructions, 8 register writes on ARMv7-M, 9 with RNR on
 * ARMv8-M); PendSV's exception return orders the MPU writes before the task
 * runs, so no barrier is needed.
 *
 * A minimal stand-in for the task runtime: cooperative round robin (a task
 * yields with SVC 0 and ends with SVC 1), context saved by PendSV.
 * -DMPU_BENCH: three tasks only yield, to count instructions per switch;
 * with -DMPU_NOLOAD the four instructions that load the regions are left out.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtmem/mpu.h"
#include "target.h"

#if defined(__ARM_ARCH_8M_MAIN__)
#define ARCH RTM_MPU_ARMV8M
#define NREGIONS 16u
#define FLASH_BASE 0x10000000u
#define MPU_LOAD_ADDR "0xE000ED98" /* RNR, RBAR, RLAR, RBAR_A1 ... RLAR_A3 */
#define MPU_REGS "r3-r11"
#define MEM(name, size) RTM_MPU_STORAGE_V8(static, name, size)
#else
#define ARCH RTM_MPU_ARMV7M
#define NREGIONS 8u
#define FLASH_BASE 0x00000000u
#define MPU_LOAD_ADDR "0xE000ED9C" /* RBAR, RASR, RBAR_A1 ... RASR_A3 */
#define MPU_REGS "r3-r10"
#define MEM(name, size) RTM_MPU_STORAGE_V7SUB(static, name, size)
#endif

#define REG(a) (*(volatile uint32_t *)(a))
#define SCB_ICSR REG(0xE000ED04u)
#define SCB_VTOR REG(0xE000ED08u)
#define SCB_SHPR3 REG(0xE000ED20u)
#define SCB_SHCSR REG(0xE000ED24u)
#define SCB_CFSR REG(0xE000ED28u)
#define SCB_MMFAR REG(0xE000ED34u)
#define MPU_TYPE REG(0xE000ED90u)
#define MPU_CTRL REG(0xE000ED94u)
#define MPU_RNR REG(0xE000ED98u)
#define MPU_RBAR REG(0xE000ED9Cu)
#define MPU_RASR REG(0xE000EDA0u) /* RLAR on ARMv8-M */
#define MPU_MAIR0 REG(0xE000EDC0u)
#define MPU_MAIR1 REG(0xE000EDC4u)
#define PENDSVSET (1u << 28)
#define MMARVALID 0x80u
#define DACCVIOL 0x02u
#define IACCVIOL 0x01u

enum { READY, DONE, STOPPED };

/* sp and words are read by PendSV at offsets 0 and 4. */
typedef struct task {
    uint32_t sp;
    const uint32_t *words;
    const char *name;
    int state;
    uint8_t *stack;
    size_t stack_size;
    rtm_mpu_range_t map[3];
    size_t nmap;
    rtm_mpu_plan_t plan;
    uint32_t switch_words[RTM_MPU_SWITCH_WORDS];
    uint32_t mmfsr, mmfar, pc; /* the MemManage record */
    const char *hit;           /* the range that was hit */
} task_t;

_Static_assert(offsetof(task_t, words) == 4u, "PendSV reads words at offset 4");

void mpu_pendsv(void);
void mpu_svc(void);
void mpu_memmanage(void);
void mpu_memmanage_c(const uint32_t *frame);
task_t *mpu_sched_pick(uint32_t sp);
void mpu_finish(void);

/* ---- What every task shares: regions 0..3 ---------------------------------- */
MEM(kernel_area, 256);  /* privileged only */
MEM(shared_area, 512);  /* the tasks' results: a queue area every task writes */
static rtm_mpu_range_t common_map[] = {
    RTM_MPU_CODE_RX(FLASH_BASE, 4u << 20, "code"),
    RTM_MPU_KERNEL(kernel_area, sizeof kernel_area, "kernel"),
    RTM_MPU_SHARED(shared_area, sizeof shared_area, "shared"),
    RTM_MPU_PERIPH(0x40004000u, 4096u, "uart"),
};
static rtm_mpu_plan_t common_plan;

#define SH ((volatile uint32_t *)(void *)shared_area)
enum { SH_V_ROUNDS, SH_V_BAD, SH_F_BYTES, SH_F_BAD, SH_SURVIVED, SH_BENCH };

/* ---- Task memory, each covered by one region -------------------------------- */
#define V_STACK 1536u
#define V_PART 1024u
#define F_STACK 3072u
#define F_PART1 6144u
#define F_PART2 10240u
#define A_STACK 1024u
#define A_PART 256u
MEM(a_stack0, A_STACK);
MEM(a_stack1, A_STACK);
MEM(a_stack2, A_STACK);
MEM(a_part0, A_PART);
MEM(a_part1, A_PART);
MEM(a_part2, A_PART);
#if !defined(MPU_BENCH)
MEM(v_stack, V_STACK);
MEM(v_part, V_PART);
MEM(f_stack, F_STACK);
MEM(f_part1, F_PART1);
MEM(f_part2, F_PART2);
MEM(a_stack3, A_STACK);
MEM(a_stack4, A_STACK);
MEM(a_part3, A_PART);
/* edge's partition is 1.5 KiB: on ARMv7-M the byte past it lies in a disabled
 * sub-region of its own region (2 KiB, SRD 0xC0) */
#define E_PART 1536u
MEM(a_part4, E_PART);
#endif

#define NTASKS 7u
static task_t tasks[NTASKS];
static task_t *cur;
static uint32_t start_psp[64]; /* PendSV saves "main" here before the first task */
static uint32_t switches;

static inline void yield(void)
{
    __asm__ volatile("svc 0" ::: "memory");
}

static void task_exit(void)
{
    __asm__ volatile("svc 1" ::: "memory");
    for (;;) {
    }
}

/* ---- Tasks (unprivileged: they touch only their arguments' memory) ---------- */
#if !defined(MPU_BENCH)
static uint8_t pattern(uint32_t i)
{
    return (uint8_t)(i * 7u + 3u);
}

/* Fills its partition, then checks it after every yield while others attack. */
static void victim(uint32_t arg)
{
    volatile uint8_t *p = (volatile uint8_t *)arg;
    volatile uint32_t *sh = SH;
    for (uint32_t i = 0; i < V_PART; i++) {
        p[i] = pattern(i);
    }
    for (uint32_t round = 0; round < 8u; round++) {
        yield();
        for (uint32_t i = 0; i < V_PART; i++) {
            if (p[i] != pattern(i)) {
                sh[SH_V_BAD]++;
            }
        }
        sh[SH_V_ROUNDS]++;
    }
}

/* Writes every byte of its two partitions and of its stack below itself. */
static void full_use(uint32_t arg)
{
    volatile uint32_t *sh = SH;
    const uint32_t *d = (const uint32_t *)arg; /* stack base, part2: read before overwritten */
    volatile uint8_t *stack = (volatile uint8_t *)d[0], *part2 = (volatile uint8_t *)d[1];
    volatile uint8_t *part1 = (volatile uint8_t *)arg;
    uint8_t here;
    uint32_t below = (uint32_t)((uintptr_t)&here - (uintptr_t)stack) - 64u;
    uint32_t n = 0, bad = 0;
    for (uint32_t i = 0; i < F_PART1; i++, n++) {
        part1[i] = pattern(i);
    }
    yield();
    for (uint32_t i = 0; i < F_PART2; i++, n++) {
        part2[i] = pattern(i + 1u);
    }
    for (uint32_t i = 0; i < below; i++, n++) {
        stack[i] = pattern(i + 2u);
    }
    /* checked before the next switch pushes its frame below us */
    for (uint32_t i = 0; i < below; i++) {
        bad += stack[i] != pattern(i + 2u);
    }
    yield();
    for (uint32_t i = 0; i < F_PART1; i++) {
        bad += part1[i] != pattern(i);
    }
    for (uint32_t i = 0; i < F_PART2; i++) {
        bad += part2[i] != pattern(i + 1u);
    }
    sh[SH_F_BYTES] = n;
    sh[SH_F_BAD] = bad;
}

static void attack_write(uint32_t addr)
{
    yield();
    *(volatile uint32_t *)addr = 0xDEADBEEFu;
    SH[SH_SURVIVED]++;
}

static void attack_read(uint32_t addr)
{
    yield();
    SH[SH_BENCH] = *(volatile uint32_t *)addr;
    SH[SH_SURVIVED]++;
}

static void attack_exec(uint32_t addr)
{
    *(volatile uint16_t *)addr = 0x4770u; /* bx lr, in its own (XN) partition */
    yield();
    ((void (*)(void))(addr | 1u))();
    SH[SH_SURVIVED]++;
}

#else
static void bench_task(uint32_t arg)
{
    (void)arg;
    for (uint32_t i = 0; i < 1000u; i++) {
        yield();
    }
}
#endif

/* ---- The stand-in runtime (privileged) --------------------------------------- */

static void task_add(task_t *t, const char *name, void (*fn)(uint32_t), uint32_t arg,
                     uint8_t *stack, size_t stack_size)
{
    t->name = name;
    t->stack = stack;
    t->stack_size = stack_size;
    memset(stack, 0xA5, stack_size);
    uint32_t *sp = (uint32_t *)(void *)(stack + stack_size);
    *--sp = 0x01000000u;                       /* xPSR: Thumb */
    *--sp = (uint32_t)(uintptr_t)fn & ~1u;     /* PC */
    *--sp = (uint32_t)(uintptr_t)task_exit;    /* LR */
    for (int i = 0; i < 4; i++) {
        *--sp = 0u;                            /* r12, r3, r2, r1 */
    }
    *--sp = arg;                               /* r0 */
    *--sp = 0xFFFFFFFDu;                       /* EXC_RETURN: thread, PSP, no FP frame */
    for (int i = 0; i < 8; i++) {
        *--sp = 0u;                            /* r11..r4 */
    }
    t->sp = (uint32_t)(uintptr_t)sp;
    t->map[t->nmap++] = (rtm_mpu_range_t)RTM_MPU_STACK(stack, stack_size, "stack");
    t->state = READY;
}

static void task_part(task_t *t, uint8_t *part, size_t size)
{
    t->map[t->nmap++] = (rtm_mpu_range_t)RTM_MPU_DATA(part, size, "partition");
}

static void task_plan(task_t *t)
{
    rtm_mpu_cfg_t c = {ARCH, NREGIONS, 4u, 1u, &common_plan, NULL};
    rtm_err_t e = rtm_mpu_plan(&t->plan, &c, t->map, t->nmap);
    if (e != RTM_OK) {
        printf("target: mpu: task %s: %s: range %s 0x%08lx+%lu: %s\n", t->name, rtm_err_str(e),
               t->plan.diag.name, (unsigned long)t->plan.diag.base,
               (unsigned long)t->plan.diag.size, t->plan.diag.rule);
        exit(1);
    }
    TGT_EXPECT(rtm_mpu_switch_words(&t->plan, 4u, t->switch_words) == (ARCH == RTM_MPU_ARMV7M ? 8u : 9u));
    t->words = t->switch_words;
}

/* The range (task.range or common) holding addr, as the report names it. */
static const char *range_at(uint32_t addr, char *buf, size_t len)
{
    for (unsigned i = 0; i < NTASKS; i++) {
        int k = rtm_mpu_lookup(&tasks[i].plan, addr);
        if (tasks[i].name != NULL && k >= 0) {
            snprintf(buf, len, "%s.%s", tasks[i].name, tasks[i].map[tasks[i].plan.range[k]].name);
            return buf;
        }
    }
    int k = rtm_mpu_lookup(&common_plan, addr);
    snprintf(buf, len, "%s", k >= 0 ? common_map[common_plan.range[k]].name : "(no region)");
    return buf;
}

static void load_common(void)
{
    uint32_t w[RTM_MPU_SWITCH_WORDS];
    TGT_EXPECT(rtm_mpu_switch_words(&common_plan, 4u, w) != 0u);
#if defined(__ARM_ARCH_8M_MAIN__)
    MPU_MAIR0 = common_plan.mair0;
    MPU_MAIR1 = common_plan.mair1;
    for (unsigned i = 0; i < 4u; i++) {
        MPU_RNR = i;
        MPU_RBAR = w[1u + 2u * i];
        MPU_RASR = w[2u + 2u * i];
    }
    for (unsigned i = 8u; i < NREGIONS; i++) { /* the rest disabled */
        MPU_RNR = i;
        MPU_RASR = 0u;
    }
#else
    for (unsigned i = 0; i < 4u; i++) {
        MPU_RBAR = w[2u * i];
        MPU_RASR = w[2u * i + 1u];
    }
#endif
}

task_t *mpu_sched_pick(uint32_t sp)
{
    unsigned at = 0;
    if (cur != NULL) {
        cur->sp = sp;
        at = (unsigned)(cur - tasks) + 1u;
    } else {
        __asm__ volatile("msr control, %0" ::"r"(1u)); /* threads run unprivileged */
    }
    for (unsigned n = 0; n < NTASKS; n++) {
        task_t *t = &tasks[(at + n) % NTASKS];
        if (t->name != NULL && t->state == READY) {
            cur = t;
            switches++;
            return t;
        }
    }
    mpu_finish(); /* no task left */
    exit(1);
}

__attribute__((naked)) void mpu_pendsv(void)
{
    __asm__ volatile(".syntax unified\n\t"
                     "mrs r0, psp\n\t"
#if defined(__ARM_FP)
                     "tst lr, #0x10\n\t"
                     "it eq\n\t"
                     "vstmdbeq r0!, {s16-s31}\n\t"
#endif
                     "stmdb r0!, {r4-r11, lr}\n\t"
                     "bl mpu_sched_pick\n\t"
#if !defined(MPU_NOLOAD)
                     /* the task's regions: 4 instructions, one STM */
                     "ldr r1, [r0, #4]\n\t"
                     "ldr r2, =" MPU_LOAD_ADDR "\n\t"
                     "ldmia r1, {" MPU_REGS "}\n\t"
                     "stmia r2, {" MPU_REGS "}\n\t"
#endif
                     "ldr r0, [r0]\n\t"
                     "ldmia r0!, {r4-r11, lr}\n\t"
#if defined(__ARM_FP)
                     "tst lr, #0x10\n\t"
                     "it eq\n\t"
                     "vldmiaeq r0!, {s16-s31}\n\t"
#endif
                     "msr psp, r0\n\t"
                     "bx lr\n\t"
                     ".ltorg");
}

void mpu_svc(void)
{
    const uint32_t *frame;
    __asm__ volatile("mrs %0, psp" : "=r"(frame));
    if (cur != NULL && (*(const uint16_t *)(uintptr_t)(frame[6] - 2u) & 0xFFu) == 1u) {
        cur->state = DONE;
    }
    SCB_ICSR = PENDSVSET;
}

/* The MemManage record: task, MMFAR (when MMARVALID), MMFSR, the stacked PC
 * and the range hit; the task is stopped and PendSV switches away before it
 * could retry the access. */
void mpu_memmanage_c(const uint32_t *frame)
{
    static char hits[NTASKS][40];
    uint32_t mmfsr = SCB_CFSR & 0xFFu, mmfar = SCB_MMFAR;
    uint32_t where = (mmfsr & MMARVALID) != 0u ? mmfar : frame[6];
    cur->mmfsr = mmfsr;
    cur->mmfar = (mmfsr & MMARVALID) != 0u ? mmfar : 0u;
    cur->pc = frame[6];
    cur->hit = range_at(where, hits[cur - tasks], sizeof hits[0]);
    printf("target: MemManage: task %s MMFSR 0x%02lx%s%s MMFAR 0x%08lx PC 0x%08lx region %s: task stopped\n",
           cur->name, (unsigned long)mmfsr, (mmfsr & DACCVIOL) ? " DACCVIOL" : "",
           (mmfsr & IACCVIOL) ? " IACCVIOL" : "", (unsigned long)cur->mmfar,
           (unsigned long)cur->pc, cur->hit);
    SCB_CFSR = mmfsr; /* write one to clear */
    cur->state = STOPPED;
    SCB_ICSR = PENDSVSET;
}

__attribute__((naked)) void mpu_memmanage(void)
{
    __asm__ volatile("mrs r0, psp\n\tb mpu_memmanage_c");
}

static _Alignas(512) uint32_t vectors[128];

static void install(void)
{
    memcpy(vectors, (const void *)(uintptr_t)SCB_VTOR, 64u);
    vectors[4] = (uint32_t)(uintptr_t)mpu_memmanage;
    vectors[11] = (uint32_t)(uintptr_t)mpu_svc;
    vectors[14] = (uint32_t)(uintptr_t)mpu_pendsv;
    SCB_VTOR = (uint32_t)(uintptr_t)vectors;
    SCB_SHPR3 |= 0xFFu << 16; /* PendSV lowest */
    SCB_SHCSR |= 1u << 16;    /* MEMFAULTENA */
    __asm__ volatile("dsb\n\tisb" ::: "memory");
}

static uint32_t bench_t0, bench_per;

void mpu_finish(void)
{
    MPU_CTRL = 0u;
    if (tasks[0].stack == NULL) {
        exit(1);
    }
#if defined(MPU_BENCH)
    uint32_t ticks = tgt_ticks(bench_t0, tgt_now());
    uint32_t tenths = (ticks * bench_per * 10u + switches / 2u) / switches;
    printf("target: mpu switch bench (%s%s): %lu switches, %lu.%lu instructions each\n", tgt_cpu(),
#if defined(MPU_NOLOAD)
           ", regions not loaded",
#else
           ", regions loaded",
#endif
           (unsigned long)switches, (unsigned long)(tenths / 10u), (unsigned long)(tenths % 10u));
    exit(0);
#else
    char buf[40];
    task_t *v = &tasks[0], *f = &tasks[1];
    TGT_EXPECT(v->state == DONE && f->state == DONE);
    TGT_EXPECT(SH[SH_V_ROUNDS] == 8u && SH[SH_V_BAD] == 0u);
    TGT_EXPECT(SH[SH_F_BAD] == 0u);
    TGT_EXPECT(SH[SH_F_BYTES] > F_PART1 + F_PART2 + F_STACK / 2u);
    TGT_EXPECT(SH[SH_SURVIVED] == 0u);
    for (uint32_t i = 0; i < V_PART; i++) {
        TGT_EXPECT(v_part[i] == pattern(i));
    }
    TGT_EXPECT(v_stack[64] == 0xA5u && kernel_area[0] == 0x5Au);
    static const struct {
        uint32_t mmfsr;
        const char *hit;
    } want[] = {
        {DACCVIOL | MMARVALID, "victim.partition"}, {DACCVIOL | MMARVALID, "victim.stack"},
        {DACCVIOL | MMARVALID, "kernel"},           {IACCVIOL, "exec.partition"},
        {DACCVIOL | MMARVALID, "?"},
    };
    const uint32_t addr[] = {(uint32_t)(uintptr_t)&v_part[100], (uint32_t)(uintptr_t)&v_stack[64],
                             (uint32_t)(uintptr_t)kernel_area, 0u,
                             (uint32_t)(uintptr_t)&a_part4[E_PART]};
    for (unsigned i = 0; i < 5u; i++) {
        task_t *t = &tasks[2u + i];
        TGT_EXPECT(t->state == STOPPED);
        TGT_EXPECT(t->mmfsr == want[i].mmfsr);
        TGT_EXPECT(t->mmfar == addr[i]);
        if (i == 3u) {
            TGT_EXPECT(t->pc == (uint32_t)(uintptr_t)a_part3);
        }
        if (i == 4u) { /* one byte past its partition: not its own */
            TGT_EXPECT(rtm_mpu_lookup(&t->plan, t->mmfar) < 0);
            printf("target: mpu: %s's byte past its partition is %s\n", t->name,
                   range_at(t->mmfar, buf, sizeof buf));
        } else {
            TGT_EXPECT(t->hit != NULL && strcmp(t->hit, want[i].hit) == 0);
        }
    }
    printf("target: mpu (%s, %s, %lu regions): %lu switches, victims intact, full use ok: %s\n",
           tgt_cpu(), ARCH == RTM_MPU_ARMV7M ? "ARMv7-M" : "ARMv8-M", (unsigned long)NREGIONS,
           (unsigned long)switches, tgt_failures ? "FAILED" : "ok");
    exit(tgt_failures ? 1 : 0);
#endif
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    uint32_t dregion = (MPU_TYPE >> 8) & 0xFFu;
    printf("target: mpu on %s: MPU_TYPE.DREGION %lu\n", tgt_cpu(), (unsigned long)dregion);
    TGT_EXPECT(dregion == NREGIONS);
    rtm_mpu_cfg_t c = {ARCH, NREGIONS, 0u, 1u, NULL, NULL};
    TGT_EXPECT(rtm_mpu_plan(&common_plan, &c, common_map, 4) == RTM_OK);
    TGT_EXPECT(common_plan.count == 4u);
    kernel_area[0] = 0x5Au;
#if defined(MPU_BENCH)
    static const char *names[3] = {"b0", "b1", "b2"};
    uint8_t *stacks[3] = {a_stack0, a_stack1, a_stack2};
    uint8_t *parts[3] = {a_part0, a_part1, a_part2};
    for (unsigned i = 0; i < 3u; i++) {
        task_add(&tasks[i], names[i], bench_task, 0u, stacks[i], A_STACK);
        task_part(&tasks[i], parts[i], A_PART);
        task_plan(&tasks[i]);
    }
#else
    task_add(&tasks[0], "victim", victim, (uint32_t)(uintptr_t)v_part, v_stack, V_STACK);
    task_part(&tasks[0], v_part, V_PART);
    task_add(&tasks[1], "full", full_use, (uint32_t)(uintptr_t)f_part1, f_stack, F_STACK);
    task_part(&tasks[1], f_part1, F_PART1);
    task_part(&tasks[1], f_part2, F_PART2);
    ((uint32_t *)(void *)f_part1)[0] = (uint32_t)(uintptr_t)f_stack;
    ((uint32_t *)(void *)f_part1)[1] = (uint32_t)(uintptr_t)f_part2;
    task_add(&tasks[2], "w_part", attack_write, (uint32_t)(uintptr_t)&v_part[100], a_stack0, A_STACK);
    task_add(&tasks[3], "w_stack", attack_write, (uint32_t)(uintptr_t)&v_stack[64], a_stack1, A_STACK);
    task_add(&tasks[4], "r_priv", attack_read, (uint32_t)(uintptr_t)kernel_area, a_stack2, A_STACK);
    task_add(&tasks[5], "exec", attack_exec, (uint32_t)(uintptr_t)a_part3, a_stack3, A_STACK);
    task_add(&tasks[6], "edge", attack_write, (uint32_t)(uintptr_t)&a_part4[E_PART], a_stack4, A_STACK);
    uint8_t *parts[4] = {a_part0, a_part1, a_part2, a_part3};
    for (unsigned i = 0; i < 4u; i++) {
        task_part(&tasks[2u + i], parts[i], A_PART);
    }
    task_part(&tasks[6], a_part4, E_PART);
    for (unsigned i = 0; i < NTASKS; i++) {
        task_plan(&tasks[i]);
    }
#endif
    install();
    load_common();
#if !defined(MPU_NOLOAD) /* the baseline of the count runs with the MPU off */
    MPU_CTRL = 5u; /* ENABLE | PRIVDEFENA: handlers keep the default map */
#endif
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    tgt_counter_start();
    bench_per = tgt_insn_per_tick();
    __asm__ volatile("msr psp, %0" ::"r"(&start_psp[64]));
    bench_t0 = tgt_now();
    __asm__ volatile("svc 0" ::: "memory"); /* the first switch; never returns */
    return 1;
}
