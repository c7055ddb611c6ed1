/* Pieces the rtmem commands share. */
#ifndef RTM_TOOL_CLI_H
#define RTM_TOOL_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

int cmd_demo(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_decode(int argc, char **argv);
int cmd_selftest(int argc, char **argv);
void cmd_help(FILE *f);
/* "usage: rtmem NAME OPTIONS" for one command (nothing for an unknown name). */
void cli_usage(FILE *f, const char *name);

/* Directory of the running executable ("" if unknown). */
const char *cli_exe_dir(void);

/* The shared directory (holding traces/): `given`, else $RTMEM_SHARED, else
 * ../shared, ../../shared, ... from the current directory and from the
 * executable's directory, else the path configured at build time. 0 = found. */
int cli_find_shared(const char *given, char *out, size_t len);

/* *.trace files in DIR/traces, sorted; returns the count (at most max). */
size_t cli_list_traces(const char *shared, char (*paths)[512], size_t max);

/* "flags '-O2 -DNDEBUG': -O2, assertions off" and the like. */
const char *cli_build_line(void);

/* Progress on stderr: overwritten in place on a terminal, one line otherwise. */
void cli_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_progress_done(void);

/* Parse a byte count with an optional K/M/G suffix (powers of 1024). */
bool cli_parse_size(const char *s, size_t *out);

const char *cli_basename(const char *path);

/* A trace that did not load, on stderr: "rtmem CMD: PATH:LINE: REASON", or
 * "rtmem CMD: PATH: REASON" when no line is to blame (line 0: the file
 * could not be read, a binary trace broke at a byte offset). */
void cli_trace_error(const char *cmd, const char *path, size_t line, const char *reason);

/* An argument that no option of command `cmd` took, said on stderr as what it
 * is: "option '--x' needs a value" when it is one of `valued` (a NULL-ended
 * list of the command's options that take one: the caller's parser took it
 * with its value if one followed),
 * "unexpected argument 'x'" for a word that is no option, else "unknown
 * option '--x'". Returns 2, the exit code of a usage error. */
int cli_bad_arg(const char *cmd, const char *arg, const char *const *valued);

/* Set by the hidden --quick flag: cut step counts (CTest smoke runs only). */
extern bool cli_quick;

#endif
