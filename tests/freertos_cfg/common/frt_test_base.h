/*
 * Settings shared by the FreeRTOS-layer test configurations: the test
 * binaries count malloc-failed hook calls and configASSERT failures instead
 * of halting (see frt_hooks.c). Each <name>/FreeRTOSConfig.h sets the scheme
 * and options, then includes this.
 */
#ifndef FRT_TEST_BASE_H
#define FRT_TEST_BASE_H

/* Overridden per test binary with DEFS portBYTE_ALIGNMENT=16 etc. */
#ifndef portBYTE_ALIGNMENT
#define portBYTE_ALIGNMENT 8
#endif

#ifndef configUSE_MALLOC_FAILED_HOOK
#define configUSE_MALLOC_FAILED_HOOK 1
#endif

void frt_test_assert_failed(const char *file, int line);
#define configASSERT(x)                                 \
    do {                                                \
        if (!(x)) {                                     \
            frt_test_assert_failed(__FILE__, __LINE__); \
        }                                               \
    } while (0)

#endif /* FRT_TEST_BASE_H */
