/*
 * The points at which every allocator reports to the rest of the library.
 *
 * RTM_GATE(fault, obj, size): every allocating entry point (alloc, calloc,
 * realloc that grows or moves, aligned alloc, pool take) evaluates it first;
 * when it is true the call must return its failure value at once (NULL, or the
 * error code) without touching the allocator: the gate has already raised the
 * fault on `fault` and counted it. On the normal path (nothing sealed, no
 * no-alloc section, no failure injection armed) it costs one load and one
 * branch: rtm_gate_word_ is non-zero only while some gate is armed anywhere,
 * and only then does rtm_gate_slow_() look at the instance.
 *
 * RTM_EVENT(kind, obj, ptr, old, size): reports an allocation event to the one
 * global observer (trace recorder, leak tracker). `obj` is the instance, `ptr`
 * the block (NULL for RTM_EV_FAIL), `old` the previous block of a realloc
 * (else NULL), `size` the size asked for (0 for a free). Compiled in only when
 * RTMEM_CFG_EVENTS=1, so it costs nothing when off; then, with no observer
 * installed, one load and one branch.
 */
#ifndef RTMEM_RTM_HOOKS_H
#define RTMEM_RTM_HOOKS_H

#include "rtmem/common.h"
#include "rtmem/hooks.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Non-zero while any gate is armed (a sealed instance, a no-alloc section,
 * failure injection): the allocation paths test only this word. It lives in
 * common.c, so that an allocator does not link the gate's machinery. */
extern volatile uint32_t rtm_gate_word_;

/* The slow half of the gate (hooks.c): true = refuse (fault raised on `f`).
 * O(1). A weak reference: only the functions that arm a gate (rtm_seal,
 * rtm_no_alloc_enter, rtm_inject_fail, ...) live beside it, so a firmware
 * that never calls them does not link it; and then the word stays 0 and the
 * call is never reached. Compilers without weak references link it always. */
#if defined(__GNUC__)
__attribute__((weak))
#endif
bool rtm_gate_slow_(rtm_fault_t *f, const void *obj, size_t size);

#define RTM_GATE(f, obj, size) \
    (rtm_gate_word_ != 0u && rtm_gate_slow_((f), (obj), (size)))

#if RTMEM_CFG_EVENTS
extern rtm_observer_fn rtm_observer_;
/* A free event may report a block that the C library has already taken
 * back (heap_3): only the pointer's value is passed, which GCC 12's
 * -Wuse-after-free cannot tell from a use, so it is silenced here alone. */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#define RTM_EVENT_UAF_OFF_ _Pragma("GCC diagnostic push") \
    _Pragma("GCC diagnostic ignored \"-Wuse-after-free\"")
#define RTM_EVENT_UAF_ON_ _Pragma("GCC diagnostic pop")
#else
#define RTM_EVENT_UAF_OFF_
#define RTM_EVENT_UAF_ON_
#endif
#define RTM_EVENT(kind, obj, ptr, old, size)                               \
    do {                                                                   \
        rtm_observer_fn o_ = rtm_observer_;                                \
        if (o_ != NULL) {                                                  \
            RTM_EVENT_UAF_OFF_                                             \
            o_(rtm_observer_user_, (kind), (obj), (ptr), (old), (size));  \
            RTM_EVENT_UAF_ON_                                              \
        }                                                                  \
    } while (0)
extern void *rtm_observer_user_;
#else
#define RTM_EVENT(kind, obj, ptr, old, size) ((void)0)
#endif

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_RTM_HOOKS_H */
