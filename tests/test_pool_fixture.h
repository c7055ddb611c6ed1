/* Shared fixture of the single-threaded rtm_pool tests (test_pool.c,
 * test_pool_random.c): a fault hook that records the last fault, the
 * integrity check as an assertion, and the white-box link word. */
#ifndef TEST_POOL_FIXTURE_H
#define TEST_POOL_FIXTURE_H

#include <stdint.h>

#include "rtmem/pool.h"

/* White-box: the word a listed block holds for a link to block i (pool.c:
 * the index XOR the pool's key). */
static inline uint32_t link_word(const rtm_pool_t *p, uint32_t i)
{
    return i ^ ((uint32_t)(uintptr_t)p->base ^ 0x5A5A5A5Au);
}

static int g_faults;
static rtm_err_t g_reason;
static const void *g_ptr;

static inline void hook(void *user, rtm_err_t reason, const void *obj, const void *ptr)
{
    (void)user;
    (void)obj;
    g_faults++;
    g_reason = reason;
    g_ptr = ptr;
}

static inline void reset_faults(void)
{
    g_faults = 0;
    g_reason = RTM_OK;
    g_ptr = NULL;
}

static inline void assert_ok(const rtm_pool_t *p)
{
    rtm_check_t r;
    rtm_err_t e = rtm_pool_check(p, &r);
    if (e != RTM_OK) {
        fail_msg("pool check: %s", r.what);
    }
}

#endif /* TEST_POOL_FIXTURE_H */
