# Which allocator modules the rtmem tool can use. A module counts as present
# when its public header exists and some src/*.c defines rtm_<m>_init() (or the
# out-of-line half of an inline init: rtm_<m>_init_abi(), rtm_<m>_init_locked_()); until
# then its adapter stays out of the build (RTM_TOOL_HAVE_<M>=0), so the tool
# always builds while the modules are still being written.
# Sets RTM_TOOL_DEFS (compile definitions) and RTM_TOOL_MODULES (names found).
# Included by tools/rtmem/CMakeLists.txt and tests/tool.cmake.
set(RTM_TOOL_DEFS "")
set(RTM_TOOL_MODULES "")
file(GLOB _rtm_tool_srcs ${PROJECT_SOURCE_DIR}/src/*.c)
foreach(_m heap1 heap2 heap3 heap4 heap5 tlsf pool)
  string(TOUPPER ${_m} _M)
  set(_have 0)
  if(EXISTS ${PROJECT_SOURCE_DIR}/include/rtmem/${_m}.h)
    foreach(_src IN LISTS _rtm_tool_srcs)
      file(STRINGS ${_src} _def REGEX "^(rtm_err_t[ \t]+)?rtm_${_m}_init(_abi|_locked_)?[ \t]*\\(")
      if(_def)
        set(_have 1)
        break()
      endif()
    endforeach()
  endif()
  # every module is written now: a header whose init is not found means the
  # pattern above missed a new init form, which would drop the module from
  # the tool without a word
  if(EXISTS ${PROJECT_SOURCE_DIR}/include/rtmem/${_m}.h AND NOT _have)
    message(FATAL_ERROR "detect.cmake: rtmem/${_m}.h exists but no src/*.c defines its init; "
      "the rtmem tool would leave ${_m} out: extend the pattern")
  endif()
  list(APPEND RTM_TOOL_DEFS RTM_TOOL_HAVE_${_M}=${_have})
  if(_have)
    list(APPEND RTM_TOOL_MODULES ${_m})
  endif()
endforeach()
# Re-run the configure step when a module's header or source appears.
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
  ${PROJECT_SOURCE_DIR}/include/rtmem ${PROJECT_SOURCE_DIR}/src)
set(RTM_TOOL_SHARED_DIR_DEFAULT "${PROJECT_SOURCE_DIR}/../shared")
set(RTMEM_SHARED_DIR "${RTM_TOOL_SHARED_DIR_DEFAULT}" CACHE PATH
  "Directory holding BENCH.md and traces/ (the shared project files)")
# The tool sources shared by the rtmem binary, rtmem32 and the tests.
set(RTM_TOOL_LIB_SOURCES
  ${PROJECT_SOURCE_DIR}/tools/rtmem/trace.c
  ${PROJECT_SOURCE_DIR}/tools/rtmem/decode.c
  ${PROJECT_SOURCE_DIR}/tools/rtmem/schemes.c
  ${PROJECT_SOURCE_DIR}/tools/rtmem/timing.c
  ${PROJECT_SOURCE_DIR}/tools/rtmem/workload.c
  ${PROJECT_SOURCE_DIR}/tools/rtmem/replay.c
  ${PROJECT_SOURCE_DIR}/tools/rtmem/pools.c)
