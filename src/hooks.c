/*
 * Seal, no-alloc sections, failure injection and the event observer: the
 * global state behind RTM_GATE and RTM_EVENT (src/rtm_hooks.h).
 *
 * The allocation paths read only rtm_gate_word_ (defined in common.c); it
 * holds one bit per armed gate kind, so the common case (nothing armed) is
 * one load and one branch. Only this file writes it, so it is non-zero only
 * where this file (and with it rtm_gate_slow_) is linked. Sealed instances
 * are counted, so the word stays set while any is sealed.
 */
#include "rtm_hooks.h"

#define GATE_SEALED 0x1u
#define GATE_NOALLOC 0x2u
#define GATE_INJECT 0x4u
#define GATE_OWNER 0x8u

static uint32_t sealed_count;
static unsigned noalloc_depth;
static uint32_t inject_skip, inject_every, inject_hits;

static void gate_set(uint32_t bit, bool on)
{
    uint32_t w = rtm_gate_word_;
    rtm_gate_word_ = on ? (w | bit) : (w & ~bit);
}

void rtm_seal(rtm_fault_t *f)
{
    if (f == NULL || (f->flags & RTM_INST_SEALED) != 0u) {
        return;
    }
    f->flags = (uint16_t)(f->flags | RTM_INST_SEALED);
    sealed_count++;
    gate_set(GATE_SEALED, true);
}

void rtm_unseal(rtm_fault_t *f)
{
    if (f == NULL || (f->flags & RTM_INST_SEALED) == 0u) {
        return;
    }
    f->flags = (uint16_t)(f->flags & ~RTM_INST_SEALED);
    sealed_count--;
    gate_set(GATE_SEALED, sealed_count != 0u);
}

bool rtm_is_sealed(const rtm_fault_t *f)
{
    return f != NULL && (f->flags & RTM_INST_SEALED) != 0u;
}

/* Owner seals: (instance, owner) pairs, instance NULL = every instance.
 * A free slot has owner RTM_OWNER_NONE. */
static struct {
    const rtm_fault_t *f;
    rtm_owner_t owner;
} sealed_owners[RTM_SEAL_OWNERS];
static unsigned sealed_owner_count;

/* Unrolled: the gate's slow path stays a straight line whose longest path
 * `make paths` can bound (it refuses any loop). */
static int owner_slot(const rtm_fault_t *f, rtm_owner_t owner)
{
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC unroll 8
#endif
    for (unsigned i = 0; i < RTM_SEAL_OWNERS; i++) {
        if (sealed_owners[i].owner == owner && sealed_owners[i].f == f) {
            return (int)i;
        }
    }
    return -1;
}

rtm_err_t rtm_seal_owner(rtm_fault_t *f, rtm_owner_t owner)
{
    if (owner == RTM_OWNER_NONE) {
        return RTM_ERR_ARG;
    }
    if (owner_slot(f, owner) >= 0) {
        return RTM_OK;
    }
    int i = owner_slot(NULL, RTM_OWNER_NONE);
    if (i < 0) {
        return RTM_ERR_NO_MEMORY;
    }
    sealed_owners[i].f = f;
    sealed_owners[i].owner = owner;
    sealed_owner_count++;
    gate_set(GATE_OWNER, true);
    return RTM_OK;
}

void rtm_unseal_owner(rtm_fault_t *f, rtm_owner_t owner)
{
    int i = owner == RTM_OWNER_NONE ? -1 : owner_slot(f, owner);
    if (i < 0) {
        return;
    }
    sealed_owners[i].f = NULL;
    sealed_owners[i].owner = RTM_OWNER_NONE;
    sealed_owner_count--;
    gate_set(GATE_OWNER, sealed_owner_count != 0u);
}

bool rtm_is_owner_sealed(const rtm_fault_t *f, rtm_owner_t owner)
{
    if (owner == RTM_OWNER_NONE) {
        return false;
    }
    return owner_slot(NULL, owner) >= 0 || (f != NULL && owner_slot(f, owner) >= 0);
}

void rtm_no_alloc_enter(void)
{
    noalloc_depth++;
    gate_set(GATE_NOALLOC, true);
}

void rtm_no_alloc_exit(void)
{
    if (noalloc_depth == 0u) {
        return;
    }
    noalloc_depth--;
    gate_set(GATE_NOALLOC, noalloc_depth != 0u);
}

unsigned rtm_no_alloc_depth(void)
{
    return noalloc_depth;
}

void rtm_inject_fail(uint32_t skip, uint32_t every)
{
    inject_skip = skip;
    inject_every = every;
    inject_hits = 0;
    gate_set(GATE_INJECT, true);
}

void rtm_inject_off(void)
{
    gate_set(GATE_INJECT, false);
}

uint32_t rtm_inject_count(void)
{
    return inject_hits;
}

/* One gated allocation under injection: true = this one fails. */
static bool inject_step(void)
{
    if (inject_skip != 0u) {
        inject_skip--;
        return false;
    }
    inject_hits++;
    if (inject_every == 0u) {
        gate_set(GATE_INJECT, false);
    } else {
        inject_skip = inject_every - 1u;
    }
    return true;
}

bool rtm_gate_slow_(rtm_fault_t *f, const void *obj, size_t size)
{
    uint32_t w = rtm_gate_word_;
    (void)size;
    if ((w & GATE_NOALLOC) != 0u || (f->flags & RTM_INST_SEALED) != 0u ||
        ((w & GATE_OWNER) != 0u && rtm_is_owner_sealed(f, rtm_owner_current()))) {
        (void)rtm_fault_raise(f, RTM_ERR_SEALED, obj, NULL);
        return true;
    }
    /* an injected failure stands for running out of memory: the caller
     * sees NULL, but nothing was wrong, so no fault is raised */
    return (w & GATE_INJECT) != 0u && inject_step();
}

#if RTMEM_CFG_EVENTS
rtm_observer_fn rtm_observer_;
void *rtm_observer_user_;

rtm_err_t rtm_observer_set(rtm_observer_fn fn, void *user)
{
    rtm_observer_ = NULL; /* never call a new function with the old user */
    rtm_observer_user_ = user;
    rtm_observer_ = fn;
    return RTM_OK;
}
#else
rtm_err_t rtm_observer_set(rtm_observer_fn fn, void *user)
{
    (void)fn;
    (void)user;
    return RTM_ERR_NOT_SUPPORTED;
}
#endif
