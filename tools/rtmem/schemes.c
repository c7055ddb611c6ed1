/* Scheme adapters: see schemes.h. */
#include "schemes.h"

#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtmem/bench_plugin.h"

#if RTM_TOOL_HAVE_HEAP1
#include "rtmem/heap1.h"
#endif
#if RTM_TOOL_HAVE_HEAP2
#include "rtmem/heap2.h"
#endif
#if RTM_TOOL_HAVE_HEAP3
#include "rtmem/heap3.h"
#endif
#if RTM_TOOL_HAVE_HEAP4
#include "rtmem/heap4.h"
#endif
#if RTM_TOOL_HAVE_HEAP5
#include "rtmem/heap5.h"
#endif
#if RTM_TOOL_HAVE_TLSF
#include "rtmem/tlsf.h"
#endif

/* The calls every rtmem scheme X shares: alloc, free, stats, check, fini.
 * Instances are malloc'd so the table holds no per-scheme storage. */
#define RTM_TOOL_ADAPT(X)                                                        \
    static void *X##_alloc(void *st, size_t n) { return rtm_##X##_alloc(st, n); } \
    static int X##_free(void *st, void *p) { return rtm_##X##_free(st, p) == RTM_OK ? 0 : -1; } \
    static bool X##_stats(void *st, rtm_stats_t *o) { rtm_##X##_stats(st, o); return true; } \
    static rtm_err_t X##_check(void *st, rtm_check_t *r) { return rtm_##X##_check(st, r); } \
    static void X##_fini(void *st) { free(st); }

/* Schemes whose init takes (instance, mem, size). AFTER(h) runs once the
 * instance is set up. */
#define RTM_TOOL_ADAPT_ARENA(X, AFTER)                                           \
    RTM_TOOL_ADAPT(X)                                                            \
    static void *X##_init(const scheme_t *s, void *arena, size_t size)          \
    {                                                                            \
        (void)s;                                                                 \
        rtm_##X##_t *h = malloc(sizeof *h);                                      \
        if (h && rtm_##X##_init(h, arena, size) != RTM_OK) {                     \
            free(h);                                                             \
            h = NULL;                                                            \
        }                                                                        \
        if (h) {                                                                 \
            AFTER(h);                                                            \
        }                                                                        \
        return h;                                                                \
    }
#define RTM_TOOL_NOTHING(h) ((void)(h))

#define RTM_TOOL_ROW(X, NAME, DESC, FLAGS, REALLOC)                                \
    { NAME, DESC, FLAGS, X##_init, X##_alloc, X##_free, REALLOC, X##_stats, X##_check, X##_fini, NULL }

#if RTM_TOOL_HAVE_HEAP1
/* heap_1 cannot free: every free the workloads make is reported to the fault
 * hook (counted in its statistics). This hook keeps a debug build, whose
 * default hook traps, from stopping there: the count is what we show. */
static void heap1_fault_counted(void *user, rtm_err_t reason, const void *obj, const void *ptr)
{
    (void)user;
    (void)reason;
    (void)obj;
    (void)ptr;
}
#define HEAP1_AFTER_INIT(h) rtm_heap1_set_fault_hook((h), heap1_fault_counted, NULL)
RTM_TOOL_ADAPT_ARENA(heap1, HEAP1_AFTER_INIT)
#endif
#if RTM_TOOL_HAVE_HEAP2
RTM_TOOL_ADAPT_ARENA(heap2, RTM_TOOL_NOTHING)
#endif
#if RTM_TOOL_HAVE_HEAP4
RTM_TOOL_ADAPT_ARENA(heap4, RTM_TOOL_NOTHING)
#endif
#if RTM_TOOL_HAVE_TLSF
RTM_TOOL_ADAPT_ARENA(tlsf, RTM_TOOL_NOTHING)
static void *tlsf_realloc(void *st, void *p, size_t n)
{
    return rtm_tlsf_realloc(st, p, n);
}
#endif

#if RTM_TOOL_HAVE_HEAP3
static void *heap3_alloc(void *st, size_t n) { return rtm_heap3_alloc(st, n); }
static int heap3_free(void *st, void *p) { return rtm_heap3_free(st, p) == RTM_OK ? 0 : -1; }
static rtm_err_t heap3_check(void *st, rtm_check_t *r) { return rtm_heap3_check(st, r); }
static void heap3_fini(void *st) { rtm_heap3_flush(st); free(st); }
static void *heap3_init(const scheme_t *s, void *arena, size_t size)
{
    (void)s;
    (void)arena;
    (void)size;
    rtm_heap3_t *h = malloc(sizeof *h);
    if (h && rtm_heap3_init(h) != RTM_OK) {
        free(h);
        h = NULL;
    }
    return h;
}
#endif

#if RTM_TOOL_HAVE_HEAP5
/* heap_5 gets the arena as two regions, split in the middle (16-byte aligned),
 * which is what a board with two RAM banks looks like. */
typedef struct heap5_state {
    rtm_heap5_t h; /* first: the adapters cast the state to rtm_heap5_t * */
    rtm_region_t regions[3];
} heap5_state_t;

static void *heap5_alloc(void *st, size_t n)
{
    return rtm_heap5_alloc(&((heap5_state_t *)st)->h, n);
}
static int heap5_free(void *st, void *p)
{
    return rtm_heap5_free(&((heap5_state_t *)st)->h, p) == RTM_OK ? 0 : -1;
}
static bool heap5_stats(void *st, rtm_stats_t *o)
{
    rtm_heap5_stats(&((heap5_state_t *)st)->h, o);
    return true;
}
static rtm_err_t heap5_check(void *st, rtm_check_t *r)
{
    return rtm_heap5_check(&((heap5_state_t *)st)->h, r);
}
static void heap5_fini(void *st)
{
    free(st);
}
static void *heap5_init(const scheme_t *s, void *arena, size_t size)
{
    (void)s;
    heap5_state_t *h = calloc(1, sizeof *h);
    if (!h) {
        return NULL;
    }
    size_t half = (size / 2u) & ~(size_t)15u;
    h->regions[0].start = arena;
    h->regions[0].size = half;
    h->regions[1].start = (uint8_t *)arena + half;
    h->regions[1].size = size - half;
    if (rtm_heap5_init(&h->h, h->regions) != RTM_OK) {
        free(h);
        return NULL;
    }
    return h;
}
#endif

/* ---- the system malloc, the reference ------------------------------------ */
static int sys_token;
static void *sys_init(const scheme_t *s, void *arena, size_t size)
{
    (void)s;
    (void)arena;
    (void)size;
    return &sys_token;
}
static void *sys_alloc(void *st, size_t n)
{
    (void)st;
    return malloc(n);
}
static int sys_free(void *st, void *p)
{
    (void)st;
    free(p);
    return 0;
}
static void *sys_realloc(void *st, void *p, size_t n)
{
    (void)st;
    return realloc(p, n);
}
static void sys_fini(void *st)
{
    (void)st;
}

/* ---- plugins -------------------------------------------------------------- */
typedef struct plugin_state {
    const rtm_bench_plugin_t *pl;
    void *inst;
} plugin_state_t;

static void *pl_init(const scheme_t *s, void *arena, size_t size)
{
    const rtm_bench_plugin_t *pl = s->ctx;
    plugin_state_t *ps = malloc(sizeof *ps);
    if (!ps) {
        return NULL;
    }
    ps->pl = pl;
    ps->inst = pl->init(arena, size);
    if (!ps->inst) {
        free(ps);
        return NULL;
    }
    return ps;
}
static void *pl_alloc(void *st, size_t n)
{
    plugin_state_t *ps = st;
    return ps->pl->alloc(ps->inst, n);
}
static int pl_free(void *st, void *p)
{
    plugin_state_t *ps = st;
    ps->pl->free(ps->inst, p);
    return 0;
}
static void *pl_realloc(void *st, void *p, size_t n)
{
    plugin_state_t *ps = st;
    return ps->pl->realloc(ps->inst, p, n);
}
static void pl_fini(void *st)
{
    plugin_state_t *ps = st;
    if (ps->pl->fini) {
        ps->pl->fini(ps->inst);
    }
    free(ps);
}

/* ---- the table ------------------------------------------------------------ */
#define MAX_SCHEMES 32

static scheme_t table[MAX_SCHEMES] = {
#if RTM_TOOL_HAVE_HEAP1
    RTM_TOOL_ROW(heap1, "heap_1", "bump allocator, never frees", SCHEME_ARENA | SCHEME_NO_FREE, NULL),
#endif
#if RTM_TOOL_HAVE_HEAP2
    RTM_TOOL_ROW(heap2, "heap_2", "best fit, no coalescing", SCHEME_ARENA, NULL),
#endif
#if RTM_TOOL_HAVE_HEAP3
    /* heap_3's statistics hold counts only (every size is 0): not shown. */
    { "heap_3", "wraps the C library malloc", 0, heap3_init, heap3_alloc, heap3_free, NULL, NULL,
      heap3_check, heap3_fini, NULL },
#endif
#if RTM_TOOL_HAVE_HEAP4
    RTM_TOOL_ROW(heap4, "heap_4", "first fit, coalescing", SCHEME_ARENA, NULL),
#endif
#if RTM_TOOL_HAVE_HEAP5
    RTM_TOOL_ROW(heap5, "heap_5", "heap_4 over two regions (arena split in half)", SCHEME_ARENA, NULL),
#endif
#if RTM_TOOL_HAVE_TLSF
    RTM_TOOL_ROW(tlsf, "tlsf", "two-level segregated fit, O(1)", SCHEME_ARENA | SCHEME_NATIVE_REALLOC,
                 tlsf_realloc),
#endif
    { "malloc", "system malloc (reference, no arena limit)", SCHEME_NATIVE_REALLOC | SCHEME_REFERENCE,
      sys_init, sys_alloc, sys_free, sys_realloc, NULL, NULL, sys_fini, NULL },
};

static size_t table_count(void)
{
    size_t n = 0;
    while (n < MAX_SCHEMES && table[n].init != NULL) {
        n++;
    }
    return n;
}

const scheme_t *schemes_all(size_t *count)
{
    *count = table_count();
    return table;
}

const scheme_t *scheme_find(const char *name)
{
    size_t n;
    const scheme_t *s = schemes_all(&n);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(s[i].name, name) == 0) {
            return &s[i];
        }
    }
    return NULL;
}

const char *schemes_builtin_names(void)
{
    static char buf[256];
    buf[0] = '\0';
    size_t n;
    const scheme_t *s = schemes_all(&n);
    for (size_t i = 0; i < n; i++) {
        if (!(s[i].flags & SCHEME_PLUGIN)) {
            if (buf[0] != '\0') {
                strncat(buf, ", ", sizeof buf - strlen(buf) - 1u);
            }
            strncat(buf, s[i].name, sizeof buf - strlen(buf) - 1u);
        }
    }
    return buf;
}

const char *schemes_layout_note(void)
{
    static char buf[64];
    size_t l = (size_t)snprintf(buf, sizeof buf, "pointer %u B", (unsigned)sizeof(void *));
#if RTM_TOOL_HAVE_HEAP4 || RTM_TOOL_HAVE_HEAP5
    l += (size_t)snprintf(buf + l, sizeof buf - l, ", heap_4/5 header %u B", (unsigned)RTM_FL_HEADER);
#endif
#if RTM_TOOL_HAVE_TLSF
    (void)snprintf(buf + l, sizeof buf - l, ", tlsf word %u B", (unsigned)RTM_TLSF_WORD_SIZE);
#endif
    (void)l;
    return buf;
}

int schemes_load_plugin(const char *path, char *err, size_t errlen)
{
    size_t n = table_count();
    if (n >= MAX_SCHEMES) {
        (void)snprintf(err, errlen, "too many schemes");
        return -1;
    }
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        (void)snprintf(err, errlen, "cannot load %s: %s", path, dlerror());
        return -1;
    }
    const rtm_bench_plugin_t *pl = dlsym(h, RTM_BENCH_PLUGIN_SYMBOL);
    if (!pl) {
        (void)snprintf(err, errlen, "%s does not export '%s'", path, RTM_BENCH_PLUGIN_SYMBOL);
        (void)dlclose(h);
        return -1;
    }
    if (pl->abi_version != RTM_BENCH_PLUGIN_ABI || !pl->name || !pl->init || !pl->alloc || !pl->free) {
        (void)snprintf(err, errlen, "%s: ABI version %u (tool speaks %u) or a required field is NULL",
                       path, (unsigned)pl->abi_version, (unsigned)RTM_BENCH_PLUGIN_ABI);
        (void)dlclose(h);
        return -1;
    }
    /* Keep the plugin loaded for the life of the process: its functions sit in the table. */
    scheme_t *s = &table[n];
    memset(s, 0, sizeof *s);
    (void)snprintf(s->name, sizeof s->name, "%s%s", pl->name, scheme_find(pl->name) ? "+plugin" : "");
    (void)snprintf(s->desc, sizeof s->desc, "plugin %s", path);
    s->flags = SCHEME_PLUGIN | ((pl->flags & RTM_BENCH_PLUGIN_NO_ARENA) ? 0u : SCHEME_ARENA) |
               (pl->realloc ? SCHEME_NATIVE_REALLOC : 0u);
    s->init = pl_init;
    s->alloc = pl_alloc;
    s->free = pl_free;
    s->realloc = pl->realloc ? pl_realloc : NULL;
    s->fini = pl_fini;
    s->ctx = pl;
    return 0;
}

void *scheme_realloc(const scheme_t *s, void *st, void *p, size_t old_size, size_t n)
{
    if (s->realloc) {
        return s->realloc(st, p, n);
    }
    void *q = s->alloc(st, n);
    if (q && p) {
        memcpy(q, p, old_size < n ? old_size : n);
        (void)s->free(st, p);
    }
    return q;
}

const char *scheme_realloc_kind(const scheme_t *s)
{
    return s->realloc ? "native" : "emulated (alloc+copy+free)";
}
