# The fuzz target's interpreter (fuzz/fuzz_alloc.c) on PRNG-made programs for
# every allocator; `make fuzz` runs the same code under libFuzzer.
rtm_add_test(NAME test_fuzz_alloc
  SOURCES test_fuzz_alloc.c ${PROJECT_SOURCE_DIR}/fuzz/fuzz_alloc.c
  INCLUDES ${PROJECT_SOURCE_DIR}/fuzz
  TIMEOUT 600)
# The corrupting programs again at RTMEM_CFG_HARDEN=2 (links and sizes
# protected, freed memory poisoned and verified).
rtm_add_test(NAME test_fuzz_alloc_h2
  SOURCES test_fuzz_alloc.c ${PROJECT_SOURCE_DIR}/fuzz/fuzz_alloc.c
  INCLUDES ${PROJECT_SOURCE_DIR}/fuzz LIBS rtmem_harden2 DEFS FUZZ_TEST_CORRUPT_ONLY
  TIMEOUT 600)
