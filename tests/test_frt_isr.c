/* The freertos port run, not only compiled (issue 12 item 7): rtmem built
 * with src/port/port_freertos.c against the recording stub kernel
 * (tests/stubs/freertos, kernel_stub_ctl.h), interrupt context recognised
 * through xPortIsInsideInterrupt() as an application on a Cortex-M port
 * would name it. Checked from the kernel's call log:
 *   - from an interrupt, pools, the CMSIS-RTOS2 layer and queues use only the
 *     FROM_ISR critical section and the FromISR notification on the
 *     configured index: no vTaskSuspendAll, no xTaskNotifyGive, no blocking;
 *   - osMemoryPoolAlloc with a timeout from an interrupt returns NULL with no
 *     kernel call at all (CMSIS-RTOS2: timeout must be 0 there);
 *   - a task blocked on a pool or queue is woken on the configured index,
 *     from a task or an interrupt, and a notification the application sent
 *     to it on index 0 is still pending afterwards (with a single
 *     notification entry: the polling wait, no notification at all);
 *   - a task that runs while another is switched out inside a wake-up is
 *     outside every section (ports that switch inside the notification);
 *   - a wait beyond RTMEM_CFG_CMSIS_WAIT_POOLS (1 here) fails at once with
 *     an RTM_ERR_BUSY fault.
 * Built per configuration in tests/pool.cmake; TEST_INDEX is the index the
 * port must use, -1 for the polling wait. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "kernel_stub_ctl.h"
#include "rtmem/cmsis_os2_pool.h"
#include "rtmem/pool.h"
#include "rtmem/queue.h"

#ifndef TEST_INDEX
#error "TEST_INDEX: the notification index the port must use (-1: polling)"
#endif
_Static_assert(RTMEM_CFG_CMSIS_WAIT_POOLS == 1, "built with one wait slot (tests/pool.cmake)");

static int g_kernel_asserts;

void kernel_stub_assert(int line);
void kernel_stub_assert(int line)
{
    (void)line;
    g_kernel_asserts++;
}

/* The kernel heap the CMSIS layer's dynamic memory comes from. */
void *pvPortMalloc(size_t xWantedSize) { return malloc(xWantedSize); }
void vPortFree(void *pv) { free(pv); }

static int g_faults;
static rtm_err_t g_last;

static void hook(void *user, rtm_err_t reason, const void *obj, const void *ptr)
{
    (void)user;
    (void)obj;
    (void)ptr;
    g_last = reason;
    g_faults++;
}

/* ---- The call log ------------------------------------------------------------- */

/* Calls of one kind logged since `mark`, in interrupt (1) / task (0) / any
 * (-1) context, on notification index `index` (-1: any). */
static size_t calls(size_t mark, stub_call_t call, int in_isr, long index)
{
    size_t n = 0;
    for (size_t i = mark; i < stub_log_size(); i++) {
        const stub_rec_t *r = stub_log_at(i);
        if (r->call == call && (in_isr < 0 || r->in_isr == in_isr) &&
            (index < 0 || r->index == (UBaseType_t)index)) {
            n++;
        }
    }
    return n;
}

/* Notification takes (blocking waits) by `task` since `mark`. */
static size_t takes_by(size_t mark, int task)
{
    size_t n = 0;
    for (size_t i = mark; i < stub_log_size(); i++) {
        const stub_rec_t *r = stub_log_at(i);
        if (r->call == STUB_NOTIFY_TAKE && r->task == task) {
            n++;
        }
    }
    return n;
}

/* Nothing that only a task may call, and the kernel left as found. */
static void assert_kernel_clean(void)
{
    assert_int_equal(stub_log_size() <= STUB_LOG_MAX, 1);
    assert_int_equal(stub_isr_violations(), 0);
    assert_int_equal(calls(0, STUB_SUSPEND_ALL, -1, -1), 0);
    assert_int_equal(stub_critical_depth(), 0);
    assert_int_equal(stub_isr_masked(), 0);
    assert_int_equal(stub_suspended(), 0);
    assert_int_equal(g_kernel_asserts, 0);
    assert_int_equal(rtm_port_depth(), 0);
}

/* The wake-up of task 0 since `mark`, sent from `from_isr` context. */
static void assert_woken(size_t mark, int from_isr)
{
    if (TEST_INDEX < 0) {
        /* polling: no notification is sent or taken */
        assert_int_equal(calls(mark, STUB_NOTIFY, -1, -1), 0);
        assert_int_equal(calls(mark, STUB_NOTIFY_FROM_ISR, -1, -1), 0);
        assert_int_equal(calls(mark, STUB_NOTIFY_TAKE, -1, -1), 0);
        assert_true(calls(mark, STUB_DELAY, 0, -1) >= 1u);
    } else {
        stub_call_t give = from_isr ? STUB_NOTIFY_FROM_ISR : STUB_NOTIFY;
        stub_call_t other = from_isr ? STUB_NOTIFY : STUB_NOTIFY_FROM_ISR;
        assert_int_equal(calls(mark, give, from_isr, TEST_INDEX), 1);
        assert_int_equal(calls(mark, give, -1, -1), 1);
        assert_int_equal(calls(mark, other, -1, -1), 0);
        assert_int_equal(calls(mark, STUB_NOTIFY_TAKE, 0, TEST_INDEX), takes_by(mark, 0) + takes_by(mark, 2));
        assert_int_equal(takes_by(mark, 0), 1);
        assert_int_equal(calls(mark, STUB_YIELD_FROM_ISR, 1, -1), from_isr ? 1 : 0);
        assert_int_equal(stub_pending(0, (UBaseType_t)TEST_INDEX), 0);
        for (size_t i = mark; i < stub_log_size(); i++) {
            const stub_rec_t *r = stub_log_at(i);
            if (r->call == give) {
                assert_int_equal(r->task, 0); /* the waiter, not the giver */
            }
        }
    }
    assert_int_equal(calls(mark, STUB_DELAY, 1, -1) + calls(mark, STUB_NOTIFY_TAKE, 1, -1), 0);
    /* the application's own notification on index 0 survived the wait */
    assert_int_equal(stub_pending(0, 0), 1);
    assert_kernel_clean();
}

/* Task 0's application gives itself a notification on index 0, as an
 * application that uses direct-to-task notifications would have pending. */
static size_t app_notification(void)
{
    stub_reset();
    g_kernel_asserts = 0;
    (void)xTaskNotifyGive(stub_task(0));
    return stub_log_size();
}

/* ---- CMSIS-RTOS2 pools ---------------------------------------------------------- */

static _Alignas(8) uint8_t g_cb[RTM_OS2_POOL_CB_SIZE];
static _Alignas(8) uint8_t g_mp[RTM_OS2_POOL_MEM_SIZE(2, 16)];
static _Alignas(8) uint8_t g_cb2[RTM_OS2_POOL_CB_SIZE];
static _Alignas(8) uint8_t g_mp2[RTM_OS2_POOL_MEM_SIZE(1, 16)];

static osMemoryPoolId_t os2_pool(uint32_t count)
{
    osMemoryPoolAttr_t a = {"isr", 0, g_cb, sizeof g_cb, g_mp, sizeof g_mp};
    osMemoryPoolId_t id = osMemoryPoolNew(count, 16, &a);
    assert_non_null(id);
    rtm_os2_pool_set_fault_hook(id, hook, NULL);
    return id;
}

static void test_os2_from_isr(void **state)
{
    (void)state;
    stub_reset();
    osMemoryPoolId_t id = os2_pool(2);
    size_t mark = stub_log_size();
    stub_set_isr(1);
    void *b = osMemoryPoolAlloc(id, 0);
    assert_non_null(b);
    assert_int_equal(osMemoryPoolGetCount(id), 1);
    assert_int_equal(osMemoryPoolFree(id, b), osOK);
    /* a nested interrupt: the mask the outer one set is given back as found */
    UBaseType_t outer = ulPortSetInterruptMaskFromISR();
    b = osMemoryPoolAlloc(id, 0);
    assert_int_equal(stub_isr_masked(), 1);
    assert_int_equal(osMemoryPoolFree(id, b), osOK);
    assert_int_equal(stub_isr_masked(), 1);
    vPortClearInterruptMaskFromISR(outer);
    /* a timeout from an interrupt: NULL, no kernel call, no block taken */
    size_t before = stub_log_size();
    assert_null(osMemoryPoolAlloc(id, 10));
    assert_null(osMemoryPoolAlloc(id, osWaitForever));
    assert_int_equal(stub_log_size(), before);
    assert_int_equal(osMemoryPoolGetCount(id), 0);
    /* creation and deletion are refused there */
    assert_null(osMemoryPoolNew(1, 16, NULL));
    assert_int_equal(osMemoryPoolDelete(id), osErrorISR);
    stub_set_isr(0);
    assert_true(calls(mark, STUB_MASK_FROM_ISR, 1, -1) >= 4u);
    assert_int_equal(calls(mark, STUB_MASK_FROM_ISR, 1, -1), calls(mark, STUB_CLEAR_FROM_ISR, 1, -1));
    assert_int_equal(calls(mark, STUB_ENTER_CRITICAL, -1, -1), 0);
    assert_int_equal(calls(mark, STUB_NOTIFY, -1, -1), 0);
    assert_int_equal(calls(mark, STUB_NOTIFY_TAKE, -1, -1), 0);
    assert_int_equal(g_faults, 0);
    assert_kernel_clean();
    /* from a task: the task critical section, never the scheduler lock */
    mark = stub_log_size();
    b = osMemoryPoolAlloc(id, 0);
    assert_int_equal(osMemoryPoolFree(id, b), osOK);
    assert_true(calls(mark, STUB_ENTER_CRITICAL, 0, -1) >= 2u);
    assert_int_equal(calls(mark, STUB_MASK_FROM_ISR, -1, -1), 0);
    assert_int_equal(osMemoryPoolDelete(id), osOK);
    assert_kernel_clean();
}

static osMemoryPoolId_t g_id;
static void *g_held;

static void free_from_isr(void *arg)
{
    (void)arg;
    stub_set_isr(1);
    assert_int_equal(osMemoryPoolFree(g_id, g_held), osOK);
    stub_set_isr(0);
}

static void free_from_task1(void *arg)
{
    (void)arg;
    stub_set_task(1);
    assert_int_equal(osMemoryPoolFree(g_id, g_held), osOK);
    stub_set_task(0);
}

static void os2_wake(void (*freer)(void *), int from_isr)
{
    g_id = os2_pool(1);
    g_held = osMemoryPoolAlloc(g_id, 0);
    assert_non_null(g_held);
    size_t mark = app_notification();
    stub_on_block(freer, NULL);
    void *got = osMemoryPoolAlloc(g_id, osWaitForever);
    assert_ptr_equal(got, g_held);
    assert_int_equal(rtm_os2_pool_waiters(g_id), 0);
    assert_woken(mark, from_isr);
    assert_int_equal(osMemoryPoolFree(g_id, got), osOK);
    assert_int_equal(osMemoryPoolDelete(g_id), osOK);
    assert_int_equal(g_faults, 0);
}

static void test_os2_wake_from_isr(void **state)
{
    (void)state;
    os2_wake(free_from_isr, 1);
}

static void test_os2_wake_from_task(void **state)
{
    (void)state;
    os2_wake(free_from_task1, 0);
}

static void test_os2_timeout(void **state)
{
    (void)state;
    g_id = os2_pool(1);
    void *b = osMemoryPoolAlloc(g_id, 0);
    size_t mark = app_notification();
    assert_null(osMemoryPoolAlloc(g_id, 5));
    assert_int_equal(rtm_os2_pool_waiters(g_id), 0);
    assert_true(xTaskGetTickCount() >= 5u); /* the stub's ticks, not a clock */
    assert_int_equal(calls(mark, STUB_NOTIFY, -1, -1) + calls(mark, STUB_NOTIFY_FROM_ISR, -1, -1), 0);
    assert_int_equal(stub_pending(0, 0), 1);
    assert_int_equal(g_faults, 0); /* a timeout is no fault */
    assert_kernel_clean();
    assert_int_equal(osMemoryPoolFree(g_id, b), osOK);
    assert_int_equal(osMemoryPoolDelete(g_id), osOK);
}

/* Task 0 waits on pool 1 and holds the only wait slot; task 1 then asks to
 * wait on pool 2: refused at once, with a fault, then frees pool 1's block. */
static osMemoryPoolId_t g_id2;

static void second_pool_waiter(void *arg)
{
    (void)arg;
    stub_set_task(1);
    size_t mark = stub_log_size();
    assert_null(osMemoryPoolAlloc(g_id2, osWaitForever));
    assert_int_equal(calls(mark, STUB_NOTIFY_TAKE, -1, -1) + calls(mark, STUB_DELAY, -1, -1), 0);
    assert_int_equal(g_faults, 1);
    assert_int_equal(g_last, RTM_ERR_BUSY);
    assert_int_equal(rtm_os2_pool_faults(g_id2), 1);
    assert_int_equal(osMemoryPoolFree(g_id, g_held), osOK);
    stub_set_task(0);
}

static void test_os2_wait_slots(void **state)
{
    (void)state;
    g_id = os2_pool(1);
    osMemoryPoolAttr_t a2 = {"second", 0, g_cb2, sizeof g_cb2, g_mp2, sizeof g_mp2};
    g_id2 = osMemoryPoolNew(1, 16, &a2);
    assert_non_null(g_id2);
    rtm_os2_pool_set_fault_hook(g_id2, hook, NULL);
    void *b2 = osMemoryPoolAlloc(g_id2, 0);
    g_held = osMemoryPoolAlloc(g_id, 0);
    g_faults = 0;
    size_t mark = app_notification();
    stub_on_block(second_pool_waiter, NULL);
    assert_ptr_equal(osMemoryPoolAlloc(g_id, osWaitForever), g_held);
    assert_int_equal(stub_pending(0, 0), 1);
    (void)mark;
    assert_kernel_clean();
    /* once the slot is free again, pool 2 may have waiters: it times out */
    g_faults = 0;
    assert_null(osMemoryPoolAlloc(g_id2, 3));
    assert_int_equal(g_faults, 0);
    assert_int_equal(osMemoryPoolFree(g_id2, b2), osOK);
    assert_int_equal(osMemoryPoolFree(g_id, g_held), osOK);
    assert_int_equal(osMemoryPoolDelete(g_id2), osOK);
    assert_int_equal(osMemoryPoolDelete(g_id), osOK);
}

/* ---- rtm_pool --------------------------------------------------------------------- */

RTM_POOL_STORAGE(static, g_pool_mem, uint64_t, 2);
static rtm_pool_t g_pool;

static void pool_free_from_isr(void *arg)
{
    (void)arg;
    stub_set_isr(1);
    assert_int_equal(rtm_pool_free(&g_pool, g_held), RTM_OK);
    stub_set_isr(0);
}

static void test_pool_isr_and_wake(void **state)
{
    (void)state;
    assert_int_equal(rtm_pool_init(&g_pool, g_pool_mem, sizeof g_pool_mem, sizeof(uint64_t),
                                   _Alignof(uint64_t), 1, RTM_POOL_DEFAULT), RTM_OK);
    rtm_pool_set_fault_hook(&g_pool, hook, NULL);
    stub_reset();
    stub_set_isr(1);
    void *b = rtm_pool_alloc(&g_pool);
    assert_non_null(b);
    assert_null(rtm_pool_alloc_timeout(&g_pool, 10)); /* empty, and no waiting in an ISR */
    assert_int_equal(rtm_pool_free(&g_pool, b), RTM_OK);
    stub_set_isr(0);
    assert_int_equal(calls(0, STUB_ENTER_CRITICAL, -1, -1), 0);
    assert_int_equal(calls(0, STUB_NOTIFY_TAKE, -1, -1) + calls(0, STUB_DELAY, -1, -1), 0);
    assert_true(calls(0, STUB_MASK_FROM_ISR, 1, -1) >= 2u);
    assert_kernel_clean();
    /* a task blocked on the empty pool, woken by an interrupt's free */
    g_held = rtm_pool_alloc(&g_pool);
    size_t mark = app_notification();
    stub_on_block(pool_free_from_isr, NULL);
    assert_ptr_equal(rtm_pool_alloc_timeout(&g_pool, RTM_WAIT_FOREVER), g_held);
    assert_woken(mark, 1);
    assert_int_equal(rtm_pool_free(&g_pool, g_held), RTM_OK);
    assert_int_equal(rtm_pool_deinit(&g_pool), RTM_OK);
    assert_int_equal(g_faults, 0);
}

/* A port that switches inside the notification (the POSIX simulator): task
 * 1's free wakes task 0, and task 2 runs at once, while task 1 is still in
 * the pool's section. Task 2 is outside every section: it must be able to
 * block (here on an empty rtm_pool, until its timeout). Found on the real
 * kernel's POSIX port, where the port counted task 1's nesting for task 2
 * and task 2's wait failed with RTM_ERR_STATE at once. */
static int g_switched;

static void task2_runs(void *arg)
{
    (void)arg;
    stub_set_task(2);
    g_switched++;
    assert_int_equal(rtm_port_depth(), 0);
    size_t mark = stub_log_size();
    assert_null(rtm_pool_alloc_timeout(&g_pool, 3));
    assert_int_equal(calls(mark, STUB_NOTIFY_TAKE, 0, TEST_INDEX), 1);
    stub_set_task(1);
}

static void free_from_task1_switching(void *arg)
{
    (void)arg;
    stub_set_task(1);
    stub_on_notify(task2_runs, NULL);
    assert_int_equal(osMemoryPoolFree(g_id, g_held), osOK);
    stub_set_task(0);
}

static void test_switch_inside_notify(void **state)
{
    (void)state;
    assert_int_equal(rtm_pool_init(&g_pool, g_pool_mem, sizeof g_pool_mem, sizeof(uint64_t),
                                   _Alignof(uint64_t), 1, RTM_POOL_DEFAULT), RTM_OK);
    void *p = rtm_pool_alloc(&g_pool);
    g_switched = 0;
    os2_wake(free_from_task1_switching, 0);
    assert_int_equal(g_switched, TEST_INDEX < 0 ? 0 : 1); /* polling: no notification */
    assert_int_equal(rtm_pool_free(&g_pool, p), RTM_OK);
    assert_int_equal(rtm_pool_deinit(&g_pool), RTM_OK);
}

/* ---- rtm_queue -------------------------------------------------------------------- */

RTM_QUEUE_STORAGE(static, g_q_mem, uint32_t, 2);
static rtm_queue_t g_q;

static void send_from_isr(void *arg)
{
    (void)arg;
    uint32_t v = 42;
    bool woke = false;
    stub_set_isr(1);
    assert_int_equal(rtm_queue_send_from_isr(&g_q, &v, &woke), RTM_OK);
    stub_set_isr(0);
    assert_true(TEST_INDEX < 0 || woke);
}

static void test_queue_isr_and_wake(void **state)
{
    (void)state;
    assert_int_equal(rtm_queue_init(&g_q, sizeof(uint32_t), 2, g_q_mem, sizeof g_q_mem), RTM_OK);
    stub_reset();
    uint32_t v = 7;
    bool woke = false;
    stub_set_isr(1);
    assert_int_equal(rtm_queue_send_from_isr(&g_q, &v, &woke), RTM_OK);
    assert_int_equal(rtm_queue_receive_from_isr(&g_q, &v, &woke), RTM_OK);
    assert_int_equal(v, 7);
    assert_int_equal(rtm_queue_receive_from_isr(&g_q, &v, &woke), RTM_ERR_TIMEOUT);
    stub_set_isr(0);
    assert_int_equal(calls(0, STUB_ENTER_CRITICAL, -1, -1), 0);
    assert_kernel_clean();
    /* a task blocked in receive, woken by an interrupt's send */
    size_t mark = app_notification();
    stub_on_block(send_from_isr, NULL);
    assert_int_equal(rtm_queue_receive(&g_q, &v, RTM_WAIT_FOREVER), RTM_OK);
    assert_int_equal(v, 42);
    assert_woken(mark, 1);
    assert_int_equal(rtm_queue_deinit(&g_q), RTM_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_os2_from_isr),
        cmocka_unit_test(test_os2_wake_from_isr),
        cmocka_unit_test(test_os2_wake_from_task),
        cmocka_unit_test(test_os2_timeout),
        cmocka_unit_test(test_os2_wait_slots),
        cmocka_unit_test(test_pool_isr_and_wake),
        cmocka_unit_test(test_switch_inside_notify),
        cmocka_unit_test(test_queue_isr_and_wake),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
