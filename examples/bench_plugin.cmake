# Example bench plugin (include/rtmem/bench_plugin.h): the system malloc as a
# loadable module for `rtmem bench --plugin`, and a test that loads it.
add_library(rtm_bench_plugin_malloc MODULE ${CMAKE_CURRENT_LIST_DIR}/bench_plugin_malloc/plugin_malloc.c)
target_include_directories(rtm_bench_plugin_malloc PRIVATE ${PROJECT_SOURCE_DIR}/include)
target_compile_options(rtm_bench_plugin_malloc PRIVATE ${RTMEM_WARNINGS})
if(RTMEM_BUILD_TESTS AND TARGET rtmem_tool)
  add_test(NAME test_tool_plugin
    COMMAND rtmem_tool bench --quick --workload W4 --plugin $<TARGET_FILE:rtm_bench_plugin_malloc>)
  # The W4 table must carry a row for the plugin with a pair median in ns.
  set_tests_properties(test_tool_plugin PROPERTIES TIMEOUT 120
    PASS_REGULAR_EXPRESSION "\nmalloc-plugin +[0-9]+ +[0-9.]+ ")
endif()
