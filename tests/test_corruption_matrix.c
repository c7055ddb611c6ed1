/*
 * The corruption matrix (tools/rtmem/matrix.c): every scheme and pool kind
 * against every stray write and bad free, each cell in a child process. A
 * cell must be detected, harmless or not applicable, unless the table of
 * expected failures in matrix.c lists it with its reason. Built once per
 * hardening level (RTMEM_CFG_HARDEN 0 and 2). The matrix is printed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "matrix.h"

static void test_matrix(void **state)
{
    (void)state;
    static mx_result_t r;
    mx_run(&r);
    mx_print(&r, stdout);
    assert_int_equal(r.bad, 0);
}

/* The cells in this process: the judge itself must see what it claims to.
 * A heap_4 double free is refused; heap_1 cannot free; an untouched pool
 * stays harmless. */
static void test_judge(void **state)
{
    (void)state;
    assert_int_equal(mx_cell(3, 8), MX_DETECTED);  /* heap_4, double free */
    assert_int_equal(mx_cell(0, 8), MX_NA);        /* heap_1, double free */
    assert_int_equal(mx_cell(6, 0), MX_HARMLESS);  /* pool, overrun 1 into used */
    assert_int_equal(mx_cell(5, 12), MX_DETECTED); /* tlsf, another instance's block */
    /* heap_2, overrun 1 and 4 into a free block's link: detected, and the
     * cell ends although the damaged heap refuses later frees (it once ran
     * into the child's alarm: the judge retried a refused free forever) */
    assert_int_equal(mx_cell(1, 3), MX_DETECTED);
    assert_int_equal(mx_cell(1, 4), MX_DETECTED);
    assert_string_equal(mx_attack_name(8), "double free, immediate");
    assert_string_equal(mx_scheme_name(3), "heap_4");
    assert_false(mx_acceptable(MX_BROKEN));
    assert_false(mx_acceptable(MX_CHECK_ONLY));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_judge),
        cmocka_unit_test(test_matrix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
