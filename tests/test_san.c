/*
 * rtmem/san.h: san_victim runs as a child process, either built with ASan
 * (rtmem without it, RTMEM_CFG_SAN=1) or under valgrind memcheck
 * (RTMEM_CFG_SAN=2, SAN_VALGRIND set to the valgrind command); each bug it
 * makes in its own code must be reported on stderr, naming the faulty line,
 * and a correct run must report nothing and exit 0.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#ifndef SAN_VICTIM
#error "SAN_VICTIM: path of the san_victim program"
#endif
#ifndef SAN_VICTIM_SRC
#error "SAN_VICTIM_SRC: path of san_victim.c"
#endif

/* Run the victim; its stderr in err (NUL-terminated), exit status returned
 * (-1 when killed). */
static int run(const char *mode, char *err, size_t cap)
{
    int fd[2];
    assert_int_equal(pipe(fd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fd[1], 2);
        close(fd[0]);
        close(fd[1]);
#ifdef SAN_VALGRIND
        execl(SAN_VALGRIND, SAN_VALGRIND, "--error-exitcode=9",
              "--suppressions=" SAN_SUPP, SAN_VICTIM, mode, (char *)NULL);
#else
        execl(SAN_VICTIM, SAN_VICTIM, mode, (char *)NULL);
#endif
        _exit(127);
    }
    close(fd[1]);
    size_t n = 0;
    ssize_t r;
    while ((r = read(fd[0], err + n, cap - 1u - n)) > 0) {
        n += (size_t)r;
        if (n == cap - 1u) {
            break;
        }
    }
    err[n] = '\0';
    close(fd[0]);
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The line of san_victim.c that holds "BUG: <mode>". */
static int bug_line(const char *mode)
{
    char want[64], line[256];
    snprintf(want, sizeof want, "/* BUG: %s */", mode);
    FILE *f = fopen(SAN_VICTIM_SRC, "r");
    assert_non_null(f);
    int n = 0, found = 0;
    while (fgets(line, sizeof line, f)) {
        n++;
        if (strstr(line, want)) {
            found = n;
        }
    }
    fclose(f);
    assert_true(found > 0);
    return found;
}

#ifdef SAN_VALGRIND
#define REPORT "Invalid write of size 1"
#else
#define REPORT "ERROR: AddressSanitizer: use-after-poison"
#endif

static void expect_report(const char *mode, const char *detail)
{
    static char err[1 << 16];
    char at[64];
    int rc = run(mode, err, sizeof err);
    snprintf(at, sizeof at, "san_victim.c:%d", bug_line(mode));
    if (strstr(err, REPORT) == NULL || strstr(err, detail) == NULL || strstr(err, at) == NULL) {
        fprintf(stderr, "%s", err);
    }
    assert_int_not_equal(rc, 0);
    assert_non_null(strstr(err, REPORT));
    assert_non_null(strstr(err, detail));
    assert_non_null(strstr(err, at));
}

#ifdef SAN_VALGRIND
#define UAF "is 3 bytes inside a block of size 61 free'd"
#define OVERRUN "Address 0x" /* memcheck names the nearer block, here the next one */
#define HEADER "Address 0x"
#else
#define UAF "WRITE of size 1"
#define OVERRUN "WRITE of size 1"
#define HEADER "WRITE of size 1"
#endif

static void test_use_after_free(void **state)
{
    (void)state;
    expect_report("uaf", UAF);
}

static void test_overrun_into_slack(void **state)
{
    (void)state;
    expect_report("overrun", OVERRUN);
}

static void test_header_write(void **state)
{
    (void)state;
    expect_report("header", HEADER);
}

/* No false report: the allocator's own header and link accesses are not
 * checked (ASan) or are suppressed (valgrind), the application's accesses to
 * live blocks are all allowed. */
static void expect_clean(const char *mode)
{
    static char err[1 << 16];
    int rc = run(mode, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "%s", err);
    }
    assert_int_equal(rc, 0);
#ifdef SAN_VALGRIND
    assert_non_null(strstr(err, "ERROR SUMMARY: 0 errors"));
#else
    assert_string_equal(err, "");
#endif
}

static void test_clean_run(void **state)
{
    (void)state;
    expect_clean("ok");
}

/* After rtm_san_unwatch() the whole span is the application's again. */
static void test_unwatch(void **state)
{
    (void)state;
    expect_clean("unwatch");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_use_after_free),
        cmocka_unit_test(test_overrun_into_slack),
        cmocka_unit_test(test_header_write),
        cmocka_unit_test(test_clean_run),
        cmocka_unit_test(test_unwatch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
