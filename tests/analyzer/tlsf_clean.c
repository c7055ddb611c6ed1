/* Correct rtm_tlsf use: `gcc -fanalyzer` must report nothing here. */
#include "rtmem/tlsf.h"

int tlsf_clean(rtm_tlsf_t *t);

int tlsf_clean(rtm_tlsf_t *t)
{
    int *p = rtm_tlsf_alloc(t, 4 * sizeof *p);
    if (p == NULL) {
        return -1;
    }
    p[0] = 3;
    int *q = rtm_tlsf_realloc(t, p, 64 * sizeof *q);
    if (q == NULL) {
        (void)rtm_tlsf_free(t, p);
        return -1;
    }
    char *a = rtm_tlsf_aligned_alloc(t, 32, 10);
    if (a != NULL) {
        a[0] = (char)q[0];
        (void)rtm_tlsf_free(t, a);
    }
    int r = q[0];
    (void)rtm_tlsf_free(t, q);
    return r;
}
