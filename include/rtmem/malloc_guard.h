/*
 * Link-time guard on the C library's malloc: keeps malloc/calloc/realloc/free
 * out of real-time code, and gives the code that still calls them a bounded,
 * measured rtmem heap.
 *
 * Opt in at link time, nothing else changes:
 *   -Wl,--wrap=malloc,--wrap=free,--wrap=calloc,--wrap=realloc
 * and, on newlib, whose own functions (printf, fopen, strdup, ...) call the
 * reentrant names, also
 *   -Wl,--wrap=_malloc_r,--wrap=_free_r,--wrap=_calloc_r,--wrap=_realloc_r
 * The linker then sends every call of those names in the objects and static
 * libraries it links to the __wrap_ functions below (calls made inside a
 * shared library, such as glibc's own, are not seen).
 *
 * Each call is decided by the current owner (rtm_owner_current(): the task
 * the port or the RTOS layer says is running): an owner flagged real-time
 * with rtm_guard_set_realtime() gets a fault that names it and the caller's
 * return address (the guard's fault hook: reason RTM_ERR_SEALED, obj = the
 * guard, ptr = the return address; rtm_guard_last_refusal() has the whole
 * record) and NULL, and its free is refused (the block stays allocated);
 * every other owner is served from the heap given to rtm_guard_set_heap().
 * Without a heap every call is refused (RTM_ERR_STATE). free(NULL) is
 * always a no-op.
 *
 * A recorder (rtm_guard_set_recorder) sees every call, served or refused,
 * with its caller: how the test in tests/target/ lists which newlib
 * functions allocate.
 *
 * The heap is reached through a small table (rtm_guard_ops_t), so the guard
 * links only the scheme the application chose; RTM_GUARD_OPS_DEFINE makes
 * the table for a scheme. Calls take the port's critical section around the
 * heap (the cores are not thread-safe). Do not give it heap_3 (which calls
 * malloc itself). Bounds: those of the heap's alloc/free (tlsf: O(1));
 * realloc without a realloc in the table: alloc + copy + free.
 */
#ifndef RTMEM_MALLOC_GUARD_H
#define RTMEM_MALLOC_GUARD_H

#include "rtmem/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The heap behind the guard. `realloc` and `usable` may be NULL: without
 * realloc, a realloc is alloc + copy of min(usable, new size) + free;
 * without both, realloc of a block is refused (RTM_ERR_NOT_SUPPORTED). */
typedef struct rtm_guard_ops {
    void *(*alloc)(void *heap, size_t size);
    rtm_err_t (*free)(void *heap, void *p);
    void *(*realloc)(void *heap, void *p, size_t size);
    size_t (*usable)(void *heap, const void *p);
} rtm_guard_ops_t;

/* `static const rtm_guard_ops_t name` for scheme `s` (heap2, heap4, heap5,
 * tlsf: rtm_<s>_alloc/free/usable_size) over instances of type `type`:
 *   RTM_GUARD_OPS_DEFINE(my_ops, tlsf, rtm_tlsf_t);
 *   rtm_guard_set_heap(&my_ops, &my_tlsf); */
#define RTM_GUARD_OPS_DEFINE(name, s, type)                                  \
    static void *name##_alloc_(void *h, size_t n)                            \
    {                                                                        \
        return rtm_##s##_alloc((type *)h, n);                                \
    }                                                                        \
    static rtm_err_t name##_free_(void *h, void *p)                          \
    {                                                                        \
        return rtm_##s##_free((type *)h, p);                                 \
    }                                                                        \
    static size_t name##_usable_(void *h, const void *p)                     \
    {                                                                        \
        return rtm_##s##_usable_size((const type *)h, p);                    \
    }                                                                        \
    static const rtm_guard_ops_t name = {name##_alloc_, name##_free_, NULL, name##_usable_}

/* Which call a record is about. */
typedef enum rtm_guard_call {
    RTM_GUARD_MALLOC = 0,
    RTM_GUARD_CALLOC = 1,
    RTM_GUARD_REALLOC = 2,
    RTM_GUARD_FREE = 3
} rtm_guard_call_t;

/* One call through the guard. */
typedef struct rtm_guard_record {
    rtm_guard_call_t call;
    rtm_owner_t owner;  /* rtm_owner_current() at the call */
    bool refused;       /* true: faulted, nothing allocated or freed */
    const void *caller; /* return address of the malloc/free call (NULL where unknown) */
    size_t size;        /* bytes asked for (calloc: n * size; free: 0) */
    const void *ptr;    /* block returned (free, realloc: the block passed in) */
} rtm_guard_record_t;

typedef void (*rtm_guard_recorder_fn)(void *user, const rtm_guard_record_t *r);

/* RTM_GUARD_OWNERS (owners 0..RTM_GUARD_OWNERS-1 can be flagged real-time):
 * an option of rtmem/config.h. */

/* Serve non-real-time owners from `heap` through `ops` (NULL: serve none).
 * O(1). */
void rtm_guard_set_heap(const rtm_guard_ops_t *ops, void *heap);
/* Flag `owner` real-time (its malloc family calls fault) or not. O(1).
 * RTM_ERR_ARG for an owner >= RTM_GUARD_OWNERS. */
rtm_err_t rtm_guard_set_realtime(rtm_owner_t owner, bool realtime);
/* True if `owner` is flagged real-time. O(1). */
bool rtm_guard_is_realtime(rtm_owner_t owner);
/* Fault hook for refusals (NULL: rtm_fault_default, which traps in debug
 * builds). O(1). */
void rtm_guard_set_fault_hook(rtm_fault_fn fn, void *user);
/* Install the recorder that sees every call (NULL: none). It runs outside
 * the critical section and must not call malloc. O(1). */
void rtm_guard_set_recorder(rtm_guard_recorder_fn fn, void *user);
/* The most recent refusal; false (and *out untouched) if none. O(1). */
bool rtm_guard_last_refusal(rtm_guard_record_t *out);
/* Calls served and refused since start-up or the last reset. O(1). */
size_t rtm_guard_served(void);
size_t rtm_guard_refused(void);
/* Forget the heap, the flags, the hook, the recorder and the counters. O(RTM_GUARD_OWNERS). */
void rtm_guard_reset(void);

/* The functions the linker's --wrap routes to; not for direct calls. O(1)
 * plus the served heap's call (a refusal is O(1): NULL, or the free not
 * done, with the fault hook called). */
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
void __wrap_free(void *p);
/* newlib's reentrant names (the first argument is its struct _reent *). */
void *__wrap__malloc_r(void *reent, size_t size);
void *__wrap__calloc_r(void *reent, size_t n, size_t size);
void *__wrap__realloc_r(void *reent, void *p, size_t size);
void __wrap__free_r(void *reent, void *p);

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_MALLOC_GUARD_H */
