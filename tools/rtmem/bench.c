/* rtmem bench: the BENCH.md workloads, with ratios to the system malloc. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "cli.h"
#include "pools.h"
#include "replay.h"
#include "report.h"

static const char *const wl_names[WL_COUNT] = { "W1", "W2", "W3", "W4", "R" };

static const char *layout_name(void)
{
    return sizeof(void *) == 8u ? "64-bit" : "32-bit";
}

/* ---- the workloads, once over every selected scheme ------------------------ */

static void run_w1(bench_cfg_t *c, recs_t *rs)
{
    for (size_t i = 0; i < c->nsel; i++) {
        wl_result_t res;
        cli_progress("[bench] W1 on %s", c->sel[i]->name);
        rec_t *r = recs_add(rs, "W1", "", c->sel[i]->name, layout_name());
        if (r && wl_w1(c->sel[i], 256u * 1024u, cli_quick ? 20000u : 1000000u, 42u, &res) == 0) {
            rec_set_result(r, &res);
        }
    }
}

static void run_w2(bench_cfg_t *c, recs_t *rs)
{
    static const size_t ks[] = { 100u, 1000u, 10000u };
    for (size_t k = 0; k < sizeof ks / sizeof ks[0]; k++) {
        char variant[32];
        (void)snprintf(variant, sizeof variant, "K=%zu", ks[k]);
        for (size_t i = 0; i < c->nsel; i++) {
            wl_result_t res;
            cli_progress("[bench] W2 %s on %s", variant, c->sel[i]->name);
            rec_t *r = recs_add(rs, "W2", variant, c->sel[i]->name, layout_name());
            if (r && wl_w2(c->sel[i], 1024u * 1024u, ks[k], 1000u, &res) == 0) {
                rec_set_result(r, &res);
                r->m[M_K] = (double)res.k;
            }
        }
    }
}

static void run_w3(bench_cfg_t *c, recs_t *rs)
{
    char variant[32];
    (void)snprintf(variant, sizeof variant, "%s layout", layout_name());
    for (size_t i = 0; i < c->nsel; i++) {
        wl_result_t res;
        if (!(c->sel[i]->flags & SCHEME_ARENA)) {
            continue; /* no arena, no fill ratio */
        }
        cli_progress("[bench] W3 on %s", c->sel[i]->name);
        rec_t *r = recs_add(rs, "W3", variant, c->sel[i]->name, layout_name());
        if (r) {
            (void)snprintf(r->note, sizeof r->note, "%s", schemes_layout_note());
        }
        if (r && wl_w3(c->sel[i], 64u * 1024u, cli_quick ? 20u : 200u, &res) == 0) {
            r->m[M_FILL_MEAN] = res.fill_mean;
            r->m[M_FILL_MIN] = res.fill_min;
            r->m[M_FILL_RUNS] = (double)res.fill_runs;
        }
    }
}

static void add_pool_w4(recs_t *rs, const char *name, size_t capacity, size_t prefill,
                        pool_api_t api)
{
    pool_run_t pr;
    cli_progress("[bench] W4 on %s", name);
    if (pool_w4(capacity, prefill, cli_quick ? 1000u : 10000u, api, &pr) != 0) {
        return;
    }
    rec_t *r = recs_add(rs, "W4", "", name, layout_name());
    if (r) {
        rec_set_result(r, &pr.r);
    }
}

static void run_w4(bench_cfg_t *c, recs_t *rs)
{
    cli_progress("[bench] W4: the empty timed region in W4's loop");
    c->w4_startup_empty = tm_empty_mean_ticks();
    c->w4_empty = empty_w4_ticks(cli_quick ? 1000u : 10000u);
    if (c->w4_empty > 0.0) {
        tm_set_empty_mean_ticks(c->w4_empty);
    }
    for (size_t i = 0; i < c->nsel; i++) {
        wl_result_t res;
        cli_progress("[bench] W4 on %s", c->sel[i]->name);
        rec_t *r = recs_add(rs, "W4", "", c->sel[i]->name, layout_name());
        if (r && wl_w4(c->sel[i], 64u * 1024u, cli_quick ? 1000u : 10000u, &res) == 0) {
            rec_set_result(r, &res);
        }
    }
    if (pool_available()) {
        size_t big = cli_quick ? 10000u : 1000000u;
        char name[40];
        add_pool_w4(rs, "pool(empty)", big + 16u, 0u, POOL_INLINE);
        (void)snprintf(name, sizeof name, "pool(%zu live)", big);
        add_pool_w4(rs, name, big + 16u, big, POOL_INLINE);
        add_pool_w4(rs, "pool(no bitmap)", 64u, 0u, POOL_INLINE_NOBITMAP);
        add_pool_w4(rs, "pool(call)", 64u, 0u, POOL_CALL);
        add_pool_w4(rs, "pool(lock-free)", 64u, 0u, POOL_LOCKFREE);
        add_pool_w4(rs, "pool(locked)", 64u, 0u, POOL_LOCKED);
    }
    wl_result_t fl;
    cli_progress("[bench] W4 on the bare list (floor)");
    if (floor_w4(cli_quick ? 1000u : 10000u, &fl) == 0) {
        rec_t *r = recs_add(rs, "W4", "", "floor(bare list)", layout_name());
        if (r) {
            rec_set_result(r, &fl);
        }
    }
    tm_set_empty_mean_ticks(c->w4_startup_empty); /* later workloads keep the start-up figure */
}

static void find_arenas(bench_cfg_t *c)
{
    for (size_t t = 0; t < c->ntraces; t++) {
        for (size_t i = 0; i < c->nsel; i++) {
            cli_progress("[bench] R: smallest arena for %s on %s (bisection)",
                         cli_basename(c->trace_names[t]), c->sel[i]->name);
            c->min_arena[t][i] = replay_min_arena(c->sel[i], &c->traces[t], &c->probes[t][i]);
        }
    }
    c->arena_done = true;
}

static void run_r(bench_cfg_t *c, recs_t *rs)
{
    if (!c->arena_done) {
        find_arenas(c);
    }
    for (size_t t = 0; t < c->ntraces; t++) {
        const trace_t *tr = &c->traces[t];
        for (size_t i = 0; i < c->nsel; i++) {
            size_t a = c->min_arena[t][i];
            /* 1.25 x the smallest arena; schemes without an arena ignore the size. */
            size_t arena = a ? a + a / 4u : tr->peak_live_bytes * 2u;
            replay_opts_t o = { 0, true, false, false, NULL, NULL };
            replay_result_t rr;
            cli_progress("[bench] R: %s on %s", cli_basename(c->trace_names[t]), c->sel[i]->name);
            rec_t *r = recs_add(rs, "R", cli_basename(c->trace_names[t]), c->sel[i]->name, layout_name());
            if (!r) {
                continue;
            }
            r->m[M_PEAK] = (double)tr->peak_live_bytes;
            if (a) {
                r->m[M_ARENA] = (double)a;
                r->m[M_RATIO] = (double)a / (double)tr->peak_live_bytes;
                r->m[M_PROBES] = (double)c->probes[t][i];
            }
            if (replay_run(c->sel[i], tr, arena, &o, &rr) == 0 && !rr.init_failed) {
                wl_result_t res;
                replay_as_result(&rr, &res);
                rec_set_result(r, &res);
            }
        }
    }
}

static void run_once(bench_cfg_t *c, recs_t *rs)
{
    void (*const fn[WL_COUNT])(bench_cfg_t *, recs_t *) = { run_w1, run_w2, run_w3, run_w4, run_r };
    for (size_t w = 0; w < WL_COUNT; w++) {
        if (c->wl[w]) {
            fn[w](c, rs);
        }
    }
}

/* ---- W3 in the 32-bit binary ---------------------------------------------- */

/* Run rtmem32 and read its records; if this kernel cannot execute 32-bit
 * binaries (ia32 emulation off), run it under qemu-i386 when installed: W3
 * is not timed, so the emulator changes nothing in its figures. */
static int run_w3_32(const bench_cfg_t *c, recs_t *rs, char *why, size_t whylen, char *how,
                     size_t howlen)
{
    char exe[PATH_MAX + 16];
    (void)snprintf(exe, sizeof exe, "%s/rtmem32", cli_exe_dir());
    if (access(exe, X_OK) != 0) {
        (void)snprintf(why, whylen, "%s not built (no -m32 toolchain when CMake ran; Debian: "
                       "apt-get install gcc-multilib, then re-run cmake)", exe);
        return -1;
    }
    static const char *const runners[] = { "", "qemu-i386 " };
    int st = 0;
    for (size_t k = 0; k < sizeof runners / sizeof runners[0]; k++) {
        char cmd[PATH_MAX + 700];
        (void)snprintf(cmd, sizeof cmd, "%s'%s' bench --child --workload W3 --runs %u%s%s 2>/dev/null",
                       runners[k], exe, c->runs, cli_quick ? " --quick" : "", c->scheme_args);
        FILE *p = popen(cmd, "r");
        if (!p) {
            continue;
        }
        size_t got = recs_read_lines(p, rs);
        st = pclose(p);
        if (st == 0 && got > 0u) {
            (void)snprintf(how, howlen, "%s%s", runners[k][0] ? "under " : "natively",
                           runners[k][0] ? "qemu-i386 user-mode emulation (W3 is not timed)" : "");
            return 0;
        }
    }
    (void)snprintf(why, whylen, "%s cannot run here (status %d): this kernel does not execute "
                   "32-bit binaries (ia32 emulation off) and qemu-i386 (Debian: qemu-user) is not "
                   "available", exe, st);
    return -1;
}

/* ---- code sizes ------------------------------------------------------------ */

static FILE *open_sizes(const char *given, char *path, size_t len)
{
    if (given) {
        (void)snprintf(path, len, "%s", given);
        return fopen(path, "r");
    }
    const char *cands[] = { "build/cross/sizes-cortex-m4.txt", "../cross/sizes-cortex-m4.txt",
                            "../../cross/sizes-cortex-m4.txt", "../../../cross/sizes-cortex-m4.txt" };
    for (size_t b = 0; b < 2u; b++) {
        for (size_t i = 0; i < sizeof cands / sizeof cands[0]; i++) {
            if (b == 0u) {
                (void)snprintf(path, len, "%s", cands[i]);
            } else {
                (void)snprintf(path, len, "%s/%s", cli_exe_dir(), cands[i]);
            }
            FILE *f = fopen(path, "r");
            if (f) {
                return f;
            }
        }
    }
    return NULL;
}

static int print_sizes(const char *given)
{
    char path[PATH_MAX];
    FILE *f = open_sizes(given, path, sizeof path);
    printf("\n== Code size, Cortex-M4 (arm-none-eabi-gcc -Os -mcpu=cortex-m4 -mthumb, "
           "assertions off, heap array excluded) ==\n");
    if (!f) {
        printf("%s. Produce it with `make cross` (writes build/cross/sizes-cortex-m4.txt, lines\n"
               "\"scheme text data bss\"), then run `rtmem bench --sizes [FILE]`.\n",
               given ? "cannot open the file given" : "no size table found");
        return given ? 1 : 0;
    }
    printf("from %s\n%-16s %8s %8s %8s %10s\n", path, "scheme", "text", "data", "bss", "text+data");
    char line[256];
    while (fgets(line, sizeof line, f)) {
        char name[64];
        unsigned long t, d, b;
        if (line[0] != '#' && sscanf(line, "%63s %lu %lu %lu", name, &t, &d, &b) == 4) {
            printf("%-16s %8lu %8lu %8lu %10lu\n", name, t, d, b, t + d);
        }
    }
    (void)fclose(f);
    return 0;
}

/* ---- options ------------------------------------------------------------- */

static int parse(bench_cfg_t *c, int argc, char **argv, const char **sizes, bool *sizes_only,
                 const char **shared_given)
{
    bool any_wl = false;
    const char *names[BENCH_MAX_SEL];
    size_t nnames = 0;
    c->runs = 1;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--workload") == 0 && v) {
            size_t w = 0;
            while (w < WL_COUNT && strcmp(wl_names[w], v) != 0) {
                w++;
            }
            if (w == WL_COUNT) {
                fprintf(stderr, "rtmem bench: unknown workload '%s' (W1, W2, W3, W4, R)\n", v);
                return 2;
            }
            c->wl[w] = true;
            any_wl = true;
            i++;
        } else if (strcmp(a, "--scheme") == 0 && v && nnames < BENCH_MAX_SEL) {
            names[nnames++] = v;
            size_t l = strlen(c->scheme_args);
            (void)snprintf(c->scheme_args + l, sizeof c->scheme_args - l, " --scheme '%s'", v);
            i++;
        } else if (strcmp(a, "--plugin") == 0 && v) {
            char err[512];
            if (schemes_load_plugin(v, err, sizeof err) != 0) {
                fprintf(stderr, "rtmem bench: %s\n", err);
                return 2;
            }
            i++;
        } else if (strcmp(a, "--json") == 0 && v) {
            c->json = v;
            i++;
        } else if (strcmp(a, "--runs") == 0 && v) {
            c->runs = (unsigned)strtoul(v, NULL, 10);
            if (c->runs == 0u || c->runs > 1000u) {
                fprintf(stderr, "rtmem bench: --runs takes 1..1000\n");
                return 2;
            }
            i++;
        } else if (strcmp(a, "--shared") == 0 && v) {
            *shared_given = v;
            i++;
        } else if (strcmp(a, "--sizes") == 0) {
            *sizes_only = true;
            if (v && v[0] != '-') {
                *sizes = v;
                i++;
            }
        } else if (strcmp(a, "--quick") == 0) {
            cli_quick = true;
        } else if (strcmp(a, "--child") == 0) {
            c->child = true;
        } else if (strcmp(a, "--scheme") == 0 && v) {
            fprintf(stderr, "rtmem bench: at most %d --scheme options\n", BENCH_MAX_SEL);
            return 2;
        } else {
            static const char *const valued[] = { "--workload", "--scheme", "--plugin", "--json",
                                                  "--runs", "--shared", NULL };
            return cli_bad_arg("bench", a, valued);
        }
    }
    for (size_t w = 0; w < WL_COUNT; w++) {
        c->wl[w] = c->wl[w] || !any_wl;
    }
    size_t ns;
    const scheme_t *s = schemes_all(&ns);
    for (size_t i = 0; i < ns && c->nsel < BENCH_MAX_SEL; i++) {
        bool want = nnames == 0u || (s[i].flags & (SCHEME_PLUGIN | SCHEME_REFERENCE));
        for (size_t k = 0; k < nnames && !want; k++) {
            want = strcmp(names[k], s[i].name) == 0;
        }
        if (want) {
            c->sel[c->nsel++] = &s[i];
        }
    }
    for (size_t k = 0; k < nnames; k++) {
        if (!scheme_find(names[k]) && !c->child) {
            fprintf(stderr, "rtmem bench: unknown scheme '%s' (built in: %s)\n", names[k],
                    schemes_builtin_names());
            return 2;
        }
    }
    return 0;
}

static int load_traces(bench_cfg_t *c, const char *given)
{
    char shared[PATH_MAX];
    if (cli_find_shared(given, shared, sizeof shared) != 0) {
        return 0;
    }
    size_t n = cli_list_traces(shared, c->trace_names, BENCH_MAX_TRACES);
    for (size_t t = 0; t < n; t++) {
        trace_error_t err;
        cli_progress("[bench] loading %s", cli_basename(c->trace_names[t]));
        if (trace_load(&c->traces[c->ntraces], c->trace_names[t], &err) != 0) {
            cli_progress_done();
            cli_trace_error("bench", c->trace_names[t], err.line, err.reason);
            return -1;
        }
        if (c->ntraces != t) {
            memcpy(c->trace_names[c->ntraces], c->trace_names[t], sizeof c->trace_names[0]);
        }
        c->ntraces++;
    }
    return 0;
}

int cmd_bench(int argc, char **argv)
{
    static bench_cfg_t c;
    memset(&c, 0, sizeof c);
    const char *sizes = NULL, *shared_given = NULL;
    bool sizes_only = false;
    int rc = parse(&c, argc, argv, &sizes, &sizes_only, &shared_given);
    if (rc != 0) {
        return rc;
    }
    if (sizes_only) {
        return print_sizes(sizes);
    }
    if (c.wl[WL_R] && load_traces(&c, shared_given) != 0) {
        return 1;
    }
    tm_init();
    int cpu = tm_pin_cpu();
    if (!c.child) {
        printf("rtmem bench%s\n", cli_quick ? " (--quick: shortened, numbers not comparable)" : "");
        printf("build: %s\n", cli_build_line());
        printf("timer: %s per op, calibrated against CLOCK_MONOTONIC: %.4f ticks/ns; empty timed "
               "region %llu ticks, subtracted; counter resolution %.1f ns (single ops below it "
               "read as 0 or one step; the means, over the fastest 99%%, resolve them; ratios for both)\n",
               tm_source(), tm_ghz(), (unsigned long long)tm_empty_ticks(), tm_resolution_ns());
        printf("cpu: %s%d; warm-up: one short W1 + W4 pass per scheme; runs: %u\n",
               cpu >= 0 ? "pinned to CPU " : "not pinned ", cpu, c.runs);
        printf("schemes:");
        for (size_t i = 0; i < c.nsel; i++) {
            printf(" %s [%s; realloc %s]%s", c.sel[i]->name, c.sel[i]->desc,
                   scheme_realloc_kind(c.sel[i]), i + 1u < c.nsel ? ";" : "\n");
        }
    }
    for (size_t i = 0; i < c.nsel; i++) {
        wl_result_t res;
        cli_progress("[bench] warm-up %s", c.sel[i]->name);
        (void)wl_w1(c.sel[i], 256u * 1024u, 50000u, 42u, &res);
        (void)wl_w4(c.sel[i], 64u * 1024u, 1000u, &res);
    }
    recs_t *runs = calloc(c.runs, sizeof *runs);
    recs_t rs = { 0 };
    if (!runs) {
        return 1;
    }
    for (unsigned k = 0; k < c.runs; k++) {
        if (c.runs > 1u) {
            cli_progress("[bench] run %u/%u", k + 1u, c.runs);
        }
        run_once(&c, &runs[k]);
    }
    rc = recs_median(&rs, runs, c.runs);
    for (unsigned k = 0; k < c.runs; k++) {
        recs_release(&runs[k]);
    }
    free(runs);
    cli_progress_done();
    if (c.child) {
        recs_write_lines(stdout, &rs);
    } else {
        char why[PATH_MAX + 300], how[128];
        const char *w3_why = NULL, *w3_how = NULL;
        if (c.wl[WL_W3] && sizeof(void *) != 4u) {
            cli_progress("[bench] W3 in rtmem32 (32-bit layout)");
            if (run_w3_32(&c, &rs, why, sizeof why, how, sizeof how) != 0) {
                w3_why = why;
            } else {
                w3_how = how;
            }
            cli_progress_done();
        }
        bench_print_tables(&c, &rs, w3_why, w3_how);
        if (!c.wl[WL_W1] || !c.wl[WL_R] || !c.wl[WL_W2]) {
            /* a partial run: the size table belongs to the full report */
        } else {
            (void)print_sizes(NULL);
        }
        if (c.json) {
            char head[1024];
            (void)snprintf(head, sizeof head,
                           "  \"tool\": \"rtmem bench\",\n  \"build\": \"%s\",\n"
                           "  \"timer\": {\"source\": \"%s\", \"ticks_per_ns\": %.6f, "
                           "\"empty_region_ticks\": %llu, \"resolution_ns\": %.2f},\n  \"pinned_cpu\": %d,\n"
                           "  \"runs\": %u,\n  \"quick\": %s",
                           cli_build_line(), tm_source(), tm_ghz(),
                           (unsigned long long)tm_empty_ticks(), tm_resolution_ns(), cpu, c.runs,
                           cli_quick ? "true" : "false");
            if (recs_write_json(c.json, head, &rs) != 0) {
                fprintf(stderr, "rtmem bench: cannot write %s\n", c.json);
                rc = 1;
            } else {
                printf("\nJSON: %s\n", c.json);
            }
        }
    }
    recs_release(&rs);
    for (size_t t = 0; t < c.ntraces; t++) {
        trace_free(&c.traces[t]);
    }
    return rc;
}
