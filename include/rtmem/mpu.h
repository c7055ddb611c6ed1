/*
 * rtm_mpu: exact MPU region plans for Cortex-M, ARMv7-M (PMSAv7) and
 * ARMv8-M (PMSAv8).
 *
 * A task's memory map (its stack, partitions, shared regions, peripherals,
 * code and read-only data, each with its rights) goes in; the register values
 * that protect exactly those bytes come out: RBAR/RASR pairs on ARMv7-M,
 * RBAR/RLAR pairs and MAIR0/1 on ARMv8-M. What the architecture cannot express
 * is an error (RTM_ERR_UNEXPRESSIBLE) that names the range and the rule it
 * breaks; the planner never widens a region to make a range fit.
 *
 * The rules (ARMv7-M ARM B3.5, ARMv8-M ARM B10 / the Cortex-M4 and M33
 * generic user guides):
 * - ARMv7-M: a region is 2^n bytes (32 <= 2^n), its base aligned to 2^n.
 *   Regions of 256 bytes or more have eight sub-regions of 2^n / 8 bytes, each
 *   one can be disabled (RASR.SRD); regions of 32..128 bytes have none. Where
 *   regions overlap the highest-numbered one decides, and a disabled
 *   sub-region does not match, so a lower region (or the background) decides
 *   there. A range that is not one region is covered exactly with several
 *   (largest piece first); each costs a region.
 * - ARMv8-M: a region is [base, limit] at 32-byte granularity, any size; its
 *   memory type is an index into MAIR0/1; regions must not overlap (an access
 *   that hits two regions faults), so overlapping ranges are an error.
 *
 * Rights: RTM_MPU_R, W, X and PRIV (privileged only: unprivileged code gets
 * no access). The MPU has no write-only or execute-only access: W or X
 * without R is an error. No rights at all is a no-access region on ARMv7-M
 * (useful to punch a hole in a lower region), an error on ARMv8-M (leave the
 * range unmapped instead).
 *
 * Memory types, the same on both architectures: NORMAL (SRAM: write-back,
 * read and write allocate: ARMv7-M TEX=001 C=1 B=1, MAIR 0xFF), CODE (flash:
 * write-through, no write allocate: TEX=000 C=1 B=0, MAIR 0xAA), DEVICE
 * (peripherals: TEX=000 C=0 B=1 shared device, MAIR 0x04 Device-nGnRE),
 * UNCACHED (normal non-cacheable: TEX=001 C=0 B=0, MAIR 0x44). On ARMv8-M the
 * attribute index is the type itself, so MAIR0 is the same for every plan
 * (RTM_MPU_MAIR0) and is written once, not at each switch.
 *
 * Not thread-safe; no hidden state: a plan is a struct the caller owns. Pure
 * computation, freestanding: it writes no register (the runtime does, from
 * rtm_mpu_switch_words()).
 */
#ifndef RTMEM_MPU_H
#define RTMEM_MPU_H

#include "rtmem/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Access rights of a range (rtm_mpu_range_t.access). */
#define RTM_MPU_R 0x01u    /* read */
#define RTM_MPU_W 0x02u    /* write (needs R) */
#define RTM_MPU_X 0x04u    /* execute (needs R); without it the region is XN */
#define RTM_MPU_PRIV 0x08u /* privileged only: unprivileged code gets no access */
#define RTM_MPU_RW (RTM_MPU_R | RTM_MPU_W)
#define RTM_MPU_RX (RTM_MPU_R | RTM_MPU_X)

/* Memory type of a range (rtm_mpu_range_t.mem); also the ARMv8-M AttrIndx. */
typedef enum rtm_mpu_mem {
    RTM_MPU_DEVICE = 0,   /* peripherals */
    RTM_MPU_NORMAL = 1,   /* SRAM: write-back, read/write allocate */
    RTM_MPU_CODE = 2,     /* flash: write-through */
    RTM_MPU_UNCACHED = 3  /* normal, non-cacheable (DMA buffers) */
} rtm_mpu_mem_t;

/* MAIR0 for the four types above (Attr0..Attr3); MAIR1 is 0. */
#define RTM_MPU_MAIR0 0x44AAFF04u

typedef enum rtm_mpu_arch {
    RTM_MPU_ARMV7M = 7, /* PMSAv7: Cortex-M3/M4/M7 */
    RTM_MPU_ARMV8M = 8  /* PMSAv8: Cortex-M23/M33/M55 */
} rtm_mpu_arch_t;

#define RTM_MPU_MAX_REGIONS 16u

/* One range of a task's memory map. `name` (may be NULL) is kept for reports. */
typedef struct rtm_mpu_range {
    uintptr_t base;
    size_t size;
    uint8_t access;    /* RTM_MPU_R | W | X | PRIV */
    uint8_t mem;       /* rtm_mpu_mem_t */
    uint8_t shareable; /* 1: shareable (ARMv7-M S, ARMv8-M SH = inner) */
    const char *name;
} rtm_mpu_range_t;

/* Initialisers for the usual kinds of range. */
#define RTM_MPU_STACK(b, s, n) {(uintptr_t)(b), (s), RTM_MPU_RW, RTM_MPU_NORMAL, 0u, (n)}
#define RTM_MPU_DATA(b, s, n) {(uintptr_t)(b), (s), RTM_MPU_RW, RTM_MPU_NORMAL, 0u, (n)}
#define RTM_MPU_SHARED(b, s, n) {(uintptr_t)(b), (s), RTM_MPU_RW, RTM_MPU_NORMAL, 1u, (n)}
#define RTM_MPU_CODE_RX(b, s, n) {(uintptr_t)(b), (s), RTM_MPU_RX, RTM_MPU_CODE, 0u, (n)}
#define RTM_MPU_RODATA(b, s, n) {(uintptr_t)(b), (s), RTM_MPU_R, RTM_MPU_CODE, 0u, (n)}
#define RTM_MPU_PERIPH(b, s, n) {(uintptr_t)(b), (s), RTM_MPU_RW, RTM_MPU_DEVICE, 1u, (n)}
#define RTM_MPU_KERNEL(b, s, n) \
    {(uintptr_t)(b), (s), RTM_MPU_RW | RTM_MPU_PRIV, RTM_MPU_NORMAL, 0u, (n)}

/* What a range costs when placed so that it is covered exactly: `need`
 * bytes of storage (size rounded up), at an address aligned to `align`;
 * `padding` = need - size; `regions` regions. */
typedef struct rtm_mpu_fit {
    size_t size;
    size_t need;
    size_t align;
    size_t padding;
    unsigned regions;
} rtm_mpu_fit_t;

/* Why a plan failed: the range (index into the map and its name), the rule
 * it breaks as a sentence, and what an exact cover of its size would need. */
typedef struct rtm_mpu_diag {
    rtm_err_t err;
    size_t index;       /* the range (or the region count, for RTM_ERR_ARG on the map) */
    const char *name;   /* the range's name or "?" */
    uintptr_t base;
    size_t size;
    const char *rule;   /* "ok" when the plan succeeded */
    rtm_mpu_fit_t fit;  /* rtm_mpu_fit() for this size with sub-regions */
} rtm_mpu_diag_t;

/* How to plan. `regions`: what the part has (8 or 16). `first`: the number of
 * the first region this plan fills (a task's own regions go above the ones
 * shared by every task, which are loaded once). `subregions` (ARMv7-M): 1 to
 * use sub-regions for a tighter cover. `under` (may be NULL): the plan already
 * loaded in the regions below `first`; ARMv8-M checks the new ranges against
 * it for overlaps. `fault` (may be NULL): a fault state whose hook is called
 * with the error when planning fails. */
typedef struct rtm_mpu_cfg {
    rtm_mpu_arch_t arch;
    uint8_t regions;
    uint8_t first;
    uint8_t subregions;
    const struct rtm_mpu_plan *under;
    rtm_fault_t *fault;
} rtm_mpu_cfg_t;

/* The register values. Region k of the plan is hardware region first + k.
 * ARMv7-M: rbar = base | VALID (bit 4) | region number (bits 3:0), so one
 * write selects and loads it; rasr = XN 28, AP 26:24, TEX 21:19, S 18, C 17,
 * B 16, SRD 15:8, SIZE 5:1 (2^(SIZE+1) bytes), ENABLE 0.
 * ARMv8-M: rbar = BASE 31:5, SH 4:3, AP 2:1, XN 0; rasr = RLAR: LIMIT 31:5,
 * AttrIndx 3:1, EN 0. `range[k]` is the map index region k encodes; `ranges`
 * points at the caller's map (kept for reports: it must outlive the plan). */
typedef struct rtm_mpu_plan {
    uint8_t arch;
    uint8_t first;
    uint8_t count;
    uint8_t regions;
    uint32_t rbar[RTM_MPU_MAX_REGIONS];
    uint32_t rasr[RTM_MPU_MAX_REGIONS]; /* RASR (ARMv7-M) or RLAR (ARMv8-M) */
    uint8_t range[RTM_MPU_MAX_REGIONS];
    uint32_t mair0, mair1;
    const rtm_mpu_range_t *ranges;
    size_t nranges;
    rtm_mpu_diag_t diag;
} rtm_mpu_plan_t;

/* Plan the map `ranges[0..n)` into regions cfg->first.. in map order (on
 * ARMv7-M a later range wins where ranges overlap, as the higher-numbered
 * region does). Returns RTM_OK, or: RTM_ERR_NULL (plan, cfg or ranges NULL
 * with n > 0), RTM_ERR_ARG (unknown arch, regions not 8 or 16, first beyond
 * it, a size of 0, an unknown memory type), RTM_ERR_UNEXPRESSIBLE (a range the
 * rules cannot cover exactly, too many regions, an overlap on ARMv8-M); the
 * plan's diag says which range and which rule, and holds the fit of an exact
 * cover. Nothing is written but *plan. O(n * regions) on ARMv8-M (overlaps),
 * O(regions * 27) on ARMv7-M. */
rtm_err_t rtm_mpu_plan(rtm_mpu_plan_t *plan, const rtm_mpu_cfg_t *cfg,
                       const rtm_mpu_range_t *ranges, size_t n);

/* The bytes an exactly covered placement of `size` takes, its alignment and
 * padding, with one region: ARMv7-M without sub-regions: the next power of
 * two >= 32, aligned to itself; with sub-regions: the smallest 2^n >= size
 * (n >= 8, else as without), size rounded up to 2^n / 8, aligned to 2^n (a
 * lower alignment of 2^n / 8 also works where the range does not cross a
 * 2^n boundary: rtm_mpu_place()); ARMv8-M: size rounded up to 32, aligned to
 * 32. RTM_ERR_NULL for a NULL fit, RTM_ERR_ARG for size 0 or an unknown arch,
 * RTM_ERR_OVERFLOW beyond 2 GiB. O(1). */
rtm_err_t rtm_mpu_fit(rtm_mpu_arch_t arch, int subregions, size_t size,
                      rtm_mpu_fit_t *fit);

/* The lowest address >= `at` where a range of fit(size).need bytes is one
 * exactly covered region (ARMv7-M with sub-regions: aligned to 2^n / 8 and
 * inside one 2^n block). 0 on bad input or wrap. O(1). */
uintptr_t rtm_mpu_place(rtm_mpu_arch_t arch, int subregions, uintptr_t at,
                        size_t size);

/* Which region of `plan` decides an access at `addr`, read back from the
 * register values the way the MPU does (highest-numbered enabled region
 * whose enabled sub-region holds addr): the index k into the plan's regions,
 * or -1 when none does, for a NULL plan, or an address beyond 32 bits.
 * Reports use plan->range[k] to name the range. O(count). */
int rtm_mpu_lookup(const rtm_mpu_plan_t *plan, uintptr_t addr);

/* Whether the plan lets code of the given privilege do the access (write,
 * exec) at addr, decoded from the register values (AP, XN); privileged code
 * falls back to the default map where no region matches (PRIVDEFENA), on
 * ARMv8-M an address in two regions faults. O(count). */
bool rtm_mpu_allows(const rtm_mpu_plan_t *plan, uintptr_t addr, bool write,
                    bool exec, bool privileged);

/* The words a context switch stores with one STM to load the plan's regions
 * into `slots` (1..4) regions from `first` (a multiple of 4) through the
 * RBAR/RASR alias registers: ARMv7-M: 2 * slots words for RBAR (0xE000ED9C),
 * RASR, RBAR_A1, RASR_A1 ...; a slot the plan does not use is written
 * disabled (VALID | number, RASR 0). ARMv8-M: 1 + 2 * slots words from RNR
 * (0xE000ED98): RNR = first, then RBAR/RLAR pairs (the aliases address
 * RNR[7:2]:n), unused ones with EN = 0. Returns the number of words, or 0
 * when the plan has more regions than slots, `first` is not a multiple of 4
 * or the slots pass the part's regions (also for NULL plan or words, or slots 0
 * or above 4). O(1). */
#define RTM_MPU_SWITCH_WORDS 9u
size_t rtm_mpu_switch_words(const rtm_mpu_plan_t *plan, unsigned slots,
                            uint32_t words[RTM_MPU_SWITCH_WORDS]);

/* ---- Static placement: storage that one region covers exactly --------------
 * RTM_MPU_POW2(s): the smallest power of two >= s (s >= 1, a constant
 * expression up to 2^31). */
#define RTM_MPU_SMEAR1_(x) ((x) | ((x) >> 1))
#define RTM_MPU_SMEAR2_(x) (RTM_MPU_SMEAR1_(x) | (RTM_MPU_SMEAR1_(x) >> 2))
#define RTM_MPU_SMEAR4_(x) (RTM_MPU_SMEAR2_(x) | (RTM_MPU_SMEAR2_(x) >> 4))
#define RTM_MPU_SMEAR8_(x) (RTM_MPU_SMEAR4_(x) | (RTM_MPU_SMEAR4_(x) >> 8))
#define RTM_MPU_SMEAR16_(x) (RTM_MPU_SMEAR8_(x) | (RTM_MPU_SMEAR8_(x) >> 16))
#define RTM_MPU_POW2(s) (RTM_MPU_SMEAR16_((size_t)(s) - 1u) + 1u)
/* ARMv7-M, one region without sub-regions: size and alignment both
 * RTM_MPU_V7_SIZE(s); padding = RTM_MPU_V7_SIZE(s) - s (up to s - 1). */
#define RTM_MPU_V7_SIZE(s) (RTM_MPU_POW2(s) < 32u ? 32u : RTM_MPU_POW2(s))
/* ARMv7-M with sub-regions: size rounded up to an eighth of the region
 * (padding < RTM_MPU_V7_SIZE(s) / 8), aligned to the region, whose unused
 * tail is free for other objects. */
#define RTM_MPU_V7_SUB(s) (RTM_MPU_V7_SIZE(s) >= 256u ? RTM_MPU_V7_SIZE(s) / 8u : RTM_MPU_V7_SIZE(s))
#define RTM_MPU_V7_SUBSIZE(s) RTM_ALIGN_UP((size_t)(s), RTM_MPU_V7_SUB(s))
/* ARMv8-M: 32-byte granularity (padding < 32). */
#define RTM_MPU_V8_SIZE(s) RTM_ALIGN_UP((size_t)(s), 32u)

/* Storage of `size` bytes that the given rule covers with one region, e.g.
 * RTM_MPU_STORAGE_V7SUB(static, stack_a, 1536): 1,536 bytes aligned to 2,048. */
#define RTM_MPU_STORAGE_V7(storage, name, size) \
    storage _Alignas(RTM_MPU_V7_SIZE(size)) uint8_t name[RTM_MPU_V7_SIZE(size)]
#define RTM_MPU_STORAGE_V7SUB(storage, name, size) \
    storage _Alignas(RTM_MPU_V7_SIZE(size)) uint8_t name[RTM_MPU_V7_SUBSIZE(size)]
#define RTM_MPU_STORAGE_V8(storage, name, size) \
    storage _Alignas(32) uint8_t name[RTM_MPU_V8_SIZE(size)]

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_MPU_H */
