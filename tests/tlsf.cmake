# rtm_tlsf tests: five sources (set-up, alloc/free and bad input; realloc,
# regions, statistics and placement; random runs, bounds and steps; stray
# writes, gate and events; limits), each built against each tlsf configuration.
# rtm_tlsf has no option of its own (one layout: 8-byte alignment, 16
# second-level classes), so there are four: the default, RTMEM_CFG_HARDEN=1
# (keyed check bytes, XOR-ed links), RTMEM_CFG_HARDEN=2 (guard words, poison)
# and the portable bit scan a compiler without the CLZ builtins gets;
# tests/target/run.sh runs the same four on the emulated Cortex-M boards and
# tests/levels/levels_test.sh at -O0/-Og/-Os/-O2.
set(RTM_TLSF_TEST_SOURCES test_tlsf test_tlsf_regions test_tlsf_stress test_tlsf_scribble
    test_tlsf_limits)

# rtm_tlsf_tests(SUFFIX LIB): every source against LIB, named <source><SUFFIX>.
function(rtm_tlsf_tests suffix lib)
  foreach(src ${RTM_TLSF_TEST_SOURCES})
    if(lib)
      rtm_add_test(NAME ${src}${suffix} SOURCES ${src}.c LIBS ${lib})
    else()
      rtm_add_test(NAME ${src}${suffix} SOURCES ${src}.c)
    endif()
  endforeach()
endfunction()

rtm_tlsf_tests("" "")

# The portable CLZ (what a compiler without the builtins gets).
rtm_add_lib_variant(NAME rtmem_tlsf_softclz DEFS RTMEM_CFG_TLSF_USE_BUILTIN_CLZ=0)
rtm_tlsf_tests(_softclz rtmem_tlsf_softclz)

# The gate and event reports (RTMEM_CFG_EVENTS=1, not a tlsf configuration:
# it changes no layout) against the shared events library of observe.cmake.
if(NOT TARGET rtmem_events)
  rtm_add_lib_variant(NAME rtmem_events DEFS RTMEM_CFG_EVENTS=1)
endif()
rtm_add_test(NAME test_tlsf_scribble_events SOURCES test_tlsf_scribble.c LIBS rtmem_events)

# Step counts (RTMEM_CFG_TEST_HOOKS=1): the shared hooks variant if another
# module already made it, else ours: the two sources that ran with it before
# the split.
if(NOT TARGET rtmem_hooks)
  rtm_add_lib_variant(NAME rtmem_hooks DEFS RTMEM_CFG_TEST_HOOKS=1)
endif()
rtm_add_test(NAME test_tlsf_stress_hooks SOURCES test_tlsf_stress.c LIBS rtmem_hooks)
rtm_add_test(NAME test_tlsf_scribble_hooks SOURCES test_tlsf_scribble.c LIBS rtmem_hooks)

# The hardened levels use the whole-library variants heap_fl.cmake builds
# (the same definitions), made here if that module is gone.
foreach(_h 1 2)
  if(NOT TARGET rtmem_fl_h${_h})
    rtm_add_lib_variant(NAME rtmem_fl_h${_h} DEFS RTMEM_CFG_HARDEN=${_h})
  endif()
endforeach()
# Level 1: check bytes keyed by a per-instance canary, free-list links
# XOR-ed with it.
rtm_tlsf_tests(_harden1 rtmem_fl_h1)
# Level 2: also guard words after every block (checked at free and by
# rtm_tlsf_check) and poisoned free memory.
rtm_tlsf_tests(_harden rtmem_fl_h2)

# The layout options that are gone stop a build that still sets them, with a
# message saying what to do instead (rtmem/config.h).
foreach(_o "ALIGN=16|rtm_tlsf_aligned_alloc" "SL_LOG2=5|remove the definition")
  string(REPLACE "|" ";" _o "${_o}")
  list(GET _o 0 _def)
  list(GET _o 1 _says)
  string(REGEX REPLACE "=.*" "" _name "${_def}")
  rtm_add_refused_build(NAME test_tlsf_gone_${_name}
    SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/tlsf_old_options.c DEFS RTMEM_CFG_TLSF_${_def}
    EXPECT "RTMEM_CFG_TLSF_${_name} is gone.*${_says}")
endforeach()
