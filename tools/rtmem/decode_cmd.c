/* rtmem decode: a binary or mtrace trace to trace v1 text (decode.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "decode.h"

int cmd_decode(int argc, char **argv)
{
    const char *in = NULL, *out = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else if (argv[i][0] != '-' && !in) {
            in = argv[i];
        } else {
            fprintf(stderr, "rtmem decode: unknown option or missing value '%s'\n", argv[i]);
            return 2;
        }
    }
    if (!in) {
        fprintf(stderr, "usage: rtmem decode IN [-o OUT]\n");
        return 2;
    }
    FILE *f = fopen(in, "rb");
    if (!f) {
        fprintf(stderr, "rtmem decode: cannot open %s\n", in);
        return 1;
    }
    size_t len = 0, cap = 0;
    uint8_t *data = NULL;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2u : 65536u;
            uint8_t *nd = realloc(data, cap);
            if (!nd) {
                free(data);
                fclose(f);
                fprintf(stderr, "rtmem decode: out of memory\n");
                return 1;
            }
            data = nd;
        }
        size_t r = fread(data + len, 1, cap - len, f);
        if (r == 0u) {
            break;
        }
        len += r;
    }
    fclose(f);
    FILE *o = out ? fopen(out, "w") : stdout;
    if (!o) {
        free(data);
        fprintf(stderr, "rtmem decode: cannot write %s\n", out);
        return 1;
    }
    char err[200];
    trace_writer_t st;
    int rc = decode_to_text(data, len, o, &st, err, sizeof err);
    free(data);
    if (out) {
        fclose(o);
    }
    if (rc != 0) {
        fprintf(stderr, "rtmem decode: %s: %s\n", in, err);
        return 1;
    }
    fprintf(stderr, "rtmem decode: %zu events, %zu failed allocations, %zu records lost, "
            "%zu blocks live at the end\n", st.events, st.failed, st.lost, st.count);
    return 0;
}
