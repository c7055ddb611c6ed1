/* CMSIS-RTOS v1 osPool* over rtm_pool. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

/* Built twice (tests/pool.cmake): with rtmem's own declarations, and after a
 * v1 cmsis_os.h declared the way the upstream template is (tests/stubs/
 * cmsis_v1), whose osPoolDef gives no memory. */
#ifdef TEST_OS1_HEADER
#include "cmsis_os.h"
_Static_assert(RTM_TEST_STUB_CMSIS_OS == 1, "the stub cmsis_os.h is in use");
#endif
#include "rtmem/cmsis_os_pool.h"
#include "test_fault_count.h"

struct rec {
    uint32_t a;
    double b;
};

RTM_OS_POOL_DEF(recs, 5, struct rec); /* rtmem's static form, under any cmsis_os.h */
osPoolDef(up, 3, struct rec);          /* the osPoolDef in use (upstream's in the stub build) */

static void test_v1_pool(void **state)
{
    (void)state;
    assert_null(osPoolCreate(NULL));
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

/* rtmem's osPoolDef made under another configuration than the library (its
 * control block another size): refused, the control block untouched. */
static void test_v1_pool_other_layout(void **state)
{
    (void)state;
    uint8_t before[sizeof os_pool_cb_recs];
    os_pool_x_recs.cb_size = (uint32_t)sizeof(rtm_pool_t) - 4u; /* as a smaller layout says */
    memcpy(before, &os_pool_cb_recs, sizeof before);
    assert_null(osPoolCreate(osPool(recs)));
    assert_memory_equal(before, &os_pool_cb_recs, sizeof before);
    os_pool_x_recs.cb_size = (uint32_t)sizeof(rtm_pool_t) + 8u;
    assert_null(osPoolCreate(osPool(recs)));
    os_pool_x_recs.cb_size = (uint32_t)sizeof(rtm_pool_t); /* as the macro wrote it */
    osPoolId id = osPoolCreate(osPool(recs));
    assert_non_null(id);
    assert_int_equal(rtm_pool_deinit((rtm_pool_t *)(void *)id), RTM_OK);
}

/* What an upstream osPoolDef gives: no memory (the template: control block
 * and storage from the RTOS's memory), or RTX's word array of
 * 3 + ceil(item/4) * count words (the blocks there, the control block from
 * the RTOS's memory). Bad blocks give their status without a trap. */
static void test_upstream_defs(void **state)
{
    (void)state;
    const osPoolDef_t nomem = {4, 8, NULL};
    osPoolId a = osPoolCreate(&nomem);
    assert_non_null(a);
    void *x = osPoolAlloc(a);
    assert_non_null(x);
    assert_int_equal(osPoolFree(a, x), osOK);
    assert_int_equal(osPoolFree(a, x), osErrorValue); /* double free, no trap */
    static uint32_t rtx_words[3 + ((sizeof(struct rec) + 3) / 4) * 6];
    const osPoolDef_t rtx = {6, sizeof(struct rec), rtx_words};
    osPoolId b = osPoolCreate(&rtx);
    assert_non_null(b);
    for (int i = 0; i < 6; i++) {
        uint8_t *r = osPoolCAlloc(b);
        assert_non_null(r);
        assert_true(r >= (uint8_t *)rtx_words && r + sizeof(struct rec) <= (uint8_t *)(rtx_words + 3 + ((sizeof(struct rec) + 3) / 4) * 6));
    }
    assert_null(osPoolAlloc(b));
    osPoolId c = osPoolCreate(osPool(up));
    assert_non_null(c);
    for (int i = 0; i < 3; i++) {
        assert_non_null(osPoolAlloc(c));
    }
    assert_null(osPoolAlloc(c));
    assert_int_equal(rtm_pool_check((rtm_pool_t *)(void *)c, NULL), RTM_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v1_pool),
        cmocka_unit_test(test_upstream_defs),
        cmocka_unit_test(test_v1_pool_other_layout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
