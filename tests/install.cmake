# Installation and downstream use (find_package, add_subdirectory, pkg-config).
# Skipped in sanitizer builds: the installed archive would carry sanitizer
# references that a plain consumer cannot link.
if(NOT RTMEM_SANITIZE)
  add_test(NAME test_install COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/install_test.sh ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR})
  set_tests_properties(test_install PROPERTIES TIMEOUT 900)
endif()
