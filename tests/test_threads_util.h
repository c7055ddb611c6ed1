/*
 * Shared by the allocator thread tests (test_freertos_threads.c,
 * test_heap3_threads.c): run a worker on several threads at once.
 */
#ifndef TEST_THREADS_UTIL_H
#define TEST_THREADS_UTIL_H

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define RUN_WORKERS_MAX 16u

/* Start fn((void *)i) on n threads, i = 0..n-1, and join them all; each
 * must return NULL (a worker returns the number of problems it saw as a
 * pointer). */
static inline void run_workers(void *(*fn)(void *), uintptr_t n)
{
    pthread_t t[RUN_WORKERS_MAX];
    assert_true(n <= RUN_WORKERS_MAX);
    for (uintptr_t i = 0; i < n; i++) {
        assert_int_equal(pthread_create(&t[i], NULL, fn, (void *)i), 0);
    }
    for (uintptr_t i = 0; i < n; i++) {
        void *bad = NULL;
        assert_int_equal(pthread_join(t[i], &bad), 0);
        assert_null(bad);
    }
}

#endif /* TEST_THREADS_UTIL_H */
