/* Correct rtm_heap4 use: `gcc -fanalyzer` must report nothing here. */
#include "rtmem/heap4.h"

int heap4_clean(rtm_heap4_t *h);
void *heap4_handed_on(rtm_heap4_t *h);

int heap4_clean(rtm_heap4_t *h)
{
    int *p = rtm_heap4_alloc(h, 4 * sizeof *p);
    if (p == NULL) {
        return -1;
    }
    int *q = rtm_heap4_calloc(h, 2, sizeof *q);
    if (q == NULL) {
        (void)rtm_heap4_free(h, p);
        return -1;
    }
    p[0] = 1;
    q[1] = p[0];
    int r = q[1];
    (void)rtm_heap4_free(h, q);
    (void)rtm_heap4_free(h, p);
    return r;
}

/* ownership passed to the caller: not a leak */
void *heap4_handed_on(rtm_heap4_t *h)
{
    return rtm_heap4_alloc(h, 16);
}
