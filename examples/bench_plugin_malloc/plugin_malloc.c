/*
 * Example rtmem bench plugin: the system malloc behind the plugin ABI of
 * include/rtmem/bench_plugin.h. Build it as a shared module and pass it to
 * `rtmem bench --plugin <path>`; it shows up as the row "malloc-plugin".
 * Copy this file to benchmark your own allocator: set up the allocator over
 * `arena` in init, and drop RTM_BENCH_PLUGIN_NO_ARENA.
 */
#include <stdlib.h>

#include "rtmem/bench_plugin.h"

static int token; /* malloc needs no state; init must still return non-NULL */

static void *pm_init(void *arena, size_t size)
{
    (void)arena;
    (void)size;
    return &token;
}

static void *pm_alloc(void *inst, size_t size)
{
    (void)inst;
    return malloc(size);
}

static void pm_free(void *inst, void *ptr)
{
    (void)inst;
    free(ptr);
}

static void *pm_realloc(void *inst, void *ptr, size_t size)
{
    (void)inst;
    return realloc(ptr, size);
}

const rtm_bench_plugin_t rtm_bench_plugin = {
    RTM_BENCH_PLUGIN_ABI,
    RTM_BENCH_PLUGIN_NO_ARENA,
    "malloc-plugin",
    pm_init,
    pm_alloc,
    pm_free,
    pm_realloc,
    NULL,
};
