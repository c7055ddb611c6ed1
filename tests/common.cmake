rtm_add_test(NAME test_common SOURCES test_common.c)
rtm_add_test(NAME test_port_posix SOURCES test_port_posix.c LABELS threads)
# Every statistics field of every scheme moves with use (issue 18).
rtm_add_test(NAME test_stats_fields SOURCES test_stats_fields.c)
