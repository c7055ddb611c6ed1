/*
 * rtm_partition: named regions of memory reserved for one owner, each with an
 * allocator of any rtmem scheme inside (through rtmem/alloc.h); and
 * rtm_quota: byte and block budgets per owner on one shared heap.
 *
 * Partitions: exhausting one never affects another (they share no memory).
 * A free of a pointer outside the partition is refused before the scheme sees
 * it. Quotas: each block carries a small header naming the owner it was
 * charged to, so a free is credited to that owner whoever frees it, and the
 * owner's blocks can be given back when its task is deleted.
 *
 * Not thread-safe (the scheme's own locking covers the scheme's calls only):
 * call from one context or under the port's lock. Owners are rtm_owner_t
 * (rtmem/common.h); rtm_owner_current() gives the running task's.
 */
#ifndef RTMEM_PARTITION_H
#define RTMEM_PARTITION_H

#include "rtmem/alloc.h"
#include "rtmem/common.h"
#include "rtmem/stack.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Partitions ---------------------------------------------------------- */

/* Alignment a partition's memory must have. */
#define RTM_PARTITION_ALIGN 8u

/* Static storage for a partition's memory (rounded up to 8 bytes), and the
 * variants an ARMv7-M / ARMv8-M MPU region covers exactly (see rtmem/stack.h
 * for the rounding rules):
 *   RTM_PARTITION_STORAGE(static, net_mem, 4096); */
#define RTM_PARTITION_STORAGE(storage, name, size) \
    storage _Alignas(RTM_PARTITION_ALIGN) uint8_t name[((size) + 7u) & ~(size_t)7u]
#define RTM_PARTITION_STORAGE_V7(storage, name, size) \
    storage _Alignas(RTM_STACK_V7_SIZE(size)) uint8_t name[RTM_STACK_V7_SIZE(size)]
#define RTM_PARTITION_STORAGE_V8(storage, name, size) \
    storage _Alignas(32) uint8_t name[RTM_STACK_V8_SIZE(size)]

typedef struct rtm_partition {
    const char *name;
    uint8_t *mem;           /* [mem, mem + size): the partition's memory */
    size_t size;
    size_t param;           /* the scheme's init parameter (a pool's block size) */
    rtm_alloc_t alloc;      /* the scheme inside */
    size_t failures;        /* allocations that returned NULL */
    rtm_owner_t owner;      /* the task or module it is reserved for */
    rtm_fault_t fault;      /* bad input to the partition (foreign frees, ...) */
} rtm_partition_t;

typedef struct rtm_partition_cfg {
    const char *name;
    rtm_owner_t owner;
    const rtm_alloc_ops_t *scheme; /* &rtm_alloc_heap4, &rtm_alloc_tlsf, ... */
    void *inst;                    /* the scheme's instance (rtm_heap4_t, ...) */
    size_t param;                  /* a pool's block size; 0 otherwise */
    rtm_fault_fn fault;            /* fault hook from init on (NULL = default) */
    void *fault_user;
} rtm_partition_cfg_t;

/* Set a partition up over `mem` (aligned to RTM_PARTITION_ALIGN). O(the
 * scheme's init). Bad input -> fault hook of `p` (from cfg) and the code:
 * NULL p/cfg -> RTM_ERR_NULL (p NULL: no hook to call); NULL mem, scheme or
 * inst -> RTM_ERR_NULL; misaligned mem, size 0 or wrapping -> RTM_ERR_ARG;
 * the scheme refusing the region -> its code. */
rtm_err_t rtm_partition_init(rtm_partition_t *p, void *mem, size_t size,
                             const rtm_partition_cfg_t *cfg);

/* Allocate from the partition. The scheme's time bound. NULL when full
 * (counted in failures) or p NULL. */
void *rtm_partition_alloc(rtm_partition_t *p, size_t size);

/* Give a block back. O(1) + the scheme's free. NULL ptr: RTM_OK. A pointer
 * outside [mem, mem + size) (another partition's block, say) ->
 * RTM_ERR_FOREIGN_PTR and the fault hook, nothing freed; inside, the
 * scheme's own checks and codes. NULL p -> RTM_ERR_NULL. */
rtm_err_t rtm_partition_free(rtm_partition_t *p, void *ptr);

/* Every block given back at once (the scheme is set up again over the same
 * memory): what deleting the owner's task does. O(the scheme's init). NULL
 * or uninitialised p -> RTM_ERR_NULL. */
rtm_err_t rtm_partition_reset(rtm_partition_t *p);

/* ptr lies in the partition's memory. O(1). NULL or uninitialised p: false. */
bool rtm_partition_owns(const rtm_partition_t *p, const void *ptr);

/* The scheme's statistics (faults: the scheme's plus the partition's) and
 * read-only check; the scheme's bounds (stats O(1) or O(free blocks), check
 * O(blocks)). NULL p, or a NULL out of stats -> RTM_ERR_NULL; check takes a
 * NULL report (the result alone). */
rtm_err_t rtm_partition_stats(const rtm_partition_t *p, rtm_stats_t *out);
rtm_err_t rtm_partition_check(const rtm_partition_t *p, rtm_check_t *report);

/* ---- Quotas on a shared heap ---------------------------------------------- */

/* One owner's budget and statistics (a row of the caller's table). */
typedef struct rtm_quota_owner {
    size_t max_bytes;   /* budget of bytes asked for, live at once */
    size_t max_blocks;  /* budget of live blocks */
    rtm_owner_stats_t use; /* what it holds and has done (rtmem/common.h):
                              live bytes and blocks charged now, their peak,
                              allocations, blocks given back (by anyone, or
                              at release), refused allocations (over budget
                              or heap full) */
    size_t over_quota;  /* of the refused, those refused with RTM_ERR_QUOTA */
    rtm_owner_t owner;  /* RTM_OWNER_NONE = unused row */
} rtm_quota_owner_t;

/* The header a block carries (charged owner, size, links of the owner-blind
 * list of live blocks): RTM_QUOTA_HEADER bytes per block, keeping the heap's
 * alignment. */
typedef struct rtm_quota_hdr {
    struct rtm_quota_hdr *prev, *next;
    size_t size;        /* bytes asked for */
    rtm_owner_t owner;
    uint16_t tag;       /* check value: address, owner, size and links mixed */
} rtm_quota_hdr_t;
#define RTM_QUOTA_HEADER (((sizeof(rtm_quota_hdr_t) + RTM_MAX_ALIGN - 1u) / RTM_MAX_ALIGN) * RTM_MAX_ALIGN)

typedef struct rtm_quota {
    rtm_alloc_t heap;          /* the shared heap (any scheme) */
    rtm_quota_owner_t *rows;   /* the caller's table */
    size_t nrows;
    rtm_quota_hdr_t *live;     /* every live block */
    size_t unknown;            /* allocations refused: owner without a budget */
    const uint8_t *lo, *hi;    /* headers are read only inside (when set) */
    rtm_fault_t fault;
} rtm_quota_t;

/* Quotas over `heap` (bound to an initialised scheme), owners' rows in
 * `rows[n]` (cleared here). O(n). NULL q/heap/rows or n 0 -> RTM_ERR_NULL /
 * RTM_ERR_ARG (q's fault hook is set from `fault`, `user` first). */
rtm_err_t rtm_quota_init(rtm_quota_t *q, const rtm_alloc_t *heap, rtm_quota_owner_t *rows,
                         size_t n, rtm_fault_fn fault, void *user);

/* Give `owner` a budget (again: the budget changes, the counters stay).
 * O(rows). owner RTM_OWNER_NONE or a budget of 0 bytes or 0 blocks ->
 * RTM_ERR_ARG and the fault hook; no free row -> RTM_ERR_NO_MEMORY. */
rtm_err_t rtm_quota_set(rtm_quota_t *q, rtm_owner_t owner, size_t max_bytes, size_t max_blocks);

/* Allocate `size` bytes charged to `owner`: *out = the block or NULL.
 * O(rows) + the heap's alloc. RTM_ERR_QUOTA when the block would pass the
 * owner's byte or block budget (counted in use.fails and over_quota, no fault:
 * it is a refusal, not bad input); RTM_ERR_NO_MEMORY when the heap is full
 * (counted in use.fails); RTM_ERR_ARG for an owner without a budget (counted
 * in q->unknown) or size 0; RTM_ERR_OVERFLOW when size + header wraps;
 * RTM_ERR_CORRUPT and the fault hook when the newest live block's header
 * (rewritten to link the new one) does not check (counted in use.fails). */
rtm_err_t rtm_quota_alloc(rtm_quota_t *q, rtm_owner_t owner, size_t size, void **out);
/* The same for rtm_owner_current(), with the same bound and errors. */
rtm_err_t rtm_quota_alloc_current(rtm_quota_t *q, size_t size, void **out);

/* Give a block back, credited to the owner it was charged to. O(rows) + the
 * heap's free. NULL ptr: RTM_OK. A pointer whose header does not check
 * (foreign, interior, or already freed) -> RTM_ERR_FOREIGN_PTR and the fault
 * hook, nothing freed (the header is read only after a range check against
 * `lo`/`hi` set with rtm_quota_set_range(), when set). A live block whose
 * header, or a neighbour's in the live list, was overwritten (size, owner or
 * a link) -> RTM_ERR_CORRUPT and the fault hook, nothing freed and no damaged
 * link followed. */
rtm_err_t rtm_quota_free(rtm_quota_t *q, void *ptr);

/* Bound the addresses rtm_quota_free will read a header from (the heap's
 * memory). O(1). NULL q: ignored. */
void rtm_quota_set_range(rtm_quota_t *q, const void *lo, const void *hi);

/* Give back every block charged to `owner` (its task was deleted). O(live
 * blocks). Returns the number of blocks given back: 0 for NULL q,
 * RTM_OWNER_NONE or an owner without a budget. A damaged header on the way
 * stops the walk there (RTM_ERR_CORRUPT to the fault hook, once). */
size_t rtm_quota_release(rtm_quota_t *q, rtm_owner_t owner);

/* A copy of `owner`'s row. O(rows). Unknown owner -> RTM_ERR_ARG. */
rtm_err_t rtm_quota_owner_stats(const rtm_quota_t *q, rtm_owner_t owner, rtm_quota_owner_t *out);

/* Reconcile: walk the live blocks and check each owner's counters against
 * them, then the heap's own check. O(live blocks * rows). Read-only. NULL q
 * -> RTM_ERR_NULL; a mismatch -> RTM_ERR_CORRUPT, with where/what in
 * *report when `report` is not NULL. */
rtm_err_t rtm_quota_check(const rtm_quota_t *q, rtm_check_t *report);

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_PARTITION_H */
