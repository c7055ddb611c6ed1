/* Static allocation (rtmem/static.h): every *_DEFINE macro yields aligned
 * storage and an instance that works; heap_1 and heap_3 are ready at link
 * time, equal to what their init makes; the others are ready after one
 * rtm_static_init_all(), which walks exactly the records defined here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rtmem/static.h"

struct msg {
    uint32_t id;
    double value;
};

RTM_HEAP1_DEFINE(s_heap1, 1024);
RTM_HEAP3_DEFINE(s_heap3);
RTM_HEAP2_DEFINE(s_heap2, 2048);
RTM_HEAP4_DEFINE(s_heap4, 4096);
RTM_HEAP5_DEFINE(s_heap5, 3000);
RTM_TLSF_DEFINE(s_tlsf, 8192);
RTM_POOL_DEFINE(s_pool, struct msg, 10);
RTM_QUEUE_DEFINE(s_queue, struct msg *, 4);
RTM_TLSF_DEFINE_IN(s_tlsf_sec, 4096, RTM_IN_SECTION(".rtm_test_ram2"));

static int g_fn_calls;
static rtm_err_t count_call(void)
{
    g_fn_calls++;
    return RTM_OK;
}
static rtm_err_t fail_call(void)
{
    g_fn_calls++;
    return RTM_ERR_ARG;
}
RTM_STATIC_INIT_FN(s_hook_ok, count_call);
RTM_STATIC_INIT_FN(s_hook_bad, fail_call);

#define NRECS 9u /* heap2, heap4, heap5, tlsf, pool, queue, tlsf_sec, 2 fns */

static void test_link_time_heap1(void **state)
{
    (void)state;
    /* before any init call: what rtm_heap1_init makes over the same memory */
    rtm_heap1_t ref;
    memset(&ref, 0, sizeof ref);
    assert_int_equal(rtm_heap1_init(&ref, s_heap1.mem, 1024), RTM_OK);
    assert_memory_equal(&ref, &s_heap1, sizeof ref);
    assert_int_equal((uintptr_t)s_heap1.mem % RTMEM_CFG_HEAP_ALIGNMENT, 0);
    void *p = rtm_heap1_alloc(&s_heap1, 100);
    assert_non_null(p);
    assert_int_equal(rtm_heap1_check(&s_heap1, NULL), RTM_OK);
}

static void test_link_time_heap3(void **state)
{
    (void)state;
    rtm_heap3_t ref;
    memset(&ref, 0, sizeof ref);
    assert_int_equal(rtm_heap3_init(&ref), RTM_OK);
    assert_memory_equal(&ref, &s_heap3, sizeof ref);
}

static void test_init_all(void **state)
{
    (void)state;
    assert_int_equal(rtm_static_count(), NRECS);
    const rtm_static_rec_t *failed = NULL;
    assert_int_equal(rtm_static_init_all(&failed), RTM_ERR_ARG);
    assert_non_null(failed);
    assert_string_equal(failed->name, "s_hook_bad");
    assert_int_equal(g_fn_calls, 2);
    /* once only */
    assert_int_equal(rtm_static_init_all(NULL), RTM_ERR_STATE);
    assert_int_equal(g_fn_calls, 2);

    void *a = rtm_heap2_alloc(&s_heap2, 100);
    void *b = rtm_heap4_alloc(&s_heap4, 100);
    void *c = rtm_heap5_alloc(&s_heap5, 100);
    void *d = rtm_tlsf_alloc(&s_tlsf, 100);
    void *e = rtm_tlsf_alloc(&s_tlsf_sec, 100);
    struct msg *m = rtm_pool_alloc(&s_pool);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    assert_non_null(d);
    assert_non_null(e);
    assert_non_null(m);
    assert_int_equal((uintptr_t)m % _Alignof(struct msg), 0);
    assert_int_equal(rtm_pool_capacity(&s_pool), 10);
    assert_int_equal(rtm_pool_block_size(&s_pool), RTM_POOL_STRIDE(sizeof(struct msg), _Alignof(struct msg)));
    m->value = 2.5;
    assert_int_equal(rtm_queue_send(&s_queue, &m, 0), RTM_OK);
    struct msg *got = NULL;
    assert_int_equal(rtm_queue_receive(&s_queue, &got, 0), RTM_OK);
    assert_ptr_equal(got, m);
    assert_int_equal(rtm_queue_space(&s_queue), 4);
    /* the heaps cover their whole storage: nothing was lost to rounding */
    rtm_stats_t st;
    rtm_heap4_stats(&s_heap4, &st);
    assert_true(st.total_bytes + 2u * RTMEM_CFG_HEAP_ALIGNMENT >= 4096u);
    assert_int_equal(rtm_heap2_free(&s_heap2, a), RTM_OK);
    assert_int_equal(rtm_heap4_free(&s_heap4, b), RTM_OK);
    assert_int_equal(rtm_heap5_free(&s_heap5, c), RTM_OK);
    assert_int_equal(rtm_tlsf_free(&s_tlsf, d), RTM_OK);
    assert_int_equal(rtm_tlsf_free(&s_tlsf_sec, e), RTM_OK);
    assert_int_equal(rtm_pool_free(&s_pool, m), RTM_OK);
    assert_int_equal(rtm_heap4_check(&s_heap4, NULL), RTM_OK);
    assert_int_equal(rtm_tlsf_check(&s_tlsf, NULL), RTM_OK);
    assert_int_equal(rtm_pool_check(&s_pool, NULL), RTM_OK);
}

/* The records name the objects and their storage (what the report reads). */
static void test_records(void **state)
{
    (void)state;
    bool seen_tlsf = false, seen_pool = false;
    for (const rtm_static_rec_t *r = rtm_static_next(NULL); r != NULL; r = rtm_static_next(r)) {
        if (strcmp(r->name, "s_tlsf") == 0) {
            seen_tlsf = true;
            assert_ptr_equal(r->inst, &s_tlsf);
            assert_int_equal(r->mem_size, 8192);
            assert_int_equal((uintptr_t)r->mem % RTM_TLSF_ALIGN, 0);
        }
        if (strcmp(r->name, "s_pool") == 0) {
            seen_pool = true;
            assert_int_equal(r->count, 10);
            assert_int_equal(r->mem_size, RTM_POOL_MEM_SIZE(10, sizeof(struct msg),
                                                           _Alignof(struct msg), RTM_POOL_DEFAULT));
        }
    }
    assert_true(seen_tlsf && seen_pool);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_link_time_heap1), cmocka_unit_test(test_link_time_heap3),
        cmocka_unit_test(test_init_all), cmocka_unit_test(test_records),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
