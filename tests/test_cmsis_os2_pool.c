#define _POSIX_C_SOURCE 200809L
/* CMSIS-RTOS2 osMemoryPool* over rtm_pool: static-memory rules, dynamic
 * allocation through the installed allocator, status codes, ISR rules,
 * timeouts, delete while a thread waits. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

/* Built three ways (tests/pool.cmake): with rtmem's own declarations, and
 * against a cmsis_os2.h declared the way the real one is (tests/stubs/cmsis)
 * included before or after rtmem's header: the order must not matter. */
#ifdef TEST_OS2_HEADER_FIRST
#include "cmsis_os2.h"
#endif
#include "rtmem/cmsis_os2_pool.h"
#include "test_fault_count.h"
#ifdef TEST_OS2_HEADER_AFTER
#include "cmsis_os2.h"
#endif
#if defined(TEST_OS2_HEADER_FIRST) || defined(TEST_OS2_HEADER_AFTER)
_Static_assert(RTM_TEST_STUB_CMSIS_OS2 == 1, "the stub cmsis_os2.h is in use");
#elif defined(RTM_TEST_STUB_CMSIS_OS2)
#error "this build must use rtmem's own declarations"
#endif

static _Alignas(8) uint8_t g_cb[RTM_OS2_POOL_CB_SIZE + 8];
static _Alignas(8) uint8_t g_mp[RTM_OS2_POOL_MEM_SIZE(8, 10) + 8];

static void test_memory_size_rule(void **state)
{
    (void)state;
    /* RTX5's osRtxMemoryPoolMemSize: the blocks, rounded to 4 bytes */
    assert_int_equal(RTM_OS2_POOL_MEM_SIZE_NO_BITMAP(8, 10), 8 * 12);
    assert_int_equal(RTM_OS2_POOL_MEM_SIZE(8, 10), 8 * 12);
    assert_int_equal(RTM_OS2_POOL_MEM_SIZE(33, 4), 33 * 4);
    /* the control block: 5 words and 4 pointers, padded to pointer alignment;
     * on 32-bit targets exactly RTX5's osRtxMemoryPoolCbSize (36 bytes) */
    size_t words = 5u * 4u, ptrs = 4u * sizeof(void *), al = _Alignof(void *);
    assert_int_equal(RTM_OS2_POOL_CB_SIZE, ((words + al - 1u) / al) * al + ptrs);
    assert_int_equal(((5u * 4u + 3u) / 4u) * 4u + 4u * 4u, 36u); /* the 32-bit case */
    if (sizeof(void *) == 4u) {
        assert_int_equal(RTM_OS2_POOL_CB_SIZE, 36u);
    }
}

static void test_static_rules(void **state)
{
    (void)state;
    osMemoryPoolAttr_t a = {"p", 0, g_cb, RTM_OS2_POOL_CB_SIZE, g_mp, RTM_OS2_POOL_MEM_SIZE(8, 10)};
    osMemoryPoolAttr_t bad;
    rtm_os2_pool_set_allocator(NULL, NULL, NULL);
    assert_null(osMemoryPoolNew(0, 10, &a));
    assert_null(osMemoryPoolNew(8, 0, &a));
    bad = a;
    bad.cb_size = RTM_OS2_POOL_CB_SIZE - 1; /* control block too small */
    assert_null(osMemoryPoolNew(8, 10, &bad));
    bad = a;
    bad.cb_mem = g_cb + 2; /* misaligned control block */
    assert_null(osMemoryPoolNew(8, 10, &bad));
    bad = a;
    bad.cb_mem = NULL; /* size without memory */
    assert_null(osMemoryPoolNew(8, 10, &bad));
    bad = a;
    bad.mp_size = RTM_OS2_POOL_MEM_SIZE_NO_BITMAP(8, 10) - 1; /* pool memory too small */
    assert_null(osMemoryPoolNew(8, 10, &bad));
    bad = a;
    bad.mp_mem = g_mp + 2; /* misaligned pool memory */
    assert_null(osMemoryPoolNew(8, 10, &bad));
    bad = a;
    bad.mp_mem = NULL;
    assert_null(osMemoryPoolNew(8, 10, &bad));
    assert_null(osMemoryPoolNew(0x10000u, 0x10000u, &a)); /* 32-bit size overflow */
    rtm_port_posix_set_isr(true);
    assert_null(osMemoryPoolNew(8, 10, &a)); /* not from an ISR */
    rtm_port_posix_set_isr(false);

    osMemoryPoolId_t id = osMemoryPoolNew(8, 10, &a);
    assert_non_null(id);
    assert_ptr_equal(id, g_cb);
    rtm_os2_pool_set_fault_hook(id, hook, NULL);
    assert_string_equal(osMemoryPoolGetName(id), "p");
    assert_int_equal(osMemoryPoolGetCapacity(id), 8);
    assert_int_equal(osMemoryPoolGetBlockSize(id), 12);
    assert_int_equal(osMemoryPoolGetCount(id), 0);
    assert_int_equal(osMemoryPoolGetSpace(id), 8);
    void *b[8];
    for (int i = 0; i < 8; i++) {
        b[i] = osMemoryPoolAlloc(id, 0);
        assert_non_null(b[i]);
        assert_true((uint8_t *)b[i] >= g_mp && (uint8_t *)b[i] < g_mp + sizeof g_mp);
    }
    assert_null(osMemoryPoolAlloc(id, 0));
    uint32_t t0 = rtm_port_ticks();
    assert_null(osMemoryPoolAlloc(id, 20));
    uint32_t spent = rtm_port_ticks() - t0;
    assert_true(spent >= 19 && spent < 200);
    assert_int_equal(osMemoryPoolGetCount(id), 8);
    assert_int_equal(osMemoryPoolGetSpace(id), 0);
    /* free: status codes */
    g_faults = 0;
    assert_int_equal(osMemoryPoolFree(id, b[3]), osOK);
    assert_int_equal(osMemoryPoolFree(id, b[3]), osErrorParameter); /* double free */
    assert_int_equal(osMemoryPoolFree(id, (uint8_t *)b[4] + 1), osErrorParameter);
    assert_int_equal(osMemoryPoolFree(id, g_cb), osErrorParameter);
    assert_int_equal(g_faults, 3);
    assert_int_equal(osMemoryPoolFree(id, NULL), osErrorParameter);
    assert_int_equal(osMemoryPoolFree(NULL, b[4]), osErrorParameter);
    assert_int_equal(rtm_os2_pool_check(id), RTM_OK);
    /* ISR: alloc only with timeout 0, free allowed, delete refused */
    rtm_port_posix_set_isr(true);
    assert_null(osMemoryPoolAlloc(id, 5));
    void *again = osMemoryPoolAlloc(id, 0);
    assert_ptr_equal(again, b[3]);
    assert_int_equal(osMemoryPoolFree(id, again), osOK);
    assert_int_equal(osMemoryPoolDelete(id), osErrorISR);
    rtm_port_posix_set_isr(false);
    assert_int_equal(osMemoryPoolDelete(id), osOK);
    /* a deleted id is invalid */
    assert_int_equal(osMemoryPoolDelete(id), osErrorParameter);
    assert_null(osMemoryPoolAlloc(id, 0));
    assert_int_equal(osMemoryPoolFree(id, b[0]), osErrorParameter);
    assert_null(osMemoryPoolGetName(id));
    assert_int_equal(osMemoryPoolGetCapacity(id), 0);
    assert_int_equal(osMemoryPoolGetBlockSize(id), 0);
    assert_int_equal(osMemoryPoolGetCount(id), 0);
    assert_int_equal(osMemoryPoolGetSpace(id), 0);
    assert_int_equal(rtm_os2_pool_check(id), RTM_ERR_ARG);
    assert_int_equal(rtm_os2_pool_faults(id), 0u);
    assert_int_equal(osMemoryPoolDelete(NULL), osErrorParameter);
}

/* The RTX5 size (blocks only, 4*n*((sz+3)/4)) works without a bitmap, and
 * still refuses a double free (issue 15 item 6: ordinary CMSIS code hit it),
 * with osErrorParameter and no trap although no hook was installed (issue 12
 * item 13: the status in every build, debug included). */
static void test_rtx_size_without_bitmap(void **state)
{
    (void)state;
    osMemoryPoolAttr_t a = {NULL, 0, g_cb, RTM_OS2_POOL_CB_SIZE, g_mp, 4u * 8u * ((10u + 3u) / 4u)};
    osMemoryPoolId_t id = osMemoryPoolNew(8, 10, &a);
    assert_non_null(id);
    assert_null(osMemoryPoolGetName(id));
    void *x = osMemoryPoolAlloc(id, osWaitForever);
    void *y = osMemoryPoolAlloc(id, 0);
    assert_non_null(x);
    assert_non_null(y);
    assert_int_equal(osMemoryPoolFree(id, x), osOK);
    assert_int_equal(osMemoryPoolFree(id, y), osOK);
    assert_int_equal(osMemoryPoolFree(id, x), osErrorParameter); /* free(a) free(b) free(a) */
    assert_int_equal(osMemoryPoolFree(id, y), osErrorParameter);
    assert_int_equal(osMemoryPoolFree(id, (uint8_t *)x + 4), osErrorParameter);
    assert_int_equal(rtm_os2_pool_faults(id), 3u); /* counted, not trapped */
    assert_int_equal(osMemoryPoolGetCount(id), 0u);
    void *p = osMemoryPoolAlloc(id, 0), *q = osMemoryPoolAlloc(id, 0);
    assert_true(p != q && p != NULL && q != NULL); /* never the same block twice */
    assert_int_equal(rtm_os2_pool_check(id), RTM_OK);
    assert_int_equal(osMemoryPoolDelete(id), osOK);
}

/* Issue 12 item 10: a cb_mem sized for RTX5 (osRtxMemoryPoolCbSize: 36 bytes
 * on 32-bit targets; the test32 build runs this with exactly 36) and mp_mem
 * of osRtxMemoryPoolMemSize are accepted and work. */
static _Alignas(8) uint8_t g_rtx_cb[sizeof(void *) == 4u ? 36u : RTM_OS2_POOL_CB_SIZE];
static _Alignas(8) uint8_t g_rtx_mp[4u * 6u * ((20u + 3u) / 4u)];

static void test_rtx_sized_cb(void **state)
{
    (void)state;
    osMemoryPoolAttr_t a = {"rtx", 0, g_rtx_cb, sizeof g_rtx_cb, g_rtx_mp, sizeof g_rtx_mp};
    osMemoryPoolId_t id = osMemoryPoolNew(6, 20, &a);
    assert_ptr_equal(id, g_rtx_cb);
    void *b[6];
    for (int i = 0; i < 6; i++) {
        b[i] = osMemoryPoolAlloc(id, 0);
        assert_non_null(b[i]);
        memset(b[i], 0xA5, 20);
        for (int j = 0; j < i; j++) {
            assert_ptr_not_equal(b[i], b[j]);
        }
    }
    assert_null(osMemoryPoolAlloc(id, 0));
    for (int i = 5; i >= 0; i--) {
        assert_int_equal(osMemoryPoolFree(id, b[i]), osOK);
        assert_int_equal(rtm_os2_pool_check(id), RTM_OK);
    }
    assert_int_equal(osMemoryPoolFree(id, b[2]), osErrorParameter);
    assert_int_equal(osMemoryPoolGetSpace(id), 6u);
    assert_int_equal(osMemoryPoolDelete(id), osOK);
}

/* 4-byte blocks hold only the link (no tag): a double free is still found
 * (the link looks valid, the walk confirms it), a block whose data merely
 * looks like a link is freed normally, and a damaged link makes alloc fail
 * (counted) and a free report osErrorResource, with nothing changed. */
static void test_small_blocks_and_damage(void **state)
{
    (void)state;
    static _Alignas(8) uint8_t mp[4 * 4];
    osMemoryPoolAttr_t a = {NULL, 0, g_cb, RTM_OS2_POOL_CB_SIZE, mp, sizeof mp};
    osMemoryPoolId_t id = osMemoryPoolNew(4, 1, &a);
    assert_non_null(id);
    assert_int_equal(osMemoryPoolGetBlockSize(id), 4u);
    uint32_t *x = osMemoryPoolAlloc(id, 0);
    uint32_t *y = osMemoryPoolAlloc(id, 0);
    assert_non_null(x);
    assert_non_null(y);
    *y = 1u; /* data that looks like a link */
    assert_int_equal(osMemoryPoolFree(id, y), osOK);
    assert_int_equal(osMemoryPoolFree(id, x), osOK);
    assert_int_equal(osMemoryPoolFree(id, y), osErrorParameter);
    assert_int_equal(osMemoryPoolFree(id, x), osErrorParameter);
    assert_int_equal(osMemoryPoolGetCount(id), 0u);
    assert_int_equal(rtm_os2_pool_check(id), RTM_OK);
    /* damage the head's link */
    uint32_t *h = osMemoryPoolAlloc(id, 0);
    uint32_t *n = osMemoryPoolAlloc(id, 0);
    assert_int_equal(osMemoryPoolFree(id, n), osOK);
    uint32_t saved;
    memcpy(&saved, n, sizeof saved);
    uint32_t bad = 0x7777u;
    memcpy(n, &bad, sizeof bad);
    assert_int_equal(rtm_os2_pool_check(id), RTM_ERR_CORRUPT);
    uint32_t faults = rtm_os2_pool_faults(id);
    assert_null(osMemoryPoolAlloc(id, 0));
    assert_null(osMemoryPoolAlloc(id, 5)); /* no waiting on a damaged list */
    assert_int_equal(rtm_os2_pool_faults(id), faults + 2u);
    assert_int_equal(osMemoryPoolGetCount(id), 1u); /* nothing changed */
    assert_int_equal(osMemoryPoolFree(id, h), osErrorResource); /* the walk meets it */
    memcpy(n, &saved, sizeof saved);
    assert_int_equal(rtm_os2_pool_check(id), RTM_OK);
    assert_int_equal(osMemoryPoolFree(id, h), osOK);
    assert_int_equal(osMemoryPoolDelete(id), osOK);
}

/* attr NULL, or no memory in attr: control block and storage come from the
 * RTOS's memory (the default allocator), and go back at delete: a thousand
 * create/delete rounds in a 4 KiB default heap leak nothing. */
static void test_default_memory(void **state)
{
    (void)state;
    rtm_os2_pool_set_allocator(NULL, NULL, NULL); /* the default */
    for (int round = 0; round < 1000; round++) {
        osMemoryPoolId_t id = osMemoryPoolNew(16, 24, NULL);
        assert_non_null(id);
        assert_int_equal(osMemoryPoolGetCapacity(id), 16u);
        void *b = osMemoryPoolAlloc(id, 0);
        assert_non_null(b);
        memset(b, 0x5A, 24);
        assert_int_equal(osMemoryPoolFree(id, b), osOK);
        assert_int_equal(osMemoryPoolFree(id, b), osErrorParameter); /* no trap */
        assert_int_equal(osMemoryPoolDelete(id), osOK);
    }
    osMemoryPoolAttr_t named = {"n", 0, NULL, 0, NULL, 0};
    osMemoryPoolId_t id = osMemoryPoolNew(4, 4, &named);
    assert_non_null(id);
    assert_string_equal(osMemoryPoolGetName(id), "n");
    assert_int_equal(osMemoryPoolDelete(id), osOK);
    /* more than the default heap holds: NULL, nothing kept */
    assert_null(osMemoryPoolNew(1000, 1000, NULL));
    id = osMemoryPoolNew(16, 24, NULL);
    assert_non_null(id);
    assert_int_equal(osMemoryPoolDelete(id), osOK);
}

static int g_allocs, g_frees;

static void *dyn_alloc_cb(void *ctx, size_t size)
{
    assert_ptr_equal(ctx, &g_allocs);
    g_allocs++;
    return aligned_alloc(16, (size + 15u) & ~(size_t)15u);
}

static void dyn_free_cb(void *ctx, void *ptr)
{
    assert_ptr_equal(ctx, &g_allocs);
    g_frees++;
    free(ptr);
}

static int g_fail_after;

static void *failing_alloc(void *ctx, size_t size)
{
    if (g_fail_after-- <= 0) {
        return NULL;
    }
    return dyn_alloc_cb(ctx, size);
}

static void test_dynamic(void **state)
{
    (void)state;
    rtm_os2_pool_set_allocator(dyn_alloc_cb, dyn_free_cb, &g_allocs);
    g_allocs = g_frees = 0;
    osMemoryPoolId_t id = osMemoryPoolNew(5, 7, NULL);
    assert_non_null(id);
    assert_int_equal(g_allocs, 2);
    assert_int_equal(osMemoryPoolGetBlockSize(id), 8);
    rtm_os2_pool_set_fault_hook(id, hook, NULL);
    void *x = osMemoryPoolAlloc(id, 0);
    assert_int_equal(osMemoryPoolFree(id, x), osOK);
    assert_int_equal(osMemoryPoolFree(id, x), osErrorParameter); /* double free */
    assert_int_equal(osMemoryPoolDelete(id), osOK);
    assert_int_equal(g_frees, 2);
    /* static control block, dynamic memory */
    osMemoryPoolAttr_t a = {"d", 0, g_cb, sizeof g_cb, NULL, 0};
    id = osMemoryPoolNew(3, 16, &a);
    assert_non_null(id);
    assert_int_equal(g_allocs, 3);
    assert_int_equal(osMemoryPoolDelete(id), osOK);
    assert_int_equal(g_frees, 3);
    /* the memory allocation fails: the control block goes back */
    rtm_os2_pool_set_allocator(failing_alloc, dyn_free_cb, &g_allocs);
    g_fail_after = 1;
    assert_null(osMemoryPoolNew(3, 16, NULL));
    assert_int_equal(g_allocs, 4);
    assert_int_equal(g_frees, 4);
    rtm_os2_pool_set_allocator(NULL, NULL, NULL);
}

static osMemoryPoolId_t g_id;
static void *g_got = (void *)1;

static void *blocked_alloc(void *arg)
{
    (void)arg;
    g_got = osMemoryPoolAlloc(g_id, osWaitForever);
    return NULL;
}

static void wait_for_waiter(void)
{
    for (;;) {
        uint32_t n = rtm_os2_pool_waiters(g_id);
        if (n > 0u) {
            return;
        }
        struct timespec ts = {0, 1000000L};
        nanosleep(&ts, NULL);
    }
}

static void test_wait_and_delete(void **state)
{
    (void)state;
    osMemoryPoolAttr_t a = {"w", 0, g_cb, sizeof g_cb, g_mp, sizeof g_mp};
    g_id = osMemoryPoolNew(1, 4, &a);
    assert_non_null(g_id);
    void *mine = osMemoryPoolAlloc(g_id, 0);
    /* a blocked allocation wakes when another thread frees */
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, blocked_alloc, NULL), 0);
    wait_for_waiter();
    assert_int_equal(osMemoryPoolFree(g_id, mine), osOK);
    pthread_join(t, NULL);
    assert_ptr_equal(g_got, mine);
    /* delete while a thread waits: it returns NULL */
    g_got = (void *)1;
    assert_int_equal(pthread_create(&t, NULL, blocked_alloc, NULL), 0);
    wait_for_waiter();
    assert_int_equal(osMemoryPoolDelete(g_id), osOK);
    pthread_join(t, NULL);
    assert_null(g_got);
}

/* RTMEM_CFG_CMSIS_WAIT_POOLS pools with a blocked thread each: a wait on one
 * more pool does not block and is no silent timeout, but NULL at once with
 * an RTM_ERR_BUSY fault; once a slot is free again that pool can wait. */
enum { WP = RTMEM_CFG_CMSIS_WAIT_POOLS };
static osMemoryPoolId_t g_wp[WP + 1];
static void *g_wp_got[WP];
static _Alignas(8) uint8_t g_wp_cb[WP + 1][RTM_OS2_POOL_CB_SIZE];
static _Alignas(8) uint8_t g_wp_mp[WP + 1][RTM_OS2_POOL_MEM_SIZE(1, 8)];

static void *wp_wait(void *arg)
{
    size_t i = (size_t)(uintptr_t)arg;
    g_wp_got[i] = osMemoryPoolAlloc(g_wp[i], osWaitForever);
    return NULL;
}

static rtm_err_t g_busy_reason;

static void busy_hook(void *user, rtm_err_t reason, const void *obj, const void *ptr)
{
    (void)user;
    (void)obj;
    (void)ptr;
    g_busy_reason = reason;
}

static void test_wait_slots_full(void **state)
{
    (void)state;
    void *held[WP + 1];
    pthread_t t[WP];
    for (size_t i = 0; i <= WP; i++) {
        osMemoryPoolAttr_t a = {"wp", 0, g_wp_cb[i], sizeof g_wp_cb[i], g_wp_mp[i], sizeof g_wp_mp[i]};
        g_wp[i] = osMemoryPoolNew(1, 8, &a);
        assert_non_null(g_wp[i]);
        held[i] = osMemoryPoolAlloc(g_wp[i], 0);
        assert_non_null(held[i]);
    }
    for (size_t i = 0; i < WP; i++) {
        assert_int_equal(pthread_create(&t[i], NULL, wp_wait, (void *)(uintptr_t)i), 0);
        while (rtm_os2_pool_waiters(g_wp[i]) == 0u) {
            struct timespec ts = {0, 1000000L};
            nanosleep(&ts, NULL);
        }
    }
    rtm_os2_pool_set_fault_hook(g_wp[WP], busy_hook, NULL);
    g_busy_reason = RTM_OK;
    assert_null(osMemoryPoolAlloc(g_wp[WP], osWaitForever));
    assert_int_equal(g_busy_reason, RTM_ERR_BUSY);
    assert_int_equal(rtm_os2_pool_faults(g_wp[WP]), 1);
    for (size_t i = 0; i < WP; i++) {
        assert_int_equal(osMemoryPoolFree(g_wp[i], held[i]), osOK);
        pthread_join(t[i], NULL);
        assert_ptr_equal(g_wp_got[i], held[i]);
    }
    /* the slots are free again: the last pool waits and times out, no fault */
    g_busy_reason = RTM_OK;
    assert_null(osMemoryPoolAlloc(g_wp[WP], 2));
    assert_int_equal(g_busy_reason, RTM_OK);
    assert_int_equal(rtm_os2_pool_faults(g_wp[WP]), 1);
    for (size_t i = 0; i <= WP; i++) {
        assert_int_equal(osMemoryPoolFree(g_wp[i], i < WP ? g_wp_got[i] : held[i]), osOK);
        assert_int_equal(osMemoryPoolDelete(g_wp[i]), osOK);
    }
}

static int depth_zero(void **state)
{
    (void)state;
    return rtm_port_depth() == 0u ? 0 : -1; /* every call left the critical section */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_memory_size_rule, depth_zero),
        cmocka_unit_test_teardown(test_static_rules, depth_zero),
        cmocka_unit_test_teardown(test_rtx_size_without_bitmap, depth_zero),
        cmocka_unit_test_teardown(test_rtx_sized_cb, depth_zero),
        cmocka_unit_test_teardown(test_small_blocks_and_damage, depth_zero),
        cmocka_unit_test_teardown(test_dynamic, depth_zero),
        cmocka_unit_test_teardown(test_default_memory, depth_zero),
        cmocka_unit_test_teardown(test_wait_and_delete, depth_zero),
        cmocka_unit_test_teardown(test_wait_slots_full, depth_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
