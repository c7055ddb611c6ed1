# Every public function of include/rtmem/*.h states its time bound and its
# behaviour on bad input in its header (scripts/api-contract.py lists the
# functions that do not).
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  add_test(NAME test_api_contract COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/api-contract.py
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(test_api_contract PROPERTIES TIMEOUT 60)
endif()
