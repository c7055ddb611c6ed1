/* Correct rtm_pool use, beside a heap: `gcc -fanalyzer` must report nothing. */
#include "rtmem/heap4.h"
#include "rtmem/pool.h"

int pool_clean(rtm_pool_t *p, rtm_heap4_t *h);

int pool_clean(rtm_pool_t *p, rtm_heap4_t *h)
{
    int *b = rtm_pool_alloc(p);
    if (b == NULL) {
        return -1;
    }
    int *c = rtm_heap4_alloc(h, sizeof *c);
    if (c == NULL) {
        (void)rtm_pool_free(p, b);
        return -1;
    }
    *b = 2;
    *c = *b;
    int r = *c;
    (void)rtm_heap4_free(h, c);
    (void)rtm_pool_free(p, b);
    return r;
}
