/* Binary and mtrace traces to rtmem trace v1 text: see decode.h. */
#include "decode.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rtmem/trace.h"

/* ---- pointer -> id map ---------------------------------------------------- */

static size_t slot_of(const trace_writer_t *w, uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 29;
    return (size_t)k & (w->cap - 1u);
}

/* Keys are stored + 2 so that 0 and 1 can mark empty and deleted cells. */
static uint64_t *find(const trace_writer_t *w, uint64_t ptr)
{
    uint64_t k = ptr + 2u;
    for (size_t i = slot_of(w, k);; i = (i + 1u) & (w->cap - 1u)) {
        if (w->key[i] == k) {
            return &w->key[i];
        }
        if (w->key[i] == 0u) {
            return NULL;
        }
    }
}

static int rehash(trace_writer_t *w, size_t cap)
{
    trace_writer_t n = *w;
    n.cap = cap;
    n.key = calloc(cap, sizeof *n.key);
    n.val = calloc(cap, sizeof *n.val);
    if (!n.key || !n.val) {
        free(n.key);
        free(n.val);
        return -1;
    }
    for (size_t i = 0; i < w->cap; i++) {
        if (w->key[i] > 1u) {
            size_t j = slot_of(&n, w->key[i]);
            while (n.key[j] != 0u) {
                j = (j + 1u) & (cap - 1u);
            }
            n.key[j] = w->key[i];
            n.val[j] = w->val[i];
        }
    }
    free(w->key);
    free(w->val);
    w->key = n.key;
    w->val = n.val;
    w->cap = cap;
    w->tombs = 0;
    return 0;
}

static int map_put(trace_writer_t *w, uint64_t ptr, uint64_t id)
{
    if ((w->count + w->tombs + 1u) * 2u > w->cap &&
        rehash(w, w->count * 4u > w->cap ? w->cap * 2u : w->cap) != 0) {
        return -1;
    }
    uint64_t k = ptr + 2u;
    size_t i = slot_of(w, k);
    while (w->key[i] > 1u) {
        i = (i + 1u) & (w->cap - 1u);
    }
    if (w->key[i] == 1u) {
        w->tombs--;
    }
    w->key[i] = k;
    w->val[i] = id;
    w->count++;
    return 0;
}

/* Remove ptr; its id in *id. false if it is not live. */
static bool map_take(trace_writer_t *w, uint64_t ptr, uint64_t *id)
{
    uint64_t *k = find(w, ptr);
    if (!k) {
        return false;
    }
    *id = w->val[k - w->key];
    *k = 1u;
    w->count--;
    w->tombs++;
    return true;
}

/* ---- the writer ------------------------------------------------------------- */

int trace_writer_open(trace_writer_t *w, FILE *out)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->cap = 64;
    w->key = calloc(w->cap, sizeof *w->key);
    w->val = calloc(w->cap, sizeof *w->val);
    if (!w->key || !w->val) {
        free(w->key);
        free(w->val);
        return -1;
    }
    fprintf(out, "%s\n", TRACE_HEADER);
    return 0;
}

static int new_block(trace_writer_t *w, uint64_t ptr, size_t size, char op, uint64_t id)
{
    uint64_t stale;
    if (map_take(w, ptr, &stale)) { /* a free the trace never saw */
        fprintf(w->out, "# block %llu at 0x%llx was never freed in the trace: freed here\nf %llu\n",
                (unsigned long long)stale, (unsigned long long)ptr, (unsigned long long)stale);
        w->unknown++;
    }
    fprintf(w->out, "%c %llu %zu\n", op, (unsigned long long)id, size);
    return map_put(w, ptr, id);
}

int trace_writer_event(trace_writer_t *w, rtm_ev_kind_t kind, uint64_t ptr, uint64_t old,
                       size_t size)
{
    uint64_t id;
    w->events++;
    switch (kind) {
    case RTM_EV_ALLOC:
        return new_block(w, ptr, size, 'a', w->next_id++);
    case RTM_EV_FREE:
        if (!map_take(w, ptr, &id)) {
            fprintf(w->out, "# free of 0x%llx, a block the trace never saw: skipped\n",
                    (unsigned long long)ptr);
            w->unknown++;
            return 0;
        }
        fprintf(w->out, "f %llu\n", (unsigned long long)id);
        return 0;
    case RTM_EV_REALLOC:
        if (old == 0u) {
            return new_block(w, ptr, size, 'a', w->next_id++);
        }
        if (!map_take(w, old, &id)) {
            fprintf(w->out, "# realloc of 0x%llx, a block the trace never saw: an alloc\n",
                    (unsigned long long)old);
            w->unknown++;
            return new_block(w, ptr, size, 'a', w->next_id++);
        }
        return new_block(w, ptr, size, 'r', id);
    default:
        fprintf(w->out, "# failed allocation of %zu bytes\n", size);
        w->failed++;
        return 0;
    }
}

void trace_writer_owner(trace_writer_t *w, unsigned owner)
{
    if (owner != w->owner) {
        fprintf(w->out, "# owner %u\n", owner);
        w->owner = owner;
    }
}

void trace_writer_close(trace_writer_t *w)
{
    fprintf(w->out, "# %zu events, %zu failed allocations, %zu records lost, %zu unmatched, "
            "%zu blocks live at the end\n", w->events, w->failed, w->lost, w->unknown, w->count);
    free(w->key);
    free(w->val);
    w->key = w->val = NULL;
}

void trace_writer_observer(void *user, rtm_ev_kind_t kind, const void *obj, const void *ptr,
                           const void *old, size_t size)
{
    (void)obj;
    trace_writer_owner(user, rtm_owner_current());
    (void)trace_writer_event(user, kind, (uint64_t)(uintptr_t)ptr, (uint64_t)(uintptr_t)old,
                             size);
}

/* ---- the binary stream (rtmem/trace.h) ------------------------------------ */

decode_fmt_t decode_detect(const uint8_t *d, size_t len)
{
    if (len >= 4u && memcmp(d, RTM_TRACE_MAGIC, 4u) == 0) {
        return DECODE_BINARY;
    }
    if (len >= strlen(TRACE_HEADER) && memcmp(d, TRACE_HEADER, strlen(TRACE_HEADER)) == 0) {
        return DECODE_TEXT;
    }
    if ((len >= 7u && memcmp(d, "= Start", 7u) == 0) || (len >= 2u && memcmp(d, "@ ", 2u) == 0)) {
        return DECODE_MTRACE;
    }
    return DECODE_UNKNOWN;
}

static bool get_uleb(const uint8_t *d, size_t len, size_t *at, uint64_t *v)
{
    *v = 0;
    for (unsigned shift = 0; shift < 64u; shift += 7u) {
        if (*at >= len) {
            return false;
        }
        uint8_t b = d[(*at)++];
        *v |= (uint64_t)(b & 0x7Fu) << shift;
        if ((b & 0x80u) == 0u) {
            return true;
        }
    }
    return false;
}

static int decode_binary(const uint8_t *d, size_t len, trace_writer_t *w, char *err,
                         size_t errlen)
{
    if (len < RTM_TRACE_HEADER_BYTES || d[4] != RTM_TRACE_VERSION) {
        snprintf(err, errlen, "binary trace: bad header (version %u)", len > 4u ? d[4] : 0u);
        return -1;
    }
    /* Byte 5 is sizeof(void *) of the target (rtmem/trace.h): any other value
     * is a stream from something else, or damaged; not decoded as if it fit. */
    if (d[5] != 4u && d[5] != 8u) {
        snprintf(err, errlen, "binary trace: bad header: pointer size %u bytes (byte 5; 4 or 8 expected)",
                 d[5]);
        return -1;
    }
    fprintf(w->out, "# decoded from an rtmem binary trace, %u-byte pointers\n", d[5]);
    size_t at = RTM_TRACE_HEADER_BYTES;
    while (at < len) {
        size_t start = at;
        uint8_t tag = d[at++];
        uint64_t ptr = 0, old = 0, size = 0, owner = 0;
        bool ok = true;
        if (tag == RTM_TRACE_TAG_LOST) {
            ok = get_uleb(d, len, &at, &size);
            if (ok) {
                fprintf(w->out, "# %llu records lost here: the trace has a gap\n",
                        (unsigned long long)size);
                w->lost += (size_t)size;
            }
        } else if ((tag & ~0x07u) != 0u) {
            snprintf(err, errlen, "binary trace: unknown tag 0x%02x at byte %zu", tag, start);
            return -1;
        } else {
            rtm_ev_kind_t k = (rtm_ev_kind_t)(tag & 3u);
            ok = (k == RTM_EV_FAIL || get_uleb(d, len, &at, &ptr)) &&
                 (k != RTM_EV_REALLOC || get_uleb(d, len, &at, &old)) &&
                 (k == RTM_EV_FREE || get_uleb(d, len, &at, &size)) &&
                 ((tag & RTM_TRACE_TAG_OWNER) == 0u || get_uleb(d, len, &at, &owner));
            if (ok) {
                if (tag & RTM_TRACE_TAG_OWNER) {
                    trace_writer_owner(w, (unsigned)owner);
                }
                if (trace_writer_event(w, k, ptr, old, (size_t)size) != 0) {
                    snprintf(err, errlen, "out of memory");
                    return -1;
                }
            }
        }
        if (!ok) {
            snprintf(err, errlen, "binary trace: record at byte %zu is cut short", start);
            return -1;
        }
    }
    return 0;
}

/* ---- glibc mtrace ------------------------------------------------------------
 * Lines "@ caller + 0xPTR 0xSIZE" (malloc), "- 0xPTR" (free), "< 0xOLD" then
 * "> 0xNEW 0xSIZE" (realloc), "! 0xPTR 0xSIZE" (failed realloc); "= Start" and
 * "= End" frame them. The caller part is optional and may hold spaces, so
 * the operation is found from the end of the line. */

static bool parse_ptr(const char *s, uint64_t *v)
{
    char *end;
    if (strcmp(s, "(nil)") == 0) {
        *v = 0;
        return true;
    }
    *v = strtoull(s, &end, 16);
    return end != s && *end == '\0';
}

static int mtrace_line(trace_writer_t *w, char *line, size_t lineno, char *err, size_t errlen)
{
    char *tok[64];
    size_t n = 0;
    for (char *t = strtok(line, " \t\r"); t && n < 64u; t = strtok(NULL, " \t\r")) {
        tok[n++] = t;
    }
    if (n == 0u || tok[0][0] == '=') {
        return 0;
    }
    size_t i = n;
    while (i > 0u && !(strlen(tok[i - 1u]) == 1u && strchr("+-<>!", tok[i - 1u][0]))) {
        i--;
    }
    uint64_t p = 0, sz = 0;
    char op = i > 0u ? tok[i - 1u][0] : '?';
    bool has_size = op == '+' || op == '>' || op == '!';
    if (i == 0u || i >= n || !parse_ptr(tok[i], &p) ||
        (has_size && (i + 1u >= n || !parse_ptr(tok[i + 1u], &sz)))) {
        snprintf(err, errlen, "mtrace line %zu: not an mtrace event", lineno);
        return -1;
    }
    switch (op) {
    case '+':
        return p == 0u ? trace_writer_event(w, RTM_EV_FAIL, 0, 0, (size_t)sz)
                       : trace_writer_event(w, RTM_EV_ALLOC, p, 0, (size_t)sz);
    case '-':
        return trace_writer_event(w, RTM_EV_FREE, p, 0, 0);
    case '<':
        w->pending_old = p;
        return 0;
    case '>': {
        uint64_t old = w->pending_old;
        w->pending_old = 0;
        return trace_writer_event(w, RTM_EV_REALLOC, p, old, (size_t)sz);
    }
    default: /* '!': realloc failed, the old block stays */
        return trace_writer_event(w, RTM_EV_FAIL, 0, 0, (size_t)sz);
    }
}

static int decode_mtrace(const uint8_t *d, size_t len, trace_writer_t *w, char *err,
                         size_t errlen)
{
    fprintf(w->out, "# decoded from glibc mtrace output\n");
    size_t lineno = 0;
    for (size_t at = 0; at < len;) {
        const uint8_t *nl = memchr(d + at, '\n', len - at);
        size_t l = nl ? (size_t)(nl - (d + at)) : len - at;
        char *line = malloc(l + 1u);
        if (!line) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        memcpy(line, d + at, l);
        line[l] = '\0';
        lineno++;
        int rc = mtrace_line(w, line, lineno, err, errlen);
        free(line);
        if (rc != 0) {
            return -1;
        }
        at += l + 1u;
    }
    return 0;
}

int decode_to_text(const uint8_t *data, size_t len, FILE *out, trace_writer_t *stats,
                   char *err, size_t errlen)
{
    trace_writer_t w;
    decode_fmt_t f = decode_detect(data, len);
    if (f != DECODE_BINARY && f != DECODE_MTRACE) {
        snprintf(err, errlen, "neither an rtmem binary trace (RTMT) nor glibc mtrace output");
        return -1;
    }
    if (trace_writer_open(&w, out) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = f == DECODE_BINARY ? decode_binary(data, len, &w, err, errlen)
                                : decode_mtrace(data, len, &w, err, errlen);
    if (stats) {
        *stats = w;
    }
    trace_writer_close(&w);
    return rc;
}

uint8_t *decode_read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t cap = 0;
    *len = 0;
    if (!f) {
        return NULL;
    }
    for (;;) {
        if (*len == cap) {
            uint8_t *nb = realloc(buf, cap ? cap * 2u : 65536u);
            if (!nb) {
                free(buf);
                fclose(f);
                errno = ENOMEM;
                return NULL;
            }
            buf = nb;
            cap = cap ? cap * 2u : 65536u;
        }
        size_t r = fread(buf + *len, 1, cap - *len, f);
        if (r == 0u) {
            break;
        }
        *len += r;
    }
    /* a directory opens but does not read (EISDIR): not an empty trace */
    int e = ferror(f) ? errno : 0;
    fclose(f);
    if (e != 0) {
        free(buf);
        errno = e;
        return NULL;
    }
    return buf;
}

int trace_load_any(trace_t *t, const char *path, trace_error_t *err)
{
    size_t len;
    uint8_t *data = decode_read_all(path, &len);
    memset(t, 0, sizeof *t);
    err->line = 0;
    if (!data) {
        snprintf(err->reason, sizeof err->reason, "cannot read: %s", strerror(errno));
        return -1;
    }
    decode_fmt_t f = decode_detect(data, len);
    if (f != DECODE_BINARY && f != DECODE_MTRACE) {
        int rc = trace_parse(t, (const char *)data, len, err);
        free(data);
        return rc;
    }
    char *text = NULL;
    size_t tlen = 0;
    FILE *m = open_memstream(&text, &tlen);
    int rc = m ? decode_to_text(data, len, m, NULL, err->reason, sizeof err->reason) : -1;
    if (m) {
        fclose(m);
    }
    free(data);
    if (rc == 0) {
        rc = trace_parse(t, text, tlen, err);
    }
    free(text);
    return rc;
}
