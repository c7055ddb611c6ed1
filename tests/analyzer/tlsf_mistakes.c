/* rtm_tlsf misuse that `gcc -fanalyzer` must report (see heap4_mistakes.c). */
#include "rtmem/tlsf.h"

void tlsf_leak(rtm_tlsf_t *t);
void tlsf_double_free(rtm_tlsf_t *t);
int tlsf_use_after_free(rtm_tlsf_t *t);
void tlsf_aligned_leak(rtm_tlsf_t *t);

void tlsf_leak(rtm_tlsf_t *t)
{
    char *p = rtm_tlsf_alloc(t, 40);
    if (p != NULL) {
        p[0] = 'x';
    }
} /* expect: -Wanalyzer-malloc-leak */

void tlsf_double_free(rtm_tlsf_t *t)
{
    void *p = rtm_tlsf_calloc(t, 2, 20);
    (void)rtm_tlsf_free(t, p);
    (void)rtm_tlsf_free(t, p); /* expect: -Wanalyzer-double-free */
}

int tlsf_use_after_free(rtm_tlsf_t *t)
{
    int *p = rtm_tlsf_alloc(t, sizeof *p);
    if (p == NULL) {
        return 0;
    }
    *p = 1;
    (void)rtm_tlsf_free(t, p);
    return *p; /* expect: -Wanalyzer-use-after-free */
}

void tlsf_aligned_leak(rtm_tlsf_t *t)
{
    char *p = rtm_tlsf_aligned_alloc(t, 64, 100);
    if (p != NULL) {
        p[0] = 'x';
    }
} /* expect: -Wanalyzer-malloc-leak */
