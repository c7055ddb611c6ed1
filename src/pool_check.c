/*
 * rtm_pool: the queries, statistics and the read-only integrity check, for
 * both modes (see pool.c and pool_lockfree.c).
 */
#include "rtmem/pool.h"

#include <string.h>

#include "pool_internal.h"
#include "port_section.h"

/* ---- Queries ------------------------------------------------------------------ */

/* What the counters say, in one form for both modes (locked: used = mark -
 * nfree - (hot != NULL), peak == mark, see rtm_pool_t). */
typedef struct view {
    uint32_t head, mark, used, peak; /* head in RTM_POOL_NIL form */
    uint32_t listed;                 /* blocks the list must hold */
    uint32_t hot;                    /* 1 when the hot slot holds a block */
    size_t failed;
} view_t;

static view_t read_view(const rtm_pool_t *p)
{
    /* used as the fields give it: corrupt ones may exceed 32 bits */
    size_t used = (size_t)p->mark - p->nfree - (p->hot != NULL ? 1u : 0u);
    view_t v = {p->head, p->mark, used > UINT32_MAX ? UINT32_MAX : (uint32_t)used, p->mark,
                p->nfree, p->hot != NULL ? 1u : 0u, p->failed};
#if RTMEM_CFG_POOL_LOCKFREE
    if (pool_is_lockfree(p)) {
        rtm_pool_lf_view_t lv;
        rtm_pool_lf_view_(p, &lv);
        v.head = lv.head;
        v.mark = lv.mark;
        v.used = lv.used;
        v.peak = lv.peak;
        v.failed = lv.failed;
        v.listed = v.used <= v.mark ? v.mark - v.used : 0u;
        v.hot = 0u;
    }
#endif
    return v;
}

static uint32_t used_now(const rtm_pool_t *p)
{
    /* Three fields: read them under the lock so that an alloc and a free by
     * another thread between the reads cannot show a wrapped count. */
    bool locked = !pool_is_lockfree(p) && (p->flags & RTM_POOL_NOLOCK) == 0u;
    rtm_section_t sec = 0;
    if (locked) {
        sec = rtm_section_enter_(); /* inline where the port allows, port_section.h */
    }
    uint32_t used = read_view(p).used;
    if (locked) {
        rtm_section_exit_(sec);
    }
    return used;
}

size_t rtm_pool_capacity(const rtm_pool_t *p) { return p == NULL ? 0u : p->capacity; }

size_t rtm_pool_block_size(const rtm_pool_t *p) { return p == NULL ? 0u : p->stride; }

size_t rtm_pool_used(const rtm_pool_t *p) { return p == NULL ? 0u : used_now(p); }

size_t rtm_pool_available(const rtm_pool_t *p)
{
    if (p == NULL) {
        return 0u;
    }
    uint32_t u = used_now(p);
    return u >= p->capacity ? 0u : (size_t)(p->capacity - u);
}

bool rtm_pool_owns(const rtm_pool_t *p, const void *ptr)
{
    uint32_t i;
    return p != NULL && rtm_pool_locate_(p, ptr, &i) == RTM_OK;
}

void rtm_pool_set_fault_hook(rtm_pool_t *p, rtm_fault_fn fn, void *user)
{
    if (p != NULL) {
        p->fault.hook = fn;
        p->fault.user = user;
    }
}

rtm_err_t rtm_pool_stats(const rtm_pool_t *p, rtm_pool_stats_t *out)
{
    if (p == NULL || out == NULL) {
        return RTM_ERR_NULL;
    }
    bool locked = pool_lock(p);
    view_t v = read_view(p);
    size_t cap = p->capacity;
    out->capacity = cap;
    out->block_size = p->stride;
    out->used_blocks = v.used <= cap ? v.used : cap;
    out->free_blocks = cap - out->used_blocks;
    out->peak_used = v.peak <= cap ? v.peak : cap;
    out->failed_allocs = v.failed;
    out->faults = p->fault.count;
    pool_unlock(locked);
    return RTM_OK;
}

/* ---- Integrity check (read-only) ------------------------------------------------ */

static uint32_t next_of(const rtm_pool_t *p, uint32_t i)
{
#if RTMEM_CFG_POOL_LOCKFREE
    if (pool_is_lockfree(p)) {
        return rtm_pool_lf_next_(p, i);
    }
#endif
    return rtm_pool_link_(p, i);
}

static uint32_t bitmap_word(const rtm_pool_t *p, size_t w)
{
#if RTMEM_CFG_POOL_LOCKFREE
    if (pool_is_lockfree(p)) {
        return rtm_pool_lf_bitmap_word_(p, w);
    }
#endif
    return p->bitmap[w];
}

static bool marked(const rtm_pool_t *p, uint32_t i)
{
    return p->bitmap == NULL || ((bitmap_word(p, i >> 5) >> (i & 31u)) & 1u) != 0u;
}

static rtm_err_t check_bitmap(const rtm_pool_t *p, const view_t *v, rtm_check_t *r)
{
    size_t set = 0;
    for (size_t w = 0; w < RTM_POOL_BITMAP_BYTES(p->capacity) / 4u; w++) {
        uint32_t bits = bitmap_word(p, w);
        for (uint32_t b = 0; b < 32u; b++) {
            if ((bits & (1u << b)) == 0u) {
                continue;
            }
            if (w * 32u + b >= v->mark) {
                return rtm_check_fail(r, RTM_ERR_CORRUPT, pool_block(p, (uint32_t)(w * 32u + b)),
                                      "bitmap marks a never-used block allocated");
            }
            set++;
        }
    }
    if (set != (size_t)v->used + v->hot) { /* the hot block keeps its bit */
        return rtm_check_fail(r, RTM_ERR_CORRUPT, p->bitmap,
                              "bitmap count differs from the used counter");
    }
    return RTM_OK;
}

/* Locked modes: what `signal_free` must hold (see rtm_pool_t). */
static uint8_t expected_signal(const rtm_pool_t *p)
{
    bool waiting = (p->flags & RTM_POOL_NOLOCK) == 0u && rtm_waitq_waiters(&p->waitq) != 0u;
    return waiting ? 1u : 0u;
}

/* A slot's block (hot or last) must be a handed-out block, marked in the
 * bitmap; its index into *idx (the list walk then checks it is not listed
 * too). A NULL slot passes with *idx = RTM_POOL_NIL. */
static rtm_err_t check_slot(const rtm_pool_t *p, const view_t *v, const void *b,
                            uint32_t *idx, rtm_check_t *r)
{
    *idx = RTM_POOL_NIL;
    if (b == NULL) {
        return RTM_OK;
    }
    if (rtm_pool_locate_(p, b, idx) != RTM_OK || *idx >= v->mark) {
        return rtm_check_fail(r, RTM_ERR_CORRUPT, b, "hot or last block is not a handed-out block");
    }
    if (!marked(p, *idx)) {
        return rtm_check_fail(r, RTM_ERR_CORRUPT, b, "hot or last block clear in the bitmap");
    }
    return RTM_OK;
}

/* Locked modes: both slots valid, and never both taken (see rtm_pool_t). */
static rtm_err_t check_slots(const rtm_pool_t *p, const view_t *v, uint32_t *hot,
                             uint32_t *last, rtm_check_t *r)
{
    rtm_err_t err = check_slot(p, v, p->hot, hot, r);
    if (err == RTM_OK) {
        err = check_slot(p, v, p->last, last, r);
    }
    if (err == RTM_OK && p->last != NULL && p->hot != NULL) {
        err = rtm_check_fail(r, RTM_ERR_CORRUPT, p->last, "a last block while the hot slot is taken");
    }
    return err;
}

rtm_err_t rtm_pool_check(const rtm_pool_t *p, rtm_check_t *r)
{
    rtm_check_t dummy;
    if (r == NULL) {
        r = &dummy;
    }
    memset(r, 0, sizeof *r);
    r->what = "ok";
    if (p == NULL) {
        return rtm_check_fail(r, RTM_ERR_NULL, NULL, "pool is NULL");
    }
    if (p->magic != POOL_MAGIC) {
        return rtm_check_fail(r, RTM_ERR_STATE, p, "pool is not initialised");
    }
    bool locked = pool_lock(p);
    view_t v = read_view(p);
    rtm_err_t err = RTM_OK;
    if (v.mark > p->capacity || (size_t)v.listed + v.hot > v.mark || v.used > v.mark ||
        v.peak < v.used || v.peak > p->capacity) {
        err = rtm_check_fail(r, RTM_ERR_CORRUPT, p, "counters out of range");
    } else if (!pool_is_lockfree(p) && p->signal_free != expected_signal(p)) {
        /* clear while threads wait, a free could leave them asleep */
        err = rtm_check_fail(r, RTM_ERR_CORRUPT, p, "wake-on-free flag differs from the waiters");
    }
    uint32_t hot = RTM_POOL_NIL, last = RTM_POOL_NIL;
    if (err == RTM_OK && !pool_is_lockfree(p)) {
        err = check_slots(p, &v, &hot, &last, r);
    }
    size_t walked = 0;
    /* the link is read only once its block passed every test: a bad link
     * stops the walk before it is followed */
    for (uint32_t i = v.head; err == RTM_OK && i != RTM_POOL_NIL;
         i = err == RTM_OK ? next_of(p, i) : RTM_POOL_NIL) {
        if (i >= v.mark) {
            err = rtm_check_fail(r, RTM_ERR_CORRUPT, p, "free-list link outside the used blocks");
        } else if (++walked > v.listed) {
            err = rtm_check_fail(r, RTM_ERR_CORRUPT, pool_block(p, i),
                                 "free list longer than the counters allow (cycle?)");
        } else if (i == hot || i == last) {
            err = rtm_check_fail(r, RTM_ERR_CORRUPT, pool_block(p, i),
                                 "the hot or last block is also on the free list");
        } else if (p->bitmap != NULL && (bitmap_word(p, i >> 5) & (1u << (i & 31u))) != 0u) {
            err = rtm_check_fail(r, RTM_ERR_CORRUPT, pool_block(p, i),
                                 "free-listed block marked allocated in the bitmap");
        }
    }
    if (err == RTM_OK && walked != v.listed) {
        err = rtm_check_fail(r, RTM_ERR_CORRUPT, p, "free list shorter than the counters say");
    }
    if (err == RTM_OK && p->bitmap != NULL) {
        err = check_bitmap(p, &v, r);
    }
    r->blocks = v.mark;
    r->free_blocks = walked + v.hot + (p->capacity - v.mark);
    r->free_bytes = r->free_blocks * p->stride;
    pool_unlock(locked);
    return err;
}
