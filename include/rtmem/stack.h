/*
 * rtm_stack: task stacks with painting, a high-water mark and four ways of
 * catching an overflow.
 *
 * A stack is a caller-owned descriptor over a block of memory (static storage
 * from RTM_STACK_STORAGE*, or taken from any rtmem allocator through
 * rtmem/alloc.h). At the limit end (the low end for a stack growing down,
 * the default) a stack may reserve, from the outside in:
 *
 *     down:  base [ guard ][ canary ][ usable ... ] top   (SP starts at top)
 *     up:    base [ usable ... ][ canary ][ guard ] end   (SP starts at base)
 *
 * guard  (method 3) bytes a guard region covers: an MPU region on target, an
 *        inaccessible page on the host; the task runtime programs it.
 * canary (method 2) RTM_STACK_CANARY_BYTES of a fixed pattern, checked at
 *        the context switch.
 * The limit is the boundary between the reserved part and the usable part;
 * method 1 compares the saved stack pointer with it, method 4 loads it into
 * the ARMv8-M stack limit register (PSPLIM).
 *
 * Painting: every usable byte is 0xA5 at creation (FreeRTOS's fill byte); the
 * high-water mark counts the bytes from the limit that still hold it.
 *
 * Not thread-safe: a stack is checked by the one context that switches tasks.
 * The one global in this module is the overflow hook (one per system).
 */
#ifndef RTMEM_STACK_H
#define RTMEM_STACK_H

#include "rtmem/common.h"

#ifdef __cplusplus
extern "C" {
#endif

struct rtm_alloc;

/* The fill byte of a painted stack, and the word it makes. */
#define RTM_STACK_PAINT 0xA5u
/* Stack alignment of the ABI (AAPCS: 8 at a public interface; the x86-64
 * System V ABI wants 16, so the host runtime rounds its top to 16). */
#define RTM_STACK_ALIGN 8u
/* Bytes of the canary (method 2): at least 16, a multiple of 8. */
#define RTM_STACK_CANARY_BYTES RTMEM_CFG_STACK_CANARY_BYTES
/* The canary's word (unlike the paint, so an untouched canary and paint
 * cannot be confused). */
#define RTM_STACK_CANARY_WORD 0xC3A55A3Cu
/* A guard region's default size: the smallest MPU region (32 bytes on ARMv7-M
 * and ARMv8-M). The host runtime passes its page size instead. */
#define RTM_STACK_GUARD_MPU 32u
/* The high-water mark "in words" counts words of this size (FreeRTOS's
 * StackType_t on 32-bit ports). */
#define RTM_STACK_WORD ((size_t)sizeof(uint32_t))

/* Detection methods (a bit set; a stack selects any of them). */
typedef enum rtm_stack_method {
    RTM_STACK_M_NONE = 0,
    RTM_STACK_M_SP = 1,     /* 1: saved stack pointer beyond the limit at a switch */
    RTM_STACK_M_CANARY = 2, /* 2: canary at the limit damaged, seen at a switch */
    RTM_STACK_M_GUARD = 4,  /* 3: guard region faulted (MPU / PROT_NONE page) */
    RTM_STACK_M_PSPLIM = 8  /* 4: ARMv8-M PSPLIM, UsageFault STKOF */
} rtm_stack_method_t;

/* Flags. */
#define RTM_STACK_UP 0x0001u     /* grows upwards (default: downwards) */
#define RTM_STACK_DYNAMIC 0x0100u/* set by rtm_stack_create: memory from an allocator */
#define RTM_STACK_MAIN 0x0200u   /* set by rtm_stack_init_main: the main stack */

/* ---- MPU-coverable sizes (compile-time constants) ------------------------ */

/* The next power of two >= n, from 32 (ARMv7-M: a region is a power of two
 * from 32 bytes, its base aligned to its size); up to 16 MiB, 0 beyond (which
 * fails to compile as an array size). */
#define RTM_STACK_V7_SIZE(n) ( \
    (n) <= 32u ? 32u : \
    (n) <= 64u ? 64u : \
    (n) <= 128u ? 128u : \
    (n) <= 256u ? 256u : \
    (n) <= 512u ? 512u : \
    (n) <= 1024u ? 1024u : \
    (n) <= 2048u ? 2048u : \
    (n) <= 4096u ? 4096u : \
    (n) <= 8192u ? 8192u : \
    (n) <= 16384u ? 16384u : \
    (n) <= 32768u ? 32768u : \
    (n) <= 65536u ? 65536u : \
    (n) <= 131072u ? 131072u : \
    (n) <= 262144u ? 262144u : \
    (n) <= 524288u ? 524288u : \
    (n) <= 1048576u ? 1048576u : \
    (n) <= 2097152u ? 2097152u : \
    (n) <= 4194304u ? 4194304u : \
    (n) <= 8388608u ? 8388608u : \
    (n) <= 16777216u ? 16777216u : 0u)
/* ARMv8-M: base and limit at 32-byte granularity. */
#define RTM_STACK_V8_SIZE(n) (((n) + 31u) & ~(size_t)31u)

/* ---- Static declaration ------------------------------------------------- */

/* A stack of `size` bytes (rounded up to 8) aligned for the ABI:
 *   RTM_STACK_STORAGE(static, idle_stack, 1024); */
#define RTM_STACK_STORAGE(storage, name, size) \
    storage _Alignas(RTM_STACK_ALIGN) uint8_t name[((size) + 7u) & ~(size_t)7u]
/* A stack one ARMv7-M MPU region covers exactly: size rounded up to a power
 * of two (at least 32), base aligned to that size. */
#define RTM_STACK_STORAGE_V7(storage, name, size) \
    storage _Alignas(RTM_STACK_V7_SIZE(size)) uint8_t name[RTM_STACK_V7_SIZE(size)]
/* A stack one ARMv8-M MPU region covers exactly: 32-byte base and size. */
#define RTM_STACK_STORAGE_V8(storage, name, size) \
    storage _Alignas(32) uint8_t name[RTM_STACK_V8_SIZE(size)]

/* ---- The descriptor ------------------------------------------------------ */

typedef struct rtm_stack {
    uint8_t *base;        /* lowest address of the memory */
    size_t size;          /* bytes of memory, reserved parts included */
    uintptr_t limit;      /* boundary of the usable part (see above) */
    const char *name;     /* the task's name, for reports */
    void *handle;         /* the task's handle, for reports */
    const struct rtm_alloc *from; /* allocator of a dynamic stack, else NULL */
    uint16_t methods;     /* rtm_stack_method_t bits */
    uint16_t flags;       /* RTM_STACK_* */
    uint16_t guard;       /* bytes of the guard region */
    uint16_t canary;      /* bytes of the canary (0 or RTM_STACK_CANARY_BYTES) */
    uint16_t caught;      /* methods that have reported an overflow */
    rtm_fault_t fault;    /* bad input to the stack functions */
} rtm_stack_t;

/* What to create. name and handle are only reported; guard = 0 with
 * RTM_STACK_M_GUARD means RTM_STACK_GUARD_MPU. cfg NULL = all zero. */
typedef struct rtm_stack_cfg {
    const char *name;
    void *handle;
    uint16_t methods; /* rtm_stack_method_t bits */
    uint16_t flags;   /* RTM_STACK_UP or 0 */
    size_t guard;     /* guard bytes (power of two; the guard's base is aligned to it) */
    rtm_fault_fn fault; /* fault hook for bad input, from init on (NULL = default) */
    void *fault_user;
} rtm_stack_cfg_t;

/* The overflow hook: `s` the stack (s->name, s->handle identify the task),
 * `method` the one that caught it, `addr` the stack pointer or faulting
 * address when known (else NULL). Called from the context switch or a fault
 * handler: it must not block. */
typedef void (*rtm_stack_overflow_fn)(void *user, const rtm_stack_t *s,
                                      rtm_stack_method_t method, const void *addr);

/* Install the one overflow hook (NULL = none: overflows are only counted in
 * the stack's `caught` bits and returned). O(1). */
void rtm_stack_set_overflow_hook(rtm_stack_overflow_fn fn, void *user);

/* The smallest memory a stack may have with these methods: the reserved
 * parts plus RTM_STACK_MIN_USABLE. O(1). Never fails: unknown method bits
 * are not counted (rtm_stack_init refuses them), guard 0 means the default. */
#define RTM_STACK_MIN_USABLE 64u
size_t rtm_stack_min_size(uint16_t methods, size_t guard);

/* Set up a stack over `mem` (aligned to RTM_STACK_ALIGN, `size` bytes) and
 * paint it. O(size). Bad input (fault hook of `s` called, nothing written to
 * `mem`): NULL s/mem -> RTM_ERR_NULL; misaligned mem or size not a multiple
 * of 8, a guard that is not a power of two or whose end is not aligned to it,
 * unknown method bits, or size below rtm_stack_min_size() -> RTM_ERR_ARG.
 * RTM_STACK_M_PSPLIM is accepted anywhere; only an ARMv8-M runtime uses it. */
rtm_err_t rtm_stack_init(rtm_stack_t *s, void *mem, size_t size,
                         const rtm_stack_cfg_t *cfg);

/* A stack of `size` bytes taken from allocator `a` (any rtmem scheme through
 * rtmem/alloc.h), then as rtm_stack_init. O(allocator) + O(size). Errors as
 * rtm_stack_init; the allocator failing -> RTM_ERR_NO_MEMORY; a block not
 * aligned to RTM_STACK_ALIGN (or the guard) -> RTM_ERR_ARG, block given back. */
rtm_err_t rtm_stack_create(rtm_stack_t *s, const struct rtm_alloc *a, size_t size,
                           const rtm_stack_cfg_t *cfg);

/* Give a dynamic stack's memory back to its allocator (a static stack: only
 * the descriptor is cleared, all but its fault hook; the functions below then
 * treat it as destroyed). O(allocator). NULL -> RTM_ERR_NULL; again on a
 * destroyed stack: RTM_OK, nothing done. */
rtm_err_t rtm_stack_destroy(rtm_stack_t *s);

/* Monitor the main (interrupt) stack [base, base+size) the same way, while it
 * is in use: only the bytes below `sp` (the caller's current stack pointer)
 * minus RTM_STACK_MAIN_SLACK are painted, so the painting never touches a
 * live frame (its own included). Growth down only. O(size). Errors as
 * rtm_stack_init; sp outside the memory -> RTM_ERR_ARG. */
#define RTM_STACK_MAIN_SLACK 256u
rtm_err_t rtm_stack_init_main(rtm_stack_t *s, void *base, size_t size, const void *sp,
                              const rtm_stack_cfg_t *cfg);

/* The initial stack pointer (top for a stack growing down, the first usable
 * byte for one growing up), aligned to RTM_STACK_ALIGN. O(1). NULL or
 * destroyed -> 0. */
uintptr_t rtm_stack_start(const rtm_stack_t *s);
/* The limit (see above): PSPLIM's value for method 4. O(1). NULL or
 * destroyed -> 0. */
uintptr_t rtm_stack_limit(const rtm_stack_t *s);
/* Usable bytes (size minus guard and canary). O(1). NULL or destroyed -> 0. */
size_t rtm_stack_usable(const rtm_stack_t *s);
/* Bounds of the guard region, [*lo, *hi), or RTM_ERR_STATE without one (or
 * destroyed). O(1). NULL -> RTM_ERR_NULL. */
rtm_err_t rtm_stack_guard(const rtm_stack_t *s, uintptr_t *lo, uintptr_t *hi);

/* The switch-time check (methods 1 and 2 as selected), given the saved stack
 * pointer. Returns RTM_OK, or RTM_ERR_STACK_OVERFLOW after calling the
 * overflow hook with the first method that caught it. Only the context
 * switch calls it. O(1): at most RTM_STACK_CANARY_BYTES / 4 word compares.
 * NULL -> RTM_ERR_NULL; a destroyed (or never set up) stack ->
 * RTM_ERR_STATE and the fault hook, no memory read. */
rtm_err_t rtm_stack_check(rtm_stack_t *s, uintptr_t sp);

/* Report an overflow caught elsewhere (a guard fault, a STKOF UsageFault):
 * records the method and calls the overflow hook. Returns
 * RTM_ERR_STACK_OVERFLOW. O(1). NULL s -> RTM_ERR_NULL. */
rtm_err_t rtm_stack_report(rtm_stack_t *s, rtm_stack_method_t method, const void *addr);

/* High-water mark: usable bytes never touched since painting (the least
 * free space ever, osThreadGetStackSpace's figure). Scans from the limit
 * while the paint holds: O(untouched bytes), word by word. NULL -> 0. */
size_t rtm_stack_free_min(const rtm_stack_t *s);
/* The same in words of RTM_STACK_WORD (uxTaskGetStackHighWaterMark's figure).
 * O(untouched bytes), as rtm_stack_free_min; NULL -> 0. */
size_t rtm_stack_free_min_words(const rtm_stack_t *s);
/* Usable bytes touched at the deepest point: usable - free_min.
 * O(untouched bytes), as rtm_stack_free_min; NULL or uninitialised -> 0. */
size_t rtm_stack_used_max(const rtm_stack_t *s);

/* Sizing advice from the high-water mark. */
typedef struct rtm_stack_advice {
    size_t used_bytes;     /* deepest use seen */
    size_t advised_bytes;  /* memory to configure: used * (100 + margin) / 100,
                              plus the reserved parts, rounded up to 8 */
    size_t advised_words;  /* the same in RTM_STACK_WORD words */
    bool enough;           /* the current size is at least the advice */
} rtm_stack_advice_t;
/* Fill `out` for a margin of `margin_pct` percent (e.g. 25). O(untouched bytes).
 * NULL -> RTM_ERR_NULL; margin over 1000 -> RTM_ERR_ARG, a destroyed stack ->
 * RTM_ERR_STATE (fault hook for both). */
rtm_err_t rtm_stack_advise(rtm_stack_t *s, unsigned margin_pct, rtm_stack_advice_t *out);

/* Replace the fault hook given in the configuration (NULL fn: the default,
 * rtm_fault_default). O(1). NULL s: ignored. */
void rtm_stack_set_fault_hook(rtm_stack_t *s, rtm_fault_fn fn, void *user);

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_STACK_H */
