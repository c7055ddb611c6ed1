/* Correct pvPortMalloc / vPortFree use: `gcc -fanalyzer` must report nothing. */
#include "rtmem/freertos_heap.h"

int frt_clean(void);

int frt_clean(void)
{
    int *p = pvPortMalloc(4 * sizeof *p);
    if (p == NULL) {
        return -1;
    }
    int *q = pvPortCalloc(2, sizeof *q);
    if (q == NULL) {
        vPortFree(p);
        return -1;
    }
    p[0] = 5;
    q[0] = p[0];
    int r = q[0];
    vPortFree(p);
    vPortFree(q);
    vPortFree(NULL);
    return r;
}
