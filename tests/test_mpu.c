/*
 * rtm_mpu: every expected register value below was worked out by hand from
 * the ARMv7-M ARM (B3.5.8 MPU_RBAR: ADDR | VALID bit 4 | REGION 3:0; B3.5.9
 * MPU_RASR: XN 28, AP 26:24, TEX 21:19, S 18, C 17, B 16, SRD 15:8, SIZE 5:1
 * = log2(size) - 1, ENABLE 0) and the ARMv8-M ARM (MPU_RBAR: BASE 31:5, SH
 * 4:3, AP 2:1, XN 0; MPU_RLAR: LIMIT 31:5, AttrIndx 3:1, EN 0; MAIR Attr<n>
 * byte n). Each test names the rule it checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rtmem/mpu.h"
#include "test_fault_count.h"
#include "test_xorshift.h"

static rtm_mpu_cfg_t cfg(rtm_mpu_arch_t arch, uint8_t first, int sub)
{
    rtm_mpu_cfg_t c = {arch, 8u, first, (uint8_t)sub, NULL, NULL};
    return c;
}

/* ---- ARMv7-M ----------------------------------------------------------------- */

/* RASR.SIZE = log2(size) - 1; AP=011 full access; XN; TEX=001 C=1 B=1 for
 * write-back SRAM; RBAR = base | VALID | region. */
static void test_v7_rasr_size_ap_xn_texcb(void **state)
{
    (void)state;
    rtm_mpu_range_t r[] = {RTM_MPU_STACK(0x20000400u, 1024u, "stack")};
    rtm_mpu_cfg_t c = cfg(RTM_MPU_ARMV7M, 0u, 1);
    rtm_mpu_plan_t p;
    assert_int_equal(rtm_mpu_plan(&p, &c, r, 1), RTM_OK);
    assert_int_equal(p.count, 1);
    assert_int_equal(p.rbar[0], 0x20000410u);
    /* XN 0x10000000 | AP 011 0x03000000 | TEX 001 C B 0x000B0000 | SIZE 9 0x12 | EN */
    assert_int_equal(p.rasr[0], 0x130B0013u);
    assert_string_equal(p.diag.rule, "ok");
}

/* Code: AP=110 read-only for both, XN=0, TEX=000 C=1 B=0 write-through;
 * 4 MiB = 2^22 -> SIZE 21. */
static void test_v7_code_region_ro_executable(void **state)
{
    (void)state;
    rtm_mpu_range_t r[] = {RTM_MPU_CODE_RX(0x0u, 4u << 20, "code")};
    rtm_mpu_cfg_t c = cfg(RTM_MPU_ARMV7M, 0u, 0);
    rtm_mpu_plan_t p;
    assert_int_equal(rtm_mpu_plan(&p, &c, r, 1), RTM_OK);
    assert_int_equal(p.rbar[0], 0x00000010u);
    assert_int_equal(p.rasr[0], 0x0602002Bu);
}

/* Constant data (RTM_MPU_RODATA): the code memory type (TEX=000 C=1 B=0) and
 * AP=110 like code, but never executable (XN); 64 KiB -> SIZE 15. */
static void test_v7_rodata_region_ro_never_executable(void **state)
{
    (void)state;
    rtm_mpu_range_t r[] = {RTM_MPU_RODATA(0x08100000u, 64u << 10, "tables")};
    rtm_mpu_cfg_t c = cfg(RTM_MPU_ARMV7M, 0u, 0);
    rtm_mpu_plan_t p;
    assert_int_equal(rtm_mpu_plan(&p, &c, r, 1), RTM_OK);
    assert_int_equal(p.rbar[0], 0x08100010u);
    assert_int_equal(p.rasr[0], 0x1602001Fu);
}

/* Peripherals: TEX=000 C=0 B=1 shared device, S=1, AP=011, XN; 4 KiB -> SIZE 11.
 * Privileged only: AP=001 (RW) and AP=101 (RO); 256 B -> SIZE 7. */
static void test_v7_device_and_privileged_ap(void **state)
{
    (void)state;
    rtm_mpu_range_t r[] = {
        RTM_MPU_PERIPH(0x40000000u, 4096u, "uart"),
        RTM_MPU_KERNEL(0x20010000u, 256u, "kernel"),
        {0x20010100u, 256u, RTM_MPU_R | RTM_MPU_PRIV, RTM_MPU_NORMAL, 0u, "kro"},
        {0x20010200u, 32u, RTM_MPU_R, RTM_MPU_UNCACHED, 0u, "dma"},
    };
    rtm_mpu_cfg_t c = cfg(RTM_MPU_ARMV7M, 2u, 1);
    rtm_mpu_plan_t p;
    assert_int_equal(rtm_mpu_plan(&p, &c, r, 4), RTM_OK);
    assert_int_equal(p.count, 4);
    assert_int_equal(p.rbar[0], 0x40000012u); /* region 2: first = 2 */
    assert_int_equal(p.rasr[0], 0x13050017u);
    assert_int_equal(p.rbar[1], 0x20010013u);
    assert_int_equal(p.rasr[1], 0x110B000Fu);
    assert_int_equal(p.rasr[2], 0x150B000Fu);
    /* AP=110, XN, TEX=001 C=0 B=0 (normal non-cacheable), 32 B -> SIZE 4 */
    assert_int_equal(p.rbar[3], 0x20010215u);
    assert_int_equal(p.rasr[3], 0x16080009u);
}

/* Sub-regions: 1.5 KiB in a 2 KiB region = 6 of 8 eighths enabled, SRD bits
 * 15:8 = 0xC0 (sub-regions 6 and 7 disabled), SIZE 10. Without sub-regions
 * the same range takes two regions (1 KiB + 512 B), never one wider region. */
static void test_v7_subregions_tighten_the_fit(void **state)
{
    (void)state;
    rtm_mpu_range_t r[] = {RTM_MPU_STACK(0x20000800u, 1536u, "stack")};
    rtm_mpu_plan_t p;
    rtm_mpu_cfg_t c = cfg(RTM_MPU_ARMV7M, 0u, 1);
    assert_int_equal(rtm_mpu_plan(&p, &c, r, 1), RTM_OK);
    assert_int_equal(p.count, 1);
    assert_int_equal(p.rbar[0], 0x20000810u);
    assert_int_equal(p.rasr[0], 0x130BC015u);
    c = cfg(RTM_MPU_ARMV7M, 0u, 0);
    assert_int_equal(rtm_mpu_plan(&p, &c, r, 1), RTM_OK);
    assert_int_equal(p.count, 2);
    assert_int_equal(p.rbar[0], 0x20000810u);
    assert_int_equal(p.rasr[0], 0x130B0013u);
    assert_int_equal(p.rbar[1], 0x20000C11u);
    assert_int_equal(p.rasr[1], 0x130B0011u);
    assert_int_equal(p.range[1], 0);
}

/* A 10 KiB partition on a 16 KiB boundary: 5 eighths of 2 KiB of a 16 KiB
 * region, SRD = 0xE0, SIZE 13; at first = 4 RBAR's REGION field is 4. Placed
 * on an 8 KiB boundary instead it needs 8 KiB + 2 KiB (two regions). */
static void test_v7_partition_srd_and_region_field(void **state)
{
    (void)state;
    rtm_mpu_range_t r[] = {RTM_MPU_DATA(0x20004000u, 10240u, "part")};
    rtm_mpu_plan_t p;
    rtm_mpu_cfg_t c = cfg(RTM_MPU_ARMV7M, 4u, 1);
    assert_int_equal(rtm_mpu_plan(&p, &c, r, 1), RTM_OK);
    assert_int_equal(p.count, 1);
    assert_int_equal(p.rbar[0], 0x20004014u);
    assert_int_equal(p.rasr[0], 0x130BE01Bu);
    r[0].base = 0x20002000u;
    assert_int_equal(rtm_mpu_plan(&p, &c, r, 1), RTM_OK);
    assert_int_equal(p.count, 2);
    assert_int_equal(p.rbar[0], 0x20002014u);
    assert_int_equal(p.rasr[0], 0x130B0019u); /* 8 KiB, SIZE 12 */
    assert_int_equal(p.rbar[1], 0x20004015u);
    assert_int_equal(p.rasr[1], 0x130B0015u); /* 2 KiB, SIZE 10 */
}

/* Regions of 32..128 bytes have no sub-regions (SRD must be 0): 96 bytes is a
 * 256-byte region with 3 eighths enabled (SRD 0xF8), or 64 + 32 without. */
static void test_v7_no_subregions_below_256(void **state)
{
    (void)state;
    rtm_mpu_range_t r[] = {RTM_MPU_DATA(0x20000000u, 96u, "small")};
    rtm_mpu_plan_t p;
    rtm_mpu_cfg_t c = cfg(RTM_MPU_ARMV7M, 0u, 1);
    assert_int_equal(rtm_mpu_plan(&p, &c, r, 1), RTM_OK);
    assert_int_equal(p.count, 1);
    assert_int_equal(p.rasr[0], 0x130BF80Fu);
    c.subregions = 0u;
    assert_int_equal(rtm_mpu_plan(&p, &c, r, 1), RTM_OK);
    assert_int_equal(p.count, 2);
    assert_int_equal(p.rasr[0] & 0xFF3Fu, 0x000Bu); /* SIZE 5 (64 B), SRD 0 */
    assert_int_equal(p.rasr[1] & 0xFF3Fu, 0x0009u); /* SIZE 4 (32 B), SRD 0 */
    for (unsigned k = 0; k < p.count; k++) {
        assert_int_equal((p.rasr[k] >> 8) & 0xFFu, 0u);
    }
}

/* Overlaps: the higher-numbered region decides; a disabled sub-region does
 * not match, so the lower region decides there. */
static void test_v7_higher_region_wins(void **state)
{
    (void)state;
    rtm_mpu_range_t r[] = {
        RTM_MPU_DATA(0x20000000u, 4096u, "data"),
        RTM_MPU_KERNEL(0x20000400u, 256u, "hole"),
    };
    rtm_mpu_plan_t p;
    rtm_mpu_cfg_t c = cfg(RTM_MPU_ARMV7M, 0u, 1);
    assert_int_equal(rtm_mpu_plan(&p, &c, r, 2), RTM_OK);
    assert_int_equal(p.count, 2);
    assert_int_equal(rtm_mpu_lookup(&p, 0x20000400u), 1);
    assert_int_equal(rtm_mpu_lookup(&p, 0x200004FFu), 1);
    assert_int_equal(rtm_mpu_lookup(&p, 0x20000500u), 0);
    assert_int_equal(rtm_mpu_lookup(&p, 0x20001000u), -1);
    assert_false(rtm_mpu_allows(&p, 0x20000410u, false, false, false));
    assert_true(rtm_mpu_allows(&p, 0x20000410u, true, false, true));
    assert_true(rtm_mpu_allows(&p, 0x20000510u, true, false, false));
    assert_false(rtm_mpu_allows(&p, 0x20000510u, false, true, false)); /* XN */
    assert_false(rtm_mpu_allows(&p, 0x20001000u, false, false, false)); /* background */
    assert_true(rtm_mpu_allows(&p, 0x20001000u, false, false, true));   /* PRIVDEFENA */
    /* the 1.5 KiB stack's disabled eighths 6 and 7 match nothing */
    rtm_mpu_range_t s[] = {RTM_MPU_STACK(0x20000800u, 1536u, "stack")};
    assert_int_equal(rtm_mpu_plan(&p, &c, s, 1), RTM_OK);
    assert_int_equal(rtm_mpu_lookup(&p, 0x20000DFFu), 0);
    assert_int_equal(rtm_mpu_lookup(&p, 0x20000E00u), -1);
}

/* Not expressible: a base off the 32-byte grain; more regions than the part
 * has. The diag names the range and the rule, and the fit of an exact cover. */
static void test_v7_unexpressible_is_named(void **state)
{
    (void)state;
    rtm_mpu_range_t bad[] = {RTM_MPU_STACK(0x20000010u, 1536u, "task_b.stack")};
    rtm_mpu_plan_t p;
    rtm_mpu_cfg_t c = cfg(RTM_MPU_ARMV7M, 0u, 1);
    assert_int_equal(rtm_mpu_plan(&p, &c, bad, 1), RTM_ERR_UNEXPRESSIBLE);
    assert_int_equal(p.count, 0);
    assert_int_equal(p.diag.err, RTM_ERR_UNEXPRESSIBLE);
    assert_string_equal(p.diag.name, "task_b.stack");
    assert_non_null(strstr(p.diag.rule, "multiples of 32"));
    assert_int_equal(p.diag.fit.need, 1536u);
    assert_int_equal(p.diag.fit.align, 2048u);
    assert_int_equal(p.diag.fit.padding, 0u);

    /* eight regions at first = 4 leave four; a 1.5 KiB range without
     * sub-regions takes two, so the third of these does not fit */
    rtm_mpu_range_t many[] = {
        RTM_MPU_STACK(0x20000800u, 1536u, "a"),
        RTM_MPU_STACK(0x20001000u, 1024u, "b"),
        RTM_MPU_STACK(0x20002000u, 1536u, "c"),
    };
    c = cfg(RTM_MPU_ARMV7M, 4u, 0);
    assert_int_equal(rtm_mpu_plan(&p, &c, many, 3), RTM_ERR_UNEXPRESSIBLE);
    assert_int_equal(p.diag.index, 2u);
    assert_string_equal(p.diag.name, "c");
    assert_non_null(strstr(p.diag.rule, "more regions"));
    c.subregions = 1u;
    assert_int_equal(rtm_mpu_plan(&p, &c, many, 3), RTM_OK);
    assert_int_equal(p.count, 3);
}

/* Rights the MPU lacks (write-only, execute-only), empty ranges, unknown
 * types, NULLs: an error code, the fault hook when one is given. */
static void test_bad_input(void **state)
{
    (void)state;
    rtm_fault_t f;
    rtm_fault_init(&f);
    f.hook = hook;
    rtm_mpu_cfg_t c = cfg(RTM_MPU_ARMV7M, 0u, 1);
    c.fault = &f;
    rtm_mpu_plan_t p;
    rtm_mpu_range_t r[] = {{0x20000000u, 64u, RTM_MPU_W, RTM_MPU_NORMAL, 0u, "wo"}};
    g_faults = 0;
    assert_int_equal(rtm_mpu_plan(&p, &c, r, 1), RTM_ERR_UNEXPRESSIBLE);
    assert_int_equal(g_faults, 1);
    assert_int_equal(g_reason, RTM_ERR_UNEXPRESSIBLE);
    assert_non_null(strstr(p.diag.rule, "write-only"));
    r[0].access = RTM_MPU_X;
    assert_int_equal(rtm_mpu_plan(&p, &c, r, 1), RTM_ERR_UNEXPRESSIBLE);
    r[0].access = RTM_MPU_RW;
    r[0].size = 0u;
    assert_int_equal(rtm_mpu_plan(&p, &c, r, 1), RTM_ERR_ARG);
    r[0].size = 64u;
    r[0].mem = 9u;
    assert_int_equal(rtm_mpu_plan(&p, &c, r, 1), RTM_ERR_ARG);
    r[0].mem = RTM_MPU_NORMAL;
    r[0].base = 0xFFFFFFE0u;
    assert_int_equal(rtm_mpu_plan(&p, &c, r, 1), RTM_ERR_UNEXPRESSIBLE);
    assert_int_equal(g_faults, 5);
    assert_int_equal(rtm_mpu_plan(NULL, &c, r, 1), RTM_ERR_NULL);
    assert_int_equal(rtm_mpu_plan(&p, NULL, r, 1), RTM_ERR_NULL);
    assert_int_equal(rtm_mpu_plan(&p, &c, NULL, 1), RTM_ERR_NULL);
    assert_int_equal(rtm_mpu_plan(&p, &c, NULL, 0), RTM_OK);
    c.regions = 12u;
    assert_int_equal(rtm_mpu_plan(&p, &c, r, 1), RTM_ERR_ARG);
    c.regions = 8u;
    c.first = 9u;
    assert_int_equal(rtm_mpu_plan(&p, &c, r, 1), RTM_ERR_ARG);
    c.first = 0u;
    c.arch = (rtm_mpu_arch_t)6;
    assert_int_equal(rtm_mpu_plan(&p, &c, r, 1), RTM_ERR_ARG);
    /* no rights: a no-access region on ARMv7-M (AP=000), an error on ARMv8-M */
    c.arch = RTM_MPU_ARMV7M;
    r[0].access = 0u;
    r[0].base = 0x20000000u;
    assert_int_equal(rtm_mpu_plan(&p, &c, r, 1), RTM_OK);
    assert_int_equal((p.rasr[0] >> 24) & 7u, 0u);
    c.arch = RTM_MPU_ARMV8M;
    assert_int_equal(rtm_mpu_plan(&p, &c, r, 1), RTM_ERR_UNEXPRESSIBLE);
    rtm_mpu_fit_t fit;
    assert_int_equal(rtm_mpu_fit(RTM_MPU_ARMV7M, 1, 0u, &fit), RTM_ERR_ARG);
    assert_int_equal(rtm_mpu_fit(RTM_MPU_ARMV7M, 1, 64u, NULL), RTM_ERR_NULL);
    assert_int_equal(rtm_mpu_place(RTM_MPU_ARMV8M, 0, 0x10u, 0u), 0u);
    assert_int_equal(rtm_mpu_lookup(NULL, 0u), -1);
}

/* ---- ARMv8-M ----------------------------------------------------------------- */

/* RBAR = BASE | SH<<3 | AP<<1 | XN; RLAR = LIMIT (last byte, bits 31:5) |
 * AttrIndx<<1 | EN. AP 01 = RW any privilege; AttrIndx 1 = write-back SRAM. */
static void test_v8_rbar_rlar_stack(void **state)
{
    (void)state;
    rtm_mpu_range_t r[] = {RTM_MPU_STACK(0x38000600u, 1536u, "stack")};
    rtm_mpu_plan_t p;
    rtm_mpu_cfg_t c = cfg(RTM_MPU_ARMV8M, 0u, 0);
    assert_int_equal(rtm_mpu_plan(&p, &c, r, 1), RTM_OK);
    assert_int_equal(p.count, 1);
    assert_int_equal(p.rbar[0], 0x38000603u);
    assert_int_equal(p.rasr[0], 0x38000BE3u);
    /* MAIR0: Attr0 0x04 Device-nGnRE, Attr1 0xFF WB RW-alloc, Attr2 0xAA WT
     * read-alloc, Attr3 0x44 non-cacheable; MAIR1 unused */
    assert_int_equal(p.mair0, 0x44AAFF04u);
    assert_int_equal(p.mair1, 0u);
}

/* AP 11 = read-only any privilege, XN 0, AttrIndx 2; device with SH = 11
 * (inner shareable), AttrIndx 0; AP 00 privileged RW, AP 10 privileged RO;
 * AttrIndx 3 non-cacheable. */
static void test_v8_ap_sh_attrindx(void **state)
{
    (void)state;
    rtm_mpu_range_t r[] = {
        RTM_MPU_CODE_RX(0x10000000u, 4u << 20, "code"),
        RTM_MPU_PERIPH(0x40000000u, 4096u, "uart"),
        RTM_MPU_KERNEL(0x38010000u, 96u, "kernel"),
        {0x38010060u, 32u, RTM_MPU_R | RTM_MPU_PRIV, RTM_MPU_NORMAL, 0u, "kro"},
        {0x38010080u, 64u, RTM_MPU_RW, RTM_MPU_UNCACHED, 0u, "dma"},
    };
    rtm_mpu_plan_t p;
    rtm_mpu_cfg_t c = cfg(RTM_MPU_ARMV8M, 0u, 0);
    assert_int_equal(rtm_mpu_plan(&p, &c, r, 5), RTM_OK);
    assert_int_equal(p.rbar[0], 0x10000006u);
    assert_int_equal(p.rasr[0], 0x103FFFE5u);
    assert_int_equal(p.rbar[1], 0x4000001Bu);
    assert_int_equal(p.rasr[1], 0x40000FE1u);
    assert_int_equal(p.rbar[2], 0x38010001u);
    assert_int_equal(p.rasr[2], 0x38010043u);
    assert_int_equal(p.rbar[3], 0x38010065u);
    assert_int_equal(p.rasr[3], 0x38010063u);
    assert_int_equal(p.rbar[4], 0x38010083u);
    assert_int_equal(p.rasr[4], 0x380100A7u);
    assert_false(rtm_mpu_allows(&p, 0x38010000u, false, false, false));
    assert_true(rtm_mpu_allows(&p, 0x38010000u, true, false, true));
    assert_false(rtm_mpu_allows(&p, 0x38010060u, true, false, true));
    assert_true(rtm_mpu_allows(&p, 0x10000100u, false, true, false));
    assert_false(rtm_mpu_allows(&p, 0x10000100u, true, false, false));
    assert_false(rtm_mpu_allows(&p, 0x38010080u, false, true, false));
}

/* No overlaps on ARMv8-M, also against the plan loaded below; 32-byte grain;
 * one region per range. */
static void test_v8_overlap_grain_count(void **state)
{
    (void)state;
    rtm_mpu_range_t shared[] = {RTM_MPU_SHARED(0x38000000u, 1024u, "queue")};
    rtm_mpu_range_t task[] = {
        RTM_MPU_STACK(0x38000800u, 512u, "stack"),
        RTM_MPU_DATA(0x380003E0u, 64u, "part"),
    };
    rtm_mpu_plan_t under, p;
    rtm_mpu_cfg_t c = cfg(RTM_MPU_ARMV8M, 0u, 0);
    assert_int_equal(rtm_mpu_plan(&under, &c, shared, 1), RTM_OK);
    c.first = 4u;
    c.under = &under;
    assert_int_equal(rtm_mpu_plan(&p, &c, task, 2), RTM_ERR_UNEXPRESSIBLE);
    assert_int_equal(p.diag.index, 1u);
    assert_non_null(strstr(p.diag.rule, "overlap"));
    task[1].base = 0x38000400u;
    assert_int_equal(rtm_mpu_plan(&p, &c, task, 2), RTM_OK);
    task[1].base = 0x380008E0u; /* overlaps the stack in the same plan */
    assert_int_equal(rtm_mpu_plan(&p, &c, task, 2), RTM_ERR_UNEXPRESSIBLE);
    task[1].base = 0x38001010u;
    assert_int_equal(rtm_mpu_plan(&p, &c, task, 2), RTM_ERR_UNEXPRESSIBLE);
    assert_non_null(strstr(p.diag.rule, "32-byte"));
    assert_int_equal(p.diag.fit.need, 64u);
    rtm_mpu_range_t five[5];
    for (unsigned i = 0; i < 5u; i++) {
        rtm_mpu_range_t one = RTM_MPU_DATA(0x38002000u + 64u * i, 64u, "x");
        five[i] = one;
    }
    assert_int_equal(rtm_mpu_plan(&p, &c, five, 5), RTM_ERR_UNEXPRESSIBLE);
    assert_int_equal(p.diag.index, 4u);
    c.regions = 16u;
    assert_int_equal(rtm_mpu_plan(&p, &c, five, 5), RTM_OK);
}

/* The switch words: one STM through the alias registers. ARMv7-M: RBAR/RASR
 * pairs from 0xE000ED9C, an unused region VALID | number with RASR 0;
 * ARMv8-M: RNR first (the aliases address RNR[7:2]:n), unused RLAR EN = 0. */
static void test_switch_words(void **state)
{
    (void)state;
    rtm_mpu_range_t r[] = {
        RTM_MPU_STACK(0x20000800u, 1536u, "stack"),
        RTM_MPU_DATA(0x20004000u, 10240u, "part"),
    };
    rtm_mpu_plan_t p;
    uint32_t w[RTM_MPU_SWITCH_WORDS];
    rtm_mpu_cfg_t c = cfg(RTM_MPU_ARMV7M, 4u, 1);
    assert_int_equal(rtm_mpu_plan(&p, &c, r, 2), RTM_OK);
    assert_int_equal(rtm_mpu_switch_words(&p, 4u, w), 8u);
    const uint32_t v7[8] = {0x20000814u, 0x130BC015u, 0x20004015u, 0x130BE01Bu,
                            0x16u, 0u, 0x17u, 0u};
    assert_memory_equal(w, v7, sizeof v7);
    rtm_mpu_range_t r8[] = {
        RTM_MPU_STACK(0x38000600u, 1536u, "stack"),
    };
    c = cfg(RTM_MPU_ARMV8M, 4u, 0);
    assert_int_equal(rtm_mpu_plan(&p, &c, r8, 1), RTM_OK);
    assert_int_equal(rtm_mpu_switch_words(&p, 4u, w), 9u);
    const uint32_t v8[9] = {4u, 0x38000603u, 0x38000BE3u, 0u, 0u, 0u, 0u, 0u, 0u};
    assert_memory_equal(w, v8, sizeof v8);
    /* three slots (regions 4..6, the runtime's guard keeps 7): 7 words */
    assert_int_equal(rtm_mpu_switch_words(&p, 3u, w), 7u);
    assert_memory_equal(w, v8, 7u * sizeof w[0]);
    assert_int_equal(rtm_mpu_switch_words(&p, 0u, w), 0u);
    assert_int_equal(rtm_mpu_switch_words(&p, 5u, w), 0u);
    c.first = 2u;
    assert_int_equal(rtm_mpu_plan(&p, &c, r8, 1), RTM_OK);
    assert_int_equal(rtm_mpu_switch_words(&p, 4u, w), 0u); /* not a multiple of 4 */
}

/* ---- Costs and placement ---------------------------------------------------- */

/* The sample layout of the issue: ARMv7-M without sub-regions rounds to the
 * next power of two, with sub-regions to an eighth of it, ARMv8-M to 32. */
static void test_fit_sample_layout(void **state)
{
    (void)state;
    static const struct {
        size_t size, v7, v7sub, v8;
    } t[] = {
        {1024u, 1024u, 1024u, 1024u},   {1536u, 2048u, 1536u, 1536u},
        {3072u, 4096u, 3072u, 3072u},   {5120u, 8192u, 5120u, 5120u},
        {6144u, 8192u, 6144u, 6144u},   {10240u, 16384u, 10240u, 10240u},
        {100u, 128u, 128u, 128u},       {1000u, 1024u, 1024u, 1024u},
        {4100u, 8192u, 5120u, 4128u},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        rtm_mpu_fit_t f;
        assert_int_equal(rtm_mpu_fit(RTM_MPU_ARMV7M, 0, t[i].size, &f), RTM_OK);
        assert_int_equal(f.need, t[i].v7);
        assert_int_equal(f.padding, t[i].v7 - t[i].size);
        assert_int_equal(RTM_MPU_V7_SIZE(t[i].size), t[i].v7);
        assert_int_equal(rtm_mpu_fit(RTM_MPU_ARMV7M, 1, t[i].size, &f), RTM_OK);
        assert_int_equal(f.need, t[i].v7sub);
        assert_int_equal(RTM_MPU_V7_SUBSIZE(t[i].size), t[i].v7sub);
        assert_int_equal(f.align, t[i].v7);
        assert_int_equal(rtm_mpu_fit(RTM_MPU_ARMV8M, 0, t[i].size, &f), RTM_OK);
        assert_int_equal(f.need, t[i].v8);
        assert_int_equal(RTM_MPU_V8_SIZE(t[i].size), t[i].v8);
        assert_int_equal(f.align, 32u);
    }
}

/* rtm_mpu_place() gives an address where the range is one exact region, and
 * the planner agrees; the storage macros align as they say. */
static void test_place_and_storage_macros(void **state)
{
    (void)state;
    static const size_t sizes[] = {1024u, 1536u, 3072u, 5120u, 6144u, 10240u, 96u, 4100u};
    for (int arch = 7; arch <= 8; arch++) {
        for (int sub = 0; sub <= 1; sub++) {
            uintptr_t at = 0x20000020u;
            for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
                rtm_mpu_fit_t f;
                assert_int_equal(rtm_mpu_fit((rtm_mpu_arch_t)arch, sub, sizes[i], &f), RTM_OK);
                uintptr_t b = rtm_mpu_place((rtm_mpu_arch_t)arch, sub, at, sizes[i]);
                assert_true(b >= at);
                rtm_mpu_range_t r[] = {RTM_MPU_DATA(b, f.need, "x")};
                rtm_mpu_cfg_t c = cfg((rtm_mpu_arch_t)arch, 0u, sub);
                rtm_mpu_plan_t p;
                assert_int_equal(rtm_mpu_plan(&p, &c, r, 1), RTM_OK);
                assert_int_equal(p.count, 1);
                at = b + f.need;
            }
        }
    }
    RTM_MPU_STORAGE_V7SUB(static, st, 1536);
    RTM_MPU_STORAGE_V7(static, st2, 1536);
    RTM_MPU_STORAGE_V8(static, st3, 1500);
    assert_int_equal(sizeof st, 1536u);
    assert_int_equal((uintptr_t)st % 2048u, 0u);
    assert_int_equal(sizeof st2, 2048u);
    assert_int_equal((uintptr_t)st2 % 2048u, 0u);
    assert_int_equal(sizeof st3, 1504u);
    assert_int_equal((uintptr_t)st3 % 32u, 0u);
}

/* Exactness: for random ranges (32-byte grain) the plan's regions, read back
 * as the MPU reads them, match every byte of the range and none outside it;
 * a failure is only ever "too many regions". */
static void test_random_ranges_covered_exactly(void **state)
{
    (void)state;
    for (int iter = 0; iter < 3000; iter++) {
        uint32_t base = 0x20000000u + (xorshift32() % 4096u) * 32u;
        size_t size = (size_t)(1u + xorshift32() % 512u) * 32u;
        rtm_mpu_range_t r[] = {RTM_MPU_DATA(base, size, "r")};
        for (int mode = 0; mode < 3; mode++) {
            rtm_mpu_arch_t arch = mode == 2 ? RTM_MPU_ARMV8M : RTM_MPU_ARMV7M;
            rtm_mpu_cfg_t c = cfg(arch, 0u, mode == 1);
            c.regions = 16u;
            rtm_mpu_plan_t p;
            rtm_err_t e = rtm_mpu_plan(&p, &c, r, 1);
            if (e != RTM_OK) {
                assert_int_equal(e, RTM_ERR_UNEXPRESSIBLE);
                assert_int_equal(arch, RTM_MPU_ARMV7M);
                assert_non_null(strstr(p.diag.rule, "more regions"));
                continue;
            }
            for (uint32_t a = base - 1024u; a < base + size + 1024u; a += 32u) {
                bool in = a >= base && a < base + size;
                assert_int_equal(rtm_mpu_lookup(&p, a) >= 0, in);
                assert_int_equal(rtm_mpu_lookup(&p, a + 31u) >= 0, in);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v7_rasr_size_ap_xn_texcb),
        cmocka_unit_test(test_v7_code_region_ro_executable),
        cmocka_unit_test(test_v7_rodata_region_ro_never_executable),
        cmocka_unit_test(test_v7_device_and_privileged_ap),
        cmocka_unit_test(test_v7_subregions_tighten_the_fit),
        cmocka_unit_test(test_v7_partition_srd_and_region_field),
        cmocka_unit_test(test_v7_no_subregions_below_256),
        cmocka_unit_test(test_v7_higher_region_wins),
        cmocka_unit_test(test_v7_unexpressible_is_named),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_v8_rbar_rlar_stack),
        cmocka_unit_test(test_v8_ap_sh_attrindx),
        cmocka_unit_test(test_v8_overlap_grain_count),
        cmocka_unit_test(test_switch_words),
        cmocka_unit_test(test_fit_sample_layout),
        cmocka_unit_test(test_place_and_storage_macros),
        cmocka_unit_test(test_random_ranges_covered_exactly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
