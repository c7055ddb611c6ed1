/*
 * Memory protection on the Cortex-M task runtime (runtime/cortex_m) with the
 * rtm_mpu switch extension (runtime/cortex_m/mpu_cm.c), on the emulated M4
 * (mps2-an386, ARMv7-M) and M33 (mps2-an505, ARMv8-M). Tasks run
 * unprivileged, preempted by SysTick; each has a stack and a partition
 * covered by its own regions (4..6), the shared map (code, the control
 * blocks read-only, a shared area, a privileged-only kernel area) is in
 * regions 0..3. A task that writes another task's partition or stack, reads
 * the privileged-only area, executes from its partition or writes one byte
 * past its partition is stopped with a MemManage record (task, MMFSR, MMFAR,
 * PC, the range hit); the victim finishes with its data intact and a task
 * writes every byte of its own stack and partition.
 * -DMPU_BENCH: three tasks only yield (cooperative), to count instructions
 * per switch with the extension; -DMPU_NOHOOK: the same without it.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpu_cm.h"
#include "rtm_rt.h"
#include "target.h"

#if defined(__ARM_ARCH_8M_MAIN__)
#define FLASH_BASE 0x10000000u
#define MEM_ALIGN(s) 32u
#define MEM_SIZE(s) RTM_MPU_V8_SIZE(s)
#else
#define FLASH_BASE 0x00000000u
#define MEM_ALIGN(s) RTM_MPU_V7_SIZE(s)
#define MEM_SIZE(s) RTM_MPU_V7_SUBSIZE(s)
#endif
#define MEM(name, size) static _Alignas(MEM_ALIGN(size)) uint8_t name[MEM_SIZE(size)]

#define NT 7u
static rtm_task_t tasks[NT];

MEM(kernel_area, 256);
MEM(shared_area, 256);
#define SH ((volatile uint32_t *)(void *)shared_area)
enum { SH_V_ROUNDS, SH_V_BAD, SH_F_BYTES, SH_F_BAD, SH_SURVIVED, SH_SINK };

static rtm_mpu_range_t common_map[] = {
    RTM_MPU_CODE_RX(FLASH_BASE, 4u << 20, "code"),
    RTM_MPU_SHARED(shared_area, sizeof shared_area, "shared"),
    RTM_MPU_KERNEL(kernel_area, sizeof kernel_area, "kernel"),
};

#define STACK 1024u
#define PART 1536u /* ARMv7-M: 6 eighths of a 2 KiB region */
MEM(st0, STACK);
MEM(st1, STACK);
MEM(st2, STACK);
MEM(st3, STACK);
MEM(st4, STACK);
MEM(st5, STACK);
MEM(st6, STACK);
MEM(pa0, PART);
MEM(pa1, PART);
MEM(pa2, PART);
MEM(pa3, PART);
MEM(pa4, PART);
MEM(pa5, PART);
MEM(pa6, PART);
static uint8_t *const stmem[NT] = {st0, st1, st2, st3, st4, st5, st6};
static uint8_t *const pamem[NT] = {pa0, pa1, pa2, pa3, pa4, pa5, pa6};

static rtm_mpu_cm_t mpu;
static rtm_stack_t stacks[NT];
static rtm_mpu_cm_task_t ext[NT];
static rtm_mpu_range_t maps[NT][2];

/* From an unprivileged task: the runtime's own yield (it reads only
 * CONTROL, which a task may). */
static inline void yield(void)
{
    rtm_rt_yield();
}

#if !defined(MPU_BENCH)
static uint8_t pattern(uint32_t i)
{
    return (uint8_t)(i * 7u + 3u);
}

static void victim(void *arg)
{
    volatile uint8_t *p = arg;
    for (uint32_t i = 0; i < PART; i++) {
        p[i] = pattern(i);
    }
    for (uint32_t round = 0; round < 6u; round++) {
        for (uint32_t rep = 0; rep < 20u; rep++) { /* long enough to be preempted */
            for (uint32_t i = 0; i < PART; i++) {
                if (p[i] != pattern(i)) {
                    SH[SH_V_BAD]++;
                }
            }
        }
        SH[SH_V_ROUNDS]++;
        yield();
    }
}

static void full_use(void *arg)
{
    volatile uint8_t *part = arg, *stack = (volatile uint8_t *)st1;
    uint8_t here;
    /* below its frame, with room for an interrupt's frame (up to 26 words) */
    uint32_t below = (uint32_t)((uintptr_t)&here - (uintptr_t)stack) - 256u, n = 0, bad = 0;
    for (uint32_t i = 0; i < PART; i++, n++) {
        part[i] = pattern(i + 1u);
    }
    for (uint32_t i = 0; i < below; i++, n++) {
        stack[i] = pattern(i + 2u);
    }
    for (uint32_t i = 0; i < below; i++) {
        bad += stack[i] != pattern(i + 2u) ? 1u : 0u;
    }
    yield();
    for (uint32_t i = 0; i < PART; i++) {
        bad += part[i] != pattern(i + 1u) ? 1u : 0u;
    }
    SH[SH_F_BYTES] = n;
    SH[SH_F_BAD] = bad;
}

static void attack_write(void *arg)
{
    yield();
    *(volatile uint32_t *)arg = 0xDEADBEEFu;
    SH[SH_SURVIVED]++;
}

static void attack_read(void *arg)
{
    yield();
    SH[SH_SINK] = *(volatile uint32_t *)arg;
    SH[SH_SURVIVED]++;
}

static void attack_exec(void *arg)
{
    *(volatile uint16_t *)arg = 0x4770u; /* bx lr, in its own (XN) partition */
    yield();
    ((void (*)(void))((uintptr_t)arg | 1u))();
    SH[SH_SURVIVED]++;
}
#else
static void bench_task(void *arg)
{
    (void)arg;
    for (uint32_t i = 0; i < 1000u; i++) {
        yield();
    }
}
#endif

static void make(unsigned i, const char *name, rtm_task_fn fn, void *arg)
{
    rtm_stack_cfg_t sc = {NULL, NULL, RTM_STACK_M_SP, 0u, 0u, NULL, NULL};
    TGT_EXPECT(rtm_stack_init(&stacks[i], stmem[i], STACK, &sc) == RTM_OK);
    uint16_t flags = RTM_TASK_UNPRIV;
#if defined(MPU_NOHOOK)
    flags = 0u; /* the baseline: no regions, so privileged */
#endif
    rtm_task_cfg_t tc = {name, fn, arg, &stacks[i], NULL, 0u, NULL, 0u, flags};
    TGT_EXPECT(rtm_task_create(&tasks[i], &tc) == RTM_OK);
    /* The port's first frame enters fn(arg) directly (an unprivileged task
     * cannot read its control block): checked here, not patched. */
    const uint32_t *f = (const uint32_t *)tasks[i].port.sp0;
    TGT_EXPECT(f[0] == (uint32_t)(uintptr_t)arg && f[6] == ((uint32_t)(uintptr_t)fn & ~1u));
    rtm_mpu_range_t s = RTM_MPU_STACK(stmem[i], STACK, "stack");
    rtm_mpu_range_t p = RTM_MPU_DATA(pamem[i], PART, "partition");
    maps[i][0] = s;
    maps[i][1] = p;
    rtm_err_t e = rtm_mpu_cm_attach(&mpu, &tasks[i], &ext[i], maps[i], 2u);
    if (e != RTM_OK) {
        printf("target_mpu_rt: %s: %s: range %s: %s\n", name, rtm_err_str(e), ext[i].plan.diag.name,
               ext[i].plan.diag.rule);
        exit(1);
    }
}

/* A fault outside any task ends the run (the runtime cannot stop anything). */
void rtm_rt_cm_panic_(uint32_t cfsr, uint32_t addr);
void rtm_rt_cm_panic_(uint32_t cfsr, uint32_t addr)
{
    printf("target_mpu_rt: fault outside a task: CFSR 0x%08lx address 0x%08lx\n", (unsigned long)cfsr,
           (unsigned long)addr);
    exit(1);
}

#if !defined(MPU_BENCH)
static const rtm_mpu_cm_record_t *record_of(const char *task)
{
    for (size_t i = 0; i < mpu.nrecords; i++) {
        if (strcmp(mpu.records[i].task, task) == 0) {
            return &mpu.records[i];
        }
    }
    return NULL;
}
#endif

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    rtm_rt_init();
    rtm_err_t e = rtm_mpu_cm_init(&mpu, common_map, 3u);
    if (e != RTM_OK) {
        printf("target_mpu_rt: shared map: %s: %s\n", rtm_err_str(e), mpu.common.diag.rule);
        return 1;
    }
#if defined(MPU_BENCH)
    for (unsigned i = 0; i < 3u; i++) {
        static const char *const names[3] = {"b0", "b1", "b2"};
        make(i, names[i], bench_task, NULL);
    }
#if !defined(MPU_NOHOOK)
    rtm_mpu_cm_install(&mpu, NULL, NULL);
#endif
    tgt_counter_start();
    uint32_t per = tgt_insn_per_tick(), t0 = tgt_now();
    rtm_rt_run(0u);
    uint32_t ticks = tgt_ticks(t0, tgt_now()), n = rtm_rt_switch_count();
    uint32_t tenths = (ticks * per * 10u + n / 2u) / n;
    printf("target_mpu_rt: %s switch (runtime%s): %lu switches, %lu.%lu instructions each\n", tgt_cpu(),
#if defined(MPU_NOHOOK)
           ", no MPU extension",
#else
           " + MPU extension",
#endif
           (unsigned long)n, (unsigned long)(tenths / 10u), (unsigned long)(tenths % 10u));
    return 0;
#else
    kernel_area[0] = 0x5Au;
    make(0, "victim", victim, pa0);
    make(1, "full", full_use, pa1);
    make(2, "w_part", attack_write, &pa0[100]);
    make(3, "w_stack", attack_write, &st0[64]);
    make(4, "r_priv", attack_read, kernel_area);
    make(5, "exec", attack_exec, pa5);
    make(6, "edge", attack_write, &pa6[PART]);
    memset(st0, 0xA5, 128u); /* the victim's deepest stack bytes, never reached */
    rtm_mpu_cm_install(&mpu, NULL, NULL);
    rtm_rt_run(3000u);

    for (size_t i = 0; i < mpu.nrecords; i++) {
        const rtm_mpu_cm_record_t *r = &mpu.records[i];
        printf("target_mpu_rt: MemManage: task %s MMFSR 0x%02lx MMFAR 0x%08lx PC 0x%08lx region %s%s%s: stopped\n",
               r->task, (unsigned long)r->mmfsr, (unsigned long)r->mmfar, (unsigned long)r->pc,
               r->owner != NULL ? r->owner : "", r->owner != NULL ? "." : "", r->range);
    }
    TGT_EXPECT(tasks[0].state == RTM_TASK_DONE && tasks[1].state == RTM_TASK_DONE);
    TGT_EXPECT(SH[SH_V_ROUNDS] == 6u && SH[SH_V_BAD] == 0u);
    TGT_EXPECT(SH[SH_F_BAD] == 0u && SH[SH_F_BYTES] > PART + STACK / 2u);
    TGT_EXPECT(SH[SH_SURVIVED] == 0u);
    for (uint32_t i = 0; i < PART; i++) {
        TGT_EXPECT(pa0[i] == pattern(i));
    }
    TGT_EXPECT(st0[64] == 0xA5u && kernel_area[0] == 0x5Au);
    static const struct {
        const char *task, *owner, *range;
        uint32_t mmfsr, mmfar;
    } want[] = {
        {"w_part", "victim", "partition", 0x82u, 0u},
        {"w_stack", "victim", "stack", 0x82u, 0u},
        {"r_priv", NULL, "kernel", 0x82u, 0u},
        {"exec", "exec", "partition", 0x01u, 0u},
        {"edge", NULL, NULL, 0x82u, 0u},
    };
    const uint32_t addr[] = {(uint32_t)(uintptr_t)&pa0[100], (uint32_t)(uintptr_t)&st0[64],
                             (uint32_t)(uintptr_t)kernel_area, 0u, (uint32_t)(uintptr_t)&pa6[PART]};
    for (unsigned i = 0; i < 5u; i++) {
        const rtm_mpu_cm_record_t *r = record_of(want[i].task);
        TGT_EXPECT(r != NULL);
        if (r == NULL) {
            continue;
        }
        TGT_EXPECT(tasks[2u + i].state == RTM_TASK_FAULTED && tasks[2u + i].why == RTM_ERR_ACCESS);
        TGT_EXPECT(r->mmfsr == want[i].mmfsr && r->mmfar == addr[i]);
        if (want[i].range != NULL) {
            TGT_EXPECT(strcmp(r->range, want[i].range) == 0);
            TGT_EXPECT(want[i].owner == NULL ? r->owner == NULL
                                             : r->owner != NULL && strcmp(r->owner, want[i].owner) == 0);
        } else { /* one byte past its partition: not its own */
            TGT_EXPECT(rtm_mpu_lookup(&ext[6].plan, r->mmfar) < 0);
        }
        if (i == 3u) {
            TGT_EXPECT(r->pc == (uint32_t)(uintptr_t)pa5);
        }
    }
    TGT_EXPECT(mpu.nrecords == 5u);
    printf("target_mpu_rt: %s: %lu switches, 5 offenders stopped, victim intact, full use: %s\n",
           tgt_cpu(), (unsigned long)rtm_rt_switch_count(), tgt_failures ? "FAILED" : "ok");
    return tgt_failures ? 1 : 0;
#endif
}
