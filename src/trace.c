/*
 * The binary trace recorder (see rtmem/trace.h): each event is encoded into
 * a small buffer first, then copied into the ring whole or dropped whole.
 */
#include "rtmem/trace.h"

#include "rtmem/port.h"
#include "rtm_internal.h"

/* Word-sized on purpose: every value recorded (pointer, size, owner, count)
 * fits a uintptr_t, and a 64-bit uintmax_t costs a 32-bit core a pair of
 * registers and a shift helper per byte. */
_Static_assert(sizeof(size_t) <= sizeof(uintptr_t), "sizes fit the ULEB word");

static size_t put_uleb(uint8_t *o, uintptr_t v)
{
    size_t n = 0;
    do {
        uint8_t b = (uint8_t)(v & 0x7Fu);
        v >>= 7;
        o[n++] = (uint8_t)(b | (v != 0u ? 0x80u : 0u));
    } while (v != 0u);
    return n;
}

/* n bytes after the used ones (the caller checked the room): the part up to
 * the buffer's end, then the rest from its start. */
static void ring_put(rtm_trace_t *t, const uint8_t *p, size_t n)
{
    RTM_ASSERT(t->head < t->cap && t->used <= t->cap && n <= t->cap - t->used);
    size_t at = t->head + t->used;
    if (at >= t->cap) {
        at -= t->cap;
    }
    size_t first = t->cap - at < n ? t->cap - at : n;
    uint8_t *d = t->buf + at;
    for (size_t i = 0; i < first; i++) {
        d[i] = p[i];
    }
    for (size_t i = first; i < n; i++) {
        t->buf[i - first] = p[i];
    }
    t->used += n;
}

rtm_err_t rtm_trace_init(rtm_trace_t *t, uint8_t *buf, size_t cap)
{
    static const uint8_t hdr[RTM_TRACE_HEADER_BYTES] = {
        'R', 'T', 'M', 'T', RTM_TRACE_VERSION, (uint8_t)sizeof(void *)
    };
    if (t == NULL || buf == NULL) {
        return RTM_ERR_NULL;
    }
    if (cap < RTM_TRACE_HEADER_BYTES + RTM_TRACE_RECORD_MAX) {
        return RTM_ERR_ARG;
    }
    *t = (rtm_trace_t){ .buf = buf, .cap = cap };
    ring_put(t, hdr, sizeof hdr);
    return RTM_OK;
}

void rtm_trace_only(rtm_trace_t *t, const void *obj)
{
    if (t != NULL) {
        t->only = obj;
    }
}

void rtm_trace_pause(rtm_trace_t *t, bool paused)
{
    if (t != NULL) {
        t->paused = paused;
    }
}

static size_t encode(uint8_t *o, const rtm_trace_t *t, rtm_owner_t owner, rtm_ev_kind_t kind,
                     const void *ptr, const void *old, size_t size)
{
    bool new_owner = owner != t->owner;
    size_t n = 1;
    o[0] = (uint8_t)((unsigned)kind | (new_owner ? RTM_TRACE_TAG_OWNER : 0u));
    if (kind != RTM_EV_FAIL) {
        n += put_uleb(o + n, (uintptr_t)ptr);
    }
    if (kind == RTM_EV_REALLOC) {
        n += put_uleb(o + n, (uintptr_t)old);
    }
    if (kind != RTM_EV_FREE) {
        n += put_uleb(o + n, size);
    }
    if (new_owner) {
        n += put_uleb(o + n, owner);
    }
    return n;
}

void rtm_trace_observer(void *user, rtm_ev_kind_t kind, const void *obj, const void *ptr,
                        const void *old, size_t size)
{
    rtm_trace_t *t = user;
    uint8_t rec[RTM_TRACE_RECORD_MAX];
    uint8_t loss[1u + (sizeof(size_t) * 8u + 6u) / 7u];
    if (t == NULL || t->paused || (t->only != NULL && obj != t->only)) {
        return;
    }
    rtm_port_enter();
    rtm_owner_t owner = rtm_owner_current();
    size_t n = encode(rec, t, owner, kind, ptr, old, size);
    size_t nl = 0;
    if (t->lost_unsaid != 0u) {
        loss[0] = RTM_TRACE_TAG_LOST;
        nl = 1u + put_uleb(loss + 1, t->lost_unsaid);
    }
    if (t->cap - t->used < nl + n) {
        t->lost++;
        t->lost_unsaid++;
    } else {
        if (nl != 0u) {
            ring_put(t, loss, nl);
        }
        ring_put(t, rec, n);
        t->lost_unsaid = 0u;
        t->owner = owner;
        t->records++;
    }
    rtm_port_exit();
}

size_t rtm_trace_drain(rtm_trace_t *t, uint8_t *out, size_t max)
{
    size_t n = 0;
    if (t == NULL || out == NULL) {
        return 0u;
    }
    rtm_port_enter();
    while (n < max && t->used != 0u) {
        out[n++] = t->buf[t->head++];
        if (t->head == t->cap) {
            t->head = 0u;
        }
        t->used--;
    }
    rtm_port_exit();
    return n;
}

size_t rtm_trace_pending(const rtm_trace_t *t)
{
    return t == NULL ? 0u : t->used;
}
