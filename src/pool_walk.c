/*
 * rtm_pool: what only a pool without a bitmap needs, the double-free test
 * (rtm_pool_listed_, called by pool.c's free) and its free-list walk. pool.c
 * holds a weak stand-in for rtm_pool_listed_ that this file's takes the
 * place of; rtm_pool_init_nobitmap_(), which rtm_pool_init() calls for such
 * a pool, links this file, so a firmware whose pools all have a bitmap does
 * not.
 */
#include "rtmem/pool.h"

#include "pool_internal.h"

/* The confirming walk of rtm_pool_listed_(): whether block i is on the free
 * list. At most nfree steps, each link range-checked before it is followed.
 * Out of line (never inlined) so that `make paths` can name it: the one loop
 * of the locked free, reached only for a suspected double free without a
 * bitmap. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
bool rtm_pool_walk_(const rtm_pool_t *p, uint32_t i)
{
    uint32_t at = p->head;
    for (uint32_t n = p->nfree; n != 0u && at < p->mark; n--) {
        if (at == i) {
            return true;
        }
        at = rtm_pool_link_(p, at);
    }
    return false;
}

/* Whether handed-out block i is already free. O(1) unless its word decodes
 * to a valid link (the tag of a listed block, see pool.c); only then is the
 * list walked. */
bool rtm_pool_listed_(const rtm_pool_t *p, uint32_t i)
{
    uint32_t w = rtm_pool_link_(p, i);
    if (w != RTM_POOL_NIL && w >= p->mark) {
        return false;
    }
    return rtm_pool_walk_(p, i);
}

rtm_err_t rtm_pool_init_nobitmap_(rtm_pool_t *p, void *mem, size_t mem_size, size_t block_size,
                                  size_t align, uint32_t count, unsigned flags)
{
    return rtm_pool_init_locked_(p, mem, mem_size, block_size, align, count, flags);
}
