/*
 * The scheme-adapter table: every allocator the tool measures, behind one set
 * of function pointers, so that each command loops over schemes without
 * per-scheme code. Built-in schemes are compiled in when their module header
 * exists (RTM_TOOL_HAVE_<X>, set by tools/rtmem/detect.cmake); the system
 * malloc is always there as the reference; plugins (bench_plugin.h) are
 * appended at run time.
 */
#ifndef RTM_TOOL_SCHEMES_H
#define RTM_TOOL_SCHEMES_H

#include <stdbool.h>
#include <stddef.h>

#include "rtmem/common.h"

enum {
    SCHEME_ARENA = 1u << 0,          /* works inside the given arena: failures and sizes mean something */
    SCHEME_NATIVE_REALLOC = 1u << 1, /* realloc is the scheme's own, not alloc+copy+free */
    SCHEME_NO_FREE = 1u << 2,        /* free never returns memory (heap_1) */
    SCHEME_PLUGIN = 1u << 3,         /* loaded with --plugin */
    SCHEME_REFERENCE = 1u << 4       /* the system malloc: the denominator of the ratios */
};

typedef struct scheme {
    char name[40];
    char desc[96];
    unsigned flags;
    /* Set up an instance over [arena, arena + size); NULL on failure. */
    void *(*init)(const struct scheme *s, void *arena, size_t size);
    void *(*alloc)(void *st, size_t n);
    int (*free)(void *st, void *p); /* 0 = freed */
    void *(*realloc)(void *st, void *p, size_t n); /* NULL: emulated */
    bool (*stats)(void *st, rtm_stats_t *out);     /* NULL or false: not known */
    rtm_err_t (*check)(void *st, rtm_check_t *r);  /* NULL: the scheme has none */
    void (*fini)(void *st);
    const void *ctx; /* plugin descriptor */
} scheme_t;

/* All schemes: built-ins first, then loaded plugins. */
const scheme_t *schemes_all(size_t *count);
const scheme_t *scheme_find(const char *name);

/* Load a plugin and append it to the table. 0 on success, else -1 with a
 * reason in `err`. */
int schemes_load_plugin(const char *path, char *err, size_t errlen);

/* Resize through the scheme: native realloc, or alloc + copy min(old, n) +
 * free. Returns the new block or NULL (the old block is then still live). */
void *scheme_realloc(const scheme_t *s, void *st, void *p, size_t old_size, size_t n);

/* "native" or "emulated (alloc+copy+free)". */
const char *scheme_realloc_kind(const scheme_t *s);

/* The block-header sizes this binary was built with (what W3 depends on). */
const char *schemes_layout_note(void);

/* Comma-separated names of the built-in schemes compiled in. */
const char *schemes_builtin_names(void);

#endif
