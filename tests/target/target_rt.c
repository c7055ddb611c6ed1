/*
 * The task runtime on emulated Cortex-M4 (mps2-an386) and Cortex-M33
 * (mps2-an505): preemptive round robin (SysTick + PendSV), tasks in thread
 * mode on PSP, stacks from rtm_stack.
 * - The high-water mark follows the recursion depth (frame size from the
 *   frames' own addresses) with SysTick preempting the tasks.
 * - Method 1 (SP at a preemptive switch), 2 (canary, after the task came
 *   back up), 3 (MPU guard region, MemManage) and, on the M33, 4 (PSPLIM,
 *   UsageFault STKOF: the memory below the limit is checked untouched) each
 *   stop an overflowing task, reported with its name and method, while two
 *   victims finish with their data intact.
 * - Delete gives a dynamic stack, the partition and the owner's quota blocks
 *   back; a stack too small for the runtime is refused with the fault hook.
 * - The main stack is monitored the same way.
 * Then it prints the measurements (instructions from -icount): the
 * rtmem-check instructions per context switch for each method, and the cost
 * of a high-water-mark scan per KiB.
 */
#include <stdlib.h>
#include <string.h>

#include "../rt_report.h" /* shared with test_rt_host.c */
#include "rtm_rt.h"
#include "rtmem/heap4.h"
#include "rtmem/tlsf.h"
#include "target.h"

#if defined(__ARM_ARCH_8M_MAIN__)
#define HAVE_PSPLIM 1
#else
#define HAVE_PSPLIM 0
#endif
#define SLICE 100u /* SysTick reload: ~4,000 instructions per time slice */

/* The shared tasks (tests/rt_tasks.h) at target sizes. */
#define RT_PAD 64
#define RT_FRAME_ROWS 1
#define RT_FRAME_LEVELS 64
#define RT_VICTIM_LOCAL 128
#define RT_VICTIM_WORK 3000u
#define RT_VICTIM_BLOCK 64u
#include "../rt_tasks.h" /* shared with test_rt_host.c */

void rtm_rt_cm_panic_(uint32_t cfsr, uint32_t addr);
void rtm_rt_cm_panic_(uint32_t cfsr, uint32_t addr)
{
    printf("target_rt: fault outside any task, CFSR %08lx addr %08lx\n", (unsigned long)cfsr,
           (unsigned long)addr);
    exit(1);
}

/* ---- Reports --------------------------------------------------------------- */

static int noverflow;

static void on_overflow(void *user, const rtm_stack_t *s, rtm_stack_method_t m, const void *a)
{
    (void)user;
    (void)m;
    (void)a;
    noverflow += s->handle != NULL;
}

static void fresh(void)
{
    rtm_rt_init();
    rtm_rt_set_fault_hook(on_rt_fault, NULL);
    rtm_stack_set_overflow_hook(on_overflow, NULL);
    nreports = 0;
    noverflow = 0;
}

static void make_stack(rtm_stack_t *s, uint8_t *mem, size_t size, uint16_t methods)
{
    rtm_stack_cfg_t c = {NULL, NULL, methods, 0u, 0u, NULL, NULL};
    TGT_EXPECT(rtm_stack_init(s, mem, size, &c) == RTM_OK);
}

/* ---- High-water mark against recursion depth ------------------------------- */

RTM_STACK_STORAGE(static, st_a, 4096);
RTM_STACK_STORAGE(static, st_b, 4096);
RTM_STACK_STORAGE(static, st_c, 2048);

static void test_hwm(void)
{
    fresh();
    static rtm_stack_t sa, sb, sc;
    static rtm_task_t ta, tb, tc;
    make_stack(&sa, st_a, sizeof st_a, RTM_STACK_M_SP | RTM_STACK_M_CANARY);
    make_stack(&sb, st_b, sizeof st_b, RTM_STACK_M_SP | RTM_STACK_M_CANARY);
    make_stack(&sc, st_c, sizeof st_c, 0u);
    static dive_t da = {10, -1, 0, 0u, 0u}, db = {40, 0, 0, 0u, 0u};
    static uint8_t vblock[64];
    memset(vblock, 0xE7, sizeof vblock);
    static victim_t v;
    v = (victim_t){vblock, 10, false, false, 0u};
    rtm_task_cfg_t ca = {"shallow", dive_task, &da, &sa, NULL, 0u, NULL, 0u, 0u};
    rtm_task_cfg_t cb = {"deep", dive_task, &db, &sb, NULL, 0u, NULL, 0u, 0u};
    rtm_task_cfg_t cc = {"other", victim_task, &v, &sc, NULL, 0u, NULL, 0u, 0u};
    TGT_EXPECT(rtm_task_create(&ta, &ca) == RTM_OK);
    TGT_EXPECT(rtm_task_create(&tb, &cb) == RTM_OK);
    TGT_EXPECT(rtm_task_create(&tc, &cc) == RTM_OK);
    rtm_rt_run(SLICE);
    TGT_EXPECT(nreports == 0);
    TGT_EXPECT(ta.state == RTM_TASK_DONE && tb.state == RTM_TASK_DONE);
    TGT_EXPECT(v.done && v.intact);
    uintptr_t frame = frame_at[0][0] - frame_at[0][1];
    for (int i = 1; i < 40; i++) {
        TGT_EXPECT(frame_at[0][i] - frame_at[0][i + 1] == frame);
    }
    size_t u1 = rtm_stack_used_max(&sa), u2 = rtm_stack_used_max(&sb);
    size_t want = 30u * frame;
    /* within the AAPCS stack alignment (8) */
    TGT_EXPECT(u2 - u1 + 8u >= want && u2 - u1 <= want + 8u);
    TGT_EXPECT(u1 >= 10u * frame);
    printf("target_rt: %s hwm: frame %u B, used %u B at depth 10, %u B at depth 40 (30 frames %u B); "
           "switches %lu\n",
           tgt_cpu(), (unsigned)frame, (unsigned)u1, (unsigned)u2, (unsigned)want,
           (unsigned long)rtm_rt_switch_count());
    TGT_EXPECT(rtm_task_delete(&ta) == RTM_OK && rtm_task_delete(&tb) == RTM_OK &&
               rtm_task_delete(&tc) == RTM_OK);
}

/* ---- Each method catches an overflowing task -------------------------------- */

/* methods 1 and 2 find an overflow after the fact: the 1 KiB below these
 * stacks is theirs to spoil */
static _Alignas(8) uint8_t spill1[1024 + 2048];
static _Alignas(8) uint8_t spill2[1024 + 2048];
RTM_STACK_STORAGE_V8(static, st_guard, 2048); /* 32-byte aligned: the guard is the first 32 */
/* method 4: a sentinel below the stack shows that nothing was written there */
static _Alignas(8) uint8_t st_lim[256 + 2048];
RTM_STACK_STORAGE(static, st_v1, 2048);
RTM_STACK_STORAGE(static, st_v2, 2048);
RTM_STACK_STORAGE_V8(static, st_meas, 2048);

static void test_methods(void)
{
    fresh();
    static rtm_stack_t s1, s2, s3, s4, sv1, sv2;
    static rtm_task_t t1, t2, t3, t4, tv1, tv2;
    make_stack(&s1, spill1 + 1024, 2048, RTM_STACK_M_SP);
    make_stack(&s2, spill2 + 1024, 2048, RTM_STACK_M_CANARY);
    rtm_stack_cfg_t g = {NULL, NULL, RTM_STACK_M_GUARD, 0u, 32u, NULL, NULL};
    TGT_EXPECT(rtm_stack_init(&s3, st_guard, sizeof st_guard, &g) == RTM_OK);
    make_stack(&s4, st_lim + 256, 2048, RTM_STACK_M_PSPLIM);
    memset(st_lim, 0x6B, 256);
    make_stack(&sv1, st_v1, sizeof st_v1, RTM_STACK_M_SP | RTM_STACK_M_CANARY);
    make_stack(&sv2, st_v2, sizeof st_v2, RTM_STACK_M_SP | RTM_STACK_M_CANARY);
    static dive_t d1, d2, d3, d4;
    d1 = (dive_t){0, -1, 1, rtm_stack_limit(&s1) - 512u, 0u};
    d2 = (dive_t){0, -1, 2, rtm_stack_limit(&s2) - 256u, 0u};
    d3 = (dive_t){0, -1, 2, 0u, 0u};
    d4 = (dive_t){0, -1, 2, 0u, 0u};
    static rtm_tlsf_t pt;
    static _Alignas(8) uint8_t pmem[2048];
    static rtm_partition_t part;
    rtm_partition_cfg_t pc = {"v2-data", 0u, &rtm_alloc_tlsf, &pt, 0u, NULL, NULL};
    TGT_EXPECT(rtm_partition_init(&part, pmem, sizeof pmem, &pc) == RTM_OK);
    static uint8_t vb1[64];
    uint8_t *vb2 = rtm_partition_alloc(&part, 64);
    TGT_EXPECT(vb2 != NULL);
    memset(vb1, 0xE7, 64);
    memset(vb2, 0xE7, 64);
    static victim_t v1, v2;
    v1 = (victim_t){vb1, 30, false, false, 0u};
    v2 = (victim_t){vb2, 30, false, false, 0u};
    static rtm_partition_t *const parts[] = {&part};
    rtm_task_cfg_t c[] = {
        {"victim1", victim_task, &v1, &sv1, NULL, 0u, NULL, 0u, 0u},
        {"sp-task", dive_task, &d1, &s1, NULL, 0u, NULL, 0u, 0u},
        {"canary-task", dive_task, &d2, &s2, NULL, 0u, NULL, 0u, 0u},
        {"guard-task", dive_task, &d3, &s3, NULL, 0u, NULL, 0u, 0u},
        {"victim2", victim_task, &v2, &sv2, parts, 1u, NULL, 0u, 0u},
        {"psplim-task", dive_task, &d4, &s4, NULL, 0u, NULL, 0u, 0u},
    };
    rtm_task_t *t[] = {&tv1, &t1, &t2, &t3, &tv2, &t4};
    size_t n = HAVE_PSPLIM ? 6u : 5u;
    for (size_t i = 0; i < n; i++) {
        TGT_EXPECT(rtm_task_create(t[i], &c[i]) == RTM_OK);
    }
    rtm_rt_run(SLICE);
    const char *names[] = {"sp-task", "canary-task", "guard-task", "psplim-task"};
    const rtm_stack_method_t want[] = {RTM_STACK_M_SP, RTM_STACK_M_CANARY, RTM_STACK_M_GUARD,
                                       RTM_STACK_M_PSPLIM};
    TGT_EXPECT(nreports == (int)n - 2);
    TGT_EXPECT(noverflow == (int)n - 2);
    for (size_t i = 0; i < n - 2u; i++) {
        const report_t *r = report_of(names[i]);
        TGT_EXPECT(r != NULL && r->err == RTM_ERR_STACK_OVERFLOW && r->method == want[i]);
        /* 3 and 4 by the fault itself (MemManage, UsageFault STKOF), not by
         * the switch finding the context below the limit */
        TGT_EXPECT(r == NULL || (want[i] == RTM_STACK_M_GUARD) == ((r->status & 0xFFu) != 0u));
        TGT_EXPECT(r == NULL || (want[i] == RTM_STACK_M_PSPLIM) == ((r->status & (1u << 20)) != 0u));
        if (r != NULL) {
            printf("target_rt: %s: %s stopped (status %08lx), overflow caught by method %d\n", tgt_cpu(), r->name, (unsigned long)r->status,
                   r->method == RTM_STACK_M_SP ? 1 : r->method == RTM_STACK_M_CANARY ? 2
                                               : r->method == RTM_STACK_M_GUARD ? 3 : 4);
        }
    }
    TGT_EXPECT(t1.state == RTM_TASK_FAULTED && t2.state == RTM_TASK_FAULTED &&
               t3.state == RTM_TASK_FAULTED);
    TGT_EXPECT(v1.done && v1.intact && v2.done && v2.intact);
    if (HAVE_PSPLIM) {
        TGT_EXPECT(t4.state == RTM_TASK_FAULTED);
        bool clean = true;
        for (size_t i = 0; i < 256u; i++) {
            clean = clean && st_lim[i] == 0x6B;
        }
        /* the canary-less reserve above the limit is the runtime's, the
         * sentinel below the stack never written */
        TGT_EXPECT(clean);
    }
    for (size_t i = 0; i < n; i++) {
        TGT_EXPECT(rtm_task_delete(t[i]) == RTM_OK);
    }
}

/* ---- Delete, bad input ------------------------------------------------------ */

static rtm_quota_t quota;
static rtm_partition_t upart;
static bool user_ok;
static void user_task(void *arg)
{
    (void)arg;
    void *p;
    user_ok = rtm_quota_alloc_current(&quota, 100, &p) == RTM_OK &&
              rtm_quota_alloc_current(&quota, 200, &p) == RTM_OK &&
              rtm_partition_alloc(&upart, 300) != NULL;
}

static void test_delete_and_bad_input(void)
{
    fresh();
    static _Alignas(8) uint8_t heap_mem[8192], shared_mem[4096], part_mem[1024];
    static rtm_heap4_t h4, hs;
    static rtm_tlsf_t pt;
    TGT_EXPECT(rtm_heap4_init(&h4, heap_mem, sizeof heap_mem) == RTM_OK);
    TGT_EXPECT(rtm_heap4_init(&hs, shared_mem, sizeof shared_mem) == RTM_OK);
    static rtm_alloc_t stacks, shared;
    stacks = rtm_alloc_bind(&rtm_alloc_heap4, &h4);
    shared = rtm_alloc_bind(&rtm_alloc_heap4, &hs);
    static rtm_quota_owner_t rows[2];
    TGT_EXPECT(rtm_quota_init(&quota, &shared, rows, 2, NULL, NULL) == RTM_OK);
    TGT_EXPECT(rtm_quota_set(&quota, 5u, 1000u, 10u) == RTM_OK);
    TGT_EXPECT(rtm_quota_set(&quota, 6u, 1000u, 10u) == RTM_OK);
    void *other;
    TGT_EXPECT(rtm_quota_alloc(&quota, 6u, 64, &other) == RTM_OK);
    rtm_partition_cfg_t pc = {"user", 5u, &rtm_alloc_tlsf, &pt, 0u, NULL, NULL};
    TGT_EXPECT(rtm_partition_init(&upart, part_mem, sizeof part_mem, &pc) == RTM_OK);
    static rtm_stack_t s;
    static rtm_task_t t;
    rtm_stack_cfg_t sc = {NULL, NULL, RTM_STACK_M_SP | RTM_STACK_M_CANARY, 0u, 0u, NULL, NULL};
    TGT_EXPECT(rtm_stack_create(&s, &stacks, 2048, &sc) == RTM_OK);
    static rtm_partition_t *const parts[] = {&upart};
    rtm_task_cfg_t c = {"user", user_task, NULL, &s, parts, 1u, &quota, 5u, 0u};
    TGT_EXPECT(rtm_task_create(&t, &c) == RTM_OK);
    rtm_rt_run(SLICE);
    TGT_EXPECT(user_ok && nreports == 0);
    rtm_stats_t st;
    rtm_heap4_stats(&h4, &st);
    TGT_EXPECT(st.used_blocks == 1);
    TGT_EXPECT(rtm_task_delete(&t) == RTM_OK);
    rtm_heap4_stats(&h4, &st);
    TGT_EXPECT(st.used_blocks == 0);
    TGT_EXPECT(rtm_partition_stats(&upart, &st) == RTM_OK && st.used_blocks == 0);
    rtm_quota_owner_t o;
    TGT_EXPECT(rtm_quota_owner_stats(&quota, 5u, &o) == RTM_OK && o.use.live_blocks == 0 && o.use.live_bytes == 0);
    TGT_EXPECT(rtm_quota_owner_stats(&quota, 6u, &o) == RTM_OK && o.use.live_blocks == 1);
    rtm_check_t r;
    TGT_EXPECT(rtm_quota_check(&quota, &r) == RTM_OK);
    /* a stack too small for the runtime's frame */
    static _Alignas(8) uint8_t tiny[128];
    make_stack(&s, tiny, sizeof tiny, 0u);
    TGT_EXPECT(rtm_task_create(&t, &c) == RTM_ERR_ARG);
    TGT_EXPECT(nreports == 1 && reports[0].err == RTM_ERR_ARG);
}

/* ---- Measurements -------------------------------------------------------------- */

static uint32_t ipt; /* instructions per SysTick count */

typedef struct {
    int left;
} yielder_t;
static void yield_task(void *arg)
{
    yielder_t *y = arg;
    while (y->left-- > 0) {
        rtm_rt_yield();
    }
}

/* Instructions per switch, two tasks yielding in turn (cooperative, SysTick
 * free-running as the counter). */
static uint32_t per_switch_x10(uint16_t methods)
{
    fresh();
    static rtm_stack_t sa, sb;
    static rtm_task_t ta, tb;
    rtm_stack_cfg_t c = {NULL, NULL, methods, 0u, (methods & RTM_STACK_M_GUARD) ? 32u : 0u, NULL, NULL};
    TGT_EXPECT(rtm_stack_init(&sa, st_guard, sizeof st_guard, &c) == RTM_OK);
    TGT_EXPECT(rtm_stack_init(&sb, st_meas, sizeof st_meas, &c) == RTM_OK);
    static yielder_t ya, yb;
    ya.left = 200;
    yb.left = 200;
    rtm_task_cfg_t ca = {"ya", yield_task, &ya, &sa, NULL, 0u, NULL, 0u, 0u};
    rtm_task_cfg_t cb = {"yb", yield_task, &yb, &sb, NULL, 0u, NULL, 0u, 0u};
    TGT_EXPECT(rtm_task_create(&ta, &ca) == RTM_OK && rtm_task_create(&tb, &cb) == RTM_OK);
    tgt_counter_start();
    uint32_t t0 = tgt_now();
    rtm_rt_run(0u);
    uint32_t dt = tgt_ticks(t0, tgt_now());
    TGT_EXPECT(nreports == 0);
    (void)rtm_task_delete(&ta);
    (void)rtm_task_delete(&tb);
    return (uint32_t)(((uint64_t)dt * ipt * 10u) / rtm_rt_switch_count());
}

static uint32_t scan_insns(size_t kib)
{
    static rtm_stack_t s;
    make_stack(&s, st_a, kib * 1024u, 0u);
    tgt_counter_start();
    uint32_t t0 = tgt_now();
    size_t free_bytes = 0;
    for (int i = 0; i < 10; i++) {
        free_bytes += rtm_stack_free_min(&s);
    }
    uint32_t dt = tgt_ticks(t0, tgt_now());
    TGT_EXPECT(free_bytes == 10u * kib * 1024u);
    return dt * ipt / 10u;
}

static void measure(void)
{
    tgt_counter_start();
    ipt = tgt_insn_per_tick();
    if (ipt == 0u) {
        printf("target_rt: no -icount, no measurements\n");
        return;
    }
    static const struct {
        const char *what;
        uint16_t methods;
    } rows[] = {
        {"none", 0u},
        {"1 sp", RTM_STACK_M_SP},
        {"2 canary", RTM_STACK_M_CANARY},
        {"1+2", RTM_STACK_M_SP | RTM_STACK_M_CANARY},
        {"3 guard", RTM_STACK_M_GUARD},
        {"4 psplim", RTM_STACK_M_PSPLIM},
    };
    uint32_t base = 0u;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (rows[i].methods == RTM_STACK_M_PSPLIM && !HAVE_PSPLIM) {
            continue;
        }
        uint32_t x10 = per_switch_x10(rows[i].methods);
        if (i == 0u) {
            base = x10;
        }
        int32_t d = (int32_t)x10 - (int32_t)base;
        printf("measure: %s switch, method %-8s: %lu.%lu instructions per switch, checks %s%ld.%ld\n",
               tgt_cpu(), rows[i].what, (unsigned long)(x10 / 10u), (unsigned long)(x10 % 10u),
               d < 0 ? "-" : "+", (long)(abs(d) / 10), (long)(abs(d) % 10));
    }
    uint32_t one = scan_insns(1u), four = scan_insns(4u);
    printf("measure: %s hwm scan: 1 KiB %lu, 4 KiB %lu instructions: %lu per KiB\n", tgt_cpu(),
           (unsigned long)one, (unsigned long)four, (unsigned long)((four - one) / 3u));
}

extern uint32_t _heap_end, _estack;

int main(void)
{
    static rtm_stack_t main_stack;
    volatile uint8_t here = 0u;
    rtm_stack_cfg_t mc = {"main", NULL, RTM_STACK_M_CANARY, 0u, 0u, NULL, NULL};
    size_t msize = (size_t)((uint8_t *)&_estack - (uint8_t *)&_heap_end);
    TGT_EXPECT(rtm_stack_init_main(&main_stack, &_heap_end, msize, (const void *)&here, &mc) == RTM_OK);
    size_t main_before = rtm_stack_used_max(&main_stack);

    test_hwm();
    test_methods();
    test_delete_and_bad_input();
    measure();

    size_t main_after = rtm_stack_used_max(&main_stack);
    TGT_EXPECT(rtm_stack_check(&main_stack, (uintptr_t)&here) == RTM_OK);
    TGT_EXPECT(main_after > main_before);
    printf("target_rt: %s main stack: %u of %u bytes used at the deepest (handlers included)\n",
           tgt_cpu(), (unsigned)main_after, (unsigned)rtm_stack_usable(&main_stack));
    printf("target_rt: %s: %s\n", tgt_cpu(), tgt_failures == 0 ? "all passed" : "FAILED");
    return tgt_failures == 0 ? 0 : 1;
}
