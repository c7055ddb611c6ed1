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
#define CORRUPT_PROGRAMS 200u

static void run_kind(uint8_t kind)
{
    static uint8_t prog[FUZZ_PRNG_MAX];
    uint64_t x = 0x9E3779B97F4A7C15ULL ^ kind;
    for (unsigned k = 0; k < PROGRAMS; k++) {
        size_t len = fuzz_alloc_prng(prog, kind, &x);
        assert_int_equal(fuzz_alloc_run(prog, len), 0);
    }
}

/* Corrupting programs: one stray write each, of the kinds every allocator
 * is expected to survive today (fuzz_alloc.c: corruptions_today(); none yet
 * for the pools), each detected or harmless. */
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
    if (kind != 4u) { /* the pools survive no stray write today */
        assert_true(made > CORRUPT_PROGRAMS / 2u); /* the stray writes really happen */
    }
    fuzz_alloc_set_corrupt(0);
}

static void test_corrupt(void **state)
{
    (void)state;
    for (uint8_t kind = 0; kind < 5u; kind++) {
        run_corrupt(kind);
    }
}

static void test_heap2(void **state) { (void)state; run_kind(0); }
static void test_heap4(void **state) { (void)state; run_kind(1); }
static void test_heap5(void **state) { (void)state; run_kind(2); }
static void test_tlsf(void **state) { (void)state; run_kind(3); }
static void test_pool(void **state) { (void)state; run_kind(4); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_heap2), cmocka_unit_test(test_heap4),
        cmocka_unit_test(test_heap5), cmocka_unit_test(test_tlsf),
        cmocka_unit_test(test_pool),
        cmocka_unit_test(test_corrupt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
