#define _POSIX_C_SOURCE 200809L
/* rtm_pool against the application's own stray writes and misuse (issue 15:
 * items 4, 6 and 8's zeroed pool, with the reproductions), and the
 * allocation gate (rtm_seal) on every allocating entry point. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rtmem/hooks.h"
#include "rtmem/pool.h"
#include "test_fault_count.h"

#define N 8u
#define BS 24u
static _Alignas(8) uint8_t mem[RTM_POOL_MEM_SIZE(N, BS, 8, RTM_POOL_BITMAP | RTM_POOL_LOCKFREE)];

static const unsigned modes[] = {
    0u, RTM_POOL_BITMAP, RTM_POOL_NOLOCK, RTM_POOL_NOLOCK | RTM_POOL_BITMAP,
#if RTMEM_CFG_POOL_LOCKFREE
    RTM_POOL_LOCKFREE, RTM_POOL_LOCKFREE | RTM_POOL_BITMAP,
#endif
};
#define NMODES (sizeof modes / sizeof modes[0])

static void make(rtm_pool_t *p, unsigned flags)
{
    memset(mem, 0, sizeof mem);
    assert_int_equal(rtm_pool_init(p, mem, sizeof mem, BS, 8, N, flags), RTM_OK);
    rtm_pool_set_fault_hook(p, hook, NULL);
    g_faults = 0;
    g_reason = RTM_OK;
}

/* Issue 15 item 4: "writing into two freed blocks, then allocating three,
 * crashes or returns a block outside the pool". Every block handed out is
 * now a block of the pool, none is handed out twice, and the damage raises
 * RTM_ERR_CORRUPT where the list is followed (the lock-free mode keeps its
 * links outside the blocks: there the writes are harmless). */
static void test_write_after_free(void **state)
{
    (void)state;
    static const uint8_t fills[] = {0x00, 0xA5, 0xFF, 0x01};
    for (size_t m = 0; m < NMODES; m++) {
        for (size_t f = 0; f < sizeof fills; f++) {
            rtm_pool_t p;
            make(&p, modes[m]);
            uint8_t *b[4];
            for (int i = 0; i < 4; i++) {
                b[i] = rtm_pool_alloc(&p);
                assert_non_null(b[i]);
            }
            for (int i = 0; i < 3; i++) {
                assert_int_equal(rtm_pool_free(&p, b[i]), RTM_OK);
            }
            memset(b[0], fills[f], BS); /* two freed blocks overwritten */
            strcpy((char *)b[1], "stale!!");
            if (fills[f] == 0x01) {
                memset(b[1], 0x01, BS);
            }
            uint8_t *got[3];
            for (int i = 0; i < 3; i++) {
                got[i] = rtm_pool_alloc(&p);
                if (got[i] != NULL) {
                    assert_true(rtm_pool_owns(&p, got[i]));
                    assert_ptr_not_equal(got[i], b[3]); /* not a live block */
                    for (int j = 0; j < i; j++) {
                        assert_ptr_not_equal(got[i], got[j]);
                    }
                }
            }
            if ((modes[m] & RTM_POOL_LOCKFREE) == 0u) {
                assert_true(g_faults >= 1);
                assert_int_equal(g_reason, RTM_ERR_CORRUPT);
                rtm_check_t r;
                assert_int_equal(rtm_pool_check(&p, &r), RTM_ERR_CORRUPT);
            } else {
                assert_int_equal(g_faults, 0);
                assert_int_equal(rtm_pool_check(&p, NULL), RTM_OK);
            }
        }
    }
}

/* A link forged to a valid index is only as wrong as the application made
 * it; a link to an index at or beyond the watermark, or one that ends the
 * list early or late, is refused before it is followed. */
static void test_link_range_checked(void **state)
{
    (void)state;
    for (unsigned flags = 0; flags < 2u; flags++) {
        rtm_pool_t p;
        make(&p, flags);
        uint8_t *b[4];
        for (int i = 0; i < 4; i++) {
            b[i] = rtm_pool_alloc(&p);
        }
        for (int i = 0; i < 3; i++) {
            assert_int_equal(rtm_pool_free(&p, b[i]), RTM_OK);
        }
        /* list: b[1] -> b[0]; b[2] hot. Forge b[1]'s link to block 6 (never
         * handed out: beyond the watermark 4) */
        uint32_t key = (uint32_t)(uintptr_t)p.base ^ 0x5A5A5A5Au, w = 6u ^ key;
        memcpy(b[1], &w, 4);
        assert_ptr_equal(rtm_pool_alloc(&p), b[2]);
        assert_null(rtm_pool_alloc(&p));
        assert_int_equal(g_reason, RTM_ERR_CORRUPT);
        assert_int_equal(g_faults, 1);
        /* the end of the list one block early */
        w = RTM_POOL_NIL ^ key;
        memcpy(b[1], &w, 4);
        assert_null(rtm_pool_alloc(&p));
        assert_int_equal(g_faults, 2);
        /* repaired, the pool works on */
        w = 0u ^ key;
        memcpy(b[1], &w, 4);
        assert_ptr_equal(rtm_pool_alloc(&p), b[1]);
        assert_ptr_equal(rtm_pool_alloc(&p), b[0]);
        assert_int_equal(rtm_pool_check(&p, NULL), RTM_OK);
    }
}

/* Issue 15 item 6: "free(a); free(b); free(a) all succeed and the pool hands
 * out the same block twice" without a bitmap; the lock-free mode missed even
 * an immediate double free. Every mode now refuses them, without memory
 * beyond the blocks. */
static void test_double_free_every_mode(void **state)
{
    (void)state;
    for (size_t m = 0; m < NMODES; m++) {
        rtm_pool_t p;
        make(&p, modes[m]);
        uint8_t *a = rtm_pool_alloc(&p), *b = rtm_pool_alloc(&p), *c = rtm_pool_alloc(&p);
        assert_int_equal(rtm_pool_free(&p, a), RTM_OK);
        assert_int_equal(rtm_pool_free(&p, a), RTM_ERR_DOUBLE_FREE); /* immediate */
        assert_int_equal(rtm_pool_free(&p, b), RTM_OK);
        assert_int_equal(rtm_pool_free(&p, a), RTM_ERR_DOUBLE_FREE); /* the issue's */
        assert_int_equal(rtm_pool_free(&p, b), RTM_ERR_DOUBLE_FREE);
        assert_int_equal(g_faults, 3);
        assert_int_equal(rtm_pool_check(&p, NULL), RTM_OK);
        /* a and b come back once each, never twice */
        uint8_t *x = rtm_pool_alloc(&p), *y = rtm_pool_alloc(&p), *z = rtm_pool_alloc(&p);
        assert_true((x == a && y == b) || (x == b && y == a));
        assert_true(z != a && z != b && z != c && z != NULL);
        /* c, allocated all along, frees normally */
        assert_int_equal(rtm_pool_free(&p, c), RTM_OK);
        assert_int_equal(rtm_pool_check(&p, NULL), RTM_OK);
    }
}

/* Without a bitmap the tag is the free-list word: an allocated block whose
 * data happens to look like a link is freed normally (the list walk clears
 * it), and the pool stays consistent. */
static void test_tag_false_positive(void **state)
{
    (void)state;
    rtm_pool_t p;
    make(&p, 0u);
    uint8_t *b[5];
    for (int i = 0; i < 5; i++) {
        b[i] = rtm_pool_alloc(&p);
    }
    assert_int_equal(rtm_pool_free(&p, b[0]), RTM_OK);
    assert_int_equal(rtm_pool_free(&p, b[1]), RTM_OK); /* list: b[0] */
    uint32_t key = (uint32_t)(uintptr_t)p.base ^ 0x5A5A5A5Au;
    uint32_t looks_free[] = {0u ^ key, RTM_POOL_NIL ^ key, 3u ^ key};
    for (int k = 0; k < 3; k++) {
        memcpy(b[2 + k], &looks_free[k], 4);
        assert_int_equal(rtm_pool_free(&p, b[2 + k]), RTM_OK);
    }
    assert_int_equal(g_faults, 0);
    assert_int_equal(rtm_pool_used(&p), 0u);
    assert_int_equal(rtm_pool_check(&p, NULL), RTM_OK);
}

/* Issue 15 item 8: an uninitialised (zeroed) pool returned a crash on
 * alloc. Now NULL / RTM_ERR_STATE, and no fault (its hook is not a pool's). */
static void test_zeroed_pool(void **state)
{
    (void)state;
    rtm_pool_t z;
    memset(&z, 0, sizeof z);
    assert_null(rtm_pool_alloc(&z));
    assert_null(rtm_pool_calloc(&z));
    assert_null(rtm_pool_alloc_timeout(&z, 5u));
    assert_null(rtm_pool_alloc_unlocked(&z));
    assert_int_equal(rtm_pool_free(&z, mem), RTM_ERR_STATE);
    assert_int_equal(rtm_pool_free_unlocked(&z, mem), RTM_ERR_STATE);
    assert_int_equal(rtm_pool_check(&z, NULL), RTM_ERR_STATE);
    assert_int_equal(rtm_pool_deinit(&z), RTM_ERR_STATE);
    assert_int_equal(rtm_pool_used(&z), 0u);
    assert_false(rtm_pool_owns(&z, mem));
}

/* rtm_seal(&pool.fault) refuses every allocating entry point with
 * RTM_ERR_SEALED, the inline hot-slot path included; frees still work;
 * unsealing restores it. */
static void test_sealed_pool(void **state)
{
    (void)state;
    for (size_t m = 0; m < NMODES; m++) {
        rtm_pool_t p;
        make(&p, modes[m]);
        uint8_t *a = rtm_pool_alloc(&p);
        uint8_t *b = rtm_pool_alloc(&p);
        assert_int_equal(rtm_pool_free(&p, a), RTM_OK); /* a is hot (locked modes) */
        rtm_seal(&p.fault);
        assert_true(rtm_is_sealed(&p.fault));
        assert_null(rtm_pool_alloc(&p));
        assert_int_equal(g_reason, RTM_ERR_SEALED);
        assert_null(rtm_pool_calloc(&p));
        assert_null(rtm_pool_alloc_timeout(&p, 3u));
        if ((modes[m] & RTM_POOL_LOCKFREE) == 0u) {
            rtm_port_enter();
            assert_null(rtm_pool_alloc_unlocked(&p)); /* the hot slot too */
            rtm_port_exit();
        }
        int refused = (modes[m] & RTM_POOL_LOCKFREE) == 0u ? 4 : 3;
        assert_int_equal(g_faults, refused);
        rtm_pool_stats_t st;
        assert_int_equal(rtm_pool_stats(&p, &st), RTM_OK);
        assert_int_equal(st.failed_allocs, (size_t)refused);
        assert_int_equal(st.used_blocks, 1u);
        assert_int_equal(rtm_pool_free(&p, b), RTM_OK); /* frees still work */
        assert_int_equal(rtm_pool_check(&p, NULL), RTM_OK);
        rtm_unseal(&p.fault);
        assert_non_null(rtm_pool_alloc(&p));
        assert_int_equal(g_faults, refused);
    }
}

/* The called free of the block the newest alloc handed out takes the
 * inline free's path (no check: it is known allocated) and behaves as it
 * does: the block is hot, `last` is clear, a second free of it is a double
 * free, and the pool checks clean. A checked free of another block leaves
 * `last` as it is. Locked modes only (the lock-free mode has no hot slot). */
static void test_called_free_of_last(void **state)
{
    (void)state;
    for (size_t m = 0; m < NMODES; m++) {
        if ((modes[m] & RTM_POOL_LOCKFREE) != 0u) {
            continue;
        }
        rtm_pool_t p;
        make(&p, modes[m]);
        uint8_t *a = rtm_pool_alloc(&p);
        uint8_t *b = rtm_pool_alloc(&p);
        assert_int_equal(rtm_pool_free(&p, a), RTM_OK); /* checked: a onto the list */
        assert_null(p.hot);
        assert_ptr_equal(p.last, b);                     /* b still allocated */
        assert_int_equal(rtm_pool_check(&p, NULL), RTM_OK);
        assert_ptr_equal(rtm_pool_alloc(&p), a);         /* from the list */
        assert_ptr_equal(p.last, a);
        assert_int_equal(rtm_pool_free(&p, a), RTM_OK);  /* the unchecked one */
        assert_ptr_equal(p.hot, a);
        assert_null(p.last);
        assert_int_equal(rtm_pool_used(&p), 1u);
        assert_int_equal(rtm_pool_check(&p, NULL), RTM_OK);
        assert_int_equal(g_faults, 0);
        assert_int_equal(rtm_pool_free(&p, a), RTM_ERR_DOUBLE_FREE);
        assert_int_equal(g_faults, 1);
        assert_int_equal(rtm_pool_free(&p, NULL), RTM_ERR_NULL); /* last is NULL */
        assert_int_equal(g_faults, 2);
        assert_int_equal(rtm_pool_free(&p, b), RTM_OK);
        assert_int_equal(rtm_pool_used(&p), 0u);
        assert_int_equal(rtm_pool_check(&p, NULL), RTM_OK);
        assert_int_equal(rtm_pool_deinit(&p), RTM_OK);
    }
}

#if RTMEM_CFG_EVENTS
static int g_events[4];
static void observe(void *user, rtm_ev_kind_t kind, const void *obj, const void *ptr,
                    const void *old, size_t size)
{
    (void)user;
    (void)obj;
    (void)ptr;
    (void)old;
    (void)size;
    g_events[kind]++;
}
#endif

/* With RTMEM_CFG_EVENTS the observer sees every alloc and free, the inline
 * hot-slot pair's too. */
static void test_events(void **state)
{
    (void)state;
#if RTMEM_CFG_EVENTS
    rtm_pool_t p;
    make(&p, 0u);
    memset(g_events, 0, sizeof g_events);
    assert_int_equal(rtm_observer_set(observe, NULL), RTM_OK);
    for (int i = 0; i < 3; i++) {
        void *b = rtm_pool_alloc(&p);
        assert_int_equal(rtm_pool_free(&p, b), RTM_OK);
    }
    assert_int_equal(rtm_observer_set(NULL, NULL), RTM_OK);
    assert_int_equal(g_events[RTM_EV_ALLOC], 3);
    assert_int_equal(g_events[RTM_EV_FREE], 3); /* the last two: the hot block's free */
#else
    skip();
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_after_free),
        cmocka_unit_test(test_link_range_checked),
        cmocka_unit_test(test_double_free_every_mode),
        cmocka_unit_test(test_tag_false_positive),
        cmocka_unit_test(test_zeroed_pool),
        cmocka_unit_test(test_sealed_pool),
        cmocka_unit_test(test_called_free_of_last),
        cmocka_unit_test(test_events),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
