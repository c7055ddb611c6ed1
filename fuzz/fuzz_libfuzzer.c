/* libFuzzer entry point (make fuzz). FUZZ_CORRUPT=1 in the environment
 * adds stray writes to the programs (fuzz_alloc_set_corrupt). */
#include <stdlib.h>

#include "fuzz_alloc.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *c = getenv("FUZZ_CORRUPT");
    (void)argc;
    (void)argv;
    fuzz_alloc_set_corrupt(c != NULL ? atoi(c) : 0);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_alloc_run(data, size);
}
