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

# The plain-Makefile example (examples/freertos_makefile: sources, -I and -D
# listed as a vendor SDK project lists them; no CMake), built by make with
# this build's compiler and run, warnings as errors.
find_program(RTMEM_MAKE_PROGRAM NAMES make gmake)
if(RTMEM_BUILD_TESTS AND RTMEM_MAKE_PROGRAM)
  add_test(NAME example_freertos_makefile
    COMMAND ${RTMEM_MAKE_PROGRAM} -s -C ${CMAKE_CURRENT_LIST_DIR}/freertos_makefile
            BUILD_DIR=${CMAKE_CURRENT_BINARY_DIR}/freertos_makefile CC=${CMAKE_C_COMPILER}
            "EXTRA_CFLAGS=-Werror -Wpedantic -Wconversion -Wsign-conversion -Wundef -Wshadow" run)
  set_tests_properties(example_freertos_makefile PROPERTIES TIMEOUT 300 LABELS examples)
  # after that build: were rtmem's free-list header changed, make would
  # compile heap4.c again (-W: as if the header were new; -n: print only).
  # Without header dependencies it would keep the old objects.
  add_test(NAME example_freertos_makefile_deps
    COMMAND ${RTMEM_MAKE_PROGRAM} -n -C ${CMAKE_CURRENT_LIST_DIR}/freertos_makefile
            BUILD_DIR=${CMAKE_CURRENT_BINARY_DIR}/freertos_makefile CC=${CMAKE_C_COMPILER}
            -W ../../include/rtmem/freelist.h all)
  set_tests_properties(example_freertos_makefile_deps PROPERTIES LABELS examples
    DEPENDS example_freertos_makefile PASS_REGULAR_EXPRESSION "-c [^\n]*heap4[.]c")
endif()
