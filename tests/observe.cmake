# Observation (issue 15): leak tracker, call-site tags and injection, the
# observer fan-out, the trace recorder and its decoder, built with
# RTMEM_CFG_EVENTS=1 (and once with 0: the calls compile and say so).
rtm_add_lib_variant(NAME rtmem_events DEFS RTMEM_CFG_EVENTS=1)
rtm_add_test(NAME test_leak SOURCES test_leak.c LIBS rtmem_events TIMEOUT 120)
rtm_add_test(NAME test_leak_noevents SOURCES test_leak.c TIMEOUT 120)
