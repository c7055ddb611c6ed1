/* pvPortMalloc / vPortFree misuse that `gcc -fanalyzer` must report (see
 * heap4_mistakes.c); the FreeRTOSConfig.h is tests/freertos_cfg/heap4's. */
#include "rtmem/freertos_heap.h"
#include "rtmem/pool.h"

void frt_leak(void);
void frt_double_free(void);
int frt_use_after_free(void);
void frt_pool_block_to_vPortFree(rtm_pool_t *p);

void frt_leak(void)
{
    char *p = pvPortMalloc(24);
    if (p != NULL) {
        p[0] = 'x';
    }
} /* expect: -Wanalyzer-malloc-leak */

void frt_double_free(void)
{
    void *p = pvPortCalloc(3, 8);
    vPortFree(p);
    vPortFree(p); /* expect: -Wanalyzer-double-free */
}

int frt_use_after_free(void)
{
    int *p = pvPortMalloc(sizeof *p);
    if (p == NULL) {
        return 0;
    }
    *p = 1;
    vPortFree(p);
    return *p; /* expect: -Wanalyzer-use-after-free */
}

void frt_pool_block_to_vPortFree(rtm_pool_t *p)
{
    void *b = rtm_pool_alloc(p);
    vPortFree(b); /* expect: -Wanalyzer-mismatching-deallocation */
}
