/* rtm_heap4 misuse that `gcc -fanalyzer` must report through rtmem/attrs.h.
 * Each function is one sample; the line of each expected diagnostic carries
 * an "expect:" comment (tests/analyzer/check.py compares both ways). */
#include "rtmem/heap4.h"

void heap4_leak(rtm_heap4_t *h);
void heap4_double_free(rtm_heap4_t *h);
int heap4_use_after_free(rtm_heap4_t *h);
void heap4_calloc_leak(rtm_heap4_t *h);

void heap4_leak(rtm_heap4_t *h)
{
    char *p = rtm_heap4_alloc(h, 32);
    if (p != NULL) {
        p[0] = 'x';
    }
} /* expect: -Wanalyzer-malloc-leak */

void heap4_double_free(rtm_heap4_t *h)
{
    void *p = rtm_heap4_alloc(h, 32);
    (void)rtm_heap4_free(h, p);
    (void)rtm_heap4_free(h, p); /* expect: -Wanalyzer-double-free */
}

int heap4_use_after_free(rtm_heap4_t *h)
{
    int *p = rtm_heap4_alloc(h, sizeof *p);
    if (p == NULL) {
        return 0;
    }
    *p = 1;
    (void)rtm_heap4_free(h, p);
    return *p; /* expect: -Wanalyzer-use-after-free */
}

void heap4_calloc_leak(rtm_heap4_t *h)
{
    char *p = rtm_heap4_calloc(h, 4, 8);
    if (p != NULL) {
        p[1] = 'x';
    }
} /* expect: -Wanalyzer-malloc-leak */
