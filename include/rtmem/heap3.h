/*
 * rtm_heap3: the C library's malloc/free, each call made inside the port's
 * critical section; the behaviour of FreeRTOS heap_3 as a caller-owned
 * instance that counts what goes through it.
 *
 * Matches FreeRTOS-Kernel V11.2.0 portable/MemMang/heap_3.c: an allocation
 * is malloc(size) (size 0 included: the C library decides, glibc and newlib
 * return a unique pointer), a free of NULL does nothing, and the
 * malloc-failed callback runs, outside the critical section, exactly when
 * NULL is returned. Upstream heap_3 has no free-size, minimum-ever,
 * statistics or calloc functions: the C library does not say how much it
 * has left, so rtm_heap3_free_bytes() and rtm_heap3_min_ever_free() return 0
 * ("unknown"), and the statistics carry only counts.
 *
 * Pointer checks: each block carries a tag in front of the user bytes
 * (RTM_HEAP3_HEADER bytes, taken from malloc along with the request), derived
 * from the instance's and the block's address. A free whose tag does not
 * match is refused with RTM_ERR_FOREIGN_PTR and free() is not called: a live
 * block of another rtm_heap3 instance, a pointer from plain malloc, an
 * interior or misaligned pointer. What it cannot know: the tag is read from
 * the word in front of p, so p must point into readable memory (any block
 * of the C library's heap does); and a second free of a block of this
 * instance reads memory the C library already owns: the tag was cleared
 * before the first free(), so it is refused (RTM_ERR_FOREIGN_PTR) unless
 * the C library has meanwhile reused those bytes and written the same tag
 * back, which only a new block from this instance at the same address does.
 * With no live block from this instance nothing is read at all.
 *
 * Hosted code: this module needs <stdlib.h> (fine on newlib; a bare-metal
 * link also needs the C library's heap, i.e. _sbrk).
 *
 * Thread safety: malloc/free and the counters are updated inside
 * rtm_port_enter()/rtm_port_exit(), so the instance may be shared by threads
 * once initialised (init itself is not locked).
 */
#ifndef RTMEM_HEAP3_H
#define RTMEM_HEAP3_H

#include <stddef.h>
#include <stdint.h>

#include "rtmem/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Called when an allocation returns NULL; `size` is the request (n * size
 * for calloc). Runs outside the critical section. */
typedef void (*rtm_heap3_failed_fn)(void *user, size_t size);

/* Bytes in front of every block: the tag, padded to the fundamental
 * alignment so the user pointer keeps malloc's alignment. */
#define RTM_HEAP3_HEADER ((sizeof(uintptr_t) + RTM_MAX_ALIGN - 1u) / RTM_MAX_ALIGN * RTM_MAX_ALIGN)

typedef struct rtm_heap3 {
    size_t alloc_count;   /* successful allocations */
    size_t free_count;    /* successful frees */
    size_t failed_allocs; /* allocations that returned NULL */
    size_t live_blocks;   /* alloc_count - free_count */
    rtm_heap3_failed_fn on_failed;
    void *on_failed_user;
    rtm_fault_t fault;
} rtm_heap3_t;

/* Reset the counters and hooks. O(1). RTM_ERR_NULL if h is NULL. */
rtm_err_t rtm_heap3_init(rtm_heap3_t *h);

/* Install the malloc-failed callback (NULL = none). O(1). */
void rtm_heap3_set_malloc_failed_hook(rtm_heap3_t *h, rtm_heap3_failed_fn fn, void *user);
rtm_err_t rtm_heap3_free(rtm_heap3_t *h, void *p); /* first: RTM_ALLOCATOR */

/* malloc(size) in the critical section. The C library's bound (newlib and
 * glibc: a free-list search). NULL counts a failed allocation and calls the
 * malloc-failed callback. h NULL: NULL, nothing called. */
RTM_ALLOCATOR(rtm_heap3_free, 2) RTM_ALLOC_SIZE(2) void *rtm_heap3_alloc(rtm_heap3_t *h, size_t size);

/* n * size zeroed bytes (malloc + memset, so the callback sees the same
 * rules as rtm_heap3_alloc). An overflowing product returns NULL without
 * calling malloc (counted as a failed allocation, callback called). */
RTM_ALLOCATOR(rtm_heap3_free, 2) RTM_ALLOC_SIZE(2, 3) void *rtm_heap3_calloc(rtm_heap3_t *h, size_t n, size_t size);

/* free(p) in the critical section. NULL: RTM_OK, nothing done. p not a live
 * block of this instance (no live block at all, or its tag does not match,
 * see the pointer-check note above): fault RTM_ERR_FOREIGN_PTR and free() is
 * not called. h NULL: RTM_ERR_NULL. O(1) plus the C library's free. */
RTM_DEALLOCATOR(2) rtm_err_t rtm_heap3_free(rtm_heap3_t *h, void *p);

/* Unknown for the C library's heap: always 0. O(1). */
size_t rtm_heap3_free_bytes(const rtm_heap3_t *h);

/* Unknown: always 0. O(1). */
size_t rtm_heap3_min_ever_free(const rtm_heap3_t *h);

/* Nothing to reset. O(1). */
void rtm_heap3_reset_min_ever_free(rtm_heap3_t *h);

/* Counts only: alloc_count, free_count, failed_allocs, used_blocks (live
 * blocks) and faults; every size field and free_blocks is 0. O(1). */
void rtm_heap3_stats(const rtm_heap3_t *h, rtm_stats_t *out);

/* There is no heap to walk (the C library owns it): checks only that the
 * counters agree (free_count <= alloc_count, live = alloc - free). O(1).
 * RTM_OK or RTM_ERR_CORRUPT (RTM_ERR_NULL for h NULL), also in *report
 * (blocks = live blocks). */
rtm_err_t rtm_heap3_check(const rtm_heap3_t *h, rtm_check_t *report);

/* Install a fault hook (NULL = rtm_fault_default). O(1). */
void rtm_heap3_set_fault_hook(rtm_heap3_t *h, rtm_fault_fn fn, void *user);

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_HEAP3_H */
