/*
 * A host program recorded with glibc's malloc tracing (mtrace), for the
 * test_mtrace_glibc CTest: `rtmem replay` must read its log as a trace.
 * 40 mallocs, 10 reallocs, 35 frees: 5 blocks stay live.
 */
#include <mcheck.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    char *p[40];
    mtrace();
    for (int i = 0; i < 40; i++) {
        p[i] = malloc((size_t)(16 + 24 * i));
        if (p[i] != NULL) {
            memset(p[i], i, (size_t)(16 + 24 * i));
        }
    }
    for (int i = 0; i < 10; i++) {
        char *q = realloc(p[i], (size_t)(2000 + i));
        if (q != NULL) {
            p[i] = q;
        }
    }
    for (int i = 0; i < 35; i++) {
        free(p[i]);
    }
    muntrace();
    return 0;
}
