# The fuzz target's interpreter (fuzz/fuzz_alloc.c) on PRNG-made programs for
# every allocator; `make fuzz` runs the same code under libFuzzer.
rtm_add_test(NAME test_fuzz_alloc
  SOURCES test_fuzz_alloc.c ${PROJECT_SOURCE_DIR}/fuzz/fuzz_alloc.c
  INCLUDES ${PROJECT_SOURCE_DIR}/fuzz
  TIMEOUT 600)
