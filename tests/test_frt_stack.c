/*
 * rtm_stack in a FreeRTOS application, against the stub kernel headers: the
 * tasks are created through xTaskCreateStatic on the usable part of an
 * rtm_stack, the kernel's switch calls traceTASK_SWITCHED_OUT (wired in
 * tests/freertos_cfg/stack/FreeRTOSConfig.h as an application would), and
 * an overflow reaches vApplicationStackOverflowHook with the task's handle
 * and name. The kernel side here is a fake that does what the kernel does
 * at those points (paints the stack with 0xA5, keeps pxTopOfStack first in
 * the TCB, saves the stack pointer there before the hook).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rtmem/freertos_stack.h"

/* ---- The fake kernel ------------------------------------------------------ */

static void *pxCurrentTCB;
static StackType_t *given_buffer;
static uint32_t given_depth;
static int created; /* tasks the kernel made */

TaskHandle_t xTaskCreateStatic(TaskFunction_t pxTaskCode, const char *const pcName,
                               const configSTACK_DEPTH_TYPE uxStackDepth, void *const pvParameters,
                               UBaseType_t uxPriority, StackType_t *const puxStackBuffer,
                               StaticTask_t *const pxTaskBuffer)
{
    (void)pxTaskCode;
    (void)pcName;
    (void)pvParameters;
    (void)uxPriority;
    if (puxStackBuffer == NULL || pxTaskBuffer == NULL) {
        return NULL;
    }
    memset(puxStackBuffer, 0xA5, uxStackDepth * sizeof(StackType_t));
    pxTaskBuffer->pxDummy1 = puxStackBuffer + uxStackDepth; /* top of stack */
    given_buffer = puxStackBuffer;
    given_depth = uxStackDepth;
    created++;
    return pxTaskBuffer;
}

/* The kernel's switch-out: the port saved the context, the SP is stored in
 * pxTopOfStack, then vTaskSwitchContext runs the trace macro. */
static void kernel_switch_out(void *tcb, void *sp)
{
    pxCurrentTCB = tcb;
    ((StaticTask_t *)tcb)->pxDummy1 = sp;
    traceTASK_SWITCHED_OUT();
}

static int hooked;
static TaskHandle_t hooked_task;
static const char *hooked_name;
void vApplicationStackOverflowHook(TaskHandle_t xTask, char *pcTaskName)
{
    hooked++;
    hooked_task = xTask;
    hooked_name = pcTaskName;
}

static void task_fn(void *arg)
{
    (void)arg;
}

/* ---- Tests ----------------------------------------------------------------- */

RTM_STACK_STORAGE(static, mem_a, 1024);
RTM_STACK_STORAGE(static, mem_b, 1024);

static void test_create_and_checks(void **state)
{
    (void)state;
    rtm_stack_t sa, sb;
    static StaticTask_t ta, tb;
    rtm_stack_cfg_t c = {NULL, NULL, RTM_STACK_M_SP | RTM_STACK_M_CANARY, 0u, 0u, NULL, NULL};
    assert_int_equal(rtm_stack_init(&sa, mem_a, sizeof mem_a, &c), RTM_OK);
    assert_int_equal(rtm_stack_init(&sb, mem_b, sizeof mem_b, &c), RTM_OK);
    TaskHandle_t ha = rtm_frt_task_create_static(task_fn, "alpha", &sa, NULL, 1, &ta);
    assert_ptr_equal(ha, &ta);
    /* the kernel got the usable part only; the canary below stays rtmem's */
    assert_ptr_equal(given_buffer, (StackType_t *)rtm_stack_limit(&sa));
    assert_int_equal(given_depth, (sizeof mem_a - RTM_STACK_CANARY_BYTES) / sizeof(StackType_t));
    assert_ptr_equal(sa.handle, ha);
    assert_string_equal(sa.name, "alpha");
    TaskHandle_t hb = rtm_frt_task_create_static(task_fn, "beta", &sb, NULL, 1, &tb);
    assert_non_null(hb);
    hooked = 0;
    assert_int_equal(rtm_stack_check(&sa, rtm_stack_limit(&sa)), RTM_OK); /* canary survived the paint */

    /* a task that used 200 bytes and switched out in bounds */
    memset(mem_a + sizeof mem_a - 200u, 0x00, 200u);
    kernel_switch_out(ha, mem_a + sizeof mem_a - 200u);
    assert_int_equal(hooked, 0);
    assert_int_equal(rtm_stack_free_min_words(&sa), (sizeof mem_a - RTM_STACK_CANARY_BYTES - 200u) / 4u);
    /* method 1: beta's saved SP below its limit */
    kernel_switch_out(hb, (void *)(rtm_stack_limit(&sb) - 8u));
    assert_int_equal(hooked, 1);
    assert_ptr_equal(hooked_task, hb);
    assert_string_equal(hooked_name, "beta");
    /* method 2: alpha's canary written over, SP back in bounds */
    mem_a[3] ^= 0xFFu;
    kernel_switch_out(ha, mem_a + sizeof mem_a - 64u);
    assert_int_equal(hooked, 2);
    assert_ptr_equal(hooked_task, ha);
    assert_string_equal(hooked_name, "alpha");
    mem_a[3] ^= 0xFFu;
    /* a task without an attached stack, and a detached one: ignored */
    static StaticTask_t other;
    other.pxDummy1 = NULL;
    kernel_switch_out(&other, NULL);
    rtm_frt_stack_detach(hb);
    kernel_switch_out(hb, (void *)(rtm_stack_limit(&sb) - 8u));
    assert_int_equal(hooked, 2);
    rtm_frt_stack_detach(ha);
}

static void test_attach_errors(void **state)
{
    (void)state;
    rtm_stack_t s[RTMEM_CFG_FREERTOS_STACKS + 1];
    static StaticTask_t tcb[RTMEM_CFG_FREERTOS_STACKS + 1];
    assert_int_equal(rtm_frt_stack_attach(NULL, &tcb[0]), RTM_ERR_NULL);
    assert_int_equal(rtm_frt_stack_attach(&s[0], NULL), RTM_ERR_NULL);
    for (size_t i = 0; i < RTMEM_CFG_FREERTOS_STACKS; i++) {
        assert_int_equal(rtm_frt_stack_attach(&s[i], &tcb[i]), RTM_OK);
    }
    assert_int_equal(rtm_frt_stack_attach(&s[RTMEM_CFG_FREERTOS_STACKS],
                                          &tcb[RTMEM_CFG_FREERTOS_STACKS]),
                     RTM_ERR_NO_MEMORY);
    assert_int_equal(rtm_frt_stack_attach(&s[0], &tcb[0]), RTM_OK); /* again: same slot */
    /* table full: the task is not created (a NULL result must not leave a
     * running task the caller has no handle for) */
    rtm_stack_t extra;
    static StaticTask_t extra_tcb;
    assert_int_equal(rtm_stack_init(&extra, mem_b, sizeof mem_b, NULL), RTM_OK);
    created = 0;
    assert_null(rtm_frt_task_create_static(task_fn, "late", &extra, NULL, 1, &extra_tcb));
    assert_int_equal(created, 0);
    for (size_t i = 0; i < RTMEM_CFG_FREERTOS_STACKS; i++) {
        rtm_frt_stack_detach(&tcb[i]);
    }
    assert_null(rtm_frt_task_create_static(task_fn, "x", NULL, NULL, 1, &tcb[0]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_and_checks),
        cmocka_unit_test(test_attach_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
