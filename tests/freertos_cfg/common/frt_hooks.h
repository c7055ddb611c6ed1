/* Test-side FreeRTOS hooks (frt_hooks.c): counters the tests read and reset. */
#ifndef FRT_HOOKS_H
#define FRT_HOOKS_H

#include <stdint.h>

extern volatile int frt_malloc_failed_calls; /* vApplicationMallocFailedHook */
extern volatile int frt_assert_calls;        /* configASSERT failures */
extern volatile int frt_canary_calls;        /* vApplicationGetRandomHeapCanary */
extern uintptr_t frt_canary_value;           /* the canary handed out */

void frt_hooks_clear(void);

#endif /* FRT_HOOKS_H */
