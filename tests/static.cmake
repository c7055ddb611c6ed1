# Static allocation macros and the start-up init table (rtmem/static.h).
rtm_add_test(NAME test_static SOURCES test_static.c)
