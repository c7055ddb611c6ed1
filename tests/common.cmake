rtm_add_test(NAME test_common SOURCES test_common.c)
rtm_add_test(NAME test_port_posix SOURCES test_port_posix.c LABELS threads)
