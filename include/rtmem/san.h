/*
 * rtmem san: host sanitizers see inside rtmem's heaps, so that an
 * application run on the host (FreeRTOS's POSIX port, say) gets a
 * use-after-free or overrun report in its own code, as with the system
 * malloc. An event observer (RTMEM_CFG_EVENTS=1) over the instances the
 * application names:
 *
 * - RTMEM_CFG_SAN=1, AddressSanitizer: rtm_san_watch() poisons the whole
 *   arena (ASan's manual poisoning interface); each allocation unpoisons
 *   exactly the bytes asked for, each free poisons them again. Headers, free
 *   blocks and the slack after a block stay poisoned, so a read or write of
 *   them from the application is reported ("use-after-poison"). The library
 *   must be built without -fsanitize=address (the application with it): the
 *   allocator's own reads of headers and links are not checked, the
 *   application's accesses are.
 * - RTMEM_CFG_SAN=2, Valgrind memcheck: watch marks the arena inaccessible;
 *   allocations and frees are announced as malloc-like blocks
 *   (VALGRIND_MALLOCLIKE_BLOCK / VALGRIND_FREELIKE_BLOCK), so memcheck
 *   reports "Invalid write ... inside a block of size N free'd" with both
 *   stacks. The allocator's own accesses to its metadata are then reported
 *   too; run valgrind with --suppressions=tools/valgrind/rtmem.supp, which
 *   drops errors raised inside rtm_* calls.
 * - RTMEM_CFG_SAN=0 (every target build): the functions do nothing and
 *   rtm_san_watch() returns RTM_ERR_NOT_SUPPORTED.
 *
 * Install with rtm_observer_set(rtm_san_observer, &san), or through an
 * rtm_fanout_t next to a leak tracker or a trace recorder.
 */
#ifndef RTMEM_SAN_H
#define RTMEM_SAN_H

#include "rtmem/common.h"
#include "rtmem/hooks.h"

#ifdef __cplusplus
extern "C" {
#endif

/* RTM_SAN_MAX_INST: an option of rtmem/config.h. */

typedef struct rtm_san {
    struct {
        const void *obj;   /* the allocator instance (its struct) */
        uint8_t *mem;      /* its arena */
        size_t size;
    } inst[RTM_SAN_MAX_INST];
    unsigned n;
    size_t events;         /* events seen for watched instances */
} rtm_san_t;

/* No instance watched. O(1). NULL: ignored. */
void rtm_san_init(rtm_san_t *s);

/* Watch instance `obj` (right after its init, before any allocation) whose
 * blocks all lie in [mem, mem + size): the whole span becomes inaccessible
 * to the application until blocks are handed out. RTM_ERR_NULL,
 * RTM_ERR_NO_MEMORY (RTM_SAN_MAX_INST reached), RTM_ERR_NOT_SUPPORTED
 * (RTMEM_CFG_SAN=0). O(size) (the sanitizer's shadow memory). */
rtm_err_t rtm_san_watch(rtm_san_t *s, const void *obj, void *mem, size_t size);

/* Stop watching: the span becomes accessible again (before the arena's
 * memory is reused for something else). O(size). s NULL or obj not
 * watched: nothing done. */
void rtm_san_unwatch(rtm_san_t *s, const void *obj);

/* The observer (user = the rtm_san_t). O(instances) plus the sanitizer's
 * cost for the block (ASan: O(block size / 8) to find the block's end in the
 * shadow at a free). user NULL, or an event of an instance not watched:
 * nothing done. */
void rtm_san_observer(void *user, rtm_ev_kind_t kind, const void *obj, const void *ptr,
                      const void *old, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_SAN_H */
