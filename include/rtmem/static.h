/*
 * Static allocation of every rtmem object: one macro declares correctly
 * aligned storage AND a ready instance, in the style of FreeRTOS's
 * xQueueCreateStatic and Zephyr's K_MEM_SLAB_DEFINE.
 *
 *   RTM_HEAP1_DEFINE(name, size)          link-time initialised: no init call
 *   RTM_HEAP3_DEFINE(name)                link-time initialised (all zero)
 *   RTM_HEAP2_DEFINE(name, size)          initialised by rtm_static_init_all()
 *   RTM_HEAP4_DEFINE(name, size)            "
 *   RTM_HEAP5_DEFINE(name, size)            "  (one region; more: see below)
 *   RTM_TLSF_DEFINE(name, size)             "
 *   RTM_POOL_DEFINE(name, T, count)         "  (blocks of type T, RTM_POOL_DEFAULT)
 *   RTM_QUEUE_DEFINE(name, T, capacity)     "
 *   RTM_STATIC_INIT_FN(id, fn)            run `rtm_err_t fn(void)` there too:
 *                                         the pattern for any other object
 *                                         (several heap_5 regions, stacks and
 *                                         partitions, an object that needs a
 *                                         hook set)
 * Each has an _IN form whose last argument is put on the storage array, to
 * place it in a section of the linker script:
 *   RTM_TLSF_DEFINE_IN(dma_heap, 16384, RTM_IN_SECTION(".sram2"));
 * `name` is an external object of the scheme's type (rtm_heap4_t name;
 * other files reach it with `extern rtm_heap4_t name;`), its storage the
 * static array name__rtm_<kind>_mem (the naming convention
 * scripts/static-report.py reads from the ELF). At file scope only.
 *
 * heap_1 and heap_3 can be laid out completely by the compiler, so those
 * instances are ready before main() with nothing to forget. The others need
 * their init function; their macros add a constant record to the section
 * `rtm_static_init` (name__rtm_rec), and one call of rtm_static_init_all()
 * at start-up, before the scheduler, initialises every one of them: no
 * constructors, no list to keep by hand. The linker provides the section's
 * bounds (__start_rtm_static_init / __stop_rtm_static_init: GNU ld and lld
 * do for every ELF section named like a C identifier, and keep it under
 * --gc-sections; a custom linker script that discards orphan sections must
 * KEEP(*(rtm_static_init))).
 *
 * A module added later (stacks, partitions) follows the same pattern: a
 * static array `name##__rtm_<kind>_mem` aligned as the module needs, the
 * instance `name`, and RTM_STATIC_REC_(name, init adapter, storage, ...).
 */
#ifndef RTMEM_STATIC_H
#define RTMEM_STATIC_H

#include "rtmem/common.h"
#include "rtmem/heap1.h"
#include "rtmem/heap2.h"
#include "rtmem/heap3.h"
#include "rtmem/heap4.h"
#include "rtmem/heap5.h"
#include "rtmem/pool.h"
#include "rtmem/queue.h"
#include "rtmem/tlsf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One object to initialise at start-up. */
typedef struct rtm_static_rec rtm_static_rec_t;
struct rtm_static_rec {
    uintptr_t magic;                              /* RTM_STATIC_MAGIC */
    rtm_err_t (*init)(const rtm_static_rec_t *r); /* the scheme's adapter */
    void *inst;                                   /* the instance */
    void *mem;                                    /* its storage */
    size_t mem_size;
    size_t size;                                  /* block / item size */
    size_t count;                                 /* blocks / items */
    size_t align;                                 /* block alignment */
    rtm_err_t (*call)(void);                      /* RTM_STATIC_INIT_FN */
    const char *name;                             /* the object's name */
};

/* Initialise every object declared with a *_DEFINE macro (but heap_1's and
 * heap_3's, which need none) and run every RTM_STATIC_INIT_FN, in link
 * order. Call it once at start-up; a second call does nothing and returns
 * RTM_ERR_STATE (a second init would forget every allocation). O(objects).
 * Returns RTM_OK or the first error; `*failed` (may be NULL) then points at
 * the record that failed, and the others are still initialised. */
rtm_err_t rtm_static_init_all(const rtm_static_rec_t **failed);
/* Number of records the linker collected. O(records). Never fails. */
size_t rtm_static_count(void);
/* The record after `prev` (NULL: the first), NULL after the last: the walk
 * rtm_static_init_all() makes. The walk finds records by their magic word
 * rather than by their stride, because a build with AddressSanitizer puts
 * red zones between them. O(1) per record. */
const rtm_static_rec_t *rtm_static_next(const rtm_static_rec_t *prev);

#define RTM_STATIC_MAGIC ((uintptr_t)0x524D5453u) /* "STMR" */

/* ---- Building blocks ---------------------------------------------------- */

#if defined(__GNUC__) || defined(__clang__)
#define RTM_IN_SECTION(sec) __attribute__((section(sec)))
#define RTM_STATIC_SECTION_ __attribute__((used, section("rtm_static_init")))
#else
#error "rtmem/static.h needs GCC or clang section attributes"
#endif

#define RTM_STATIC_REC_(name, fn, mem, memsz, sz, cnt, al, callfn)                 \
    static const rtm_static_rec_t name##__rtm_rec RTM_STATIC_SECTION_ = {         \
        RTM_STATIC_MAGIC, (fn), (void *)&(name), (mem), (memsz), (sz), (cnt), (al), (callfn), #name}

/* The adapters the records point at (one per scheme; inline, so an
 * application links only the schemes it defines objects of). */
static inline rtm_err_t rtm_static_heap2_(const rtm_static_rec_t *r)
{
    return rtm_heap2_init((rtm_heap2_t *)r->inst, r->mem, r->mem_size);
}
static inline rtm_err_t rtm_static_heap4_(const rtm_static_rec_t *r)
{
    return rtm_heap4_init((rtm_heap4_t *)r->inst, r->mem, r->mem_size);
}
static inline rtm_err_t rtm_static_heap5_(const rtm_static_rec_t *r)
{
    rtm_region_t regions[2] = {{(uint8_t *)r->mem, r->mem_size}, {NULL, 0}};
    return rtm_heap5_init((rtm_heap5_t *)r->inst, regions);
}
static inline rtm_err_t rtm_static_tlsf_(const rtm_static_rec_t *r)
{
    return rtm_tlsf_init((rtm_tlsf_t *)r->inst, r->mem, r->mem_size);
}
static inline rtm_err_t rtm_static_pool_(const rtm_static_rec_t *r)
{
    return rtm_pool_init((rtm_pool_t *)r->inst, r->mem, r->mem_size, r->size, r->align,
                         (uint32_t)r->count, RTM_POOL_DEFAULT);
}
static inline rtm_err_t rtm_static_queue_(const rtm_static_rec_t *r)
{
    return rtm_queue_init((rtm_queue_t *)r->inst, r->size, (uint32_t)r->count, r->mem,
                          r->mem_size);
}
static inline rtm_err_t rtm_static_call_(const rtm_static_rec_t *r)
{
    return r->call();
}

/* ---- heap_1 and heap_3: initialised at link time ------------------------
 * heap_1's storage is aligned, so init's rounding skips nothing: the
 * instance is exactly what rtm_heap1_init(&name, mem, nbytes) makes (the
 * tests compare both). */
#define RTM_HEAP1_DEFINE_IN(name, nbytes, attrs)                                      \
    static _Alignas(RTMEM_CFG_HEAP_ALIGNMENT) uint8_t name##__rtm_heap1_mem[(nbytes)] \
        attrs;                                                                      \
    _Static_assert((size_t)(nbytes) > (size_t)RTMEM_CFG_HEAP_ALIGNMENT,              \
                   "heap_1 needs more bytes than its alignment");                  \
    rtm_heap1_t name = {.mem = name##__rtm_heap1_mem,                               \
                        .size = (nbytes),                                             \
                        .start = name##__rtm_heap1_mem,                             \
                        .usable = (size_t)(nbytes) - (size_t)RTMEM_CFG_HEAP_ALIGNMENT}
#define RTM_HEAP1_DEFINE(name, nbytes) RTM_HEAP1_DEFINE_IN(name, nbytes, )

/* heap_3 has no storage of its own; its initial state is all zero. */
#define RTM_HEAP3_DEFINE(name) rtm_heap3_t name = {.alloc_count = 0}

/* ---- The others: storage + instance + init record ------------------------ */
/* A scheme initialised over one byte array (heap_2/4/5, tlsf): the storage
 * `name`__rtm_<kind>_mem aligned to `align`, the instance rtm_<kind>_t `name`,
 * and the record that calls rtm_static_<kind>_() on it. */
#define RTM_STATIC_ARENA_DEFINE_(kind, align, name, nbytes, attrs)                            \
    static _Alignas(align) uint8_t name##__rtm_##kind##_mem[(nbytes)] attrs;                  \
    rtm_##kind##_t name;                                                                     \
    RTM_STATIC_REC_(name, rtm_static_##kind##_, name##__rtm_##kind##_mem, (nbytes), 0u, 0u, 0u, NULL)

#define RTM_HEAP2_DEFINE_IN(name, nbytes, attrs) \
    RTM_STATIC_ARENA_DEFINE_(heap2, RTMEM_CFG_HEAP_ALIGNMENT, name, nbytes, attrs)
#define RTM_HEAP2_DEFINE(name, nbytes) RTM_HEAP2_DEFINE_IN(name, nbytes, )

#define RTM_HEAP4_DEFINE_IN(name, nbytes, attrs) \
    RTM_STATIC_ARENA_DEFINE_(heap4, RTMEM_CFG_HEAP_ALIGNMENT, name, nbytes, attrs)
#define RTM_HEAP4_DEFINE(name, nbytes) RTM_HEAP4_DEFINE_IN(name, nbytes, )

#define RTM_HEAP5_DEFINE_IN(name, nbytes, attrs) \
    RTM_STATIC_ARENA_DEFINE_(heap5, RTMEM_CFG_HEAP_ALIGNMENT, name, nbytes, attrs)
#define RTM_HEAP5_DEFINE(name, nbytes) RTM_HEAP5_DEFINE_IN(name, nbytes, )

#define RTM_TLSF_DEFINE_IN(name, nbytes, attrs) \
    RTM_STATIC_ARENA_DEFINE_(tlsf, RTM_TLSF_ALIGN, name, nbytes, attrs)
#define RTM_TLSF_DEFINE(name, nbytes) RTM_TLSF_DEFINE_IN(name, nbytes, )

#define RTM_POOL_DEFINE_IN(name, T, count, attrs)                                              \
    RTM_POOL_STORAGE(static, name##__rtm_pool_mem, T, (count)) attrs;                          \
    rtm_pool_t name;                                                                           \
    RTM_STATIC_REC_(name, rtm_static_pool_, name##__rtm_pool_mem, sizeof(name##__rtm_pool_mem), sizeof(T), (count), \
                    _Alignof(T), NULL)
#define RTM_POOL_DEFINE(name, T, count) RTM_POOL_DEFINE_IN(name, T, count, )

#define RTM_QUEUE_DEFINE_IN(name, T, capacity, attrs)                                          \
    RTM_QUEUE_STORAGE(static, name##__rtm_queue_mem, T, (capacity)) attrs;                     \
    rtm_queue_t name;                                                                          \
    RTM_STATIC_REC_(name, rtm_static_queue_, name##__rtm_queue_mem, sizeof(name##__rtm_queue_mem), sizeof(T),        \
                    (capacity), _Alignof(T), NULL)
#define RTM_QUEUE_DEFINE(name, T, capacity) RTM_QUEUE_DEFINE_IN(name, T, capacity, )

/* Run fn() from rtm_static_init_all(); `id` names the record. */
#define RTM_STATIC_INIT_FN(id, fn)                           \
    static const char id = 0;                                \
    RTM_STATIC_REC_(id, rtm_static_call_, NULL, 0u, 0u, 0u, 0u, (fn))

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_STATIC_H */
