# rtm_mpu: region planning and encoding (ARMv7-M, ARMv8-M), checked against
# register values worked out by hand from the Architecture Reference Manuals.
rtm_add_test(NAME test_mpu SOURCES test_mpu.c)
