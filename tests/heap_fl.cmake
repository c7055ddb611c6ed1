# Free-list heaps (heap_2, heap_4, heap_5): unit tests, random tests against a
# shadow model, for every block alignment and the protector / no-verify builds.
foreach(_a 8 16 32 64)
  rtm_add_lib_variant(NAME rtmem_fl_a${_a} DEFS RTMEM_CFG_HEAP_ALIGNMENT=${_a})
endforeach()
rtm_add_lib_variant(NAME rtmem_fl_prot DEFS RTMEM_CFG_HEAP_PROTECTOR=1)
rtm_add_lib_variant(NAME rtmem_fl_noverify DEFS RTMEM_CFG_FREE_VERIFY=0)

foreach(_s heap2 heap4 heap5)
  rtm_add_test(NAME test_${_s} SOURCES test_${_s}.c TIMEOUT 60)
  foreach(_a 16 32 64)
    rtm_add_test(NAME test_${_s}_a${_a} SOURCES test_${_s}.c LIBS rtmem_fl_a${_a} TIMEOUT 60)
  endforeach()
  rtm_add_test(NAME test_${_s}_prot SOURCES test_${_s}.c LIBS rtmem_fl_prot TIMEOUT 60)
  rtm_add_test(NAME test_${_s}_noverify SOURCES test_${_s}.c LIBS rtmem_fl_noverify TIMEOUT 60)
endforeach()

foreach(_a 8 16 32 64)
  rtm_add_test(NAME test_freelist_random_a${_a} SOURCES test_freelist_random.c
               LIBS rtmem_fl_a${_a} TIMEOUT 120)
endforeach()
rtm_add_test(NAME test_freelist_random_prot SOURCES test_freelist_random.c
             LIBS rtmem_fl_prot TIMEOUT 120)
