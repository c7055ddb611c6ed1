#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE */
/* rtm_queue single-threaded: every function and error path, wrap-around,
 * ISR rules, timeouts; and the FreeRTOS-named layer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <sys/mman.h>

#include <cmocka.h>

#include "rtmem/freertos_queue.h"
#include "rtmem/queue.h"

static int g_faults;

static void hook(void *user, rtm_err_t reason, const void *obj, const void *ptr)
{
    (void)user;
    (void)obj;
    (void)ptr;
    assert_int_equal(reason, RTM_ERR_NULL);
    g_faults++;
}

struct item {
    uint32_t seq;
    uint16_t tag;
};

/* A queue of more than 2^31 one-byte items: the slot after the last one
 * wraps to the right index (head + count once wrapped 32 bits and wrote
 * slot 0, over the oldest item). The storage is reserved, not backed: only
 * the pages written are touched. Head and count are set to the state
 * 2^32 - 1 sends and 2^31 receives would leave, which would take minutes. */
static void test_capacity_above_2_31(void **state)
{
    (void)state;
#if SIZE_MAX > UINT32_MAX
    const uint32_t cap = 0x80000001u;
    uint8_t *mem = mmap(NULL, cap, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED) {
        skip();
    }
    rtm_queue_t q;
    assert_int_equal(rtm_queue_init(&q, 1, cap, mem, cap), RTM_OK);
    q.head = cap - 1u;
    q.count = cap - 1u; /* one slot free: head + count is 2^32 */
    mem[cap - 1u] = 0x11; /* the oldest item, at the head */
    uint8_t in = 0x5A;
    assert_int_equal(rtm_queue_send(&q, &in, 0), RTM_OK);
    assert_int_equal(mem[cap - 2u], 0x5A);
    assert_int_equal(mem[0], 0);
    uint8_t out = 0;
    assert_int_equal(rtm_queue_receive(&q, &out, 0), RTM_OK);
    assert_int_equal(out, 0x11);
    assert_int_equal(q.head, 0);
    munmap(mem, cap);
#else
    skip();
#endif
}

static void test_init_errors(void **state)
{
    (void)state;
    RTM_QUEUE_STORAGE(static, mem, struct item, 4);
    assert_int_equal(sizeof mem, 4 * sizeof(struct item));
    rtm_queue_t q;
    assert_int_equal(rtm_queue_init(NULL, sizeof(struct item), 4, mem, sizeof mem), RTM_ERR_NULL);
    assert_int_equal(rtm_queue_init(&q, sizeof(struct item), 4, NULL, sizeof mem), RTM_ERR_NULL);
    assert_int_equal(rtm_queue_init(&q, 0, 4, mem, sizeof mem), RTM_ERR_ARG);
    assert_int_equal(rtm_queue_init(&q, sizeof(struct item), 0, mem, sizeof mem), RTM_ERR_ARG);
    assert_int_equal(rtm_queue_init(&q, sizeof(struct item), UINT32_MAX, mem, sizeof mem), RTM_ERR_ARG);
    assert_int_equal(rtm_queue_init(&q, SIZE_MAX / 2, 4, mem, sizeof mem), RTM_ERR_OVERFLOW);
    assert_int_equal(rtm_queue_init(&q, sizeof(struct item), 5, mem, sizeof mem), RTM_ERR_NO_MEMORY);
    assert_int_equal(rtm_queue_init(&q, sizeof(struct item), 4, mem, sizeof mem), RTM_OK);
    assert_int_equal(rtm_queue_deinit(&q), RTM_OK);
    /* a deleted queue refuses everything */
    struct item it = {0, 0};
    assert_int_equal(rtm_queue_deinit(&q), RTM_ERR_STATE);
    assert_int_equal(rtm_queue_send(&q, &it, 0), RTM_ERR_STATE);
    assert_int_equal(rtm_queue_receive(&q, &it, 0), RTM_ERR_STATE);
    assert_int_equal(rtm_queue_peek(&q, &it), RTM_ERR_STATE);
    assert_int_equal(rtm_queue_reset(&q), RTM_ERR_STATE);
    assert_int_equal(rtm_queue_count(&q), 0);
    assert_int_equal(rtm_queue_space(&q), 0);
    /* NULL queue */
    assert_int_equal(rtm_queue_deinit(NULL), RTM_ERR_NULL);
    assert_int_equal(rtm_queue_send(NULL, &it, 0), RTM_ERR_NULL);
    assert_int_equal(rtm_queue_receive(NULL, &it, 0), RTM_ERR_NULL);
    assert_int_equal(rtm_queue_send_from_isr(NULL, &it, NULL), RTM_ERR_NULL);
    assert_int_equal(rtm_queue_receive_from_isr(NULL, &it, NULL), RTM_ERR_NULL);
    assert_int_equal(rtm_queue_peek(NULL, &it), RTM_ERR_NULL);
    assert_int_equal(rtm_queue_reset(NULL), RTM_ERR_NULL);
    assert_int_equal(rtm_queue_count(NULL), 0);
    assert_int_equal(rtm_queue_space(NULL), 0);
    rtm_queue_set_fault_hook(NULL, hook, NULL);
}

static void test_fifo_wrap_peek_reset(void **state)
{
    (void)state;
    RTM_QUEUE_STORAGE(static, mem, struct item, 3);
    rtm_queue_t q;
    assert_int_equal(rtm_queue_init(&q, sizeof(struct item), 3, mem, sizeof mem), RTM_OK);
    rtm_queue_set_fault_hook(&q, hook, NULL);
    struct item out;
    assert_int_equal(rtm_queue_receive(&q, &out, 0), RTM_ERR_TIMEOUT);
    assert_int_equal(rtm_queue_peek(&q, &out), RTM_ERR_TIMEOUT);
    uint32_t next_in = 0, next_out = 0;
    for (int round = 0; round < 50; round++) {
        int n = 1 + round % 3;
        for (int i = 0; i < n; i++) {
            struct item in = {next_in++, (uint16_t)round};
            assert_int_equal(rtm_queue_send(&q, &in, 0), RTM_OK);
        }
        assert_int_equal(rtm_queue_count(&q), (uint32_t)n);
        assert_int_equal(rtm_queue_space(&q), 3u - (uint32_t)n);
        assert_int_equal(rtm_queue_peek(&q, &out), RTM_OK);
        assert_int_equal(out.seq, next_out);
        for (int i = 0; i < n; i++) {
            assert_int_equal(rtm_queue_receive(&q, &out, 0), RTM_OK);
            assert_int_equal(out.seq, next_out++);
        }
    }
    struct item in = {1, 1};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(rtm_queue_send(&q, &in, 0), RTM_OK);
    }
    assert_int_equal(rtm_queue_send(&q, &in, 0), RTM_ERR_TIMEOUT);
    uint32_t t0 = rtm_port_ticks();
    assert_int_equal(rtm_queue_send(&q, &in, 20), RTM_ERR_TIMEOUT);
    uint32_t spent = rtm_port_ticks() - t0;
    assert_true(spent >= 19 && spent < 200);
    assert_int_equal(rtm_queue_reset(&q), RTM_OK);
    assert_int_equal(rtm_queue_count(&q), 0);
    assert_int_equal(rtm_queue_space(&q), 3);
    t0 = rtm_port_ticks();
    assert_int_equal(rtm_queue_receive(&q, &out, 20), RTM_ERR_TIMEOUT);
    spent = rtm_port_ticks() - t0;
    assert_true(spent >= 19 && spent < 200);
    /* NULL items are faults */
    g_faults = 0;
    assert_int_equal(rtm_queue_send(&q, NULL, 0), RTM_ERR_NULL);
    assert_int_equal(rtm_queue_receive(&q, NULL, 0), RTM_ERR_NULL);
    assert_int_equal(rtm_queue_peek(&q, NULL), RTM_ERR_NULL);
    assert_int_equal(rtm_queue_send_from_isr(&q, NULL, NULL), RTM_ERR_NULL);
    assert_int_equal(g_faults, 4);
    /* inside a critical section a blocking call cannot wait */
    rtm_port_enter();
    assert_int_equal(rtm_queue_receive(&q, &out, 10), RTM_ERR_STATE);
    rtm_port_exit();
    assert_int_equal(rtm_queue_deinit(&q), RTM_OK);
}

static void test_isr_rules(void **state)
{
    (void)state;
    RTM_QUEUE_STORAGE(static, mem, uint32_t, 2);
    rtm_queue_t q;
    assert_int_equal(rtm_queue_init(&q, sizeof(uint32_t), 2, mem, sizeof mem), RTM_OK);
    rtm_port_posix_set_isr(true);
    uint32_t v = 7, out = 0;
    bool woke = true;
    assert_int_equal(rtm_queue_send_from_isr(&q, &v, &woke), RTM_OK);
    assert_false(woke); /* nobody waited */
    assert_int_equal(rtm_queue_send_from_isr(&q, &v, NULL), RTM_OK);
    assert_int_equal(rtm_queue_send_from_isr(&q, &v, &woke), RTM_ERR_TIMEOUT);
    assert_int_equal(rtm_queue_send(&q, &v, 5), RTM_ERR_ISR); /* blocking call from an ISR */
    assert_int_equal(rtm_queue_send(&q, &v, 0), RTM_ERR_TIMEOUT);
    assert_int_equal(rtm_queue_receive(&q, &out, 5), RTM_ERR_ISR);
    assert_int_equal(rtm_queue_receive_from_isr(&q, &out, &woke), RTM_OK);
    assert_int_equal(out, 7);
    assert_int_equal(rtm_queue_receive(&q, &out, 0), RTM_OK);
    assert_int_equal(rtm_queue_receive_from_isr(&q, &out, NULL), RTM_ERR_TIMEOUT);
    rtm_port_posix_set_isr(false);
    assert_int_equal(rtm_queue_deinit(&q), RTM_OK);
}

static void test_freertos_layer(void **state)
{
    (void)state;
#if RTMEM_FREERTOS_QUEUE_ACTIVE
    static uint8_t storage[4 * sizeof(uint32_t)];
    static StaticQueue_t qbuf;
    assert_null(xQueueCreateStatic(4, sizeof(uint32_t), storage, NULL));
    assert_null(xQueueCreateStatic(0, sizeof(uint32_t), storage, &qbuf));
    assert_null(xQueueCreateStatic(4, 0, storage, &qbuf));
    assert_null(xQueueCreateStatic(4, sizeof(uint32_t), NULL, &qbuf));
    QueueHandle_t h = xQueueCreateStatic(4, sizeof(uint32_t), storage, &qbuf);
    assert_non_null(h);
    assert_int_equal(uxQueueMessagesWaiting(h), 0);
    assert_int_equal(uxQueueSpacesAvailable(h), 4);
    for (uint32_t i = 0; i < 4; i++) {
        assert_int_equal(xQueueSend(h, &i, 0), pdPASS);
    }
    uint32_t v = 99;
    assert_int_equal(xQueueSend(h, &v, 0), errQUEUE_FULL);
    BaseType_t woken = pdFALSE;
    assert_int_equal(xQueueSendFromISR(h, &v, &woken), errQUEUE_FULL);
    assert_int_equal(uxQueueMessagesWaiting(h), 4);
    assert_int_equal(uxQueueSpacesAvailable(h), 0);
    uint32_t out;
    assert_int_equal(xQueueReceive(h, &out, portMAX_DELAY), pdPASS);
    assert_int_equal(out, 0);
    assert_int_equal(xQueueSendFromISR(h, &v, &woken), pdPASS);
    assert_int_equal(woken, pdFALSE);
    assert_int_equal(xQueueSendFromISR(h, &v, NULL), errQUEUE_FULL);
    for (uint32_t i = 1; i < 4; i++) {
        assert_int_equal(xQueueReceiveFromISR(h, &out, &woken), pdPASS);
        assert_int_equal(out, i);
    }
    assert_int_equal(xQueueReceive(h, &out, 0), pdPASS);
    assert_int_equal(out, 99);
    assert_int_equal(xQueueReceive(h, &out, 10), errQUEUE_EMPTY);
    assert_int_equal(xQueueReceiveFromISR(h, &out, NULL), errQUEUE_EMPTY);
    assert_int_equal(xQueueSend(NULL, &v, 0), errQUEUE_FULL);
    assert_int_equal(uxQueueMessagesWaiting(NULL), 0);
#else
    skip();
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_errors),
        cmocka_unit_test(test_capacity_above_2_31),
        cmocka_unit_test(test_fifo_wrap_peek_reset),
        cmocka_unit_test(test_isr_rules),
        cmocka_unit_test(test_freertos_layer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
