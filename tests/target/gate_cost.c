/*
 * What the allocation gate (RTM_GATE, src/rtm_hooks.h) costs on Cortex-M4,
 * in instructions (QEMU -icount: one SysTick tick per tgt_insn_per_tick()
 * instructions; scripts/gate-cost.sh builds this with and without the gate
 * and prints the differences). Each loop runs N times; the per-iteration
 * figure is total instructions / N, so its resolution is a tick / N.
 *   heap1: rtm_heap1_alloc(16) + rtm_heap1_reset
 *   heap4: rtm_heap4_alloc(16) + rtm_heap4_free
 * in three states: nothing armed (the fast path), another instance sealed
 * (every call takes the slow path and is let through), an owner seal for
 * another owner on every instance (slow path + the owner table).
 */
#include <stdio.h>

#include "rtmem/heap1.h"
#include "rtmem/heap4.h"
#include "rtmem/seal.h"
#include "target.h"

#define N 20000u

static _Alignas(8) uint8_t mem1[256], mem4[1024];
static rtm_heap1_t h1;
static rtm_heap4_t h4, other;
static _Alignas(8) uint8_t mem_other[256];
static void *volatile sink;

static uint32_t loop_heap1(void)
{
    uint32_t t0 = tgt_now();
    for (unsigned i = 0; i < N; i++) {
        sink = rtm_heap1_alloc(&h1, 16);
        rtm_heap1_reset(&h1);
    }
    return tgt_ticks(t0, tgt_now());
}

static uint32_t loop_heap4(void)
{
    uint32_t t0 = tgt_now();
    for (unsigned i = 0; i < N; i++) {
        void *p = rtm_heap4_alloc(&h4, 16);
        sink = p;
        (void)rtm_heap4_free(&h4, p);
    }
    return tgt_ticks(t0, tgt_now());
}

/* instructions per iteration, in hundredths */
static void report(const char *what, uint32_t ticks, uint32_t ipt)
{
    unsigned long long c = (unsigned long long)ticks * ipt * 100u / N;
    printf("gate_cost: %-34s %llu.%02llu\n", what, c / 100u, c % 100u);
}

int main(void)
{
    tgt_counter_start();
    uint32_t ipt = tgt_insn_per_tick();
    (void)rtm_heap1_init(&h1, mem1, sizeof mem1);
    (void)rtm_heap4_init(&h4, mem4, sizeof mem4);
    (void)rtm_heap4_init(&other, mem_other, sizeof mem_other);
    printf("gate_cost: %s, %u instructions per tick, N = %u\n", GATE_BUILD, (unsigned)ipt, N);
    report("heap1 alloc+reset, nothing armed", loop_heap1(), ipt);
    report("heap4 alloc+free, nothing armed", loop_heap4(), ipt);
    rtm_heap4_seal(&other);
    report("heap1 alloc+reset, other sealed", loop_heap1(), ipt);
    report("heap4 alloc+free, other sealed", loop_heap4(), ipt);
    rtm_heap4_unseal(&other);
    (void)rtm_seal_owner(NULL, 9);
    report("heap1 alloc+reset, owner 9 sealed", loop_heap1(), ipt);
    report("heap4 alloc+free, owner 9 sealed", loop_heap4(), ipt);
    rtm_unseal_owner(NULL, 9);
    rtm_no_alloc_enter();
    sink = rtm_heap4_alloc(&h4, 16); /* refused: proves the gate is in this build */
    rtm_no_alloc_exit();
    printf("gate_cost: gate %s\n", sink == NULL ? "present (refused in a no-alloc section)" : "absent");
    return 0;
}
