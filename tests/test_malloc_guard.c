/* The malloc guard on the host (glibc), linked with --wrap=malloc,free,
 * calloc,realloc (tests/malloc_guard.cmake): this file's malloc calls reach
 * __wrap_malloc. Real-time owners fault with their return address, others
 * are served from a tlsf heap; recorder, realloc paths, bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rtmem/malloc_guard.h"
#include "rtmem/tlsf.h"

static _Alignas(16) uint8_t g_arena[32768];
static rtm_tlsf_t g_tlsf;
RTM_GUARD_OPS_DEFINE(g_ops, tlsf, rtm_tlsf_t);

/* tlsf also has a realloc: a table that uses it */
static void *tl_alloc(void *h, size_t n) { return rtm_tlsf_alloc(h, n); }
static rtm_err_t tl_free(void *h, void *p) { return rtm_tlsf_free(h, p); }
static void *tl_realloc(void *h, void *p, size_t n) { return rtm_tlsf_realloc(h, p, n); }
static const rtm_guard_ops_t g_ops_realloc = {tl_alloc, tl_free, tl_realloc, NULL};

static struct {
    int count;
    rtm_err_t last;
    const void *ptr;
} g_faults;

static void on_fault(void *user, rtm_err_t reason, const void *obj, const void *ptr)
{
    (void)user;
    (void)obj;
    g_faults.count++;
    g_faults.last = reason;
    g_faults.ptr = ptr;
}

static rtm_guard_record_t g_rec[16];
static int g_nrec;

static void recorder(void *user, const rtm_guard_record_t *r)
{
    (void)user;
    if (g_nrec < 16) {
        g_rec[g_nrec] = *r;
    }
    g_nrec++;
}

static int setup(void **state)
{
    (void)state;
    rtm_guard_reset();
    assert_int_equal(rtm_tlsf_init(&g_tlsf, g_arena, sizeof g_arena), RTM_OK);
    rtm_guard_set_fault_hook(on_fault, NULL);
    memset(&g_faults, 0, sizeof g_faults);
    g_nrec = 0;
    rtm_owner_set(RTM_OWNER_NONE);
    return 0;
}

static size_t used_blocks(void)
{
    rtm_stats_t st;
    rtm_tlsf_stats(&g_tlsf, &st);
    return st.used_blocks;
}

static bool in_arena(const void *p)
{
    return (const uint8_t *)p >= g_arena && (const uint8_t *)p < g_arena + sizeof g_arena;
}

static void test_no_heap_refuses(void **state)
{
    (void)state;
    void *p = malloc(10);
    assert_null(p);
    assert_int_equal(g_faults.count, 1);
    assert_int_equal(g_faults.last, RTM_ERR_STATE);
    assert_int_equal(rtm_guard_refused(), 1);
    free(NULL); /* no-op, no fault */
    assert_int_equal(g_faults.count, 1);
}

static void test_served_from_heap(void **state)
{
    (void)state;
    rtm_guard_set_heap(&g_ops, &g_tlsf);
    rtm_guard_set_recorder(recorder, NULL);
    char *a = malloc(100);
    assert_non_null(a);
    assert_true(in_arena(a));
    assert_int_equal(used_blocks(), 1);
    memset(a, 'x', 100);
    int *z = calloc(10, sizeof *z);
    assert_non_null(z);
    assert_true(in_arena(z));
    for (int i = 0; i < 10; i++) {
        assert_int_equal(z[i], 0);
    }
    char *b = realloc(a, 1000); /* alloc + copy + free through the table */
    assert_non_null(b);
    assert_true(in_arena(b));
    for (int i = 0; i < 100; i++) {
        assert_int_equal(b[i], 'x');
    }
    assert_int_equal(used_blocks(), 2);
    free(b);
    free(z);
    assert_int_equal(used_blocks(), 0);
    assert_null(calloc(SIZE_MAX / 2u, 4)); /* overflow: NULL, not a fault */
    assert_int_equal(g_faults.count, 0);
    assert_int_equal(rtm_guard_served(), 5);
    assert_int_equal(g_nrec, 5);
    assert_int_equal(g_rec[0].call, RTM_GUARD_MALLOC);
    assert_int_equal(g_rec[0].size, 100);
    assert_ptr_equal(g_rec[0].ptr, a);
    assert_int_equal(g_rec[1].call, RTM_GUARD_CALLOC);
    assert_int_equal(g_rec[1].size, 10 * sizeof(int));
    assert_int_equal(g_rec[2].call, RTM_GUARD_REALLOC);
    assert_ptr_equal(g_rec[2].ptr, b);
    assert_int_equal(g_rec[3].call, RTM_GUARD_FREE);
    assert_false(g_rec[3].refused);
}

static void test_realloc_paths(void **state)
{
    (void)state;
    rtm_guard_set_heap(&g_ops_realloc, &g_tlsf);
    char *a = realloc(NULL, 50); /* = malloc */
    assert_non_null(a);
    memcpy(a, "guard", 6);
    char *b = realloc(a, 4000);
    assert_non_null(b);
    assert_string_equal(b, "guard");
    assert_null(realloc(b, 0)); /* = free */
    assert_int_equal(used_blocks(), 0);
    /* without a realloc or usable size in the table: refused */
    static const rtm_guard_ops_t bare = {tl_alloc, tl_free, NULL, NULL};
    rtm_guard_set_heap(&bare, &g_tlsf);
    char *c = malloc(8);
    assert_non_null(c);
    assert_null(realloc(c, 16));
    assert_int_equal(g_faults.last, RTM_ERR_NOT_SUPPORTED);
    free(c);
    /* a foreign pointer with the generic path: refused, nothing touched */
    rtm_guard_set_heap(&g_ops, &g_tlsf);
    static char foreign[32];
    assert_null(realloc(foreign, 64));
    assert_int_equal(g_faults.last, RTM_ERR_FOREIGN_PTR);
    assert_int_equal(used_blocks(), 0);
}

/* The caller's address must point into this function. */
static __attribute__((noinline)) void *call_malloc_here(size_t n)
{
    void *p = malloc(n);
    __asm__ volatile("" ::: "memory"); /* keep the call a call, not a tail jump */
    return p;
}

static void test_realtime_owner_faults(void **state)
{
    (void)state;
    rtm_guard_set_heap(&g_ops, &g_tlsf);
    assert_int_equal(rtm_guard_set_realtime(5, true), RTM_OK);
    assert_true(rtm_guard_is_realtime(5));
    assert_false(rtm_guard_is_realtime(6));
    assert_int_equal(rtm_guard_set_realtime(RTM_GUARD_OWNERS, true), RTM_ERR_ARG);
    assert_false(rtm_guard_is_realtime(RTM_GUARD_OWNERS));
    rtm_owner_set(6);
    void *keep = malloc(40); /* a non-real-time task is served */
    assert_non_null(keep);
    rtm_owner_set(5);
    assert_null(call_malloc_here(24));
    assert_int_equal(g_faults.count, 1);
    assert_int_equal(g_faults.last, RTM_ERR_SEALED);
    uintptr_t fn = (uintptr_t)call_malloc_here, ra = (uintptr_t)g_faults.ptr;
    assert_true(ra > fn && ra < fn + 512u);
    rtm_guard_record_t r;
    assert_true(rtm_guard_last_refusal(&r));
    assert_int_equal(r.owner, 5);
    assert_int_equal(r.call, RTM_GUARD_MALLOC);
    assert_int_equal(r.size, 24);
    assert_ptr_equal(r.caller, g_faults.ptr);
    assert_true(r.refused);
    assert_null(calloc(2, 2));
    assert_null(realloc(keep, 100));
    free(keep); /* refused too: the block stays allocated */
    assert_int_equal(g_faults.count, 4);
    assert_true(rtm_guard_last_refusal(&r));
    assert_int_equal(r.call, RTM_GUARD_FREE);
    assert_ptr_equal(r.ptr, keep);
    assert_int_equal(used_blocks(), 1);
    assert_int_equal(rtm_guard_set_realtime(5, false), RTM_OK);
    free(keep); /* the flag off: served */
    assert_int_equal(used_blocks(), 0);
    assert_int_equal(g_faults.count, 4);
    rtm_owner_set(RTM_OWNER_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_no_heap_refuses, setup),
        cmocka_unit_test_setup(test_served_from_heap, setup),
        cmocka_unit_test_setup(test_realloc_paths, setup),
        cmocka_unit_test_setup(test_realtime_owner_faults, setup),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    rtm_guard_reset();
    return rc;
}
