/*
 * rtmem demo: the whole memory system at work. Runs the scene (rtmem-scene:
 * a small application on the host task runtime), turns its recorded trace
 * into a memory plan (advise), runs a short benchmark of the schemes beside
 * the system malloc, and ends with the memory report in the terminal and on
 * a page with plots. Between them, what firmware gets beside the heaps
 * (demo_fw.c): objects declared at compile time, and a task's MPU regions.
 * Exits 1 if anything in the scene or those sections did not behave.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "advise.h"
#include "cli.h"
#include "demo_fw.h"
#include "demo_report.h"
#include "pools.h"
#include "report.h"

static const col_t bench_cols[] = {
    { "alloc_mean_ns", M_ALLOC_MEAN, COL_NS },
    { "x malloc", M_ALLOC_MEAN, COL_RATIO },
    { "free_mean_ns", M_FREE_MEAN, COL_NS },
    { "x malloc", M_FREE_MEAN, COL_RATIO },
    { "alloc_max_ns", M_ALLOC_MAX, COL_NS },
    { "free_max_ns", M_FREE_MAX, COL_NS },
    { "failed", M_FAILED, COL_COUNT },
};

/* Run rtmem-scene (beside this executable) into `dir`; its output passes
 * through. Returns its exit code, or -1 when it cannot run. */
static int run_scene(const char *dir, bool quick)
{
    char exe[PATH_MAX];
    (void)snprintf(exe, sizeof exe, "%s/rtmem-scene", cli_exe_dir());
    if (access(exe, X_OK) != 0) {
        fprintf(stderr, "rtmem demo: %s not found (built with the tool from tools/rtmem)\n", exe);
        return -1;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        execl(exe, exe, dir, quick ? "--quick" : (char *)NULL, (char *)NULL);
        _exit(127);
    }
    int st = 0;
    if (pid < 0 || waitpid(pid, &st, 0) != pid) {
        return -1;
    }
    if (WIFSIGNALED(st)) {
        fprintf(stderr, "rtmem demo: the scene died of signal %d\n", WTERMSIG(st));
        return -1;
    }
    return WEXITSTATUS(st);
}

static void bench_summary(recs_t *rs, pool_run_t *pr, bool *have_pool)
{
    size_t ns;
    const scheme_t *s = schemes_all(&ns);
    const size_t steps = cli_quick ? 20000u : 200000u;
    tm_init();
    (void)tm_pin_cpu();
    for (size_t i = 0; i < ns; i++) { /* warm-up, dropped */
        wl_result_t res;
        (void)wl_w1(&s[i], 256u * 1024u, 5000u, 42u, &res);
    }
    for (size_t i = 0; i < ns; i++) {
        wl_result_t res;
        cli_progress("[demo] benchmark: W1 on %s", s[i].name);
        rec_t *r = recs_add(rs, "W1", "W1", s[i].name, "");
        if (r && wl_w1(&s[i], 256u * 1024u, steps, 42u, &res) == 0) {
            rec_set_result(r, &res);
        }
    }
    cli_progress_done();
    *have_pool = pool_available() &&
                 pool_w4(64u, 16u, cli_quick ? 1000u : 10000u, POOL_INLINE, pr) == 0;
}

/* A scheme that never frees fails most of W1 once its arena is full, so its
 * means time refusals: say so under the table rather than let them read as
 * speed. */
static void bench_notes(FILE *f, const recs_t *rs)
{
    size_t ns;
    const scheme_t *s = schemes_all(&ns);
    for (size_t i = 0; i < ns; i++) {
        const rec_t *r = recs_find(rs, "W1", "W1", s[i].name, "");
        if ((s[i].flags & SCHEME_NO_FREE) != 0u && r != NULL && r->m[M_FAILED] > 0.0) {
            fprintf(f, "note: %s never frees: once its arena is full every allocation is refused "
                       "at once, so its times are mostly refusals (%.0f failed); it is for memory "
                       "allocated once at start-up.\n", s[i].name, r->m[M_FAILED]);
        }
    }
}

int cmd_demo(int argc, char **argv)
{
    const char *html = "report.html";
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--shared") == 0 && i + 1 < argc) {
            i++; /* accepted for compatibility: the demo no longer reads shared traces */
        } else if (strcmp(argv[i], "--html") == 0 && i + 1 < argc) {
            html = strcmp(argv[i + 1], "-") == 0 ? NULL : argv[i + 1];
            i++;
        } else if (strcmp(argv[i], "--quick") == 0) {
            cli_quick = true;
        } else {
            bool valued = strcmp(argv[i], "--shared") == 0 || strcmp(argv[i], "--html") == 0;
            fprintf(stderr, valued ? "rtmem demo: %s needs a value\n" : "rtmem demo: unknown option '%s'\n",
                    argv[i]);
            cli_usage(stderr, "demo");
            return 2;
        }
    }
    double t0 = tm_wall();
    char dir[] = "/tmp/rtmem-demo-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("rtmem demo: mkdtemp");
        return 1;
    }
    printf("rtmem demo%s: the memory system of a small application, shown at work\n\n",
           cli_quick ? " (--quick)" : "");
    int scene_rc = run_scene(dir, cli_quick);
    demo_facts_t facts;
    if (scene_rc < 0 || demo_facts_load(&facts, dir) != 0) {
        fprintf(stderr, "rtmem demo: the scene gave no facts (%s)\n", dir);
        return 1;
    }
    unsigned fw_bad = demo_fw_print(&facts);
    char tpath[PATH_MAX];
    (void)snprintf(tpath, sizeof tpath, "%s/scene.trace", dir);
    trace_t t;
    trace_error_t err;
    advise_t a;
    bool planned = false;
    printf("\n== The recorded trace, turned into a memory plan (rtmem advise) ==\n");
    if (trace_load(&t, tpath, &err) == 0) {
        planned = advise_run(&a, &t, 0, NULL) == 0;
        if (planned) {
            advise_print(stdout, &a, "scene.trace");
        }
    } else {
        cli_trace_error("demo", tpath, err.line, err.reason);
        memset(&t, 0, sizeof t);
    }
    printf("\n== Benchmark (BENCH.md W1, shortened; this host, %s) ==\n", cli_build_line());
    recs_t rs = { 0 };
    pool_run_t pr;
    bool have_pool = false;
    bench_summary(&rs, &pr, &have_pool);
    table_print(stdout, &rs, "W1", false, bench_cols, sizeof bench_cols / sizeof bench_cols[0]);
    bench_notes(stdout, &rs);
    if (have_pool) {
        printf("pool alloc(32)+free pair (W4): mean %.1f ns\n", pr.r.alloc.mean);
    }
    printf("\n== Memory report ==\n");
    demo_report_print(stdout, &facts);
    if (html) {
        FILE *f = fopen(html, "w");
        if (f) {
            html_begin(f, "rtmem demo: memory report");
            demo_report_html(f, &facts, &rs);
            if (planned) {
                advise_html(f, &a, "the scene's recorded trace");
            }
            html_end(f);
            fclose(f);
            printf("\nreport page: %s\n", html);
        } else {
            fprintf(stderr, "rtmem demo: cannot write %s\n", html);
            scene_rc = 1;
        }
    }
    printf("\ndemo took %.1f s; the scene %s (%u expectations met, %u not)", tm_wall() - t0,
           scene_rc == 0 ? "behaved as it should" : "did NOT behave as it should",
           facts.expect_ok, facts.expect_failed);
    printf("%s.\n", fw_bad == 0u ? "" : "; the static and MPU sections did NOT (see above)");
    if (planned) {
        advise_release(&a);
    }
    trace_free(&t);
    recs_release(&rs);
    demo_facts_release(&facts);
    return scene_rc == 0 && planned && fw_bad == 0u ? 0 : 1;
}
