# FreeRTOS heap API examples: one program per scheme (heap_1 .. heap_5), each
# with its own FreeRTOSConfig.h, built with rtmem_add_freertos_heap() and
# registered as a CTest test.
foreach(_n 1 2 3 4 5)
  set(_dir ${CMAKE_CURRENT_LIST_DIR}/freertos_heap${_n})
  rtmem_add_freertos_heap(example_freertos_heap${_n}_lib CONFIG_DIR ${_dir})
  add_executable(example_freertos_heap${_n} ${_dir}/main.c)
  target_link_libraries(example_freertos_heap${_n} PRIVATE example_freertos_heap${_n}_lib)
  target_compile_options(example_freertos_heap${_n} PRIVATE ${RTMEM_WARNINGS})
  if(RTMEM_BUILD_TESTS)
    add_test(NAME example_freertos_heap${_n} COMMAND example_freertos_heap${_n})
    set_tests_properties(example_freertos_heap${_n} PROPERTIES TIMEOUT 60 LABELS examples)
  endif()
endforeach()
