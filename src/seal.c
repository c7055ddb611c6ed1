/*
 * Seal by scheme and the auto-seal at scheduler start (rtmem/seal.h). Each
 * scheme keeps its fault state, which holds the seal flag, in its own place;
 * these names hide where, so the application never reaches into an instance.
 */
#include "rtmem/seal.h"

#define FAULT_OF(name, type, member)                \
    rtm_fault_t *rtm_##name##_fault_state(type *x)  \
    {                                               \
        return x == NULL ? NULL : &x->member;       \
    }                                               \
    void rtm_##name##_seal(type *x)                 \
    {                                               \
        rtm_seal(rtm_##name##_fault_state(x));      \
    }                                               \
    void rtm_##name##_unseal(type *x)               \
    {                                               \
        rtm_unseal(rtm_##name##_fault_state(x));    \
    }

FAULT_OF(heap1, rtm_heap1_t, fault)
FAULT_OF(heap2, rtm_heap2_t, fl.fault)
FAULT_OF(heap3, rtm_heap3_t, fault)
FAULT_OF(heap4, rtm_heap4_t, fl.fault)
FAULT_OF(heap5, rtm_heap5_t, fl.fault)
FAULT_OF(tlsf, rtm_tlsf_t, fault)
FAULT_OF(pool, rtm_pool_t, fault)

/* Instances to seal at start: a fixed table, so registering never allocates. */
static rtm_fault_t *at_start[RTM_SEAL_AT_START];
static bool started;

rtm_err_t rtm_seal_at_start_add(rtm_fault_t *f)
{
    if (f == NULL) {
        return RTM_ERR_NULL;
    }
    if (started) {
        rtm_seal(f);
        return RTM_ERR_STATE;
    }
    unsigned free_slot = RTM_SEAL_AT_START;
    for (unsigned i = 0; i < RTM_SEAL_AT_START; i++) {
        if (at_start[i] == f) {
            return RTM_OK;
        }
        if (at_start[i] == NULL && free_slot == RTM_SEAL_AT_START) {
            free_slot = i;
        }
    }
    if (free_slot == RTM_SEAL_AT_START) {
        return RTM_ERR_NO_MEMORY;
    }
    at_start[free_slot] = f;
    return RTM_OK;
}

void rtm_seal_at_start(void)
{
    started = true;
    for (unsigned i = 0; i < RTM_SEAL_AT_START; i++) {
        rtm_seal(at_start[i]); /* NULL: ignored */
    }
}

bool rtm_seal_started(void)
{
    return started;
}

void rtm_seal_at_start_reset(void)
{
    started = false;
    for (unsigned i = 0; i < RTM_SEAL_AT_START; i++) {
        at_start[i] = NULL;
    }
}
