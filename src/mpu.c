/* rtm_mpu: exact region plans for ARMv7-M (PMSAv7) and ARMv8-M (PMSAv8). */
#include "rtmem/mpu.h"

#include "rtm_internal.h"

/* Bit positions from the ARMv7-M ARM (B3.5.8, MPU_RBAR / MPU_RASR). */
#define V7_RBAR_VALID 0x10u
#define V7_XN 28u
#define V7_AP 24u
#define V7_S 18u
#define V7_SRD 8u
#define V7_TEX1 (1u << 19) /* TEX = 001 */
#define V7_C (1u << 17)
#define V7_B (1u << 16)
/* ARMv8-M (B10 / Cortex-M33 MPU_RBAR, MPU_RLAR). */
#define V8_SH 3u
#define V8_AP 1u
#define V8_ATTR 1u

#define LOW5 31u
#define TOP (UINT64_C(1) << 32) /* the end of the 32-bit address space */

/* The sentence a plan's diag holds for each broken rule. */
static const char RULE_OK[] = "ok";
static const char RULE_SIZE0[] = "a range must not be empty";
static const char RULE_MEM[] = "unknown memory type";
static const char RULE_ADDR[] = "the range goes beyond the 32-bit address space";
static const char RULE_WO[] = "the MPU has no write-only or execute-only access (W or X needs R)";
static const char RULE_V8NONE[] = "ARMv8-M has no no-access permission: leave the range unmapped";
static const char RULE_V7GRAIN[] =
    "ARMv7-M regions are 2^n >= 32 bytes aligned to 2^n: base and size must be multiples of 32";
static const char RULE_V7MANY[] = "the exact ARMv7-M cover needs more regions than the part has left";
static const char RULE_V8GRAIN[] =
    "ARMv8-M regions start and end on 32-byte boundaries: base and size must be multiples of 32";
static const char RULE_V8MANY[] = "ARMv8-M needs one region per range: more ranges than regions left";
static const char RULE_V8OVER[] = "ARMv8-M regions must not overlap (an access in both faults)";

static size_t pow2_at_least(size_t s)
{
    size_t p = 32u;
    while (p < s) {
        p <<= 1;
    }
    return p;
}

rtm_err_t rtm_mpu_fit(rtm_mpu_arch_t arch, int subregions, size_t size, rtm_mpu_fit_t *fit)
{
    if (fit == NULL) {
        return RTM_ERR_NULL;
    }
    if (size == 0u || (arch != RTM_MPU_ARMV7M && arch != RTM_MPU_ARMV8M)) {
        return RTM_ERR_ARG;
    }
    if (size > ((size_t)1 << 31)) {
        return RTM_ERR_OVERFLOW;
    }
    fit->size = size;
    fit->regions = 1u;
    if (arch == RTM_MPU_ARMV8M) {
        fit->need = RTM_ALIGN_UP(size, (size_t)32);
        fit->align = 32u;
    } else {
        size_t p = pow2_at_least(size);
        fit->align = p;
        fit->need = (subregions && p >= 256u) ? RTM_ALIGN_UP(size, p / 8u) : p;
    }
    fit->padding = fit->need - size;
    return RTM_OK;
}

uintptr_t rtm_mpu_place(rtm_mpu_arch_t arch, int subregions, uintptr_t at, size_t size)
{
    rtm_mpu_fit_t f;
    if (rtm_mpu_fit(arch, subregions, size, &f) != RTM_OK) {
        return 0u;
    }
    size_t grain = f.align;
    if (arch == RTM_MPU_ARMV7M && f.need != f.align) {
        grain = f.align / 8u; /* sub-regions: inside one 2^n block */
    }
    size_t b = rtm_align_up_checked((size_t)at, grain);
    if (b == 0u && at != 0u) {
        return 0u;
    }
    if (b / f.align != (b + f.need - 1u) / f.align) {
        b = rtm_align_up_checked(b, f.align);
    }
    if ((b == 0u && at != 0u) || rtm_add_overflows(b, f.need)) {
        return 0u;
    }
    return (uintptr_t)b;
}

/* ---- Planning --------------------------------------------------------------- */

static rtm_err_t fail(rtm_mpu_plan_t *p, const rtm_mpu_cfg_t *cfg, rtm_err_t err,
                      size_t i, const char *rule)
{
    rtm_mpu_diag_t *d = &p->diag;
    d->err = err;
    d->index = i;
    d->rule = rule;
    d->name = "?";
    d->base = 0u;
    d->size = 0u;
    d->fit.size = d->fit.need = d->fit.align = d->fit.padding = 0u;
    d->fit.regions = 0u;
    if (p->ranges != NULL && i < p->nranges) {
        const rtm_mpu_range_t *r = &p->ranges[i];
        d->name = r->name != NULL ? r->name : "?";
        d->base = r->base;
        d->size = r->size;
        (void)rtm_mpu_fit((rtm_mpu_arch_t)p->arch, 1, r->size, &d->fit);
    }
    p->count = 0u; /* a failed plan loads nothing */
    if (cfg != NULL && cfg->fault != NULL) {
        (void)rtm_fault_raise(cfg->fault, err, p, p->ranges != NULL && i < p->nranges ? &p->ranges[i] : NULL);
    }
    return err;
}

/* The range-level rules both architectures share; NULL when they hold. */
static const char *common_rule(const rtm_mpu_range_t *r, rtm_mpu_arch_t arch)
{
    if (r->size == 0u) {
        return RULE_SIZE0;
    }
    if (r->mem > (uint8_t)RTM_MPU_UNCACHED) {
        return RULE_MEM;
    }
    if ((uint64_t)r->base + (uint64_t)r->size > TOP) {
        return RULE_ADDR;
    }
    if ((r->access & (RTM_MPU_W | RTM_MPU_X)) != 0u && (r->access & RTM_MPU_R) == 0u) {
        return RULE_WO;
    }
    if (arch == RTM_MPU_ARMV8M && (r->access & RTM_MPU_RW) == 0u) {
        return RULE_V8NONE;
    }
    if ((r->base & LOW5) != 0u || (r->size & LOW5) != 0u) {
        return arch == RTM_MPU_ARMV7M ? RULE_V7GRAIN : RULE_V8GRAIN;
    }
    return NULL;
}

/* ARMv7-M AP (B3.5.9): 000 no access, 001 priv RW, 011 RW, 101 priv RO, 110 RO. */
static uint32_t v7_ap(uint8_t access)
{
    bool w = (access & RTM_MPU_W) != 0u;
    if ((access & RTM_MPU_R) == 0u) {
        return 0u;
    }
    if ((access & RTM_MPU_PRIV) != 0u) {
        return w ? 1u : 5u;
    }
    return w ? 3u : 6u;
}

static uint32_t v7_attr(const rtm_mpu_range_t *r)
{
    static const uint32_t texcb[4] = {
        V7_B,                 /* DEVICE: shared device */
        V7_TEX1 | V7_C | V7_B, /* NORMAL: write-back, read and write allocate */
        V7_C,                 /* CODE: write-through, no write allocate */
        V7_TEX1,              /* UNCACHED: normal non-cacheable */
    };
    uint32_t xn = (r->access & RTM_MPU_X) != 0u ? 0u : 1u;
    return (xn << V7_XN) | (v7_ap(r->access) << V7_AP) | texcb[r->mem] |
           ((uint32_t)(r->shareable != 0u) << V7_S);
}

/* The largest piece of [a, last] that one region covers exactly, starting at
 * a: a whole aligned 2^n block, or (with sub-regions, 2^n >= 256) a run of
 * enabled eighths of one block. a and last + 1 are multiples of 32, so the
 * 32-byte block at a always qualifies. */
typedef struct piece {
    uint32_t block, srd, covered;
    unsigned n;
} piece_t;

static void v7_piece(uint32_t a, uint32_t last, bool sub, piece_t *best)
{
    *best = (piece_t){0u, 0u, 0u, 5u};
    for (unsigned n = 5u; n <= 31u; n++) {
        uint32_t span = (uint32_t)1u << n, block = a & ~(span - 1u), blast = block + (span - 1u);
        uint32_t covered, srd = 0u;
        if (n < 8u || !sub) {
            if (a != block) {
                break; /* not aligned to 2^n: not to any larger block either */
            }
            if (blast > last) {
                continue;
            }
            covered = span;
        } else {
            uint32_t s = span >> 3, plast = last < blast ? last : blast;
            if ((a & (s - 1u)) != 0u) {
                break;
            }
            if ((plast & (s - 1u)) != s - 1u) {
                continue;
            }
            covered = plast - a + 1u;
            uint32_t k0 = (a - block) / s, k1 = (plast - block) / s;
            srd = ~(((2u << k1) - 1u) & ~((1u << k0) - 1u)) & 0xFFu;
        }
        if (covered > best->covered) {
            best->block = block;
            best->srd = srd;
            best->covered = covered;
            best->n = n;
        }
    }
    RTM_ASSERT(best->covered >= 32u);
}

static rtm_err_t plan_v7(rtm_mpu_plan_t *p, const rtm_mpu_cfg_t *cfg)
{
    unsigned room = (unsigned)cfg->regions - cfg->first;
    for (size_t i = 0; i < p->nranges; i++) {
        const rtm_mpu_range_t *r = &p->ranges[i];
        uint32_t a = (uint32_t)r->base, last = (uint32_t)(r->base + (r->size - 1u));
        uint32_t attr = v7_attr(r);
        for (;;) {
            piece_t pc;
            v7_piece(a, last, cfg->subregions != 0u, &pc);
            if (p->count >= room) {
                return fail(p, cfg, RTM_ERR_UNEXPRESSIBLE, i, RULE_V7MANY);
            }
            unsigned k = p->count++;
            p->rbar[k] = pc.block | V7_RBAR_VALID | (uint32_t)(cfg->first + k);
            p->rasr[k] = attr | (pc.srd << V7_SRD) | ((pc.n - 1u) << 1) | 1u;
            p->range[k] = (uint8_t)i;
            if (pc.covered - 1u >= last - a) {
                break;
            }
            a += pc.covered;
        }
    }
    return RTM_OK;
}

/* Whether [b, l] meets an enabled region of an ARMv8-M plan. */
static bool v8_meets(const rtm_mpu_plan_t *q, uint32_t b, uint32_t l)
{
    for (unsigned k = 0; q != NULL && k < q->count; k++) {
        uint32_t qb = q->rbar[k] & ~LOW5, ql = q->rasr[k] | LOW5;
        if ((q->rasr[k] & 1u) != 0u && b <= ql && qb <= l) {
            return true;
        }
    }
    return false;
}

static rtm_err_t plan_v8(rtm_mpu_plan_t *p, const rtm_mpu_cfg_t *cfg)
{
    unsigned room = (unsigned)cfg->regions - cfg->first;
    for (size_t i = 0; i < p->nranges; i++) {
        const rtm_mpu_range_t *r = &p->ranges[i];
        uint32_t b = (uint32_t)r->base, l = (uint32_t)(r->base + (r->size - 1u));
        if (v8_meets(p, b, l) || v8_meets(cfg->under, b, l)) {
            return fail(p, cfg, RTM_ERR_UNEXPRESSIBLE, i, RULE_V8OVER);
        }
        if (p->count >= room) {
            return fail(p, cfg, RTM_ERR_UNEXPRESSIBLE, i, RULE_V8MANY);
        }
        /* AP[2:1] = RO:NP (B10: 00 priv RW, 01 RW, 10 priv RO, 11 RO) */
        uint32_t ro = (r->access & RTM_MPU_W) != 0u ? 0u : 2u;
        uint32_t np = (r->access & RTM_MPU_PRIV) != 0u ? 0u : 1u;
        uint32_t xn = (r->access & RTM_MPU_X) != 0u ? 0u : 1u;
        uint32_t sh = r->shareable != 0u ? 3u : 0u;
        unsigned k = p->count++;
        p->rbar[k] = b | (sh << V8_SH) | ((ro | np) << V8_AP) | xn;
        p->rasr[k] = (l & ~LOW5) | ((uint32_t)r->mem << V8_ATTR) | 1u;
        p->range[k] = (uint8_t)i;
    }
    p->mair0 = RTM_MPU_MAIR0;
    return RTM_OK;
}

rtm_err_t rtm_mpu_plan(rtm_mpu_plan_t *plan, const rtm_mpu_cfg_t *cfg,
                       const rtm_mpu_range_t *ranges, size_t n)
{
    if (plan == NULL) {
        return RTM_ERR_NULL;
    }
    *plan = (rtm_mpu_plan_t){0};
    plan->ranges = ranges;
    plan->nranges = n;
    plan->diag.err = RTM_OK;
    plan->diag.rule = RULE_OK;
    plan->diag.name = "?";
    if (cfg == NULL || (ranges == NULL && n > 0u)) {
        return fail(plan, cfg, RTM_ERR_NULL, n, "NULL plan configuration or map");
    }
    plan->arch = (uint8_t)cfg->arch;
    plan->first = cfg->first;
    plan->regions = cfg->regions;
    if ((cfg->arch != RTM_MPU_ARMV7M && cfg->arch != RTM_MPU_ARMV8M) ||
        (cfg->regions != 8u && cfg->regions != 16u) || cfg->first > cfg->regions ||
        (cfg->under != NULL && cfg->under->arch != (uint8_t)cfg->arch)) {
        return fail(plan, cfg, RTM_ERR_ARG, n, "architecture, region count or first region out of range");
    }
    for (size_t i = 0; i < n; i++) {
        const char *rule = common_rule(&ranges[i], cfg->arch);
        if (rule != NULL) {
            rtm_err_t e = (rule == RULE_SIZE0 || rule == RULE_MEM) ? RTM_ERR_ARG : RTM_ERR_UNEXPRESSIBLE;
            return fail(plan, cfg, e, i, rule);
        }
    }
    return cfg->arch == RTM_MPU_ARMV7M ? plan_v7(plan, cfg) : plan_v8(plan, cfg);
}

/* ---- Reading a plan back ------------------------------------------------------ */

/* Whether region k of an ARMv7-M plan matches addr (size, base, sub-region). */
static bool v7_matches(const rtm_mpu_plan_t *p, unsigned k, uint64_t addr)
{
    uint32_t rasr = p->rasr[k];
    unsigned n = ((rasr >> 1) & 31u) + 1u;
    uint64_t span = UINT64_C(1) << n, base = (uint64_t)(p->rbar[k] & ~LOW5) & ~(span - 1u);
    if ((rasr & 1u) == 0u || addr < base || addr - base >= span) {
        return false;
    }
    return n < 8u || ((rasr >> (V7_SRD + (unsigned)((addr - base) >> (n - 3u)))) & 1u) == 0u;
}

static bool v8_matches(const rtm_mpu_plan_t *p, unsigned k, uint64_t addr)
{
    return (p->rasr[k] & 1u) != 0u && addr >= (p->rbar[k] & ~LOW5) && addr <= (p->rasr[k] | LOW5);
}

/* An address no 32-bit MPU region can hold (only on 64-bit hosts). */
static bool beyond32(uintptr_t addr)
{
#if UINTPTR_MAX > 0xFFFFFFFFu
    return addr > 0xFFFFFFFFu;
#else
    (void)addr;
    return false;
#endif
}

int rtm_mpu_lookup(const rtm_mpu_plan_t *plan, uintptr_t addr)
{
    if (plan == NULL || beyond32(addr)) {
        return -1;
    }
    for (unsigned k = plan->count; k-- > 0u;) {
        bool hit = plan->arch == (uint8_t)RTM_MPU_ARMV7M ? v7_matches(plan, k, addr)
                                                        : v8_matches(plan, k, addr);
        if (hit) {
            return (int)k;
        }
    }
    return -1;
}

static bool v7_allows(uint32_t rasr, bool write, bool exec, bool priv)
{
    /* readable / writable per AP value, privileged and unprivileged (B3.5.9) */
    static const unsigned pr = 0xEEu, pw = 0x0Eu, ur = 0xCCu, uw = 0x08u;
    unsigned ap = (rasr >> V7_AP) & 7u;
    bool rd = (((priv ? pr : ur) >> ap) & 1u) != 0u;
    bool wr = (((priv ? pw : uw) >> ap) & 1u) != 0u;
    if (exec) {
        return rd && ((rasr >> V7_XN) & 1u) == 0u;
    }
    return write ? wr : rd;
}

static bool v8_allows(uint32_t rbar, bool write, bool exec, bool priv)
{
    unsigned ap = (rbar >> V8_AP) & 3u;
    if (!priv && (ap & 1u) == 0u) {
        return false;
    }
    if (exec) {
        return (rbar & 1u) == 0u;
    }
    return !write || (ap & 2u) == 0u;
}

bool rtm_mpu_allows(const rtm_mpu_plan_t *plan, uintptr_t addr, bool write, bool exec,
                    bool privileged)
{
    if (plan == NULL || beyond32(addr)) {
        return false;
    }
    if (plan->arch == (uint8_t)RTM_MPU_ARMV8M) {
        int hits = 0;
        unsigned last = 0u;
        for (unsigned k = 0; k < plan->count; k++) {
            if (v8_matches(plan, k, addr)) {
                hits++;
                last = k;
            }
        }
        if (hits == 0) {
            return privileged; /* PRIVDEFENA: the default map for privileged code */
        }
        return hits == 1 && v8_allows(plan->rbar[last], write, exec, privileged);
    }
    int k = rtm_mpu_lookup(plan, addr);
    if (k < 0) {
        return privileged;
    }
    return v7_allows(plan->rasr[k], write, exec, privileged);
}

size_t rtm_mpu_switch_words(const rtm_mpu_plan_t *plan, unsigned slots,
                            uint32_t words[RTM_MPU_SWITCH_WORDS])
{
    if (plan == NULL || words == NULL || slots == 0u || slots > 4u || plan->count > slots ||
        (plan->first & 3u) != 0u || plan->first + slots > plan->regions) {
        return 0u;
    }
    bool v7 = plan->arch == (uint8_t)RTM_MPU_ARMV7M;
    uint32_t *w = words;
    if (!v7) {
        *w++ = plan->first; /* RNR: the aliases address RNR[7:2]:n */
    }
    for (unsigned i = 0; i < slots; i++) {
        bool used = i < plan->count;
        uint32_t off = v7 ? (V7_RBAR_VALID | (uint32_t)(plan->first + i)) : 0u;
        *w++ = used ? plan->rbar[i] : off;
        *w++ = used ? plan->rasr[i] : 0u;
    }
    return (size_t)(w - words);
}
