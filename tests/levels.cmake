# One tlsf at every optimisation level (issue 18): the library and a probe
# built at -O0, -Og, -Os and -O2 for each of the four tlsf configurations
# (64-bit, and 32-bit when -m32 links) must print the same layout, bounds,
# addresses and codes; an application built with another RTMEM_CFG_HARDEN
# than the library, or passing another layout version, must be refused at
# init (tests/levels/levels_test.sh; the
# same on the emulated Cortex-M4 and M33 in `make test-target`). It builds
# its own binaries with the host compiler, so it runs in the builds without
# sanitizers only.
if(NOT RTMEM_SANITIZE)
  add_test(NAME test_tlsf_levels COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/levels/levels_test.sh host
           ${PROJECT_BINARY_DIR}/levels)
  set_tests_properties(test_tlsf_levels PROPERTIES TIMEOUT 900 ENVIRONMENT "CC=${CMAKE_C_COMPILER}")
endif()
