/*
 * The BENCH.md workloads on an emulated Cortex-M, counted in instructions:
 * the library as built for the target (-O2 by default, NDEBUG), next to
 * newlib's malloc, the "system malloc" of a bare-metal Cortex-M. QEMU runs with -icount
 * shift=0, so the SysTick counter advances one tick per fixed number of
 * guest instructions: a figure here is instructions executed, exact and
 * repeatable, not cycles (an M4 takes 1 to 3 cycles for most instructions,
 * more with flash wait states).
 *
 * A tick is 40 instructions on mps2, so one operation is read to within one
 * tick (the max columns). Before each timed region tgt_dither() waits for a
 * tick edge and runs i mod 40 more instructions, so 40 successive regions
 * start at every tick phase once and the means resolve to about one
 * instruction. W2 repeats one operation on an unchanging heap, so its mean is
 * that operation's count.
 * Calls go straight to each API (no wrapper), and the cost of an empty timed
 * region is subtracted.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_rng.h"
#include "rtmem/heap2.h"
#include "rtmem/heap4.h"
#include "rtmem/pool.h"
#include "rtmem/tlsf.h"
#include "target.h"

#define INLINE static inline __attribute__((always_inline))

enum scheme { S_HEAP2, S_HEAP4, S_TLSF, S_MALLOC, S_COUNT };
static const char *const names[S_COUNT] = { "heap_2", "heap_4", "tlsf", "newlib malloc" };

/* W2's arena: BENCH.md says 1 MiB, but the emulated board's RAM is
 * smaller; 512 KiB holds the 20,000 blocks of K = 10,000 for every scheme
 * here. */
#define ARENA_MAX (512u * 1024u)
#define LIVE_MAX 20480u
static _Alignas(8) uint8_t arena[ARENA_MAX];
static union {
    rtm_heap2_t h2;
    rtm_heap4_t h4;
    rtm_tlsf_t t;
    rtm_pool_t pool;
} inst;
static void *live_p[LIVE_MAX];
static uint32_t live_n[LIVE_MAX];
static uint32_t nlive;
static uint64_t live_bytes;
static uint32_t insn_per_tick;
static double empty_ticks; /* mean ticks of an empty timed region */

/* ---- Schemes: the switch folds away in each always-inline instantiation --- */

static unsigned init_failures; /* a scheme that refused its arena: exit 1 */

INLINE bool sch_init_(enum scheme s, size_t n)
{
    switch (s) {
    case S_HEAP2: return rtm_heap2_init(&inst.h2, arena, n) == RTM_OK;
    case S_HEAP4: return rtm_heap4_init(&inst.h4, arena, n) == RTM_OK;
    case S_TLSF: return rtm_tlsf_init(&inst.t, arena, n) == RTM_OK;
    default: return true; /* newlib's heap is the process heap: not resettable */
    }
}

INLINE bool sch_init(enum scheme s, size_t n)
{
    if (sch_init_(s, n)) {
        return true;
    }
    printf("target_bench: %s refused a %lu-byte arena\n", names[s], (unsigned long)n);
    init_failures++;
    return false;
}

INLINE void *sch_alloc(enum scheme s, size_t n)
{
    switch (s) {
    case S_HEAP2: return rtm_heap2_alloc(&inst.h2, n);
    case S_HEAP4: return rtm_heap4_alloc(&inst.h4, n);
    case S_TLSF: return rtm_tlsf_alloc(&inst.t, n);
    default: {
        void *p = malloc(n);
        __asm__ volatile("" : : "r"(p) : "memory"); /* GCC may drop free(malloc(n)) */
        return p;
    }
    }
}

INLINE void sch_free(enum scheme s, void *p)
{
    switch (s) {
    case S_HEAP2: (void)rtm_heap2_free(&inst.h2, p); break;
    case S_HEAP4: (void)rtm_heap4_free(&inst.h4, p); break;
    case S_TLSF: (void)rtm_tlsf_free(&inst.t, p); break;
    default: free(p); break;
    }
}

/* ---- Counting ---------------------------------------------------------- */

typedef struct acc {
    uint64_t sum; /* ticks */
    uint32_t n, max;
} acc_t;

INLINE void acc_put(acc_t *a, uint32_t t0, uint32_t t1)
{
    uint32_t d = tgt_ticks(t0, t1);
    a->sum += d;
    a->n++;
    a->max = d > a->max ? d : a->max;
}

static double acc_mean(const acc_t *a)
{
    double m = a->n ? ((double)a->sum / a->n - empty_ticks) * insn_per_tick : 0.0;
    return m > 0.0 ? m : 0.0;
}

static double acc_max(const acc_t *a)
{
    return (double)a->max * insn_per_tick;
}

static void measure_empty(void)
{
    acc_t a = { 0, 0, 0 };
    for (unsigned i = 0; i < 20000u; i++) {
        tgt_dither(i);
        uint32_t t0 = tgt_now();
        uint32_t t1 = tgt_now();
        acc_put(&a, t0, t1);
    }
    empty_ticks = (double)a.sum / a.n;
}

static void live_reset(void)
{
    nlive = 0u;
    live_bytes = 0u;
}

static void live_push(void *p, uint32_t n)
{
    live_p[nlive] = p;
    live_n[nlive++] = n;
    live_bytes += n;
}

static void *live_take(uint32_t i)
{
    void *p = live_p[i];
    live_bytes -= live_n[i];
    nlive--;
    live_p[i] = live_p[nlive];
    live_n[i] = live_n[nlive];
    return p;
}

INLINE void free_all(enum scheme s)
{
    while (nlive != 0u) {
        sch_free(s, live_take(nlive - 1u));
    }
}

/* ---- W1 mixed ----------------------------------------------------------- */

typedef struct w1 {
    acc_t a, f;
    uint32_t failed;
} w1_t;

INLINE void w1_free_at(enum scheme s, w1_t *r, uint32_t i)
{
    void *p = live_take(i);
    tgt_dither(i);
    uint32_t t0 = tgt_now();
    sch_free(s, p);
    uint32_t t1 = tgt_now();
    acc_put(&r->f, t0, t1);
}

INLINE void w1_run(enum scheme s, uint32_t steps, w1_t *r)
{
    memset(r, 0, sizeof *r);
    if (!sch_init(s, 256u * 1024u)) {
        return;
    }
    live_reset();
    wl_rng_t rng = { 42u };
    for (uint32_t step = 0; step < steps; step++) {
        if (nlive == 0u || wl_next(&rng) % 100u < 55u) {
            size_t n = wl_size_w1(&rng);
            tgt_dither(step);
            uint32_t t0 = tgt_now();
            void *p = sch_alloc(s, n);
            uint32_t t1 = tgt_now();
            acc_put(&r->a, t0, t1);
            if (p != NULL && nlive < LIVE_MAX) {
                live_push(p, (uint32_t)n);
                continue;
            }
            if (p != NULL) {
                sch_free(s, p);
            }
            r->failed++;
            if (nlive == 0u) {
                continue;
            }
        }
        w1_free_at(s, r, (uint32_t)(wl_next(&rng) % nlive));
    }
    free_all(s);
}

/* ---- W2 fragmented worst case ------------------------------------------ */

typedef struct w2 {
    acc_t a, f;
    uint32_t k;
} w2_t;

INLINE void w2_run(enum scheme s, uint32_t k, uint32_t iters, w2_t *r)
{
    memset(r, 0, sizeof *r);
    if (!sch_init(s, ARENA_MAX)) {
        return;
    }
    live_reset();
    for (uint32_t i = 0; i < 2u * k && i < LIVE_MAX; i++) { /* a, b, a, b, ... */
        void *p = sch_alloc(s, 16u);
        if (p == NULL) {
            break;
        }
        live_push(p, 16u);
    }
    r->k = nlive / 2u;
    for (uint32_t i = 2u * r->k; i-- > 0u;) { /* every a, from the top down */
        if (i % 2u == 0u) {
            sch_free(s, live_take(i));
        }
    }
    void *w = sch_alloc(s, 256u); /* warm-up, as BENCH.md asks */
    sch_free(s, w);
    for (uint32_t i = 0; i < iters; i++) {
        tgt_dither(i);
        uint32_t t0 = tgt_now();
        void *p = sch_alloc(s, 256u);
        uint32_t t1 = tgt_now();
        acc_put(&r->a, t0, t1);
        tgt_dither(i + 7u);
        t0 = tgt_now();
        sch_free(s, p);
        t1 = tgt_now();
        acc_put(&r->f, t0, t1);
    }
    free_all(s);
}

/* ---- W3 fill to failure -------------------------------------------------- */

INLINE double w3_once(enum scheme s, uint64_t seed)
{
    if (!sch_init(s, 64u * 1024u)) {
        return 0.0;
    }
    live_reset();
    wl_rng_t rng = { seed };
    for (;;) {
        if (nlive == 0u || wl_next(&rng) % 100u < 60u) {
            size_t n = wl_size_w1(&rng);
            void *p = nlive < LIVE_MAX ? sch_alloc(s, n) : NULL;
            if (p == NULL) {
                double fill = (double)live_bytes / (64.0 * 1024.0);
                free_all(s);
                return fill;
            }
            live_push(p, (uint32_t)n);
        } else {
            sch_free(s, live_take((uint32_t)(wl_next(&rng) % nlive)));
        }
    }
}

INLINE void w3_run(enum scheme s, unsigned seeds, double *mean, double *min)
{
    double sum = 0.0;
    *min = 2.0;
    for (uint64_t seed = 1; seed <= seeds; seed++) {
        double f = w3_once(s, seed);
        sum += f;
        *min = f < *min ? f : *min;
    }
    *mean = sum / seeds;
}

/* ---- W4 fixed size -------------------------------------------------------- */

/* One LIFO alloc(32)+free pair per timed region; ALLOC and FREE are
 * expressions over `p`. */
#define W4_PAIRS(acc, pairs, ALLOC, FREE)                \
    for (uint32_t i_ = 0; i_ < (pairs); i_++) {         \
        tgt_dither(i_);                                  \
        uint32_t t0_ = tgt_now();                        \
        void *p = (ALLOC);                               \
        __asm__ volatile("" : : "r"(p) : "memory");      \
        FREE;                                            \
        uint32_t t1_ = tgt_now();                        \
        acc_put((acc), t0_, t1_);                        \
    }

INLINE void w4_heap(enum scheme s, uint32_t pairs, acc_t *a)
{
    memset(a, 0, sizeof *a);
    if (sch_init(s, 64u * 1024u)) {
        void *w = sch_alloc(s, 32u);
        sch_free(s, w);
        W4_PAIRS(a, pairs, sch_alloc(s, 32u), sch_free(s, p));
    }
}

static void w4_pool(uint32_t pairs, bool inline_path, unsigned flags, acc_t *a)
{
    memset(a, 0, sizeof *a);
    if (rtm_pool_init(&inst.pool, arena, 64u * 1024u, 32u, 0u, 0u, flags) != RTM_OK) {
        return;
    }
    if (inline_path) {
        W4_PAIRS(a, pairs, rtm_pool_alloc_unlocked(&inst.pool),
                 (void)rtm_pool_free_unlocked(&inst.pool, p));
    } else {
        W4_PAIRS(a, pairs, rtm_pool_alloc(&inst.pool), (void)rtm_pool_free(&inst.pool, p));
    }
    (void)rtm_pool_deinit(&inst.pool);
}

/* ---- Driver --------------------------------------------------------------- */

#define FOR_EACH_SCHEME(CALL)      \
    do {                           \
        { enum scheme s_ = S_HEAP2; CALL; } \
        { enum scheme s_ = S_HEAP4; CALL; } \
        { enum scheme s_ = S_TLSF; CALL; }  \
        { enum scheme s_ = S_MALLOC; CALL; } \
    } while (0)

static void bench_w1(uint32_t steps)
{
    printf("\n== W1 mixed: 256 KiB arena, %lu steps, seed 42; instructions per call\n",
           (unsigned long)steps);
    printf("%-14s %8s %11s %11s %11s %11s\n", "scheme", "failed", "alloc mean", "alloc max",
           "free mean", "free max");
    w1_t r[S_COUNT];
    FOR_EACH_SCHEME(w1_run(s_, steps, &r[s_]));
    for (int s = 0; s < S_COUNT; s++) {
        printf("%-14s %8lu %11.1f %11.0f %11.1f %11.0f\n", names[s], (unsigned long)r[s].failed,
               acc_mean(&r[s].a), acc_max(&r[s].a), acc_mean(&r[s].f), acc_max(&r[s].f));
    }
    printf("(newlib malloc is not confined to 256 KiB: it grows into the free RAM.)\n");
}

static void bench_w2(uint32_t iters)
{
    static const uint32_t ks[3] = { 100u, 1000u, 10000u };
    printf("\n== W2 fragmented: %lu-byte arena, K fragments, %lu x alloc(256)+free;"
           " instructions per call (every call takes the same path)\n",
           (unsigned long)ARENA_MAX, (unsigned long)iters);
    printf("%-14s %10s %10s %10s %10s %10s %10s %8s\n", "scheme", "a K=100", "a K=1000",
           "a K=10000", "f K=100", "f K=1000", "f K=10000", "a ratio");
    w2_t r[S_COUNT][3];
    for (unsigned i = 0; i < 3u; i++) {
        FOR_EACH_SCHEME(w2_run(s_, ks[i], iters, &r[s_][i]));
    }
    for (int s = 0; s < S_COUNT; s++) {
        double a0 = acc_mean(&r[s][0].a), a2 = acc_mean(&r[s][2].a);
        printf("%-14s %10.1f %10.1f %10.1f %10.1f %10.1f %10.1f %8.2f\n", names[s], a0,
               acc_mean(&r[s][1].a), a2, acc_mean(&r[s][0].f), acc_mean(&r[s][1].f),
               acc_mean(&r[s][2].f), a0 > 0.0 ? a2 / a0 : 0.0);
    }
    printf("(a ratio: alloc at K=10000 / K=100. newlib's fragments are its own process heap.)\n");
}

static void bench_w3(unsigned seeds)
{
    printf("\n== W3 fill to failure: 64 KiB arena, seeds 1..%u, this target's block layout\n",
           seeds);
    printf("%-14s %8s %8s\n", "scheme", "mean", "min");
    double mean[S_COUNT], min[S_COUNT];
    { enum scheme s_ = S_HEAP2; w3_run(s_, seeds, &mean[s_], &min[s_]); }
    { enum scheme s_ = S_HEAP4; w3_run(s_, seeds, &mean[s_], &min[s_]); }
    { enum scheme s_ = S_TLSF; w3_run(s_, seeds, &mean[s_], &min[s_]); }
    for (int s = 0; s < S_MALLOC; s++) {
        printf("%-14s %8.4f %8.4f\n", names[s], mean[s], min[s]);
    }
    printf("(newlib malloc: not measured, its heap cannot be reset between seeds.)\n");
}

static void bench_w4(uint32_t pairs)
{
    printf("\n== W4 fixed size: %lu LIFO alloc(32)+free pairs, one timed region per pair;"
           " instructions per pair\n", (unsigned long)pairs);
    acc_t r[S_COUNT], pin, pcall, pnobm;
    FOR_EACH_SCHEME(w4_heap(s_, pairs, &r[s_]));
    w4_pool(pairs, true, RTM_POOL_NOLOCK | RTM_POOL_DEFAULT, &pin);
    w4_pool(pairs, true, RTM_POOL_NOLOCK, &pnobm);
    w4_pool(pairs, false, RTM_POOL_DEFAULT, &pcall);
    double ref = acc_mean(&r[S_MALLOC]);
    printf("%-34s %10s %10s %14s\n", "scheme", "pair mean", "pair max", "newlib / this");
    for (int s = 0; s < S_COUNT; s++) {
        double m = acc_mean(&r[s]);
        printf("%-34s %10.1f %10.0f %14.2f\n", names[s], m, acc_max(&r[s]), m > 0 ? ref / m : 0.0);
    }
    const struct { const char *name; const acc_t *a; } pools[] = {
        { "pool (inline, NOLOCK, bitmap)", &pin },
        { "pool (inline, NOLOCK, no bitmap)", &pnobm },
        { "pool (call, PRIMASK lock, bitmap)", &pcall },
    };
    for (unsigned i = 0; i < 3u; i++) {
        double m = acc_mean(pools[i].a);
        printf("%-34s %10.1f %10.0f %14.2f\n", pools[i].name, m, acc_max(pools[i].a),
               m > 0 ? ref / m : 0.0);
    }
}

int main(void)
{
    tgt_counter_start();
    insn_per_tick = tgt_insn_per_tick();
    if (insn_per_tick == 0u) {
        printf("target_bench: the counter does not follow instructions: run QEMU with -icount shift=0\n");
        return 1;
    }
    measure_empty();
    printf("target_bench on %s (QEMU, -icount shift=0): instructions executed, not cycles;\n"
           "rtmem built " BENCH_OPT_STR " -DNDEBUG; one counter tick = %lu instructions; empty region %.1f subtracted\n",
           tgt_cpu(), (unsigned long)insn_per_tick, empty_ticks * insn_per_tick);
#ifdef TARGET_QUICK
    bench_w1(20000u);
    bench_w2(100u);
    bench_w3(5u);
    bench_w4(1000u);
#else
    bench_w1(1000000u);
    bench_w2(1000u);
    bench_w3(200u);
    bench_w4(10000u);
#endif
    return init_failures != 0u ? 1 : 0;
}
