/* CMSIS-RTOS v1 osPool* over rtm_pool. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "rtmem/cmsis_os_pool.h"

struct rec {
    uint32_t a;
    double b;
};

osPoolDef(recs, 5, struct rec);

static int g_faults;

static void hook(void *user, rtm_err_t reason, const void *obj, const void *ptr)
{
    (void)user;
    (void)reason;
    (void)obj;
    (void)ptr;
    g_faults++;
}

static void test_v1_pool(void **state)
{
    (void)state;
    assert_null(osPoolCreate(NULL));
    const osPoolDef_t nomem = {4, 8, NULL}; /* the upstream macro's form: no memory */
    assert_null(osPoolCreate(&nomem));
    assert_null(osPoolAlloc(NULL));
    assert_null(osPoolCAlloc(NULL));
    assert_int_equal(osPoolFree(NULL, NULL), osErrorParameter);

    osPoolId id = osPoolCreate(osPool(recs));
    assert_non_null(id);
    rtm_pool_set_fault_hook((rtm_pool_t *)(void *)id, hook, NULL);
    struct rec *r[5];
    for (int i = 0; i < 5; i++) {
        r[i] = (i & 1) ? osPoolCAlloc(id) : osPoolAlloc(id);
        assert_non_null(r[i]);
        assert_int_equal((uintptr_t)r[i] % _Alignof(struct rec), 0);
        if (i & 1) {
            assert_int_equal(r[i]->a, 0);
        }
        r[i]->a = 0xFFFFFFFFu;
    }
    assert_null(osPoolAlloc(id));
    assert_null(osPoolCAlloc(id));
    assert_int_equal(osPoolFree(id, r[2]), osOK);
    struct rec *z = osPoolCAlloc(id);
    assert_ptr_equal(z, r[2]);
    assert_int_equal(z->a, 0); /* zero-filled */
    g_faults = 0;
    assert_int_equal(osPoolFree(id, NULL), osErrorParameter);
    assert_int_equal(osPoolFree(id, (uint8_t *)r[1] + 2), osErrorValue);
    static uint32_t foreign;
    assert_int_equal(osPoolFree(id, &foreign), osErrorValue);
    assert_int_equal(osPoolFree(id, r[1]), osOK);
    assert_int_equal(osPoolFree(id, r[1]), osErrorValue); /* double free */
    assert_int_equal(g_faults, 3);
    assert_int_equal(rtm_pool_check((rtm_pool_t *)(void *)id, NULL), RTM_OK);
    rtm_port_posix_set_isr(true);
    assert_null(osPoolCreate(osPool(recs))); /* not from an ISR */
    assert_non_null(osPoolAlloc(id));         /* alloc is fine there */
    rtm_port_posix_set_isr(false);
    /* a destroyed pool is an invalid id */
    assert_int_equal(rtm_pool_deinit((rtm_pool_t *)(void *)id), RTM_OK);
    assert_null(osPoolAlloc(id));
    assert_int_equal(osPoolFree(id, r[0]), osErrorParameter);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v1_pool),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
