/* Shared helpers of the heap_2/4/5 tests: a recording fault hook and the
 * layout arithmetic the expected numbers are computed from. */
#ifndef TEST_HEAP_UTIL_H
#define TEST_HEAP_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "rtmem/heap5.h"

#define A ((size_t)RTMEM_CFG_HEAP_ALIGNMENT)
#define H RTM_FL_HEADER
#define MINB RTM_FL_MIN_BLOCK

typedef struct {
    int calls;
    rtm_err_t last;
    const void *ptr;
} fault_log_t;

static inline void log_fault(void *user, rtm_err_t reason, const void *obj, const void *ptr)
{
    fault_log_t *l = user;
    (void)obj;
    l->calls++;
    l->last = reason;
    l->ptr = ptr;
}

static inline uintptr_t up_a(uintptr_t x)
{
    return (x + A - 1u) & ~(uintptr_t)(A - 1u);
}

static inline uintptr_t down_a(uintptr_t x)
{
    return x & ~(uintptr_t)(A - 1u);
}

/* Bytes an allocation of n takes: round_up(n + H, A). */
static inline size_t charge(size_t n)
{
    return (size_t)up_a(n + H);
}

/* heap_4/heap_5 region: free bytes after init. */
static inline size_t region_free(uintptr_t m, size_t s)
{
    uintptr_t f = up_a(m);
    uintptr_t e = down_a(f + (s - (f - m)) - H);
    return (size_t)(e - f);
}

static inline int is_aligned(const void *p)
{
    return ((uintptr_t)p & (A - 1u)) == 0u;
}

#endif
