/*
 * rtmem common definitions: error codes, the fault hook, the statistics and
 * integrity-report structures every allocator fills, and static-storage macros.
 *
 * Freestanding C11: this header uses only <stddef.h>, <stdint.h>, <stdbool.h>.
 */
#ifndef RTMEM_COMMON_H
#define RTMEM_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rtmem/config.h"
#include "rtmem/attrs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Error and fault reason codes. RTM_OK is 0; every error is negative so a
 * function can return a count or an error in one int-sized value. The same
 * codes are the reason passed to a fault hook. */
typedef enum rtm_err {
    RTM_OK = 0,
    RTM_ERR_NULL = -1,          /* a required pointer argument was NULL */
    RTM_ERR_ARG = -2,           /* an argument is out of range (size, count, flag) */
    RTM_ERR_NO_MEMORY = -3,     /* not enough memory (allocation failure) */
    RTM_ERR_OVERFLOW = -4,      /* a size computation would wrap */
    RTM_ERR_FOREIGN_PTR = -5,   /* pointer does not lie inside this object */
    RTM_ERR_INTERIOR_PTR = -6,  /* inside the object but not the start of a block */
    RTM_ERR_DOUBLE_FREE = -7,   /* the block is already free */
    RTM_ERR_CORRUPT = -8,       /* a header, link or canary is damaged */
    RTM_ERR_BAD_REGION = -9,    /* a region table is malformed (order, size, overlap) */
    RTM_ERR_TIMEOUT = -10,      /* a blocking call timed out */
    RTM_ERR_ISR = -11,          /* the call is not allowed from an interrupt */
    RTM_ERR_NOT_SUPPORTED = -12,/* this object or port cannot do that */
    RTM_ERR_BUSY = -13,         /* the object is in use (e.g. delete with waiters) */
    RTM_ERR_QUOTA = -14,        /* a partition quota would be exceeded */
    RTM_ERR_STATE = -15,        /* the object is not initialised or in a wrong state */
    RTM_ERR_SEALED = -16,       /* allocation refused: the allocator is sealed or a no-alloc section is active */
    RTM_ERR_STACK_OVERFLOW = -17,/* a task's stack passed its limit */
    RTM_ERR_ACCESS = -18,       /* a memory access outside the regions a task may touch */
    /* -19 is not used: an injected failure (rtmem/hooks.h) looks like
     * exhaustion, NULL with no fault, so it has no code of its own */
    RTM_ERR_UNEXPRESSIBLE = -20 /* an MPU rule cannot express the range exactly */
} rtm_err_t;

/* A short constant English name for an error code ("double free", ...).
 * O(1). Never fails: an unknown code gives "unknown error". */
const char *rtm_err_str(rtm_err_t err);

/* Fault hook: called when an allocator detects bad input or corruption. `obj`
 * is the allocator instance, `ptr` the offending pointer (or NULL), `user` the
 * context registered with the hook. The hook may log, count or halt; when it
 * returns, the call that detected the fault returns its error code and leaves
 * the allocator untouched. */
typedef void (*rtm_fault_fn)(void *user, rtm_err_t reason, const void *obj,
                             const void *ptr);

/* Per-instance fault state, embedded in every allocator instance. `last` and
 * `flags` share one word so that the struct keeps its size (control blocks
 * must fit the buffers RTOSes size for theirs). */
typedef struct rtm_fault {
    rtm_fault_fn hook; /* NULL = rtm_fault_default */
    void *user;
    size_t count;      /* faults seen by this instance (always counted) */
    int16_t last;      /* rtm_err_t of the most recent fault */
    uint16_t flags;    /* RTM_INST_*: per-instance state read by the allocation gate */
} rtm_fault_t;

/* rtm_fault_t.flags bits. */
#define RTM_INST_SEALED 0x0001u /* allocations refused with RTM_ERR_SEALED (see rtm_seal()) */

/* Owner of an allocation: a task or module id. 0 = no owner. The task runtime
 * or the RTOS layer sets the current owner at every context switch; quotas,
 * leak tags and traces read it. */
typedef uint16_t rtm_owner_t;
#define RTM_OWNER_NONE ((rtm_owner_t)0)

/* Per-owner statistics: what one owner (task or module) holds and has done.
 * The one type for every user of per-owner accounting (the leak tracker of
 * rtmem/leak.h and the partitions' quotas), so that figures from both read alike. Sizes are the
 * bytes asked for. */
typedef struct rtm_owner_stats {
    size_t live_bytes;  /* held now */
    size_t live_blocks;
    size_t peak_bytes;  /* most ever held at once */
    size_t allocs;      /* successful allocations (a realloc counts as one) */
    size_t frees;
    size_t fails;       /* allocations refused (no memory, quota, injected) */
} rtm_owner_stats_t;

/* The owner the running context allocates as (RTM_OWNER_NONE until set).
 * O(1). Never fails. */
rtm_owner_t rtm_owner_current(void);
/* Set the owner the running context allocates as; called at a context
 * switch. O(1). Never fails: any value is an owner (RTM_OWNER_NONE: none). */
void rtm_owner_set(rtm_owner_t owner);

/* Default fault action: with RTMEM_CFG_ASSERT=1 it traps (RTMEM_TRAP()); with
 * RTMEM_CFG_ASSERT=0 it does nothing (the fault is already counted). O(1). */
void rtm_fault_default(void *user, rtm_err_t reason, const void *obj,
                       const void *ptr);

/* Reset a fault state to "no hook, nothing seen". O(1). */
void rtm_fault_init(rtm_fault_t *f);

/* Record a fault in `f` (count, last) and call its hook, or the default one.
 * Returns `reason`, so callers can write `return rtm_fault_raise(...)`. O(1). */
rtm_err_t rtm_fault_raise(rtm_fault_t *f, rtm_err_t reason, const void *obj,
                          const void *ptr);

/* Statistics: one structure for every heap scheme. Fields a scheme cannot know
 * are documented in that scheme's header (and set to 0). All sizes in bytes. */
typedef struct rtm_stats {
    size_t total_bytes;       /* bytes managed after alignment (free at init) */
    size_t free_bytes;        /* bytes free now, headers of free blocks included as the scheme counts them */
    size_t min_ever_free;     /* lowest free_bytes since init or the last reset */
    size_t largest_free;      /* largest free block */
    size_t smallest_free;     /* smallest free block (0 if none) */
    size_t free_blocks;       /* number of free blocks */
    size_t used_blocks;       /* number of allocated blocks */
    size_t alloc_count;       /* successful allocations (RTM_STATS_NOT_COUNTED: see below) */
    size_t free_count;        /* successful frees (RTM_STATS_NOT_COUNTED: see below) */
    size_t failed_allocs;     /* allocations that returned NULL */
    size_t faults;            /* bad inputs and corruptions detected */
} rtm_stats_t;

/* alloc_count and free_count of a scheme that counts no operations: the
 * pool through rtm_alloc_pool (alloc.h), whose own rtm_pool_stats_t has no
 * such fields. Never a count any scheme can reach. */
#define RTM_STATS_NOT_COUNTED SIZE_MAX

/* Integrity report, filled by the read-only rtm_*_check() functions. */
typedef struct rtm_check {
    rtm_err_t err;      /* RTM_OK or what is wrong (first problem found) */
    const void *where;  /* address of the damaged block or link, or NULL */
    const char *what;   /* a constant sentence saying what is wrong, or "ok" */
    size_t blocks;      /* blocks walked */
    size_t free_blocks; /* free blocks walked */
    size_t free_bytes;  /* free bytes found by the walk */
} rtm_check_t;

/* Fill `r` for a failure at `where`, return `err` (internal helper for the
 * check functions, public so every module can share it). O(1). r NULL:
 * only returns err. */
rtm_err_t rtm_check_fail(rtm_check_t *r, rtm_err_t err, const void *where,
                         const char *what);

/* ---- Branch hints (for rtmem's own code and its inline paths) ------------ */

/* A test expected to hold (an inline path's common case) or to fail (a
 * refusal, a rare shape): with GCC and clang the compiler lays the common
 * path out straight; elsewhere they are the bare condition. No effect on
 * behaviour. */
#if defined(__GNUC__)
#define RTM_LIKELY_(x) __builtin_expect(!!(x), 1)
#define RTM_UNLIKELY_(x) __builtin_expect(!!(x), 0)
#else
#define RTM_LIKELY_(x) (x)
#define RTM_UNLIKELY_(x) (x)
#endif

/* ---- Layout key: one configuration for the library and its application --
 * rtm_pool_t and rtm_queue_t, which the application allocates, change size
 * with RTMEM_CFG_PORT (the wait queue), RTMEM_CFG_FREERTOS_WAITERS (under the
 * freertos port) and, for the pool, RTMEM_CFG_POOL_LOCKFREE. The functions
 * that set such an object up carry these options in their link names
 * (RTM_LAYOUT_NAME_): an application compiled with other values than the
 * library it links fails to link, with an undefined reference naming the
 * function and the options (e.g. rtm_pool_init_locked__port1_lf0_w0), instead
 * of the two writing one object under two layouts. (tlsf's layout, which
 * RTMEM_CFG_HARDEN changes, is checked at init: RTM_TLSF_ABI.) The port and
 * the lock-free switch are spelt by #if, so any spelling of their values
 * works; the waiter count, part of the name only under the freertos port,
 * must be a plain decimal number there. */
#if RTMEM_CFG_PORT == RTMEM_PORT_NONE
#define RTM_LAYOUT_PORT_ port0
#elif RTMEM_CFG_PORT == RTMEM_PORT_POSIX
#define RTM_LAYOUT_PORT_ port1
#elif RTMEM_CFG_PORT == RTMEM_PORT_CORTEX_M
#define RTM_LAYOUT_PORT_ port2
#elif RTMEM_CFG_PORT == RTMEM_PORT_FREERTOS
#define RTM_LAYOUT_PORT_ port3
#else
#error "RTMEM_CFG_PORT: not one of the RTMEM_PORT_* values"
#endif
#if RTMEM_CFG_POOL_LOCKFREE
#define RTM_LAYOUT_LF_ lf1
#else
#define RTM_LAYOUT_LF_ lf0
#endif
#if RTMEM_CFG_PORT == RTMEM_PORT_FREERTOS
#define RTM_LAYOUT_W_ RTMEM_CFG_FREERTOS_WAITERS
#else
#define RTM_LAYOUT_W_ 0
#endif
#define RTM_LAYOUT_CAT_(fn, p, l, w) fn##_##p##_##l##_w##w
#define RTM_LAYOUT_XCAT_(fn, p, l, w) RTM_LAYOUT_CAT_(fn, p, l, w)
#define RTM_LAYOUT_NAME_(fn) RTM_LAYOUT_XCAT_(fn, RTM_LAYOUT_PORT_, RTM_LAYOUT_LF_, RTM_LAYOUT_W_)

/* ---- Alignment helpers (integer arithmetic in uintptr_t) ---------------- */

#define RTM_IS_POW2(x) ((x) != 0u && (((x) & ((x)-1u)) == 0u))
/* Round x up to a multiple of the power of two a (x must not overflow). */
#define RTM_ALIGN_UP(x, a) (((x) + ((a)-1u)) & ~((a)-1u))
#define RTM_ALIGN_DOWN(x, a) ((x) & ~((a)-1u))

/* The strictest fundamental alignment of the target (8 on Cortex-M, 16 on
 * x86-64 glibc); storage macros use at least this. */
#define RTM_MAX_ALIGN (_Alignof(max_align_t))

/* Declare `name` as a byte array of `size` bytes aligned to `align`, with the
 * given storage class words before it (e.g. `static`). Compile-time storage
 * for heaps and regions: RTM_STORAGE(static, ucHeap, 4096, 8); */
#define RTM_STORAGE(storage, name, size, align) \
    storage _Alignas(align) uint8_t name[(size)]

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_COMMON_H */
