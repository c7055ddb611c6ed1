# Static analysis of user code (rtmem/attrs.h): `gcc -fanalyzer` over the
# samples in tests/analyzer/ must draw each expected -Wanalyzer-* diagnostic
# (leak, double free, use after free, wrong deallocator) on its line and none
# in the clean samples, for heap_4, tlsf, a pool and pvPortMalloc/vPortFree.
# GCC's analyzer knows malloc(dealloc, index) from GCC 11 on.
find_package(Python3 COMPONENTS Interpreter)
if(CMAKE_C_COMPILER_ID STREQUAL "GNU" AND CMAKE_C_COMPILER_VERSION VERSION_GREATER_EQUAL 11
   AND Python3_Interpreter_FOUND)
  file(GLOB _an_samples CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/analyzer/*.c)
  add_test(NAME test_analyzer
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/analyzer/check.py ${CMAKE_C_COMPILER}
            ${PROJECT_SOURCE_DIR}/include ${CMAKE_CURRENT_SOURCE_DIR}/freertos_cfg/heap4 -- ${_an_samples})
  set_tests_properties(test_analyzer PROPERTIES TIMEOUT 300 LABELS analyzer)
else()
  message(STATUS "rtmem: test_analyzer needs GCC >= 11 and python3; not registered")
endif()

# The same samples under clang's static analyzer (ownership attributes,
# optimistic mode): leaks, double frees, uses after free.
find_program(RTM_CLANG clang)
if(RTM_CLANG AND Python3_Interpreter_FOUND)
  file(GLOB _an_samples CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/analyzer/*.c)
  add_test(NAME test_analyzer_clang
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/analyzer/check.py ${RTM_CLANG}
            ${PROJECT_SOURCE_DIR}/include ${CMAKE_CURRENT_SOURCE_DIR}/freertos_cfg/heap4 -- ${_an_samples})
  set_tests_properties(test_analyzer_clang PROPERTIES TIMEOUT 300 LABELS analyzer)
endif()
