/*
 * The small repeatable generator of the tests that draw random cases
 * (xorshift32, Marsaglia's 13/17/5 triple): the same sequence on every
 * build, 64-bit or 32-bit, host or target, from the seed in `rng`.
 */
#ifndef TEST_XORSHIFT_H
#define TEST_XORSHIFT_H

#include <stdint.h>

static uint32_t rng = 12345u;

static uint32_t xorshift32(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

#endif /* TEST_XORSHIFT_H */
