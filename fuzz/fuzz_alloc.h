/* The fuzz program interpreter shared by the libFuzzer entry and the test. */
#ifndef RTM_FUZZ_ALLOC_H
#define RTM_FUZZ_ALLOC_H

#include <stddef.h>
#include <stdint.h>

/* Run one program (see fuzz_alloc.c); aborts on any finding. Returns 0. */
int fuzz_alloc_run(const uint8_t *data, size_t size);

#endif
