/* Tests of the rtmem trace v1 parser (tools/rtmem/trace.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "trace.h"

static int parse(trace_t *t, trace_error_t *e, const char *text)
{
    return trace_parse(t, text, strlen(text), e);
}

/* Parse `text`, expect failure at `line` with `reason` inside the message. */
static void expect_error(const char *text, size_t line, const char *reason)
{
    trace_t t;
    trace_error_t e;
    assert_int_equal(parse(&t, &e, text), -1);
    assert_int_equal(e.line, line);
    if (strstr(e.reason, reason) == NULL) {
        fail_msg("reason '%s' does not contain '%s'", e.reason, reason);
    }
    assert_null(t.ev);
    assert_int_equal(t.n, 0);
}

static void test_good_lines(void **state)
{
    (void)state;
    trace_t t;
    trace_error_t e;
    const char *text = "# rtmem-trace v1\r\n"
                       "# a comment\n"
                       "\n"
                       "a 7 100\n"
                       "  a\t8   50  \n"
                       "r 7 300\r\n"
                       "   # indented comment\n"
                       "f 8\n"
                       "a 8 20\n"   /* id reuse after free is allowed */
                       "f 7";       /* no final newline */
    assert_int_equal(parse(&t, &e, text), 0);
    assert_int_equal(t.n, 6);
    assert_int_equal(t.n_alloc, 3);
    assert_int_equal(t.n_free, 2);
    assert_int_equal(t.n_realloc, 1);
    assert_int_equal(t.ev[0].op, TRACE_ALLOC);
    assert_int_equal(t.ev[0].size, 100);
    assert_int_equal(t.ev[0].line, 4);
    assert_int_equal(t.ev[1].line, 5);
    assert_int_equal(t.ev[2].op, TRACE_REALLOC);
    assert_int_equal(t.ev[2].slot, t.ev[0].slot); /* same id, same slot */
    assert_int_equal(t.ev[2].size, 300);
    assert_int_equal(t.ev[3].op, TRACE_FREE);
    assert_int_equal(t.ev[3].slot, t.ev[1].slot);
    assert_int_equal(t.ev[5].line, 10);
    assert_int_equal(t.slots, 2);             /* never more than 2 live */
    assert_int_equal(t.peak_live_bytes, 350); /* 300 + 50 */
    assert_int_equal(t.peak_live_blocks, 2);
    assert_int_equal(t.total_alloc_bytes, 100 + 50 + 300 + 20);
    assert_int_equal(t.leaked_blocks, 1); /* id 8 (20 bytes) is still live */
    assert_int_equal(t.leaked_bytes, 20);
    trace_free(&t);
    assert_null(t.ev);
}

static void test_header_only_is_an_empty_trace(void **state)
{
    (void)state;
    trace_t t;
    trace_error_t e;
    assert_int_equal(parse(&t, &e, "# rtmem-trace v1\n"), 0);
    assert_int_equal(t.n, 0);
    assert_int_equal(t.leaked_blocks, 0);
    trace_free(&t);
}

static void test_bad_header(void **state)
{
    (void)state;
    expect_error("", 1, "bad header");
    expect_error("a 1 10\n", 1, "bad header");
    expect_error("# rtmem-trace v2\na 1 10\n", 1, "bad header");
    expect_error("#rtmem-trace v1\n", 1, "bad header");
    expect_error("# rtmem-trace v1 extra\n", 1, "bad header");
}

static void test_unknown_id(void **state)
{
    (void)state;
    expect_error("# rtmem-trace v1\na 1 10\nf 2\n", 3, "unknown id 2");
    expect_error("# rtmem-trace v1\na 1 10\nr 3 20\n", 3, "unknown id 3");
    /* freed once, then freed again: no longer live */
    expect_error("# rtmem-trace v1\na 1 10\nf 1\nf 1\n", 4, "unknown id 1");
    expect_error("# rtmem-trace v1\nf 0\n", 2, "unknown id 0");
}

static void test_duplicate_live_id(void **state)
{
    (void)state;
    expect_error("# rtmem-trace v1\na 1 10\na 2 10\na 1 30\n", 4, "duplicate live id 1");
}

static void test_malformed_lines(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "x 1 2", "a 1", "a 1 2 3", "f", "f 1 2", "a -1 5", "a 1 12abc", "a1 2", "aa 1 2",
        "r 1", "a 1 +5", "a 0x10 5", "a 1 1e3",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[128];
        (void)snprintf(text, sizeof text, "# rtmem-trace v1\na 1 8\n%s\n", bad[i]);
        trace_t t;
        trace_error_t e;
        if (parse(&t, &e, text) != -1) {
            fail_msg("accepted '%s'", bad[i]);
        }
        assert_int_equal(e.line, 3);
        if (strstr(e.reason, "malformed line") == NULL) {
            fail_msg("'%s': reason '%s'", bad[i], e.reason);
        }
    }
    static const char nul[] = "# rtmem-trace v1\na 1\0 8\n";
    trace_t t;
    trace_error_t e;
    assert_int_equal(trace_parse(&t, nul, sizeof nul - 1u, &e), -1);
    assert_int_equal(e.line, 2);
}

static void test_huge_numbers(void **state)
{
    (void)state;
    trace_t t;
    trace_error_t e;
    /* the largest id fits; one more does not */
    assert_int_equal(parse(&t, &e, "# rtmem-trace v1\na 18446744073709551615 8\nf 18446744073709551615\n"), 0);
    assert_int_equal(t.n, 2);
    trace_free(&t);
    expect_error("# rtmem-trace v1\na 18446744073709551616 8\n", 2, "number too large: id");
    expect_error("# rtmem-trace v1\na 1 99999999999999999999999\n", 2, "number too large: size");
    char text[128];
    (void)snprintf(text, sizeof text, "# rtmem-trace v1\na 1 %zu\na 2 %zu\n", (size_t)SIZE_MAX,
                   (size_t)1);
    expect_error(text, 3, "live bytes overflow");
}

/* Many sparse ids, freed in a scrambled order: exercises the id map's growth
 * and its backward-shift deletion. */
static void test_many_ids(void **state)
{
    (void)state;
    enum { N = 5000 };
    size_t cap = 64u * N;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t l = (size_t)snprintf(text, cap, "# rtmem-trace v1\n");
    for (unsigned i = 0; i < N; i++) {
        l += (size_t)snprintf(text + l, cap - l, "a %u 16\n", i * 2654435761u);
    }
    for (unsigned k = 0; k < N; k++) {
        unsigned i = (k * 7919u) % N; /* 7919 is prime and does not divide N: a permutation */
        l += (size_t)snprintf(text + l, cap - l, "f %u\n", i * 2654435761u);
    }
    trace_t t;
    trace_error_t e;
    int rc = trace_parse(&t, text, l, &e);
    if (rc != 0) {
        fail_msg("line %zu: %s", e.line, e.reason);
    }
    assert_int_equal(t.n, 2 * N);
    assert_int_equal(t.slots, N);
    assert_int_equal(t.peak_live_bytes, 16u * N);
    assert_int_equal(t.leaked_blocks, 0);
    trace_free(&t);
    free(text);
}

static void test_load_missing_file(void **state)
{
    (void)state;
    trace_t t;
    trace_error_t e;
    assert_int_equal(trace_load(&t, "/nonexistent/dir/x.trace", &e), -1);
    assert_int_equal(e.line, 0);
    assert_non_null(strstr(e.reason, "cannot open"));
}

static void test_load_file(void **state)
{
    (void)state;
    char path[] = "/tmp/rtm_test_trace_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs("# rtmem-trace v1\na 1 10\nf 1\na 2 5\n", f);
    assert_int_equal(fclose(f), 0);
    trace_t t;
    trace_error_t e;
    assert_int_equal(trace_load(&t, path, &e), 0);
    assert_int_equal(t.n, 3);
    assert_int_equal(t.leaked_blocks, 1);
    assert_int_equal(t.leaked_bytes, 5);
    trace_free(&t);
    (void)remove(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_lines),
        cmocka_unit_test(test_header_only_is_an_empty_trace),
        cmocka_unit_test(test_bad_header),
        cmocka_unit_test(test_unknown_id),
        cmocka_unit_test(test_duplicate_live_id),
        cmocka_unit_test(test_malformed_lines),
        cmocka_unit_test(test_huge_numbers),
        cmocka_unit_test(test_many_ids),
        cmocka_unit_test(test_load_missing_file),
        cmocka_unit_test(test_load_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
