# rtm_tlsf tests: one source, built against the library variants that change
# the TLSF layout or code paths.
rtm_add_test(NAME test_tlsf SOURCES test_tlsf.c)

# Pointer-sized words and word-sized list heads (arenas beyond 512 KiB).
rtm_add_lib_variant(NAME rtmem_tlsf_ptr DEFS RTMEM_CFG_TLSF_OFFSET32=0 RTMEM_CFG_TLSF_HEAD16=0)
rtm_add_test(NAME test_tlsf_ptr SOURCES test_tlsf.c LIBS rtmem_tlsf_ptr)

# The Cortex-M configuration on the host: 16-bit list heads (the 32-bit
# default; 64-bit hosts default to word-sized heads) and the portable CLZ.
rtm_add_lib_variant(NAME rtmem_tlsf_softclz DEFS RTMEM_CFG_TLSF_USE_BUILTIN_CLZ=0 RTMEM_CFG_TLSF_HEAD16=1)
rtm_add_test(NAME test_tlsf_softclz SOURCES test_tlsf.c LIBS rtmem_tlsf_softclz)

# The compact layout (16-bit words: the 32-bit target default) on the host,
# with regions cut into chunks.
rtm_add_lib_variant(NAME rtmem_tlsf_word16 DEFS RTMEM_CFG_TLSF_WORD16=1)
rtm_add_test(NAME test_tlsf_word16 SOURCES test_tlsf.c LIBS rtmem_tlsf_word16)
# ... with the -Os defaults (what a Cortex-M -Os build runs).
rtm_add_lib_variant(NAME rtmem_tlsf_word16_classic
                    DEFS RTMEM_CFG_TLSF_WORD16=1 RTMEM_CFG_TLSF_RELINK=0 RTMEM_CFG_TLSF_CARVE=0)
rtm_add_test(NAME test_tlsf_word16_classic SOURCES test_tlsf.c LIBS rtmem_tlsf_word16_classic)

# The same-class relink off.
rtm_add_lib_variant(NAME rtmem_tlsf_norelink DEFS RTMEM_CFG_TLSF_RELINK=0)
rtm_add_test(NAME test_tlsf_norelink SOURCES test_tlsf.c LIBS rtmem_tlsf_norelink)

# The size-optimised (-Os) defaults: no relink, classic placement (no carve).
rtm_add_lib_variant(NAME rtmem_tlsf_classic DEFS RTMEM_CFG_TLSF_RELINK=0 RTMEM_CFG_TLSF_CARVE=0)
rtm_add_test(NAME test_tlsf_classic SOURCES test_tlsf.c LIBS rtmem_tlsf_classic)

rtm_add_lib_variant(NAME rtmem_tlsf_a16 DEFS RTMEM_CFG_TLSF_ALIGN=16 RTMEM_CFG_TLSF_SL_LOG2=5 RTMEM_CFG_TLSF_HEAD16=1)
rtm_add_test(NAME test_tlsf_a16 SOURCES test_tlsf.c LIBS rtmem_tlsf_a16)

# Step counts (RTMEM_CFG_TEST_HOOKS=1): the shared hooks variant if another
# module already made it, else ours.
if(NOT TARGET rtmem_hooks)
  rtm_add_lib_variant(NAME rtmem_hooks DEFS RTMEM_CFG_TEST_HOOKS=1)
endif()
rtm_add_test(NAME test_tlsf_hooks SOURCES test_tlsf.c LIBS rtmem_hooks)
