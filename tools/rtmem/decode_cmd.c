/* rtmem decode: a binary or mtrace trace to trace v1 text (decode.h). */
#include <errno.h>
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
            static const char *const valued[] = { "-o", NULL };
            return cli_bad_arg("decode", argv[i], valued);
        }
    }
    if (!in) {
        fprintf(stderr, "usage: rtmem decode IN [-o OUT]\n");
        return 2;
    }
    size_t len = 0;
    uint8_t *data = decode_read_all(in, &len);
    if (!data) {
        fprintf(stderr, "rtmem decode: cannot read %s: %s\n", in, strerror(errno));
        return 1;
    }
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
