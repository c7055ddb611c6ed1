# scripts/static-report.py on a Cortex-M4 example ELF and its map
# (tests/target/target_static.c, built here with arm-none-eabi-gcc).
find_program(RTM_ARM_GCC arm-none-eabi-gcc)
find_package(Python3 COMPONENTS Interpreter)
if(RTM_ARM_GCC AND Python3_Interpreter_FOUND)
  add_test(NAME test_static_report
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/test_static_report.py
            ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/static_report)
  set_tests_properties(test_static_report PROPERTIES TIMEOUT 300)
else()
  message(STATUS "rtmem: test_static_report needs arm-none-eabi-gcc and python3; not registered")
endif()
