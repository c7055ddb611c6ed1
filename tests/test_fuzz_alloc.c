/*
 * The fuzz target's interpreter (fuzz/fuzz_alloc.c) on programs made by
 * xorshift64*, for every allocator in turn: the shadow-model, integrity and
 * bad-input checks that `make fuzz` runs under libFuzzer, here on every
 * build. A finding aborts with the failed condition.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "fuzz_alloc.h"

#define PROGRAMS 400u
/* The hardened build (FUZZ_TEST_CORRUPT_ONLY) verifies the poison of every
 * block it hands out, so it runs only fewer corrupting programs. */
#ifdef FUZZ_TEST_CORRUPT_ONLY
#define CORRUPT_PROGRAMS 100u
#else
#define CORRUPT_PROGRAMS 200u
#endif

#ifndef FUZZ_TEST_CORRUPT_ONLY
static void run_kind(uint8_t kind)
{
    static uint8_t prog[FUZZ_PRNG_MAX];
    uint64_t x = 0x9E3779B97F4A7C15ULL ^ kind;
    for (unsigned k = 0; k < PROGRAMS; k++) {
        size_t len = fuzz_alloc_prng(prog, kind, &x);
        assert_int_equal(fuzz_alloc_run(prog, len), 0);
    }
}
#endif

/* Corrupting programs: one stray write each (fuzz_alloc.c: overruns of
 * 1..16 bytes into used and free neighbours, writes after free, a faked
 * header freed through an interior pointer), for every allocator and every
 * pool configuration; each must be detected or harmless. Built again at
 * RTMEM_CFG_HARDEN=2 (test_fuzz_alloc_h2). */
static void run_corrupt(uint8_t kind)
{
    static uint8_t prog[FUZZ_PRNG_MAX];
    uint64_t x = 0xD1B54A32D192ED03ULL ^ kind;
    fuzz_alloc_set_corrupt(1);
    for (unsigned k = 0; k < CORRUPT_PROGRAMS; k++) {
        size_t len = fuzz_alloc_prng(prog, kind, &x);
        assert_int_equal(fuzz_alloc_run(prog, len), 0);
    }
    unsigned long made, detected;
    fuzz_alloc_corrupt_counts(&made, &detected);
    printf("corrupting programs, allocator %u: %lu of %u made a stray write, %lu detected, "
           "%lu harmless\n", kind, made, CORRUPT_PROGRAMS, detected, made - detected);
    assert_true(made > CORRUPT_PROGRAMS / 2u); /* the stray writes really happen */
    assert_true(detected > 0u && detected <= made);
    fuzz_alloc_set_corrupt(0);
}

static void test_corrupt(void **state)
{
    (void)state;
    for (uint8_t kind = 0; kind < 5u; kind++) {
        run_corrupt(kind);
    }
}

#ifndef FUZZ_TEST_CORRUPT_ONLY
static void test_heap2(void **state) { (void)state; run_kind(0); }
static void test_heap4(void **state) { (void)state; run_kind(1); }
static void test_heap5(void **state) { (void)state; run_kind(2); }
static void test_tlsf(void **state) { (void)state; run_kind(3); }
static void test_pool(void **state) { (void)state; run_kind(4); }
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
#ifndef FUZZ_TEST_CORRUPT_ONLY
        cmocka_unit_test(test_heap2), cmocka_unit_test(test_heap4),
        cmocka_unit_test(test_heap5), cmocka_unit_test(test_tlsf),
        cmocka_unit_test(test_pool),
#endif
        cmocka_unit_test(test_corrupt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
