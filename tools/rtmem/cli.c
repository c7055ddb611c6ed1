/* The helpers every rtmem command shares (see cli.h). */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rtmem/common.h"

#ifndef RTM_TOOL_CFLAGS
#define RTM_TOOL_CFLAGS "unknown"
#endif

#ifndef RTM_TOOL_SHARED_DIR
#define RTM_TOOL_SHARED_DIR ""
#endif

bool cli_quick;

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
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno == ERANGE) {
        return false; /* strtoull saturated: the number is beyond any size */
    }
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

void cli_trace_error(const char *cmd, const char *path, size_t line, const char *reason)
{
    if (line != 0u) {
        fprintf(stderr, "rtmem %s: %s:%zu: %s\n", cmd, path, line, reason);
    } else {
        fprintf(stderr, "rtmem %s: %s: %s\n", cmd, path, reason);
    }
}

int cli_bad_arg(const char *cmd, const char *arg, const char *const *valued)
{
    for (size_t i = 0; valued && valued[i]; i++) {
        if (strcmp(arg, valued[i]) == 0) {
            fprintf(stderr, "rtmem %s: option '%s' needs a value\n", cmd, arg);
            return 2;
        }
    }
    if (arg[0] != '-') {
        fprintf(stderr, "rtmem %s: unexpected argument '%s'\n", cmd, arg);
    } else {
        fprintf(stderr, "rtmem %s: unknown option '%s'\n", cmd, arg);
    }
    return 2;
}
