# rtm_tlsf tests: two sources (behaviour; random runs, bounds and stray
# writes), each built against each tlsf configuration. There
# are four: the default, the portable bit scan, ALIGN 16 with 32 second-level
# classes, and the hardened one (RTMEM_CFG_HARDEN=2); tests/target/run.sh runs
# the same four on the emulated Cortex-M boards.
rtm_add_test(NAME test_tlsf SOURCES test_tlsf.c)
rtm_add_test(NAME test_tlsf_stress SOURCES test_tlsf_stress.c)

# The portable CLZ (what a compiler without the builtins gets).
rtm_add_lib_variant(NAME rtmem_tlsf_softclz DEFS RTMEM_CFG_TLSF_USE_BUILTIN_CLZ=0)
rtm_add_test(NAME test_tlsf_softclz SOURCES test_tlsf.c LIBS rtmem_tlsf_softclz)
rtm_add_test(NAME test_tlsf_stress_softclz SOURCES test_tlsf_stress.c LIBS rtmem_tlsf_softclz)

# (with the event reports compiled in, which are not a layout option)
rtm_add_lib_variant(NAME rtmem_tlsf_a16 DEFS RTMEM_CFG_TLSF_ALIGN=16 RTMEM_CFG_TLSF_SL_LOG2=5 RTMEM_CFG_EVENTS=1)
rtm_add_test(NAME test_tlsf_a16 SOURCES test_tlsf.c LIBS rtmem_tlsf_a16)
rtm_add_test(NAME test_tlsf_stress_a16 SOURCES test_tlsf_stress.c LIBS rtmem_tlsf_a16)

# Step counts (RTMEM_CFG_TEST_HOOKS=1): the shared hooks variant if another
# module already made it, else ours.
if(NOT TARGET rtmem_hooks)
  rtm_add_lib_variant(NAME rtmem_hooks DEFS RTMEM_CFG_TEST_HOOKS=1)
endif()
rtm_add_test(NAME test_tlsf_stress_hooks SOURCES test_tlsf_stress.c LIBS rtmem_hooks)

# Hardened: check bytes keyed by a per-instance canary, guard words after
# every block (checked at free and by rtm_tlsf_check).
rtm_add_lib_variant(NAME rtmem_tlsf_harden DEFS RTMEM_CFG_HARDEN=2)
rtm_add_test(NAME test_tlsf_harden SOURCES test_tlsf.c LIBS rtmem_tlsf_harden)
rtm_add_test(NAME test_tlsf_stress_harden SOURCES test_tlsf_stress.c LIBS rtmem_tlsf_harden)
