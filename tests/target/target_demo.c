/*
 * The demo scene (tools/rtmem/scene_app.c, what `make demo` runs on the
 * host) on the emulated Cortex-M4 (QEMU mps2-an386), on the task runtime of
 * runtime/cortex_m, where the protection is the real MPU: `make demo-target`.
 *
 * What differs from the host is only what the hardware asks for:
 *   - stacks and the logger's partition are ARMv7-M regions (power-of-two
 *     size, aligned to it); method 3 is a 512-byte MPU guard region
 *     (region 7) at each stack's low end, larger than deep's 480-byte frame,
 *     so no frame can step over it;
 *   - the intruder runs unprivileged, with its stack and one shared 32-byte
 *     area (the mailbox) as its only regions, so its write into the logger's
 *     partition is a MemManage fault with the faulting address (MMFAR). The
 *     other tasks stay privileged because the cortex_m port's critical
 *     section (cpsid) is ignored in unprivileged code;
 *   - allocation events go into rtm_trace's binary ring, drained over
 *     semihosting into demo-an386.bin (QEMU's working directory) whenever it
 *     is half full; the host decodes it and runs `rtmem advise` on it
 *     (tests/target/run.sh demo);
 *   - the facts go into a memory stream; the same memory report as the
 *     host's (tools/rtmem/demo_facts.c) is printed from them over
 *     semihosting, and written to demo-an386.tsv.
 * Exit status 1 if any expectation of the scene failed: it is a test too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo_facts.h"
#include "mpu_cm.h"
#include "rtm_rt.h"
#include "rtmem/mpu.h"
#include "rtmem/trace.h"
#include "scene.h"
#include "target.h"

#define STACK_BYTES 4096u
#define DEEP_STACK 2048u
#define GUARD 512u
#define LOG_PART 8192u

RTM_STACK_STORAGE_V7(static, st_sensor, STACK_BYTES);
RTM_STACK_STORAGE_V7(static, st_proc, STACK_BYTES);
RTM_STACK_STORAGE_V7(static, st_net, STACK_BYTES);
RTM_STACK_STORAGE_V7(static, st_logger, STACK_BYTES);
RTM_STACK_STORAGE_V7(static, st_deep, DEEP_STACK);
RTM_STACK_STORAGE_V7(static, st_intruder, STACK_BYTES);
static uint8_t *const stacks[NTASKS] = { st_sensor, st_proc, st_net, st_logger, st_deep, st_intruder };
RTM_MPU_STORAGE_V7(static, log_mem, LOG_PART);
static _Alignas(32) union {
    scene_shared_t s;
    uint8_t region[32]; /* the smallest ARMv7-M region */
} mailbox;

static const rtm_mpu_range_t common_map[] = {
    RTM_MPU_CODE_RX(0x00000000u, 4u << 20, "code"),
    RTM_MPU_SHARED(&mailbox, sizeof mailbox, "mailbox"),
};
static rtm_mpu_cm_t mpu;
static rtm_mpu_cm_task_t ext[NTASKS];
static rtm_mpu_range_t maps[NTASKS][2];

/* ---- The trace: a ring drained over semihosting into a host file -------- */

static uint8_t ring[1024];
static rtm_trace_t tr;
static uint32_t trace_fd;
static uint32_t trace_bytes;
static bool trace_ok = true;

static void drain(void)
{
    uint8_t chunk[128];
    size_t n;
    while ((n = rtm_trace_drain(&tr, chunk, sizeof chunk)) != 0u) {
        trace_ok = tgt_file_write(trace_fd, chunk, n) && trace_ok;
        trace_bytes += (uint32_t)n;
    }
}

/* Called inside the scene's critical section, so the drain is too: a UART
 * driver would send from its own task, semihosting costs QEMU no guest time. */
static void record(void *user, rtm_ev_kind_t kind, const void *obj, const void *ptr,
                   const void *old, size_t size)
{
    rtm_trace_observer(user, kind, obj, ptr, old, size);
    if (rtm_trace_pending(&tr) > sizeof ring / 2u) {
        drain();
    }
}

/* ---- The run's length -------------------------------------------------- */

/* CMSDK APB timer 0 of mps2-an386 (CTRL, VALUE, RELOAD), free-running down
 * from 2^32-1 on the clock SysTick uses; SysTick is the runtime's, so the
 * instructions per tick are measured before it starts. A figure for the
 * record, never asserted. */
#define TIMER0 ((volatile uint32_t *)0x40000000u)
static uint32_t insn_per_tick;

static void clock_start(void)
{
    tgt_counter_start();
    insn_per_tick = tgt_insn_per_tick();
    TIMER0[2] = 0xFFFFFFFFu;
    TIMER0[1] = 0xFFFFFFFFu;
    TIMER0[0] = 1u;
}

static unsigned long kilo_instructions(void)
{
    return (unsigned long)((uint64_t)(0xFFFFFFFFu - TIMER0[1]) * insn_per_tick / 1000u);
}

/* ---- Set-up ------------------------------------------------------------- */

/* A fault outside any task ends the run (the runtime cannot stop anything). */
void rtm_rt_cm_panic_(uint32_t cfsr, uint32_t addr);
void rtm_rt_cm_panic_(uint32_t cfsr, uint32_t addr)
{
    printf("target_demo: fault outside a task: CFSR 0x%08lx address 0x%08lx\n", (unsigned long)cfsr,
           (unsigned long)addr);
    exit(1);
}

static int setup(void)
{
    scene_layout_t l = { .guard_bytes = GUARD, .log_mem = log_mem, .log_bytes = sizeof log_mem,
                         .shared = &mailbox.s, .trace = record, .trace_user = &tr, .quick = true };
    for (size_t i = 0; i < NTASKS; i++) {
        l.stack[i] = stacks[i];
        l.stack_bytes[i] = i == SCENE_DEEP ? DEEP_STACK : STACK_BYTES;
    }
    trace_fd = tgt_file_open("demo-an386.bin");
    if (trace_fd == TGT_NO_FILE || rtm_trace_init(&tr, ring, sizeof ring) != RTM_OK) {
        printf("target_demo: cannot open the trace file over semihosting\n");
        return 1;
    }
    return scene_setup(&l);
}

/* Every task gets its stack as a region (and the logger its partition), so
 * a MemManage record names whose memory an address is. */
static int protect(void)
{
    rtm_err_t e = rtm_mpu_cm_init(&mpu, common_map, sizeof common_map / sizeof common_map[0]);
    for (size_t i = 0; i < NTASKS && e == RTM_OK; i++) {
        rtm_mpu_range_t s = RTM_MPU_STACK(stacks[i], i == SCENE_DEEP ? DEEP_STACK : STACK_BYTES,
                                          "stack");
        rtm_mpu_range_t p = RTM_MPU_DATA(log_mem, sizeof log_mem, "partition");
        maps[i][0] = s;
        maps[i][1] = p;
        e = rtm_mpu_cm_attach(&mpu, scene_task(i), &ext[i], maps[i], i == SCENE_LOGGER ? 2u : 1u);
    }
    if (e != RTM_OK) {
        printf("target_demo: MPU map refused: %s\n", rtm_err_str(e));
        return 1;
    }
    rtm_mpu_cm_install(&mpu, scene_on_rt_fault, NULL);
    return 0;
}

/* ---- After the run ------------------------------------------------------ */

static const rtm_mpu_cm_record_t *record_of(const char *task)
{
    for (size_t i = 0; i < mpu.nrecords; i++) {
        if (strcmp(mpu.records[i].task, task) == 0) {
            return &mpu.records[i];
        }
    }
    return NULL;
}

/* What only the hardware can show: the MemManage records. */
static void check_mpu(void)
{
    for (size_t i = 0; i < mpu.nrecords; i++) {
        const rtm_mpu_cm_record_t *r = &mpu.records[i];
        scene_say("MemManage: task %s, MMFSR 0x%02lx, address 0x%08lx (%s%s%s), PC 0x%08lx: %s",
                  r->task, (unsigned long)r->mmfsr, (unsigned long)r->mmfar,
                  r->owner != NULL ? r->owner : "", r->owner != NULL ? "'s " : "", r->range,
                  (unsigned long)r->pc, rtm_err_str(r->err));
    }
    const rtm_mpu_cm_record_t *in = record_of("intruder"), *dp = record_of("deep");
    uint32_t aimed = (uint32_t)(uintptr_t)mailbox.s.tried, guard = (uint32_t)(uintptr_t)st_deep;
    scene_expect(scene_get(), in != NULL && in->err == RTM_ERR_ACCESS && in->mmfar >= aimed &&
                                  in->mmfar < aimed + 17u && in->owner != NULL &&
                                  strcmp(in->owner, "logger") == 0 && strcmp(in->range, "partition") == 0,
                 "the MPU stopped the unprivileged intruder at 0x%08lx, in the logger's partition",
                 in != NULL ? (unsigned long)in->mmfar : 0ul);
    scene_expect(scene_get(), dp != NULL && dp->err == RTM_ERR_STACK_OVERFLOW && dp->mmfar >= guard &&
                                  dp->mmfar < guard + GUARD,
                 "deep's overflow was a MemManage fault in its guard region at 0x%08lx",
                 dp != NULL ? (unsigned long)dp->mmfar : 0ul);
}

static void finish_trace(void)
{
    drain();
    (void)tgt_file_close(trace_fd);
    scene_expect(scene_get(), trace_ok && tr.lost == 0u && tr.records > 0u,
                 "%lu allocation events recorded on the target, %lu bytes drained, %lu lost",
                 (unsigned long)tr.records, (unsigned long)trace_bytes, (unsigned long)tr.lost);
}

/* The facts to the host (demo-an386.tsv) and the memory report. */
static void report(char *tsv, size_t len)
{
    uint32_t fd = tgt_file_open("demo-an386.tsv");
    if (fd != TGT_NO_FILE) {
        (void)tgt_file_write(fd, tsv, len);
        (void)tgt_file_close(fd);
    }
    demo_facts_t facts;
    if (demo_facts_parse(&facts, tsv, len) != 0) {
        printf("target_demo: out of memory for the report\n");
        exit(1);
    }
    printf("\n== Memory report (Cortex-M4, QEMU mps2-an386) ==\n");
    demo_report_print(stdout, &facts);
    demo_facts_release(&facts);
}

int main(void)
{
    scene_t *sc = scene_get();
    char *tsv = NULL;
    size_t len = 0;
    setvbuf(stdout, NULL, _IONBF, 0);
    sc->tsv = open_memstream(&tsv, &len);
    if (sc->tsv == NULL || setup() != 0 || scene_start(1u << SCENE_INTRUDER) != 0 || protect() != 0) {
        printf("target_demo: set-up failed\n");
        return 1;
    }
    scene_say("6 tasks on MPU-covered stacks (guard region, canary, SP check), the intruder "
              "unprivileged, preempted by SysTick");
    clock_start();
    rtm_rt_run(3000u);
    scene_say("all tasks ended after %lu switches and %lu thousand instructions",
              (unsigned long)rtm_rt_switch_count(), kilo_instructions());
    check_mpu();
    scene_check();
    (void)rtm_observer_set(NULL, NULL);
    finish_trace();
    scene_report();
    fclose(sc->tsv);
    report(tsv, len);
    scene_say("%u expectations met, %u not", sc->expect_ok, sc->expect_failed);
    return sc->expect_failed != 0u ? 1 : 0;
}
