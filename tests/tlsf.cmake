# rtm_tlsf tests: five sources (set-up, alloc/free and bad input; realloc,
# regions, statistics and placement; random runs, bounds and steps; stray
# writes, gate and events; limits), each built against each tlsf configuration. There
# are four: the default, the portable bit scan, ALIGN 16 with 32 second-level
# classes, and the hardened one (RTMEM_CFG_HARDEN=2); tests/target/run.sh runs
# the same four on the emulated Cortex-M boards.
set(RTM_TLSF_TEST_SOURCES test_tlsf test_tlsf_regions test_tlsf_stress test_tlsf_scribble
    test_tlsf_limits)

# rtm_tlsf_tests(SUFFIX LIB): every source against LIB, named <source><SUFFIX>.
function(rtm_tlsf_tests suffix lib)
  foreach(src ${RTM_TLSF_TEST_SOURCES})
    if(lib)
      rtm_add_test(NAME ${src}${suffix} SOURCES ${src}.c LIBS ${lib})
    else()
      rtm_add_test(NAME ${src}${suffix} SOURCES ${src}.c)
    endif()
  endforeach()
endfunction()

rtm_tlsf_tests("" "")

# The portable CLZ (what a compiler without the builtins gets).
rtm_add_lib_variant(NAME rtmem_tlsf_softclz DEFS RTMEM_CFG_TLSF_USE_BUILTIN_CLZ=0)
rtm_tlsf_tests(_softclz rtmem_tlsf_softclz)

# (with the event reports compiled in, which are not a layout option)
rtm_add_lib_variant(NAME rtmem_tlsf_a16 DEFS RTMEM_CFG_TLSF_ALIGN=16 RTMEM_CFG_TLSF_SL_LOG2=5 RTMEM_CFG_EVENTS=1)
rtm_tlsf_tests(_a16 rtmem_tlsf_a16)

# Step counts (RTMEM_CFG_TEST_HOOKS=1): the shared hooks variant if another
# module already made it, else ours: the two sources that ran with it before
# the split.
if(NOT TARGET rtmem_hooks)
  rtm_add_lib_variant(NAME rtmem_hooks DEFS RTMEM_CFG_TEST_HOOKS=1)
endif()
rtm_add_test(NAME test_tlsf_stress_hooks SOURCES test_tlsf_stress.c LIBS rtmem_hooks)
rtm_add_test(NAME test_tlsf_scribble_hooks SOURCES test_tlsf_scribble.c LIBS rtmem_hooks)

# Hardened: check bytes keyed by a per-instance canary, guard words after
# every block (checked at free and by rtm_tlsf_check).
rtm_add_lib_variant(NAME rtmem_tlsf_harden DEFS RTMEM_CFG_HARDEN=2)
rtm_tlsf_tests(_harden rtmem_tlsf_harden)
