#define _POSIX_C_SOURCE 200809L
/* posix port: nesting, mutual exclusion across threads, wait queues. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "rtmem/port.h"

static void test_nesting(void **state)
{
    (void)state;
    assert_int_equal(rtm_port_depth(), 0);
    rtm_port_enter();
    rtm_port_enter();
    assert_int_equal(rtm_port_depth(), 2);
    rtm_port_exit();
    assert_int_equal(rtm_port_depth(), 1);
    rtm_port_exit();
    assert_int_equal(rtm_port_depth(), 0);
}

enum { THREADS = 4, ROUNDS = 20000 };
static long g_counter;

static void *bump(void *arg)
{
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        rtm_port_enter();
        rtm_port_enter(); /* nested: must not deadlock */
        long v = g_counter;
        g_counter = v + 1;
        rtm_port_exit();
        rtm_port_exit();
    }
    return NULL;
}

static void test_mutual_exclusion(void **state)
{
    (void)state;
    pthread_t t[THREADS];
    g_counter = 0;
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(pthread_create(&t[i], NULL, bump, NULL), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
    }
    assert_int_equal(g_counter, (long)THREADS * ROUNDS);
}

static rtm_waitq_t g_q;
static int g_flag;

static void *signaller(void *arg)
{
    (void)arg;
    rtm_port_enter();
    g_flag = 1;
    rtm_waitq_signal(&g_q);
    rtm_port_exit();
    return NULL;
}

static void test_waitq_wakes_and_times_out(void **state)
{
    (void)state;
    assert_int_equal(rtm_waitq_init(&g_q), RTM_OK);
    rtm_port_enter();
    assert_int_equal(rtm_waitq_wait(&g_q, 0), RTM_ERR_TIMEOUT);
    uint32_t t0 = rtm_port_ticks();
    assert_int_equal(rtm_waitq_wait(&g_q, 20), RTM_ERR_TIMEOUT);
    assert_true(rtm_port_ticks() - t0 >= 19); /* never early (1 tick rounding) */
    g_flag = 0;
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, signaller, NULL), 0);
    while (g_flag == 0) {
        (void)rtm_waitq_wait(&g_q, RTM_WAIT_FOREVER);
    }
    rtm_port_exit();
    pthread_join(t, NULL);
    assert_int_equal(g_flag, 1);
    rtm_port_enter();
    rtm_port_enter();
    assert_int_equal(rtm_waitq_wait(&g_q, 5), RTM_ERR_STATE);
    rtm_port_exit();
    rtm_port_exit();
    rtm_port_posix_set_isr(true);
    assert_true(rtm_port_in_isr());
    rtm_port_enter();
    assert_int_equal(rtm_waitq_wait(&g_q, 5), RTM_ERR_ISR);
    rtm_port_exit();
    rtm_port_posix_set_isr(false);
    rtm_waitq_destroy(&g_q);
}

/* The wait loops' remaining time: forever stays forever, a timeout counts
 * down from its start, one that started long ago is spent. */
static void test_waitq_ticks_left(void **state)
{
    (void)state;
    uint32_t now = rtm_port_ticks();
    assert_int_equal(rtm_waitq_ticks_left(now, RTM_WAIT_FOREVER), RTM_WAIT_FOREVER);
    uint32_t left = rtm_waitq_ticks_left(now, 100000u);
    assert_true(left > 0u && left <= 100000u);
    assert_int_equal(rtm_waitq_ticks_left(now - 5000u, 10u), 0u);
    assert_int_equal(rtm_waitq_ticks_left(now, 0u), 0u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nesting),
        cmocka_unit_test(test_mutual_exclusion),
        cmocka_unit_test(test_waitq_wakes_and_times_out),
        cmocka_unit_test(test_waitq_ticks_left),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
