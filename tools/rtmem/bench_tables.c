/* rtmem bench: the tables it prints, from the records of a run. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "cli.h"
#include "pools.h"
#include "timing.h"
#include "workload.h"

/* "-" where the base is 0 ns (below what the counter resolves) or missing. */
static void print_ratio(double num, double den)
{
    if (den > 0.0 && !isnan(num)) {
        printf("%.2f", num / den);
    } else {
        printf("-");
    }
}

/* The flatness the W2 target names: reproduced max at K=10,000 over K=100. */
static void w2_flatness(const recs_t *rs)
{
    printf("W2 flatness, a_max_rep and f_max_rep at K=10000 / K=100 (1.00 = flat):");
    for (size_t i = 0; i < rs->n; i++) {
        const rec_t *lo = &rs->v[i];
        const rec_t *hi = recs_find(rs, "W2", "K=10000", lo->scheme, lo->layout);
        if (strcmp(lo->workload, "W2") || strcmp(lo->variant, "K=100") || !hi) {
            continue;
        }
        printf(" %s ", lo->scheme);
        print_ratio(hi->m[M_ALLOC_MAX_REP], lo->m[M_ALLOC_MAX_REP]);
        printf(" / ");
        print_ratio(hi->m[M_FREE_MAX_REP], lo->m[M_FREE_MAX_REP]);
        printf(";");
    }
    printf("\n");
}

/* The alloc and free latency columns W1 and the real traces share. */
#define LATENCY_COLS                                                              \
    { "a_med", M_ALLOC_MED, COL_NS }, { "a_mean", M_ALLOC_MEAN, COL_NS },         \
    { "a_p99", M_ALLOC_P99, COL_NS }, { "a_p99.99", M_ALLOC_P9999, COL_NS },      \
    { "a_max", M_ALLOC_MAX, COL_NS },                                             \
    { "f_med", M_FREE_MED, COL_NS }, { "f_mean", M_FREE_MEAN, COL_NS },           \
    { "f_p99", M_FREE_P99, COL_NS }, { "f_p99.99", M_FREE_P9999, COL_NS },        \
    { "f_max", M_FREE_MAX, COL_NS }

void bench_print_tables(const bench_cfg_t *c, const recs_t *rs, const char *w3_32_why,
                        const char *w3_32_how)
{
    static const col_t lat[] = {
        { "failed", M_FAILED, COL_COUNT },
        LATENCY_COLS,
        { "a_med/malloc", M_ALLOC_MED, COL_RATIO }, { "a_mean/malloc", M_ALLOC_MEAN, COL_RATIO },
        { "f_med/malloc", M_FREE_MED, COL_RATIO }, { "f_mean/malloc", M_FREE_MEAN, COL_RATIO },
        { "min_ever_free", M_MIN_EVER_FREE, COL_BYTES }, { "largest_free", M_LARGEST_FREE, COL_BYTES },
        { "free_blocks", M_FREE_BLOCKS, COL_COUNT },
    };
    static const col_t w2[] = {
        { "K_made", M_K, COL_COUNT }, { "failed", M_FAILED, COL_COUNT },
        { "a_med", M_ALLOC_MED, COL_NS }, { "a_mean", M_ALLOC_MEAN, COL_NS },
        { "a_max", M_ALLOC_MAX, COL_NS }, { "a_max_rep", M_ALLOC_MAX_REP, COL_NS },
        { "f_med", M_FREE_MED, COL_NS }, { "f_max", M_FREE_MAX, COL_NS },
        { "f_max_rep", M_FREE_MAX_REP, COL_NS },
        { "a_med/malloc", M_ALLOC_MED, COL_RATIO }, { "a_mean/malloc", M_ALLOC_MEAN, COL_RATIO },
        { "a_max_rep/malloc", M_ALLOC_MAX_REP, COL_RATIO },
    };
    static const col_t w3[] = {
        { "fill_mean", M_FILL_MEAN, COL_FRACTION }, { "fill_min", M_FILL_MIN, COL_FRACTION },
        { "runs", M_FILL_RUNS, COL_COUNT },
    };
    static const col_t w4[] = {
        { "failed", M_FAILED, COL_COUNT },
        { "pair_med", M_ALLOC_MED, COL_NS }, { "pair_mean", M_ALLOC_MEAN, COL_NS },
        { "pair_p99", M_ALLOC_P99, COL_NS }, { "pair_max", M_ALLOC_MAX, COL_NS },
        { "pair_max_rep", M_ALLOC_MAX_REP, COL_NS },
        { "pair_med/malloc", M_ALLOC_MED, COL_RATIO }, { "pair_mean/malloc", M_ALLOC_MEAN, COL_RATIO },
    };
    static const col_t r[] = {
        { "min_arena", M_ARENA, COL_BYTES }, { "peak_live", M_PEAK, COL_BYTES },
        { "arena/peak", M_RATIO, COL_FRACTION }, { "failed@1.25x", M_FAILED, COL_COUNT },
        LATENCY_COLS,
        { "a_mean/malloc", M_ALLOC_MEAN, COL_RATIO }, { "f_mean/malloc", M_FREE_MEAN, COL_RATIO },
    };
    const char *of = c->runs > 1u ? " (medians of the runs)" : "";
    if (c->wl[WL_W1]) {
        printf("\n== W1 mixed: arena 256 KiB, %s steps, seed 42, 55%% alloc; ns per op%s ==\n",
               cli_quick ? "20,000 (--quick)" : "1,000,000", of);
        table_print(stdout, rs, "W1", false, lat, sizeof lat / sizeof lat[0]);
    }
    if (c->wl[WL_W2]) {
        printf("\n== W2 fragmented: arena 1 MiB, K free 16-byte fragments, then 1,000 x "
               "alloc(256)/free; ns%s ==\n(K_made < K where the arena cannot hold 2K blocks; "
               "a constant-time allocator keeps a_max flat as K grows)\n"
               "(a_max_rep, f_max_rep: the max that reproduces: the 1,000 ops run in %u series, "
               "each op index keeps the mean\n of its times without the %u largest, and this is "
               "the largest of those means; preemption hits an op in a\n few series, a "
               "state-dependent worst case in all; the mean resolves below the counter's step; "
               "one\n untimed op warms up first; the other columns are the first series')\n",
               of, WL_REP_SERIES, WL_REP_TRIM);
        table_print(stdout, rs, "W2", true, w2, sizeof w2 / sizeof w2[0]);
        w2_flatness(rs);
    }
    if (c->wl[WL_W3]) {
        printf("\n== W3 fill to failure: arena 64 KiB, seeds 1..%s, 60%% alloc; live requested "
               "bytes / arena at the first failure (higher is better) ==\n",
               cli_quick ? "20 (--quick)" : "200");
        table_print(stdout, rs, "W3", true, w3, sizeof w3 / sizeof w3[0]);
        printf("64-bit layout: this binary (%s; tlsf has 4-byte words on every target).\n",
               schemes_layout_note());
        if (w3_32_why) {
            printf("32-bit layout: NOT measured: %s.\n", w3_32_why);
            printf("  So the 64-bit figures above are all there is: tlsf's layout is the "
                   "32-bit one; heap_2/4/5 keep 64-bit headers.\n");
        } else if (w3_32_how) {
            const char *note = "";
            for (size_t i = 0; i < rs->n; i++) {
                if (strcmp(rs->v[i].workload, "W3") == 0 && strcmp(rs->v[i].layout, "32-bit") == 0) {
                    note = rs->v[i].note;
                }
            }
            printf("32-bit layout: rtmem32, built with -m32 (%s, as on Cortex-M), run %s.\n", note,
                   w3_32_how);
        }
    }
    if (c->wl[WL_W4]) {
        printf("\n== W4 fixed size: %s LIFO alloc(32)+free pairs, one timed region per pair; "
               "ns%s ==\n", cli_quick ? "1,000" : "10,000", of);
        if (c->w4_empty > 0.0) {
            printf("(pair_mean: all %u series, fastest 99%%, minus the empty region measured in "
                   "the same loop just before the rows:\n %.2f ns; the start-up figure was %.2f ns)\n",
                   WL_REP_SERIES, c->w4_empty / tm_ghz(), c->w4_startup_empty / tm_ghz());
        }
        table_print(stdout, rs, "W4", false, w4, sizeof w4 / sizeof w4[0]);
        if (pool_available()) {
            printf("(pool rows: 32-byte blocks, double-free bitmap on (the default). \"empty\" "
                   "and \"live\": RTM_POOL_NOLOCK like the\n unlocked heaps, through the inline "
                   "rtm_pool_alloc_unlocked/rtm_pool_free_unlocked; \"empty\" = nothing "
                   "allocated,\n \"live\" = that many blocks held during the run: compare the two "
                   "pair_max_rep. \"no bitmap\": the same\n without the optional double-free "
                   "bitmap. A LIFO pair runs through the pool's hot slot: the free of the block\n"
                   " the slot just handed out needs no check, every other free is checked "
                   "(rtm_pool_t in pool.h). \"call\": the \"empty\"\n"
                   " pool through the out-of-line rtm_pool_alloc/rtm_pool_free; \"lock-free\": "
                   "RTM_POOL_LOCKFREE; \"locked\": the\n default mode, the port's critical section "
                   "(rtm_port_enter/exit) around each call.\n pair_max_rep: the max that reproduces "
                   "over %u series, as in W2)\n", WL_REP_SERIES);
        }
    }
    if (c->wl[WL_R]) {
        printf("\n== R real traces: smallest arena with no failed allocation (bisection to 1%%), "
               "its ratio to peak live bytes; latencies at 1.25 x that arena (realloc counted "
               "as alloc); ns%s ==\n", of);
        if (c->ntraces == 0u) {
            printf("no traces found (give --shared DIR or set RTMEM_SHARED)\n");
        } else {
            table_print(stdout, rs, "R", true, r, sizeof r / sizeof r[0]);
            printf("(min_arena - : the scheme has no arena (malloc, heap_3): latencies only.)\n");
        }
    }
}
