/*
 * The fuzz interpreter on PRNG-made programs without cmocka: what `make
 * test` runs as a 32-bit (-m32) binary, the host layout closest to Cortex-M
 * (4-byte pointers, 8-byte heap_4 headers).
 * Usage: fuzz_prng PROGRAMS (0: just say the pointer size).
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_alloc.h"

int main(int argc, char **argv)
{
    unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000u;
    fuzz_alloc_prng_programs(n, 0x2545F4914F6CDD1DULL);
    printf("fuzz_prng: %lu programs, %zu-byte pointers, every check passed\n", n,
           sizeof(void *));
    return 0;
}
