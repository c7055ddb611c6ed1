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

#include <cmocka.h>

#include "fuzz_alloc.h"

#define PROGRAMS 400u
#define MAX_OPS 1200u

static uint64_t next(uint64_t *x)
{
    *x ^= *x >> 12;
    *x ^= *x << 25;
    *x ^= *x >> 27;
    return *x * 0x2545F4914F6CDD1DULL;
}

/* PROGRAMS programs for allocator `kind` (byte 0 of a program). Opcodes are
 * biased towards allocation so the arena fills and allocations fail too. */
static void run_kind(uint8_t kind)
{
    static uint8_t prog[3u + 3u * MAX_OPS];
    uint64_t x = 0x9E3779B97F4A7C15ULL ^ kind;
    for (unsigned k = 0; k < PROGRAMS; k++) {
        size_t len = 3u + 3u * (size_t)(next(&x) % MAX_OPS);
        for (size_t i = 0; i < len; i++) {
            prog[i] = (uint8_t)next(&x);
        }
        prog[0] = kind;
        for (size_t i = 3; i + 3u <= len; i += 3u) {
            if ((prog[i] & 0x30u) == 0u) {
                prog[i] &= 0xF8u; /* opcode 0: alloc */
            }
        }
        assert_int_equal(fuzz_alloc_run(prog, len), 0);
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
