/*
 * Two short sections of `rtmem demo` about what firmware gets beside the
 * heaps (demo_fw.h): objects declared at compile time with the
 * rtmem/static.h macros, and a task's MPU regions planned by rtm_mpu_plan()
 * for ARMv7-M and ARMv8-M, with the register values decoded field by field
 * and stray writes checked against them. Each section checks what it shows
 * and counts what did not behave, as the scene does.
 */
#include "demo_fw.h"

#include <stdint.h>
#include <string.h>

#include "rtmem/mpu.h"
#include "rtmem/stack.h"
#include "rtmem/static.h"

/* ---- Static allocation ---------------------------------------------------- */

struct sample {
    uint32_t t;
    int16_t v[6];
};

RTM_HEAP4_DEFINE(demo_heap, 8192);
RTM_POOL_DEFINE(demo_samples, struct sample, 16);
RTM_QUEUE_DEFINE(demo_queue, struct sample *, 8);
/* A stack has no _DEFINE macro: storage one ARMv7-M region covers exactly,
 * and its init run from the same start-up table (RTM_STATIC_INIT_FN). */
RTM_STACK_STORAGE_V7(static, demo_stack_mem, 1536);
static rtm_stack_t demo_stack;
static rtm_err_t demo_stack_init(void)
{
    rtm_stack_cfg_t c = { "net", NULL, RTM_STACK_M_SP | RTM_STACK_M_CANARY, 0u, 0u, NULL, NULL };
    return rtm_stack_init(&demo_stack, demo_stack_mem, sizeof demo_stack_mem, &c);
}
RTM_STATIC_INIT_FN(demo_stack_rec, demo_stack_init);

static unsigned bad;

static void expect(bool ok, const char *what)
{
    if (!ok) {
        printf("  NOT AS EXPECTED: %s\n", what);
        bad++;
    }
}

static void object(const char *decl, const char *what, const void *mem, size_t align)
{
    printf("  %-52s %s, aligned to %zu\n", decl, what, align);
    expect((uintptr_t)mem % align == 0u, "storage aligned as declared");
}

static void static_section(void)
{
    char buf[96];
    printf("\n== Static allocation (rtmem/static.h): every object declared at compile time ==\n");
    (void)snprintf(buf, sizeof buf, "heap_4: %zu B storage", sizeof demo_heap__rtm_heap4_mem);
    object("RTM_HEAP4_DEFINE(demo_heap, 8192)", buf, demo_heap__rtm_heap4_mem,
           RTMEM_CFG_HEAP_ALIGNMENT);
    (void)snprintf(buf, sizeof buf, "pool: 16 blocks of %zu B, %zu B storage", sizeof(struct sample),
                   sizeof demo_samples__rtm_pool_mem);
    object("RTM_POOL_DEFINE(demo_samples, struct sample, 16)", buf, demo_samples__rtm_pool_mem,
           RTM_POOL_ALIGN(_Alignof(struct sample)));
    (void)snprintf(buf, sizeof buf, "queue: 8 pointers, %zu B storage", sizeof demo_queue__rtm_queue_mem);
    object("RTM_QUEUE_DEFINE(demo_queue, struct sample *, 8)", buf, demo_queue__rtm_queue_mem,
           _Alignof(struct sample *));
    (void)snprintf(buf, sizeof buf, "stack: 1536 B asked, %zu B (one ARMv7-M region)",
                   sizeof demo_stack_mem);
    object("RTM_STACK_STORAGE_V7(static, demo_stack_mem, 1536)", buf, demo_stack_mem,
           sizeof demo_stack_mem);
    printf("  %-52s rtm_stack_init() from the same start-up table\n",
           "RTM_STATIC_INIT_FN(demo_stack_rec, demo_stack_init)");

    const rtm_static_rec_t *failed = NULL;
    size_t n = rtm_static_count();
    rtm_err_t e = rtm_static_init_all(&failed);
    printf("  rtm_static_init_all() at start-up: %zu records found by the linker, %s\n", n,
           e == RTM_OK ? "all initialised (no malloc, no list kept by hand)" : rtm_err_str(e));
    expect(e == RTM_OK && n == 4u, "four records, all initialised");
    if (e != RTM_OK) {
        return;
    }
    /* Use them once: a pool block through the queue and back, a heap block. */
    struct sample *s = rtm_pool_alloc(&demo_samples), *got = NULL;
    bool ok = s != NULL && rtm_queue_send(&demo_queue, &s, 0u) == RTM_OK &&
              rtm_queue_receive(&demo_queue, &got, 0u) == RTM_OK && got == s &&
              rtm_pool_free(&demo_samples, s) == RTM_OK;
    void *h = rtm_heap4_alloc(&demo_heap, 100u);
    size_t free_after = rtm_heap4_free_bytes(&demo_heap);
    ok = ok && h != NULL && rtm_heap4_free(&demo_heap, h) == RTM_OK;
    printf("  in use at once: a pool block sent through the queue and freed; heap_4 had %zu B "
           "free with a 100 B block out; stack %s: %zu B usable\n",
           free_after, demo_stack.name, rtm_stack_usable(&demo_stack));
    expect(ok, "pool, queue and heap usable right after rtm_static_init_all()");
}

/* ---- MPU ------------------------------------------------------------------- */

/* A sample task map at Cortex-M addresses (SRAM 0x20000000, flash 0x08000000). */
#define STACK_AT 0x20001000u
#define PART_AT 0x20004000u
#define SHARED_AT 0x20006000u
#define FLASH_AT 0x08000000u

static const rtm_mpu_range_t task_map[] = {
    RTM_MPU_STACK(STACK_AT, 1536u, "stack"),
    RTM_MPU_DATA(PART_AT, 6144u, "partition"),
    RTM_MPU_SHARED(SHARED_AT, 1024u, "shared pool"),
    RTM_MPU_CODE_RX(FLASH_AT, 256u * 1024u, "flash"),
};
#define NMAP (sizeof task_map / sizeof task_map[0])

static const char *mem_name(unsigned tex, unsigned c, unsigned b)
{
    unsigned k = (tex << 2) | (c << 1) | b;
    return k == 7u ? "normal WB" : k == 2u ? "normal WT" : k == 1u ? "device" : k == 4u ? "normal NC" : "?";
}

static void v7_region(const rtm_mpu_plan_t *p, unsigned k)
{
    uint32_t rbar = p->rbar[k], rasr = p->rasr[k];
    static const char *const ap[8] = { "no access", "RW priv", "RW priv/RO user", "RW",
                                       "?",         "RO priv", "RO",              "RO" };
    uint32_t base = rbar & ~0x1Fu, size = 1u << (((rasr >> 1) & 0x1Fu) + 1u);
    unsigned srd = (rasr >> 8) & 0xFFu;
    printf("  %-2u %-12s RBAR 0x%08x RASR 0x%08x  %u KiB at 0x%08x", (unsigned)(p->first + k),
           p->ranges[p->range[k]].name, rbar, rasr, size / 1024u, base);
    if (srd != 0u) {
        printf(", SRD 0x%02x", srd);
    }
    printf(", %s%s, %s%s\n", ap[(rasr >> 24) & 7u], (rasr >> 28) & 1u ? " XN" : "",
           mem_name((rasr >> 19) & 7u, (rasr >> 17) & 1u, (rasr >> 16) & 1u),
           (rasr >> 18) & 1u ? " shareable" : "");
}

static void v8_region(const rtm_mpu_plan_t *p, unsigned k)
{
    uint32_t rbar = p->rbar[k], rlar = p->rasr[k];
    static const char *const ap[4] = { "RW priv", "RW", "RO priv", "RO" };
    static const char *const mem[4] = { "device", "normal WB", "normal WT", "normal NC" };
    unsigned attr = (rlar >> 1) & 7u;
    printf("  %-2u %-12s RBAR 0x%08x RLAR 0x%08x  0x%08x..0x%08x, %s%s, attr %u (%s)%s\n",
           (unsigned)(p->first + k), p->ranges[p->range[k]].name, rbar, rlar, rbar & ~0x1Fu,
           rlar | 0x1Fu, ap[(rbar >> 1) & 3u], rbar & 1u ? " XN" : "", attr,
           attr < 4u ? mem[attr] : "?", ((rbar >> 3) & 3u) == 3u ? " inner shareable" : "");
}

/* Stray writes by the task (unprivileged), judged from the register values. */
static const struct {
    uint32_t addr;
    const char *what;
    bool allowed;
} probes[] = {
    { PART_AT + 0x100u, "its own partition", true },
    { PART_AT + 6144u, "just past its partition", false },
    { STACK_AT + 0x1000u, "another task's stack", false },
    { FLASH_AT + 0x100u, "flash (read/execute only)", false },
};

static bool plan_arch(rtm_mpu_arch_t arch, rtm_mpu_plan_t *p)
{
    rtm_mpu_cfg_t c = { arch, 8u, 4u, 1u, NULL, NULL };
    rtm_err_t e = rtm_mpu_plan(p, &c, task_map, NMAP);
    printf("%s (%s), regions 4..7 (0..3: kernel), %s:\n",
           arch == RTM_MPU_ARMV7M ? "ARMv7-M" : "ARMv8-M",
           arch == RTM_MPU_ARMV7M ? "Cortex-M4, sub-regions on" : "Cortex-M33",
           e == RTM_OK ? "planned" : rtm_err_str(e));
    expect(e == RTM_OK && p->count == NMAP, "one region per range");
    if (e != RTM_OK) {
        printf("  %s: %s\n", p->diag.name, p->diag.rule);
        return false;
    }
    printf("  #  range        registers                        decoded\n");
    for (unsigned k = 0; k < p->count; k++) {
        (arch == RTM_MPU_ARMV7M ? v7_region : v8_region)(p, k);
    }
    uint32_t w[RTM_MPU_SWITCH_WORDS];
    size_t nw = rtm_mpu_switch_words(p, 4u, w);
    printf("  a context switch loads them with one STM of %zu words", nw);
    if (arch == RTM_MPU_ARMV8M) {
        printf("; MAIR0 0x%08x is written once at boot", p->mair0);
    }
    printf("\n");
    expect(nw == (arch == RTM_MPU_ARMV7M ? 8u : 9u), "switch words");
    return true;
}

static void mpu_section(const demo_facts_t *facts)
{
    rtm_mpu_plan_t p7, p8;
    printf("\n== MPU (rtmem/mpu.h): one task's regions, exact cover, never widened ==\n");
    printf("map: stack 1536 B @0x%08x, partition 6 KiB @0x%08x, shared pool 1 KiB @0x%08x, "
           "flash 256 KiB @0x%08x\n", STACK_AT, PART_AT, SHARED_AT, FLASH_AT);
    bool ok7 = plan_arch(RTM_MPU_ARMV7M, &p7);
    bool ok8 = plan_arch(RTM_MPU_ARMV8M, &p8);
    printf("stray writes by the task (unprivileged), decoded from these registers (rtm_mpu_allows):\n");
    for (size_t i = 0; ok7 && ok8 && i < sizeof probes / sizeof probes[0]; i++) {
        bool a7 = rtm_mpu_allows(&p7, probes[i].addr, true, false, false);
        bool a8 = rtm_mpu_allows(&p8, probes[i].addr, true, false, false);
        printf("  write 0x%08x %-28s v7: %-9s v8: %s\n", probes[i].addr, probes[i].what,
               a7 ? "allowed" : "MemManage", a8 ? "allowed" : "MemManage");
        expect(a7 == probes[i].allowed && a8 == probes[i].allowed, probes[i].what);
    }
    /* The host enforces such maps with page protection (runtime/host/
     * mpu_host.c); the scene ran under it: its access faults. */
    for (size_t i = 0; i < facts->n; i++) {
        const demo_line_t *l = &facts->v[i];
        if (demo_is(l, "fault") && strncmp(demo_fld(l, 2), "access violation", 16) == 0) {
            printf("on this host the scene's tasks ran under such maps, enforced by page protection "
                   "(runtime/host/mpu_host.c):\n  task %s: %s\n", demo_fld(l, 1), demo_fld(l, 2));
        }
    }
}

unsigned demo_fw_print(const demo_facts_t *facts)
{
    bad = 0;
    static_section();
    mpu_section(facts);
    return bad;
}
