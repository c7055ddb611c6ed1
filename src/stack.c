/*
 * rtm_stack: painting, high-water mark, switch-time checks and overflow
 * reports (see rtmem/stack.h for the layout of guard, canary and usable part).
 */
#include "rtmem/stack.h"

#include <string.h>

#include "rtm_internal.h"
#include "rtmem/alloc.h"

_Static_assert(RTMEM_CFG_STACK_CANARY_BYTES >= 16 && RTMEM_CFG_STACK_CANARY_BYTES % 8 == 0 &&
                   RTMEM_CFG_STACK_CANARY_BYTES <= 256,
               "RTMEM_CFG_STACK_CANARY_BYTES: a multiple of 8 from 16 to 256");

#define PAINT_WORD 0xA5A5A5A5u
#define KNOWN_METHODS (RTM_STACK_M_SP | RTM_STACK_M_CANARY | RTM_STACK_M_GUARD | RTM_STACK_M_PSPLIM)

/* The one global of the module: the system's overflow hook. */
static rtm_stack_overflow_fn overflow_fn;
static void *overflow_user;

void rtm_stack_set_overflow_hook(rtm_stack_overflow_fn fn, void *user)
{
    overflow_fn = fn;
    overflow_user = user;
}

static bool grows_up(const rtm_stack_t *s)
{
    return (s->flags & RTM_STACK_UP) != 0u;
}

static size_t guard_of(uint16_t methods, size_t guard)
{
    if ((methods & RTM_STACK_M_GUARD) == 0u) {
        return 0u;
    }
    return guard != 0u ? guard : RTM_STACK_GUARD_MPU;
}

size_t rtm_stack_min_size(uint16_t methods, size_t guard)
{
    size_t canary = (methods & RTM_STACK_M_CANARY) != 0u ? RTM_STACK_CANARY_BYTES : 0u;
    return guard_of(methods, guard) + canary + RTM_STACK_MIN_USABLE;
}

/* The canary's words, [lo, lo + canary). */
static uint32_t *canary_at(const rtm_stack_t *s)
{
    uintptr_t lo = grows_up(s) ? s->limit : s->limit - s->canary;
    return (uint32_t *)lo;
}

static void write_canary(rtm_stack_t *s)
{
    uint32_t *w = canary_at(s);
    for (size_t i = 0; i < s->canary / 4u; i++) {
        w[i] = RTM_STACK_CANARY_WORD;
    }
}

/* Validate arguments and fill the descriptor; writes nothing to memory. */
static rtm_err_t setup(rtm_stack_t *s, void *mem, size_t size, const rtm_stack_cfg_t *cfg)
{
    static const rtm_stack_cfg_t none = {NULL, NULL, 0u, 0u, 0u, NULL, NULL};
    if (cfg == NULL) {
        cfg = &none;
    }
    memset(s, 0, sizeof *s);
    rtm_fault_init(&s->fault);
    s->fault.hook = cfg->fault;
    s->fault.user = cfg->fault_user;
    if (mem == NULL) {
        return rtm_fault_raise(&s->fault, RTM_ERR_NULL, s, NULL);
    }
    size_t guard = guard_of(cfg->methods, cfg->guard);
    uintptr_t b = (uintptr_t)mem;
    bool bad = (b % RTM_STACK_ALIGN) != 0u || (size % RTM_STACK_ALIGN) != 0u ||
               (cfg->methods & ~(unsigned)KNOWN_METHODS) != 0u ||
               (cfg->flags & ~(unsigned)RTM_STACK_UP) != 0u ||
               (guard != 0u && (!RTM_IS_POW2(guard) || guard > UINT16_MAX)) ||
               size < rtm_stack_min_size(cfg->methods, cfg->guard) ||
               rtm_add_overflows(b, size);
    /* the guard's base must be aligned to its size (an MPU region's rule) */
    if (!bad && guard != 0u) {
        uintptr_t gbase = (cfg->flags & RTM_STACK_UP) != 0u ? b + size - guard : b;
        bad = (gbase & (guard - 1u)) != 0u;
    }
    if (bad) {
        return rtm_fault_raise(&s->fault, RTM_ERR_ARG, s, mem);
    }
    s->base = mem;
    s->size = size;
    s->name = cfg->name;
    s->handle = cfg->handle;
    s->methods = cfg->methods;
    s->flags = cfg->flags;
    s->guard = (uint16_t)guard;
    s->canary = (cfg->methods & RTM_STACK_M_CANARY) != 0u ? (uint16_t)RTM_STACK_CANARY_BYTES : 0u;
    size_t reserved = guard + s->canary;
    s->limit = grows_up(s) ? b + size - reserved : b + reserved;
    return RTM_OK;
}

rtm_err_t rtm_stack_init(rtm_stack_t *s, void *mem, size_t size, const rtm_stack_cfg_t *cfg)
{
    if (s == NULL) {
        return RTM_ERR_NULL;
    }
    rtm_err_t e = setup(s, mem, size, cfg);
    if (e != RTM_OK) {
        return e;
    }
    /* paint the usable part, canary over its bytes; the guard is the
     * runtime's (it may already be inaccessible) */
    uint8_t *lo = grows_up(s) ? s->base : (uint8_t *)(s->limit);
    memset(lo, (int)RTM_STACK_PAINT, rtm_stack_usable(s));
    write_canary(s);
    return RTM_OK;
}

rtm_err_t rtm_stack_init_main(rtm_stack_t *s, void *base, size_t size, const void *sp,
                              const rtm_stack_cfg_t *cfg)
{
    if (s == NULL) {
        return RTM_ERR_NULL;
    }
    rtm_err_t e = setup(s, base, size, cfg);
    if (e == RTM_OK && (s->flags & RTM_STACK_UP) != 0u) {
        e = rtm_fault_raise(&s->fault, RTM_ERR_ARG, s, base);
    }
    if (e != RTM_OK) {
        return e;
    }
    uintptr_t p = (uintptr_t)sp;
    if (p < s->limit + RTM_STACK_MAIN_SLACK || p > (uintptr_t)base + size) {
        return rtm_fault_raise(&s->fault, RTM_ERR_ARG, s, sp);
    }
    s->flags |= RTM_STACK_MAIN;
    /* A plain loop below this frame: a library memset might use stack below
     * the slack on some targets; this loop needs none. */
    volatile uint8_t *q = (volatile uint8_t *)s->limit;
    uintptr_t end = RTM_ALIGN_DOWN(p - RTM_STACK_MAIN_SLACK, (uintptr_t)4u);
    while ((uintptr_t)q < end) {
        *q++ = (uint8_t)RTM_STACK_PAINT;
    }
    write_canary(s);
    return RTM_OK;
}

rtm_err_t rtm_stack_create(rtm_stack_t *s, const rtm_alloc_t *a, size_t size,
                           const rtm_stack_cfg_t *cfg)
{
    if (s == NULL) {
        return RTM_ERR_NULL;
    }
    void *mem = a != NULL ? rtm_alloc_alloc(a, size) : NULL;
    if (mem == NULL) {
        /* the descriptor is set up (hook installed) for the report */
        memset(s, 0, sizeof *s);
        rtm_fault_init(&s->fault);
        if (cfg != NULL) {
            s->fault.hook = cfg->fault;
            s->fault.user = cfg->fault_user;
        }
        return a == NULL || a->ops == NULL ? rtm_fault_raise(&s->fault, RTM_ERR_NULL, s, NULL)
                                           : RTM_ERR_NO_MEMORY;
    }
    rtm_err_t e = rtm_stack_init(s, mem, size, cfg);
    if (e != RTM_OK) {
        (void)rtm_alloc_free(a, mem);
        return e;
    }
    s->from = a;
    s->flags |= RTM_STACK_DYNAMIC;
    return RTM_OK;
}

rtm_err_t rtm_stack_destroy(rtm_stack_t *s)
{
    if (s == NULL) {
        return RTM_ERR_NULL;
    }
    rtm_err_t e = RTM_OK;
    if ((s->flags & RTM_STACK_DYNAMIC) != 0u && s->from != NULL) {
        e = rtm_alloc_free(s->from, s->base);
    }
    if (e == RTM_OK) {
        /* all of it but the fault hook: a check or report through a stale
         * descriptor must not reach the memory it had */
        rtm_fault_t f = s->fault;
        memset(s, 0, sizeof *s);
        s->fault = f;
    }
    return e;
}

uintptr_t rtm_stack_start(const rtm_stack_t *s)
{
    if (s == NULL || s->base == NULL) {
        return 0u;
    }
    if (grows_up(s)) {
        return (uintptr_t)s->base;
    }
    return RTM_ALIGN_DOWN((uintptr_t)s->base + s->size, (uintptr_t)RTM_STACK_ALIGN);
}

uintptr_t rtm_stack_limit(const rtm_stack_t *s)
{
    return s == NULL ? 0u : s->limit;
}

size_t rtm_stack_usable(const rtm_stack_t *s)
{
    return s == NULL || s->base == NULL ? 0u : s->size - s->guard - s->canary;
}

rtm_err_t rtm_stack_guard(const rtm_stack_t *s, uintptr_t *lo, uintptr_t *hi)
{
    if (s == NULL || lo == NULL || hi == NULL) {
        return RTM_ERR_NULL;
    }
    if (s->guard == 0u) {
        return RTM_ERR_STATE;
    }
    *lo = grows_up(s) ? (uintptr_t)s->base + s->size - s->guard : (uintptr_t)s->base;
    *hi = *lo + s->guard;
    return RTM_OK;
}

rtm_err_t rtm_stack_report(rtm_stack_t *s, rtm_stack_method_t method, const void *addr)
{
    if (s == NULL) {
        return RTM_ERR_NULL;
    }
    s->caught = (uint16_t)(s->caught | (unsigned)method);
    rtm_stack_overflow_fn fn = overflow_fn;
    if (fn != NULL) {
        fn(overflow_user, s, method, addr);
    }
    return RTM_ERR_STACK_OVERFLOW;
}

/* Two words per turn, one branch: the canary's length is a compile-time
 * multiple of 8 bytes. */
static bool canary_intact(const rtm_stack_t *s)
{
    const uint32_t *w = canary_at(s);
    uint32_t diff = 0u;
    for (size_t i = 0; i < RTM_STACK_CANARY_BYTES / 4u; i += 2u) {
        diff |= (w[i] ^ RTM_STACK_CANARY_WORD) | (w[i + 1u] ^ RTM_STACK_CANARY_WORD);
    }
    return diff == 0u;
}

rtm_err_t rtm_stack_check(rtm_stack_t *s, uintptr_t sp)
{
    if (s == NULL) {
        return RTM_ERR_NULL;
    }
    if (s->base == NULL) {
        return rtm_fault_raise(&s->fault, RTM_ERR_STATE, s, NULL);
    }
    if ((s->methods & RTM_STACK_M_SP) != 0u && (grows_up(s) ? sp > s->limit : sp < s->limit)) {
        return rtm_stack_report(s, RTM_STACK_M_SP, (const void *)sp);
    }
    if (s->canary != 0u && !canary_intact(s)) {
        return rtm_stack_report(s, RTM_STACK_M_CANARY, canary_at(s));
    }
    return RTM_OK;
}

/* Words that hold the paint from `w` upwards, or backwards from just below
 * `w`, up to `words`: two words per turn, then one. Plain loads: a stack
 * scanned while its task runs elsewhere may change under the scan, and the
 * figure is then as old as the scan, which is all a high-water mark is. */
static size_t painted_words(const uint32_t *w, size_t words, bool backwards)
{
    size_t n = 0u;
    if (!backwards) {
        while (n + 2u <= words && ((w[n] ^ PAINT_WORD) | (w[n + 1u] ^ PAINT_WORD)) == 0u) {
            n += 2u;
        }
        while (n < words && w[n] == PAINT_WORD) {
            n++;
        }
        return n;
    }
    const uint32_t *e = w - 1;
    while (n + 2u <= words && ((e[-(ptrdiff_t)n] ^ PAINT_WORD) | (e[-(ptrdiff_t)n - 1] ^ PAINT_WORD)) == 0u) {
        n += 2u;
    }
    while (n < words && e[-(ptrdiff_t)n] == PAINT_WORD) {
        n++;
    }
    return n;
}

/* Bytes from the limit that still hold the paint: whole words first (the
 * usable part starts and ends 8-aligned), then the bytes of the first word
 * that differs, in the order the stack grows into them. */
size_t rtm_stack_free_min(const rtm_stack_t *s)
{
    if (s == NULL || s->base == NULL) {
        return 0u;
    }
    size_t usable = rtm_stack_usable(s);
    const uint8_t *b = (const uint8_t *)s->limit;
    bool up = grows_up(s);
    size_t bytes = 4u * painted_words((const uint32_t *)s->limit, usable / 4u, up);
    if (!up) {
        while (bytes < usable && b[bytes] == RTM_STACK_PAINT) {
            bytes++;
        }
        return bytes;
    }
    while (bytes < usable && b[-(ptrdiff_t)bytes - 1] == RTM_STACK_PAINT) {
        bytes++;
    }
    return bytes;
}

size_t rtm_stack_free_min_words(const rtm_stack_t *s)
{
    return rtm_stack_free_min(s) / RTM_STACK_WORD;
}

size_t rtm_stack_used_max(const rtm_stack_t *s)
{
    return s == NULL || s->base == NULL ? 0u : rtm_stack_usable(s) - rtm_stack_free_min(s);
}

rtm_err_t rtm_stack_advise(rtm_stack_t *s, unsigned margin_pct, rtm_stack_advice_t *out)
{
    if (s == NULL || out == NULL) {
        return RTM_ERR_NULL;
    }
    if (s->base == NULL) {
        return rtm_fault_raise(&s->fault, RTM_ERR_STATE, s, NULL);
    }
    if (margin_pct > 1000u) {
        return rtm_fault_raise(&s->fault, RTM_ERR_ARG, s, NULL);
    }
    size_t used = rtm_stack_used_max(s);
    /* used <= size, so used * 11 cannot wrap for any real stack; check anyway */
    size_t scaled = rtm_mul_overflows(used, 100u + margin_pct) ? SIZE_MAX / 2u
                                                                : used * (100u + margin_pct);
    size_t want = (scaled + 99u) / 100u + s->guard + s->canary;
    out->used_bytes = used;
    out->advised_bytes = RTM_ALIGN_UP(want, (size_t)RTM_STACK_ALIGN);
    out->advised_words = out->advised_bytes / RTM_STACK_WORD;
    out->enough = s->size >= out->advised_bytes;
    return RTM_OK;
}

void rtm_stack_set_fault_hook(rtm_stack_t *s, rtm_fault_fn fn, void *user)
{
    if (s != NULL) {
        s->fault.hook = fn;
        s->fault.user = user;
    }
}
