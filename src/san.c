/*
 * Sanitizer announcements (see rtmem/san.h). With RTMEM_CFG_SAN=0, the one
 * value a target build uses, this file is plain C with no host dependency.
 */
#include "rtmem/san.h"

#if RTMEM_CFG_SAN == 1
#include <sanitizer/asan_interface.h>
/* The library is built without ASan (see the header); the ASAN_* macros
 * compile to nothing there, so the interface functions are called. */
static void hide(const void *p, size_t n)
{
    __asan_poison_memory_region(p, n);
}

static void show(const void *p, size_t n, bool fresh)
{
    (void)fresh;
    __asan_unpoison_memory_region(p, n);
}

/* A live block's bytes are exactly the unpoisoned run at its start: every
 * other byte of a watched span is poisoned. */
static void gone(const void *p, const uint8_t *end)
{
    size_t room = (size_t)(end - (const uint8_t *)p);
    const uint8_t *stop = __asan_region_is_poisoned((void *)(uintptr_t)p, room);
    hide(p, stop != NULL ? (size_t)(stop - (const uint8_t *)p) : room);
}
#elif RTMEM_CFG_SAN == 2
#include <valgrind/memcheck.h>
static void hide(const void *p, size_t n)
{
    (void)VALGRIND_MAKE_MEM_NOACCESS(p, n);
}

static void show(const void *p, size_t n, bool fresh)
{
    if (fresh) {
        VALGRIND_MALLOCLIKE_BLOCK(p, n, 0, 0);
    } else {
        (void)VALGRIND_MAKE_MEM_DEFINED(p, n);
    }
}

static void gone(const void *p, const uint8_t *end)
{
    (void)end;
    VALGRIND_FREELIKE_BLOCK(p, 0);
}
#endif

void rtm_san_init(rtm_san_t *s)
{
    if (s != NULL) {
        s->n = 0u;
        s->events = 0u;
    }
}

rtm_err_t rtm_san_watch(rtm_san_t *s, const void *obj, void *mem, size_t size)
{
    if (s == NULL || obj == NULL || mem == NULL) {
        return RTM_ERR_NULL;
    }
#if RTMEM_CFG_SAN
    if (s->n >= RTM_SAN_MAX_INST) {
        return RTM_ERR_NO_MEMORY;
    }
    s->inst[s->n].obj = obj;
    s->inst[s->n].mem = mem;
    s->inst[s->n].size = size;
    s->n++;
    hide(mem, size);
    return RTM_OK;
#else
    (void)size;
    return RTM_ERR_NOT_SUPPORTED;
#endif
}

void rtm_san_unwatch(rtm_san_t *s, const void *obj)
{
    if (s == NULL) {
        return;
    }
    for (unsigned i = 0; i < s->n; i++) {
        if (s->inst[i].obj == obj) {
#if RTMEM_CFG_SAN
            show(s->inst[i].mem, s->inst[i].size, false);
#endif
            s->inst[i] = s->inst[--s->n];
            return;
        }
    }
}

void rtm_san_observer(void *user, rtm_ev_kind_t kind, const void *obj, const void *ptr,
                      const void *old, size_t size)
{
    rtm_san_t *s = user;
    unsigned i = 0;
    if (s == NULL) {
        return;
    }
    while (i < s->n && s->inst[i].obj != obj) {
        i++;
    }
    if (i == s->n || kind == RTM_EV_FAIL) {
        return;
    }
    s->events++;
#if RTMEM_CFG_SAN
    const uint8_t *end = s->inst[i].mem + s->inst[i].size;
    if (kind == RTM_EV_FREE) {
        gone(ptr, end);
        return;
    }
    if (kind == RTM_EV_REALLOC && old != NULL) {
        gone(old, end); /* the moved data is already copied */
    }
    show(ptr, size, true);
#else
    (void)ptr;
    (void)old;
    (void)size;
#endif
}
