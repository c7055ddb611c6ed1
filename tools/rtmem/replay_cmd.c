/* rtmem replay: a user's trace on one or all schemes; sizing advice. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "advise.h"
#include "decode.h"
#include "replay.h"

static void print_check(const replay_result_t *rr, const scheme_t *s, bool check)
{
    if (!check) {
        return;
    }
    if (!s->check) {
        printf("  check: the scheme has no integrity check\n");
    } else if (rr->check_err != RTM_OK) {
        printf("  check: FAILED after line %zu: %s (%s)\n", rr->check_line, rr->check_what,
               rtm_err_str(rr->check_err));
    } else {
        printf("  check: ok after each of %zu events\n", rr->events);
    }
}

int cmd_replay(int argc, char **argv)
{
    const char *path = NULL, *only = NULL;
    size_t arena = 0, max_arena = 0;
    bool check = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--scheme") == 0 && v) {
            only = v;
            i++;
        } else if (strcmp(a, "--arena") == 0 && v) {
            if (!cli_parse_size(v, &arena) || arena == 0u) {
                fprintf(stderr, "rtmem replay: bad --arena '%s' (bytes, K/M/G allowed)\n", v);
                return 2;
            }
            i++;
        } else if (strcmp(a, "--max-arena") == 0 && v) {
            if (!cli_parse_size(v, &max_arena) || max_arena == 0u) {
                fprintf(stderr, "rtmem replay: bad --max-arena '%s' (bytes, K/M/G allowed)\n", v);
                return 2;
            }
            i++;
        } else if (strcmp(a, "--check") == 0) {
            check = true;
        } else if (strcmp(a, "--plugin") == 0 && v) {
            char err[512];
            if (schemes_load_plugin(v, err, sizeof err) != 0) {
                fprintf(stderr, "rtmem replay: %s\n", err);
                return 2;
            }
            i++;
        } else if (a[0] != '-' && !path) {
            path = a;
        } else {
            static const char *const valued[] = { "--scheme", "--arena", "--max-arena", "--plugin",
                                                  NULL };
            return cli_bad_arg("replay", a, valued);
        }
    }
    if (!path) {
        cli_usage(stderr, "replay");
        return 2;
    }
    size_t ns;
    const scheme_t *all = schemes_all(&ns);
    if (only && !scheme_find(only)) {
        fprintf(stderr, "rtmem replay: unknown scheme '%s' (built in: %s)\n", only,
                schemes_builtin_names());
        return 2;
    }
    trace_t t;
    trace_error_t err;
    if (trace_load_any(&t, path, &err) != 0) { /* text, binary or mtrace */
        cli_trace_error("replay", path, err.line, err.reason);
        return 1;
    }
    printf("trace %s: %zu events (%zu alloc, %zu free, %zu realloc), peak live %zu bytes in %zu "
           "blocks, %llu bytes asked for in all\n", path, t.n, t.n_alloc, t.n_free, t.n_realloc,
           t.peak_live_bytes, t.peak_live_blocks, (unsigned long long)t.total_alloc_bytes);
    if (t.leaked_blocks) {
        printf("leak report: %zu blocks (%zu bytes) are still live at the end of the trace\n",
               t.leaked_blocks, t.leaked_bytes);
    } else {
        printf("leak report: every block is freed by the end of the trace\n");
    }
    tm_init();
    int rc = 0;
    const scheme_t *best = NULL;
    size_t best_arena = 0, bisected = 0;
    for (size_t i = 0; i < ns; i++) {
        const scheme_t *s = &all[i];
        if (only && strcmp(only, s->name) != 0) {
            continue;
        }
        size_t a = arena, probes = 0;
        if (!arena) {
            if (!(s->flags & SCHEME_ARENA)) {
                printf("%-8s no arena (%s): not sized\n", s->name, s->desc);
                continue;
            }
            bisected++;
            cli_progress("[replay] %s: bisection", s->name);
            a = replay_min_arena_max(s, &t, max_arena ? max_arena : ADVISE_DEFAULT_MAX_ARENA,
                                     &probes);
            cli_progress_done();
            if (!a) {
                printf("%-8s no arena up to --max-arena %zu bytes runs the trace\n", s->name,
                       max_arena ? max_arena : ADVISE_DEFAULT_MAX_ARENA);
                continue;
            }
            if (!best || a < best_arena) {
                best = s;
                best_arena = a;
            }
        }
        replay_opts_t o = { 0, true, check, false, NULL, NULL };
        replay_result_t rr;
        cli_progress("[replay] %s", s->name);
        int r = replay_run(s, &t, a, &o, &rr);
        cli_progress_done();
        if (r != 0 || rr.init_failed) {
            printf("%-8s cannot set up an arena of %zu bytes\n", s->name, a);
            rc = 1;
            continue;
        }
        if (!arena) {
            printf("%-8s smallest arena %zu bytes (%.3f x peak live, %zu replays); "
                   "configTOTAL_HEAP_SIZE %zu (+25%%, rounded up to 8)\n", s->name, a,
                   (double)a / (double)(t.peak_live_bytes ? t.peak_live_bytes : 1u), probes,
                   replay_with_margin(a));
        } else {
            printf("%-8s arena %zu: %zu failed allocations", s->name, a, rr.failed);
            if (rr.failed) {
                printf(" (first at line %zu)", rr.first_fail_line);
                rc = 1;
            }
            printf("\n");
        }
        printf("  alloc ns median %.0f p99 %.0f max %.0f; free ns median %.0f p99 %.0f max %.0f",
               rr.alloc.med, rr.alloc.p99, rr.alloc.max, rr.free.med, rr.free.p99, rr.free.max);
        if (rr.have_stats && (s->flags & SCHEME_ARENA)) {
            printf("; min ever free %zu, largest free %zu at the end", rr.st.min_ever_free,
                   rr.st.largest_free);
        }
        printf("\n");
        print_check(&rr, s, check);
        if (rr.check_err != RTM_OK) {
            rc = 1;
        }
    }
    if (!best && bisected) {
        /* as advise: a trace that no scheme runs is a failure, not advice */
        printf("\nrecommendation: none: no scheme ran the trace within %zu bytes (raise --max-arena).\n",
               max_arena ? max_arena : ADVISE_DEFAULT_MAX_ARENA);
        rc = 1;
    }
    if (best) {
        size_t cfg = replay_with_margin(best_arena);
        printf("\nrecommendation: %s, configTOTAL_HEAP_SIZE = %zu (its smallest arena %zu + 25%% "
               "margin, rounded up to 8).\n", best->name, cfg, best_arena);
        const scheme_t *tl = scheme_find("tlsf");
        if (tl && tl != best && (!only || strcmp(only, "tlsf") == 0)) {
            printf("For bounded (O(1)) allocation time choose tlsf; size it from its line above.\n");
        }
    }
    trace_free(&t);
    return rc;
}
