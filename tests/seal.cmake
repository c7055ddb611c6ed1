# Seal after start-up (rtmem/seal.h, rtmem/hooks.h, rtmem/seal_compat.h):
# every scheme with the allocation gate, owner seals, no-alloc sections, the
# auto-seal at start, and vPortHeapSeal on the FreeRTOS heap_4 layer.
rtm_add_test(NAME test_seal SOURCES test_seal.c)
rtm_frt_test(NAME test_frt_seal CFG heap4 SOURCE test_frt_seal.c)
