# The layout key (rtmem/common.h): an application compiled with another
# layout option than the library it links must fail to link, naming the
# function, and with the library's own options it must link and run (which
# shows the command line itself is right, so a failure means the mismatch).
set(_lay_defs ${RTMEM_DEFINES})
list(TRANSFORM _lay_defs PREPEND -D)
set(_lay_cmd ${CMAKE_C_COMPILER})
separate_arguments(_lay_cflags UNIX_COMMAND "${CMAKE_C_FLAGS}")
list(APPEND _lay_cmd ${_lay_cflags} -std=c11 -I${PROJECT_SOURCE_DIR}/include
  -DRTMEM_CFG_PORT=RTMEM_PORT_${_rtmem_port_uc} ${_lay_defs})
if(RTMEM_SANITIZE)
  list(APPEND _lay_cmd -fsanitize=${RTMEM_SANITIZE})
endif()
set(_lay_libs $<TARGET_FILE:rtmem>)
if(RTMEM_PORT STREQUAL "posix")
  list(APPEND _lay_libs -pthread)
endif()
set(_lay_src ${CMAKE_CURRENT_SOURCE_DIR}/layout_app.c)
set(_lay_out ${CMAKE_CURRENT_BINARY_DIR}/layout_app)

add_test(NAME test_layout_same
  COMMAND sh -c "\"$0\" \"$@\" && ${_lay_out}_same" ${_lay_cmd} ${_lay_src} ${_lay_libs} -o ${_lay_out}_same)

# the pool's lock-free switch flipped: its init is the library's under another name
if(RTMEM_DEFINES MATCHES "RTMEM_CFG_POOL_LOCKFREE=0")
  set(_lay_lf 1)
else()
  set(_lay_lf 0) # the host default is 1 (C11 atomics)
endif()
add_test(NAME test_layout_pool_lockfree
  COMMAND ${_lay_cmd} -DRTMEM_CFG_POOL_LOCKFREE=${_lay_lf} ${_lay_src} ${_lay_libs} -o ${_lay_out}_lf)
set_tests_properties(test_layout_pool_lockfree PROPERTIES
  PASS_REGULAR_EXPRESSION "undefined reference to [`']?rtm_pool_init_locked__port[0-9]_lf${_lay_lf}_w0")

# another port: the wait queue in rtm_queue_t changes
if(RTMEM_PORT STREQUAL "none")
  set(_lay_port POSIX)
  set(_lay_pn 1)
else()
  set(_lay_port NONE)
  set(_lay_pn 0)
endif()
add_test(NAME test_layout_queue_port
  COMMAND ${_lay_cmd} -URTMEM_CFG_PORT -DRTMEM_CFG_PORT=RTMEM_PORT_${_lay_port} ${_lay_src}
    ${_lay_libs} -o ${_lay_out}_port)
set_tests_properties(test_layout_queue_port PROPERTIES
  PASS_REGULAR_EXPRESSION "undefined reference to [`']?rtm_queue_init_port${_lay_pn}_lf[01]_w0")
