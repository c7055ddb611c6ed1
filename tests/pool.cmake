# Pools, queues and their CMSIS-RTOS / FreeRTOS layers.
rtm_add_test(NAME test_pool SOURCES test_pool.c)
rtm_add_test(NAME test_pool_random SOURCES test_pool_random.c)
rtm_add_test(NAME test_pool_corrupt SOURCES test_pool_corrupt.c)
rtm_add_test(NAME test_pool_threads SOURCES test_pool_threads.c LABELS threads)
rtm_add_test(NAME test_queue SOURCES test_queue.c)
rtm_add_test(NAME test_queue_threads SOURCES test_queue_threads.c LABELS threads)
rtm_add_test(NAME test_cmsis_os2_pool SOURCES test_cmsis_os2_pool.c LABELS threads)
rtm_add_test(NAME test_cmsis_os_pool SOURCES test_cmsis_os_pool.c)
# The CMSIS layers against headers declared the way the real ones are
# (tests/stubs/cmsis*, written from the CMSIS documentation), in both
# include orders for v2, and after an upstream-style v1 cmsis_os.h.
rtm_add_test(NAME test_cmsis_os2_pool_hdr_first SOURCES test_cmsis_os2_pool.c LABELS threads
  INCLUDES ${CMAKE_CURRENT_SOURCE_DIR}/stubs/cmsis DEFS TEST_OS2_HEADER_FIRST)
rtm_add_test(NAME test_cmsis_os2_pool_hdr_after SOURCES test_cmsis_os2_pool.c LABELS threads
  INCLUDES ${CMAKE_CURRENT_SOURCE_DIR}/stubs/cmsis DEFS TEST_OS2_HEADER_AFTER)
rtm_add_test(NAME test_cmsis_os_pool_upstream SOURCES test_cmsis_os_pool.c
  INCLUDES ${CMAKE_CURRENT_SOURCE_DIR}/stubs/cmsis_v1 DEFS TEST_OS1_HEADER)

# The freertos port's pool/queue side compiled against the stub kernel
# headers with a notification index to spare (the kernel-mode check in
# freertos.cmake covers the single-entry, polling case). Compile only.
add_library(frt_port_freertos_index_check OBJECT ${PROJECT_SOURCE_DIR}/src/port/port_freertos.c)
target_include_directories(frt_port_freertos_index_check PRIVATE ${PROJECT_SOURCE_DIR}/include
  ${PROJECT_SOURCE_DIR}/src ${CMAKE_CURRENT_SOURCE_DIR}/stubs/freertos
  ${CMAKE_CURRENT_SOURCE_DIR}/stubs/freertos/port ${CMAKE_CURRENT_SOURCE_DIR}/freertos_cfg/kernel)
target_compile_definitions(frt_port_freertos_index_check PRIVATE
  RTMEM_CFG_PORT=RTMEM_PORT_FREERTOS configTASK_NOTIFICATION_ARRAY_ENTRIES=3)
target_compile_options(frt_port_freertos_index_check PRIVATE ${RTMEM_WARNINGS})

# v1 pools with the v1-on-v2 compatibility cmsis_os.h (issue 12 item 12):
# rtmem built with RTMEM_CFG_CMSIS_V1_ON_V2=1, tested against a stub of that
# header (tests/stubs/cmsis_v1v2, written from the CMSIS documentation) in
# both include orders, and with rtmem's own declarations of it.
rtm_add_lib_variant(NAME rtmem_cmsis_v1v2 DEFS RTMEM_CFG_CMSIS_V1_ON_V2=1)
rtm_add_test(NAME test_cmsis_os_pool_v1v2 SOURCES test_cmsis_os_pool_v1v2.c LIBS rtmem_cmsis_v1v2)
rtm_add_test(NAME test_cmsis_os_pool_v1v2_hdr_first SOURCES test_cmsis_os_pool_v1v2.c
  LIBS rtmem_cmsis_v1v2 INCLUDES ${CMAKE_CURRENT_SOURCE_DIR}/stubs/cmsis_v1v2
  ${CMAKE_CURRENT_SOURCE_DIR}/stubs/cmsis DEFS TEST_V1V2_HEADER_FIRST)
rtm_add_test(NAME test_cmsis_os_pool_v1v2_hdr_after SOURCES test_cmsis_os_pool_v1v2.c
  LIBS rtmem_cmsis_v1v2 INCLUDES ${CMAKE_CURRENT_SOURCE_DIR}/stubs/cmsis_v1v2
  ${CMAKE_CURRENT_SOURCE_DIR}/stubs/cmsis DEFS TEST_V1V2_HEADER_AFTER)

# The freertos port run (issue 12 item 7): rtmem's sources with
# port_freertos.c and the recording stub kernel (tests/stubs/freertos,
# kernel_stub_ctl.h), interrupt context through xPortIsInsideInterrupt()
# (named in freertos_cfg/isr/FreeRTOSConfig.h, as an application does), one
# CMSIS wait slot. Three configurations: the default index (the last of 3),
# an index the application names, and a single entry (the polling wait).
# <name>;<notification entries>;<index the port must use>;<extra definition>
get_target_property(_frt_isr_srcs rtmem SOURCES)
list(FILTER _frt_isr_srcs EXCLUDE REGEX "/port/port_[a-z_]+\\.c$")
set(_frt_isr_stub ${CMAKE_CURRENT_SOURCE_DIR}/stubs/freertos)
foreach(_v "idx_last;3;2;" "idx_named;3;1;RTMEM_CFG_FREERTOS_NOTIFY_INDEX=1" "poll;1;-1;")
  list(GET _v 0 _name)
  list(GET _v 1 _entries)
  list(GET _v 2 _index)
  list(GET _v 3 _extra)
  add_library(rtmem_frt_isr_${_name} STATIC ${_frt_isr_srcs}
    ${PROJECT_SOURCE_DIR}/src/port/port_freertos.c ${_frt_isr_stub}/kernel_stub.c)
  target_include_directories(rtmem_frt_isr_${_name} PUBLIC ${PROJECT_SOURCE_DIR}/include
    ${_frt_isr_stub} ${_frt_isr_stub}/port ${CMAKE_CURRENT_SOURCE_DIR}/freertos_cfg/isr
    PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_compile_definitions(rtmem_frt_isr_${_name} PUBLIC RTMEM_CFG_PORT=RTMEM_PORT_FREERTOS
    RTMEM_CFG_CMSIS_WAIT_POOLS=1 configTASK_NOTIFICATION_ARRAY_ENTRIES=${_entries} ${_extra})
  target_compile_options(rtmem_frt_isr_${_name} PRIVATE ${RTMEM_WARNINGS})
  rtm_add_test(NAME test_frt_isr_${_name} SOURCES test_frt_isr.c LIBS rtmem_frt_isr_${_name}
    DEFS TEST_INDEX=${_index})
endforeach()

# The port's options were renamed RTMEM_CFG_FREERTOS_*: a FreeRTOSConfig.h
# that still sets an old name must stop the build, not be ignored.
foreach(_old "RTMEM_FREERTOS_IN_ISR()=1" "RTMEM_FREERTOS_YIELD_FROM_ISR(w)=(void)(w)")
  string(REGEX REPLACE "[(].*" "" _oname "${_old}")
  rtm_add_refused_build(NAME test_frt_old_name_${_oname}
    SOURCE ${PROJECT_SOURCE_DIR}/src/port/port_freertos.c
    INCLUDES ${_frt_isr_stub} ${_frt_isr_stub}/port ${CMAKE_CURRENT_SOURCE_DIR}/freertos_cfg/isr
    DEFS RTMEM_CFG_PORT=RTMEM_PORT_FREERTOS "${_old}"
    EXPECT "are now RTMEM_CFG_FREERTOS_IN_ISR")
endforeach()
