/* rtm_pool misuse that `gcc -fanalyzer` must report, and a pool block given
 * to a heap's free (see heap4_mistakes.c). */
#include "rtmem/heap4.h"
#include "rtmem/pool.h"
#include "rtmem/tlsf.h"

void pool_leak(rtm_pool_t *p);
void pool_double_free(rtm_pool_t *p);
int pool_use_after_free(rtm_pool_t *p);
void pool_block_to_heap4(rtm_pool_t *p, rtm_heap4_t *h);
void heap4_block_to_pool(rtm_pool_t *p, rtm_heap4_t *h);
void heap4_block_to_tlsf(rtm_heap4_t *h, rtm_tlsf_t *t);

void pool_leak(rtm_pool_t *p)
{
    char *b = rtm_pool_alloc(p);
    if (b != NULL) {
        b[0] = 'x';
    }
} /* expect: -Wanalyzer-malloc-leak */

void pool_double_free(rtm_pool_t *p)
{
    void *b = rtm_pool_calloc(p);
    (void)rtm_pool_free(p, b);
    (void)rtm_pool_free(p, b); /* expect: -Wanalyzer-double-free */
}

int pool_use_after_free(rtm_pool_t *p)
{
    int *b = rtm_pool_alloc(p);
    if (b == NULL) {
        return 0;
    }
    *b = 1;
    (void)rtm_pool_free(p, b);
    return *b; /* expect: -Wanalyzer-use-after-free */
}

void pool_block_to_heap4(rtm_pool_t *p, rtm_heap4_t *h)
{
    void *b = rtm_pool_alloc(p);
    (void)rtm_heap4_free(h, b); /* expect: -Wanalyzer-mismatching-deallocation */
}

void heap4_block_to_pool(rtm_pool_t *p, rtm_heap4_t *h)
{
    void *b = rtm_heap4_alloc(h, 8);
    (void)rtm_pool_free(p, b); /* expect: -Wanalyzer-mismatching-deallocation */
}

void heap4_block_to_tlsf(rtm_heap4_t *h, rtm_tlsf_t *t)
{
    void *b = rtm_heap4_alloc(h, 8);
    (void)rtm_tlsf_free(t, b); /* expect: -Wanalyzer-mismatching-deallocation */
}
