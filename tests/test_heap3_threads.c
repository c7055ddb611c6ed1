/*
 * rtm_heap3 shared by four threads (label "threads", also run under
 * ThreadSanitizer): malloc/free and the counters are updated inside the
 * port's critical section, so the counts balance at the end.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "rtmem/heap3.h"
#include "test_threads_util.h"

#define THREADS 4
#define OPS 20000

static rtm_heap3_t g_heap;

static void *worker(void *arg)
{
    uint32_t s = 0x1234567u * (uint32_t)((uintptr_t)arg + 1u);
    uint8_t *blk[8] = {0};
    uintptr_t bad = 0;
    for (int op = 0; op < OPS; op++) {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        size_t i = s % 8u;
        if (blk[i] != NULL) {
            bad += blk[i][0] != (uint8_t)(uintptr_t)arg;
            bad += rtm_heap3_free(&g_heap, blk[i]) != RTM_OK;
            blk[i] = NULL;
        } else {
            blk[i] = rtm_heap3_alloc(&g_heap, 1u + s % 200u);
            if (blk[i] == NULL) {
                bad++;
            } else {
                blk[i][0] = (uint8_t)(uintptr_t)arg;
            }
        }
        if ((s & 0xffu) == 0u) {
            rtm_stats_t st;
            rtm_heap3_stats(&g_heap, &st);
            bad += st.free_count > st.alloc_count;
        }
    }
    for (size_t i = 0; i < 8; i++) {
        if (blk[i] != NULL) {
            bad += rtm_heap3_free(&g_heap, blk[i]) != RTM_OK;
        }
    }
    return (void *)bad;
}

static void test_four_threads(void **state)
{
    (void)state;
    assert_int_equal(rtm_heap3_init(&g_heap), RTM_OK);
    run_workers(worker, THREADS);
    rtm_stats_t s;
    rtm_heap3_stats(&g_heap, &s);
    assert_int_equal(s.alloc_count, s.free_count);
    assert_int_equal(s.used_blocks, 0);
    rtm_check_t r;
    assert_int_equal(rtm_heap3_check(&g_heap, &r), RTM_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_four_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
