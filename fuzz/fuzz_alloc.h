/* The fuzz program interpreter shared by the libFuzzer entry and the test. */
#ifndef RTM_FUZZ_ALLOC_H
#define RTM_FUZZ_ALLOC_H

#include <stddef.h>
#include <stdint.h>

/* Run one program (see fuzz_alloc.c); aborts on any finding. Returns 0. */
int fuzz_alloc_run(const uint8_t *data, size_t size);

/* Corrupting programs: 0 = API misuse only (the default); any other value
 * = also one stray write per program (every kind for every allocator). */
void fuzz_alloc_set_corrupt(int level);
/* Since the last fuzz_alloc_set_corrupt(): programs that made a stray write,
 * and those of them that ended on a detection (the rest were harmless). */
void fuzz_alloc_corrupt_counts(unsigned long *made, unsigned long *detected);

/* The longest program fuzz_alloc_prng() makes, in bytes. */
#define FUZZ_PRNG_MAX (3u + 3u * 1200u)

/* A program for allocator `kind` (0..4) made by xorshift64* from *x, into
 * buf (FUZZ_PRNG_MAX bytes); returns its length. Opcodes are biased towards
 * allocation so the arena fills and allocations fail too. */
size_t fuzz_alloc_prng(uint8_t *buf, uint8_t kind, uint64_t *x);

/* Run `n` PRNG programs from `seed`, the allocators in turn (k % 5); aborts
 * on a finding. What the 32-bit run and the Cortex-M target run share. */
void fuzz_alloc_prng_programs(unsigned long n, uint64_t seed);

#endif
