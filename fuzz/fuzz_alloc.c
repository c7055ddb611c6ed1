/*
 * Fuzz target for every rtmem allocator with a free: heap_2, heap_4, heap_5,
 * tlsf and the pool. The input is a program: byte 0 picks the allocator, then
 * each op is 3 bytes (opcode, 16-bit argument). A shadow model holds every
 * live block with its fill byte; after every op the allocator's own integrity
 * check must pass, its used-block count must match the model, and the block
 * the op touched must still hold its fill. Bad input (interior, foreign,
 * double and NULL frees) must be refused with an error and exactly one fault,
 * leaving everything live intact.
 *
 * Corrupting programs (fuzz_alloc_set_corrupt): one stray write per program
 * at most, as the application's own bugs would make: an overrun of 1..16
 * bytes past a live block (into a used or a free neighbour), a write into a
 * block just freed, or a copy of a header inside a block and a free of the
 * interior pointer it fakes. Pools run in every configuration. From then on
 * the expectation is "detected or harmless": the first fault ends the
 * program (detected); until one comes, every check above must still hold,
 * with the bytes the stray write changed left out of the fill comparison.
 *
 * Built two ways: with libFuzzer (`make fuzz`, clang, ASan+UBSan), and as a
 * cmocka test over PRNG-made programs (tests/test_fuzz_alloc.c) so it always
 * compiles and runs.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtmem/heap2.h"
#include "rtmem/heap4.h"
#include "rtmem/heap5.h"
#include "rtmem/pool.h"
#include "rtmem/tlsf.h"

#include "fuzz_alloc.h"

/* Smaller for a target with little RAM (tests/target: 4 KiB on Cortex-M0). */
#ifndef FUZZ_ARENA
#define FUZZ_ARENA 65536u
#endif
#ifndef FUZZ_MAX_LIVE
#define FUZZ_MAX_LIVE 512u
#endif
#define ARENA FUZZ_ARENA
#define MAX_LIVE FUZZ_MAX_LIVE

enum kind { K_HEAP2, K_HEAP4, K_HEAP5, K_TLSF, K_POOL, K_COUNT };

typedef struct live {
    uint8_t *p;
    size_t n;
    uint8_t fill;
} live_t;

typedef struct fz {
    enum kind kind;
    union {
        rtm_heap2_t h2;
        rtm_heap4_t h4;
        rtm_heap5_t h5;
        rtm_tlsf_t t;
        rtm_pool_t pool;
    } u;
    live_t live[MAX_LIVE];
    size_t nlive;
    uint8_t *last_freed; /* still free: no allocation since it was freed */
    size_t faults;
    unsigned serial;
    bool corrupted;       /* a stray write was made */
    bool stop;            /* detected: the program ends */
    size_t faults_at;     /* faults when the stray write was made */
    uintptr_t w0, w1;     /* the bytes it wrote */
} fz_t;

static int corrupt_level; /* fuzz_alloc_set_corrupt() */
static unsigned long n_corrupt, n_detected;

void fuzz_alloc_set_corrupt(int level)
{
    corrupt_level = level;
    n_corrupt = n_detected = 0;
}

void fuzz_alloc_corrupt_counts(unsigned long *made, unsigned long *detected)
{
    *made = n_corrupt;
    *detected = n_detected;
}

static _Alignas(64) uint8_t arena[ARENA];
static _Alignas(64) uint8_t elsewhere[256]; /* foreign memory */
static fz_t g;

#define FZ_ASSERT(c)                                                                  \
    do {                                                                              \
        if (!(c)) {                                                                   \
            fprintf(stderr, "fuzz_alloc: %s:%d: %s (kind %d)\n", __FILE__, __LINE__, \
                    #c, (int)g.kind);                                                 \
            abort();                                                                  \
        }                                                                             \
    } while (0)

static void on_fault(void *user, rtm_err_t why, const void *obj, const void *ptr)
{
    (void)user;
    (void)why;
    (void)obj;
    (void)ptr;
    g.faults++;
}

/* ---- The allocator under test, behind one switch each --------------------- */

/* Every pool configuration: locked, unlocked or lock-free (where compiled),
 * each with or without the double-free bitmap (RTX-sized CMSIS storage has
 * none: a double free is then found by the tag and the walk). */
static unsigned pool_flags(uint16_t arg)
{
    static const unsigned mode[3] = { 0u, RTM_POOL_NOLOCK,
                                      RTMEM_CFG_POOL_LOCKFREE ? RTM_POOL_LOCKFREE : 0u };
    return mode[(arg >> 8) % 3u] | ((arg & 0x800u) != 0u ? RTM_POOL_BITMAP : 0u);
}

static bool fz_init(uint16_t arg)
{
    memset(arena, 0, sizeof arena);
    switch (g.kind) {
    case K_HEAP2:
        return rtm_heap2_init(&g.u.h2, arena, ARENA) == RTM_OK;
    case K_HEAP4:
        return rtm_heap4_init(&g.u.h4, arena, ARENA) == RTM_OK;
    case K_HEAP5: {
        rtm_region_t r[] = { { arena, ARENA / 8u * 3u }, { arena + ARENA / 2u, ARENA / 2u }, { NULL, 0u } };
        return rtm_heap5_init(&g.u.h5, r) == RTM_OK;
    }
    case K_TLSF:
        return rtm_tlsf_init(&g.u.t, arena, ARENA) == RTM_OK;
    default: {
        size_t bs = 1u + arg % 200u; /* strides 4..200, powers of two or not */
        return rtm_pool_init(&g.u.pool, arena, ARENA, bs, 0u, 0u, pool_flags(arg)) == RTM_OK;
    }
    }
}

static void fz_set_hook(void)
{
    switch (g.kind) {
    case K_HEAP2: rtm_heap2_set_fault_hook(&g.u.h2, on_fault, NULL); break;
    case K_HEAP4: rtm_heap4_set_fault_hook(&g.u.h4, on_fault, NULL); break;
    case K_HEAP5: rtm_heap5_set_fault_hook(&g.u.h5, on_fault, NULL); break;
    case K_TLSF: rtm_tlsf_set_fault_hook(&g.u.t, on_fault, NULL); break;
    default: rtm_pool_set_fault_hook(&g.u.pool, on_fault, NULL); break;
    }
}

static void *fz_alloc(size_t n)
{
    switch (g.kind) {
    case K_HEAP2: return rtm_heap2_alloc(&g.u.h2, n);
    case K_HEAP4: return rtm_heap4_alloc(&g.u.h4, n);
    case K_HEAP5: return rtm_heap5_alloc(&g.u.h5, n);
    case K_TLSF: return rtm_tlsf_alloc(&g.u.t, n);
    default: return rtm_pool_alloc(&g.u.pool);
    }
}

static rtm_err_t fz_free(void *p)
{
    switch (g.kind) {
    case K_HEAP2: return rtm_heap2_free(&g.u.h2, p);
    case K_HEAP4: return rtm_heap4_free(&g.u.h4, p);
    case K_HEAP5: return rtm_heap5_free(&g.u.h5, p);
    case K_TLSF: return rtm_tlsf_free(&g.u.t, p);
    default: return rtm_pool_free(&g.u.pool, p);
    }
}

static rtm_err_t fz_check(size_t *used)
{
    rtm_check_t r;
    rtm_stats_t s;
    rtm_err_t err;
    switch (g.kind) {
    case K_HEAP2: err = rtm_heap2_check(&g.u.h2, &r); rtm_heap2_stats(&g.u.h2, &s); break;
    case K_HEAP4: err = rtm_heap4_check(&g.u.h4, &r); rtm_heap4_stats(&g.u.h4, &s); break;
    case K_HEAP5: err = rtm_heap5_check(&g.u.h5, &r); rtm_heap5_stats(&g.u.h5, &s); break;
    case K_TLSF: err = rtm_tlsf_check(&g.u.t, &r); rtm_tlsf_stats(&g.u.t, &s); break;
    default:
        err = rtm_pool_check(&g.u.pool, &r);
        rtm_pool_stats_t ps;
        FZ_ASSERT(rtm_pool_stats(&g.u.pool, &ps) == RTM_OK);
        s.used_blocks = ps.used_blocks;
        break;
    }
    if (err != RTM_OK) {
        fprintf(stderr, "fuzz_alloc: check: %s\n", r.what);
    }
    *used = s.used_blocks;
    return err;
}

/* ---- The model ------------------------------------------------------------- */

/* A fill byte whose low three bits are all set: as a tlsf header word it is
 * free and used at once, never a plausible block, so interior pointers into
 * filled blocks stay detectable. */
static uint8_t next_fill(void)
{
    return (uint8_t)(0x07u | (++g.serial << 3));
}

static void expect_fill(const live_t *l, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uintptr_t a = (uintptr_t)(l->p + i);
        FZ_ASSERT(l->p[i] == l->fill || (a >= g.w0 && a < g.w1));
    }
}

static void add_live(uint8_t *p, size_t n)
{
    FZ_ASSERT(p >= arena && p + n <= arena + ARENA);
    for (size_t i = 0; i < g.nlive; i++) {
        /* handed out twice, or overlapping a live block */
        FZ_ASSERT(p + n <= g.live[i].p || g.live[i].p + g.live[i].n <= p);
    }
    live_t *l = &g.live[g.nlive++];
    *l = (live_t){ p, n, next_fill() };
    memset(p, l->fill, n);
    g.last_freed = NULL;
}

static size_t block_bytes(uint16_t arg)
{
    if (g.kind == K_POOL) {
        return rtm_pool_block_size(&g.u.pool);
    }
    return (arg & 0x8000u) ? (size_t)(arg & 0x7FFFu) * 4u : 1u + arg % 700u;
}

static void op_alloc(uint16_t arg)
{
    size_t n = block_bytes(arg);
    if (g.nlive == MAX_LIVE) {
        return;
    }
    size_t f = g.faults;
    uint8_t *p = fz_alloc(n);
    if (g.corrupted && g.faults != f) {
        g.stop = true; /* detected */
        return;
    }
    if (p != NULL) {
        FZ_ASSERT(((uintptr_t)p & 7u) == 0u || (g.kind == K_POOL && ((uintptr_t)p & 3u) == 0u));
        add_live(p, n);
    }
}

static void op_free(uint16_t arg)
{
    if (g.nlive == 0u) {
        return;
    }
    size_t k = arg % g.nlive;
    live_t l = g.live[k];
    expect_fill(&l, l.n);
    if (g.corrupted) {
        size_t f = g.faults;
        rtm_err_t e = fz_free(l.p);
        if (e != RTM_OK || g.faults != f) {
            g.stop = true; /* detected */
            return;
        }
    } else {
        FZ_ASSERT(fz_free(l.p) == RTM_OK);
    }
    g.live[k] = g.live[--g.nlive];
    g.last_freed = l.p;
}

/* One bad free; it must be refused with one fault and change nothing. */
static void op_bad_free(uint16_t arg)
{
    uint8_t *p = NULL;
    size_t before = g.faults;
    switch (arg % 4u) {
    case 0: /* interior */
        if (g.nlive == 0u || g.live[arg % g.nlive].n < 2u) {
            return;
        }
        p = g.live[arg % g.nlive].p + 1u + (arg >> 8) % (g.live[arg % g.nlive].n - 1u);
        break;
    case 1: /* double */
        p = g.last_freed;
        break;
    case 2:
        p = elsewhere + (arg >> 2) % 64u * 4u;
        break;
    default: /* NULL: a no-op for the heaps (FreeRTOS), an error for the pool */
        if (g.kind != K_POOL) {
            FZ_ASSERT(fz_free(NULL) == RTM_OK && g.faults == before);
            return;
        }
        break;
    }
    if (p == NULL && (arg % 4u) != 3u) {
        return;
    }
    FZ_ASSERT(fz_free(p) != RTM_OK);
    FZ_ASSERT(g.faults == before + 1u);
}

/* tlsf only: realloc keeps the old contents; aligned alloc honours align. */
static void op_tlsf_extra(uint8_t op, uint16_t arg)
{
    if (op & 1u) {
        if (g.nlive == MAX_LIVE) {
            return;
        }
        size_t align = (size_t)8u << (arg % 10u);
        uint8_t *p = rtm_tlsf_aligned_alloc(&g.u.t, align, 1u + (arg >> 4) % 600u);
        if (p != NULL) {
            FZ_ASSERT(((uintptr_t)p & (align - 1u)) == 0u);
            add_live(p, 1u + (arg >> 4) % 600u);
        }
        return;
    }
    if (g.nlive == 0u) {
        return;
    }
    live_t *l = &g.live[arg % g.nlive];
    size_t n = 1u + (arg >> 3) % 1500u;
    uint8_t *p = rtm_tlsf_realloc(&g.u.t, l->p, n);
    if (p == NULL) {
        expect_fill(l, l->n); /* failed: the old block is untouched */
        return;
    }
    l->p = p;
    expect_fill(l, n < l->n ? n : l->n);
    l->n = n;
    memset(p, l->fill, n);
    g.last_freed = NULL;
}

/* Bytes from p to where the next block may begin. */
static size_t usable(const uint8_t *p)
{
    switch (g.kind) {
    case K_HEAP2: return rtm_heap2_usable_size(&g.u.h2, p);
    case K_HEAP4: return rtm_heap4_usable_size(&g.u.h4, p);
    case K_HEAP5: return rtm_heap5_usable_size(&g.u.h5, p);
    case K_TLSF: return rtm_tlsf_usable_size(&g.u.t, p);
    default: return rtm_pool_block_size(&g.u.pool);
    }
}

/* The stray writes (level 1 and 2 alike since the hardening landed: every
 * allocator survives every kind; the corruption matrix says the same):
 * 0 an overrun of 1..16 bytes past a random live block (into a used or a
 * free neighbour), 1 an overrun of 1..16 bytes from the live block just
 * below the block freed last (into a free neighbour's header), 2 a write of
 * 1..16 bytes after free into the block freed last, 3 a copy of a live
 * block's header placed inside it, then a free of the pointer it fakes. */
enum { C_OVERRUN, C_INTO_FREE, C_AFTER_FREE, C_INTERIOR, C_KINDS };

/* The live block ending nearest below p (NULL if none). */
static const live_t *below(const uint8_t *p)
{
    const live_t *best = NULL;
    for (size_t i = 0; i < g.nlive; i++) {
        if (g.live[i].p < p && (best == NULL || g.live[i].p > best->p)) {
            best = &g.live[i];
        }
    }
    return best;
}

/* Where a stray write of kind c goes and how long it is (at NULL: none). */
static uint8_t *stray_target(unsigned c, uint16_t arg, size_t *n)
{
    const live_t *l = g.nlive != 0u ? &g.live[(arg >> 2) % g.nlive] : NULL;
    *n = 1u + (arg >> 8) % 16u;
    switch (c) {
    case C_OVERRUN:
        return l != NULL ? l->p + usable(l->p) : NULL;
    case C_INTO_FREE:
        l = g.last_freed != NULL ? below(g.last_freed) : NULL;
        return l != NULL ? l->p + usable(l->p) : NULL;
    case C_AFTER_FREE:
        return g.last_freed;
    default: /* C_INTERIOR: 16 bytes at an 8-aligned offset, 32 before the end */
        *n = 16u;
        if (l == NULL || l->n < 48u || l->p < arena + 16u) {
            return NULL;
        }
        return l->p + 8u * ((arg >> 8) % ((l->n - 32u) / 8u)) + 16u;
    }
}

/* One stray write, at most one per program. */
static void op_corrupt(uint16_t arg)
{
    unsigned c = arg % C_KINDS;
    size_t n;
    if (g.corrupted) {
        return;
    }
    uint8_t *at = stray_target(c, arg, &n);
    if (at == NULL || at < arena || at + n > arena + ARENA) {
        return; /* nothing to hit, or past the arena: not rtmem's memory */
    }
    if (c == C_INTERIOR) {
        const live_t *l = below(at + 1u); /* the block it lies in */
        memmove(at, l->p - 16u, 16u);
    } else {
        memset(at, 0xA5, n);
    }
    n_corrupt++;
    g.corrupted = true;
    g.faults_at = g.faults;
    g.w0 = (uintptr_t)at;
    g.w1 = (uintptr_t)(at + n);
    if (c == C_INTERIOR) { /* the application frees the pointer the copy fakes */
        rtm_err_t e = fz_free(at + 16u);
        if (e != RTM_OK || g.faults != g.faults_at) {
            g.stop = true; /* detected */
        }
    }
}

static void after_op(uint16_t arg)
{
    size_t used = 0;
    if (g.corrupted && g.faults != g.faults_at) {
        g.stop = true; /* detected */
        return;
    }
    /* check() and the statistics read the damage before any call touched
     * it: after a stray write the contents and placement must hold, the
     * structure may be damaged until a call meets it */
    if (!g.corrupted) {
        FZ_ASSERT(fz_check(&used) == RTM_OK);
        FZ_ASSERT(used == g.nlive);
    }
    if (g.nlive != 0u) {
        const live_t *l = &g.live[arg % g.nlive];
        expect_fill(l, l->n);
    }
}

static uint64_t xorshift(uint64_t *x)
{
    *x ^= *x >> 12;
    *x ^= *x << 25;
    *x ^= *x >> 27;
    return *x * 0x2545F4914F6CDD1DULL;
}

size_t fuzz_alloc_prng(uint8_t *buf, uint8_t kind, uint64_t *x)
{
    size_t len = 3u + 3u * (size_t)(xorshift(x) % ((FUZZ_PRNG_MAX - 3u) / 3u));
    for (size_t i = 0; i < len; i++) {
        buf[i] = (uint8_t)xorshift(x);
    }
    buf[0] = kind;
    for (size_t i = 3; i + 3u <= len; i += 3u) {
        if ((buf[i] & 0x30u) == 0u) {
            buf[i] &= 0xF8u; /* opcode 0: alloc */
        }
    }
    return len;
}

void fuzz_alloc_prng_programs(unsigned long n, uint64_t seed)
{
    static uint8_t prog[FUZZ_PRNG_MAX];
    for (unsigned long k = 0; k < n; k++) {
        size_t len = fuzz_alloc_prng(prog, (uint8_t)(k % 5u), &seed);
        (void)fuzz_alloc_run(prog, len);
    }
}

int fuzz_alloc_run(const uint8_t *data, size_t size)
{
    if (size < 3u) {
        return 0;
    }
    memset(&g, 0, sizeof g);
    g.kind = (enum kind)(data[0] % K_COUNT);
    if (!fz_init((uint16_t)(data[1] | data[2] << 8))) {
        return 0;
    }
    fz_set_hook();
    for (size_t i = 3; i + 3u <= size; i += 3u) {
        uint8_t op = data[i];
        uint16_t arg = (uint16_t)(data[i + 1] | data[i + 2] << 8);
        switch (op % 8u) {
        case 0: case 1: case 2: op_alloc(arg); break;
        case 3: case 4: op_free(arg); break;
        case 5:
            if (g.corrupted) {
                break; /* after a stray write, any fault means detected */
            }
            op_bad_free(arg);
            break;
        case 7:
            if (corrupt_level != 0 && (op & 0xE0u) == 0xE0u) {
                op_corrupt(arg);
                break;
            }
            /* fall through */
        default:
            if (g.kind == K_TLSF) {
                op_tlsf_extra(op, arg);
            } else {
                op_free(arg);
            }
            break;
        }
        after_op(arg);
        if (g.stop) {
            n_detected++;
            return 0;
        }
    }
    for (size_t i = 0; i < g.nlive; i++) {
        expect_fill(&g.live[i], g.live[i].n);
    }
    /* a stray write not yet met: every block goes back, each free touching
     * its neighbours; each must work or detect the damage */
    while (g.corrupted && g.nlive != 0u && !g.stop) {
        op_free(0);
    }
    if (g.stop) {
        n_detected++;
    }
    return 0;
}
