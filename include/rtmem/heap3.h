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
 * Quarantine (double free): a freed block is not given to the C library at
 * once. The instance keeps the last RTM_HEAP3_QUARANTINE freed blocks (their
 * pointers, in the instance) with a "freed" tag in front; free() of one of
 * them is RTM_ERR_DOUBLE_FREE, found by comparing pointers, before any
 * memory is read. A block leaves the quarantine, and only then goes to
 * free(), when it is the oldest and another free needs its slot (or at
 * rtm_heap3_flush(), or when malloc fails: the quarantine is flushed and
 * malloc tried once more, so the quarantine never makes an allocation fail).
 * Its freed tag is verified then: a changed one (a stray write into the
 * freed block's header) is RTM_ERR_CORRUPT and the block is kept from
 * free(), whose own header may be damaged too (it is lost, not freed).
 * So a double free is detected while the block is among the last
 * RTM_HEAP3_QUARANTINE frees, and, since the C library cannot reuse a block
 * still in quarantine, also a double free after other allocations made
 * meanwhile. Once the block has left the quarantine, a second free reads the
 * C library's memory as described above (refused unless the bytes were
 * reused by this instance: a double free after reuse of the same address
 * frees the new owner's block, as with the C library's own free).
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

/* Freed blocks an instance holds back from the C library (see above). A
 * constant, not an option: the struct's layout never depends on the build. */
#define RTM_HEAP3_QUARANTINE 4u

typedef struct rtm_heap3 {
    size_t alloc_count;   /* successful allocations */
    size_t free_count;    /* successful frees */
    size_t failed_allocs; /* allocations that returned NULL */
    size_t live_blocks;   /* alloc_count - free_count */
    rtm_heap3_failed_fn on_failed;
    void *on_failed_user;
    rtm_fault_t fault;
    void *quarantine[RTM_HEAP3_QUARANTINE]; /* freed blocks as malloc gave them, NULL = empty */
    size_t q_next;                          /* the slot the next free takes */
} rtm_heap3_t;

/* Reset the counters, hooks and the quarantine (blocks still in it are
 * lost: rtm_heap3_flush first when re-initialising). O(1). RTM_ERR_NULL if
 * h is NULL. */
rtm_err_t rtm_heap3_init(rtm_heap3_t *h);

/* Install the malloc-failed callback (NULL = none). O(1). */
void rtm_heap3_set_malloc_failed_hook(rtm_heap3_t *h, rtm_heap3_failed_fn fn, void *user);
rtm_err_t rtm_heap3_free(rtm_heap3_t *h, void *p); /* first: RTM_ALLOCATOR */

/* malloc(size) in the critical section. O(the C library's malloc) (newlib
 * and glibc: a free-list search). NULL counts a failed allocation and calls the
 * malloc-failed callback. h NULL: NULL, nothing called. */
RTM_ALLOCATOR(rtm_heap3_free, 2) RTM_ALLOC_SIZE(2) void *rtm_heap3_alloc(rtm_heap3_t *h, size_t size);

/* n * size zeroed bytes (malloc + memset, so the callback sees the same
 * rules as rtm_heap3_alloc): O(the C library's malloc) + O(n * size). An overflowing product returns NULL without
 * calling malloc (counted as a failed allocation, callback called). */
RTM_ALLOCATOR(rtm_heap3_free, 2) RTM_ALLOC_SIZE(2, 3) void *rtm_heap3_calloc(rtm_heap3_t *h, size_t n, size_t size);

/* p goes to the quarantine, in the critical section; the oldest quarantined
 * block goes to free() when its slot is needed. NULL: RTM_OK, nothing done.
 * p in the quarantine: fault RTM_ERR_DOUBLE_FREE. p not a live block of this
 * instance (no live block at all, or its tag does not match, see the
 * pointer-check note above): fault RTM_ERR_FOREIGN_PTR, free() not called.
 * The block leaving the quarantine with a changed tag: fault RTM_ERR_CORRUPT
 * (p itself is freed: RTM_OK). h NULL: RTM_ERR_NULL. O(RTM_HEAP3_QUARANTINE)
 * plus the C library's free. */
RTM_DEALLOCATOR(2) rtm_err_t rtm_heap3_free(rtm_heap3_t *h, void *p);

/* Give every quarantined block to free() (tags verified as above: a changed
 * one is RTM_ERR_CORRUPT through the fault hook, that block kept from free()).
 * Call before the instance goes away. h NULL: nothing. O(RTM_HEAP3_QUARANTINE)
 * plus the C library's frees. */
void rtm_heap3_flush(rtm_heap3_t *h);

/* Unknown for the C library's heap: always 0. O(1). h is not read (NULL
 * accepted), as for the next two. */
size_t rtm_heap3_free_bytes(const rtm_heap3_t *h);

/* Unknown: always 0. O(1). h NULL accepted. */
size_t rtm_heap3_min_ever_free(const rtm_heap3_t *h);

/* Nothing to reset. O(1). h NULL accepted. */
void rtm_heap3_reset_min_ever_free(rtm_heap3_t *h);

/* Counts only: alloc_count, free_count, failed_allocs, used_blocks (live
 * blocks) and faults; every size field and free_blocks is 0. O(1). */
void rtm_heap3_stats(const rtm_heap3_t *h, rtm_stats_t *out);

/* There is no heap to walk (the C library owns it): checks that the
 * counters agree (free_count <= alloc_count, live = alloc - free) and that
 * every quarantined block still has its freed tag. O(RTM_HEAP3_QUARANTINE).
 * RTM_OK or RTM_ERR_CORRUPT (RTM_ERR_NULL for h NULL), also in *report
 * (blocks = live blocks). */
rtm_err_t rtm_heap3_check(const rtm_heap3_t *h, rtm_check_t *report);

/* Install a fault hook (NULL = rtm_fault_default). O(1). */
void rtm_heap3_set_fault_hook(rtm_heap3_t *h, rtm_fault_fn fn, void *user);

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_HEAP3_H */
