# Zero-copy producer/consumer with rtm_pool and rtm_queue (needs threads: posix port).
if(RTMEM_PORT STREQUAL "posix" OR NOT DEFINED RTMEM_PORT)
  add_executable(example_pool_queue ${CMAKE_CURRENT_LIST_DIR}/pool_queue/main.c)
  target_link_libraries(example_pool_queue PRIVATE rtmem)
  target_compile_options(example_pool_queue PRIVATE ${RTMEM_WARNINGS})
  add_test(NAME example_pool_queue COMMAND example_pool_queue)
  set_tests_properties(example_pool_queue PROPERTIES TIMEOUT 120 LABELS "threads;examples")
endif()
