/*
 * rtmem leak: who holds what. An event observer (RTMEM_CFG_EVENTS=1) that
 * keeps, for every live block, its owner (rtm_owner_current() at the
 * allocation), its call site (RTM_ALLOC_AT, rtmem/observe.h), its size and
 * when it was made, in a table the caller provides; no block header changes.
 *
 *   static rtm_leak_entry_t tab[256];          (a power of two)
 *   static rtm_owner_stats_t owners[8];        (owner ids 0..7; others pooled)
 *   rtm_leak_init(&lk, tab, 256, owners, 8);
 *   rtm_observer_set(rtm_leak_observer, &lk);   (or through an rtm_fanout_t)
 *   rtm_leak_checkpoint(&lk);  ... run ...  rtm_leak_report(&lk, groups, 16, &n);
 *
 * Each event costs O(RTM_LEAK_PROBES): the table is open addressing with a
 * fixed window of probes, so a full window drops the block (counted in
 * `dropped`) instead of searching on. Size the table at twice the live
 * blocks. Not thread-safe by itself: the allocators report from their own
 * call, so run allocations that may report concurrently under one lock, as
 * the allocators themselves require.
 */
#ifndef RTMEM_LEAK_H
#define RTMEM_LEAK_H

#include "rtmem/common.h"
#include "rtmem/hooks.h"

#ifdef __cplusplus
extern "C" {
#endif

/* rtm_owner_stats_t (per-owner statistics) is in rtmem/common.h: the one
 * type of the tracker here and of the partitions' quotas. */

/* Account one allocation / free of `bytes` to `s`. O(1). NULL: ignored. */
void rtm_owner_stats_alloc(rtm_owner_stats_t *s, size_t bytes);
void rtm_owner_stats_free(rtm_owner_stats_t *s, size_t bytes);

/* One live block. ptr NULL = empty slot. */
typedef struct rtm_leak_entry {
    const void *ptr;
    size_t size;
    const char *file; /* call site, NULL when untagged */
    uint32_t line;
    uint32_t seq;     /* allocation number, for checkpoints */
    rtm_owner_t owner;
} rtm_leak_entry_t;

/* Probes per lookup: the bound of every event. */
#define RTM_LEAK_PROBES 8u

typedef struct rtm_leak {
    rtm_leak_entry_t *tab;
    size_t cap;                /* power of two */
    rtm_owner_stats_t *owners; /* indexed by owner id, n_owners entries */
    size_t n_owners;
    rtm_owner_stats_t others;  /* owners with id >= n_owners, pooled */
    const void *only;          /* track one instance only (NULL: all) */
    uint32_t seq;              /* allocations seen */
    uint32_t mark;             /* seq at the last checkpoint */
    size_t live;               /* entries in the table */
    size_t dropped;            /* blocks not tracked: their window was full */
    size_t unknown_frees;      /* frees of blocks not in the table */
} rtm_leak_t;

/* Set up over `tab` (`cap` entries, a power of two >= RTM_LEAK_PROBES) and
 * optionally `owners` (n_owners entries, may be NULL/0). Zeroes both.
 * RTM_ERR_NULL (t or tab NULL), RTM_ERR_ARG (cap not a power of two or too
 * small, owners NULL with n_owners != 0). O(cap + n_owners). */
rtm_err_t rtm_leak_init(rtm_leak_t *t, rtm_leak_entry_t *tab, size_t cap,
                        rtm_owner_stats_t *owners, size_t n_owners);

/* Track only the instance `obj` (the allocator struct), NULL = every
 * instance. O(1). */
void rtm_leak_only(rtm_leak_t *t, const void *obj);

/* The observer (user = the rtm_leak_t). O(RTM_LEAK_PROBES) per event. NULL
 * user, or an alloc, free or realloc event whose block is NULL: ignored. */
void rtm_leak_observer(void *user, rtm_ev_kind_t kind, const void *obj, const void *ptr,
                       const void *old, size_t size);

/* From now on rtm_leak_report() shows only blocks allocated after this call.
 * O(1). NULL: ignored. */
void rtm_leak_checkpoint(rtm_leak_t *t);

/* A group of leaked blocks: same owner and call site. */
typedef struct rtm_leak_group {
    rtm_owner_t owner;
    const char *file;
    uint32_t line;
    size_t count;
    size_t bytes;
} rtm_leak_group_t;

/* The blocks allocated since the last checkpoint and still live, grouped by
 * owner and call site, in up to `max` groups (sorted by bytes, largest
 * first; groups met after `max` are full are left out). Returns the number
 * of groups written; *total (optional) receives the number of such blocks,
 * so a sum of the counts below it says groups were left out. A diagnostic,
 * not for a real-time path: O(cap x max). NULL t or g: returns 0. */
size_t rtm_leak_report(const rtm_leak_t *t, rtm_leak_group_t *g, size_t max, size_t *total);

/* The statistics of one owner (ids >= n_owners share one record). O(1).
 * NULL t: NULL. */
const rtm_owner_stats_t *rtm_leak_owner(const rtm_leak_t *t, rtm_owner_t owner);

/* The entry of the live block `ptr`, or NULL if it is not tracked.
 * O(RTM_LEAK_PROBES). */
const rtm_leak_entry_t *rtm_leak_find(const rtm_leak_t *t, const void *ptr);

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_LEAK_H */
