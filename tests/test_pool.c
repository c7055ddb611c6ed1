#define _POSIX_C_SOURCE 200809L
/* rtm_pool, single-threaded: sizing rules, every function and error path,
 * the three locking modes, ISR rules, the hot slot. The integrity check's
 * own test and the random runs against a shadow model are in
 * test_pool_random.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rtmem/alloc.h"
#include "rtmem/heap4.h"
#include "rtmem/pool.h"
#include "rtmem/tlsf.h"
#include "test_pool_fixture.h"
#include "test_pool_util.h"

struct msg {
    double d;
    char text[20];
};

static void test_sizing_rules(void **state)
{
    (void)state;
    /* stride = round_up(max(size, 4), max(align, 4)) */
    assert_int_equal(RTM_POOL_STRIDE(1, 1), 4);
    assert_int_equal(RTM_POOL_STRIDE(4, 0), 4);
    assert_int_equal(RTM_POOL_STRIDE(5, 4), 8);
    assert_int_equal(RTM_POOL_STRIDE(24, 8), 24);
    assert_int_equal(RTM_POOL_STRIDE(25, 8), 32);
    assert_int_equal(RTM_POOL_STRIDE(3, 16), 16);
    assert_int_equal(RTM_POOL_BITMAP_BYTES(1), 4);
    assert_int_equal(RTM_POOL_BITMAP_BYTES(32), 4);
    assert_int_equal(RTM_POOL_BITMAP_BYTES(33), 8);
    assert_int_equal(RTM_POOL_MEM_SIZE(10, 32, 8, 0), 320);
    assert_int_equal(RTM_POOL_MEM_SIZE(10, 32, 8, RTM_POOL_BITMAP), 324);
    assert_int_equal(RTM_POOL_MEM_SIZE(10, 32, 8, RTM_POOL_BITMAP | RTM_POOL_LOCKFREE), 364);
    for (size_t n = 0; n < 100; n++) {
        for (unsigned f = 0; f < 4; f++) {
            assert_int_equal(rtm_pool_mem_size(n, 13, 8, f), RTM_POOL_MEM_SIZE(n, 13, 8, f));
        }
    }
    assert_int_equal(rtm_pool_mem_size(4, 0, 8, 0), 0);      /* block size 0 */
    assert_int_equal(rtm_pool_mem_size(4, 8, 3, 0), 0);      /* align not a power of two */
    assert_int_equal(rtm_pool_mem_size(SIZE_MAX / 2, 8, 8, 0), 0); /* overflow */
    assert_int_equal(rtm_pool_mem_size(1, SIZE_MAX - 2, 8, 0), 0);
    assert_int_equal(rtm_pool_mem_size(SIZE_MAX / 4, 4, 4, RTM_POOL_BITMAP), 0); /* + bitmap wraps */

    /* The storage macro holds exactly N blocks, aligned for T. */
    RTM_POOL_STORAGE(static, mem, struct msg, 7);
    assert_int_equal(sizeof mem, RTM_POOL_MEM_SIZE(7, sizeof(struct msg), _Alignof(struct msg),
                                                   RTM_POOL_DEFAULT));
    assert_int_equal((uintptr_t)mem % _Alignof(struct msg), 0);
    rtm_pool_t p;
    assert_int_equal(RTM_POOL_INIT_FOR(&p, mem, struct msg, RTM_POOL_DEFAULT), RTM_OK);
    assert_int_equal(rtm_pool_capacity(&p), 7);
    assert_int_equal(rtm_pool_block_size(&p), RTM_POOL_STRIDE(sizeof(struct msg), _Alignof(struct msg)));
    for (int i = 0; i < 7; i++) {
        struct msg *m = rtm_pool_alloc(&p);
        assert_non_null(m);
        assert_int_equal((uintptr_t)m % _Alignof(struct msg), 0);
        m->d = i; /* usable as a T */
    }
    assert_null(rtm_pool_alloc(&p));
    assert_ok(&p);
}

/* init makes no rtm_fault_init call: its memset must leave the fault state
 * exactly as that call would, whatever the struct held before. */
static void test_init_clears_fault_state(void **state)
{
    (void)state;
    static _Alignas(16) uint8_t mem[256];
    rtm_pool_t p;
    rtm_fault_t want;
    memset(&want, 0x5A, sizeof want);
    rtm_fault_init(&want);
    memset(&p, 0xA5, sizeof p);
    assert_int_equal(rtm_pool_init(&p, mem, sizeof mem, 8, 0, 0, 0), RTM_OK);
    assert_ptr_equal(p.fault.hook, want.hook);
    assert_ptr_equal(p.fault.user, want.user);
    assert_int_equal(p.fault.count, want.count);
    assert_int_equal(p.fault.last, want.last);
    assert_int_equal(p.fault.flags, want.flags);
    assert_int_equal(rtm_waitq_waiters(&p.waitq), 0);
}

static void test_init_errors(void **state)
{
    (void)state;
    static _Alignas(16) uint8_t mem[1024];
    rtm_pool_t p;
    assert_int_equal(rtm_pool_init(NULL, mem, sizeof mem, 8, 0, 0, 0), RTM_ERR_NULL);
    assert_int_equal(rtm_pool_init(&p, NULL, sizeof mem, 8, 0, 0, 0), RTM_ERR_NULL);
    assert_int_equal(rtm_pool_init(&p, mem, sizeof mem, 0, 0, 0, 0), RTM_ERR_ARG);
    assert_int_equal(rtm_pool_init(&p, mem, sizeof mem, 8, 6, 0, 0), RTM_ERR_ARG);
    assert_int_equal(rtm_pool_init(&p, mem, sizeof mem, 8, 0, 0, 0x80u), RTM_ERR_ARG);
    assert_int_equal(rtm_pool_init(&p, mem, sizeof mem, 8, 0, 0, RTM_POOL_LOCKFREE | RTM_POOL_NOLOCK),
                     RTM_ERR_ARG);
    assert_int_equal(rtm_pool_init(&p, mem + 2, sizeof mem - 2, 8, 0, 0, 0), RTM_ERR_ARG); /* misaligned */
    assert_int_equal(rtm_pool_init(&p, mem + 4, sizeof mem - 4, 8, 8, 0, 0), RTM_ERR_ARG);
    assert_int_equal(rtm_pool_init(&p, mem + 4, sizeof mem - 4, 8, 4, 0, 0), RTM_OK);
    assert_int_equal(rtm_pool_init(&p, mem, 3, 8, 0, 0, 0), RTM_ERR_NO_MEMORY);
    assert_int_equal(rtm_pool_init(&p, mem, 8, 8, 0, 0, RTM_POOL_BITMAP), RTM_ERR_NO_MEMORY);
    assert_int_equal(rtm_pool_init(&p, mem, 12, 8, 0, 0, RTM_POOL_BITMAP), RTM_OK);
    assert_int_equal(rtm_pool_capacity(&p), 1);
    assert_int_equal(rtm_pool_init(&p, mem, sizeof mem, 8, 0, 129, 0), RTM_ERR_NO_MEMORY);
    assert_int_equal(rtm_pool_init(&p, mem, sizeof mem, 8, 0, 128, 0), RTM_OK);
    assert_int_equal(rtm_pool_capacity(&p), 128);
    assert_int_equal(rtm_pool_init(&p, mem, sizeof mem, SIZE_MAX - 1, 0, 0, 0), RTM_ERR_OVERFLOW);
    /* Blocks so big that 32 of them and a bitmap word wrap size_t to a few
     * bytes: not one fits (the count once came out in the thousands). */
    assert_int_equal(rtm_pool_init(&p, mem, sizeof mem, SIZE_MAX / 32u + 1u, 0, 0, RTM_POOL_BITMAP),
                     RTM_ERR_NO_MEMORY);
    assert_int_equal(rtm_pool_init(&p, mem, sizeof mem, SIZE_MAX / 16u + 1u, 0, 0, RTM_POOL_BITMAP),
                     RTM_ERR_NO_MEMORY);
    assert_int_equal(rtm_pool_init(&p, mem, sizeof mem, SIZE_MAX / 32u + 1u, 0, 0, 0), RTM_ERR_NO_MEMORY);
#if RTMEM_CFG_POOL_LOCKFREE
    assert_int_equal(rtm_pool_init(&p, mem, sizeof mem, 8, 0, 0, RTM_POOL_LOCKFREE), RTM_OK);
    assert_int_equal(rtm_pool_capacity(&p), 1024 / 12);
    assert_int_equal(rtm_pool_deinit(&p), RTM_OK);
#else
    assert_int_equal(rtm_pool_init(&p, mem, sizeof mem, 8, 0, 0, RTM_POOL_LOCKFREE),
                     RTM_ERR_NOT_SUPPORTED);
#endif
    /* As many as fit: with a bitmap, 32 blocks cost 32 strides + 4 bytes. */
    assert_int_equal(rtm_pool_init(&p, mem, 32 * 8 + 4 + 8 + 4, 8, 0, 0, RTM_POOL_BITMAP), RTM_OK);
    assert_int_equal(rtm_pool_capacity(&p), 33);
    assert_int_equal(rtm_pool_init(&p, mem, 32 * 8 + 4 + 8 + 3, 8, 0, 0, RTM_POOL_BITMAP), RTM_OK);
    assert_int_equal(rtm_pool_capacity(&p), 32);
    /* Unused pool: queries on NULL */
    assert_int_equal(rtm_pool_capacity(NULL), 0);
    assert_int_equal(rtm_pool_block_size(NULL), 0);
    assert_int_equal(rtm_pool_used(NULL), 0);
    assert_int_equal(rtm_pool_available(NULL), 0);
    assert_null(rtm_pool_alloc(NULL));
    assert_null(rtm_pool_calloc(NULL));
    assert_null(rtm_pool_alloc_timeout(NULL, 5));
    assert_int_equal(rtm_pool_free(NULL, mem), RTM_ERR_NULL);
    assert_int_equal(rtm_pool_deinit(NULL), RTM_ERR_NULL);
    assert_int_equal(rtm_pool_check(NULL, NULL), RTM_ERR_NULL);
    assert_int_equal(get_ps(NULL, NULL), RTM_ERR_NULL);
    rtm_pool_stats_t st;
    assert_int_equal(rtm_pool_stats(NULL, &st), RTM_ERR_NULL);
    assert_int_equal(rtm_pool_stats(&p, NULL), RTM_ERR_NULL);
    assert_false(rtm_pool_owns(NULL, mem));
    rtm_pool_set_fault_hook(NULL, hook, NULL); /* no crash */
}

/* Every check on free, in each mode: fault code, hook, pool untouched. */
static void check_free_faults(unsigned flags)
{
    static _Alignas(16) uint8_t mem[RTM_POOL_MEM_SIZE(8, 24, 8, RTM_POOL_BITMAP | RTM_POOL_LOCKFREE)];
    rtm_pool_t p;
    assert_int_equal(rtm_pool_init(&p, mem, sizeof mem, 24, 8, 8, flags), RTM_OK);
    rtm_pool_set_fault_hook(&p, hook, NULL);
    uint8_t *a = rtm_pool_alloc(&p);
    uint8_t *b = rtm_pool_alloc(&p);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(rtm_pool_free(&p, a), RTM_OK);
    ps_t before;
    assert_int_equal(get_ps(&p, &before), RTM_OK);
    static uint8_t other[64];
    struct {
        void *ptr;
        rtm_err_t want;
    } cases[] = {
        {NULL, RTM_ERR_NULL},
        {other, RTM_ERR_FOREIGN_PTR},
        {(void *)((uintptr_t)mem - 24u), RTM_ERR_FOREIGN_PTR}, /* below the pool (no out-of-bounds pointer arithmetic) */
        {mem + 8 * 24, RTM_ERR_FOREIGN_PTR}, /* one past the blocks: the link/bitmap area */
        {b + 1, RTM_ERR_INTERIOR_PTR},
        {b + 8, RTM_ERR_INTERIOR_PTR},
        {mem + 5 * 24, RTM_ERR_DOUBLE_FREE}, /* never handed out */
        {a, RTM_ERR_DOUBLE_FREE}, /* recycled: caught with or without a bitmap */
    };
    size_t n = sizeof cases / sizeof cases[0];
    for (size_t i = 0; i < n; i++) {
        reset_faults();
        assert_int_equal(rtm_pool_free(&p, cases[i].ptr), cases[i].want);
        assert_int_equal(g_faults, 1);
        assert_int_equal(g_reason, cases[i].want);
        assert_ptr_equal(g_ptr, cases[i].ptr);
        assert_ok(&p);
        ps_t after;
        assert_int_equal(get_ps(&p, &after), RTM_OK);
        assert_int_equal(after.used, before.used);
        assert_int_equal(after.free, before.free);
        assert_int_equal(after.invalid_frees, before.invalid_frees + i + 1);
    }
    assert_int_equal(p.fault.count, n);
    /* the free list still works: a comes back first, then a fresh block */
    assert_ptr_equal(rtm_pool_alloc(&p), a);
    assert_ok(&p);
    assert_int_equal(rtm_pool_deinit(&p), RTM_OK);
}

static void test_free_faults_locked(void **state)
{
    (void)state;
    check_free_faults(RTM_POOL_BITMAP);
    check_free_faults(0);
}

static void test_free_faults_nolock(void **state)
{
    (void)state;
    check_free_faults(RTM_POOL_NOLOCK | RTM_POOL_BITMAP);
    check_free_faults(RTM_POOL_NOLOCK);
}

static void test_free_faults_lockfree(void **state)
{
    (void)state;
#if RTMEM_CFG_POOL_LOCKFREE
    check_free_faults(RTM_POOL_LOCKFREE | RTM_POOL_BITMAP);
    check_free_faults(RTM_POOL_LOCKFREE);
#else
    skip();
#endif
}

/* Non-power-of-two stride: the division path of the boundary check. */
static void test_odd_stride(void **state)
{
    (void)state;
    static _Alignas(8) uint8_t mem[RTM_POOL_MEM_SIZE(5, 12, 4, RTM_POOL_BITMAP)];
    rtm_pool_t p;
    assert_int_equal(rtm_pool_init(&p, mem, sizeof mem, 10, 4, 0, RTM_POOL_BITMAP), RTM_OK);
    assert_int_equal(rtm_pool_block_size(&p), 12);
    assert_int_equal(rtm_pool_capacity(&p), 5);
    rtm_pool_set_fault_hook(&p, hook, NULL);
    uint8_t *blk[5];
    for (int i = 0; i < 5; i++) {
        blk[i] = rtm_pool_alloc(&p);
        assert_ptr_equal(blk[i], mem + 12 * i);
        assert_true(rtm_pool_owns(&p, blk[i]));
    }
    assert_false(rtm_pool_owns(&p, blk[2] + 4));
    assert_int_equal(rtm_pool_free(&p, blk[2] + 4), RTM_ERR_INTERIOR_PTR);
    assert_int_equal(rtm_pool_free(&p, blk[2]), RTM_OK);
    assert_int_equal(rtm_pool_free(&p, blk[2]), RTM_ERR_DOUBLE_FREE);
    assert_ok(&p);
}

static void test_alloc_free_stats_calloc(void **state)
{
    (void)state;
    static _Alignas(16) uint8_t mem[RTM_POOL_MEM_SIZE(4, 16, 16, RTM_POOL_BITMAP)];
    rtm_pool_t p;
    assert_int_equal(rtm_pool_init(&p, mem, sizeof mem, 16, 16, 0, RTM_POOL_BITMAP), RTM_OK);
    assert_ok(&p);
    void *b[4];
    for (int i = 0; i < 4; i++) {
        b[i] = rtm_pool_alloc(&p);
        assert_non_null(b[i]);
        memset(b[i], 0xAB, 16);
        assert_ok(&p);
    }
    assert_null(rtm_pool_alloc(&p));
    assert_null(rtm_pool_alloc_timeout(&p, 0));
    assert_int_equal(rtm_pool_free(&p, b[1]), RTM_OK);
    uint8_t *z = rtm_pool_calloc(&p);
    assert_ptr_equal(z, b[1]);
    for (int i = 0; i < 16; i++) {
        assert_int_equal(z[i], 0);
    }
    assert_null(rtm_pool_calloc(&p));
    ps_t s;
    assert_int_equal(get_ps(&p, &s), RTM_OK);
    assert_int_equal(s.capacity, 4);
    assert_int_equal(rtm_pool_block_size(&p), 16);
    assert_int_equal(s.used, 4);
    assert_int_equal(s.free, 0);
    assert_int_equal(s.peak_used, 4);
    assert_int_equal(s.failed_allocs, 3);
    assert_int_equal(s.invalid_frees, 0);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(rtm_pool_free(&p, b[i]), RTM_OK);
    }
    assert_int_equal(rtm_pool_used(&p), 0);
    assert_int_equal(rtm_pool_available(&p), 4);
    rtm_pool_stats_t c;
    assert_int_equal(rtm_pool_stats(&p, &c), RTM_OK);
    assert_int_equal(c.capacity, 4);
    assert_int_equal(c.block_size, 16);
    assert_int_equal(c.free_blocks, 4);
    assert_int_equal(c.used_blocks, 0);
    assert_int_equal(c.peak_used, 4);
    assert_int_equal(c.failed_allocs, 3);
    assert_int_equal(c.faults, 0);
    /* the same through the uniform interface, in bytes; a pool counts no
     * operations, which the common form says with RTM_STATS_NOT_COUNTED */
    rtm_alloc_t a = rtm_alloc_bind(&rtm_alloc_pool, &p);
    rtm_stats_t u;
    memset(&u, 0xA5, sizeof u);
    assert_int_equal(rtm_alloc_stats(&a, &u), RTM_OK);
    assert_int_equal(u.total_bytes, 64);
    assert_int_equal(u.free_bytes, 64);
    assert_int_equal(u.min_ever_free, 0);
    assert_int_equal(u.largest_free, 16);
    assert_int_equal(u.smallest_free, 16);
    assert_int_equal(u.free_blocks, 4);
    assert_int_equal(u.used_blocks, 0);
    assert_true(u.alloc_count == RTM_STATS_NOT_COUNTED);
    assert_true(u.free_count == RTM_STATS_NOT_COUNTED);
    assert_int_equal(u.failed_allocs, 3);
    assert_int_equal(u.faults, 0);
    assert_ok(&p);
    /* deinit: owns nothing afterwards */
    assert_int_equal(rtm_pool_deinit(&p), RTM_OK);
    assert_int_equal(rtm_pool_deinit(&p), RTM_ERR_STATE);
    assert_null(rtm_pool_alloc(&p));
    assert_false(rtm_pool_owns(&p, mem));
    rtm_check_t r;
    assert_int_equal(rtm_pool_check(&p, &r), RTM_ERR_STATE);
}

/* LIFO reuse and the O(1) init: a pool with a million blocks starts at once
 * and hands out blocks in address order from its watermark. */
static void test_watermark_and_lifo(void **state)
{
    (void)state;
    size_t n = 1000000;
    size_t bytes = rtm_pool_mem_size(n, 32, 8, RTM_POOL_BITMAP);
    uint8_t *mem = aligned_alloc(16, (bytes + 15u) & ~(size_t)15u);
    assert_non_null(mem);
    rtm_pool_t p;
    assert_int_equal(rtm_pool_init(&p, mem, bytes, 32, 8, (uint32_t)n, RTM_POOL_BITMAP), RTM_OK);
    uint8_t *a = rtm_pool_alloc(&p);
    uint8_t *b = rtm_pool_alloc(&p);
    assert_ptr_equal(a, mem);
    assert_ptr_equal(b, mem + 32);
    assert_int_equal(rtm_pool_free(&p, a), RTM_OK);
    assert_int_equal(rtm_pool_free(&p, b), RTM_OK);
    assert_ptr_equal(rtm_pool_alloc(&p), b); /* newest first */
    assert_ptr_equal(rtm_pool_alloc(&p), a);
    assert_ptr_equal(rtm_pool_alloc(&p), mem + 64); /* then the watermark */
    assert_ok(&p);
    free(mem);
}

/* The division-free block index (rtm_pool_index_, behind locate() and the
 * inline free) against plain division, for every stride 4..260 and for
 * large odd and even ones: every offset from 2 strides below the pool to 2
 * above, each classified as the model says (a block start, interior or
 * foreign), and every free of a non-start refused with that reason. */
static void index_matches_division(size_t stride, uint32_t n)
{
    static _Alignas(8) uint8_t mem[80 * 1024];
    size_t before = 2u * stride, bytes = (size_t)n * stride;
    assert_true(before + bytes + 2u * stride <= sizeof mem);
    uint8_t *base = mem + before;
    rtm_pool_t p;
    assert_int_equal(rtm_pool_init(&p, base, bytes, stride, 4, n, RTM_POOL_NOLOCK), RTM_OK);
    assert_int_equal(rtm_pool_block_size(&p), stride);
    rtm_pool_set_fault_hook(&p, hook, NULL);
    for (uint32_t i = 0; i < n; i++) {
        assert_ptr_equal(rtm_pool_alloc(&p), base + (size_t)i * stride);
    }
    for (size_t k = 0; k < before + bytes + 2u * stride; k++) {
        const uint8_t *q = mem + k;
        bool inside = q >= base && q < base + bytes;
        bool start = inside && (size_t)(q - base) % stride == 0u;
        assert_int_equal(rtm_pool_owns(&p, q), start);
        assert_true((rtm_pool_index_(&p, q) < n) == start);
        if (start) {
            assert_int_equal(rtm_pool_index_(&p, q), (size_t)(q - base) / stride);
        } else if ((k & 7u) == 0u || k % stride == 1u) { /* a sample of the frees */
            reset_faults();
            rtm_err_t want = inside ? RTM_ERR_INTERIOR_PTR : RTM_ERR_FOREIGN_PTR;
            assert_int_equal(rtm_pool_free(&p, (void *)(uintptr_t)q), want);
            assert_int_equal(rtm_pool_free_unlocked(&p, (void *)(uintptr_t)q), want);
            assert_int_equal(g_faults, 2);
        }
    }
    assert_int_equal(rtm_pool_used(&p), n);
    assert_ok(&p);
}

static void test_index_without_division(void **state)
{
    (void)state;
    for (size_t stride = 4; stride <= 260u; stride += 4u) {
        index_matches_division(stride, 7u);
    }
    index_matches_division(4u, 2000u);
    index_matches_division(12u, 1000u);
    index_matches_division(4092u, 3u);  /* 1023 << 2 */
    index_matches_division(12288u, 2u); /* 3 << 12 */
    index_matches_division(8192u, 2u);
    /* NULL and a block never handed out keep their own reasons */
    static _Alignas(8) uint8_t mem[RTM_POOL_MEM_SIZE(4, 24, 8, 0)];
    rtm_pool_t p;
    assert_int_equal(rtm_pool_init(&p, mem, sizeof mem, 24, 8, 4, RTM_POOL_NOLOCK), RTM_OK);
    rtm_pool_set_fault_hook(&p, hook, NULL);
    assert_non_null(rtm_pool_alloc_unlocked(&p));
    assert_int_equal(rtm_pool_free_unlocked(&p, NULL), RTM_ERR_NULL);
    assert_int_equal(rtm_pool_free_unlocked(&p, mem + 48), RTM_ERR_DOUBLE_FREE);
    assert_int_equal(rtm_pool_free_unlocked(&p, mem), RTM_OK);
    assert_ok(&p);
}

static void test_inline_unlocked(void **state)
{
    (void)state;
    static _Alignas(8) uint8_t mem[RTM_POOL_MEM_SIZE(3, 8, 8, RTM_POOL_BITMAP)];
    rtm_pool_t p;
    assert_int_equal(rtm_pool_init(&p, mem, sizeof mem, 8, 8, 0, RTM_POOL_BITMAP), RTM_OK);
    rtm_pool_set_fault_hook(&p, hook, NULL);
    rtm_port_enter(); /* a default pool under the caller's critical section */
    void *a = rtm_pool_alloc_unlocked(&p);
    void *b = rtm_pool_alloc_unlocked(&p);
    void *c = rtm_pool_alloc_unlocked(&p);
    assert_non_null(c);
    assert_null(rtm_pool_alloc_unlocked(&p));
    assert_int_equal(rtm_pool_free_unlocked(&p, b), RTM_OK);
    reset_faults();
    assert_int_equal(rtm_pool_free_unlocked(&p, b), RTM_ERR_DOUBLE_FREE);
    assert_int_equal(g_faults, 1);
    assert_int_equal(rtm_pool_free_unlocked(&p, (uint8_t *)a + 1), RTM_ERR_INTERIOR_PTR);
    assert_int_equal(rtm_pool_free_unlocked(&p, NULL), RTM_ERR_NULL);
    rtm_port_exit();
    assert_ok(&p);
    assert_int_equal(rtm_pool_used(&p), 2);
    ps_t s;
    assert_int_equal(get_ps(&p, &s), RTM_OK);
    assert_int_equal(s.failed_allocs, 1);
    assert_int_equal(s.invalid_frees, 3);
}

/* ISR rules: never blocks, an allocation with a timeout returns at once. */
static void test_isr_rules(void **state)
{
    (void)state;
    static _Alignas(8) uint8_t mem[RTM_POOL_MEM_SIZE(1, 8, 8, RTM_POOL_BITMAP)];
    rtm_pool_t p;
    assert_int_equal(rtm_pool_init(&p, mem, sizeof mem, 8, 8, 0, RTM_POOL_BITMAP), RTM_OK);
    rtm_port_posix_set_isr(true);
    void *a = rtm_pool_alloc_timeout(&p, 1000); /* free block: fine from an ISR */
    assert_non_null(a);
    uint32_t t0 = rtm_port_ticks();
    assert_null(rtm_pool_alloc_timeout(&p, 1000)); /* empty: no blocking */
    assert_true(rtm_port_ticks() - t0 < 500);
    assert_null(rtm_pool_alloc_timeout(&p, RTM_WAIT_FOREVER));
    assert_int_equal(rtm_pool_free(&p, a), RTM_OK); /* free from an ISR */
    rtm_port_posix_set_isr(false);
    /* inside a critical section: cannot block either */
    a = rtm_pool_alloc(&p);
    rtm_port_enter();
    assert_null(rtm_pool_alloc_timeout(&p, 1000));
    rtm_port_exit();
    /* NOLOCK pools never block */
    rtm_pool_t q;
    assert_int_equal(rtm_pool_init(&q, mem, sizeof mem, 8, 8, 0, RTM_POOL_NOLOCK), RTM_OK);
    assert_non_null(rtm_pool_alloc(&q));
    assert_null(rtm_pool_alloc_timeout(&q, 1000));
    ps_t s;
    assert_int_equal(get_ps(&q, &s), RTM_OK);
    assert_int_equal(s.failed_allocs, 1);
}

/* A timed allocation that cannot succeed expires, never early. */
static void test_timeout_expires(void **state)
{
    (void)state;
    static _Alignas(8) uint8_t mem[RTM_POOL_MEM_SIZE(1, 8, 8, RTM_POOL_BITMAP | RTM_POOL_LOCKFREE)];
    unsigned modes[] = {RTM_POOL_BITMAP, RTM_POOL_BITMAP | RTM_POOL_LOCKFREE};
    for (int m = 0; m < (RTMEM_CFG_POOL_LOCKFREE ? 2 : 1); m++) {
        rtm_pool_t p;
        assert_int_equal(rtm_pool_init(&p, mem, sizeof mem, 8, 8, 1, modes[m]), RTM_OK);
        assert_non_null(rtm_pool_alloc(&p));
        uint32_t t0 = rtm_port_ticks();
        assert_null(rtm_pool_alloc_timeout(&p, 30));
        uint32_t spent = rtm_port_ticks() - t0;
        assert_true(spent >= 29); /* one tick of rounding in the tick counter */
        assert_true(spent < 300);
        ps_t s;
        assert_int_equal(get_ps(&p, &s), RTM_OK);
        assert_int_equal(s.failed_allocs, 1);
        assert_int_equal(rtm_pool_deinit(&p), RTM_OK);
    }
}

/* The hot slot (a freed block kept off the list with its bit set): the free
 * of the block the newest alloc handed out (`last`) fills it unchecked; any
 * other free is checked and goes onto the list, leaving both slots as they
 * are. Blocks still come back newest first (the hot block, then the list,
 * then the watermark), a second free of the hot block or of a listed one is
 * refused with one fault and changes nothing, with the bitmap and without
 * it (there only the hot block's double free is caught here), and the hot
 * block counts as free. */
static void hot_slot_run(unsigned flags)
{
    static _Alignas(8) uint8_t mem[RTM_POOL_MEM_SIZE(4, 16, 8, RTM_POOL_BITMAP)];
    rtm_pool_t p;
    assert_int_equal(rtm_pool_init(&p, mem, sizeof mem, 16, 8, 4, flags), RTM_OK);
    rtm_pool_set_fault_hook(&p, hook, NULL);
    uint8_t *a = rtm_pool_alloc(&p), *b = rtm_pool_alloc(&p);
    assert_ptr_equal(p.last, b);
    assert_int_equal(rtm_pool_free(&p, b), RTM_OK); /* the unchecked free */
    assert_ptr_equal(p.hot, b);
    assert_null(p.last);
    assert_int_equal(rtm_pool_used(&p), 1);
    assert_int_equal(rtm_pool_available(&p), 3);
    reset_faults();
    assert_int_equal(rtm_pool_free(&p, b), RTM_ERR_DOUBLE_FREE);
    assert_int_equal(rtm_pool_free_unlocked(&p, b), RTM_ERR_DOUBLE_FREE);
    assert_int_equal(g_faults, 2);
    assert_ptr_equal(p.hot, b);
    assert_int_equal(rtm_pool_free(&p, a), RTM_OK); /* checked: onto the list */
    assert_ptr_equal(p.hot, b);
    assert_int_equal(p.nfree, 1);
    assert_ok(&p);
    reset_faults();
    assert_int_equal(rtm_pool_free(&p, b), RTM_ERR_DOUBLE_FREE);
    if ((flags & RTM_POOL_BITMAP) != 0u) {
        assert_int_equal(rtm_pool_free(&p, a), RTM_ERR_DOUBLE_FREE); /* listed */
        assert_int_equal(g_faults, 2);
    }
    assert_int_equal(rtm_pool_used(&p), 0);
    assert_ok(&p);
    assert_ptr_equal(rtm_pool_alloc(&p), b); /* newest first: the hot block */
    assert_null(p.hot);
    assert_ptr_equal(p.last, b);
    reset_faults();
    if ((flags & RTM_POOL_BITMAP) != 0u) { /* a listed block, the hot slot empty */
        assert_int_equal(rtm_pool_free_unlocked(&p, a), RTM_ERR_DOUBLE_FREE);
        assert_int_equal(g_faults, 1);
        assert_null(p.hot);
    }
    assert_ptr_equal(rtm_pool_alloc(&p), a); /* then the list */
    assert_ptr_equal(p.last, a);
    uint8_t *c = rtm_pool_alloc(&p);
    assert_ptr_equal(c, mem + 32); /* then the watermark */
    assert_ptr_equal(p.last, c);
    assert_int_equal(rtm_pool_used(&p), 3);
    assert_ok(&p);
    /* a checked free (a is not `last`) leaves c as `last`: c is still
     * allocated, so its free is the unchecked one, and then c is hot and
     * that path closed */
    assert_int_equal(rtm_pool_free(&p, a), RTM_OK);
    assert_ptr_equal(p.last, c);
    assert_null(p.hot);
    assert_ok(&p);
    assert_int_equal(rtm_pool_free(&p, c), RTM_OK);
    assert_ptr_equal(p.hot, c);
    assert_null(p.last);
    assert_int_equal(rtm_pool_free(&p, c), RTM_ERR_DOUBLE_FREE);
    assert_int_equal(rtm_pool_used(&p), 1);
    assert_ok(&p);
    ps_t s;
    assert_int_equal(get_ps(&p, &s), RTM_OK);
    assert_int_equal(s.peak_used, 3);
    assert_int_equal(s.invalid_frees, (flags & RTM_POOL_BITMAP) != 0u ? 6u : 4u);
}

static void test_hot_slot(void **state)
{
    (void)state;
    hot_slot_run(RTM_POOL_BITMAP);
    hot_slot_run(RTM_POOL_BITMAP | RTM_POOL_NOLOCK);
    hot_slot_run(0u);
    hot_slot_run(RTM_POOL_NOLOCK);
}

/* A pool over a block taken from an rtmem heap (the "or over memory
 * from any rtmem heap"): every block usable, then the heap block goes back
 * and both allocators' checks pass. */
static void pool_round_trip(void *mem, size_t bytes, uint32_t count)
{
    rtm_pool_t p;
    assert_non_null(mem);
    assert_int_equal(rtm_pool_init(&p, mem, bytes, 24u, 0u, count, RTM_POOL_DEFAULT), RTM_OK);
    void *b[16];
    for (uint32_t i = 0; i < count; i++) {
        b[i] = rtm_pool_alloc(&p);
        assert_non_null(b[i]);
        memset(b[i], (int)i, rtm_pool_block_size(&p));
    }
    assert_null(rtm_pool_alloc(&p));
    for (uint32_t i = 0; i < count; i++) {
        assert_int_equal(((uint8_t *)b[i])[0], (uint8_t)i);
        assert_int_equal(rtm_pool_free(&p, b[i]), RTM_OK);
    }
    assert_int_equal(rtm_pool_check(&p, NULL), RTM_OK);
    assert_int_equal(rtm_pool_deinit(&p), RTM_OK);
}

static void test_pool_over_heap_memory(void **state)
{
    (void)state;
    static _Alignas(16) uint8_t arena[8192];
    const uint32_t count = 16u;
    size_t bytes = rtm_pool_mem_size(count, 24u, 0u, RTM_POOL_DEFAULT);
    assert_true(bytes > 0u);

    rtm_heap4_t h;
    assert_int_equal(rtm_heap4_init(&h, arena, sizeof arena), RTM_OK);
    void *m = rtm_heap4_alloc(&h, bytes);
    pool_round_trip(m, bytes, count);
    assert_int_equal(rtm_heap4_free(&h, m), RTM_OK);
    assert_int_equal(rtm_heap4_check(&h, NULL), RTM_OK);

    rtm_tlsf_t t;
    assert_int_equal(rtm_tlsf_init(&t, arena, sizeof arena), RTM_OK);
    m = rtm_tlsf_alloc(&t, bytes);
    pool_round_trip(m, bytes, count);
    assert_int_equal(rtm_tlsf_free(&t, m), RTM_OK);
    assert_int_equal(rtm_tlsf_check(&t, NULL), RTM_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizing_rules),
        cmocka_unit_test(test_init_clears_fault_state),
        cmocka_unit_test(test_init_errors),
        cmocka_unit_test(test_free_faults_locked),
        cmocka_unit_test(test_free_faults_nolock),
        cmocka_unit_test(test_free_faults_lockfree),
        cmocka_unit_test(test_odd_stride),
        cmocka_unit_test(test_index_without_division),
        cmocka_unit_test(test_alloc_free_stats_calloc),
        cmocka_unit_test(test_watermark_and_lifo),
        cmocka_unit_test(test_inline_unlocked),
        cmocka_unit_test(test_isr_rules),
        cmocka_unit_test(test_timeout_expires),
        cmocka_unit_test(test_hot_slot),
        cmocka_unit_test(test_pool_over_heap_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
