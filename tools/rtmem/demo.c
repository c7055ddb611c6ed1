/* rtmem demo: W1 and every shared trace on every scheme, in one table. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pools.h"
#include "replay.h"
#include "report.h"

#define DEMO_MAX_TRACES 16

static const col_t demo_cols[] = {
    { "failed", M_FAILED, COL_COUNT },
    { "min_ever_free", M_MIN_EVER_FREE, COL_BYTES },
    { "largest_free", M_LARGEST_FREE, COL_BYTES },
    { "free_blocks", M_FREE_BLOCKS, COL_COUNT },
    { "alloc_med_ns", M_ALLOC_MED, COL_NS },
    { "alloc_mean_ns", M_ALLOC_MEAN, COL_NS },
    { "alloc_max_ns", M_ALLOC_MAX, COL_NS },
    { "free_med_ns", M_FREE_MED, COL_NS },
    { "free_mean_ns", M_FREE_MEAN, COL_NS },
    { "free_max_ns", M_FREE_MAX, COL_NS },
};

int cmd_demo(int argc, char **argv)
{
    const char *given = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--shared") == 0 && i + 1 < argc) {
            given = argv[++i];
        } else if (strcmp(argv[i], "--quick") == 0) {
            cli_quick = true;
        } else {
            fprintf(stderr, "rtmem demo: unknown option '%s'\n", argv[i]);
            return 2;
        }
    }
    char shared[PATH_MAX];
    static char traces[DEMO_MAX_TRACES][512];
    size_t ntraces = 0;
    if (cli_find_shared(given, shared, sizeof shared) == 0) {
        ntraces = cli_list_traces(shared, traces, DEMO_MAX_TRACES);
    }
    size_t ns;
    const scheme_t *s = schemes_all(&ns);
    const size_t w1_steps = cli_quick ? 20000u : 1000000u;
    const size_t max_events = cli_quick ? 20000u : 0u;

    tm_init();
    int cpu = tm_pin_cpu();
    printf("rtmem demo%s\n", cli_quick ? " (--quick: shortened runs, a smoke test only)" : "");
    printf("build: %s\n", cli_build_line());
    printf("timer: %s, %.3f ticks/ns, empty region %llu ticks subtracted, resolution %.1f ns "
           "(faster single ops read 0: see the means, over the fastest 99%%); %s\n", tm_source(), tm_ghz(),
           (unsigned long long)tm_empty_ticks(), tm_resolution_ns(),
           cpu >= 0 ? "pinned to one CPU" : "not pinned");
    printf("schemes: ");
    for (size_t i = 0; i < ns; i++) {
        printf("%s%s (realloc %s)", i ? ", " : "", s[i].name, scheme_realloc_kind(&s[i]));
    }
    printf("\n");
    printf("W1: arena 256 KiB, %zu steps, seed 42 (BENCH.md); malloc and heap_3 have no arena limit.\n",
           w1_steps);
    if (ntraces) {
        printf("traces: %s/traces; arena rule: 2 x the trace's peak live bytes (first pass),\n"
               "        rounded up to 64 bytes; realloc counts as alloc in the latencies.\n",
               shared);
    } else {
        printf("traces: none found (give --shared DIR or set RTMEM_SHARED); W1 only.\n");
    }

    /* Warm up once: a short W1 on every scheme, results dropped. */
    for (size_t i = 0; i < ns; i++) {
        wl_result_t res;
        cli_progress("[demo] warm-up %s", s[i].name);
        (void)wl_w1(&s[i], 256u * 1024u, 20000u, 42u, &res);
    }

    recs_t rs = { 0 };
    size_t jobs = ns * (1u + ntraces), job = 0;
    double t0 = tm_wall();
    for (size_t i = 0; i < ns; i++) {
        wl_result_t res;
        cli_progress("[demo %zu/%zu, %.1f s] W1 on %s", ++job, jobs, tm_wall() - t0, s[i].name);
        rec_t *r = recs_add(&rs, "W1", "W1 (256 KiB)", s[i].name, "");
        if (r && wl_w1(&s[i], 256u * 1024u, w1_steps, 42u, &res) == 0) {
            rec_set_result(r, &res);
        }
    }
    int rc = 0;
    for (size_t t = 0; t < ntraces; t++) {
        trace_t tr;
        trace_error_t err;
        cli_progress("[demo %zu/%zu, %.1f s] loading %s", job, jobs, tm_wall() - t0, cli_basename(traces[t]));
        if (trace_load(&tr, traces[t], &err) != 0) {
            cli_progress_done();
            fprintf(stderr, "rtmem demo: %s:%zu: %s\n", traces[t], err.line, err.reason);
            rc = 1;
            continue;
        }
        size_t arena = (tr.peak_live_bytes * 2u + 63u) & ~(size_t)63u;
        char variant[64];
        (void)snprintf(variant, sizeof variant, "%s (%zu B)", cli_basename(traces[t]), arena);
        replay_opts_t o = { max_events, true, false, false, NULL, NULL };
        for (size_t i = 0; i < ns; i++) {
            replay_result_t rr;
            cli_progress("[demo %zu/%zu, %.1f s] %s on %s", ++job, jobs, tm_wall() - t0,
                         cli_basename(traces[t]), s[i].name);
            rec_t *r = recs_add(&rs, "R", variant, s[i].name, "");
            if (!r || replay_run(&s[i], &tr, arena, &o, &rr) != 0 || rr.init_failed) {
                continue;
            }
            wl_result_t res;
            replay_as_result(&rr, &res);
            rec_set_result(r, &res);
        }
        trace_free(&tr);
    }

    pool_run_t pr;
    bool have_pool = pool_available();
    if (have_pool) {
        cli_progress("[demo] W4 on a pool");
        have_pool = pool_w4(64u, 16u, cli_quick ? 1000u : 10000u, POOL_INLINE, &pr) == 0;
    }
    recs_t w4 = { 0 };
    for (size_t i = 0; i < ns; i++) {
        wl_result_t res;
        rec_t *r = recs_add(&w4, "W4", "", s[i].name, "");
        if (r && wl_w4(&s[i], 64u * 1024u, cli_quick ? 1000u : 10000u, &res) == 0) {
            rec_set_result(r, &res);
        }
    }
    cli_progress_done();

    printf("\n");
    table_print(stdout, &rs, NULL, true, demo_cols, sizeof demo_cols / sizeof demo_cols[0]);
    printf("(- = not applicable: malloc and heap_3 report no sizes; heap_1 cannot free, so its\n"
           " failures are real: it never reuses memory.)\n\n");

    printf("W4 (alloc(32)+free pairs, LIFO), ns of a pair, median/mean:");
    for (size_t i = 0; i < w4.n; i++) {
        printf(" %s %.0f/%.1f;", w4.v[i].scheme, w4.v[i].m[M_ALLOC_MED], w4.v[i].m[M_ALLOC_MEAN]);
    }
    if (have_pool) {
        printf(" pool %.0f/%.1f\n", pr.r.alloc.med, pr.r.alloc.mean);
        printf("pool in use: %zu blocks of %zu bytes, %zu held for the whole run, peak %zu used, "
               "%zu used at the end, %zu failed, check %s\n",
               pr.capacity, pr.stride, pr.prefilled, pr.peak_used, pr.used,
               pr.r.failed, rtm_err_str(pr.check));
    } else {
        printf("\npool: not built in (include/rtmem/pool.h missing)\n");
    }
    printf("\ndemo took %.1f s. More: rtmem bench (BENCH.md, ratios, --json), rtmem replay TRACE.\n",
           tm_wall() - t0);
    recs_release(&rs);
    recs_release(&w4);
    return rc;
}
