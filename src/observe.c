/*
 * Call-site tags, failure injection at one site, observer fan-out (see
 * rtmem/observe.h). The site is global state, stated in the header: the one
 * allocation being tagged now.
 */
#include "rtmem/observe.h"

static rtm_site_t site_now;

/* rtm_inject_site(): the chosen site, matches still to let through. */
static struct {
    const char *file;
    uint32_t line;
    uint32_t skip;
    uint32_t seen;
    bool armed;     /* still waiting for the failing call */
    bool injecting; /* the gate's injection is armed for the call running now */
} pick;

static bool same_file(const char *a, const char *b)
{
    if (a == b) {
        return true;
    }
    if (a == NULL || b == NULL) {
        return false;
    }
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

void rtm_site_enter_(const char *file, uint32_t line)
{
    site_now.file = file;
    site_now.line = line;
    if (pick.armed && line == pick.line && same_file(file, pick.file)) {
        pick.seen++;
        if (pick.skip != 0u) {
            pick.skip--;
        } else {
            pick.armed = false;
            pick.injecting = true;
            rtm_inject_fail(0u, 0u); /* the next gated allocation: this call */
        }
    }
}

void *rtm_site_leave_(void *result)
{
    site_now.file = NULL;
    site_now.line = 0u;
    if (pick.injecting) {
        /* the call was not gated (or failed before the gate): never let the
         * injection fall on some later, untagged allocation */
        pick.injecting = false;
        rtm_inject_off();
    }
    return result;
}

rtm_site_t rtm_site_current(void)
{
    return site_now;
}

rtm_err_t rtm_inject_site(const char *file, uint32_t line, uint32_t nth)
{
    if (file == NULL) {
        return RTM_ERR_NULL;
    }
#if RTMEM_CFG_EVENTS
    pick.file = file;
    pick.line = line;
    pick.skip = nth;
    pick.seen = 0u;
    pick.armed = true;
    pick.injecting = false;
    return RTM_OK;
#else
    (void)line;
    (void)nth;
    return RTM_ERR_NOT_SUPPORTED;
#endif
}

void rtm_inject_site_off(void)
{
    pick.armed = false;
}

uint32_t rtm_inject_site_seen(void)
{
    return pick.seen;
}

void rtm_fanout_init(rtm_fanout_t *f)
{
    if (f != NULL) {
        f->n = 0u;
    }
}

rtm_err_t rtm_fanout_add(rtm_fanout_t *f, rtm_observer_fn fn, void *user)
{
    if (f == NULL || fn == NULL) {
        return RTM_ERR_NULL;
    }
    if (f->n >= RTM_FANOUT_MAX) {
        return RTM_ERR_NO_MEMORY;
    }
    f->fn[f->n] = fn;
    f->user[f->n] = user;
    f->n++;
    return RTM_OK;
}

void rtm_fanout_observer(void *user, rtm_ev_kind_t kind, const void *obj, const void *ptr,
                         const void *old, size_t size)
{
    const rtm_fanout_t *f = user;
    if (f == NULL) { /* installed without its fan-out: nothing to reach */
        return;
    }
    for (unsigned i = 0; i < f->n && i < RTM_FANOUT_MAX; i++) {
        f->fn[i](f->user[i], kind, obj, ptr, old, size);
    }
}
