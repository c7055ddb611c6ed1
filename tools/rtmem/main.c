/* rtmem host tool: the command table, help, and dispatch. Exit codes: 0 ok,
 * 1 a failure (a test, a check, a trace that does not fit), 2 a usage error. */
#include <stdio.h>
#include <string.h>

#include "advise.h"
#include "cli.h"
#include "schemes.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *usage; /* the options, after "rtmem NAME" */
    const char *help;  /* what it does, for `rtmem NAME --help` */
} command_t;

static int cmd_help_run(int argc, char **argv);

static const command_t commands[] = {
    { "demo", cmd_demo, "[--shared DIR] [--html FILE]",
      "The whole memory system at work: a small application on task stacks, pools, a\n"
      "static queue, heaps, a partition with a quota, memory protection, leak and\n"
      "corruption detection, with a recorded trace turned into a memory plan, a short\n"
      "benchmark of the schemes beside the system malloc, and the memory report in the\n"
      "terminal and as a page with plots (--html, default report.html). Exits 1 if any\n"
      "part of the scene did not behave as it should. DIR: --shared, $RTMEM_SHARED, or\n"
      "../shared found upwards from the current and the executable's directory." },
    { "bench", cmd_bench,
      "[--workload W1|W2|W3|W4|R ...] [--scheme NAME ...] [--plugin LIB.so ...]\n"
      "       [--runs N] [--json FILE] [--shared DIR] [--sizes [FILE]]",
      "The BENCH.md workloads (default: all), timed per operation with lfence;rdtsc,\n"
      "pinned to one CPU, after one warm-up; tables give each scheme's ratio to the\n"
      "system malloc. --runs N reports the medians of N runs; --json writes every\n"
      "number. W3 also runs in rtmem32 (32-bit layout) when that binary was built.\n"
      "--sizes prints the Cortex-M4 code sizes (from `make cross`) and exits. W2 and W4\n"
      "also give *_max_rep, the max that reproduces: the ops run in 41 series and each\n"
      "keeps its mean without the 8 largest times. Plugins: include/rtmem/bench_plugin.h." },
    { "replay", cmd_replay, "TRACE [--scheme NAME] [--arena BYTES] [--max-arena BYTES] [--check]\n"
      "       [--plugin LIB.so ...]",
      "Replay a trace (../shared/TRACE.md) on one or all schemes. Without --arena, finds\n"
      "each scheme's smallest arena by bisection (within 1%, up to --max-arena, default\n"
      "64M) and recommends a scheme and configTOTAL_HEAP_SIZE (+25% margin). --check runs\n"
      "the scheme's integrity check after every event. BYTES takes K/M/G." },
    { "advise", cmd_advise, "TRACE [--scheme NAME] [--max-arena BYTES] [--html FILE|-]",
      "A memory plan from a trace: for every scheme the smallest heap that runs it, the\n"
      "worst fragmentation and the slowest operations seen at the configured size; the\n"
      "request sizes fixed pools should serve, their block counts and the heap they save;\n"
      "a recommendation with its reasons. Writes the plan with plots to --html (default\n"
      "report.html; - for none). Heaps are tried up to --max-arena (default 64M)." },
    { "decode", cmd_decode, "IN [-o OUT]",
      "Turn an rtmem binary trace drained from a device (rtmem/trace.h) or glibc mtrace\n"
      "output into trace text (TRACE.md) on stdout or OUT. replay and advise also take\n"
      "both formats directly." },
    { "selftest", cmd_selftest, "",
      "The corruption matrix: every scheme and pool kind against overruns, underruns,\n"
      "writes after free, double, interior and foreign frees, each in a child process;\n"
      "prints which are detected, harmless or not, for the hardening level this binary\n"
      "was built with. Exit 1 on a failure not listed as expected." },
    { "help", cmd_help_run, "[COMMAND]", "The list of commands, or one command's help." },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const command_t *find(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++) {
        if (strcmp(commands[i].name, name) == 0) {
            return &commands[i];
        }
    }
    return NULL;
}

void cli_usage(FILE *f, const char *name)
{
    const command_t *c = find(name);
    if (c) {
        fprintf(f, "usage: rtmem %s %s\n", c->name, c->usage);
    }
}

void cmd_help(FILE *f)
{
    fprintf(f, "rtmem: rtmem's memory system shown, measured and sized on this host.\n\n"
               "usage: rtmem <command> [options]   (rtmem <command> --help for one command)\n\n");
    for (size_t i = 0; i < NCOMMANDS; i++) {
        fprintf(f, "  %-7s %s\n", commands[i].name, commands[i].usage);
    }
    fprintf(f, "\nschemes built in: %s\n", schemes_builtin_names());
}

static int cmd_help_run(int argc, char **argv)
{
    const command_t *c = argc > 0 ? find(argv[0]) : NULL;
    if (argc > 0 && !c) {
        fprintf(stderr, "rtmem help: unknown command '%s'\n", argv[0]);
        return 2;
    }
    if (!c) {
        cmd_help(stdout);
        return 0;
    }
    printf("usage: rtmem %s %s\n\n%s\n", c->name, c->usage, c->help);
    return 0;
}

static bool asks_help(int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            return true;
        }
    }
    return false;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        cmd_help(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        cmd_help(stdout);
        return 0;
    }
    const command_t *c = find(argv[1]);
    if (!c) {
        fprintf(stderr, "rtmem: unknown command '%s'\nusage: rtmem <command> [options]; commands:",
                argv[1]);
        for (size_t i = 0; i < NCOMMANDS; i++) {
            fprintf(stderr, " %s", commands[i].name);
        }
        fprintf(stderr, "\n");
        return 2;
    }
    if (asks_help(argc - 2, argv + 2)) {
        char *one[1] = { argv[1] };
        return cmd_help_run(1, one);
    }
    return c->run(argc - 2, argv + 2);
}
