# Free-list heaps (heap_2, heap_4, heap_5): unit tests, random tests against a
# shadow model, for every block alignment and the protector and hardened builds.
foreach(_a 8 16 32 64)
  rtm_add_lib_variant(NAME rtmem_fl_a${_a} DEFS RTMEM_CFG_HEAP_ALIGNMENT=${_a})
endforeach()
rtm_add_lib_variant(NAME rtmem_fl_prot DEFS RTMEM_CFG_HEAP_PROTECTOR=1)
rtm_add_lib_variant(NAME rtmem_fl_h1 DEFS RTMEM_CFG_HARDEN=1)
rtm_add_lib_variant(NAME rtmem_fl_h2 DEFS RTMEM_CFG_HARDEN=2)

foreach(_s heap2 heap4 heap5)
  rtm_add_test(NAME test_${_s} SOURCES test_${_s}.c TIMEOUT 60)
  foreach(_a 16 32 64)
    rtm_add_test(NAME test_${_s}_a${_a} SOURCES test_${_s}.c LIBS rtmem_fl_a${_a} TIMEOUT 60)
  endforeach()
  rtm_add_test(NAME test_${_s}_prot SOURCES test_${_s}.c LIBS rtmem_fl_prot TIMEOUT 60)
  rtm_add_test(NAME test_${_s}_h1 SOURCES test_${_s}.c LIBS rtmem_fl_h1 TIMEOUT 60)
  rtm_add_test(NAME test_${_s}_h2 SOURCES test_${_s}.c LIBS rtmem_fl_h2 TIMEOUT 60)
endforeach()

foreach(_a 8 16 32 64)
  rtm_add_test(NAME test_freelist_random_a${_a} SOURCES test_freelist_random.c
               LIBS rtmem_fl_a${_a} TIMEOUT 120)
endforeach()
rtm_add_test(NAME test_freelist_random_prot SOURCES test_freelist_random.c
             LIBS rtmem_fl_prot TIMEOUT 120)
rtm_add_test(NAME test_freelist_random_h2 SOURCES test_freelist_random.c
             LIBS rtmem_fl_h2 TIMEOUT 120)
# Stray writes (overruns, writes after free), getters, sealing.
rtm_add_test(NAME test_heap_harden SOURCES test_heap_harden.c TIMEOUT 60)
rtm_add_test(NAME test_heap_harden_prot SOURCES test_heap_harden.c LIBS rtmem_fl_prot TIMEOUT 60)
rtm_add_test(NAME test_heap_harden_h2 SOURCES test_heap_harden.c LIBS rtmem_fl_h2 TIMEOUT 60)
