/* CMSIS-RTOS v1 osPool* with the v1-on-v2 compatibility cmsis_os.h (issue 12
 * item 12): rtmem built with RTMEM_CFG_CMSIS_V1_ON_V2=1, the v1 calls mapped
 * onto osMemoryPool*. Built against a stub of that header written from the
 * CMSIS documentation (tests/stubs/cmsis_v1v2), included before or after
 * rtmem's header, and with rtmem's own declarations of it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#ifdef TEST_V1V2_HEADER_FIRST
#include "cmsis_os.h"
#endif
#include "rtmem/cmsis_os_pool.h"
#ifdef TEST_V1V2_HEADER_AFTER
#include "cmsis_os.h"
#endif

#if defined(TEST_V1V2_HEADER_FIRST) || defined(TEST_V1V2_HEADER_AFTER)
_Static_assert(RTM_TEST_STUB_CMSIS_OS_V1V2 == 1, "the stub v1-on-v2 cmsis_os.h is in use");
_Static_assert(RTM_TEST_STUB_CMSIS_OS2 == 1, "the stub cmsis_os2.h is in use");
_Static_assert(RTM_OS_V1_ON_V2_HEADER == 1, "rtmem saw the v1-on-v2 header");
#elif defined(RTM_TEST_STUB_CMSIS_OS_V1V2)
#error "this build must use rtmem's own declarations"
#endif
/* the statuses are v2's values: one type for both APIs */
_Static_assert(osOK == 0 && osErrorParameter == -4 && osErrorValue == -127,
               "v1 names on v2 values");
_Static_assert(sizeof(osStatus) == 4, "osStatus is 32 bits");

struct rec {
    uint32_t a;
    double b;
};

RTM_OS_POOL_DEF(recs, 5, struct rec); /* rtmem's static form */
osPoolDef(up, 3, struct rec);          /* the header's (empty attr: the RTOS's memory) */

static void test_static_def(void **state)
{
    (void)state;
    assert_null(osPoolCreate(NULL));
    assert_null(osPoolAlloc(NULL));
    assert_null(osPoolCAlloc(NULL));
    assert_int_equal(osPoolFree(NULL, NULL), osErrorParameter);

    osPoolId id = osPoolCreate(osPool(recs));
    assert_non_null(id);
    assert_string_equal(osMemoryPoolGetName((osMemoryPoolId_t)id), "recs");
    assert_int_equal(osMemoryPoolGetCapacity((osMemoryPoolId_t)id), 5u);
    struct rec *r[5];
    for (int i = 0; i < 5; i++) {
        if (i & 1) {
            r[i] = osPoolCAlloc(id);
            assert_non_null(r[i]);
            assert_int_equal(r[i]->a, 0);
        } else {
            r[i] = osPoolAlloc(id);
            assert_non_null(r[i]);
        }
        assert_int_equal((uintptr_t)r[i] % _Alignof(struct rec), 0);
        r[i]->a = 0xFFFFFFFFu;
    }
    assert_null(osPoolAlloc(id));
    assert_null(osPoolCAlloc(id));
    assert_int_equal(osPoolFree(id, r[2]), osOK);
    struct rec *z = osPoolCAlloc(id);
    assert_ptr_equal(z, r[2]);
    assert_int_equal(z->a, 0); /* zero-filled */
    assert_int_equal(osPoolFree(id, NULL), osErrorParameter);
    assert_int_equal(osPoolFree(id, (uint8_t *)r[1] + 2), osErrorParameter);
    static uint32_t foreign;
    assert_int_equal(osPoolFree(id, &foreign), osErrorParameter);
    assert_int_equal(osPoolFree(id, r[1]), osOK);
    assert_int_equal(osPoolFree(id, r[1]), osErrorParameter); /* double free, no trap */
    assert_int_equal(rtm_os2_pool_faults((osMemoryPoolId_t)id), 3u);
    assert_int_equal(rtm_os2_pool_check((osMemoryPoolId_t)id), RTM_OK);
    rtm_port_posix_set_isr(true);
    assert_null(osPoolCreate(osPool(recs))); /* not from an ISR */
    void *isr = osPoolAlloc(id);             /* alloc is fine there */
    assert_non_null(isr);
    assert_int_equal(osPoolFree(id, isr), osOK);
    rtm_port_posix_set_isr(false);
    assert_int_equal(osMemoryPoolDelete((osMemoryPoolId_t)id), osOK);
    assert_null(osPoolAlloc(id)); /* a deleted pool is an invalid id */
    assert_int_equal(osPoolFree(id, r[0]), osErrorParameter);
}

/* The header's own osPoolDef gives no memory: control block and blocks come
 * from the RTOS's memory (the default allocator), and go back at delete. */
static void test_header_def(void **state)
{
    (void)state;
    for (int round = 0; round < 100; round++) {
        osPoolId c = osPoolCreate(osPool(up));
        assert_non_null(c);
        void *b[3];
        for (int i = 0; i < 3; i++) {
            b[i] = osPoolCAlloc(c);
            assert_non_null(b[i]);
            memset(b[i], 0x33, sizeof(struct rec));
        }
        assert_null(osPoolAlloc(c));
        for (int i = 0; i < 3; i++) {
            assert_int_equal(osPoolFree(c, b[i]), osOK);
        }
        assert_int_equal(osPoolFree(c, b[0]), osErrorParameter);
        assert_int_equal(osMemoryPoolDelete((osMemoryPoolId_t)c), osOK);
    }
    const osPoolDef_t zero = {0, 8, {NULL, 0U, NULL, 0U, NULL, 0U}};
    assert_null(osPoolCreate(&zero));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_static_def),
        cmocka_unit_test(test_header_def),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
