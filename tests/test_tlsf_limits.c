/*
 * rtm_tlsf limits (the fifth tlsf test source): the public sizing macros of rtmem/tlsf.h taken at their
 * word. RTM_TLSF_MAX_REQUEST is the largest request that can succeed (in a
 * region of RTM_TLSF_MAX_ARENA bytes laid out as tlsf.h says) and one byte
 * more never does; RTM_TLSF_OVERHEAD gives the largest request of a fresh
 * init() arena. The 2 GiB regions are reserved, not touched: only the
 * headers are written, so the test needs a 64-bit host and pages on demand
 * (it skips elsewhere, and in the hardened build, which poisons every free
 * byte at init).
 */
#define _DEFAULT_SOURCE 1 /* MAP_ANONYMOUS, MAP_NORESERVE */
#include "test_tlsf_util.h"

#if defined(__unix__) || defined(__APPLE__)
#include <sys/mman.h>
#define HAVE_MMAP 1
#else
#define HAVE_MMAP 0
#endif

/* The macros agree with each other and with the block size formula. */
static void test_limit_macros(void **state)
{
    (void)state;
    assert_int_equal(1u << RTM_TLSF_ALIGN_LOG2, RTM_TLSF_ALIGN);
    assert_int_equal(RTM_TLSF_FL_SHIFT, RTM_TLSF_SL_LOG2 + RTM_TLSF_ALIGN_LOG2);
    assert_int_equal(RTM_TLSF_MAX_BLOCK % RTM_TLSF_ALIGN, 0);
    /* a region of MAX_ARENA bytes: 3 words (descriptor and sentinel) and
     * the block; one ALIGN more does not fit */
    assert_true(RTM_TLSF_MAX_BLOCK + 3u * RTM_TLSF_WORD_SIZE <= RTM_TLSF_MAX_ARENA);
    assert_true(RTM_TLSF_MAX_BLOCK + RTM_TLSF_ALIGN + 3u * RTM_TLSF_WORD_SIZE > RTM_TLSF_MAX_ARENA);
    assert_int_equal(RTM_TLSF_BLOCK_SIZE(RTM_TLSF_MAX_REQUEST), RTM_TLSF_MAX_BLOCK);
    assert_true(RTM_TLSF_BLOCK_SIZE(RTM_TLSF_MAX_REQUEST + 1u) > RTM_TLSF_MAX_BLOCK);
    assert_true(RTM_TLSF_FL_COUNT(RTM_TLSF_MAX_ARENA) <= 31u);
}

/* In a heap that cannot hold it, one byte over the limit is a plain
 * failure: NULL, counted, no fault, nothing changed. */
static void test_over_limit_refused(void **state)
{
    (void)state;
    rtm_tlsf_t t;
    setup(&t, ARENA_64K);
    size_t fb = rtm_tlsf_free_bytes(&t);
    assert_null(rtm_tlsf_alloc(&t, RTM_TLSF_MAX_REQUEST + 1u));
    assert_null(rtm_tlsf_calloc(&t, 1u, RTM_TLSF_MAX_REQUEST + 1u));
    assert_null(rtm_tlsf_aligned_alloc(&t, 4u * RTM_TLSF_ALIGN, RTM_TLSF_MAX_REQUEST + 1u));
    assert_int_equal(t.failed_allocs, 3);
    assert_int_equal(g_faults, 0);
    assert_int_equal(rtm_tlsf_free_bytes(&t), fb);
    check_ok(&t);
}

#if HAVE_MMAP && SIZE_MAX > 0xFFFFFFFFu && RTMEM_CFG_HARDEN < 2
/* Room for an init() arena and an added region of RTM_TLSF_MAX_ARENA bytes
 * each, the region starting up to ALIGN bytes past a 64-byte boundary. */
#define MAP_BYTES (((size_t)2 << 31) + 4096u)

static uint8_t *map_arena(void)
{
    void *p = mmap(NULL, MAP_BYTES, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? NULL : (uint8_t *)p;
}

/* A fresh heap on base (MAX_ARENA bytes) with a MAX_ARENA region added at
 * base + 2^31 + 64 - 3 words + off: off 0 is the layout tlsf.h names for
 * the largest block. */
static void big_heap(rtm_tlsf_t *t, uint8_t *base, size_t off)
{
    assert_int_equal(rtm_tlsf_init(t, base, RTM_TLSF_MAX_ARENA), RTM_OK);
    rtm_tlsf_set_fault_hook(t, hook, NULL);
    g_faults = 0;
    uint8_t *r = base + ((size_t)1 << 31) + 64u - 3u * RTM_TLSF_WORD_SIZE + off;
    assert_int_equal(rtm_tlsf_add_region(t, r, RTM_TLSF_MAX_ARENA), RTM_OK);
    check_ok(t);
}

/* RTM_TLSF_MAX_REQUEST succeeds where tlsf.h says it does and one byte
 * more fails at every offset of the region; RTM_TLSF_OVERHEAD bounds
 * what a fresh init() arena of MAX_ARENA bytes loses. */
static void test_max_request(void **state)
{
    (void)state;
    uint8_t *base = map_arena();
    if (base == NULL) {
        skip();
    }
    rtm_tlsf_t t;
    for (size_t off = 0; off < RTM_TLSF_ALIGN; off++) {
        big_heap(&t, base, off);
        size_t fb = rtm_tlsf_free_bytes(&t);
        uint8_t *p = rtm_tlsf_alloc(&t, RTM_TLSF_MAX_REQUEST);
        if (off == 0u) {
            assert_non_null(p); /* the layout tlsf.h names */
        }
        if (p != NULL) { /* other offsets may leave the block ALIGN short */
            assert_true(rtm_tlsf_usable_size(&t, p) >= RTM_TLSF_MAX_REQUEST);
            p[0] = 1u;
            p[RTM_TLSF_MAX_REQUEST - 1u] = 2u;
            check_ok(&t);
            assert_int_equal(rtm_tlsf_free(&t, p), RTM_OK);
        }
        size_t failed = t.failed_allocs;
        assert_null(rtm_tlsf_alloc(&t, RTM_TLSF_MAX_REQUEST + 1u));
        /* the heap's total is above 2^32: the largest sizes still fail */
        assert_null(rtm_tlsf_alloc(&t, SIZE_MAX));
        assert_null(rtm_tlsf_alloc(&t, rtm_tlsf_free_bytes(&t)));
        assert_int_equal(t.failed_allocs, failed + 3u);
        assert_int_equal(g_faults, 0);
        assert_int_equal(rtm_tlsf_free_bytes(&t), fb);
        check_ok(&t);
    }

    /* The first free block of an init() arena of a bytes holds at least
     * a - RTM_TLSF_OVERHEAD(a) bytes, whatever the alignment of the buffer:
     * that request (rounded down to ALIGN, less the header) succeeds. */
    size_t a = RTM_TLSF_MAX_ARENA;
    size_t n = ((a - RTM_TLSF_OVERHEAD(a)) & ~((size_t)RTM_TLSF_ALIGN - 1u)) - RTM_TLSF_BLOCK_EXTRA;
    for (size_t off = 0; off < RTM_TLSF_ALIGN; off++) {
        assert_int_equal(rtm_tlsf_init(&t, base + off, a), RTM_OK);
        rtm_tlsf_set_fault_hook(&t, hook, NULL);
        uint8_t *p = rtm_tlsf_alloc(&t, n);
        assert_non_null(p);
        p[n - 1u] = 3u;
        check_ok(&t);
        assert_int_equal(rtm_tlsf_free(&t, p), RTM_OK);
        check_ok(&t);
    }
    assert_int_equal(g_faults, 0);
    assert_int_equal(munmap(base, MAP_BYTES), 0);
}
#else
static void test_max_request(void **state)
{
    (void)state;
    skip(); /* a 32-bit host, no mmap, or the hardened build (see the top) */
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_limit_macros),
        cmocka_unit_test(test_over_limit_refused),
        cmocka_unit_test(test_max_request),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
