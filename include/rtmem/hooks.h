/*
 * rtmem hooks: what every allocator (heap_1..heap_5, tlsf, pools) lets the
 * application observe and refuse, in one place.
 *
 * - Seal: rtm_seal() makes every later allocation from one instance fail with
 *   RTM_ERR_SEALED and a fault hook call; frees and statistics still work.
 * - No-alloc sections: between rtm_no_alloc_enter() and rtm_no_alloc_exit()
 *   (nestable) every allocation, from any instance, is a fault.
 * - Failure injection: make the Nth allocation, or every Nth, fail as if
 *   memory had run out, so error paths can be tested.
 * - Observer: one function that sees every alloc/free/realloc/failure event,
 *   when the library is built with RTMEM_CFG_EVENTS=1 (trace recorder, leak
 *   tracker).
 *
 * The allocation path pays one load and one branch for all of the gates while
 * none is armed.
 */
#ifndef RTMEM_HOOKS_H
#define RTMEM_HOOKS_H

#include "rtmem/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Seal the instance whose fault state is `f` (every instance has one as its
 * member `fault`: rtm_seal(&heap.fault)). Later allocations are refused with
 * RTM_ERR_SEALED, a fault hook call, and count as failed. O(1). NULL: ignored. */
void rtm_seal(rtm_fault_t *f);
/* Undo rtm_seal(). O(1). NULL: ignored. */
void rtm_unseal(rtm_fault_t *f);
/* True if the instance is sealed. O(1). NULL: false. */
bool rtm_is_sealed(const rtm_fault_t *f);

/* Seal for one owner only (a task or module id, see rtm_owner_current()):
 * later allocations from the instance whose fault state is `f` (f NULL:
 * from every instance) made while the current owner is `owner` are refused
 * with RTM_ERR_SEALED and a fault hook call on the instance; other owners
 * allocate as before. Up to RTM_SEAL_OWNERS (instance, owner) pairs at once.
 * O(RTM_SEAL_OWNERS), and the allocation gate then pays
 * O(RTM_SEAL_OWNERS) in its slow path. Returns RTM_OK (also if already
 * sealed), RTM_ERR_ARG (owner RTM_OWNER_NONE), RTM_ERR_NO_MEMORY (the set
 * is full). */
rtm_err_t rtm_seal_owner(rtm_fault_t *f, rtm_owner_t owner);
/* Undo rtm_seal_owner(f, owner) (the same f). O(RTM_SEAL_OWNERS). A pair
 * that is not sealed (or RTM_OWNER_NONE): nothing done. */
void rtm_unseal_owner(rtm_fault_t *f, rtm_owner_t owner);
/* True if allocations by `owner` from the instance `f` are refused by an
 * owner seal (for f itself or for every instance). O(RTM_SEAL_OWNERS). */
bool rtm_is_owner_sealed(const rtm_fault_t *f, rtm_owner_t owner);
/* RTM_SEAL_OWNERS: an option of rtmem/config.h. */

/* Enter / leave a section in which any allocation from any instance is
 * refused with RTM_ERR_SEALED. Nestable (a counter); an exit without an
 * enter is ignored. Global to the program: enter it in the task that runs
 * the time-critical code. O(1). */
void rtm_no_alloc_enter(void);
void rtm_no_alloc_exit(void);
/* Current nesting depth of no-alloc sections. O(1). Never fails. */
unsigned rtm_no_alloc_depth(void);

/* Failure injection: after `skip` more allocations succeed, fail the next
 * one, then every `every`-th one after it (every = 0: fail only once). An
 * injected failure looks like exhaustion (NULL, counted as a failed
 * allocation) and calls no fault hook.
 * rtm_inject_off() disarms. Counts every gated allocation of every instance.
 * O(1). */
void rtm_inject_fail(uint32_t skip, uint32_t every);
void rtm_inject_off(void);
/* Failures injected since the last rtm_inject_fail(). O(1). Never fails. */
uint32_t rtm_inject_count(void);

/* Allocation events (RTMEM_CFG_EVENTS=1). */
typedef enum rtm_ev_kind {
    RTM_EV_ALLOC = 0,   /* ptr = new block, size = bytes asked for */
    RTM_EV_FREE = 1,    /* ptr = block freed */
    RTM_EV_REALLOC = 2, /* ptr = new block, old = previous block, size = new size */
    RTM_EV_FAIL = 3     /* an allocation of `size` bytes returned NULL */
} rtm_ev_kind_t;

typedef void (*rtm_observer_fn)(void *user, rtm_ev_kind_t kind, const void *obj,
                                const void *ptr, const void *old, size_t size);

/* Install the one observer (NULL removes it). Returns RTM_ERR_NOT_SUPPORTED
 * when the library was built with RTMEM_CFG_EVENTS=0. O(1). */
rtm_err_t rtm_observer_set(rtm_observer_fn fn, void *user);

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_HOOKS_H */
