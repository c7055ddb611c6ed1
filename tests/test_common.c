/* Tests of the shared pieces: error names, fault reporting, overflow helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "rtm_internal.h"
#include "rtmem/common.h"

static int g_calls;
static rtm_err_t g_reason;
static const void *g_ptr;

static void hook(void *user, rtm_err_t reason, const void *obj, const void *ptr)
{
    (void)obj;
    g_calls += *(int *)user;
    g_reason = reason;
    g_ptr = ptr;
}

static void test_err_str_names_every_code(void **state)
{
    (void)state;
    for (int e = RTM_OK; e >= RTM_ERR_UNEXPRESSIBLE; e--) {
        if (e == -19) {
            continue; /* the one unused number (common.h) */
        }
        const char *s = rtm_err_str((rtm_err_t)e);
        assert_non_null(s);
        assert_string_not_equal(s, "unknown error");
    }
    assert_string_equal(rtm_err_str((rtm_err_t)-999), "unknown error");
    assert_string_equal(rtm_err_str((rtm_err_t)-19), "unknown error");
    assert_string_equal(rtm_err_str(RTM_ERR_DOUBLE_FREE), "double free");
}

static void test_fault_raise_counts_and_calls_hook(void **state)
{
    (void)state;
    rtm_fault_t f;
    int one = 1;
    rtm_fault_init(&f);
    f.hook = hook;
    f.user = &one;
    g_calls = 0;
    int x = 0;
    assert_int_equal(rtm_fault_raise(&f, RTM_ERR_FOREIGN_PTR, NULL, &x), RTM_ERR_FOREIGN_PTR);
    assert_int_equal(g_calls, 1);
    assert_int_equal(g_reason, RTM_ERR_FOREIGN_PTR);
    assert_ptr_equal(g_ptr, &x);
    assert_int_equal(f.count, 1);
    assert_int_equal(f.last, RTM_ERR_FOREIGN_PTR);
    rtm_fault_raise(&f, RTM_ERR_CORRUPT, NULL, NULL);
    assert_int_equal(f.count, 2);
    assert_int_equal(f.last, RTM_ERR_CORRUPT);
}

static void test_overflow_helpers(void **state)
{
    (void)state;
    assert_false(rtm_add_overflows(1, 2));
    assert_true(rtm_add_overflows(SIZE_MAX, 1));
    assert_false(rtm_add_overflows(SIZE_MAX - 1, 1));
    assert_false(rtm_mul_overflows(SIZE_MAX, 1));
    assert_false(rtm_mul_overflows(0, SIZE_MAX));
    assert_true(rtm_mul_overflows(SIZE_MAX / 2 + 1, 2));
    assert_int_equal(rtm_align_up_checked(13, 8), 16);
    assert_int_equal(rtm_align_up_checked(16, 8), 16);
    assert_int_equal(rtm_align_up_checked(SIZE_MAX - 2, 8), 0);
}

static void test_check_fail_fills_report(void **state)
{
    (void)state;
    rtm_check_t r = {0};
    int x = 0;
    assert_int_equal(rtm_check_fail(&r, RTM_ERR_CORRUPT, &x, "bad"), RTM_ERR_CORRUPT);
    assert_int_equal(r.err, RTM_ERR_CORRUPT);
    assert_ptr_equal(r.where, &x);
    assert_string_equal(r.what, "bad");
    assert_int_equal(rtm_check_fail(NULL, RTM_ERR_ARG, NULL, "x"), RTM_ERR_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_err_str_names_every_code),
        cmocka_unit_test(test_fault_raise_counts_and_calls_hook),
        cmocka_unit_test(test_overflow_helpers),
        cmocka_unit_test(test_check_fail_fills_report),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
