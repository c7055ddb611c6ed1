# The link-time malloc guard (rtmem/malloc_guard.h) on the host: the test's
# own malloc family calls are wrapped, glibc's internal ones are not.
rtm_add_test(NAME test_malloc_guard SOURCES test_malloc_guard.c)
target_link_options(test_malloc_guard PRIVATE
  "LINKER:--wrap=malloc,--wrap=free,--wrap=calloc,--wrap=realloc")
