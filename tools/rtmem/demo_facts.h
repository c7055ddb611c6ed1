/*
 * The demo's facts (scene.tsv, format in scene.h) and the memory report
 * printed from them, the table an engineer wants at the end of a test run.
 * Plain C and stdio: the host's `rtmem demo` and the emulated Cortex-M4's
 * target_demo print the same report.
 */
#ifndef RTM_TOOL_DEMO_FACTS_H
#define RTM_TOOL_DEMO_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define DEMO_MAX_FIELDS 10

typedef struct demo_line {
    char *f[DEMO_MAX_FIELDS]; /* f[0] the kind */
    size_t n;
} demo_line_t;

typedef struct demo_facts {
    demo_line_t *v;
    size_t n;
    char *text;               /* the file, split in place */
    unsigned expect_ok, expect_failed;
} demo_facts_t;

/* Read DIR/scene.tsv. 0 = ok. */
int demo_facts_load(demo_facts_t *d, const char *dir);
void demo_facts_release(demo_facts_t *d);

void demo_report_print(FILE *f, const demo_facts_t *d);

/* Split `text` (len bytes, NUL-terminated, from malloc; d owns it from
 * here) into lines and fields. 0 = ok. */
int demo_facts_parse(demo_facts_t *d, char *text, size_t len);

/* Field i of a line ("" past the end), as a number, and the line's kind. */
const char *demo_fld(const demo_line_t *l, size_t i);
double demo_num(const demo_line_t *l, size_t i);
bool demo_is(const demo_line_t *l, const char *kind);

#endif
