#define _POSIX_C_SOURCE 200809L
/* rtm_queue across threads (also under ThreadSanitizer): blocking producers
 * and consumers keep FIFO order per producer and lose nothing; an ISR-style
 * sender wakes a blocked receiver; deinit wakes blocked threads. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "rtmem/queue.h"

enum { PRODUCERS = 3, ITEMS = 20000, CAP = 4 };

static rtm_queue_t g_q;
RTM_QUEUE_STORAGE(static, g_mem, uint32_t, CAP);

static void nap_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void *producer(void *arg)
{
    uint32_t id = (uint32_t)(uintptr_t)arg;
    for (uint32_t i = 0; i < ITEMS; i++) {
        uint32_t v = (id << 24) | i;
        if (rtm_queue_send(&g_q, &v, RTM_WAIT_FOREVER) != RTM_OK) {
            return (void *)1;
        }
    }
    return NULL;
}

static void test_producers_consumer(void **state)
{
    (void)state;
    assert_int_equal(rtm_queue_init(&g_q, sizeof(uint32_t), CAP, g_mem, sizeof g_mem), RTM_OK);
    pthread_t t[PRODUCERS];
    for (uintptr_t i = 0; i < PRODUCERS; i++) {
        assert_int_equal(pthread_create(&t[i], NULL, producer, (void *)i), 0);
    }
    uint32_t next[PRODUCERS] = {0};
    for (long n = 0; n < (long)PRODUCERS * ITEMS; n++) {
        uint32_t v;
        /* alternate a timed and an unbounded wait: both must deliver */
        assert_int_equal(rtm_queue_receive(&g_q, &v, (n & 1) ? 100000u : RTM_WAIT_FOREVER), RTM_OK);
        uint32_t id = v >> 24;
        assert_true(id < PRODUCERS);
        assert_int_equal(v & 0xFFFFFFu, next[id]); /* FIFO per producer */
        next[id]++;
    }
    for (int i = 0; i < PRODUCERS; i++) {
        void *rc;
        pthread_join(t[i], &rc);
        assert_null(rc);
    }
    assert_int_equal(rtm_queue_count(&g_q), 0);
    assert_int_equal(rtm_queue_deinit(&g_q), RTM_OK);
}

static rtm_err_t g_rx_err;
static uint32_t g_rx;

static void *receiver(void *arg)
{
    (void)arg;
    g_rx_err = rtm_queue_receive(&g_q, &g_rx, RTM_WAIT_FOREVER);
    return NULL;
}

static uint32_t waiting(void)
{
    rtm_port_enter();
    uint32_t n = rtm_waitq_waiters(&g_q.not_empty) + rtm_waitq_waiters(&g_q.not_full);
    rtm_port_exit();
    return n;
}

static void test_isr_send_wakes_receiver(void **state)
{
    (void)state;
    assert_int_equal(rtm_queue_init(&g_q, sizeof(uint32_t), CAP, g_mem, sizeof g_mem), RTM_OK);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, receiver, NULL), 0);
    while (waiting() == 0u) {
        nap_ms(1);
    }
    rtm_port_posix_set_isr(true);
    uint32_t v = 42;
    bool woke = false;
    assert_int_equal(rtm_queue_send_from_isr(&g_q, &v, &woke), RTM_OK);
    assert_true(woke);
    rtm_port_posix_set_isr(false);
    pthread_join(t, NULL);
    assert_int_equal(g_rx_err, RTM_OK);
    assert_int_equal(g_rx, 42);
    assert_int_equal(rtm_queue_deinit(&g_q), RTM_OK);
}

static void test_deinit_wakes_blocked(void **state)
{
    (void)state;
    assert_int_equal(rtm_queue_init(&g_q, sizeof(uint32_t), CAP, g_mem, sizeof g_mem), RTM_OK);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, receiver, NULL), 0);
    while (waiting() == 0u) {
        nap_ms(1);
    }
    rtm_port_posix_set_isr(true);
    assert_int_equal(rtm_queue_deinit(&g_q), RTM_ERR_ISR);
    rtm_port_posix_set_isr(false);
    assert_int_equal(rtm_queue_deinit(&g_q), RTM_OK);
    pthread_join(t, NULL);
    assert_int_equal(g_rx_err, RTM_ERR_STATE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_producers_consumer),
        cmocka_unit_test(test_isr_send_wakes_receiver),
        cmocka_unit_test(test_deinit_wakes_blocked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
