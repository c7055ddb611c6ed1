/*
 * The public sizing macros that no other test used, taken at their word
 * against the functions they describe: rtmem/pool.h (RTM_POOL_MIN_ALIGN,
 * RTM_POOL_ALIGN, RTM_POOL_STORAGE_FLAGS), rtmem/stack.h
 * (RTM_STACK_MIN_USABLE, RTM_STACK_CANARY_WORD, RTM_STACK_MAIN), rtmem/mpu.h
 * (RTM_MPU_POW2, RTM_MPU_V7_SUB, RTM_MPU_MAX_REGIONS, RTM_MPU_RX,
 * RTM_MPU_MAIR0), rtmem/partition.h (RTM_QUOTA_HEADER) and the *_DEFINE_IN
 * forms and RTM_STATIC_MAGIC of rtmem/static.h. The tlsf
 * limits are in test_tlsf_limits.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rtmem/alloc.h"
#include "rtmem/heap1.h"
#include "rtmem/mpu.h"
#include "rtmem/partition.h"
#include "rtmem/pool.h"
#include "rtmem/stack.h"
#include "rtmem/static.h"
#include "test_fault_count.h"

/* ---- rtmem/pool.h --------------------------------------------------------- */

struct odd {
    uint8_t b[5]; /* alignment 1: the pool raises it to RTM_POOL_MIN_ALIGN */
};
struct wide {
    uint64_t w;
    uint8_t tag;
};

RTM_POOL_STORAGE_FLAGS(static, g_odd_mem, struct odd, 7, 0u);
RTM_POOL_STORAGE_FLAGS(static, g_wide_mem, struct wide, 9, RTM_POOL_BITMAP);

/* Storage from RTM_POOL_STORAGE_FLAGS holds exactly `count` blocks with
 * those flags, each aligned to RTM_POOL_ALIGN of the type. */
static void expect_pool(void *mem, size_t mem_size, size_t size, size_t align, uint32_t count,
                        unsigned flags)
{
    assert_int_equal(mem_size, RTM_POOL_MEM_SIZE(count, size, align, flags));
    assert_int_equal((uintptr_t)mem % RTM_POOL_ALIGN(align), 0);
    rtm_pool_t p;
    assert_int_equal(rtm_pool_init(&p, mem, mem_size, size, align, 0u, flags), RTM_OK);
    void *got[16];
    assert_true(count <= 16u);
    for (uint32_t i = 0; i < count; i++) {
        got[i] = rtm_pool_alloc(&p);
        assert_non_null(got[i]);
        assert_int_equal((uintptr_t)got[i] % RTM_POOL_ALIGN(align), 0);
        memset(got[i], 0x3C, size);
    }
    assert_null(rtm_pool_alloc(&p)); /* exactly count blocks */
    for (uint32_t i = 0; i < count; i++) {
        assert_int_equal(rtm_pool_free(&p, got[i]), RTM_OK);
    }
}

static void test_pool_sizing(void **state)
{
    (void)state;
    assert_int_equal(RTM_POOL_ALIGN(1), RTM_POOL_MIN_ALIGN);
    assert_int_equal(RTM_POOL_ALIGN(2), RTM_POOL_MIN_ALIGN);
    assert_int_equal(RTM_POOL_ALIGN(RTM_POOL_MIN_ALIGN), RTM_POOL_MIN_ALIGN);
    assert_int_equal(RTM_POOL_ALIGN(16), 16);
    /* a block is at least a word on a MIN_ALIGN boundary */
    assert_int_equal(RTM_POOL_STRIDE(1, 1), RTM_POOL_MIN_ALIGN);
    assert_int_equal(RTM_POOL_STRIDE(sizeof(struct odd), 1), 8);
    expect_pool(g_odd_mem, sizeof g_odd_mem, sizeof(struct odd), _Alignof(struct odd), 7u, 0u);
    expect_pool(g_wide_mem, sizeof g_wide_mem, sizeof(struct wide), _Alignof(struct wide), 9u,
                RTM_POOL_BITMAP);
}

/* ---- rtmem/stack.h -------------------------------------------------------- */

static _Alignas(16) uint8_t g_stack[1024];

static rtm_err_t stack_init(rtm_stack_t *s, size_t size, uint16_t methods)
{
    rtm_stack_cfg_t c = {"sizing", NULL, methods, 0u, 0u, hook, NULL};
    return rtm_stack_init(s, g_stack, size, &c);
}

/* rtm_stack_min_size() is the canary (when chosen) plus
 * RTM_STACK_MIN_USABLE, and init takes that much and refuses 8 bytes less. */
static void test_stack_sizing(void **state)
{
    (void)state;
    static const uint16_t methods[] = {0u, RTM_STACK_M_SP, RTM_STACK_M_CANARY,
                                       RTM_STACK_M_SP | RTM_STACK_M_CANARY};
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        uint16_t m = methods[i];
        size_t want = RTM_STACK_MIN_USABLE +
                      ((m & RTM_STACK_M_CANARY) != 0u ? (size_t)RTM_STACK_CANARY_BYTES : 0u);
        assert_int_equal(rtm_stack_min_size(m, 0u), want);
        rtm_stack_t s;
        g_faults = 0;
        assert_int_equal(stack_init(&s, want - 8u, m), RTM_ERR_ARG);
        assert_int_equal(g_faults, 1);
        assert_int_equal(g_reason, RTM_ERR_ARG);
        assert_int_equal(stack_init(&s, want, m), RTM_OK);
        assert_int_equal(s.flags & RTM_STACK_MAIN, 0);
    }
}

/* The canary is RTM_STACK_CANARY_BYTES of RTM_STACK_CANARY_WORD just
 * beyond the limit (below it, for a stack that grows down). */
static void test_stack_canary_word(void **state)
{
    (void)state;
    rtm_stack_t s;
    assert_int_equal(stack_init(&s, sizeof g_stack, RTM_STACK_M_CANARY), RTM_OK);
    uintptr_t lim = rtm_stack_limit(&s);
    assert_true(lim >= (uintptr_t)g_stack + RTM_STACK_CANARY_BYTES);
    const uint8_t *c = (const uint8_t *)(lim - RTM_STACK_CANARY_BYTES);
    for (size_t i = 0; i < RTM_STACK_CANARY_BYTES; i += 4u) {
        uint32_t w;
        memcpy(&w, c + i, sizeof w);
        assert_int_equal(w, RTM_STACK_CANARY_WORD);
    }
    assert_int_not_equal(RTM_STACK_CANARY_WORD, 0x01010101u * RTM_STACK_PAINT);
}

/* rtm_stack_init_main() marks the stack RTM_STACK_MAIN. */
static void test_stack_main_flag(void **state)
{
    (void)state;
    rtm_stack_t s;
    rtm_stack_cfg_t c = {"main", NULL, RTM_STACK_M_SP, 0u, 0u, hook, NULL};
    const uint8_t *sp = g_stack + sizeof g_stack - 64u;
    assert_int_equal(rtm_stack_init_main(&s, g_stack, sizeof g_stack, sp, &c), RTM_OK);
    assert_int_equal(s.flags & RTM_STACK_MAIN, RTM_STACK_MAIN);
}

/* ---- rtmem/mpu.h ---------------------------------------------------------- */

static void test_mpu_sizing(void **state)
{
    (void)state;
    assert_int_equal(RTM_MPU_POW2(1), 1);
    assert_int_equal(RTM_MPU_POW2(2), 2);
    assert_int_equal(RTM_MPU_POW2(3), 4);
    assert_int_equal(RTM_MPU_POW2(1000), 1024);
    assert_int_equal(RTM_MPU_POW2(1024), 1024);
    assert_int_equal(RTM_MPU_POW2((size_t)1 << 31), (size_t)1 << 31);
    assert_int_equal(RTM_MPU_POW2(((size_t)1 << 30) + 1u), (size_t)1 << 31);
    /* V7_SUB is the granule of a sub-region cover: rtm_mpu_fit's padding
     * stays below it, and its need is V7_SUBSIZE, a multiple of it */
    static const size_t sizes[] = {1, 31, 32, 100, 200, 256, 257, 1000, 1536, 5000, 65537};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t s = sizes[i];
        rtm_mpu_fit_t f;
        assert_int_equal(rtm_mpu_fit(RTM_MPU_ARMV7M, 1, s, &f), RTM_OK);
        assert_int_equal(f.need, RTM_MPU_V7_SUBSIZE(s));
        assert_int_equal(f.need % RTM_MPU_V7_SUB(s), 0);
        assert_true(f.padding < RTM_MPU_V7_SUB(s));
        assert_int_equal(RTM_MPU_V7_SUB(s),
                         RTM_MPU_V7_SIZE(s) >= 256u ? RTM_MPU_V7_SIZE(s) / 8u : RTM_MPU_V7_SIZE(s));
    }
}

/* The map lies in a Cortex-M address space: planning writes nothing there. */
#define MAP_BASE ((uintptr_t)0x20000000u)

/* RTM_MPU_MAX_REGIONS ranges fill a part with that many regions; one more
 * is refused. A RTM_MPU_RX range is readable and executable, not writable;
 * the ARMv8-M plan's MAIR0 is RTM_MPU_MAIR0. */
static void test_mpu_regions(void **state)
{
    (void)state;
    rtm_mpu_range_t r[RTM_MPU_MAX_REGIONS + 1u];
    for (size_t i = 0; i <= RTM_MPU_MAX_REGIONS; i++) {
        r[i] = (rtm_mpu_range_t)RTM_MPU_DATA(MAP_BASE + i * 256u, 256u, "r");
    }
    r[0].access = RTM_MPU_RX;
    rtm_mpu_plan_t plan;
    for (int arch = 7; arch <= 8; arch++) {
        rtm_mpu_cfg_t cfg = {(rtm_mpu_arch_t)arch, (uint8_t)RTM_MPU_MAX_REGIONS, 0u, 0u, NULL, NULL};
        assert_int_equal(rtm_mpu_plan(&plan, &cfg, r, RTM_MPU_MAX_REGIONS), RTM_OK);
        assert_int_equal(plan.count, RTM_MPU_MAX_REGIONS);
        uintptr_t code = MAP_BASE;
        assert_true(rtm_mpu_allows(&plan, code, false, true, false));
        assert_true(rtm_mpu_allows(&plan, code, false, false, false));
        assert_false(rtm_mpu_allows(&plan, code, true, false, false));
        assert_true(rtm_mpu_allows(&plan, code + 256u, true, false, false)); /* RW */
        assert_false(rtm_mpu_allows(&plan, code + 256u, false, true, false));
        if (arch == 8) {
            assert_int_equal(plan.mair0, RTM_MPU_MAIR0);
        }
        assert_int_equal(rtm_mpu_plan(&plan, &cfg, r, RTM_MPU_MAX_REGIONS + 1u),
                         RTM_ERR_UNEXPRESSIBLE);
    }
}

/* ---- rtmem/partition.h ---------------------------------------------------- */

/* A quota block of n bytes is one heap block of RTM_QUOTA_HEADER + n bytes,
 * the user's bytes RTM_QUOTA_HEADER past its start: heap_1 hands out the
 * same addresses in two equal heaps, one behind the quotas, one asked
 * directly. */
static void test_quota_header(void **state)
{
    (void)state;
    static _Alignas(16) uint8_t mq[2048], md[2048];
    rtm_heap1_t hq, hd;
    assert_int_equal(rtm_heap1_init(&hq, mq, sizeof mq), RTM_OK);
    assert_int_equal(rtm_heap1_init(&hd, md, sizeof md), RTM_OK);
    rtm_alloc_t heap = rtm_alloc_bind(&rtm_alloc_heap1, &hq);
    rtm_quota_owner_t rows[1];
    rtm_quota_t q;
    g_faults = 0;
    assert_int_equal(rtm_quota_init(&q, &heap, rows, 1, hook, NULL), RTM_OK);
    assert_int_equal(rtm_quota_set(&q, 1u, 1024u, 8u), RTM_OK);
    assert_int_equal(RTM_QUOTA_HEADER % RTM_MAX_ALIGN, 0);
    assert_true(RTM_QUOTA_HEADER >= sizeof(rtm_quota_hdr_t));
    static const size_t sizes[] = {1, 24, 100};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        void *p = NULL;
        assert_int_equal(rtm_quota_alloc(&q, 1u, sizes[i], &p), RTM_OK);
        uint8_t *d = rtm_heap1_alloc(&hd, RTM_QUOTA_HEADER + sizes[i]);
        assert_non_null(d);
        assert_int_equal((uint8_t *)p - mq, (d - md) + (ptrdiff_t)RTM_QUOTA_HEADER);
        assert_int_equal(rtm_heap1_free_bytes(&hq), rtm_heap1_free_bytes(&hd));
    }
    rtm_check_t r;
    assert_int_equal(rtm_quota_check(&q, &r), RTM_OK);
    assert_int_equal(g_faults, 0);
}

/* ---- rtmem/static.h: the _IN forms put the storage where attrs say --------- */

#define SEC RTM_IN_SECTION("rtm_sizing_ram")
RTM_HEAP1_DEFINE_IN(g_h1, 512, SEC);
RTM_HEAP2_DEFINE_IN(g_h2, 1024, SEC);
RTM_HEAP4_DEFINE_IN(g_h4, 1024, SEC);
RTM_HEAP5_DEFINE_IN(g_h5, 1024, SEC);
RTM_POOL_DEFINE_IN(g_pl, struct wide, 4, SEC);
RTM_QUEUE_DEFINE_IN(g_q, uint32_t, 4, SEC);
extern uint8_t __start_rtm_sizing_ram[], __stop_rtm_sizing_ram[];

static void expect_in_section(const void *p, size_t n)
{
    assert_true((const uint8_t *)p >= __start_rtm_sizing_ram);
    assert_true((const uint8_t *)p + n <= __stop_rtm_sizing_ram);
}

static void test_static_define_in(void **state)
{
    (void)state;
    expect_in_section(g_h1__rtm_heap1_mem, sizeof g_h1__rtm_heap1_mem);
    expect_in_section(g_h2__rtm_heap2_mem, sizeof g_h2__rtm_heap2_mem);
    expect_in_section(g_h4__rtm_heap4_mem, sizeof g_h4__rtm_heap4_mem);
    expect_in_section(g_h5__rtm_heap5_mem, sizeof g_h5__rtm_heap5_mem);
    expect_in_section(g_pl__rtm_pool_mem, sizeof g_pl__rtm_pool_mem);
    expect_in_section(g_q__rtm_queue_mem, sizeof g_q__rtm_queue_mem);
    /* the walk finds the five records (heap_1 needs none), each marked
     * with RTM_STATIC_MAGIC */
    size_t n = 0;
    for (const rtm_static_rec_t *r = rtm_static_next(NULL); r != NULL; r = rtm_static_next(r)) {
        assert_int_equal(r->magic, RTM_STATIC_MAGIC);
        n++;
    }
    assert_int_equal(n, 5);
    assert_int_equal(rtm_static_count(), 5);
    assert_int_equal(g_h4__rtm_rec.magic, RTM_STATIC_MAGIC);
    assert_int_equal(rtm_static_init_all(NULL), RTM_OK);
    /* and each instance works over that storage */
    uint8_t *p1 = rtm_heap1_alloc(&g_h1, 100);
    uint8_t *p2 = rtm_heap2_alloc(&g_h2, 100);
    uint8_t *p4 = rtm_heap4_alloc(&g_h4, 100);
    uint8_t *p5 = rtm_heap5_alloc(&g_h5, 100);
    uint8_t *pp = rtm_pool_alloc(&g_pl);
    expect_in_section(p1, 100);
    expect_in_section(p2, 100);
    expect_in_section(p4, 100);
    expect_in_section(p5, 100);
    expect_in_section(pp, sizeof(struct wide));
    uint32_t v = 42u, out = 0u;
    assert_int_equal(rtm_queue_send(&g_q, &v, 0u), RTM_OK);
    assert_int_equal(rtm_queue_receive(&g_q, &out, 0u), RTM_OK);
    assert_int_equal(out, 42u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pool_sizing),
        cmocka_unit_test(test_stack_sizing),
        cmocka_unit_test(test_stack_canary_word),
        cmocka_unit_test(test_stack_main_flag),
        cmocka_unit_test(test_mpu_sizing),
        cmocka_unit_test(test_mpu_regions),
        cmocka_unit_test(test_quota_header),
        cmocka_unit_test(test_static_define_in),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
