/*
 * rtm_static_init_all (rtmem/static.h): walk the records the *_DEFINE macros
 * put in the section rtm_static_init. The linker defines the section's
 * bounds when it exists; the weak references make them 0 (an empty walk)
 * in a program that defines no such object, so this file links anywhere.
 *
 * Records are found by their magic word at every pointer-aligned place:
 * without sanitizers they sit back to back, but AddressSanitizer pads each
 * with a red zone (zeros in the image, poisoned in its shadow), so the walk
 * steps over anything that is not a record and is not instrumented itself.
 */
#include "rtmem/static.h"

extern const rtm_static_rec_t __start_rtm_static_init[] __attribute__((weak));
extern const rtm_static_rec_t __stop_rtm_static_init[] __attribute__((weak));

#define STEP sizeof(uintptr_t)

static bool g_done;

/* The first record at or after `at`, or NULL. */
__attribute__((no_sanitize_address)) static const rtm_static_rec_t *scan(uintptr_t at)
{
    uintptr_t end = (uintptr_t)__stop_rtm_static_init;
    for (; at != 0u && at + sizeof(rtm_static_rec_t) <= end; at += STEP) {
        const rtm_static_rec_t *r = (const rtm_static_rec_t *)at;
        if (r->magic == RTM_STATIC_MAGIC) {
            return r;
        }
    }
    return NULL;
}

const rtm_static_rec_t *rtm_static_next(const rtm_static_rec_t *prev)
{
    if (prev == NULL) {
        return scan((uintptr_t)__start_rtm_static_init);
    }
    return scan((uintptr_t)prev + sizeof(*prev));
}

size_t rtm_static_count(void)
{
    size_t n = 0;
    for (const rtm_static_rec_t *r = rtm_static_next(NULL); r != NULL; r = rtm_static_next(r)) {
        n++;
    }
    return n;
}

rtm_err_t rtm_static_init_all(const rtm_static_rec_t **failed)
{
    if (g_done) {
        return RTM_ERR_STATE;
    }
    g_done = true;
    rtm_err_t first = RTM_OK;
    for (const rtm_static_rec_t *r = rtm_static_next(NULL); r != NULL; r = rtm_static_next(r)) {
        rtm_err_t err = r->init(r);
        if (err != RTM_OK && first == RTM_OK) {
            first = err;
            if (failed != NULL) {
                *failed = r;
            }
        }
    }
    return first;
}
