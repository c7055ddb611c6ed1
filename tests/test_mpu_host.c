/*
 * Host enforcement of rtm_mpu maps (runtime/host/mpu_host.c) on the host task
 * runtime: tasks on their own stacks with partitions behind page protection,
 * switched cooperatively and preempted by the runtime's timer. A task that
 * touches another task's partition or stack, or a privileged-only range, is
 * stopped with a MemManage-like record; the others run on and their data are
 * intact; a task's own ranges are usable byte for byte.
 */
#define _GNU_SOURCE 1
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "mpu_host.h"
#include "rtm_rt.h"
#include "rtmem/heap4.h"
#include "rtmem/partition.h"

#define STACK_PAGES 6u
#define PART_PAGES 2u
#define NT 5u

static size_t page;
static rtm_hmpu_t mpu;
static rtm_task_t tasks[NT];
static rtm_stack_t stacks[NT];
static rtm_partition_t parts[NT];
static rtm_heap4_t heaps[NT];
static rtm_mpu_range_t maps[NT][3];
static uint8_t *kernel_page;

/* What the tasks tell the test (plain process memory, never guarded). */
static volatile uint8_t *v_blocks[3];
static volatile uintptr_t v_stack_addr;
static volatile int v_ready, v_rounds, v_bad, survived, f_done;
static volatile size_t f_bytes, f_bad;

static uint8_t pattern(size_t i)
{
    return (uint8_t)(i * 13u + 5u);
}

static void *pages(size_t n)
{
    void *p = mmap(NULL, n * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(p != MAP_FAILED);
    return p;
}

/* ---- Tasks --------------------------------------------------------------- */

static void victim(void *arg)
{
    (void)arg;
    volatile uint8_t here = 1;
    v_stack_addr = (uintptr_t)&here;
    for (size_t b = 0; b < 3u; b++) {
        uint8_t *p = rtm_partition_alloc(&parts[0], 500u);
        assert_non_null(p);
        for (size_t i = 0; i < 500u; i++) {
            p[i] = pattern(i + b);
        }
        v_blocks[b] = p;
    }
    v_ready = 1;
    for (int round = 0; round < 12; round++) {
        /* long enough for the timer to preempt it mid-check now and then */
        for (int rep = 0; rep < 2000; rep++) {
            for (size_t b = 0; b < 3u; b++) {
                for (size_t i = 0; i < 500u; i += 50u) {
                    v_bad += v_blocks[b][i] != pattern(i + b);
                }
            }
        }
        v_rounds++;
        rtm_rt_yield();
    }
    (void)here;
}

static void wait_victim(void)
{
    while (!v_ready) {
        rtm_rt_yield();
    }
}

static void write_partition(void *arg)
{
    (void)arg;
    wait_victim();
    v_blocks[1][10] = 0xEE; /* another task's partition */
    survived++;
}

static void read_stack(void *arg)
{
    (void)arg;
    wait_victim();
    survived += *(volatile uint8_t *)v_stack_addr; /* another task's stack */
}

static void read_kernel(void *arg)
{
    (void)arg;
    survived += *(volatile uint8_t *)kernel_page; /* its own privileged-only range */
}

/* Every byte of its partition and of its stack below its frame. */
static void full_use(void *arg)
{
    (void)arg;
    uint8_t *part = parts[4].mem;
    size_t n = PART_PAGES * page;
    volatile uint8_t here = 0;
    uint8_t *lo = (uint8_t *)maps[4][0].base;
    size_t below = (size_t)((uintptr_t)&here - (uintptr_t)lo) - 512u;
    for (size_t i = 0; i < n; i++) {
        part[i] = pattern(i);
    }
    rtm_rt_yield();
    for (size_t i = 0; i < below; i++) {
        lo[i] = pattern(i + 1u);
    }
    for (size_t i = 0; i < below; i++) {
        f_bad += lo[i] != pattern(i + 1u);
    }
    rtm_rt_yield();
    for (size_t i = 0; i < n; i++) {
        f_bad += part[i] != pattern(i);
    }
    f_bytes = n + below;
    f_done = 1;
    (void)here;
}

static void make_task(unsigned i, const char *name, rtm_task_fn fn)
{
    uint8_t *smem = pages(STACK_PAGES), *pmem = pages(PART_PAGES);
    rtm_stack_cfg_t sc = {name, NULL, RTM_STACK_M_SP, 0u, 0u, NULL, NULL};
    assert_int_equal(rtm_stack_init(&stacks[i], smem, STACK_PAGES * page, &sc), RTM_OK);
    rtm_partition_cfg_t pc = {name, 0u, &rtm_alloc_heap4, &heaps[i], 0u, NULL, NULL};
    assert_int_equal(rtm_partition_init(&parts[i], pmem, PART_PAGES * page, &pc), RTM_OK);
    rtm_partition_t *const *pl = NULL;
    static rtm_partition_t *plist[NT];
    plist[i] = &parts[i];
    pl = &plist[i];
    rtm_task_cfg_t tc = {name, fn, NULL, &stacks[i], pl, 1u, NULL, 0u, 0u};
    assert_int_equal(rtm_task_create(&tasks[i], &tc), RTM_OK);
    assert_int_equal(rtm_hmpu_stack_range(&stacks[i], "stack", &maps[i][0]), RTM_OK);
    rtm_mpu_range_t part = RTM_MPU_DATA(pmem, PART_PAGES * page, "partition");
    maps[i][1] = part;
}

static const rtm_hmpu_record_t *record_of(const char *task)
{
    for (size_t i = 0; i < mpu.nrecords; i++) {
        if (strcmp(mpu.records[i].task, task) == 0) {
            return &mpu.records[i];
        }
    }
    return NULL;
}

/* Victim, three offenders and a task that uses all of its own memory, under
 * preemption: each offender stopped with its record, the rest run to the end. */
static void test_isolation(void **state)
{
    (void)state;
    rtm_rt_init();
    assert_int_equal(rtm_hmpu_init(&mpu), RTM_OK);
    page = mpu.page;
    kernel_page = pages(1u);
    kernel_page[0] = 0x5A;
    make_task(0, "victim", victim);
    make_task(1, "w_part", write_partition);
    make_task(2, "r_stack", read_stack);
    make_task(3, "r_kernel", read_kernel);
    make_task(4, "full", full_use);
    rtm_mpu_range_t kern = RTM_MPU_KERNEL(kernel_page, page, "kernel");
    maps[3][2] = kern;
    for (unsigned i = 0; i < NT; i++) {
        assert_int_equal(rtm_hmpu_add(&mpu, &tasks[i], maps[i], i == 3u ? 3u : 2u), RTM_OK);
    }
    rtm_hmpu_install(&mpu, NULL, NULL);
    rtm_rt_run(2000u);

    assert_int_equal(mpu.protect_errors, 0);
    assert_int_equal(tasks[0].state, RTM_TASK_DONE);
    assert_int_equal(tasks[4].state, RTM_TASK_DONE);
    for (unsigned i = 1; i <= 3u; i++) {
        assert_int_equal(tasks[i].state, RTM_TASK_FAULTED);
        assert_int_equal(tasks[i].why, RTM_ERR_ACCESS);
    }
    assert_int_equal(survived, 0);
    assert_int_equal(v_rounds, 12);
    assert_int_equal(v_bad, 0);
    assert_int_equal(f_done, 1);
    assert_int_equal(f_bad, 0u);
    assert_true(f_bytes > PART_PAGES * page + (STACK_PAGES - 2u) * page);
    /* the victim's data, read after the run (every range back to its rights) */
    for (size_t b = 0; b < 3u; b++) {
        for (size_t i = 0; i < 500u; i++) {
            assert_int_equal(v_blocks[b][i], pattern(i + b));
        }
    }
    assert_int_equal(kernel_page[0], 0x5A);

    const rtm_hmpu_record_t *r = record_of("w_part");
    assert_non_null(r);
    assert_true(r->addr == (uintptr_t)&v_blocks[1][10]);
    assert_int_equal(r->status, SEGV_ACCERR);
    assert_string_equal(r->owner, "victim");
    assert_string_equal(r->range, "partition");
    r = record_of("r_stack");
    assert_non_null(r);
    assert_true(r->addr == v_stack_addr);
    assert_string_equal(r->owner, "victim");
    assert_string_equal(r->range, "stack");
    r = record_of("r_kernel");
    assert_non_null(r);
    assert_true(r->addr == (uintptr_t)kernel_page);
    assert_string_equal(r->owner, "r_kernel");
    assert_string_equal(r->range, "kernel");
    assert_int_equal(r->priv, 1);
    assert_int_equal(mpu.nrecords, 3u);
    for (unsigned i = 0; i < NT; i++) {
        assert_int_equal(rtm_task_delete(&tasks[i]), RTM_OK);
    }
}

/* A range that is not whole pages, or rights the MPU lacks: refused with the
 * range and the rule named, nothing protected, never widened to its pages. */
static void test_unexpressible(void **state)
{
    (void)state;
    rtm_hmpu_t m;
    rtm_task_t t;
    memset(&t, 0, sizeof t);
    assert_int_equal(rtm_hmpu_init(&m), RTM_OK);
    page = m.page;
    uint8_t *mem = pages(2u);
    rtm_mpu_range_t r[] = {RTM_MPU_DATA(mem, page, "ok"), RTM_MPU_DATA(mem + page, 100u, "odd")};
    assert_int_equal(rtm_hmpu_add(&m, &t, r, 2), RTM_ERR_UNEXPRESSIBLE);
    assert_int_equal(m.diag.index, 1u);
    assert_string_equal(m.diag.name, "odd");
    assert_non_null(strstr(m.diag.rule, "whole pages"));
    assert_int_equal(m.diag.fit.need, page);
    assert_int_equal(m.diag.fit.padding, page - 100u);
    assert_int_equal(m.ntasks, 0u);
    assert_int_equal(m.protects, 0u);
    mem[0] = 1; /* still accessible: nothing was protected */
    r[1].size = page;
    r[1].access = RTM_MPU_W;
    assert_int_equal(rtm_hmpu_add(&m, &t, r, 2), RTM_ERR_UNEXPRESSIBLE);
    assert_non_null(strstr(m.diag.rule, "write-only"));
    r[1].size = 0u;
    assert_int_equal(rtm_hmpu_add(&m, &t, r, 2), RTM_ERR_ARG);
    assert_int_equal(rtm_hmpu_add(NULL, &t, r, 2), RTM_ERR_NULL);
    assert_int_equal(rtm_hmpu_add(&m, NULL, r, 2), RTM_ERR_NULL);
    assert_int_equal(rtm_hmpu_add(&m, &t, NULL, 2), RTM_ERR_NULL);
    assert_int_equal(rtm_hmpu_init(NULL), RTM_ERR_NULL);
    assert_int_equal(rtm_hmpu_stack_range(NULL, "x", &r[0]), RTM_ERR_NULL);
    /* accepted: protected at once (the task is not running), given back on release */
    assert_int_equal(rtm_hmpu_add(&m, &t, r, 1), RTM_OK);
    assert_ptr_equal(t.ext, &m.tasks[0]);
    assert_int_equal(m.protects, 1u);
    rtm_hmpu_release(&m);
    mem[0] = 2;
    assert_int_equal(m.protect_errors, 0);
    munmap(mem, 2u * page);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unexpressible),
        cmocka_unit_test(test_isolation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
