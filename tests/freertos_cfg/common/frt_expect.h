/*
 * Expected numbers for the FreeRTOS-layer tests, from the upstream layout
 * rules (FreeRTOS-Kernel V11 heap_2/4/5): A = portBYTE_ALIGNMENT, the block
 * header H = sizeof(BlockLink_t) (two pointers) rounded up to A, a request
 * of n bytes takes NEED(n) = round_up(n + H, A), a block is split only when
 * the rest is larger than 2H, and vPortGetHeapStats starts its smallest
 * block at portMAX_DELAY.
 */
#ifndef FRT_EXPECT_H
#define FRT_EXPECT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "frt_hooks.h"
#include "rtmem/freertos_heap.h"

#define A ((size_t)portBYTE_ALIGNMENT)
#define H ((2u * sizeof(void *) + A - 1u) & ~(A - 1u))
#define ROUND_UP(x) (((size_t)(x) + A - 1u) & ~(A - 1u))
#define ROUND_DOWN(x) ((size_t)(x) & ~(A - 1u))
#define NEED(n) ROUND_UP((size_t)(n) + H)
#define MAXD ((size_t)portMAX_DELAY)

/* Every xPortGet... and HeapStats_t number at once; the integrity check of
 * the global heap must pass too. */
static inline void frt_expect(size_t avail, size_t largest, size_t smallest, size_t blocks,
                              size_t min_ever, size_t allocs, size_t frees, const char *file,
                              int line)
{
    HeapStats_t s;
    memset(&s, 0xa5, sizeof(s));
    vPortGetHeapStats(&s);
    _assert_int_equal(s.xAvailableHeapSpaceInBytes, avail, file, line);
    _assert_int_equal(s.xSizeOfLargestFreeBlockInBytes, largest, file, line);
    _assert_int_equal(s.xSizeOfSmallestFreeBlockInBytes, smallest, file, line);
    _assert_int_equal(s.xNumberOfFreeBlocks, blocks, file, line);
    _assert_int_equal(s.xMinimumEverFreeBytesRemaining, min_ever, file, line);
    _assert_int_equal(s.xNumberOfSuccessfulAllocations, allocs, file, line);
    _assert_int_equal(s.xNumberOfSuccessfulFrees, frees, file, line);
    _assert_int_equal(xPortGetFreeHeapSize(), avail, file, line);
    _assert_int_equal(xPortGetMinimumEverFreeHeapSize(), min_ever, file, line);
    rtm_check_t r;
    _assert_int_equal((uintmax_t)(intmax_t)rtm_freertos_heap_check(&r), 0, file, line);
}
#define EXPECT(avail, largest, smallest, blocks, min_ever, allocs, frees) \
    frt_expect(avail, largest, smallest, blocks, min_ever, allocs, frees, __FILE__, __LINE__)

#define ASSERT_ALIGNED(p) assert_int_equal((uintptr_t)(p) & (A - 1u), 0)

/* The set-up of every test: an untouched heap (as before the first
 * pvPortMalloc) and no hook calls seen. */
static inline int frt_fresh(void **state)
{
    (void)state;
    vPortHeapResetState();
    frt_hooks_clear();
    return 0;
}

#endif /* FRT_EXPECT_H */
