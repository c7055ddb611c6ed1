# scripts/deps.sh, the package check of `make demo` and `make test`, with
# stand-ins for dpkg-query, id and apt-get (tests/deps_test.sh).
add_test(NAME test_deps COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/deps_test.sh ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(test_deps PROPERTIES TIMEOUT 60 PASS_REGULAR_EXPRESSION "deps test: ok")
