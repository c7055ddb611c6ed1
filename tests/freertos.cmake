# Tests of rtm_heap1, rtm_heap3 and the FreeRTOS heap layer.
#
# Layer tests: one binary per (scheme, configuration), each linking a layer
# library built by rtmem_add_freertos_heap() from tests/freertos_cfg/<cfg>.

rtm_add_test(NAME test_heap1 SOURCES test_heap1.c)
rtm_add_test(NAME test_heap3 SOURCES test_heap3.c)
rtm_add_test(NAME test_heap3_threads SOURCES test_heap3_threads.c LABELS threads)

set(_frt_cfg ${CMAKE_CURRENT_SOURCE_DIR}/freertos_cfg)

# rtm_frt_test(NAME n CFG dir SOURCE file [DEFS d...] [LABELS l...])
function(rtm_frt_test)
  cmake_parse_arguments(T "" "NAME;CFG;SOURCE" "DEFS;LABELS" ${ARGN})
  rtmem_add_freertos_heap(${T_NAME}_lib CONFIG_DIR ${_frt_cfg}/${T_CFG} DEFS ${T_DEFS})
  rtm_add_test(NAME ${T_NAME} SOURCES ${T_SOURCE} ${_frt_cfg}/common/frt_hooks.c
    LIBS ${T_NAME}_lib INCLUDES ${_frt_cfg}/common LABELS ${T_LABELS})
endfunction()

foreach(_a 8 16 32 64)
  rtm_frt_test(NAME test_frt_heap1_a${_a} CFG heap1 SOURCE test_freertos_heap1.c DEFS portBYTE_ALIGNMENT=${_a})
  rtm_frt_test(NAME test_frt_heap2_a${_a} CFG heap2 SOURCE test_freertos_heap2.c DEFS portBYTE_ALIGNMENT=${_a})
  rtm_frt_test(NAME test_frt_heap4_a${_a} CFG heap4 SOURCE test_freertos_heap4.c DEFS portBYTE_ALIGNMENT=${_a})
  rtm_frt_test(NAME test_frt_heap5_a${_a} CFG heap5 SOURCE test_freertos_heap5.c DEFS portBYTE_ALIGNMENT=${_a})
endforeach()
rtm_frt_test(NAME test_frt_heap1_app CFG heap1_app SOURCE test_freertos_heap1.c)
rtm_frt_test(NAME test_frt_heap2_clear CFG heap2_clear SOURCE test_freertos_heap2.c)
rtm_frt_test(NAME test_frt_heap3 CFG heap3 SOURCE test_freertos_heap3.c)
rtm_frt_test(NAME test_frt_heap4_clear CFG heap4_clear SOURCE test_freertos_heap4.c)
rtm_frt_test(NAME test_frt_heap4_app CFG heap4_app SOURCE test_freertos_heap4.c)
rtm_frt_test(NAME test_frt_heap4_prot CFG heap4_prot SOURCE test_freertos_heap4.c)
rtm_frt_test(NAME test_frt_heap5_prot CFG heap5_prot SOURCE test_freertos_heap5.c)
if(EXISTS ${PROJECT_SOURCE_DIR}/include/rtmem/tlsf.h)
  # rtm_tlsf aligns to 8; above that the layer uses rtm_tlsf_aligned_alloc
  rtm_frt_test(NAME test_frt_heap6 CFG heap6 SOURCE test_freertos_heap6.c)
  foreach(_a 16 32)
    rtm_frt_test(NAME test_frt_heap6_a${_a} CFG heap6 SOURCE test_freertos_heap6.c DEFS portBYTE_ALIGNMENT=${_a})
  endforeach()
  # Under ThreadSanitizer this caught rtm_tlsf_free reading the last word of
  # an allocated neighbour (another thread's data) in its pointer check; the
  # check now reads it only when the neighbour is marked free.
  rtm_frt_test(NAME test_frt_threads_h6 CFG threads SOURCE test_freertos_threads.c
    DEFS configFRTOS_MEMORY_SCHEME=6 LABELS threads)
endif()
rtm_frt_test(NAME test_frt_threads_h4 CFG threads SOURCE test_freertos_threads.c LABELS threads)
rtm_frt_test(NAME test_frt_threads_h2 CFG threads SOURCE test_freertos_threads.c
  DEFS configFRTOS_MEMORY_SCHEME=2 LABELS threads)

# Kernel mode: the layer and the freertos port compiled against minimal stub
# kernel headers (tests/stubs/freertos: the kernel's include/ and a port
# directory), so both keep compiling without a FreeRTOS checkout.
set(_stub ${CMAKE_CURRENT_SOURCE_DIR}/stubs/freertos)
rtmem_add_freertos_heap(frt_kernel_mode_check CONFIG_DIR ${_frt_cfg}/kernel
  INCLUDES ${_stub} ${_stub}/port KERNEL)
add_library(frt_port_freertos_check OBJECT ${PROJECT_SOURCE_DIR}/src/port/port_freertos.c)
target_include_directories(frt_port_freertos_check PRIVATE ${PROJECT_SOURCE_DIR}/include
  ${PROJECT_SOURCE_DIR}/src ${_stub} ${_stub}/port ${_frt_cfg}/kernel)
target_compile_definitions(frt_port_freertos_check PRIVATE RTMEM_CFG_PORT=RTMEM_PORT_FREERTOS)
target_compile_options(frt_port_freertos_check PRIVATE ${RTMEM_WARNINGS})
# Link the stubbed layer into a program so unresolved names show up too.
add_executable(frt_kernel_mode_link ${_stub}/kernel_stub_main.c)
target_link_libraries(frt_kernel_mode_link PRIVATE frt_kernel_mode_check)
target_compile_options(frt_kernel_mode_link PRIVATE ${RTMEM_WARNINGS} ${RTM_TEST_NOWARN})
add_test(NAME test_frt_kernel_mode COMMAND frt_kernel_mode_link)

# FreeRTOSConfig.h files written the ways FreeRTOS's demos write them (casts
# and expressions in configTOTAL_HEAP_SIZE, TICK_TYPE_WIDTH_* names or
# configUSE_16_BIT_TICKS, if-style configASSERT), each built without the
# kernel's headers and against the stub kernel's; <config>;<tick bits>.
foreach(_c "demo_posix;64" "demo_cm4;32" "demo_heap5;16" "demo_legacy16;16" "demo_tlsf;32")
  list(GET _c 0 _n)
  list(GET _c 1 _bits)
  rtmem_add_freertos_heap(test_frt_${_n}_lib CONFIG_DIR ${_frt_cfg}/${_n})
  rtm_add_test(NAME test_frt_${_n} SOURCES test_freertos_config.c
    LIBS test_frt_${_n}_lib DEFS FRT_TICK_BITS=${_bits})
  rtmem_add_freertos_heap(test_frt_${_n}_k_lib CONFIG_DIR ${_frt_cfg}/${_n}
    INCLUDES ${_stub} ${_stub}/port KERNEL)
  rtm_add_test(NAME test_frt_${_n}_kernel SOURCES test_freertos_config.c
    LIBS test_frt_${_n}_k_lib DEFS FRT_TICK_BITS=${_bits})
endforeach()
# configSUPPORT_DYNAMIC_ALLOCATION 0: the layer is empty.
rtmem_add_freertos_heap(test_frt_static_lib CONFIG_DIR ${_frt_cfg}/demo_static)
rtm_add_test(NAME test_frt_static SOURCES test_freertos_static.c LIBS test_frt_static_lib)
rtmem_add_freertos_heap(test_frt_static_k_lib CONFIG_DIR ${_frt_cfg}/demo_static
  INCLUDES ${_stub} ${_stub}/port KERNEL)
rtm_add_test(NAME test_frt_static_kernel SOURCES test_freertos_static.c LIBS test_frt_static_k_lib)
