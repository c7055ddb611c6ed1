/* rtmem host tool: entry point, help, and the helpers the commands share. */
#include "cli.h"

#include <dirent.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rtmem/common.h"
#include "schemes.h"

#ifndef RTM_TOOL_CFLAGS
#define RTM_TOOL_CFLAGS "unknown"
#endif
#ifndef RTM_TOOL_SHARED_DIR
#define RTM_TOOL_SHARED_DIR ""
#endif

bool cli_quick;

void cmd_help(FILE *f)
{
    fprintf(f,
        "rtmem: measure and size the rtmem allocators on this host.\n"
        "\n"
        "usage: rtmem <command> [options]\n"
        "\n"
        "  demo [--shared DIR]\n"
        "      Run the W1 workload of BENCH.md and replay every trace in DIR/traces on\n"
        "      every scheme, and print one table: failed allocations, minimum ever free,\n"
        "      largest free block and free blocks at the end, median and max ns of alloc\n"
        "      and free. Also W4 on a fixed-block pool. DIR: --shared, $RTMEM_SHARED, or\n"
        "      ../shared found upwards from the current and the executable's directory.\n"
        "\n"
        "  bench [--workload W1|W2|W3|W4|R ...] [--scheme NAME ...] [--plugin LIB.so ...]\n"
        "        [--runs N] [--json FILE] [--shared DIR] [--sizes [FILE]]\n"
        "      The BENCH.md workloads (default: all), timed per operation with\n"
        "      lfence;rdtsc, pinned to one CPU, after one warm-up; tables give each\n"
        "      scheme's ratio to the system malloc. --runs N reports the medians of N\n"
        "      runs; --json writes every number. W3 also runs in rtmem32 (32-bit\n"
        "      layout) when that binary was built. --sizes prints the Cortex-M4 code\n"
        "      sizes (build/cross/sizes-cortex-m4.txt from `make cross`) and exits.\n"
        "      W2 and W4 also give *_max_rep, the max that reproduces: the ops run in\n"
        "      41 series and each keeps its mean without the 8 largest times, so\n"
        "      preemption drops out and the mean resolves below the counter's step.\n"
        "      Plugins: see include/rtmem/bench_plugin.h.\n"
        "\n"
        "  replay TRACE [--scheme NAME] [--arena BYTES] [--check] [--plugin LIB.so ...]\n"
        "      Replay a trace (format: ../shared/TRACE.md) on one or all schemes. Without\n"
        "      --arena, finds each scheme's smallest arena by bisection (within 1%%) and\n"
        "      recommends a scheme and configTOTAL_HEAP_SIZE (+25%% margin). --check runs\n"
        "      the scheme's integrity check after every event. BYTES takes K/M/G.\n"
        "\n"
        "  decode IN [-o OUT]\n"
        "      Turn an rtmem binary trace drained from a device (rtmem/trace.h) or glibc\n"
        "      mtrace output into trace text (TRACE.md) on stdout or OUT. replay also\n"
        "      takes both formats directly.\n"
        "\n"
        "  selftest\n"
        "      The corruption matrix: every scheme and pool kind against overruns,\n"
        "      underruns, writes after free, double, interior and foreign frees, each\n"
        "      in a child process; prints which are detected, harmless or not, for\n"
        "      the hardening level this binary was built with. Exit 1 on a failure\n"
        "      not listed as expected.\n"
        "\n"
        "  help\n"
        "\n"
        "schemes built in: %s\n",
        schemes_builtin_names());
}

const char *cli_exe_dir(void)
{
    static char dir[PATH_MAX];
    static bool done;
    if (!done) {
        done = true;
        ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1u);
        if (n <= 0) {
            dir[0] = '\0';
        } else {
            dir[n] = '\0';
            char *slash = strrchr(dir, '/');
            if (slash) {
                *slash = '\0';
            }
        }
    }
    return dir;
}

static bool has_traces(const char *dir)
{
    char p[PATH_MAX];
    struct stat st;
    if ((size_t)snprintf(p, sizeof p, "%s/traces", dir) >= sizeof p) {
        return false;
    }
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int cli_find_shared(const char *given, char *out, size_t len)
{
    const char *env = getenv("RTMEM_SHARED");
    const char *first[2] = { given, env };
    for (size_t i = 0; i < 2u; i++) {
        if (first[i] && first[i][0]) {
            (void)snprintf(out, len, "%s", first[i]);
            return has_traces(out) ? 0 : -1; /* an explicit choice is never overridden */
        }
    }
    char cwd[PATH_MAX];
    const char *bases[2] = { getcwd(cwd, sizeof cwd) ? cwd : ".", cli_exe_dir() };
    for (size_t b = 0; b < 2u; b++) {
        char up[PATH_MAX] = "";
        for (int level = 1; level <= 6; level++) {
            size_t l = strlen(up);
            (void)snprintf(up + l, sizeof up - l, "../");
            if ((size_t)snprintf(out, len, "%s/%sshared", bases[b], up) < len && has_traces(out)) {
                char real[PATH_MAX];
                if (realpath(out, real)) {
                    (void)snprintf(out, len, "%s", real);
                }
                return 0;
            }
        }
    }
    (void)snprintf(out, len, "%s", RTM_TOOL_SHARED_DIR);
    return (out[0] && has_traces(out)) ? 0 : -1;
}

static int cmp_path(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

size_t cli_list_traces(const char *shared, char (*paths)[512], size_t max)
{
    char dir[PATH_MAX];
    (void)snprintf(dir, sizeof dir, "%s/traces", shared);
    DIR *d = opendir(dir);
    if (!d) {
        return 0;
    }
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < max) {
        size_t l = strlen(e->d_name);
        if (l > 6u && strcmp(e->d_name + l - 6u, ".trace") == 0 &&
            (size_t)snprintf(paths[n], sizeof paths[n], "%s/%s", dir, e->d_name) < sizeof paths[n]) {
            n++;
        }
    }
    (void)closedir(d);
    qsort(paths, n, sizeof paths[0], cmp_path);
    return n;
}

const char *cli_build_line(void)
{
    static char buf[256];
#if defined(__OPTIMIZE__)
    const char *opt = "optimised";
#else
    const char *opt = "NOT optimised (timings are not representative)";
#endif
#if RTMEM_CFG_ASSERT
    const char *as = "assertions ON (debug build: timings are not representative)";
#else
    const char *as = "assertions off";
#endif
    (void)snprintf(buf, sizeof buf, "flags '%s': %s, %s, %u-bit", RTM_TOOL_CFLAGS, opt, as,
                   (unsigned)(sizeof(void *) * CHAR_BIT));
    return buf;
}

static bool progress_open;

void cli_progress(const char *fmt, ...)
{
    va_list ap;
    bool tty = isatty(2) != 0;
    fputs(tty ? "\r\033[K" : "", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs(tty ? "" : "\n", stderr);
    fflush(stderr);
    progress_open = tty;
}

void cli_progress_done(void)
{
    if (progress_open) {
        fputs("\r\033[K", stderr);
        progress_open = false;
    }
}

bool cli_parse_size(const char *s, size_t *out)
{
    char *end;
    if (!s || *s < '0' || *s > '9') {
        return false;
    }
    unsigned long long v = strtoull(s, &end, 10);
    unsigned long long mul = 1;
    if (*end == 'K' || *end == 'k') {
        mul = 1024u;
        end++;
    } else if (*end == 'M' || *end == 'm') {
        mul = 1024u * 1024u;
        end++;
    } else if (*end == 'G' || *end == 'g') {
        mul = 1024u * 1024u * 1024u;
        end++;
    }
    if (*end != '\0' || v > (unsigned long long)SIZE_MAX / mul) {
        return false;
    }
    *out = (size_t)(v * mul);
    return true;
}

const char *cli_basename(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "-h") == 0) {
        cmd_help(stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "demo") == 0) {
        return cmd_demo(argc - 2, argv + 2);
    }
    if (strcmp(argv[1], "bench") == 0) {
        return cmd_bench(argc - 2, argv + 2);
    }
    if (strcmp(argv[1], "replay") == 0) {
        return cmd_replay(argc - 2, argv + 2);
    }
    if (strcmp(argv[1], "decode") == 0) {
        return cmd_decode(argc - 2, argv + 2);
    }
    if (strcmp(argv[1], "selftest") == 0) {
        return cmd_selftest(argc - 2, argv + 2);
    }
    fprintf(stderr, "rtmem: unknown command '%s'\n\n", argv[1]);
    cmd_help(stderr);
    return 2;
}
