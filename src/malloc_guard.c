/*
 * The link-time malloc guard (rtmem/malloc_guard.h). Freestanding: the heap
 * comes through a table, so this file names no scheme, and nothing here
 * calls the C library's allocator (there is no __real_malloc reference, so
 * the file links with or without --wrap).
 */
#include "rtmem/malloc_guard.h"

#include <string.h>

#include "rtm_internal.h"
#include "rtmem/port.h"

#if defined(__GNUC__) || defined(__clang__)
#define CALLER() __builtin_return_address(0)
#else
#define CALLER() NULL
#endif

#define RT_WORDS ((RTM_GUARD_OWNERS + 31u) / 32u)

static struct {
    const rtm_guard_ops_t *ops;
    void *heap;
    uint32_t realtime[RT_WORDS];
    rtm_fault_t fault;
    rtm_guard_recorder_fn recorder;
    void *recorder_user;
    rtm_guard_record_t last;
    bool have_last;
    size_t served, refused;
} g;

void rtm_guard_set_heap(const rtm_guard_ops_t *ops, void *heap)
{
    rtm_port_enter();
    g.ops = ops;
    g.heap = heap;
    rtm_port_exit();
}

rtm_err_t rtm_guard_set_realtime(rtm_owner_t owner, bool realtime)
{
    if (owner >= RTM_GUARD_OWNERS) {
        return RTM_ERR_ARG;
    }
    uint32_t bit = 1u << (owner % 32u);
    rtm_port_enter();
    g.realtime[owner / 32u] = realtime ? (g.realtime[owner / 32u] | bit)
                                       : (g.realtime[owner / 32u] & ~bit);
    rtm_port_exit();
    return RTM_OK;
}

bool rtm_guard_is_realtime(rtm_owner_t owner)
{
    return owner < RTM_GUARD_OWNERS && (g.realtime[owner / 32u] >> (owner % 32u) & 1u) != 0u;
}

void rtm_guard_set_fault_hook(rtm_fault_fn fn, void *user)
{
    g.fault.hook = fn;
    g.fault.user = user;
}

void rtm_guard_set_recorder(rtm_guard_recorder_fn fn, void *user)
{
    g.recorder = NULL; /* never call the new function with the old user */
    g.recorder_user = user;
    g.recorder = fn;
}

bool rtm_guard_last_refusal(rtm_guard_record_t *out)
{
    if (!g.have_last || out == NULL) {
        return false;
    }
    *out = g.last;
    return true;
}

size_t rtm_guard_served(void)
{
    return g.served;
}

size_t rtm_guard_refused(void)
{
    return g.refused;
}

void rtm_guard_reset(void)
{
    rtm_port_enter();
    memset(&g, 0, sizeof g);
    rtm_fault_init(&g.fault);
    rtm_port_exit();
}

/* Record the call, and for a refusal raise the fault naming the caller. */
static void finish(rtm_guard_record_t *r, rtm_err_t why)
{
    if (r->refused) {
        g.refused++;
        g.last = *r;
        g.have_last = true;
        (void)rtm_fault_raise(&g.fault, why, &g, r->caller);
    } else {
        g.served++;
    }
    rtm_guard_recorder_fn fn = g.recorder;
    if (fn != NULL) {
        fn(g.recorder_user, r);
    }
}

/* RTM_OK when this call may reach the heap, else the refusal's reason. */
static rtm_err_t decide(const rtm_guard_record_t *r)
{
    if (rtm_guard_is_realtime(r->owner)) {
        return RTM_ERR_SEALED;
    }
    return g.ops == NULL ? RTM_ERR_STATE : RTM_OK;
}

static void *guard_alloc(rtm_guard_call_t call, size_t size, const void *caller)
{
    rtm_guard_record_t r = {call, rtm_owner_current(), false, caller, size, NULL};
    rtm_err_t why = decide(&r);
    if (why == RTM_OK) {
        rtm_port_enter();
        r.ptr = g.ops->alloc(g.heap, size);
        rtm_port_exit();
    }
    r.refused = why != RTM_OK;
    finish(&r, why);
    return (void *)(uintptr_t)r.ptr;
}

static void *guard_calloc(size_t n, size_t size, const void *caller)
{
    if (rtm_mul_overflows(n, size)) {
        return NULL; /* as calloc: no block, nothing to report */
    }
    void *p = guard_alloc(RTM_GUARD_CALLOC, n * size, caller);
    if (p != NULL) {
        memset(p, 0, n * size);
    }
    return p;
}

static void guard_free(void *p, const void *caller)
{
    if (p == NULL) {
        return;
    }
    rtm_guard_record_t r = {RTM_GUARD_FREE, rtm_owner_current(), false, caller, 0, p};
    rtm_err_t why = decide(&r);
    if (why == RTM_OK) {
        rtm_port_enter();
        (void)g.ops->free(g.heap, p); /* a bad pointer is the heap's fault */
        rtm_port_exit();
    }
    r.refused = why != RTM_OK;
    finish(&r, why);
}

/* realloc through the table's realloc, else alloc + copy + free, all in one
 * critical section so no other thread sees the heap half way. */
static void *move_block(void *p, size_t size, rtm_err_t *why)
{
    if (g.ops->realloc != NULL) {
        return g.ops->realloc(g.heap, p, size);
    }
    size_t old = g.ops->usable != NULL ? g.ops->usable(g.heap, p) : 0u;
    if (old == 0u) {
        *why = g.ops->usable != NULL ? RTM_ERR_FOREIGN_PTR : RTM_ERR_NOT_SUPPORTED;
        return NULL;
    }
    void *q = g.ops->alloc(g.heap, size);
    if (q != NULL) {
        memcpy(q, p, old < size ? old : size);
        (void)g.ops->free(g.heap, p);
    }
    return q;
}

static void *guard_realloc(void *p, size_t size, const void *caller)
{
    if (p == NULL) {
        return guard_alloc(RTM_GUARD_REALLOC, size, caller);
    }
    if (size == 0u) {
        guard_free(p, caller);
        return NULL;
    }
    rtm_guard_record_t r = {RTM_GUARD_REALLOC, rtm_owner_current(), false, caller, size, p};
    rtm_err_t why = decide(&r);
    void *q = NULL;
    if (why == RTM_OK) {
        rtm_port_enter();
        q = move_block(p, size, &why);
        rtm_port_exit();
    }
    r.refused = why != RTM_OK;
    if (!r.refused) {
        r.ptr = q;
    }
    finish(&r, why);
    return q;
}

/* The entry points take the return address themselves: it must be theirs. */
void *__wrap_malloc(size_t size)
{
    return guard_alloc(RTM_GUARD_MALLOC, size, CALLER());
}

void *__wrap_calloc(size_t n, size_t size)
{
    return guard_calloc(n, size, CALLER());
}

void *__wrap_realloc(void *p, size_t size)
{
    return guard_realloc(p, size, CALLER());
}

void __wrap_free(void *p)
{
    guard_free(p, CALLER());
}

void *__wrap__malloc_r(void *reent, size_t size)
{
    (void)reent;
    return guard_alloc(RTM_GUARD_MALLOC, size, CALLER());
}

void *__wrap__calloc_r(void *reent, size_t n, size_t size)
{
    (void)reent;
    return guard_calloc(n, size, CALLER());
}

void *__wrap__realloc_r(void *reent, void *p, size_t size)
{
    (void)reent;
    return guard_realloc(p, size, CALLER());
}

void __wrap__free_r(void *reent, void *p)
{
    (void)reent;
    guard_free(p, CALLER());
}
