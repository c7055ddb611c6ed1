/*
 * rtm_partition with every scheme inside; rtm_quota on a shared heap with a
 * random test against a shadow model (per-owner counters and the heap's used
 * blocks reconciled with the live blocks after every step); bad input (NULL
 * or misaligned region, quota 0, a free of another partition's block, a
 * foreign or repeated free) reported with its code and the fault hook while
 * every block already handed out stays intact.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rtmem/heap1.h"
#include "rtmem/heap2.h"
#include "rtmem/heap4.h"
#include "rtmem/heap5.h"
#include "rtmem/partition.h"
#include "rtmem/pool.h"
#include "rtmem/tlsf.h"
#include "test_xorshift.h"

RTM_PARTITION_STORAGE(static, mem_a, 4096);
RTM_PARTITION_STORAGE(static, mem_b, 4096);
RTM_PARTITION_STORAGE_V7(static, mem_v7, 3000);
RTM_PARTITION_STORAGE_V8(static, mem_v8, 3000);

static int faults;
static rtm_err_t last_fault;
static const void *last_ptr;
static void on_fault(void *user, rtm_err_t reason, const void *obj, const void *ptr)
{
    (void)user;
    (void)obj;
    faults++;
    last_fault = reason;
    last_ptr = ptr;
}

static int reset(void **state)
{
    (void)state;
    faults = 0;
    return 0;
}

typedef union {
    rtm_heap1_t h1;
    rtm_heap2_t h2;
    rtm_heap4_t h4;
    rtm_heap5_t h5;
    rtm_tlsf_t tl;
    rtm_pool_t po;
} any_inst_t;

static void fill(void *p, size_t n, uint8_t v)
{
    memset(p, v, n);
}

static bool holds(const void *p, size_t n, uint8_t v)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) {
        if (b[i] != v) {
            return false;
        }
    }
    return true;
}

/* Two partitions of one scheme: A exhausted, B unaffected; a free of B's
 * block into A refused; reset gives everything back. */
static void two_partitions(const rtm_alloc_ops_t *ops, size_t param)
{
    static any_inst_t ia, ib;
    rtm_partition_t a, b;
    rtm_partition_cfg_t ca = {"A", 1u, ops, &ia, param, on_fault, NULL};
    rtm_partition_cfg_t cb = {"B", 2u, ops, &ib, param, on_fault, NULL};
    assert_int_equal(rtm_partition_init(&a, mem_a, sizeof mem_a, &ca), RTM_OK);
    assert_int_equal(rtm_partition_init(&b, mem_b, sizeof mem_b, &cb), RTM_OK);
    void *bb = rtm_partition_alloc(&b, 48);
    assert_non_null(bb);
    fill(bb, 48, 0xB0);
    size_t n = 0;
    void *last = NULL;
    for (;;) {
        void *p = rtm_partition_alloc(&a, 48);
        if (p == NULL) {
            break;
        }
        assert_true(rtm_partition_owns(&a, p));
        fill(p, 48, 0xA0);
        last = p;
        n++;
    }
    assert_true(n > 10);
    assert_int_equal(a.failures, 1);
    /* B still allocates and frees */
    void *b2 = rtm_partition_alloc(&b, 48);
    assert_non_null(b2);
    assert_true(holds(bb, 48, 0xB0));
    /* B's block freed into A: refused, nothing lost */
    assert_int_equal(rtm_partition_free(&a, bb), RTM_ERR_FOREIGN_PTR);
    assert_int_equal(faults, 1);
    assert_ptr_equal(last_ptr, bb);
    assert_true(holds(bb, 48, 0xB0));
    assert_true(holds(last, 48, 0xA0));
    rtm_check_t r;
    assert_int_equal(rtm_partition_check(&a, &r), RTM_OK);
    assert_int_equal(rtm_partition_check(&b, &r), RTM_OK);
    rtm_stats_t st;
    assert_int_equal(rtm_partition_stats(&b, &st), RTM_OK);
    assert_int_equal(st.used_blocks, 2);
    assert_int_equal(rtm_partition_stats(&a, &st), RTM_OK);
    assert_int_equal(st.used_blocks, n);
    assert_int_equal(st.faults, 1);
    if (ops != &rtm_alloc_heap1) {
        assert_int_equal(rtm_partition_free(&b, bb), RTM_OK);
        assert_int_equal(rtm_partition_free(&a, last), RTM_OK);
    }
    assert_int_equal(rtm_partition_free(&a, NULL), RTM_OK);
    /* reset: all of A back */
    assert_int_equal(rtm_partition_reset(&a), RTM_OK);
    assert_int_equal(rtm_partition_stats(&a, &st), RTM_OK);
    assert_int_equal(st.used_blocks, 0);
    assert_non_null(rtm_partition_alloc(&a, 48));
    assert_int_equal(faults, 1);
}

static void test_partitions_every_scheme(void **state)
{
    (void)state;
    two_partitions(&rtm_alloc_heap1, 0u);
    faults = 0;
    two_partitions(&rtm_alloc_heap2, 0u);
    faults = 0;
    two_partitions(&rtm_alloc_heap4, 0u);
    faults = 0;
    two_partitions(&rtm_alloc_heap5, 0u);
    faults = 0;
    two_partitions(&rtm_alloc_tlsf, 0u);
    faults = 0;
    two_partitions(&rtm_alloc_pool, 48u);
}

static void test_partition_storage(void **state)
{
    (void)state;
    assert_int_equal(sizeof mem_v7, 4096);
    assert_int_equal((uintptr_t)mem_v7 % 4096u, 0);
    assert_int_equal(sizeof mem_v8, 3008);
    assert_int_equal((uintptr_t)mem_v8 % 32u, 0);
    assert_int_equal((uintptr_t)mem_a % RTM_PARTITION_ALIGN, 0);
}

static void test_partition_bad_input(void **state)
{
    (void)state;
    static rtm_heap4_t h;
    rtm_partition_t p;
    rtm_partition_cfg_t c = {"P", 1u, &rtm_alloc_heap4, &h, 0u, on_fault, NULL};
    memset(mem_a, 0x3C, sizeof mem_a);
    assert_int_equal(rtm_partition_init(NULL, mem_a, 1024, &c), RTM_ERR_NULL);
    assert_int_equal(rtm_partition_init(&p, NULL, 1024, &c), RTM_ERR_NULL);
    assert_int_equal(faults, 1);
    assert_int_equal(rtm_partition_init(&p, mem_a + 4, 1024, &c), RTM_ERR_ARG);
    assert_int_equal(rtm_partition_init(&p, mem_a, 0, &c), RTM_ERR_ARG);
    c.scheme = NULL;
    assert_int_equal(rtm_partition_init(&p, mem_a, 1024, &c), RTM_ERR_NULL);
    assert_int_equal(faults, 4);
    assert_true(holds(mem_a, sizeof mem_a, 0x3C)); /* nothing written */
    c.scheme = &rtm_alloc_heap4;
    assert_int_equal(rtm_partition_init(&p, mem_a, 8, &c), RTM_ERR_ARG); /* heap_4 refuses */
    assert_int_equal(faults, 5);
    assert_null(rtm_partition_alloc(NULL, 8));
    assert_int_equal(rtm_partition_free(NULL, mem_a), RTM_ERR_NULL);
    /* an interior pointer inside the partition: the scheme's own check */
    assert_int_equal(rtm_partition_init(&p, mem_a, 1024, &c), RTM_OK);
    rtm_heap4_set_fault_hook(&h, on_fault, NULL);
    uint8_t *x = rtm_partition_alloc(&p, 64);
    assert_non_null(x);
    fill(x, 64, 0x77);
    assert_true(rtm_partition_free(&p, x + 8) < 0);
    assert_int_equal(faults, 6);
    assert_true(holds(x, 64, 0x77));
    assert_int_equal(rtm_partition_free(&p, x), RTM_OK);
}

/* ---- Quotas ---------------------------------------------------------------- */

static _Alignas(64) uint8_t shared[32768];

/* A quota of n owners over a fresh tlsf heap (quota_tlsf) in `shared`;
 * *heap must outlive *q (the quota calls through it). */
static rtm_tlsf_t quota_tlsf;

static void quota_on_tlsf(rtm_quota_t *q, rtm_alloc_t *heap, rtm_quota_owner_t *rows, size_t n)
{
    assert_int_equal(rtm_tlsf_init(&quota_tlsf, shared, sizeof shared), RTM_OK);
    *heap = rtm_alloc_bind(&rtm_alloc_tlsf, &quota_tlsf);
    assert_int_equal(rtm_quota_init(q, heap, rows, n, on_fault, NULL), RTM_OK);
}

static void test_quota_basics(void **state)
{
    (void)state;
    rtm_alloc_t heap;
    rtm_quota_owner_t rows[3];
    rtm_quota_t q;
    quota_on_tlsf(&q, &heap, rows, 3);
    rtm_quota_set_range(&q, shared, shared + sizeof shared);
    /* bad budgets */
    assert_int_equal(rtm_quota_set(&q, 1u, 0u, 5u), RTM_ERR_ARG);
    assert_int_equal(rtm_quota_set(&q, 1u, 100u, 0u), RTM_ERR_ARG);
    assert_int_equal(rtm_quota_set(&q, RTM_OWNER_NONE, 100u, 5u), RTM_ERR_ARG);
    assert_int_equal(faults, 3);
    assert_int_equal(rtm_quota_set(&q, 1u, 1000u, 3u), RTM_OK);
    assert_int_equal(rtm_quota_set(&q, 2u, 4000u, 100u), RTM_OK);
    assert_int_equal(rtm_quota_set(&q, 3u, 64u, 1u), RTM_OK);
    assert_int_equal(rtm_quota_set(&q, 4u, 64u, 1u), RTM_ERR_NO_MEMORY); /* table full */
    void *p[8];
    /* owner 1: block budget 3 */
    for (int i = 0; i < 3; i++) {
        assert_int_equal(rtm_quota_alloc(&q, 1u, 100, &p[i]), RTM_OK);
        fill(p[i], 100, (uint8_t)(0x10 + i));
    }
    assert_int_equal(rtm_quota_alloc(&q, 1u, 10, &p[3]), RTM_ERR_QUOTA);
    assert_null(p[3]);
    /* owner 2 unaffected; owner 3: byte budget 64 */
    assert_int_equal(rtm_quota_alloc(&q, 2u, 2000, &p[4]), RTM_OK);
    assert_int_equal(rtm_quota_alloc(&q, 3u, 65, &p[5]), RTM_ERR_QUOTA);
    rtm_owner_set(3u);
    assert_int_equal(rtm_quota_alloc_current(&q, 64, &p[5]), RTM_OK);
    rtm_owner_set(RTM_OWNER_NONE);
    /* unknown owner, size 0 */
    assert_int_equal(rtm_quota_alloc(&q, 9u, 8, &p[6]), RTM_ERR_ARG);
    assert_int_equal(q.unknown, 1);
    assert_int_equal(rtm_quota_alloc(&q, 2u, 0, &p[6]), RTM_ERR_ARG);
    /* a free by owner 2's code of owner 1's block is credited to owner 1 */
    rtm_owner_set(2u);
    assert_int_equal(rtm_quota_free(&q, p[1]), RTM_OK);
    rtm_owner_set(RTM_OWNER_NONE);
    rtm_quota_owner_t o;
    assert_int_equal(rtm_quota_owner_stats(&q, 1u, &o), RTM_OK);
    assert_int_equal(o.use.live_bytes, 200);
    assert_int_equal(o.use.live_blocks, 2);
    assert_int_equal(o.use.peak_bytes, 300);
    assert_int_equal(o.use.allocs, 3);
    assert_int_equal(o.use.frees, 1);
    assert_int_equal(o.use.fails, 1);
    assert_int_equal(o.over_quota, 1);
    assert_int_equal(rtm_quota_owner_stats(&q, 2u, &o), RTM_OK);
    assert_int_equal(o.use.live_bytes, 2000);
    assert_int_equal(o.use.fails, 0);
    /* bad frees: repeated, interior, foreign, outside the heap */
    faults = 0;
    assert_int_equal(rtm_quota_free(&q, p[1]), RTM_ERR_FOREIGN_PTR);
    assert_int_equal(rtm_quota_free(&q, (uint8_t *)p[0] + 16), RTM_ERR_FOREIGN_PTR);
    assert_int_equal(rtm_quota_free(&q, mem_b), RTM_ERR_FOREIGN_PTR);
    assert_int_equal(rtm_quota_free(&q, shared + 3), RTM_ERR_FOREIGN_PTR);
    assert_int_equal(faults, 4);
    assert_true(holds(p[0], 100, 0x10));
    assert_true(holds(p[2], 100, 0x12));
    rtm_check_t r;
    assert_int_equal(rtm_quota_check(&q, &r), RTM_OK);
    assert_int_equal(r.blocks, 4);
    /* release owner 1 (its task deleted): its 2 blocks back, others kept */
    assert_int_equal(rtm_quota_release(&q, 1u), 2);
    assert_int_equal(rtm_quota_owner_stats(&q, 1u, &o), RTM_OK);
    assert_int_equal(o.use.live_bytes, 0);
    assert_int_equal(o.use.live_blocks, 0);
    assert_int_equal(rtm_quota_check(&q, &r), RTM_OK);
    rtm_stats_t st;
    rtm_tlsf_stats(&quota_tlsf, &st);
    assert_int_equal(st.used_blocks, 2);
    /* a corrupted counter is found by the check */
    rows[1].use.live_bytes++;
    assert_int_equal(rtm_quota_check(&q, &r), RTM_ERR_CORRUPT);
    /* without a report: the same result, as every scheme's check */
    assert_int_equal(rtm_quota_check(&q, NULL), RTM_ERR_CORRUPT);
    rows[1].use.live_bytes--;
    assert_int_equal(rtm_quota_check(&q, NULL), RTM_OK);
    assert_int_equal(rtm_quota_init(&q, &heap, rows, 0, on_fault, NULL), RTM_ERR_ARG);
    assert_int_equal(rtm_quota_init(&q, NULL, rows, 3, on_fault, NULL), RTM_ERR_NULL);
}

/* A header the application overwrote (a write just before its block) is
 * found at the next touch and never followed: a damaged size is not
 * subtracted from the owner's counters, a damaged link is not written
 * through, the walk of a release stops at it; nothing is freed and every
 * other block keeps its bytes. */
static rtm_quota_hdr_t *qhdr(void *user)
{
    return (rtm_quota_hdr_t *)(void *)((uint8_t *)user - RTM_QUOTA_HEADER);
}

static void test_quota_damaged_header(void **state)
{
    (void)state;
    rtm_alloc_t heap;
    rtm_quota_owner_t rows[2];
    rtm_quota_t q;
    quota_on_tlsf(&q, &heap, rows, 2);
    rtm_quota_set_range(&q, shared, shared + sizeof shared);
    assert_int_equal(rtm_quota_set(&q, 1u, 1000u, 10u), RTM_OK);
    void *a, *b, *c; /* live list: c -> b -> a */
    assert_int_equal(rtm_quota_alloc(&q, 1u, 100, &a), RTM_OK);
    assert_int_equal(rtm_quota_alloc(&q, 1u, 100, &b), RTM_OK);
    assert_int_equal(rtm_quota_alloc(&q, 1u, 100, &c), RTM_OK);
    fill(a, 100, 0x1A);
    fill(b, 100, 0x1B);
    fill(c, 100, 0x1C);
    rtm_quota_owner_t o;
    rtm_check_t r;

    /* the size: the owner's bytes would wrap */
    size_t size = qhdr(b)->size;
    qhdr(b)->size = 5000u;
    faults = 0;
    assert_int_equal(rtm_quota_free(&q, b), RTM_ERR_CORRUPT);
    assert_int_equal(faults, 1);
    assert_int_equal(rtm_quota_check(&q, &r), RTM_ERR_CORRUPT);
    qhdr(b)->size = size;

    /* a link: the free would write through it into c's bytes */
    rtm_quota_hdr_t *next = qhdr(b)->next;
    qhdr(b)->next = (rtm_quota_hdr_t *)(void *)((uint8_t *)c + 32);
    assert_int_equal(rtm_quota_free(&q, b), RTM_ERR_CORRUPT);
    assert_int_equal(faults, 2);
    assert_int_equal(rtm_quota_check(&q, &r), RTM_ERR_CORRUPT);
    /* a release walks the list: it stops at the damage (c's unlinking
     * would rewrite b's header) and frees nothing */
    assert_int_equal(rtm_quota_release(&q, 1u), 0);
    assert_int_equal(faults, 3);
    qhdr(b)->next = next;

    assert_true(holds(a, 100, 0x1A));
    assert_true(holds(b, 100, 0x1B));
    assert_true(holds(c, 100, 0x1C));
    assert_int_equal(rtm_quota_owner_stats(&q, 1u, &o), RTM_OK);
    assert_int_equal(o.use.live_bytes, 300);
    assert_int_equal(o.use.live_blocks, 3);
    assert_int_equal(rtm_quota_check(&q, &r), RTM_OK);
    assert_int_equal(rtm_quota_free(&q, c), RTM_OK);

    /* the neighbour's header damaged: b's free would relink through it */
    qhdr(a)->owner = 2u;
    assert_int_equal(rtm_quota_free(&q, b), RTM_ERR_CORRUPT);
    assert_int_equal(faults, 4);
    qhdr(a)->owner = 1u;
    assert_int_equal(rtm_quota_free(&q, b), RTM_OK);
    assert_int_equal(rtm_quota_free(&q, a), RTM_OK);
    assert_int_equal(rtm_quota_owner_stats(&q, 1u, &o), RTM_OK);
    assert_int_equal(o.use.live_bytes, 0);
    assert_int_equal(o.use.live_blocks, 0);
    assert_int_equal(rtm_quota_check(&q, &r), RTM_OK);
    rtm_stats_t st;
    assert_int_equal(rtm_alloc_stats(&heap, &st), RTM_OK);
    assert_int_equal(st.used_blocks, 0);
    assert_int_equal(faults, 4);
}

/* A budget lowered below what the owner holds (rtm_quota_set again: the
 * counters stay) refuses the next allocations; it is not damage, so the
 * check still passes, and frees bring the owner back under it. */
static void test_quota_lowered_budget(void **state)
{
    (void)state;
    rtm_alloc_t heap;
    rtm_quota_owner_t rows[1];
    rtm_quota_t q;
    quota_on_tlsf(&q, &heap, rows, 1);
    assert_int_equal(rtm_quota_set(&q, 1u, 1000u, 10u), RTM_OK);
    void *p[3];
    for (int i = 0; i < 3; i++) {
        assert_int_equal(rtm_quota_alloc(&q, 1u, 100, &p[i]), RTM_OK);
    }
    assert_int_equal(rtm_quota_set(&q, 1u, 150u, 2u), RTM_OK);
    rtm_check_t r;
    assert_int_equal(rtm_quota_check(&q, &r), RTM_OK);
    assert_int_equal(r.blocks, 3);
    void *x;
    assert_int_equal(rtm_quota_alloc(&q, 1u, 10, &x), RTM_ERR_QUOTA);
    assert_int_equal(rtm_quota_free(&q, p[0]), RTM_OK);
    assert_int_equal(rtm_quota_free(&q, p[1]), RTM_OK);
    assert_int_equal(rtm_quota_check(&q, &r), RTM_OK);
    assert_int_equal(rtm_quota_alloc(&q, 1u, 10, &x), RTM_OK); /* under it again */
    assert_int_equal(rtm_quota_free(&q, x), RTM_OK);
    assert_int_equal(rtm_quota_free(&q, p[2]), RTM_OK);
    assert_int_equal(faults, 0);
}

/* Random: 4 owners, budgets, frees by any owner; shadow of every block. */
#define LIVE_MAX 256
typedef struct {
    void *p;
    size_t size;
    rtm_owner_t owner;
    uint8_t fillv;
} shadow_t;

static void random_case(const rtm_alloc_ops_t *ops, void *inst, int steps)
{
    assert_int_equal(ops->init(inst, shared, sizeof shared, 0u), RTM_OK);
    rtm_alloc_t heap = rtm_alloc_bind(ops, inst);
    rtm_quota_owner_t rows[4];
    rtm_quota_t q;
    assert_int_equal(rtm_quota_init(&q, &heap, rows, 4, on_fault, NULL), RTM_OK);
    rtm_quota_set_range(&q, shared, shared + sizeof shared);
    const size_t maxb[4] = {3000, 6000, 9000, 40000};
    const size_t maxn[4] = {10, 40, 20, 200};
    for (rtm_owner_t o = 1; o <= 4; o++) {
        assert_int_equal(rtm_quota_set(&q, o, maxb[o - 1], maxn[o - 1]), RTM_OK);
    }
    static shadow_t live[LIVE_MAX];
    size_t nlive = 0;
    size_t fails[5] = {0}, quota_fails[5] = {0};
    for (int step = 0; step < steps; step++) {
        if (nlive > 0 && (nlive == LIVE_MAX || xorshift32() % 100u < 45u)) {
            size_t i = xorshift32() % nlive;
            assert_true(holds(live[i].p, live[i].size, live[i].fillv));
            rtm_owner_set((rtm_owner_t)(1u + xorshift32() % 4u)); /* freed by anyone */
            assert_int_equal(rtm_quota_free(&q, live[i].p), RTM_OK);
            live[i] = live[--nlive];
        } else {
            rtm_owner_t o = (rtm_owner_t)(1u + xorshift32() % 4u);
            size_t size = 1u + xorshift32() % 700u;
            size_t bytes = 0, blocks = 0;
            for (size_t i = 0; i < nlive; i++) {
                if (live[i].owner == o) {
                    bytes += live[i].size;
                    blocks++;
                }
            }
            void *p;
            rtm_err_t e = rtm_quota_alloc(&q, o, size, &p);
            bool over = blocks + 1u > maxn[o - 1] || bytes + size > maxb[o - 1];
            if (over) {
                assert_int_equal(e, RTM_ERR_QUOTA);
                quota_fails[o]++;
                fails[o]++;
            } else if (e == RTM_ERR_NO_MEMORY) {
                fails[o]++;
            } else {
                assert_int_equal(e, RTM_OK);
                uint8_t v = (uint8_t)xorshift32();
                fill(p, size, v);
                live[nlive++] = (shadow_t){p, size, o, v};
            }
        }
        /* reconcile after every step */
        rtm_check_t r;
        assert_int_equal(rtm_quota_check(&q, &r), RTM_OK);
        size_t total = 0;
        for (rtm_owner_t o = 1; o <= 4; o++) {
            size_t bytes = 0, blocks = 0;
            for (size_t i = 0; i < nlive; i++) {
                if (live[i].owner == o) {
                    bytes += live[i].size;
                    blocks++;
                }
            }
            rtm_quota_owner_t st;
            assert_int_equal(rtm_quota_owner_stats(&q, o, &st), RTM_OK);
            assert_int_equal(st.use.live_bytes, bytes);
            assert_int_equal(st.use.live_blocks, blocks);
            assert_int_equal(st.use.fails, fails[o]);
            assert_int_equal(st.over_quota, quota_fails[o]);
            assert_true(st.use.peak_bytes >= bytes && st.use.peak_bytes <= maxb[o - 1]);
            total += blocks;
        }
        rtm_stats_t hs;
        assert_int_equal(rtm_alloc_stats(&heap, &hs), RTM_OK);
        assert_int_equal(hs.used_blocks, total);
    }
    rtm_owner_set(RTM_OWNER_NONE);
    assert_int_equal(faults, 0);
}

static void test_quota_random(void **state)
{
    (void)state;
    static rtm_tlsf_t t;
    static rtm_heap4_t h4;
    static rtm_heap2_t h2;
    random_case(&rtm_alloc_tlsf, &t, 20000);
    random_case(&rtm_alloc_heap4, &h4, 20000);
    random_case(&rtm_alloc_heap2, &h2, 5000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_partitions_every_scheme, reset),
        cmocka_unit_test_setup(test_partition_storage, reset),
        cmocka_unit_test_setup(test_partition_bad_input, reset),
        cmocka_unit_test_setup(test_quota_basics, reset),
        cmocka_unit_test_setup(test_quota_damaged_header, reset),
        cmocka_unit_test_setup(test_quota_lowered_budget, reset),
        cmocka_unit_test_setup(test_quota_random, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
