/*
 * Trace text helpers shared by the trace tests (test_trace_rec.c, and the
 * host half of the target trace test, target/trace_check.c).
 */
#ifndef TRACE_TEXT_H
#define TRACE_TEXT_H

#include <stdlib.h>
#include <string.h>

/* The event lines of a trace text, comments dropped: a malloc'd copy (NULL
 * when malloc fails) for the caller to free. */
static inline char *events_only(const char *text)
{
    char *out = malloc(strlen(text) + 1u);
    size_t o = 0;
    if (out == NULL) {
        return NULL;
    }
    for (const char *l = text; *l != '\0';) {
        const char *e = strchr(l, '\n');
        size_t n = e ? (size_t)(e - l) + 1u : strlen(l);
        if (l[0] != '#') {
            memcpy(out + o, l, n);
            o += n;
        }
        l += n;
    }
    out[o] = '\0';
    return out;
}

#endif /* TRACE_TEXT_H */
