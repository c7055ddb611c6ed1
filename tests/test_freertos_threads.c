/*
 * Four threads call the FreeRTOS heap API at once through the posix port
 * (label "threads": also run under ThreadSanitizer). Each thread keeps its
 * own blocks filled with a pattern of its own and checks it before freeing;
 * the queries run concurrently with the allocations. At the end every block
 * is back: the counters balance and the heap passes its check.
 */
#include <pthread.h>

#include "frt_expect.h"
#include "test_threads_util.h"

#define THREADS 4
#define OPS 20000
#define SLOTS 16

static size_t g_initial_free;

static uint32_t next_rand(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static void *worker(void *arg)
{
    uint8_t id = (uint8_t)(uintptr_t)arg;
    uint32_t seed = 0x9e3779b9u * (uint32_t)(id + 1u);
    uint8_t *blk[SLOTS] = {0};
    size_t len[SLOTS] = {0};
    uintptr_t bad = 0;
    for (int op = 0; op < OPS; op++) {
        uint32_t r = next_rand(&seed);
        size_t i = r % SLOTS;
        if (blk[i] != NULL) {
            for (size_t k = 0; k < len[i]; k++) {
                bad += blk[i][k] != (uint8_t)(id ^ k);
            }
            vPortFree(blk[i]);
            blk[i] = NULL;
        } else {
            len[i] = 1u + (r >> 8) % 300u;
            blk[i] = (r & 0x80u) ? pvPortCalloc(1, len[i]) : pvPortMalloc(len[i]);
            if (blk[i] != NULL) {
                for (size_t k = 0; k < len[i]; k++) {
                    blk[i][k] = (uint8_t)(id ^ k);
                }
            }
        }
        if ((r & 0x3ffu) == 0u) {
            HeapStats_t s;
            vPortGetHeapStats(&s);
            bad += s.xMinimumEverFreeBytesRemaining > s.xAvailableHeapSpaceInBytes;
            (void)xPortGetFreeHeapSize();
            (void)xPortGetMinimumEverFreeHeapSize();
        }
    }
    for (size_t i = 0; i < SLOTS; i++) {
        vPortFree(blk[i]);
    }
    return (void *)bad;
}

static void test_four_threads(void **state)
{
    (void)state;
    vPortFree(pvPortMalloc(8)); /* set the heap up */
    g_initial_free = xPortGetFreeHeapSize();
    run_workers(worker, THREADS);
    HeapStats_t s;
    vPortGetHeapStats(&s);
    assert_int_equal(s.xNumberOfSuccessfulAllocations, s.xNumberOfSuccessfulFrees);
    assert_int_equal(xPortGetFreeHeapSize(), g_initial_free);
    rtm_check_t r;
    assert_int_equal(rtm_freertos_heap_check(&r), RTM_OK);
    assert_int_equal(rtm_freertos_heap_faults(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_four_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
