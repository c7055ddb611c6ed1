/*
 * W4 ladder: what each part of a checked pool's alloc/free pair costs on this
 * CPU, timed as `rtmem bench` times W4 (one `lfence; rdtsc` region per LIFO
 * alloc(32)+free pair, minus the empty region), beside the system malloc in
 * the same run.
 *
 * The rungs add one thing at a time to a bare intrusive list, up to the shape
 * of rtm_pool's checked list path, and end with rtm_pool itself (no bitmap, then
 * the default double-free bitmap). Rungs 1-6 are models written here, not
 * library code: a checked free list, as rtm_pool's pair was before its hot
 * slot, and as its list path (rtm_pool_take_/rtm_pool_give_) still is. They
 * show what each check and counter costs on this CPU, and why the pool's
 * common pair now touches none of them (see rtm_pool_t's hot and last).
 *
 * Each round times PAIRS pairs per rung, rungs interleaved, and an empty
 * region in the same loop; the figure is the median over ROUNDS rounds of
 * each rung's mean (fastest 99%) minus that round's empty region (as
 * `rtmem bench` W4 does: the start-up figure moves by tenths of a ns from
 * process to process, as much as a pool's whole pair). Usage:
 * build/w4ladder [rounds]. Built by `make w3sim-build` (so it keeps
 * compiling), run by `make w4ladder`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtmem/pool.h"
#include "timing.h"

enum { PAIRS = 100000, BLOCKS = 64, STRIDE = 32, MAX_ROUNDS = 99, BATCH = 100 };
#define NIL UINT32_MAX

/* The model pool of rungs 2-5: rtm_pool's fields that the pair touches. */
typedef struct model {
    uint8_t *base;
    size_t stride;   /* a field, as in rtm_pool: the compiler cannot fold it */
    size_t inv;      /* 1 / odd part of the stride mod 2^N (1 for 32) */
    unsigned tz;     /* trailing zeros of the stride */
    uint32_t head;   /* byte offset (rungs 2-4) or index (rung 5) */
    uint32_t mark;   /* watermark, in blocks */
    uint32_t capacity;
    size_t allocs, frees, failed;
    uint32_t *bitmap; /* NULL: rung 6 only tests it, as rtm_pool does */
} model_t;

static uint8_t arena[BLOCKS * STRIDE] __attribute__((aligned(64)));
static void *bare_blocks[BLOCKS][STRIDE / sizeof(void *)];
static void *bare_head;
static model_t m;
static size_t model_failures;
static size_t g_batch = 1; /* pairs per timed region: 1 or BATCH */

__attribute__((noinline)) static void *rejected(model_t *p)
{
    p->failed++;
    return NULL;
}

static inline size_t index_of(const model_t *p, size_t off)
{
    size_t x = off * p->inv;
    return (x >> p->tz) | (x << ((64u - p->tz) & 63u));
}

/* Rung 1: pointer links, nothing else. */
static inline void *bare_alloc(void)
{
    void *b = bare_head;
    if (b) {
        memcpy(&bare_head, b, sizeof bare_head);
    }
    return b;
}

static inline void bare_free(void *b)
{
    memcpy(b, &bare_head, sizeof bare_head);
    bare_head = b;
}

/* Rungs 2-4: 32-bit byte-offset links from base, the watermark branch; `cnt`
 * adds the two counters, `chk` the boundary check (rung 4). */
static inline void *off_alloc(model_t *p, int cnt)
{
    uint32_t o = p->head;
    if (o != NIL) {
        memcpy(&p->head, p->base + o, sizeof p->head);
    } else if (p->mark < p->capacity) {
        o = (uint32_t)(p->mark++ * p->stride);
    } else {
        return rejected(p);
    }
    p->allocs += cnt ? 1u : 0u;
    return p->base + o;
}

static inline void off_free(model_t *p, void *b, int cnt, int chk)
{
    size_t off = (size_t)((uint8_t *)b - p->base);
    if (chk ? index_of(p, off) >= p->mark : off >= p->capacity * p->stride) {
        (void)rejected(p);
        return;
    }
    memcpy(b, &p->head, sizeof p->head);
    p->head = (uint32_t)off;
    p->frees += cnt ? 1u : 0u;
}

/* Rung 5: index links (block i at base + i * stride), what rtm_pool stores
 * (its free's test for waiters to wake rides on the boundary check's bound);
 * rung 6 adds its tests for a bitmap. */
static inline void *idx_alloc(model_t *p, int bm)
{
    uint32_t i = p->head;
    if (i != NIL) {
        memcpy(&p->head, p->base + (size_t)i * p->stride, sizeof p->head);
    } else if (p->mark < p->capacity) {
        i = p->mark++;
    } else {
        return rejected(p);
    }
    if (bm && p->bitmap != NULL) {
        p->bitmap[i >> 5] |= 1u << (i & 31u);
    }
    p->allocs++;
    return p->base + (size_t)i * p->stride;
}

static inline void idx_free(model_t *p, void *b, int bm)
{
    size_t i = index_of(p, (size_t)((uint8_t *)b - p->base));
    if (i >= p->mark) {
        (void)rejected(p);
        return;
    }
    if (bm && p->bitmap != NULL) {
        uint32_t bit = 1u << (i & 31u);
        if ((p->bitmap[i >> 5] & bit) == 0u) {
            (void)rejected(p);
            return;
        }
        p->bitmap[i >> 5] &= ~bit;
    }
    memcpy(b, &p->head, sizeof p->head);
    p->head = (uint32_t)i;
    p->frees++;
}

static void model_reset(void)
{
    memset(&m, 0, sizeof m);
    m.base = arena;
    m.stride = STRIDE;
    m.inv = 1u;
    m.tz = 5u;
    m.head = NIL;
    m.capacity = BLOCKS;
}

/* One rung's mean ticks per pair (fastest 99%). ALLOC and FREE are
 * expressions over `b`; the asm keeps the block "used" between the two.
 * Single: PAIRS regions of one pair each, as `rtmem bench` W4 times them.
 * Batched: PAIRS / BATCH regions of BATCH pairs each, so the counter's step
 * and the empty region's cost weigh 1/BATCH on a pair: the well-conditioned
 * figure (consecutive pairs may overlap in the CPU, which a single pair's
 * region forbids: it measures throughput, not one pair's latency). */
#define TIMED(ALLOC, FREE)                                      \
    do {                                                        \
        for (size_t k = 0; k < PAIRS / g_batch; k++) {          \
            uint64_t t0 = tm_now();                             \
            for (size_t j = 0; j < g_batch; j++) {              \
                void *b = (ALLOC);                              \
                __asm__ volatile("" : : "r"(b) : "memory");     \
                if (b) {                                        \
                    FREE;                                       \
                }                                               \
                __asm__ volatile("" : : : "memory");            \
            }                                                   \
            v[k] = tm_region(t0, tm_now());                     \
        }                                                       \
    } while (0)

enum { R_EMPTY, R_MALLOC, R_BARE, R_OFF, R_CNT, R_CHK, R_IDX, R_BMTEST, R_POOL, R_POOL_BM, RUNGS };
static const char *const names[RUNGS] = {
    "empty timed region (subtracted)",
    "system malloc(32) + free",
    "1 bare list: pointer links",
    "2 + 32-bit offset links, watermark branch",
    "3 + alloc/free counters",
    "4 + boundary check (multiply-rotate index)",
    "5 = index links in place of offsets",
    "6 + is-there-a-bitmap tests (rtm_pool's list path)",
    "7 rtm_pool inline, no bitmap (library)",
    "8 rtm_pool inline, double-free bitmap (library)",
};

static double rung(int r, rtm_pool_t *pool, rtm_pool_t *pool_bm, uint64_t *v)
{
    switch (r) {
    case R_EMPTY: TIMED((void *)v, (void)0); break;
    case R_MALLOC: TIMED(malloc(32), free(b)); break;
    case R_BARE: TIMED(bare_alloc(), bare_free(b)); break;
    case R_OFF: TIMED(off_alloc(&m, 0), off_free(&m, b, 0, 0)); break;
    case R_CNT: TIMED(off_alloc(&m, 1), off_free(&m, b, 1, 0)); break;
    case R_CHK: TIMED(off_alloc(&m, 1), off_free(&m, b, 1, 1)); break;
    case R_IDX: TIMED(idx_alloc(&m, 0), idx_free(&m, b, 0)); break;
    case R_BMTEST: TIMED(idx_alloc(&m, 1), idx_free(&m, b, 1)); break;
    case R_POOL: TIMED(rtm_pool_alloc_unlocked(pool), (void)rtm_pool_free_unlocked(pool, b)); break;
    default:
        TIMED(rtm_pool_alloc_unlocked(pool_bm), (void)rtm_pool_free_unlocked(pool_bm, b));
        break;
    }
    model_failures += m.failed;
    model_reset(); /* rungs 5-6 store indices where 2-4 store offsets */
    size_t n = PAIRS / g_batch;
    return tm_mean_without_largest(v, n, n / 100u) / tm_ghz() / (double)g_batch; /* raw */
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    static uint8_t mem[2][BLOCKS * STRIDE + 64] __attribute__((aligned(64)));
    static uint64_t v[PAIRS];
    static double ns[2][RUNGS][MAX_ROUNDS]; /* [single, batched] */
    rtm_pool_t pool, pool_bm;
    long rounds = argc > 1 ? strtol(argv[1], NULL, 10) : 21;
    if (rounds < 1 || rounds > MAX_ROUNDS ||
        rtm_pool_init(&pool, mem[0], sizeof mem[0], STRIDE, 0u, BLOCKS, RTM_POOL_NOLOCK) != RTM_OK ||
        rtm_pool_init(&pool_bm, mem[1], sizeof mem[1], STRIDE, 0u, BLOCKS,
                      RTM_POOL_NOLOCK | RTM_POOL_BITMAP) != RTM_OK) {
        fprintf(stderr, "usage: w4ladder [rounds 1..%d]\n", MAX_ROUNDS);
        return 2;
    }
    tm_init();
    int cpu = tm_pin_cpu();
    for (size_t i = 0; i < BLOCKS; i++) {
        bare_free(bare_blocks[i]);
    }
    model_reset();
    for (long r = 0; r < rounds; r++) {
        for (int mode = 0; mode < 2; mode++) {
            g_batch = mode ? BATCH : 1u;
            for (int g = 0; g < RUNGS; g++) {
                ns[mode][g][r] = rung(g, &pool, &pool_bm, v);
            }
            for (int g = RUNGS - 1; g >= 0; g--) { /* the empty rung last */
                ns[mode][g][r] -= ns[mode][R_EMPTY][r];
            }
        }
    }
    printf("W4 ladder: LIFO alloc(32)+free pairs, %d per rung per round, median of %ld rounds' "
           "means (fastest 99%%), ns per pair net of the round's empty region; %s, pinned to "
           "CPU %d.\nsingle: one pair per timed region (rtmem bench W4); batched: %d pairs per "
           "region (throughput; the counter's step weighs 1/%d)\n",
           PAIRS, rounds, tm_source(), cpu, BATCH, BATCH);
    printf("%-52s %8s %9s %8s %9s\n", "rung", "single", "malloc/x", "batched", "malloc/x");
    double med[2][RUNGS];
    for (int mode = 0; mode < 2; mode++) {
        for (int g = 0; g < RUNGS; g++) {
            qsort(ns[mode][g], (size_t)rounds, sizeof ns[mode][g][0], cmp_d);
            med[mode][g] = ns[mode][g][rounds / 2];
        }
    }
    for (int g = R_MALLOC; g < RUNGS; g++) {
        printf("%-52s", names[g]);
        for (int mode = 0; mode < 2; mode++) {
            double x = med[mode][g];
            printf(" %8.2f %8.1fx", x, x > 0.0 ? med[mode][R_MALLOC] / x : 0.0);
        }
        printf("\n");
    }
    return model_failures == 0u && bare_head != NULL && rtm_pool_check(&pool, NULL) == RTM_OK &&
                   rtm_pool_check(&pool_bm, NULL) == RTM_OK
               ? 0
               : 1;
}
