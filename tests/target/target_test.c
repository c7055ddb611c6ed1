/*
 * The library's own code, as cross-compiled for Cortex-M, run on an emulated
 * core: the fuzz interpreter (shadow model, integrity check after every op,
 * bad frees refused) over PRNG programs for heap_2, heap_4, heap_5, tlsf and
 * the pool, and the cortex_m port's critical sections. The host tests cover
 * the same code with other compilers and sanitizers; this run is the one that
 * executes the Thumb code whose sizes and path lengths rtmem publishes, on
 * ARMv6-M, ARMv7E-M and ARMv8-M Mainline. The emulated ARMv6-M core faults
 * on an unaligned word or halfword access as the silicon does (target_fault.c
 * proves it), so the M0 run also checks that the library never makes one.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_alloc.h"
#include "rtmem/cmsis_os2_pool.h"
#include "rtmem/config.h"
#include "rtmem/pool.h"
#include "rtmem/port.h"
#include "rtmem/queue.h"
#include "rtmem/tlsf.h"
#include "rtm_config_internal.h" /* the bit-scan knob this build used */
#include "target.h"
#include "target_isr.h"

#if defined(__OPTIMIZE_SIZE__)
#define OPT_NAME "-Os"
#else
#define OPT_NAME "-O2"
#endif

#ifndef TARGET_ISR_ITERS
#define TARGET_ISR_ITERS 200000u
#endif

#ifndef TARGET_PROGRAMS
#define TARGET_PROGRAMS 200u
#endif



/* The register the port masks with: PRIMASK, or BASEPRI in the
 * RTMEM_CFG_CORTEX_M_BASEPRI build; PRE is a stricter mask set beforehand. */
#if RTMEM_CFG_CORTEX_M_BASEPRI == 0
#define PRE 1u
static uint32_t mask_reg(void)
{
    uint32_t v;
    __asm__ volatile("mrs %0, primask" : "=r"(v));
    return v & 1u;
}

static void set_mask_reg(uint32_t v)
{
    __asm__ volatile("msr primask, %0\n\tisb" ::"r"(v) : "memory");
}
#else
#define PRE 0x20u /* masks more than RTMEM_CFG_CORTEX_M_BASEPRI does */
static uint32_t mask_reg(void)
{
    uint32_t v;
    __asm__ volatile("mrs %0, basepri" : "=r"(v));
    return v;
}

static void set_mask_reg(uint32_t v)
{
    __asm__ volatile("msr basepri, %0\n\tisb" ::"r"(v) : "memory");
}
#endif

/* Nesting: masked inside, restored only by the outermost exit; a section
 * entered with a stricter mask already set leaves that mask in place. */
static void test_port_critical_sections(void)
{
    set_mask_reg(0u);
    TGT_EXPECT(mask_reg() == 0u && rtm_port_depth() == 0u);
    rtm_port_enter();
    TGT_EXPECT(mask_reg() != 0u && rtm_port_depth() == 1u);
    rtm_port_enter();
    rtm_port_exit();
    TGT_EXPECT(mask_reg() != 0u && rtm_port_depth() == 1u);
    rtm_port_exit();
    TGT_EXPECT(mask_reg() == 0u && rtm_port_depth() == 0u);

    set_mask_reg(PRE);
    rtm_port_enter();
    TGT_EXPECT(mask_reg() == PRE);
    rtm_port_exit();
    TGT_EXPECT(mask_reg() == PRE);
    set_mask_reg(0u);
    TGT_EXPECT(!rtm_port_in_isr());
}

/* The pool's section (src/port_section.h, inline on this port): inside,
 * interrupts are masked and rtm_port_depth() counts it, as the fault hook
 * sees; afterwards mask and depth are as they were, outside a section, nested
 * in one, and under a stricter mask set beforehand. */
static uint32_t hook_depth, hook_mask;

static void section_hook(void *user, rtm_err_t reason, const void *obj, const void *ptr)
{
    (void)user;
    (void)reason;
    (void)obj;
    (void)ptr;
    hook_depth = rtm_port_depth();
    hook_mask = mask_reg();
}

static void test_pool_section(void)
{
    uint64_t mem[8];
    rtm_pool_t p;
    uint8_t *interior = (uint8_t *)mem + 1; /* refused, so the hook runs */
    TGT_EXPECT(rtm_pool_init(&p, mem, sizeof mem, 8u, 0u, 0u, RTM_POOL_DEFAULT) == RTM_OK);
    rtm_pool_set_fault_hook(&p, section_hook, NULL);
    set_mask_reg(0u);
    hook_depth = 0u;
    TGT_EXPECT(rtm_pool_free(&p, interior) == RTM_ERR_INTERIOR_PTR);
    TGT_EXPECT(hook_depth == 1u && hook_mask != 0u);
    TGT_EXPECT(mask_reg() == 0u && rtm_port_depth() == 0u);
    void *b = rtm_pool_alloc(&p);
    TGT_EXPECT(b != NULL && mask_reg() == 0u && rtm_port_depth() == 0u);

    rtm_port_enter();
    TGT_EXPECT(rtm_pool_free(&p, interior) == RTM_ERR_INTERIOR_PTR && hook_depth == 2u);
    TGT_EXPECT(rtm_pool_free(&p, b) == RTM_OK);
    TGT_EXPECT(mask_reg() != 0u && rtm_port_depth() == 1u);
    rtm_port_exit();
    TGT_EXPECT(mask_reg() == 0u && rtm_port_depth() == 0u);

    set_mask_reg(PRE);
    b = rtm_pool_alloc(&p);
    TGT_EXPECT(b != NULL && mask_reg() == PRE && rtm_port_depth() == 0u);
    TGT_EXPECT(rtm_pool_free(&p, b) == RTM_OK && mask_reg() == PRE);
    set_mask_reg(0u);
}

/* The queue's, the CMSIS-RTOS2 pool's and the pool queries' sections
 * (port_section.h, inline on this port), as test_pool_section() checks the
 * pool's: the fault hook the queue calls inside sees the depth; afterwards
 * mask and depth are as they were, outside a section, nested in one, under a
 * stricter mask, and after a wait this port refuses. */
static void check_queue_section(rtm_queue_t *q, uint32_t outer)
{
    uint32_t v = 5u, w = 0u;
    uint32_t mask = outer != 0u ? mask_reg() : 0u;
    hook_depth = 0u;
    TGT_EXPECT(rtm_queue_send(q, NULL, 0u) == RTM_ERR_NULL && hook_depth == outer + 1u &&
               hook_mask != 0u);
    TGT_EXPECT(rtm_queue_send(q, &v, 0u) == RTM_OK && rtm_queue_count(q) == 1u &&
               rtm_queue_space(q) == 1u && rtm_queue_peek(q, &w) == RTM_OK && w == 5u);
    TGT_EXPECT(rtm_queue_send_from_isr(q, &v, NULL) == RTM_OK);
    TGT_EXPECT(rtm_queue_send(q, &v, 3u) == RTM_ERR_NOT_SUPPORTED); /* full: would wait */
    TGT_EXPECT(rtm_queue_receive_from_isr(q, &w, NULL) == RTM_OK);
    TGT_EXPECT(rtm_queue_receive(q, &w, 0u) == RTM_OK && w == 5u);
    TGT_EXPECT(rtm_queue_receive(q, &w, 0u) == RTM_ERR_TIMEOUT && rtm_queue_reset(q) == RTM_OK);
    TGT_EXPECT(mask_reg() == mask && rtm_port_depth() == outer);
}

static void check_os2_section(osMemoryPoolId_t id, rtm_pool_t *p, uint32_t outer)
{
    uint32_t mask = outer != 0u ? mask_reg() : 0u;
    void *a = osMemoryPoolAlloc(id, 0u);
    void *b = osMemoryPoolAlloc(id, 5u); /* a block is free: no wait */
    /* empty: waits only at depth 1, which this port refuses; nested, fails at once */
    TGT_EXPECT(a != NULL && b != NULL && osMemoryPoolAlloc(id, 5u) == NULL);
    TGT_EXPECT(osMemoryPoolGetCount(id) == 2u && osMemoryPoolFree(id, a) == osOK &&
               osMemoryPoolFree(id, b) == osOK);
    TGT_EXPECT(osMemoryPoolFree(id, a) == osErrorParameter && rtm_os2_pool_check(id) == RTM_OK);
    void *c = rtm_pool_alloc(p);
    rtm_pool_stats_t st;
    TGT_EXPECT(rtm_pool_used(p) == 1u && rtm_pool_stats(p, &st) == RTM_OK && st.used_blocks == 1u &&
               rtm_pool_check(p, NULL) == RTM_OK && rtm_pool_free(p, c) == RTM_OK);
    TGT_EXPECT(mask_reg() == mask && rtm_port_depth() == outer);
}

static void test_queue_os2_section(void)
{
    uint32_t qmem[2];
    rtm_queue_t q;
    static uint32_t cb[RTM_OS2_POOL_CB_SIZE / 4u + 1u];
    static uint32_t mem[RTM_OS2_POOL_MEM_SIZE(2u, 8u) / 4u + 1u];
    const osMemoryPoolAttr_t attr = { "sec", 0u, cb, sizeof cb, mem, sizeof mem };
    uint64_t pmem[4];
    rtm_pool_t p;
    TGT_EXPECT(rtm_queue_init(&q, sizeof qmem[0], 2u, qmem, sizeof qmem) == RTM_OK);
    rtm_queue_set_fault_hook(&q, section_hook, NULL);
    osMemoryPoolId_t id = osMemoryPoolNew(2u, 8u, &attr);
    TGT_EXPECT(id != NULL &&
               rtm_pool_init(&p, pmem, sizeof pmem, 8u, 0u, 0u, RTM_POOL_DEFAULT) == RTM_OK);
    if (id == NULL) {
        return;
    }
    set_mask_reg(0u);
    check_queue_section(&q, 0u);
    check_os2_section(id, &p, 0u);
    rtm_port_enter();
    check_queue_section(&q, 1u);
    check_os2_section(id, &p, 1u);
    rtm_port_exit();
    TGT_EXPECT(mask_reg() == 0u && rtm_port_depth() == 0u);
    set_mask_reg(PRE);
    uint32_t v = 1u;
    TGT_EXPECT(rtm_queue_send(&q, &v, 0u) == RTM_OK && rtm_queue_receive(&q, &v, 0u) == RTM_OK);
    void *a = osMemoryPoolAlloc(id, 0u);
    TGT_EXPECT(a != NULL && osMemoryPoolFree(id, a) == osOK && rtm_pool_used(&p) == 0u);
    TGT_EXPECT(mask_reg() == PRE && rtm_port_depth() == 0u);
    set_mask_reg(0u);
    TGT_EXPECT(osMemoryPoolDelete(id) == osOK && rtm_queue_deinit(&q) == RTM_OK);
}

/* RTM_TLSF_MAX_REQUEST with a 32-bit size_t: its block size does not wrap
 * and one byte more is a plain failure, not a fault (the request itself
 * needs 2 GiB regions: tests/test_tlsf_limits.c makes it on the host). */
static void test_tlsf_limits(void)
{
    uint64_t arena[32]; /* on the stack: the micro:bit has no 256 B of RAM to spare */
    rtm_tlsf_t t;
    TGT_EXPECT(rtm_tlsf_init(&t, arena, sizeof arena) == RTM_OK);
    TGT_EXPECT(RTM_TLSF_BLOCK_SIZE(RTM_TLSF_MAX_REQUEST) == RTM_TLSF_MAX_BLOCK);
    TGT_EXPECT(RTM_TLSF_BLOCK_SIZE(RTM_TLSF_MAX_REQUEST + 1u) > RTM_TLSF_MAX_BLOCK);
    TGT_EXPECT(rtm_tlsf_alloc(&t, RTM_TLSF_MAX_REQUEST + 1u) == NULL);
    TGT_EXPECT(t.failed_allocs == 1u && t.fault.count == 0u);
    TGT_EXPECT(rtm_tlsf_check(&t, NULL) == RTM_OK);
}

/* rtm_pool_init's "as many as fit" against the sizing rule it inverts: the
 * most blocks whose rtm_pool_mem_size() fits the buffer, past 32 blocks (a
 * second bitmap word) too. On ARMv6-M, which has no divide instruction,
 * init divides by shift and subtract, code that only this run executes. */
static void test_pool_fit(void)
{
    uint64_t mem[48]; /* on the stack, as above */
    static const size_t sizes[] = {1u, 5u, 12u, 13u, 32u, 100u};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        for (unsigned flags = 0; flags <= RTM_POOL_BITMAP; flags += RTM_POOL_BITMAP) {
            for (size_t bytes = 0; bytes <= sizeof mem; bytes += 3u) {
                size_t want = 0;
                while (rtm_pool_mem_size(want + 1u, sizes[s], 0u, flags) <= bytes) {
                    want++;
                }
                rtm_pool_t p;
                rtm_err_t err = rtm_pool_init(&p, mem, bytes, sizes[s], 0u, 0u, flags);
                TGT_EXPECT(want == 0u ? err == RTM_ERR_NO_MEMORY
                                      : err == RTM_OK && rtm_pool_capacity(&p) == want);
            }
        }
    }
}

/* RTM_WAITQ_ZERO_READY: on this port rtm_waitq_init leaves every byte of the
 * queue zero, so a pool whose init only zeroes its struct has a ready one. */
static void test_waitq_zero_ready(void)
{
    rtm_waitq_t q;
    memset(&q, 0xA5, sizeof q);
    TGT_EXPECT(RTM_WAITQ_ZERO_READY == 1 && rtm_waitq_init(&q) == RTM_OK);
    const unsigned char *b = (const unsigned char *)&q;
    for (size_t i = 0; i < sizeof q; i++) {
        TGT_EXPECT(b[i] == 0u);
    }
    rtm_port_enter();
    TGT_EXPECT(rtm_waitq_wait(&q, 0u) == RTM_ERR_TIMEOUT && rtm_waitq_waiters(&q) == 0u);
    /* RTM_WAITQ_BLOCKS: nothing ever waits here, which is why the pool's free
     * may leave out rtm_waitq_signal() */
    TGT_EXPECT(RTM_WAITQ_BLOCKS == 0 && rtm_waitq_wait(&q, 10u) == RTM_ERR_NOT_SUPPORTED &&
               rtm_waitq_waiters(&q) == 0u);
    rtm_port_exit();
}

int main(void)
{
    test_port_critical_sections();
    test_waitq_zero_ready();
    test_tlsf_limits();
    test_pool_fit();
    test_pool_section();
    test_queue_os2_section();
    target_isr_tests(TARGET_ISR_ITERS);
    fuzz_alloc_prng_programs(TARGET_PROGRAMS, 0x2545F4914F6CDD1DULL); /* aborts on a finding */
    printf("target_test %s (%s, tlsf clz %d harden %d, %s): port and interrupt "
           "checks %s, %u fuzz programs passed\n",
           tgt_cpu(), OPT_NAME, RTMEM_CFG_TLSF_USE_BUILTIN_CLZ, RTMEM_CFG_HARDEN,
           RTMEM_CFG_CORTEX_M_BASEPRI ? "BASEPRI" : "PRIMASK", tgt_failures ? "FAILED" : "passed",
           TARGET_PROGRAMS);
    return tgt_failures ? 1 : 0;
}
