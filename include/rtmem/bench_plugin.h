/*
 * rtmem bench plugin ABI: load any allocator into `rtmem bench` and
 * `rtmem replay` at run time (`--plugin lib.so`), so that it runs the same
 * workloads (../shared/BENCH.md) in the same process as the rtmem schemes.
 *
 * A plugin is a shared object (a CMake MODULE library) that exports one
 * object with C linkage:
 *
 *     const rtm_bench_plugin_t rtm_bench_plugin = {
 *         RTM_BENCH_PLUGIN_ABI, 0, "my-alloc", my_init, my_alloc, my_free,
 *         my_realloc, my_fini };
 *
 * The tool looks the symbol up with dlsym(RTM_BENCH_PLUGIN_SYMBOL), refuses a
 * plugin whose abi_version differs from RTM_BENCH_PLUGIN_ABI, and adds it to
 * its scheme table under `name` (suffixed "+plugin" if a built-in has it).
 *
 * Rules for the functions (the tool calls them from one thread):
 *  - init(arena, size): set up an allocator over the arena the tool owns
 *    (aligned to 64 bytes, `size` bytes, valid until fini) and return an
 *    instance handle, or NULL on failure. An allocator that cannot work
 *    inside a given arena (e.g. one wrapping malloc) sets
 *    RTM_BENCH_PLUGIN_NO_ARENA: it must still return a non-NULL handle, and
 *    the tool then skips arena-size searches and fill-ratio figures for it.
 *  - alloc(inst, size): a block of at least `size` bytes aligned for any
 *    object of that size, or NULL when out of memory (counted as a failure).
 *  - free(inst, ptr): release a block returned by alloc or realloc.
 *  - realloc(inst, ptr, size): optional (NULL): the tool then emulates it as
 *    alloc + copy + free and says so. On failure return NULL and keep `ptr`.
 *  - fini(inst): optional (NULL): release what init set up. The tool frees
 *    every block it still holds before calling it, except on schemes that
 *    cannot free.
 */
#ifndef RTMEM_BENCH_PLUGIN_H
#define RTMEM_BENCH_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RTM_BENCH_PLUGIN_ABI 1u
#define RTM_BENCH_PLUGIN_SYMBOL "rtm_bench_plugin"

/* flags */
#define RTM_BENCH_PLUGIN_NO_ARENA 1u /* ignores the arena (wraps a system allocator) */

typedef struct rtm_bench_plugin {
    uint32_t abi_version; /* RTM_BENCH_PLUGIN_ABI */
    uint32_t flags;       /* RTM_BENCH_PLUGIN_* */
    const char *name;     /* short, no spaces: the row name in the tables */
    void *(*init)(void *arena, size_t size);
    void *(*alloc)(void *inst, size_t size);
    void (*free)(void *inst, void *ptr);
    void *(*realloc)(void *inst, void *ptr, size_t size); /* optional */
    void (*fini)(void *inst);                             /* optional */
} rtm_bench_plugin_t;

/* The object every plugin defines and exports. */
extern const rtm_bench_plugin_t rtm_bench_plugin;

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_BENCH_PLUGIN_H */
