/*
 * rtm_stack on buffers: layout of guard, canary and usable part in both
 * growth directions, painting, the high-water mark against bytes written by
 * hand, the switch-time checks (methods 1 and 2), reports (3 and 4), sizing
 * advice, main-stack monitoring, dynamic stacks from every scheme through
 * rtm_alloc, and every bad input (fault hook called, memory untouched).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rtmem/alloc.h"
#include "rtmem/heap1.h"
#include "rtmem/heap2.h"
#include "rtmem/heap4.h"
#include "rtmem/heap5.h"
#include "rtmem/pool.h"
#include "rtmem/stack.h"
#include "rtmem/tlsf.h"

RTM_STACK_STORAGE_V8(static, buf, 1024); /* 32-aligned: the guard cases need it */
RTM_STACK_STORAGE_V7(static, buf_v7, 1500);
RTM_STACK_STORAGE_V8(static, buf_v8, 1500);

static int faults;
static rtm_err_t last_fault;
static void on_fault(void *user, rtm_err_t reason, const void *obj, const void *ptr)
{
    (void)user;
    (void)obj;
    (void)ptr;
    faults++;
    last_fault = reason;
}

static int overflows;
static rtm_stack_method_t last_method;
static const rtm_stack_t *last_stack;
static void on_overflow(void *user, const rtm_stack_t *s, rtm_stack_method_t m, const void *a)
{
    (void)user;
    (void)a;
    overflows++;
    last_method = m;
    last_stack = s;
}

static rtm_stack_cfg_t cfg_of(uint16_t methods, uint16_t flags)
{
    rtm_stack_cfg_t c = {"t", (void *)&faults, methods, flags, 0u, on_fault, NULL};
    return c;
}

static int reset(void **state)
{
    (void)state;
    faults = 0;
    overflows = 0;
    last_stack = NULL;
    rtm_stack_set_overflow_hook(on_overflow, NULL);
    return 0;
}

static void test_storage_macros(void **state)
{
    (void)state;
    assert_int_equal(sizeof buf, 1024);
    assert_int_equal(sizeof buf_v7, 2048);
    assert_int_equal((uintptr_t)buf_v7 % 2048u, 0);
    assert_int_equal(sizeof buf_v8, 1504);
    assert_int_equal((uintptr_t)buf_v8 % 32u, 0);
    assert_int_equal((uintptr_t)buf % RTM_STACK_ALIGN, 0);
    assert_int_equal(RTM_STACK_V7_SIZE(1u), 32);
    assert_int_equal(RTM_STACK_V7_SIZE(32u), 32);
    assert_int_equal(RTM_STACK_V7_SIZE(33u), 64);
    assert_int_equal(RTM_STACK_V7_SIZE(4096u), 4096);
    assert_int_equal(RTM_STACK_V7_SIZE(5u * 1024u), 8192);
    assert_int_equal(RTM_STACK_V8_SIZE(1536u), 1536);
    assert_int_equal(RTM_STACK_V8_SIZE(1537u), 1568);
}

/* Layout, painting and the HWM, for one direction and a set of methods. */
static void layout_case(uint16_t methods, uint16_t flags)
{
    rtm_stack_t s;
    rtm_stack_cfg_t c = cfg_of(methods, flags);
    memset(buf, 0, sizeof buf);
    assert_int_equal(rtm_stack_init(&s, buf, sizeof buf, &c), RTM_OK);
    size_t guard = (methods & RTM_STACK_M_GUARD) ? RTM_STACK_GUARD_MPU : 0u;
    size_t canary = (methods & RTM_STACK_M_CANARY) ? RTM_STACK_CANARY_BYTES : 0u;
    size_t usable = sizeof buf - guard - canary;
    assert_int_equal(rtm_stack_usable(&s), usable);
    bool up = (flags & RTM_STACK_UP) != 0u;
    uintptr_t b = (uintptr_t)buf;
    assert_int_equal(rtm_stack_limit(&s), up ? b + usable : b + guard + canary);
    assert_int_equal(rtm_stack_start(&s), up ? b : b + sizeof buf);
    /* the whole usable part painted, the guard untouched */
    uint8_t *u = up ? buf : buf + guard + canary;
    for (size_t i = 0; i < usable; i++) {
        assert_int_equal(u[i], RTM_STACK_PAINT);
    }
    if (guard != 0u) {
        uintptr_t lo, hi;
        assert_int_equal(rtm_stack_guard(&s, &lo, &hi), RTM_OK);
        assert_int_equal(hi - lo, guard);
        assert_int_equal(lo, up ? b + sizeof buf - guard : b);
        for (size_t i = 0; i < guard; i++) {
            assert_int_equal(((uint8_t *)lo)[i], 0);
        }
    }
    assert_int_equal(rtm_stack_free_min(&s), usable);
    assert_int_equal(rtm_stack_used_max(&s), 0);
    /* touch k bytes from the start end, byte by byte: HWM follows exactly,
     * also when the deepest byte happens to be 0xA5 except the last one */
    for (size_t k = 1; k <= 77; k += 7) {
        for (size_t i = 0; i < k; i++) {
            size_t at = up ? i : usable - 1u - i;
            u[at] = (uint8_t)(i == k - 1u ? 0x00u : 0xA5u);
        }
        assert_int_equal(rtm_stack_used_max(&s), k);
        assert_int_equal(rtm_stack_free_min(&s), usable - k);
        assert_int_equal(rtm_stack_free_min_words(&s), (usable - k) / RTM_STACK_WORD);
    }
    assert_int_equal(rtm_stack_check(&s, up ? rtm_stack_limit(&s) : rtm_stack_limit(&s)), RTM_OK);
    assert_int_equal(overflows, 0);
    assert_int_equal(faults, 0);
}

static void test_layout_down(void **state)
{
    (void)state;
    layout_case(0u, 0u);
    layout_case(RTM_STACK_M_SP | RTM_STACK_M_CANARY, 0u);
    layout_case(RTM_STACK_M_GUARD | RTM_STACK_M_CANARY | RTM_STACK_M_SP | RTM_STACK_M_PSPLIM, 0u);
}

static void test_layout_up(void **state)
{
    (void)state;
    layout_case(0u, RTM_STACK_UP);
    layout_case(RTM_STACK_M_SP | RTM_STACK_M_CANARY, RTM_STACK_UP);
    layout_case(RTM_STACK_M_GUARD | RTM_STACK_M_CANARY | RTM_STACK_M_SP, RTM_STACK_UP);
}

static void check_case(uint16_t flags)
{
    rtm_stack_t s;
    rtm_stack_cfg_t c = cfg_of(RTM_STACK_M_SP | RTM_STACK_M_CANARY, flags);
    assert_int_equal(rtm_stack_init(&s, buf, sizeof buf, &c), RTM_OK);
    bool up = (flags & RTM_STACK_UP) != 0u;
    uintptr_t lim = rtm_stack_limit(&s);
    /* method 1: at the limit is fine, one byte beyond is not */
    assert_int_equal(rtm_stack_check(&s, lim), RTM_OK);
    assert_int_equal(rtm_stack_check(&s, up ? lim + 1u : lim - 1u), RTM_ERR_STACK_OVERFLOW);
    assert_int_equal(overflows, 1);
    assert_int_equal(last_method, RTM_STACK_M_SP);
    assert_ptr_equal(last_stack, &s);
    assert_string_equal(last_stack->name, "t");
    assert_ptr_equal(last_stack->handle, &faults);
    /* method 2: any canary byte changed, the SP back inside */
    for (size_t i = 0; i < RTM_STACK_CANARY_BYTES; i++) {
        uint8_t *cb = up ? (uint8_t *)lim + i : (uint8_t *)lim - RTM_STACK_CANARY_BYTES + i;
        uint8_t keep = *cb;
        *cb ^= 0x10u;
        assert_int_equal(rtm_stack_check(&s, lim), RTM_ERR_STACK_OVERFLOW);
        assert_int_equal(last_method, RTM_STACK_M_CANARY);
        *cb = keep;
        assert_int_equal(rtm_stack_check(&s, lim), RTM_OK);
    }
    assert_int_equal(overflows, 1 + (int)RTM_STACK_CANARY_BYTES);
    assert_int_equal(s.caught, RTM_STACK_M_SP | RTM_STACK_M_CANARY);
    /* methods 3 and 4 are caught by hardware: reported */
    assert_int_equal(rtm_stack_report(&s, RTM_STACK_M_GUARD, buf), RTM_ERR_STACK_OVERFLOW);
    assert_int_equal(last_method, RTM_STACK_M_GUARD);
    assert_int_equal(rtm_stack_report(&s, RTM_STACK_M_PSPLIM, buf), RTM_ERR_STACK_OVERFLOW);
    assert_int_equal(last_method, RTM_STACK_M_PSPLIM);
    assert_int_equal(s.caught, 15);
    /* without the hook: counted in `caught` and returned */
    rtm_stack_set_overflow_hook(NULL, NULL);
    assert_int_equal(rtm_stack_check(&s, up ? lim + 8u : lim - 8u), RTM_ERR_STACK_OVERFLOW);
    assert_int_equal(faults, 0);
}

static void test_check_down(void **state)
{
    (void)state;
    check_case(0u);
}

static void test_check_up(void **state)
{
    (void)state;
    check_case(RTM_STACK_UP);
}

static void test_method_off_is_off(void **state)
{
    (void)state;
    rtm_stack_t s;
    rtm_stack_cfg_t c = cfg_of(RTM_STACK_M_CANARY, 0u); /* no method 1 */
    assert_int_equal(rtm_stack_init(&s, buf, sizeof buf, &c), RTM_OK);
    assert_int_equal(rtm_stack_check(&s, (uintptr_t)buf), RTM_OK);
    c = cfg_of(RTM_STACK_M_SP, 0u); /* no canary: nothing reserved */
    assert_int_equal(rtm_stack_init(&s, buf, sizeof buf, &c), RTM_OK);
    assert_int_equal(rtm_stack_limit(&s), (uintptr_t)buf);
    assert_int_equal(overflows, 0);
}

static void test_bad_input(void **state)
{
    (void)state;
    rtm_stack_t s;
    rtm_stack_cfg_t c = cfg_of(0u, 0u);
    memset(buf, 0x11, sizeof buf);
    assert_int_equal(rtm_stack_init(NULL, buf, sizeof buf, &c), RTM_ERR_NULL);
    assert_int_equal(rtm_stack_init(&s, NULL, sizeof buf, &c), RTM_ERR_NULL);
    assert_int_equal(faults, 1);
    assert_int_equal(rtm_stack_init(&s, buf + 4, 512, &c), RTM_ERR_ARG); /* misaligned */
    assert_int_equal(rtm_stack_init(&s, buf, 510, &c), RTM_ERR_ARG);     /* size */
    assert_int_equal(rtm_stack_init(&s, buf, 32, &c), RTM_ERR_ARG);      /* too small */
    c.methods = 0x40u;
    assert_int_equal(rtm_stack_init(&s, buf, sizeof buf, &c), RTM_ERR_ARG); /* method */
    c = cfg_of(RTM_STACK_M_GUARD, 0u);
    c.guard = 48u;
    assert_int_equal(rtm_stack_init(&s, buf, sizeof buf, &c), RTM_ERR_ARG); /* not pow2 */
    c.guard = 32u;
    assert_int_equal(rtm_stack_init(&s, buf + 8, 512, &c), RTM_ERR_ARG); /* guard misaligned */
    c = cfg_of(0u, 0x80u);
    assert_int_equal(rtm_stack_init(&s, buf, sizeof buf, &c), RTM_ERR_ARG); /* flag */
    assert_int_equal(faults, 8);
    assert_int_equal(last_fault, RTM_ERR_ARG);
    for (size_t i = 0; i < sizeof buf; i++) {
        assert_int_equal(buf[i], 0x11); /* nothing painted */
    }
    rtm_stack_advice_t a;
    c = cfg_of(0u, 0u);
    assert_int_equal(rtm_stack_init(&s, buf, sizeof buf, &c), RTM_OK);
    assert_int_equal(rtm_stack_advise(&s, 1001u, &a), RTM_ERR_ARG);
    assert_int_equal(faults, 9);
    assert_int_equal(rtm_stack_advise(NULL, 10u, &a), RTM_ERR_NULL);
    assert_int_equal(rtm_stack_check(NULL, 0u), RTM_ERR_NULL);
    assert_int_equal(rtm_stack_report(NULL, RTM_STACK_M_SP, NULL), RTM_ERR_NULL);
    assert_int_equal(rtm_stack_free_min(NULL), 0);
    assert_int_equal(rtm_stack_destroy(NULL), RTM_ERR_NULL);
    assert_int_equal(rtm_stack_create(&s, NULL, 256, &c), RTM_ERR_NULL);
    assert_int_equal(faults, 10);
}

/* A destroyed descriptor (or NULL) is refused by the switch check and reads
 * as empty: nothing of the memory it had is read or reported. */
static void test_destroyed(void **state)
{
    (void)state;
    rtm_stack_t s;
    rtm_stack_cfg_t c = cfg_of(RTM_STACK_M_SP | RTM_STACK_M_CANARY | RTM_STACK_M_GUARD, 0u);
    assert_int_equal(rtm_stack_init(&s, buf, sizeof buf, &c), RTM_OK);
    assert_int_equal(rtm_stack_destroy(&s), RTM_OK);
    assert_int_equal(rtm_stack_check(&s, (uintptr_t)buf + 512u), RTM_ERR_STATE);
    assert_int_equal(faults, 1);
    assert_int_equal(last_fault, RTM_ERR_STATE);
    assert_int_equal(overflows, 0);
    assert_int_equal(rtm_stack_usable(&s), 0);
    assert_int_equal(rtm_stack_used_max(&s), 0);
    assert_int_equal(rtm_stack_free_min(&s), 0);
    assert_int_equal(rtm_stack_limit(&s), 0);
    assert_int_equal(rtm_stack_start(&s), 0);
    uintptr_t lo, hi;
    assert_int_equal(rtm_stack_guard(&s, &lo, &hi), RTM_ERR_STATE);
    rtm_stack_advice_t a;
    assert_int_equal(rtm_stack_advise(&s, 25u, &a), RTM_ERR_STATE);
    assert_int_equal(faults, 2);
    assert_int_equal(rtm_stack_destroy(&s), RTM_OK); /* again: nothing to do */
    /* the O(1) accessors on NULL */
    assert_int_equal(rtm_stack_usable(NULL), 0);
    assert_int_equal(rtm_stack_limit(NULL), 0);
    assert_int_equal(rtm_stack_start(NULL), 0);
    assert_int_equal(rtm_stack_used_max(NULL), 0);
}

static int other_faults;
static void on_other_fault(void *user, rtm_err_t reason, const void *obj, const void *ptr)
{
    (void)ptr;
    assert_ptr_equal(user, &other_faults);
    assert_int_equal(reason, RTM_ERR_ARG);
    assert_non_null(obj);
    other_faults++;
}

/* rtm_stack_set_fault_hook() replaces the hook the configuration gave: the
 * next fault goes to the new hook with its user pointer, not the old one. */
static void test_set_fault_hook(void **state)
{
    (void)state;
    rtm_stack_t s;
    rtm_stack_advice_t a;
    rtm_stack_cfg_t c = cfg_of(0u, 0u);
    assert_int_equal(rtm_stack_init(&s, buf, sizeof buf, &c), RTM_OK);
    rtm_stack_set_fault_hook(NULL, on_other_fault, &other_faults); /* ignored */
    rtm_stack_set_fault_hook(&s, on_other_fault, &other_faults);
    other_faults = 0;
    assert_int_equal(rtm_stack_advise(&s, 1001u, &a), RTM_ERR_ARG);
    assert_int_equal(other_faults, 1);
    assert_int_equal(faults, 0);
    assert_int_equal(s.fault.count, 1);
}

static void test_advise(void **state)
{
    (void)state;
    rtm_stack_t s;
    rtm_stack_cfg_t c = cfg_of(RTM_STACK_M_CANARY, 0u);
    assert_int_equal(rtm_stack_init(&s, buf, sizeof buf, &c), RTM_OK);
    memset(buf + sizeof buf - 400u, 0, 400u); /* 400 bytes used */
    rtm_stack_advice_t a;
    assert_int_equal(rtm_stack_advise(&s, 25u, &a), RTM_OK);
    assert_int_equal(a.used_bytes, 400);
    /* 400 * 1.25 + the canary, rounded up to 8 */
    assert_int_equal(a.advised_bytes, (500u + RTM_STACK_CANARY_BYTES + 7u) & ~(size_t)7u);
    assert_int_equal(a.advised_words, a.advised_bytes / RTM_STACK_WORD);
    assert_true(a.enough);
    memset(buf + RTM_STACK_CANARY_BYTES, 0, 1000u); /* nearly all used */
    assert_int_equal(rtm_stack_advise(&s, 10u, &a), RTM_OK);
    assert_int_equal(a.used_bytes, sizeof buf - RTM_STACK_CANARY_BYTES); /* all of it */
    size_t want = ((sizeof buf - RTM_STACK_CANARY_BYTES) * 110u + 99u) / 100u + RTM_STACK_CANARY_BYTES;
    assert_int_equal(a.advised_bytes, (want + 7u) & ~(size_t)7u);
    assert_false(a.enough);
}

/* Main stack: only the part below the given SP minus the slack is painted. */
static void test_main_stack(void **state)
{
    (void)state;
    rtm_stack_t s;
    rtm_stack_cfg_t c = cfg_of(RTM_STACK_M_CANARY, 0u);
    memset(buf, 0x11, sizeof buf);
    const void *sp = buf + 700;
    assert_int_equal(rtm_stack_init_main(&s, buf, sizeof buf, sp, &c), RTM_OK);
    size_t painted = 700u - RTM_STACK_MAIN_SLACK - RTM_STACK_CANARY_BYTES;
    for (size_t i = 0; i < sizeof buf; i++) {
        uint8_t want = i < RTM_STACK_CANARY_BYTES ? buf[i]
                       : i < RTM_STACK_CANARY_BYTES + painted ? RTM_STACK_PAINT : 0x11u;
        assert_int_equal(buf[i], want);
    }
    assert_int_equal(rtm_stack_free_min(&s), painted);
    assert_int_equal(rtm_stack_check(&s, (uintptr_t)sp), RTM_OK);
    assert_int_equal(rtm_stack_init_main(&s, buf, sizeof buf, buf + 100, &c), RTM_ERR_ARG);
    c.flags = RTM_STACK_UP;
    assert_int_equal(rtm_stack_init_main(&s, buf, sizeof buf, sp, &c), RTM_ERR_ARG);
    assert_int_equal(faults, 2);
}

/* Dynamic stacks from every scheme through rtm_alloc: taken, painted,
 * given back (the scheme's used blocks return to 0). */
static _Alignas(4096) uint8_t arena[16384];
static void dyn_case(const rtm_alloc_ops_t *ops, void *inst, size_t param)
{
    assert_int_equal(ops->init(inst, arena, sizeof arena, param), RTM_OK);
    rtm_alloc_t a = rtm_alloc_bind(ops, inst);
    rtm_stack_t s;
    rtm_stack_cfg_t c = cfg_of(RTM_STACK_M_CANARY | RTM_STACK_M_SP, 0u);
    assert_int_equal(rtm_stack_create(&s, &a, 1024, &c), RTM_OK);
    assert_int_equal(s.flags & RTM_STACK_DYNAMIC, RTM_STACK_DYNAMIC);
    assert_int_equal(rtm_stack_free_min(&s), 1024u - RTM_STACK_CANARY_BYTES);
    rtm_stats_t st;
    assert_int_equal(rtm_alloc_stats(&a, &st), RTM_OK);
    assert_int_equal(st.used_blocks, 1);
    rtm_check_t r;
    assert_int_equal(rtm_alloc_check(&a, &r), RTM_OK);
    assert_int_equal(rtm_stack_destroy(&s), RTM_OK);
    assert_int_equal(rtm_alloc_stats(&a, &st), RTM_OK);
    assert_int_equal(st.used_blocks, 0);
    /* more than the scheme has */
    assert_int_equal(rtm_stack_create(&s, &a, sizeof arena * 2u, &c), RTM_ERR_NO_MEMORY);
}

static void hook_all(void *inst, const rtm_alloc_ops_t *ops)
{
    ops->set_fault_hook(inst, on_fault, NULL);
}

static void test_dynamic_every_scheme(void **state)
{
    (void)state;
    static rtm_heap1_t h1;
    static rtm_heap2_t h2;
    static rtm_heap4_t h4;
    static rtm_heap5_t h5;
    static rtm_tlsf_t tl;
    static rtm_pool_t po;
    dyn_case(&rtm_alloc_heap2, &h2, 0u);
    dyn_case(&rtm_alloc_heap4, &h4, 0u);
    dyn_case(&rtm_alloc_heap5, &h5, 0u);
    dyn_case(&rtm_alloc_tlsf, &tl, 0u);
    dyn_case(&rtm_alloc_pool, &po, 1024u);
    assert_int_equal(rtm_alloc_heap1.init(&h1, arena, sizeof arena, 0u), RTM_OK);
    hook_all(&h1, &rtm_alloc_heap1);
    rtm_alloc_t a = rtm_alloc_bind(&rtm_alloc_heap1, &h1);
    rtm_stack_t s;
    rtm_stack_cfg_t c = cfg_of(0u, 0u);
    assert_int_equal(rtm_stack_create(&s, &a, 1024, &c), RTM_OK);
    assert_int_equal(rtm_stack_destroy(&s), RTM_ERR_NOT_SUPPORTED);
    assert_int_equal(faults, 1);
    /* a block that is not aligned for the guard: refused and given back */
    rtm_alloc_t t = rtm_alloc_bind(&rtm_alloc_tlsf, &tl);
    assert_int_equal(rtm_alloc_tlsf.init(&tl, arena, sizeof arena, 0u), RTM_OK);
    void *skew = rtm_alloc_alloc(&t, 8); /* moves the next block off a 4096 boundary */
    assert_non_null(skew);
    c = cfg_of(RTM_STACK_M_GUARD, 0u);
    c.guard = 4096u;
    faults = 0;
    /* the arena is 4096-aligned and tlsf's block starts past its header, so
     * the block is never 4096-aligned: the refusal is tested on every build */
    rtm_err_t e = rtm_stack_create(&s, &t, 8192, &c);
    rtm_stats_t st;
    assert_int_equal(rtm_alloc_stats(&t, &st), RTM_OK);
    assert_int_equal(e, RTM_ERR_ARG);
    assert_int_equal(faults, 1);
    assert_int_equal(st.used_blocks, 1); /* given back */
    /* realloc: only tlsf has one */
    assert_null(rtm_alloc_realloc(&a, NULL, 8));
    void *r = rtm_alloc_realloc(&t, skew, 64);
    assert_non_null(r);
    assert_int_equal(rtm_alloc_free(&t, r), RTM_OK);
    assert_null(rtm_alloc_alloc(NULL, 8));
    assert_int_equal(rtm_alloc_free(NULL, r), RTM_ERR_NULL);
    /* a pool refuses sizes above its block */
    rtm_alloc_t p = rtm_alloc_bind(&rtm_alloc_pool, &po);
    assert_int_equal(rtm_alloc_pool.init(&po, arena, sizeof arena, 64u), RTM_OK);
    assert_null(rtm_alloc_alloc(&p, 65));
    assert_non_null(rtm_alloc_alloc(&p, 64));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_storage_macros, reset),
        cmocka_unit_test_setup(test_layout_down, reset),
        cmocka_unit_test_setup(test_layout_up, reset),
        cmocka_unit_test_setup(test_check_down, reset),
        cmocka_unit_test_setup(test_check_up, reset),
        cmocka_unit_test_setup(test_method_off_is_off, reset),
        cmocka_unit_test_setup(test_bad_input, reset),
        cmocka_unit_test_setup(test_destroyed, reset),
        cmocka_unit_test_setup(test_set_fault_hook, reset),
        cmocka_unit_test_setup(test_advise, reset),
        cmocka_unit_test_setup(test_main_stack, reset),
        cmocka_unit_test_setup(test_dynamic_every_scheme, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
