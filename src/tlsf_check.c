/*
 * rtm_tlsf: queries, statistics, the heap walk and the integrity check
 * (O(blocks)), and the memory bound. Layout: include/rtmem/tlsf.h.
 */
#include "rtmem/tlsf.h"

#include <string.h>

#include "rtm_internal.h"
#include "tlsf_internal.h"

size_t rtm_tlsf_free_bytes(const rtm_tlsf_t *t)
{
    return t != NULL ? t->total_bytes - t->used_bytes : 0u;
}

size_t rtm_tlsf_min_ever_free(const rtm_tlsf_t *t)
{
    return t != NULL ? t->total_bytes - t->max_used : 0u;
}

void rtm_tlsf_reset_min_ever_free(rtm_tlsf_t *t)
{
    if (t != NULL) {
        t->max_used = t->used_bytes;
    }
}

size_t rtm_tlsf_largest_free(const rtm_tlsf_t *t)
{
    if (t == NULL || t->fl_map == 0u) {
        return 0u;
    }
    unsigned fl = fls_sz(t->fl_map);
    unsigned sl = fls_sz(t->sl[fl]);
    return bsize(dec(t, t->heads[(fl << RTM_SL_LOG2) + sl]));
}

static size_t smallest_free(const rtm_tlsf_t *t)
{
    if (t->fl_map == 0u) {
        return 0u;
    }
    unsigned fl = ffs32(t->fl_map);
    unsigned sl = ffs32(t->sl[fl]);
    return bsize(dec(t, t->heads[(fl << RTM_SL_LOG2) + sl]));
}

void rtm_tlsf_stats(const rtm_tlsf_t *t, rtm_stats_t *out)
{
    if (t == NULL || out == NULL) {
        return;
    }
    out->total_bytes = t->total_bytes;
    out->free_bytes = t->total_bytes - t->used_bytes;
    out->min_ever_free = t->total_bytes - t->max_used;
    out->largest_free = rtm_tlsf_largest_free(t);
    out->smallest_free = smallest_free(t);
    out->free_blocks = t->free_blocks;
    out->used_blocks = t->alloc_count - t->free_count;
    out->alloc_count = t->alloc_count;
    out->free_count = t->free_count;
    out->failed_allocs = t->failed_allocs;
    out->faults = t->fault.count;
}

void rtm_tlsf_set_fault_hook(rtm_tlsf_t *t, rtm_fault_fn fn, void *user)
{
    if (t != NULL) {
        t->fault.hook = fn;
        t->fault.user = user;
    }
}

/* ---- Walk and check (O(blocks)) ----------------------------------------- */

/* Regions visited so far exceed what the heap can hold: a cycle. */
static bool too_many(const rtm_tlsf_t *t, size_t regions)
{
    return regions > t->total_bytes / RTM_BMIN;
}

rtm_err_t rtm_tlsf_walk(const rtm_tlsf_t *t, rtm_tlsf_walker fn, void *user)
{
    if (t == NULL || fn == NULL) {
        return RTM_ERR_NULL;
    }
    size_t regions = 0;
    for (uintptr_t h = t->regions; h != 0u; h = rtm_tlsf_region_next(t, h)) {
        uintptr_t e = rtm_tlsf_region_end(h);
        if (++regions > 1u && too_many(t, regions)) {
            return RTM_ERR_CORRUPT;
        }
        if (e < h || e >= t->hi) {
            return RTM_ERR_CORRUPT;
        }
        for (uintptr_t b = h; b < e;) {
            rtm_tw_t hd = *hdr(b);
            size_t s = rtm_tlsf_any_size(hd);
            bool used = (hd & RTM_TF_FREE) == 0u;
            if (s < RTM_BMIN || s > e - b) {
                return RTM_ERR_CORRUPT;
            }
            if (!fn(user, (void *)(b + RTM_TW), s - (used ? RTM_TX : RTM_TW), used)) {
                return RTM_OK;
            }
            b += s;
        }
    }
    return RTM_OK;
}

/* Physical walk of one region; adds to r's counts and *used. */
static rtm_err_t check_region(const rtm_tlsf_t *t, uintptr_t h, rtm_check_t *r, size_t *used)
{
    uintptr_t e = rtm_tlsf_region_end(h);
    if (e < h + RTM_BMIN || e > t->hi - RTM_TW || ((e - h) & (RTM_G - 1u)) != 0u) {
        return rtm_check_fail(r, RTM_ERR_CORRUPT, (void *)h, "region descriptor damaged");
    }
    bool prev_free = false;
    uintptr_t b = h;
    while (b < e) {
        rtm_tw_t hd = *hdr(b);
        size_t s = rtm_tlsf_any_size(hd);
        r->blocks++;
        if (s < RTM_BMIN || s > e - b || (s & (RTM_G - 1u)) != 0u) {
            return rtm_check_fail(r, RTM_ERR_CORRUPT, (void *)b, "block size out of range");
        }
        if (((hd & RTM_TF_PREV_FREE) != 0u) != prev_free) {
            return rtm_check_fail(r, RTM_ERR_CORRUPT, (void *)b,
                                  "PREV_FREE bit disagrees with the previous block");
        }
        if ((hd & RTM_TF_STATE) == RTM_TF_FREE) {
            if (prev_free) {
                return rtm_check_fail(r, RTM_ERR_CORRUPT, (void *)b, "two adjacent free blocks");
            }
            if (prev_size(b + s) != s) {
                return rtm_check_fail(r, RTM_ERR_CORRUPT, (void *)b, "free block size copy damaged");
            }
            r->free_blocks++;
            r->free_bytes += s;
            prev_free = true;
        } else if ((hd & RTM_TF_STATE) == RTM_TF_USED) {
            if (!used_ok(t, b, hd)) {
                return rtm_check_fail(r, RTM_ERR_CORRUPT, (void *)b, "used block check byte damaged");
            }
#if RTMEM_CFG_HARDEN >= 2
            if (*rtm_tlsf_word(b + s - RTM_TW) != rtm_tlsf_guard(b - t->origin, RTM_CANARY(t))) {
                return rtm_check_fail(r, RTM_ERR_CORRUPT, (void *)b, "guard word after a block overwritten");
            }
#endif
            (*used)++;
            prev_free = false;
        } else {
            return rtm_check_fail(r, RTM_ERR_CORRUPT, (void *)b, "block state bits damaged");
        }
        b += s;
    }
    if (b != e || *hdr(e) != (used_word(t, e, 0u) | (prev_free ? RTM_TF_PREV_FREE : 0u))) {
        return rtm_check_fail(r, RTM_ERR_CORRUPT, (void *)e, "region sentinel damaged");
    }
    return RTM_OK;
}

/* Walk every list: links both ways, class of each block, bitmaps. */
static rtm_err_t check_lists(const rtm_tlsf_t *t, rtm_check_t *r)
{
    size_t listed = 0;
    if ((t->fl_map >> t->fl_count) != 0u) {
        return rtm_check_fail(r, RTM_ERR_CORRUPT, &t->fl_map, "FL bitmap beyond the classes");
    }
    for (unsigned fl = 0; fl < t->fl_count; fl++) {
        uint32_t slm = t->sl[fl];
        if ((slm != 0u) != (((t->fl_map >> fl) & 1u) != 0u) ||
            (RTM_SL_COUNT < 32u && (slm >> (RTM_SL_COUNT & 31u)) != 0u)) {
            return rtm_check_fail(r, RTM_ERR_CORRUPT, &t->sl[fl],
                                  "FL bitmap disagrees with an SL bitmap");
        }
        for (unsigned sl = 0; sl < RTM_SL_COUNT; sl++) {
            unsigned idx = (fl << RTM_SL_LOG2) + sl;
            uintptr_t l = t->heads[idx];
            uintptr_t prev = 0u;
            if ((l != 0u) != (((slm >> sl) & 1u) != 0u)) {
                return rtm_check_fail(r, RTM_ERR_CORRUPT, &t->heads[idx],
                                      "SL bitmap disagrees with its list");
            }
            while (l != 0u) {
                uintptr_t x = dec(t, l);
                if (!rtm_tlsf_in_span(t, x) || x + RTM_BMIN > t->hi || ((x + RTM_TW) & (RTM_G - 1u)) != 0u) {
                    return rtm_check_fail(r, RTM_ERR_CORRUPT, &t->heads[idx], "list link out of range");
                }
                if ((*hdr(x) & RTM_TF_STATE) != RTM_TF_FREE) {
                    return rtm_check_fail(r, RTM_ERR_CORRUPT, (void *)x, "used block in a free list");
                }
                if (class_of(bsize(x)) != idx) {
                    return rtm_check_fail(r, RTM_ERR_CORRUPT, (void *)x, "free block in the wrong class");
                }
                if (get_prev(t, x) != prev) {
                    return rtm_check_fail(r, RTM_ERR_CORRUPT, (void *)x, "free list back link damaged");
                }
                if (++listed > r->free_blocks) {
                    return rtm_check_fail(r, RTM_ERR_CORRUPT, (void *)x,
                                          "free lists hold more blocks than the heap (cycle?)");
                }
                prev = l;
                l = get_next(t, x);
            }
        }
    }
    if (listed != r->free_blocks) {
        return rtm_check_fail(r, RTM_ERR_CORRUPT, NULL, "a free block is missing from the lists");
    }
    return RTM_OK;
}

rtm_err_t rtm_tlsf_check(const rtm_tlsf_t *t, rtm_check_t *report)
{
    rtm_check_t local;
    rtm_check_t *r = report != NULL ? report : &local;
    memset(r, 0, sizeof(*r));
    r->err = RTM_OK;
    r->what = "ok";
    if (t == NULL) {
        return rtm_check_fail(r, RTM_ERR_NULL, NULL, "NULL instance");
    }
    if (t->sl == NULL) {
        return rtm_check_fail(r, RTM_ERR_STATE, t, "not initialised");
    }
    size_t used = 0;
    size_t regions = 0;
    for (uintptr_t h = t->regions; h != 0u; h = rtm_tlsf_region_next(t, h)) {
        if (!rtm_tlsf_in_span(t, h) || (++regions > 1u && too_many(t, regions))) {
            return rtm_check_fail(r, RTM_ERR_CORRUPT, (void *)h, "region list damaged");
        }
        rtm_err_t e = check_region(t, h, r, &used);
        if (e != RTM_OK) {
            return e;
        }
    }
    if (r->free_blocks != t->free_blocks || r->free_bytes != t->total_bytes - t->used_bytes) {
        return rtm_check_fail(r, RTM_ERR_CORRUPT, t, "free counters disagree with the blocks");
    }
    if (used != t->alloc_count - t->free_count) {
        return rtm_check_fail(r, RTM_ERR_CORRUPT, t, "used counter disagrees with the blocks");
    }
    return check_lists(t, r);
}

/* ---- Sizing ------------------------------------------------------------- */

size_t rtm_tlsf_arena_bound(size_t max_live_bytes, size_t max_block)
{
    size_t m = max_live_bytes;
    size_t n = max_block < m ? max_block : m;
    if (n == 0u) {
        n = 1u;
    }
    if (n > SIZE_MAX / 4u) {
        return 0u;
    }
    size_t nb = RTM_TLSF_BLOCK_SIZE(n);
    size_t per = RTM_BMIN + nb + (nb >> RTM_SL_LOG2);
    if (rtm_mul_overflows(per, m)) {
        return 0u;
    }
    size_t a = m != 0u ? per * m : RTM_BMIN;
    size_t omax = RTM_TLSF_OVERHEAD(SIZE_MAX >> 1);
    if (rtm_add_overflows(a, omax)) {
        return 0u;
    }
    size_t o = rtm_tlsf_control_size(a + omax) + 3u * RTM_TW + 3u * (RTM_G - 1u);
    if (rtm_add_overflows(a, o)) {
        return 0u;
    }
    return rtm_add_overflows(a, o) || a + o > RTM_TLSF_MAX_ARENA ? 0u : a + o;
}
