#define _POSIX_C_SOURCE 200809L
/* rtm_pool with several threads at once (also run under ThreadSanitizer):
 * the critical-section and lock-free modes, blocking allocation woken by a
 * free, contention with blocking waits, deinit while threads wait. */
#include <pthread.h>
#include <stdatomic.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "rtmem/pool.h"
#include "test_pool_util.h"

enum { THREADS = 4, ROUNDS = 20000, CAP = 8, BSIZE = 32 };

static _Alignas(16) uint8_t g_mem[RTM_POOL_MEM_SIZE(CAP, BSIZE, 8, RTM_POOL_BITMAP | RTM_POOL_LOCKFREE)];
static rtm_pool_t g_pool;

static void nap_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static uint32_t waiters(rtm_pool_t *p)
{
    rtm_port_enter();
    uint32_t n = rtm_waitq_waiters(&p->waitq);
    rtm_port_exit();
    return n;
}

struct worker {
    int id;
    uint32_t timeout;
    long got;
    long bad;
};

/* Take a block, stamp it with our id, check nobody else wrote it, free it. */
static void *hammer(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < ROUNDS; i++) {
        uint8_t *b = w->timeout ? rtm_pool_alloc_timeout(&g_pool, w->timeout)
                                : rtm_pool_alloc(&g_pool);
        if (b == NULL) {
            continue;
        }
        w->got++;
        memset(b, w->id, BSIZE);
        for (int k = 0; k < BSIZE; k++) {
            if (b[k] != (uint8_t)w->id) {
                w->bad++;
            }
        }
        if (rtm_pool_free(&g_pool, b) != RTM_OK) {
            w->bad++;
        }
    }
    return NULL;
}

static atomic_bool g_stop;

/* The queries while the workers run: never more in use or free than the
 * pool holds (used is allocs - frees, two counters read together). */
static void *watch(void *arg)
{
    long *bad = arg;
    while (!atomic_load(&g_stop)) {
        size_t used = rtm_pool_used(&g_pool);
        size_t avail = rtm_pool_available(&g_pool);
        *bad += (used > CAP || avail > CAP) ? 1 : 0;
    }
    return NULL;
}

static void run_hammer(unsigned flags, uint32_t timeout)
{
    assert_int_equal(rtm_pool_init(&g_pool, g_mem, sizeof g_mem, BSIZE, 8, CAP, flags), RTM_OK);
    pthread_t t[THREADS], watcher;
    struct worker w[THREADS];
    long watch_bad = 0;
    atomic_store(&g_stop, false);
    assert_int_equal(pthread_create(&watcher, NULL, watch, &watch_bad), 0);
    for (int i = 0; i < THREADS; i++) {
        w[i] = (struct worker){i + 1, timeout, 0, 0};
        assert_int_equal(pthread_create(&t[i], NULL, hammer, &w[i]), 0);
    }
    long got = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(w[i].bad, 0);
        got += w[i].got;
    }
    atomic_store(&g_stop, true);
    pthread_join(watcher, NULL);
    assert_int_equal(watch_bad, 0);
    if (timeout != 0u) {
        assert_int_equal(got, (long)THREADS * ROUNDS); /* blocking never fails */
    }
    assert_int_equal(rtm_pool_used(&g_pool), 0);
    rtm_check_t r;
    assert_int_equal(rtm_pool_check(&g_pool, &r), RTM_OK);
    ps_t s;
    assert_int_equal(get_ps(&g_pool, &s), RTM_OK);
    assert_true(s.peak_used <= CAP);
    assert_int_equal(s.invalid_frees, 0);
    assert_int_equal(rtm_pool_deinit(&g_pool), RTM_OK);
}

static void test_threads_critical_section(void **state)
{
    (void)state;
    run_hammer(RTM_POOL_BITMAP, 0);
    run_hammer(0, 0);
}

static void test_threads_lockfree(void **state)
{
    (void)state;
#if RTMEM_CFG_POOL_LOCKFREE
    run_hammer(RTM_POOL_LOCKFREE | RTM_POOL_BITMAP, 0);
    run_hammer(RTM_POOL_LOCKFREE, 0);
#else
    skip();
#endif
}

/* THREADS threads blocking on a pool of 2 blocks: most calls wait. */
static void run_blocking_contention(unsigned flags)
{
    assert_int_equal(rtm_pool_init(&g_pool, g_mem, sizeof g_mem, BSIZE, 8, 2, flags), RTM_OK);
    pthread_t t[THREADS];
    struct worker w[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (struct worker){i + 1, RTM_WAIT_FOREVER, 0, 0};
        assert_int_equal(pthread_create(&t[i], NULL, hammer, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(w[i].bad, 0);
        assert_int_equal(w[i].got, ROUNDS);
    }
    assert_int_equal(rtm_pool_check(&g_pool, NULL), RTM_OK);
    assert_int_equal(rtm_pool_deinit(&g_pool), RTM_OK);
}

static void test_blocking_contention(void **state)
{
    (void)state;
    run_blocking_contention(RTM_POOL_BITMAP);
#if RTMEM_CFG_POOL_LOCKFREE
    run_blocking_contention(RTM_POOL_LOCKFREE | RTM_POOL_BITMAP);
#endif
}

struct waiter {
    uint32_t timeout;
    void *got;
    uint32_t ticks;
};

static void *wait_for_block(void *arg)
{
    struct waiter *w = arg;
    uint32_t t0 = rtm_port_ticks();
    w->got = rtm_pool_alloc_timeout(&g_pool, w->timeout);
    w->ticks = rtm_port_ticks() - t0;
    return NULL;
}

static int g_faults;

static void fault_counter(void *user, rtm_err_t reason, const void *obj, const void *ptr)
{
    (void)user;
    (void)reason;
    (void)obj;
    (void)ptr;
    g_faults++;
}

/* A blocked allocator wakes when another thread frees; then a timed wait that
 * is woken in time gets the block too. */
static void run_wake_on_free(unsigned flags)
{
    assert_int_equal(rtm_pool_init(&g_pool, g_mem, sizeof g_mem, BSIZE, 8, 1, flags), RTM_OK);
    rtm_pool_set_fault_hook(&g_pool, fault_counter, NULL);
    g_faults = 0;
    uint32_t timeouts[] = {RTM_WAIT_FOREVER, 10000};
    for (int k = 0; k < 2; k++) {
        void *mine = rtm_pool_alloc(&g_pool);
        assert_non_null(mine);
        /* the second time round `mine` comes from the hot slot, whose next
         * free of it is unchecked: the waiter must clear that fast path */
        assert_true(k == 0 || (flags & RTM_POOL_LOCKFREE) != 0u || g_pool.last == mine);
        struct waiter w = {timeouts[k], NULL, 0};
        pthread_t t;
        assert_int_equal(pthread_create(&t, NULL, wait_for_block, &w), 0);
        while (waiters(&g_pool) == 0u) {
            nap_ms(1);
        }
        nap_ms(10);
        /* while it waits every free leaves the inline path (rtm_pool_t's
         * signal_free is set): bad input is still refused there, and wakes
         * nobody */
        assert_int_equal(rtm_pool_check(&g_pool, NULL), RTM_OK);
        assert_int_equal(rtm_pool_free(&g_pool, (uint8_t *)mine + 4), RTM_ERR_INTERIOR_PTR);
        assert_int_equal(rtm_pool_free(&g_pool, g_mem + sizeof g_mem), RTM_ERR_FOREIGN_PTR);
        assert_int_equal(waiters(&g_pool), 1u);
        assert_int_equal(rtm_pool_free(&g_pool, mine), RTM_OK);
        pthread_join(t, NULL);
        assert_ptr_equal(w.got, mine);
        assert_true(w.ticks < 5000u); /* woken by the free, not by its timeout */
        assert_int_equal(rtm_pool_check(&g_pool, NULL), RTM_OK); /* flag cleared */
        assert_int_equal(rtm_pool_free(&g_pool, w.got), RTM_OK);
        assert_int_equal(rtm_pool_free(&g_pool, w.got), RTM_ERR_DOUBLE_FREE);
    }
    ps_t s;
    assert_int_equal(get_ps(&g_pool, &s), RTM_OK);
    assert_int_equal(s.failed_allocs, 0);
    assert_int_equal(s.invalid_frees, 6);
    assert_int_equal(g_faults, 6);
    assert_int_equal(rtm_pool_deinit(&g_pool), RTM_OK);
}

static void test_blocked_alloc_wakes_on_free(void **state)
{
    (void)state;
    run_wake_on_free(RTM_POOL_BITMAP);
#if RTMEM_CFG_POOL_LOCKFREE
    run_wake_on_free(RTM_POOL_LOCKFREE | RTM_POOL_BITMAP);
#endif
}

/* Timed waits in another thread expire, not earlier than asked. */
static void test_timeout_in_thread(void **state)
{
    (void)state;
    assert_int_equal(rtm_pool_init(&g_pool, g_mem, sizeof g_mem, BSIZE, 8, 1, RTM_POOL_BITMAP), RTM_OK);
    void *mine = rtm_pool_alloc(&g_pool);
    struct waiter w = {25, NULL, 0};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, wait_for_block, &w), 0);
    pthread_join(t, NULL);
    assert_null(w.got);
    assert_true(w.ticks >= 24);
    assert_true(w.ticks < 250);
    assert_int_equal(rtm_pool_check(&g_pool, NULL), RTM_OK); /* the free bound is back */
    assert_int_equal(rtm_pool_free(&g_pool, mine), RTM_OK);
    assert_int_equal(rtm_pool_deinit(&g_pool), RTM_OK);
}

/* Deinit while threads wait: they wake with NULL, deinit returns after. */
static void run_deinit_with_waiters(unsigned flags)
{
    assert_int_equal(rtm_pool_init(&g_pool, g_mem, sizeof g_mem, BSIZE, 8, 1, flags), RTM_OK);
    rtm_pool_set_fault_hook(&g_pool, fault_counter, NULL);
    g_faults = 0;
    void *mine = rtm_pool_alloc(&g_pool);
    assert_non_null(mine);
    struct waiter w[2] = {{RTM_WAIT_FOREVER, mine, 0}, {RTM_WAIT_FOREVER, mine, 0}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++) {
        assert_int_equal(pthread_create(&t[i], NULL, wait_for_block, &w[i]), 0);
    }
    while (waiters(&g_pool) < 2u) {
        nap_ms(1);
    }
    /* from an interrupt it is refused while threads wait */
    rtm_port_posix_set_isr(true);
    assert_int_equal(rtm_pool_deinit(&g_pool), RTM_ERR_ISR);
    rtm_port_posix_set_isr(false);
    /* inside a critical section it cannot wait for them */
    rtm_port_enter();
    assert_int_equal(rtm_pool_deinit(&g_pool), RTM_ERR_STATE);
    rtm_port_exit();
    assert_int_equal(rtm_pool_deinit(&g_pool), RTM_OK);
    for (int i = 0; i < 2; i++) {
        pthread_join(t[i], NULL);
        assert_null(w[i].got);
    }
    /* afterwards the pool owns nothing */
    assert_null(rtm_pool_alloc(&g_pool));
    assert_int_equal(rtm_pool_free(&g_pool, mine), RTM_ERR_STATE); /* no fault */
    assert_int_equal(g_faults, 0);
}

static void test_deinit_with_waiters(void **state)
{
    (void)state;
    run_deinit_with_waiters(RTM_POOL_BITMAP);
#if RTMEM_CFG_POOL_LOCKFREE
    run_deinit_with_waiters(RTM_POOL_LOCKFREE | RTM_POOL_BITMAP);
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_critical_section),
        cmocka_unit_test(test_threads_lockfree),
        cmocka_unit_test(test_blocking_contention),
        cmocka_unit_test(test_blocked_alloc_wakes_on_free),
        cmocka_unit_test(test_timeout_in_thread),
        cmocka_unit_test(test_deinit_with_waiters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
