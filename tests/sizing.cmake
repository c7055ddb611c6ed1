# The public sizing macros no module test uses (pool, stack, mpu, static.h _IN).
rtm_add_test(NAME test_sizing SOURCES test_sizing.c)
