/* rtmem trace v1 parser: see trace.h. */
#include "trace.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- id -> slot map: open addressing, linear probing, backward-shift delete.
 * Capacity is a power of two kept at least twice the live count, so a probe
 * sequence is short and never full. */
typedef struct idmap {
    uint64_t *key;
    uint32_t *val;
    bool *used;
    size_t cap, count;
} idmap_t;

static size_t idmap_hash(uint64_t k, size_t cap)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return (size_t)k & (cap - 1u);
}

static int idmap_alloc(idmap_t *m, size_t cap)
{
    m->key = calloc(cap, sizeof *m->key);
    m->val = calloc(cap, sizeof *m->val);
    m->used = calloc(cap, sizeof *m->used);
    m->cap = cap;
    m->count = 0;
    return (m->key && m->val && m->used) ? 0 : -1;
}

static void idmap_release(idmap_t *m)
{
    free(m->key);
    free(m->val);
    free(m->used);
    memset(m, 0, sizeof *m);
}

/* Index of `k`, or of the empty cell where it would go. */
static size_t idmap_find(const idmap_t *m, uint64_t k)
{
    size_t i = idmap_hash(k, m->cap);
    while (m->used[i] && m->key[i] != k) {
        i = (i + 1u) & (m->cap - 1u);
    }
    return i;
}

static int idmap_put(idmap_t *m, uint64_t k, uint32_t v);

static int idmap_grow(idmap_t *m)
{
    idmap_t old = *m;
    if (idmap_alloc(m, old.cap * 2u) != 0) {
        idmap_release(m);
        *m = old;
        return -1;
    }
    for (size_t i = 0; i < old.cap; i++) {
        if (old.used[i]) {
            (void)idmap_put(m, old.key[i], old.val[i]);
        }
    }
    idmap_release(&old);
    return 0;
}

static int idmap_put(idmap_t *m, uint64_t k, uint32_t v)
{
    if ((m->count + 1u) * 2u > m->cap && idmap_grow(m) != 0) {
        return -1;
    }
    size_t i = idmap_find(m, k);
    m->used[i] = true;
    m->key[i] = k;
    m->val[i] = v;
    m->count++;
    return 0;
}

/* Remove the cell at `i`, shifting later members of its cluster back so that
 * lookups never need tombstones. */
static void idmap_del_at(idmap_t *m, size_t i)
{
    size_t mask = m->cap - 1u;
    size_t j = i;
    for (;;) {
        j = (j + 1u) & mask;
        if (!m->used[j]) {
            break;
        }
        size_t home = idmap_hash(m->key[j], m->cap);
        /* j's entry may move to i when its home is not cyclically in (i, j]. */
        bool stays = (i <= j) ? (i < home && home <= j) : (i < home || home <= j);
        if (!stays) {
            m->key[i] = m->key[j];
            m->val[i] = m->val[j];
            i = j;
        }
    }
    m->used[i] = false;
    m->count--;
}

/* ---- parser ---------------------------------------------------------------- */

typedef struct parser {
    trace_t *t;
    trace_error_t *err;
    size_t line;
    size_t cap_ev;
    idmap_t ids;
    uint32_t *free_slots; /* stack of slots released by frees */
    size_t n_free_slots;
    size_t *slot_size;    /* requested size of the block in each slot */
    size_t cap_slots;
    size_t live_bytes, live_blocks;
} parser_t;

static int fail(parser_t *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    p->err->line = p->line;
    (void)vsnprintf(p->err->reason, sizeof p->err->reason, fmt, ap);
    va_end(ap);
    return -1;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Split [s, e) into at most `max` blank-separated fields; returns the count, or
 * max + 1 when there are more. */
static size_t split(const char *s, const char *e, const char **fs, size_t *fl, size_t max)
{
    size_t n = 0;
    while (s < e) {
        while (s < e && is_blank(*s)) {
            s++;
        }
        if (s == e) {
            break;
        }
        const char *b = s;
        while (s < e && !is_blank(*s)) {
            s++;
        }
        if (n == max) {
            return max + 1u;
        }
        fs[n] = b;
        fl[n] = (size_t)(s - b);
        n++;
    }
    return n;
}

/* Decimal digits only (no sign, no spaces), at most `limit`. */
static int parse_num(parser_t *p, const char *s, size_t len, uint64_t limit, const char *what,
                     uint64_t *out)
{
    uint64_t v = 0;
    if (len == 0u) {
        return fail(p, "malformed line: missing %s", what);
    }
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return fail(p, "malformed line: %s '%.*s' is not a decimal number", what,
                        (int)(len > 40u ? 40u : len), s);
        }
        uint64_t d = (uint64_t)(s[i] - '0');
        if (v > (limit - d) / 10u) {
            return fail(p, "number too large: %s '%.*s' exceeds %llu", what,
                        (int)(len > 40u ? 40u : len), s, (unsigned long long)limit);
        }
        v = v * 10u + d;
    }
    *out = v;
    return 0;
}

static int push_event(parser_t *p, char op, uint32_t slot, size_t size)
{
    if (p->t->n == p->cap_ev) {
        size_t cap = p->cap_ev ? p->cap_ev * 2u : 1024u;
        trace_event_t *ev = realloc(p->t->ev, cap * sizeof *ev);
        if (!ev) {
            return fail(p, "out of memory");
        }
        p->t->ev = ev;
        p->cap_ev = cap;
    }
    trace_event_t *e = &p->t->ev[p->t->n++];
    e->op = op;
    e->slot = slot;
    e->size = size;
    e->line = (uint32_t)p->line;
    return 0;
}

static int new_slot(parser_t *p, uint32_t *slot)
{
    if (p->n_free_slots > 0u) {
        *slot = p->free_slots[--p->n_free_slots];
        return 0;
    }
    if (p->t->slots == p->cap_slots) {
        size_t cap = p->cap_slots ? p->cap_slots * 2u : 256u;
        size_t *ss = realloc(p->slot_size, cap * sizeof *ss);
        uint32_t *fs = ss ? realloc(p->free_slots, cap * sizeof *fs) : NULL;
        if (ss) {
            p->slot_size = ss;
        }
        if (!fs) {
            return fail(p, "out of memory");
        }
        p->free_slots = fs;
        p->cap_slots = cap;
    }
    if (p->t->slots >= UINT32_MAX) {
        return fail(p, "too many live blocks");
    }
    *slot = (uint32_t)p->t->slots++;
    return 0;
}

static void live_add(parser_t *p, size_t size)
{
    p->live_bytes += size;
    if (p->live_bytes > p->t->peak_live_bytes) {
        p->t->peak_live_bytes = p->live_bytes;
    }
}

static int event_line(parser_t *p, const char *s, const char *e)
{
    const char *f[4];
    size_t fl[4];
    size_t n = split(s, e, f, fl, 3u);
    if (fl[0] != 1u || (f[0][0] != 'a' && f[0][0] != 'f' && f[0][0] != 'r')) {
        return fail(p, "malformed line: unknown event '%.*s' (expected a, f or r)",
                    (int)(fl[0] > 20u ? 20u : fl[0]), f[0]);
    }
    char op = f[0][0];
    size_t want = (op == 'f') ? 2u : 3u;
    if (n != want) {
        return fail(p, "malformed line: '%c' takes %s", op,
                    op == 'f' ? "exactly <id>" : "exactly <id> <size>");
    }
    uint64_t id = 0, size = 0;
    if (parse_num(p, f[1], fl[1], UINT64_MAX, "id", &id) != 0) {
        return -1;
    }
    if (want == 3u && parse_num(p, f[2], fl[2], (uint64_t)SIZE_MAX, "size", &size) != 0) {
        return -1;
    }
    size_t cell = idmap_find(&p->ids, id);
    bool live = p->ids.used[cell];
    if (op == 'a') {
        if (live) {
            return fail(p, "duplicate live id %llu (allocated again before it was freed)",
                        (unsigned long long)id);
        }
        if (p->live_bytes > SIZE_MAX - (size_t)size) {
            return fail(p, "number too large: live bytes overflow");
        }
        uint32_t slot = 0;
        if (new_slot(p, &slot) != 0 || idmap_put(&p->ids, id, slot) != 0) {
            return p->err->line ? -1 : fail(p, "out of memory");
        }
        p->slot_size[slot] = (size_t)size;
        live_add(p, (size_t)size);
        if (++p->live_blocks > p->t->peak_live_blocks) {
            p->t->peak_live_blocks = p->live_blocks;
        }
        p->t->n_alloc++;
        p->t->total_alloc_bytes += size;
        return push_event(p, op, slot, (size_t)size);
    }
    if (!live) {
        return fail(p, "unknown id %llu (not live at this point)", (unsigned long long)id);
    }
    uint32_t slot = p->ids.val[cell];
    p->live_bytes -= p->slot_size[slot];
    if (op == 'f') {
        idmap_del_at(&p->ids, cell);
        p->free_slots[p->n_free_slots++] = slot;
        p->live_blocks--;
        p->t->n_free++;
        return push_event(p, op, slot, 0u);
    }
    if (p->live_bytes > SIZE_MAX - (size_t)size) {
        return fail(p, "number too large: live bytes overflow");
    }
    p->slot_size[slot] = (size_t)size;
    live_add(p, (size_t)size);
    p->t->n_realloc++;
    p->t->total_alloc_bytes += size;
    return push_event(p, op, slot, (size_t)size);
}

static int parse_line(parser_t *p, const char *s, const char *e)
{
    while (e > s && (e[-1] == '\r' || is_blank(e[-1]))) {
        e--;
    }
    if (p->line == 1u) {
        size_t hl = strlen(TRACE_HEADER);
        if ((size_t)(e - s) != hl || memcmp(s, TRACE_HEADER, hl) != 0) {
            return fail(p, "bad header: the first line must be '%s'", TRACE_HEADER);
        }
        return 0;
    }
    const char *b = s;
    while (b < e && is_blank(*b)) {
        b++;
    }
    if (b == e || *b == '#') {
        return 0; /* blank line or comment */
    }
    return event_line(p, b, e);
}

int trace_parse(trace_t *t, const char *text, size_t len, trace_error_t *err)
{
    parser_t p;
    memset(&p, 0, sizeof p);
    memset(t, 0, sizeof *t);
    memset(err, 0, sizeof *err);
    p.t = t;
    p.err = err;
    int rc = idmap_alloc(&p.ids, 1024u);
    if (rc != 0) {
        rc = fail(&p, "out of memory");
    }
    const char *s = text;
    const char *end = text + len;
    while (rc == 0 && s < end) {
        const char *e = memchr(s, '\n', (size_t)(end - s));
        if (!e) {
            e = end;
        }
        p.line++;
        if (p.line > UINT32_MAX) {
            rc = fail(&p, "too many lines");
            break;
        }
        if (memchr(s, '\0', (size_t)(e - s)) != NULL) {
            rc = fail(&p, "malformed line: contains a NUL byte");
            break;
        }
        rc = parse_line(&p, s, e);
        s = e + (e < end ? 1 : 0);
    }
    if (rc == 0 && p.line == 0u) {
        p.line = 1u;
        rc = fail(&p, "bad header: the trace is empty (the first line must be '%s')", TRACE_HEADER);
    }
    if (rc == 0) {
        t->leaked_blocks = p.live_blocks;
        t->leaked_bytes = p.live_bytes;
    }
    idmap_release(&p.ids);
    free(p.free_slots);
    free(p.slot_size);
    if (rc != 0) {
        trace_free(t);
    }
    return rc;
}

int trace_load(trace_t *t, const char *path, trace_error_t *err)
{
    memset(t, 0, sizeof *t);
    memset(err, 0, sizeof *err);
    FILE *f = fopen(path, "rb");
    if (!f) {
        (void)snprintf(err->reason, sizeof err->reason, "cannot open: %s", strerror(errno));
        return -1;
    }
    size_t cap = 1u << 16, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (len < cap) {
            break;
        }
        char *nb = realloc(buf, cap * 2u);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2u;
    }
    int ioerr = ferror(f);
    (void)fclose(f);
    if (!buf || ioerr) {
        free(buf);
        (void)snprintf(err->reason, sizeof err->reason, "cannot read: %s", strerror(errno));
        return -1;
    }
    int rc = trace_parse(t, buf, len, err);
    free(buf);
    return rc;
}

void trace_free(trace_t *t)
{
    free(t->ev);
    memset(t, 0, sizeof *t);
}
