/*
 * Leak tracker and per-owner statistics (see rtmem/leak.h): an event
 * observer over a caller-provided table (src/ptrtab.h).
 */
#include "rtmem/leak.h"

#include "ptrtab.h"
#include "rtmem/observe.h"

void rtm_owner_stats_alloc(rtm_owner_stats_t *s, size_t bytes)
{
    if (s == NULL) {
        return;
    }
    s->live_bytes += bytes;
    s->live_blocks++;
    s->allocs++;
    if (s->live_bytes > s->peak_bytes) {
        s->peak_bytes = s->live_bytes;
    }
}

void rtm_owner_stats_free(rtm_owner_stats_t *s, size_t bytes)
{
    if (s == NULL) {
        return;
    }
    s->live_bytes = bytes <= s->live_bytes ? s->live_bytes - bytes : 0u;
    s->live_blocks = s->live_blocks != 0u ? s->live_blocks - 1u : 0u;
    s->frees++;
}

static void clear(void *p, size_t n)
{
    uint8_t *b = p;
    for (size_t i = 0; i < n; i++) {
        b[i] = 0u;
    }
}

rtm_err_t rtm_leak_init(rtm_leak_t *t, rtm_leak_entry_t *tab, size_t cap,
                        rtm_owner_stats_t *owners, size_t n_owners)
{
    if (t == NULL || tab == NULL) {
        return RTM_ERR_NULL;
    }
    if (!RTM_IS_POW2(cap) || cap < RTM_LEAK_PROBES || (owners == NULL && n_owners != 0u)) {
        return RTM_ERR_ARG;
    }
    clear(t, sizeof *t);
    clear(tab, cap * sizeof *tab);
    if (owners != NULL) {
        clear(owners, n_owners * sizeof *owners);
    }
    t->tab = tab;
    t->cap = cap;
    t->owners = owners;
    t->n_owners = n_owners;
    return RTM_OK;
}

void rtm_leak_only(rtm_leak_t *t, const void *obj)
{
    if (t != NULL) {
        t->only = obj;
    }
}

static rtm_owner_stats_t *owner_rec(rtm_leak_t *t, rtm_owner_t o)
{
    return (size_t)o < t->n_owners ? &t->owners[o] : &t->others;
}

const rtm_owner_stats_t *rtm_leak_owner(const rtm_leak_t *t, rtm_owner_t owner)
{
    return t == NULL ? NULL : owner_rec((rtm_leak_t *)(uintptr_t)t, owner);
}

const rtm_leak_entry_t *rtm_leak_find(const rtm_leak_t *t, const void *ptr)
{
    if (t == NULL || ptr == NULL) {
        return NULL;
    }
    return ptab_find(t->tab, t->cap, ptr);
}

/* Take the entry of `ptr` out of the table into *out; false if untracked. */
static bool take(rtm_leak_t *t, const void *ptr, rtm_leak_entry_t *out)
{
    rtm_leak_entry_t *e = ptab_find(t->tab, t->cap, ptr);
    if (e == NULL) {
        t->unknown_frees++;
        return false;
    }
    *out = *e;
    e->ptr = NULL;
    t->live--;
    rtm_owner_stats_free(owner_rec(t, out->owner), out->size);
    return true;
}

static void put(rtm_leak_t *t, const void *ptr, size_t size, rtm_owner_t owner, rtm_site_t s)
{
    rtm_leak_entry_t *e = ptab_find(t->tab, t->cap, ptr);
    if (e != NULL) { /* a free we never saw: the old record is stale */
        rtm_owner_stats_free(owner_rec(t, e->owner), e->size);
        t->live--;
    } else {
        e = ptab_slot(t->tab, t->cap, ptr);
    }
    rtm_owner_stats_alloc(owner_rec(t, owner), size);
    if (e == NULL) {
        t->dropped++;
        return;
    }
    *e = (rtm_leak_entry_t){ ptr, size, s.file, s.line, t->seq++, owner };
    t->live++;
}

void rtm_leak_observer(void *user, rtm_ev_kind_t kind, const void *obj, const void *ptr,
                       const void *old, size_t size)
{
    rtm_leak_t *t = user;
    rtm_leak_entry_t was;
    if (t == NULL || (t->only != NULL && obj != t->only)) {
        return;
    }
    /* An empty slot holds NULL: a NULL block must never be looked up (a free
     * of it would "find" an empty slot and count a live block off). */
    if (ptr == NULL && kind != RTM_EV_FAIL) {
        return;
    }
    switch (kind) {
    case RTM_EV_ALLOC:
        put(t, ptr, size, rtm_owner_current(), rtm_site_current());
        break;
    case RTM_EV_FREE:
        (void)take(t, ptr, &was);
        break;
    case RTM_EV_REALLOC: {
        /* the block keeps its owner and, unless retagged, its site; the
         * resize counts as one allocation, not a free and an allocation */
        rtm_site_t s = rtm_site_current();
        rtm_owner_t o = rtm_owner_current();
        if (old != NULL && take(t, old, &was)) {
            o = was.owner;
            owner_rec(t, o)->frees--;
            if (s.file == NULL) {
                s = (rtm_site_t){ was.file, was.line };
            }
        }
        put(t, ptr, size, o, s);
        break;
    }
    default: /* RTM_EV_FAIL */
        owner_rec(t, rtm_owner_current())->fails++;
        break;
    }
}

void rtm_leak_checkpoint(rtm_leak_t *t)
{
    if (t != NULL) {
        t->mark = t->seq;
    }
}

static bool same_group(const rtm_leak_group_t *g, const rtm_leak_entry_t *e)
{
    return g->owner == e->owner && g->line == e->line && g->file == e->file;
}

/* Add e to the groups (a new group only while there is room), keeping them
 * sorted by bytes, largest first. */
static void group_add(rtm_leak_group_t *g, size_t max, size_t *n, const rtm_leak_entry_t *e)
{
    size_t i = 0;
    while (i < *n && !same_group(&g[i], e)) {
        i++;
    }
    if (i == *n) {
        if (*n == max) {
            return;
        }
        g[i] = (rtm_leak_group_t){ e->owner, e->file, e->line, 0u, 0u };
        (*n)++;
    }
    g[i].count++;
    g[i].bytes += e->size;
    while (i > 0u && g[i - 1u].bytes < g[i].bytes) {
        rtm_leak_group_t x = g[i - 1u];
        g[i - 1u] = g[i];
        g[i] = x;
        i--;
    }
}

size_t rtm_leak_report(const rtm_leak_t *t, rtm_leak_group_t *g, size_t max, size_t *total)
{
    size_t n = 0, all = 0;
    if (t == NULL || g == NULL) {
        return 0u;
    }
    uint32_t since = t->seq - t->mark;
    for (size_t i = 0; i < t->cap; i++) {
        const rtm_leak_entry_t *e = &t->tab[i];
        if (e->ptr != NULL && (uint32_t)(e->seq - t->mark) < since) {
            all++;
            group_add(g, max, &n, e);
        }
    }
    if (total != NULL) {
        *total = all;
    }
    return n;
}
