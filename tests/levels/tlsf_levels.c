/*
 * One tlsf at every optimisation level (issue 18): prints everything a user
 * can observe of rtm_tlsf -- the layout constants of rtmem/tlsf.h, what the
 * library computes (control size, arena bound), the addresses a fixed random
 * run of alloc/realloc/aligned_alloc/free returns (as offsets into the
 * arena), its failures, its statistics and the codes of bad frees.
 * tests/levels/levels_test.sh builds it with the library at -O0, -Og, -Os
 * and -O2 for each tlsf configuration and requires the same output.
 *
 * Built with LEVELS_MISMATCH, it expects rtm_tlsf_init() to refuse the heap:
 * the script then builds this file with another RTMEM_CFG_HARDEN than the
 * library (an application and an installed library that disagree), or
 * (LEVELS_MISMATCH=2) passes the layout word an application compiled
 * against another layout version would pass.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "rtmem/tlsf.h"
#include "../test_fault_count.h"
#include "../test_xorshift.h"

#ifndef LEVELS_MISMATCH
#define LEVELS_MISMATCH 0
#endif
#if LEVELS_MISMATCH == 2
#define LEVELS_ABI ((RTM_TLSF_ABI & ~(0xFu << 28)) | (1u << 28))
#else
#define LEVELS_ABI RTM_TLSF_ABI
#endif

static _Alignas(64) uint8_t arena[65536];
/* 8 MiB: the defaults hold a heap this big and a 100,000-byte request in it
 * at every level, 32-bit or 64-bit (issue 18). Only headers are written
 * (except in the hardened build, which poisons free memory). */
#define BIG_BYTES ((size_t)8 << 20)
#if defined(LEVELS_BIG_ADDR) /* a board's external RAM (levels_test.sh target) */
#define big ((uint8_t *)LEVELS_BIG_ADDR)
#else
static _Alignas(64) uint8_t big[BIG_BYTES];
#endif

static long off(const void *p)
{
    return p == NULL ? -1L : (long)((const uint8_t *)p - arena);
}

/* size_t printed as unsigned long: newlib-nano's printf has no %zu */
#define U(x) ((unsigned long)(x))

static void print_stats(const rtm_tlsf_t *t)
{
    rtm_stats_t s;
    rtm_tlsf_stats(t, &s);
    printf("stats %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu\n", U(s.total_bytes),
           U(s.free_bytes), U(s.min_ever_free), U(s.largest_free), U(s.smallest_free),
           U(s.free_blocks), U(s.used_blocks), U(s.alloc_count), U(s.free_count),
           U(s.failed_allocs), U(s.faults));
}

int main(void)
{
    rtm_tlsf_t t;
    memset(&t, 0xA5, sizeof t);
    if (LEVELS_MISMATCH) {
        /* the fault hook is set up by init only on success: a refused
         * init reports to the default hook, which must not trap here */
        rtm_err_t e = rtm_tlsf_init_abi(&t, arena, sizeof arena, LEVELS_ABI);
        printf("init with another layout: %d\n", (int)e);
        return e == RTM_ERR_ARG && rtm_tlsf_alloc(&t, 8) == NULL ? 0 : 1;
    }
    /* the layout, as the application's compiler sees it */
    printf("abi %08" PRIx32 " sizeof %lu align %u sl %u min %u extra %u\n", (uint32_t)RTM_TLSF_ABI,
           U(sizeof(rtm_tlsf_t)), RTM_TLSF_ALIGN, RTM_TLSF_SL_COUNT, RTM_TLSF_MIN_BLOCK,
           RTM_TLSF_BLOCK_EXTRA);
    printf("max arena %lu max block %lu max request %lu\n", U(RTM_TLSF_MAX_ARENA),
           U(RTM_TLSF_MAX_BLOCK), U(RTM_TLSF_MAX_REQUEST));
    printf("control %lu %lu overhead %lu bound %lu %lu\n",
           U(RTM_TLSF_CONTROL_SIZE(65536u)), U(RTM_TLSF_CONTROL_SIZE(8u << 20)),
           U(RTM_TLSF_OVERHEAD(65536u)), U(RTM_TLSF_ARENA_BOUND(4096u, 256u)),
           U(RTM_TLSF_ARENA_BOUND(100000u, 100000u)));
    /* ... and as the library computes it */
    printf("lib control %lu %lu bound %lu %lu %lu\n", U(rtm_tlsf_control_size(65536u)),
           U(rtm_tlsf_control_size(8u << 20)), U(rtm_tlsf_arena_bound(4096u, 256u)),
           U(rtm_tlsf_arena_bound(100000u, 100000u)), U(rtm_tlsf_arena_bound(0u, 0u)));

    if (rtm_tlsf_init(&t, arena, sizeof arena) != RTM_OK) {
        printf("init failed\n");
        return 1;
    }
    rtm_tlsf_set_fault_hook(&t, hook, NULL);
    print_stats(&t);

    /* a fixed random run: every address handed out is printed */
    enum { SLOTS = 64, STEPS = 4000 };
    uint8_t *live[SLOTS] = {0};
    unsigned long sum = 0ul;
    for (unsigned i = 0; i < STEPS; i++) {
        uint32_t r = xorshift32();
        unsigned k = r % SLOTS;
        size_t sz = (size_t)(1u + (xorshift32() % ((r & 0x100u) ? 4000u : 200u)));
        if (live[k] == NULL) {
            live[k] = (r & 0x600u) == 0x600u ? rtm_tlsf_aligned_alloc(&t, 64u, sz)
                                             : rtm_tlsf_alloc(&t, sz);
            if (live[k] != NULL) {
                memset(live[k], (int)k, sz);
            }
        } else if ((r & 0x3000u) == 0x3000u) {
            uint8_t *n = rtm_tlsf_realloc(&t, live[k], sz);
            if (n != NULL) {
                live[k] = n;
            }
        } else {
            (void)rtm_tlsf_free(&t, live[k]);
            live[k] = NULL;
        }
        sum = sum * 31ul + (unsigned long)(off(live[k]) + 1);
        if (i % 500u == 0u) {
            printf("step %u slot %u at %ld usable %lu\n", i, k, off(live[k]),
                   U(rtm_tlsf_usable_size(&t, live[k])));
        }
    }
    printf("addresses %lx check %d\n", sum, (int)rtm_tlsf_check(&t, NULL));
    print_stats(&t);

    /* bad input: the codes and the fault count */
    uint8_t *p = rtm_tlsf_alloc(&t, 40u);
    printf("interior %d", (int)rtm_tlsf_free(&t, p + 8));
    printf(" foreign %d", (int)rtm_tlsf_free(&t, &g_faults));
    (void)rtm_tlsf_free(&t, p);
    rtm_err_t dbl = rtm_tlsf_free(&t, p);
    printf(" double %d faults %d last %d check %d\n", (int)dbl, g_faults, (int)g_reason,
           (int)rtm_tlsf_check(&t, NULL));
    print_stats(&t);

    /* the big heap: a 100,000-byte request, then the largest request the
     * arena holds (RTM_TLSF_OVERHEAD, tlsf.h), then one byte more fails */
    rtm_tlsf_t b;
    printf("8 MiB init %d", (int)rtm_tlsf_init(&b, big, BIG_BYTES));
    rtm_tlsf_set_fault_hook(&b, hook, NULL);
    uint8_t *q = rtm_tlsf_alloc(&b, 100000u);
    printf(" 100000 at %ld", q == NULL ? -1L : (long)(q - big));
    if (q != NULL) {
        memset(q, 0x5A, 100000u);
    }
    printf(" free %d", (int)rtm_tlsf_free(&b, q));
    size_t most = ((BIG_BYTES - RTM_TLSF_OVERHEAD(BIG_BYTES)) & ~(size_t)(RTM_TLSF_ALIGN - 1u)) -
                  RTM_TLSF_BLOCK_EXTRA;
    q = rtm_tlsf_alloc(&b, most);
    printf(" largest %lu at %ld", U(most), q == NULL ? -1L : (long)(q - big));
    printf(" free %d", (int)rtm_tlsf_free(&b, q));
    q = rtm_tlsf_alloc(&b, BIG_BYTES);
    printf(" whole %s check %d\n", q == NULL ? "refused" : "given", (int)rtm_tlsf_check(&b, NULL));
    print_stats(&b);
    return 0;
}
