/*
 * Interrupts against the library on the emulated core: what the host tests
 * can only imitate. SysTick fires every few thousand instructions while the
 * main loop uses the same pool; its handler takes a block, fills it and sends
 * it through a queue with the ISR variant, and the main loop receives, checks
 * and frees those blocks while it allocates and frees blocks of its own. Run
 * for the default pool (the cortex_m port's PRIMASK, or BASEPRI, section) and,
 * where the core has LDREX/STREX, the lock-free pool. Also: an interrupt
 * pended inside rtm_port_enter() waits for the matching rtm_port_exit(), and
 * the CMSIS-RTOS2 pool API keeps its interrupt rules in a real handler.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "rtmem/cmsis_os2_pool.h"
#include "rtmem/config.h"
#include "rtmem/pool.h"
#include "rtmem/queue.h"
#include "target.h"
#include "target_isr.h"

#define BLOCK 32u
#define BLOCKS 32u
#define WORDS (BLOCK / 4u)
#define MINE 8u

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define SCB_ICSR (*(volatile uint32_t *)0xE000ED04u)
#define ICSR_PENDSTSET (1u << 26)
#define SCB_SHPR3 (*(volatile uint32_t *)0xE000ED20u)

void SysTick_Handler(void);

static rtm_pool_t pool;
static rtm_queue_t queue;
static _Alignas(8) uint8_t pool_mem[RTM_POOL_MEM_SIZE(BLOCKS, BLOCK, 8, RTM_POOL_BITMAP) +
                                    BLOCKS * 4u]; /* + the lock-free links */
static uint8_t *queue_mem[BLOCKS];
static volatile bool traffic; /* the handler allocates and sends */
static volatile bool cmsis;   /* the handler runs cmsis_in_handler() */
static volatile uint32_t isr_runs, isr_sent, isr_outside;


/* Word 0 is the tag, the others follow from it: any overlap shows. */
static void fill(uint8_t *b, uint32_t tag)
{
    uint32_t *w = (uint32_t *)(void *)b;
    w[0] = tag;
    for (uint32_t i = 1; i < WORDS; i++) {
        w[i] = tag * 2654435761u + i;
    }
}

static bool intact(const uint8_t *b)
{
    const uint32_t *w = (const uint32_t *)(const void *)b;
    for (uint32_t i = 1; i < WORDS; i++) {
        if (w[i] != w[0] * 2654435761u + i) {
            return false;
        }
    }
    return true;
}

/* ---- CMSIS-RTOS2 pools from a real handler --------------------------- */

/* os_pool's control block and storage have RTX5's sizes (osRtxMemoryPoolCbSize,
 * 36 bytes on Cortex-M; 4*n*((size+3)/4)). os_dyn's
 * memory is the RTOS's (the CMSIS layer's default heap; none in the microbit
 * build, whose 16 KiB of RAM have no room for it). */
static osMemoryPoolId_t os_pool;
static _Alignas(8) uint8_t os_cb[36];
static _Alignas(4) uint8_t os_mem[4u * 4u * ((16u + 3u) / 4u)];
static volatile int os_results2;
#define OS_DYN (RTMEM_CFG_CMSIS_HEAP_SIZE > 0)
#if OS_DYN
static osMemoryPoolId_t os_dyn;
#endif
static volatile int os_results; /* bit i: check i in the handler passed */
static volatile uint32_t os_faults;

static void os_fault(void *user, rtm_err_t why, const void *obj, const void *ptr)
{
    (void)user;
    (void)why;
    (void)obj;
    (void)ptr;
    os_faults++;
}

/* In an interrupt: a non-zero timeout gives NULL at once, timeout 0 works,
 * free works, a bad free says osErrorParameter (with a counting hook). */
static void cmsis_in_handler(void)
{
    int r = 0;
    r |= osMemoryPoolAlloc(os_pool, 10u) == NULL ? 1 : 0;
    uint8_t *b = osMemoryPoolAlloc(os_pool, 0u);
    r |= b != NULL ? 2 : 0;
    r |= osMemoryPoolGetCount(os_pool) == 1u ? 4 : 0;
    r |= b != NULL && osMemoryPoolFree(os_pool, b + 1) == osErrorParameter ? 8 : 0;
    r |= b != NULL && osMemoryPoolFree(os_pool, b) == osOK ? 16 : 0;
    r |= osMemoryPoolGetSpace(os_pool) == 4u ? 32 : 0;
    os_results = r;
    /* RTX-sized storage and the RTOS's memory: a double free in a handler
     * gives osErrorParameter (no trap, no bitmap needed) */
    int q = 0;
    uint8_t *x = osMemoryPoolAlloc(os_pool, 0u);
    q |= x != NULL && osMemoryPoolFree(os_pool, x) == osOK ? 1 : 0;
    q |= osMemoryPoolFree(os_pool, x) == osErrorParameter ? 2 : 0; /* no trap */
    q |= osMemoryPoolGetCount(os_pool) == 0u ? 4 : 0;
#if OS_DYN
    uint8_t *y = osMemoryPoolAlloc(os_dyn, 0u);
    q |= y != NULL && osMemoryPoolFree(os_dyn, y) == osOK ? 8 : 0;
    q |= osMemoryPoolFree(os_dyn, y) == osErrorParameter ? 16 : 0;
#else
    q |= 24;
#endif
    os_results2 = q;
}

static void test_cmsis_pool(void)
{
    const osMemoryPoolAttr_t attr = { "isr", 0u, os_cb, sizeof os_cb, os_mem, sizeof os_mem };
    os_pool = osMemoryPoolNew(4u, 16u, &attr);
    TGT_EXPECT(os_pool != NULL);
    rtm_os2_pool_set_fault_hook(os_pool, os_fault, NULL);
#if OS_DYN
    os_dyn = osMemoryPoolNew(4u, 16u, NULL); /* from the RTOS's memory */
    TGT_EXPECT(os_dyn != NULL);
#endif
    cmsis = true;
    SCB_ICSR = ICSR_PENDSTSET;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    cmsis = false;
    TGT_EXPECT(os_results == 63);
    TGT_EXPECT(os_results2 == 31);
    TGT_EXPECT(os_faults == 2u); /* the bad free and the double free */
#if OS_DYN
    TGT_EXPECT(osMemoryPoolDelete(os_dyn) == osOK);
#endif
    /* thread mode on a port that never blocks: a full pool gives NULL for a
     * timeout too, without waiting */
    void *b[4];
    for (unsigned i = 0; i < 4u; i++) {
        b[i] = osMemoryPoolAlloc(os_pool, 0u);
        TGT_EXPECT(b[i] != NULL);
    }
    TGT_EXPECT(osMemoryPoolAlloc(os_pool, 10u) == NULL);
    for (unsigned i = 0; i < 4u; i++) {
        TGT_EXPECT(osMemoryPoolFree(os_pool, b[i]) == osOK);
    }
    TGT_EXPECT(osMemoryPoolDelete(os_pool) == osOK);
}

void SysTick_Handler(void)
{
    isr_runs++;
    if (!rtm_port_in_isr()) {
        isr_outside++;
    }
    if (cmsis) {
        cmsis_in_handler();
        return;
    }
    if (!traffic) {
        return;
    }
    uint8_t *b = rtm_pool_alloc(&pool);
    if (b == NULL) {
        return;
    }
    fill(b, 0x80000000u | isr_runs);
    if (rtm_queue_send_from_isr(&queue, &b, NULL) == RTM_OK) {
        isr_sent++;
    } else {
        (void)rtm_pool_free(&pool, b);
    }
}

/* Receive what the handler sent, check it, give it back. */
static uint32_t drain_one(void)
{
    uint8_t *b;
    if (rtm_queue_receive(&queue, &b, 0u) != RTM_OK) {
        return 0u;
    }
    TGT_EXPECT(rtm_pool_owns(&pool, b) && intact(b));
    TGT_EXPECT(rtm_pool_free(&pool, b) == RTM_OK);
    return 1u;
}

static void run_traffic(unsigned flags, uint32_t reload, uint32_t iters)
{
    TGT_EXPECT(rtm_pool_init(&pool, pool_mem, sizeof pool_mem, BLOCK, 8u, BLOCKS, flags) == RTM_OK);
    TGT_EXPECT(rtm_queue_init(&queue, sizeof(uint8_t *), BLOCKS, queue_mem, sizeof queue_mem) ==
           RTM_OK);
    uint8_t *mine[MINE] = { NULL };
    uint32_t received = 0, runs0 = isr_runs;
    bool lockfree = (flags & RTM_POOL_LOCKFREE) != 0u;
    traffic = true;
    SYST_RVR = reload; /* an interrupt every reload + 1 counter ticks */
    SYST_CVR = 0u;
    SYST_CSR = 7u; /* enable, interrupt, processor clock */
    for (uint32_t it = 0; it < iters; it++) {
        uint8_t **m = &mine[it % MINE];
        if (*m != NULL) {
            TGT_EXPECT(intact(*m));
            TGT_EXPECT(rtm_pool_free(&pool, *m) == RTM_OK);
            *m = NULL;
        } else if ((*m = rtm_pool_alloc(&pool)) != NULL) {
            fill(*m, it);
        }
        received += drain_one();
        if (!lockfree && it % 512u == 0u) { /* a consistent pool at any moment */
            rtm_port_enter();
            TGT_EXPECT(rtm_pool_check(&pool, NULL) == RTM_OK);
            rtm_port_exit();
        }
    }
    SYST_CSR = 0u;
    traffic = false;
    while (drain_one() != 0u) {
        received++;
    }
    for (uint32_t k = 0; k < MINE; k++) {
        if (mine[k] != NULL) {
            TGT_EXPECT(intact(mine[k]) && rtm_pool_free(&pool, mine[k]) == RTM_OK);
        }
    }
    TGT_EXPECT(received == isr_sent);
    TGT_EXPECT(rtm_pool_used(&pool) == 0u);
    TGT_EXPECT(rtm_pool_check(&pool, NULL) == RTM_OK);
    TGT_EXPECT(isr_runs - runs0 >= 50u); /* the handler really ran during the loop */
    printf("target_isr %s: %s pool, %lu interrupts, %lu blocks sent from the handler\n", tgt_cpu(),
           lockfree ? "lock-free" : RTMEM_CFG_CORTEX_M_BASEPRI ? "default (BASEPRI)" : "default (PRIMASK)", (unsigned long)(isr_runs - runs0),
           (unsigned long)isr_sent);
    (void)rtm_queue_deinit(&queue);
    (void)rtm_pool_deinit(&pool);
    isr_sent = 0u;
}

/* A SysTick pended inside a critical section is taken at its outermost exit. */
static void test_deferral(void)
{
    traffic = false;
    uint32_t before = isr_runs;
    rtm_port_enter();
    rtm_port_enter();
    SCB_ICSR = ICSR_PENDSTSET;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    TGT_EXPECT(isr_runs == before);
    rtm_port_exit();
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    TGT_EXPECT(isr_runs == before);
    rtm_port_exit();
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    TGT_EXPECT(isr_runs == before + 1u);
    TGT_EXPECT(isr_outside == 0u);
}

void target_isr_tests(uint32_t iters)
{
    /* SysTick below the port's BASEPRI level (0x50 in that build), so that
     * the BASEPRI critical section masks it; all the same to PRIMASK. */
    SCB_SHPR3 = (SCB_SHPR3 & 0x00FFFFFFu) | (0x80u << 24);
    test_deferral();
    test_cmsis_pool();
    /* QEMU runs with -icount: the interrupts land on the same instructions
     * every run; two periods (prime, so the landing points drift through
     * the loop differently) give two sets of interleavings */
    run_traffic(RTM_POOL_BITMAP, 499u, iters);
    run_traffic(RTM_POOL_BITMAP, 97u, iters / 2u);
#if RTMEM_CFG_POOL_LOCKFREE
    run_traffic(RTM_POOL_LOCKFREE | RTM_POOL_BITMAP, 499u, iters);
    run_traffic(RTM_POOL_LOCKFREE | RTM_POOL_BITMAP, 97u, iters / 2u);
#endif
    TGT_EXPECT(isr_outside == 0u);
}
