/*
 * The host task runtime running real tasks on rtm_stack stacks:
 * - the high-water mark follows the recursion depth (frame size measured
 *   from the frames' own addresses), preempted by the timer;
 * - methods 1 (SP at a preemptive switch), 2 (canary, at a cooperative
 *   switch after the task came back up) and 3 (guard page, SIGSEGV on the
 *   task's signal stack) each catch an overflowing task, reported with its
 *   name and the method, while other tasks run on with their data intact;
 * - the switch hook sees every switch with the owner already set;
 * - delete gives the dynamic stack, the partitions and the owner's quota
 *   blocks back;
 * - bad input: a stack too small for the runtime, NULLs, a live task.
 * Built without ASan (see cmake/modules/runtime.cmake), with UBSan.
 */
#define _GNU_SOURCE 1
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "rtm_rt.h"
#include "rt_report.h"
#include "rtmem/heap4.h"
#include "rtmem/tlsf.h"

#define KIB 1024u
#define STACK (64u * KIB)
#define PREEMPT_US 2000u

/* The shared tasks (rt_tasks.h) at host sizes. */
#define RT_PAD 200
#define RT_FRAME_ROWS 2
#define RT_FRAME_LEVELS 128
#define RT_VICTIM_LOCAL 512
#define RT_VICTIM_WORK 20000u
#define RT_VICTIM_BLOCK 256u
#include "rt_tasks.h"

/* ---- Reports ------------------------------------------------------------ */

static report_t overflow_seen[16];
static int noverflow;

static void on_overflow(void *user, const rtm_stack_t *s, rtm_stack_method_t m, const void *a)
{
    (void)user;
    (void)a;
    if (noverflow < 16) {
        const rtm_task_t *t = s->handle;
        overflow_seen[noverflow++] = (report_t){t->name, RTM_ERR_STACK_OVERFLOW, m, 0u};
    }
}

static int setup(void **state)
{
    (void)state;
    rtm_rt_init();
    rtm_rt_set_fault_hook(on_rt_fault, NULL);
    rtm_stack_set_overflow_hook(on_overflow, NULL);
    nreports = 0;
    noverflow = 0;
    return 0;
}

/* Page-aligned memory: `below` sacrificial bytes (methods 1 and 2 detect an
 * overflow after it happened; what it overwrote must be nobody's), then the
 * stack's own `size` bytes. */
static uint8_t *map(size_t below, size_t size)
{
    void *p = mmap(NULL, below + size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(p != MAP_FAILED);
    return (uint8_t *)p + below;
}

static void unmap(uint8_t *stack, size_t below, size_t size)
{
    assert_int_equal(munmap(stack - below, below + size), 0);
}

static void make_stack(rtm_stack_t *s, uint8_t *mem, size_t size, uint16_t methods, size_t guard)
{
    rtm_stack_cfg_t c = {NULL, NULL, methods, 0u, guard, NULL, NULL};
    assert_int_equal(rtm_stack_init(s, mem, size, &c), RTM_OK);
}

/* ---- Tests ----------------------------------------------------------------- */

static void test_hwm_follows_depth(void **state)
{
    (void)state;
    static rtm_stack_t s1, s2, s3;
    static rtm_task_t t1, t2, t3;
    uint8_t *m1 = map(0, STACK), *m2 = map(0, STACK), *m3 = map(0, STACK);
    make_stack(&s1, m1, STACK, RTM_STACK_M_SP | RTM_STACK_M_CANARY, 0u);
    make_stack(&s2, m2, STACK, RTM_STACK_M_SP | RTM_STACK_M_CANARY, 0u);
    make_stack(&s3, m3, STACK, 0u, 0u);
    dive_t d1 = {10, 0, 0, 0u, 0u}, d2 = {40, 1, 0, 0u, 0u};
    static victim_t v;
    uint8_t block[256];
    memset(block, 0xE7, sizeof block);
    v = (victim_t){block, 20, false, false, 0u};
    rtm_task_cfg_t c1 = {"shallow", dive_task, &d1, &s1, NULL, 0u, NULL, 0u, 0u};
    rtm_task_cfg_t c2 = {"deep", dive_task, &d2, &s2, NULL, 0u, NULL, 0u, 0u};
    rtm_task_cfg_t c3 = {"other", victim_task, &v, &s3, NULL, 0u, NULL, 0u, 0u};
    assert_int_equal(rtm_task_create(&t1, &c1), RTM_OK);
    assert_int_equal(rtm_task_create(&t2, &c2), RTM_OK);
    assert_int_equal(rtm_task_create(&t3, &c3), RTM_OK);
    rtm_rt_run(PREEMPT_US);
    assert_int_equal(nreports, 0);
    assert_int_equal(t1.state, RTM_TASK_DONE);
    assert_int_equal(t2.state, RTM_TASK_DONE);
    assert_true(v.done && v.intact);
    /* one frame of dive(), from its own addresses (constant at every level) */
    uintptr_t frame = frame_at[1][0] - frame_at[1][1];
    for (int i = 1; i < 40; i++) {
        assert_int_equal(frame_at[1][i] - frame_at[1][i + 1], frame);
    }
    assert_true(frame >= RT_PAD);
    size_t u1 = rtm_stack_used_max(&s1), u2 = rtm_stack_used_max(&s2);
    /* 30 more frames, within the ABI's stack alignment (16 on x86-64) */
    size_t want = 30u * frame;
    print_message("frame %zu B: used %zu B at depth 10, %zu B at depth 40 (30 frames = %zu B)\n",
                  (size_t)frame, u1, u2, want);
    assert_true(u2 - u1 + 16u >= want && u2 - u1 <= want + 16u);
    assert_true(u1 >= 10u * frame);
    rtm_stack_advice_t a;
    assert_int_equal(rtm_stack_advise(&s2, 20u, &a), RTM_OK);
    assert_int_equal(a.used_bytes, u2);
    assert_true(a.advised_bytes >= u2 + u2 / 5u + RTM_STACK_CANARY_BYTES);
    assert_int_equal(rtm_stack_free_min_words(&s2), rtm_stack_free_min(&s2) / 4u);
    assert_int_equal(rtm_task_delete(&t1), RTM_OK);
    assert_int_equal(rtm_task_delete(&t2), RTM_OK);
    assert_int_equal(rtm_task_delete(&t3), RTM_OK);
    unmap(m1, 0, STACK);
    unmap(m2, 0, STACK);
    unmap(m3, 0, STACK);
}

/* Methods 1, 2, 3: each overflowing task caught with its name and method;
 * two victims (one with its data in a partition) run on intact. */
static void test_overflow_methods(void **state)
{
    (void)state;
    const size_t page = rtm_rt_page_size();
    const size_t below = 32u * KIB;
    static rtm_stack_t sm1, sm2, sm3, sv1, sv2;
    static rtm_task_t tm1, tm2, tm3, tv1, tv2;
    uint8_t *m1 = map(below, STACK), *m2 = map(below, STACK), *m3 = map(0, page + STACK);
    uint8_t *v1 = map(0, STACK), *v2 = map(0, STACK);
    make_stack(&sm1, m1, STACK, RTM_STACK_M_SP, 0u);
    make_stack(&sm2, m2, STACK, RTM_STACK_M_CANARY, 0u);
    make_stack(&sm3, m3, page + STACK, RTM_STACK_M_GUARD, page);
    make_stack(&sv1, v1, STACK, RTM_STACK_M_SP | RTM_STACK_M_CANARY, 0u);
    make_stack(&sv2, v2, STACK, RTM_STACK_M_SP | RTM_STACK_M_CANARY, 0u);
    /* m1: 8 KiB past its limit, then spins there until preempted;
     * m2: 4 KiB past (through the canary), back up, then yields;
     * m3: down until the guard page faults */
    dive_t d1 = {0, -1, 1, rtm_stack_limit(&sm1) - 8u * KIB, 0u};
    dive_t d2 = {0, -1, 2, rtm_stack_limit(&sm2) - 4u * KIB, 0u};
    dive_t d3 = {0, -1, 2, 0u, 0u};
    /* victim 2's block lives in its partition */
    static rtm_tlsf_t pt;
    static _Alignas(8) uint8_t pmem[8192];
    rtm_partition_t part;
    rtm_partition_cfg_t pc = {"v2-data", 0u, &rtm_alloc_tlsf, &pt, 0u, NULL, NULL};
    assert_int_equal(rtm_partition_init(&part, pmem, sizeof pmem, &pc), RTM_OK);
    uint8_t *vb1 = malloc(256), *vb2 = rtm_partition_alloc(&part, 256);
    assert_non_null(vb1);
    assert_non_null(vb2);
    memset(vb1, 0xE7, 256);
    memset(vb2, 0xE7, 256);
    static victim_t vv1, vv2;
    vv1 = (victim_t){vb1, 40, false, false, 0u};
    vv2 = (victim_t){vb2, 40, false, false, 0u};
    rtm_partition_t *const parts[] = {&part};
    rtm_task_cfg_t c[] = {
        {"victim1", victim_task, &vv1, &sv1, NULL, 0u, NULL, 0u, 0u},
        {"sp-task", dive_task, &d1, &sm1, NULL, 0u, NULL, 0u, 0u},
        {"canary-task", dive_task, &d2, &sm2, NULL, 0u, NULL, 0u, 0u},
        {"guard-task", dive_task, &d3, &sm3, NULL, 0u, NULL, 0u, 0u},
        {"victim2", victim_task, &vv2, &sv2, parts, 1u, NULL, 0u, 0u},
    };
    rtm_task_t *t[] = {&tv1, &tm1, &tm2, &tm3, &tv2};
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(rtm_task_create(t[i], &c[i]), RTM_OK);
    }
    rtm_rt_run(PREEMPT_US);
    /* each overflowing task: stopped, reported once with name and method */
    assert_int_equal(nreports, 3);
    const report_t *r1 = report_of("sp-task"), *r2 = report_of("canary-task"),
                   *r3 = report_of("guard-task");
    assert_non_null(r1);
    assert_non_null(r2);
    assert_non_null(r3);
    assert_int_equal(r1->err, RTM_ERR_STACK_OVERFLOW);
    assert_int_equal(r1->method, RTM_STACK_M_SP);
    assert_int_equal(r2->err, RTM_ERR_STACK_OVERFLOW);
    assert_int_equal(r2->method, RTM_STACK_M_CANARY);
    assert_int_equal(r3->err, RTM_ERR_STACK_OVERFLOW);
    assert_int_equal(r3->method, RTM_STACK_M_GUARD);
    assert_int_equal(r3->status, SEGV_ACCERR); /* the SIGSEGV itself, not a switch check */
    assert_int_equal(r1->status, 0);
    assert_int_equal(tm1.state, RTM_TASK_FAULTED);
    assert_int_equal(tm2.state, RTM_TASK_FAULTED);
    assert_int_equal(tm3.state, RTM_TASK_FAULTED);
    /* the stack overflow hook saw the same, with the task as handle */
    assert_int_equal(noverflow, 3);
    for (int i = 0; i < 3; i++) {
        assert_non_null(report_of(overflow_seen[i].name));
        assert_int_equal(report_of(overflow_seen[i].name)->method, overflow_seen[i].method);
    }
    /* the others ran to the end with their data intact */
    assert_true(vv1.done && vv1.intact);
    assert_true(vv2.done && vv2.intact);
    assert_int_equal(tv1.state, RTM_TASK_DONE);
    assert_int_equal(tv2.state, RTM_TASK_DONE);
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(rtm_task_delete(t[i]), RTM_OK);
    }
    free(vb1);
    unmap(m1, below, STACK);
    unmap(m2, below, STACK);
    unmap(m3, 0, page + STACK);
    unmap(v1, 0, STACK);
    unmap(v2, 0, STACK);
}

/* Cooperative round robin; the switch hook sees every switch, the owner
 * already set to the incoming task's. */
static char order[64];
static size_t norder;
static int hook_calls, hook_bad_owner;
static void on_switch(void *user, rtm_task_t *from, rtm_task_t *to)
{
    (void)user;
    (void)from;
    hook_calls++;
    rtm_owner_t want = to != NULL ? to->owner : RTM_OWNER_NONE;
    hook_bad_owner += rtm_owner_current() != want;
}

typedef struct {
    char tag;
    rtm_owner_t seen;
} coop_t;

static void coop_task(void *arg)
{
    coop_t *c = arg;
    for (int i = 0; i < 3; i++) {
        if (norder < sizeof order - 1u) {
            order[norder++] = c->tag;
        }
        c->seen = rtm_owner_current();
        rtm_rt_yield();
    }
}

static void test_cooperative_and_switch_hook(void **state)
{
    (void)state;
    static rtm_stack_t sa, sb;
    static rtm_task_t ta, tb;
    uint8_t *ma = map(0, STACK), *mb = map(0, STACK);
    make_stack(&sa, ma, STACK, RTM_STACK_M_SP, 0u);
    make_stack(&sb, mb, STACK, RTM_STACK_M_SP, 0u);
    coop_t ca = {'a', 0u}, cb = {'b', 0u};
    rtm_task_cfg_t cfa = {"a", coop_task, &ca, &sa, NULL, 0u, NULL, 7u, 0u};
    rtm_task_cfg_t cfb = {"b", coop_task, &cb, &sb, NULL, 0u, NULL, 0u, 0u};
    assert_int_equal(rtm_task_create(&ta, &cfa), RTM_OK);
    assert_int_equal(rtm_task_create(&tb, &cfb), RTM_OK);
    assert_int_equal(ta.owner, 7);
    assert_int_equal(tb.owner, 1); /* assigned */
    rtm_rt_set_switch_hook(on_switch, NULL);
    norder = 0;
    hook_calls = 0;
    hook_bad_owner = 0;
    rtm_rt_run(0u);
    order[norder] = '\0';
    assert_string_equal(order, "ababab");
    assert_int_equal(ca.seen, 7);
    assert_int_equal(cb.seen, 1);
    assert_int_equal(hook_bad_owner, 0);
    assert_int_equal(hook_calls, (int)rtm_rt_switch_count());
    assert_int_equal(hook_calls, 9); /* 8 switches between tasks, 1 back to run() */
    assert_int_equal(rtm_owner_current(), RTM_OWNER_NONE);
    assert_int_equal(rtm_task_delete(&ta), RTM_OK);
    assert_int_equal(rtm_task_delete(&tb), RTM_OK);
    unmap(ma, 0, STACK);
    unmap(mb, 0, STACK);
}

/* Delete gives everything back: the dynamic stack to its heap, the
 * partition's blocks, the owner's quota blocks (another owner's stay). */
static rtm_quota_t quota;
static rtm_partition_t tpart;
static bool user_ok;
static void user_task(void *arg)
{
    (void)arg;
    void *p;
    user_ok = rtm_quota_alloc_current(&quota, 100, &p) == RTM_OK &&
              rtm_quota_alloc_current(&quota, 200, &p) == RTM_OK &&
              rtm_partition_alloc(&tpart, 300) != NULL && rtm_partition_alloc(&tpart, 30) != NULL;
}

static void test_delete_gives_back(void **state)
{
    (void)state;
    static _Alignas(16) uint8_t heap_mem[256 * 1024];
    static _Alignas(16) uint8_t shared_mem[16384];
    static _Alignas(16) uint8_t part_mem[4096];
    static rtm_heap4_t h4, hs;
    static rtm_tlsf_t pt;
    assert_int_equal(rtm_heap4_init(&h4, heap_mem, sizeof heap_mem), RTM_OK);
    assert_int_equal(rtm_heap4_init(&hs, shared_mem, sizeof shared_mem), RTM_OK);
    rtm_alloc_t stacks = rtm_alloc_bind(&rtm_alloc_heap4, &h4);
    rtm_alloc_t shared = rtm_alloc_bind(&rtm_alloc_heap4, &hs);
    rtm_quota_owner_t rows[2];
    assert_int_equal(rtm_quota_init(&quota, &shared, rows, 2, NULL, NULL), RTM_OK);
    assert_int_equal(rtm_quota_set(&quota, 5u, 1000u, 10u), RTM_OK);
    assert_int_equal(rtm_quota_set(&quota, 6u, 1000u, 10u), RTM_OK);
    void *other;
    assert_int_equal(rtm_quota_alloc(&quota, 6u, 64, &other), RTM_OK);
    rtm_partition_cfg_t pc = {"user", 5u, &rtm_alloc_tlsf, &pt, 0u, NULL, NULL};
    assert_int_equal(rtm_partition_init(&tpart, part_mem, sizeof part_mem, &pc), RTM_OK);
    static rtm_stack_t s;
    static rtm_task_t t;
    rtm_stack_cfg_t sc = {NULL, NULL, RTM_STACK_M_SP | RTM_STACK_M_CANARY, 0u, 0u, NULL, NULL};
    assert_int_equal(rtm_stack_create(&s, &stacks, STACK, &sc), RTM_OK);
    rtm_partition_t *const parts[] = {&tpart};
    rtm_task_cfg_t c = {"user", user_task, NULL, &s, parts, 1u, &quota, 5u, 0u};
    assert_int_equal(rtm_task_create(&t, &c), RTM_OK);
    rtm_rt_run(PREEMPT_US);
    assert_true(user_ok);
    rtm_quota_owner_t o;
    assert_int_equal(rtm_quota_owner_stats(&quota, 5u, &o), RTM_OK);
    assert_int_equal(o.use.live_bytes, 300);
    rtm_stats_t st;
    rtm_heap4_stats(&h4, &st);
    assert_int_equal(st.used_blocks, 1);
    assert_int_equal(rtm_partition_stats(&tpart, &st), RTM_OK);
    assert_int_equal(st.used_blocks, 2);
    assert_int_equal(rtm_task_delete(&t), RTM_OK);
    rtm_heap4_stats(&h4, &st);
    assert_int_equal(st.used_blocks, 0); /* stack back */
    assert_int_equal(rtm_partition_stats(&tpart, &st), RTM_OK);
    assert_int_equal(st.used_blocks, 0);
    assert_int_equal(rtm_quota_owner_stats(&quota, 5u, &o), RTM_OK);
    assert_int_equal(o.use.live_bytes, 0);
    assert_int_equal(o.use.live_blocks, 0);
    assert_int_equal(rtm_quota_owner_stats(&quota, 6u, &o), RTM_OK);
    assert_int_equal(o.use.live_blocks, 1); /* the other owner's block stays */
    rtm_check_t r;
    assert_int_equal(rtm_quota_check(&quota, &r), RTM_OK);
    assert_int_equal(rtm_task_delete(&t), RTM_ERR_STATE); /* gone already */
}

static void test_bad_input(void **state)
{
    (void)state;
    static _Alignas(16) uint8_t small[4096];
    static rtm_stack_t s;
    static rtm_task_t t;
    make_stack(&s, small, sizeof small, 0u, 0u);
    rtm_task_cfg_t c = {"small", coop_task, NULL, &s, NULL, 0u, NULL, 0u, 0u};
    assert_int_equal(rtm_task_create(&t, &c), RTM_ERR_ARG); /* below RTM_RT_MIN_STACK */
    assert_int_equal(nreports, 1);
    assert_int_equal(reports[0].err, RTM_ERR_ARG);
    assert_null(reports[0].name);
    c.fn = NULL;
    assert_int_equal(rtm_task_create(&t, &c), RTM_ERR_NULL);
    assert_int_equal(rtm_task_create(NULL, &c), RTM_ERR_NULL);
    assert_int_equal(nreports, 3);
    rtm_stack_cfg_t up = {NULL, NULL, 0u, RTM_STACK_UP, 0u, NULL, NULL};
    uint8_t *m = map(0, STACK);
    assert_int_equal(rtm_stack_init(&s, m, STACK, &up), RTM_OK);
    c.fn = coop_task;
    assert_int_equal(rtm_task_create(&t, &c), RTM_ERR_ARG); /* grows up: not this CPU */
    make_stack(&s, m, STACK, 0u, 0u);
    coop_t cc = {'x', 0u};
    c.arg = &cc;
    assert_int_equal(rtm_task_create(&t, &c), RTM_OK);
    assert_int_equal(rtm_task_create(&t, &c), RTM_ERR_STATE); /* already live */
    assert_int_equal(rtm_task_delete(NULL), RTM_ERR_NULL);
    assert_int_equal(rtm_task_delete(&t), RTM_OK); /* never ran: deletable */
    assert_int_equal(rtm_task_delete(&t), RTM_ERR_STATE);
    assert_int_equal(nreports, 6);
    rtm_rt_run(0u); /* nothing left to run */
    assert_int_equal(cc.seen, 0);
    unmap(m, 0, STACK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_hwm_follows_depth, setup),
        cmocka_unit_test_setup(test_overflow_methods, setup),
        cmocka_unit_test_setup(test_cooperative_and_switch_hook, setup),
        cmocka_unit_test_setup(test_delete_gives_back, setup),
        cmocka_unit_test_setup(test_bad_input, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
