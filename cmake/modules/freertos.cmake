# FreeRTOS layer: the kernel's headers for rtmem, the heap API
# (src/compat/freertos_heap.c), and rtmem built for a chosen port from its
# sources. Used in-tree (add_subdirectory(rtmem)) and from the installed
# package (find_package(rtmem) includes this file).
#
# The kernel: its include directories and configuration are given ONCE.
#   - With FreeRTOS-Kernel's own CMake (add_subdirectory of the kernel and the
#     application's freertos_config target): nothing to pass. rtmem links the
#     kernel's targets (freertos_kernel, which carries freertos_kernel_include,
#     freertos_kernel_port_headers and freertos_config with its include
#     directories and compile definitions), whether the kernel is added
#     before or after rtmem.
#   - Otherwise: RTMEM_FREERTOS_INCLUDE_DIRS (the kernel's include/, the
#     port's directory with portmacro.h, the directory of FreeRTOSConfig.h)
#     and RTMEM_FREERTOS_DEFINES (definitions FreeRTOSConfig.h needs).
# Both feed the interface target rtmem_freertos_kernel, linked by the
# freertos port (RTMEM_PORT=freertos) and by every KERNEL heap library.
#
# rtmem_add_freertos_heap(<target> [CONFIG_DIR <dir>] [KERNEL] [RTMEM <lib>]
#                         [DEFS def...] [INCLUDES dir...])
#   Makes <target>, to link into the executable: the FreeRTOS heap API
#   (pvPortMalloc, vPortFree, ...) as an object library, over the rtmem heap
#   schemes compiled for the FreeRTOSConfig.h it sees (static library
#   <target>_schemes: configFRTOS_MEMORY_SCHEME, configTOTAL_HEAP_SIZE,
#   portBYTE_ALIGNMENT, configENABLE_HEAP_PROTECTOR, ...; see
#   include/rtmem/freertos_heap.h). The API's object is always linked, so the
#   kernel's own calls of pvPortMalloc resolve in any link order. ucHeap
#   lives in it unless configAPPLICATION_ALLOCATED_HEAP is 1.
#     CONFIG_DIR  directory of FreeRTOSConfig.h (optional with KERNEL: the
#                 kernel's configuration is used)
#     KERNEL      compile inside a FreeRTOS application: include "FreeRTOS.h",
#                 use the kernel's types (RTMEM_CFG_FREERTOS_KERNEL=1). The
#                 default when RTMEM_PORT is freertos or RTMEM_FREERTOS_KERNEL
#                 is ON.
#     RTMEM       the rtmem library to link (port, common code). Default: the
#                 in-tree rtmem; from the installed package rtmem::rtmem, or
#                 with KERNEL the freertos flavour rtmem_freertos (made once
#                 with rtmem_add_library).
#     DEFS        extra compile definitions, public (e.g. portBYTE_ALIGNMENT=16)
#     INCLUDES    extra include directories, public
#
# rtmem_add_library(<target> PORT <none|posix|cortex_m|freertos> [DEFINES d...])
#   rtmem built from its sources for that port (the installed package holds
#   the sources, so it is tied to no port). PORT freertos links
#   rtmem_freertos_kernel.

if(NOT DEFINED RTMEM_FREERTOS_INCLUDE_DIRS)
  set(RTMEM_FREERTOS_INCLUDE_DIRS "" CACHE STRING
      "FreeRTOS kernel include directories (include/, the port's, FreeRTOSConfig.h's) when the kernel's CMake targets are not used")
endif()
if(NOT DEFINED RTMEM_FREERTOS_DEFINES)
  set(RTMEM_FREERTOS_DEFINES "" CACHE STRING
      "Compile definitions the application's FreeRTOSConfig.h needs when the kernel's CMake targets are not used")
endif()

# Where the sources and headers are: the source tree, or the installed
# package (rtmemConfig.cmake sets _RTMEM_PKG_SRC and _RTMEM_PKG_INC).
if(DEFINED _RTMEM_PKG_SRC)
  set(_rtmem_frt_src "${_RTMEM_PKG_SRC}")
  set(_rtmem_frt_inc "${_RTMEM_PKG_INC}")
  set(_rtmem_frt_warn "")
else()
  get_filename_component(_rtmem_frt_root "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)
  set(_rtmem_frt_src "${_rtmem_frt_root}/src")
  set(_rtmem_frt_inc "${_rtmem_frt_root}/include")
  set(_rtmem_frt_warn "${RTMEM_WARNINGS}")
endif()
set_property(GLOBAL PROPERTY RTMEM_FREERTOS_SRC "${_rtmem_frt_src}")
set_property(GLOBAL PROPERTY RTMEM_FREERTOS_INC "${_rtmem_frt_inc}")
set_property(GLOBAL PROPERTY RTMEM_FREERTOS_WARNINGS "${_rtmem_frt_warn}")

# ---- The kernel's headers, given once ----------------------------------------
if(NOT TARGET rtmem_freertos_kernel)
  add_library(rtmem_freertos_kernel INTERFACE)
  target_include_directories(rtmem_freertos_kernel INTERFACE ${RTMEM_FREERTOS_INCLUDE_DIRS})
  target_compile_definitions(rtmem_freertos_kernel INTERFACE ${RTMEM_FREERTOS_DEFINES})
  # Evaluated when the build is generated, so the kernel may be added after
  # rtmem. freertos_kernel also puts the kernel's archive after rtmem's in
  # every link line (the port calls the scheduler).
  target_link_libraries(rtmem_freertos_kernel INTERFACE
    $<TARGET_NAME_IF_EXISTS:freertos_kernel>
    $<TARGET_NAME_IF_EXISTS:freertos_kernel_include>
    $<TARGET_NAME_IF_EXISTS:freertos_kernel_port_headers>)
endif()

# A clear message at the end of configuration instead of "FreeRTOS.h: No
# such file" at build time, when something needs the kernel and it was given
# neither way.
function(_rtmem_freertos_check_kernel)
  get_property(_who GLOBAL PROPERTY RTMEM_FREERTOS_NEEDS_KERNEL)
  if(_who AND NOT TARGET freertos_kernel AND NOT TARGET freertos_kernel_include
     AND NOT RTMEM_FREERTOS_INCLUDE_DIRS)
    string(REPLACE ";" ", " _who "${_who}")
    message(FATAL_ERROR "rtmem: the FreeRTOS kernel's headers are needed by ${_who}. Add the kernel with "
      "add_subdirectory(FreeRTOS-Kernel) (rtmem then links its freertos_kernel target), or set "
      "RTMEM_FREERTOS_INCLUDE_DIRS to the kernel's include/, its port directory and the "
      "directory of FreeRTOSConfig.h.")
  endif()
endfunction()
function(_rtmem_freertos_need_kernel what)
  get_property(_armed GLOBAL PROPERTY RTMEM_FREERTOS_CHECK_ARMED)
  if(NOT _armed)
    set_property(GLOBAL PROPERTY RTMEM_FREERTOS_CHECK_ARMED ON)
    cmake_language(DEFER DIRECTORY "${CMAKE_SOURCE_DIR}" CALL _rtmem_freertos_check_kernel)
  endif()
  set_property(GLOBAL APPEND PROPERTY RTMEM_FREERTOS_NEEDS_KERNEL "${what}")
endfunction()

# In-tree rtmem built for the freertos port: its port file includes the
# kernel's headers (kept out of the installed target's interface).
if(TARGET rtmem AND NOT DEFINED _RTMEM_PKG_SRC AND RTMEM_PORT STREQUAL "freertos")
  target_link_libraries(rtmem PRIVATE $<BUILD_INTERFACE:rtmem_freertos_kernel>)
  _rtmem_freertos_need_kernel("rtmem (RTMEM_PORT=freertos)")
endif()

# ---- rtmem for a chosen port, from the sources -------------------------------
function(rtmem_add_library target)
  cmake_parse_arguments(L "" "PORT" "DEFINES" ${ARGN})
  if(NOT L_PORT MATCHES "^(none|posix|cortex_m|freertos)$")
    message(FATAL_ERROR "rtmem_add_library(${target}): PORT must be none, posix, cortex_m or freertos")
  endif()
  get_property(_src GLOBAL PROPERTY RTMEM_FREERTOS_SRC)
  get_property(_inc GLOBAL PROPERTY RTMEM_FREERTOS_INC)
  get_property(_warn GLOBAL PROPERTY RTMEM_FREERTOS_WARNINGS)
  file(GLOB _core CONFIGURE_DEPENDS "${_src}/*.c")
  file(GLOB _compat CONFIGURE_DEPENDS "${_src}/compat/*.c")
  list(FILTER _compat EXCLUDE REGEX "freertos_heap\\.c$")
  add_library(${target} STATIC ${_core} ${_compat} "${_src}/port/port_${L_PORT}.c")
  string(TOUPPER "${L_PORT}" _uc)
  target_include_directories(${target} PUBLIC "${_inc}" PRIVATE "${_src}")
  target_compile_definitions(${target} PUBLIC RTMEM_CFG_PORT=RTMEM_PORT_${_uc} ${L_DEFINES})
  target_compile_options(${target} PRIVATE ${_warn})
  if(L_PORT STREQUAL "posix")
    find_package(Threads REQUIRED)
    target_link_libraries(${target} PUBLIC Threads::Threads)
  elseif(L_PORT STREQUAL "freertos")
    target_link_libraries(${target} PRIVATE rtmem_freertos_kernel)
    _rtmem_freertos_need_kernel("rtmem_add_library(${target} PORT freertos)")
  endif()
endfunction()

# ---- The FreeRTOS heap API ---------------------------------------------------
function(rtmem_add_freertos_heap target)
  cmake_parse_arguments(F "KERNEL" "CONFIG_DIR;RTMEM" "DEFS;INCLUDES" ${ARGN})
  get_property(_src GLOBAL PROPERTY RTMEM_FREERTOS_SRC)
  get_property(_inc GLOBAL PROPERTY RTMEM_FREERTOS_INC)
  get_property(_warn GLOBAL PROPERTY RTMEM_FREERTOS_WARNINGS)
  set(_kernel 0)
  if(F_KERNEL OR RTMEM_FREERTOS_KERNEL OR (TARGET rtmem AND RTMEM_PORT STREQUAL "freertos"))
    set(_kernel 1)
  endif()
  set(_cfg "")
  if(F_CONFIG_DIR)
    get_filename_component(_cfg "${F_CONFIG_DIR}" ABSOLUTE)
    if(NOT EXISTS "${_cfg}/FreeRTOSConfig.h")
      message(FATAL_ERROR "rtmem_add_freertos_heap(${target}): no FreeRTOSConfig.h in ${_cfg}")
    endif()
  elseif(NOT _kernel AND NOT F_INCLUDES)
    message(FATAL_ERROR "rtmem_add_freertos_heap(${target}): CONFIG_DIR (the directory of "
      "FreeRTOSConfig.h) is required without KERNEL")
  endif()

  # The rtmem library under the layer.
  if(F_RTMEM)
    set(_core ${F_RTMEM})
  elseif(TARGET rtmem AND NOT DEFINED _RTMEM_PKG_SRC)
    set(_core rtmem)
  elseif(_kernel)
    if(NOT TARGET rtmem_freertos)
      rtmem_add_library(rtmem_freertos PORT freertos)
    endif()
    set(_core rtmem_freertos)
  else()
    set(_core rtmem::rtmem)
  endif()

  # Every heap scheme is compiled for this configuration; the layer
  # references only the chosen one, so only that one is linked. The schemes
  # come before the rtmem library in every link line, so they, not rtmem's
  # default-configured copies, serve the layer.
  file(GLOB _srcs CONFIGURE_DEPENDS "${_src}/heap*.c" "${_src}/freelist*.c" "${_src}/tlsf*.c")
  add_library(${target}_schemes STATIC ${_srcs})
  add_library(${target} OBJECT "${_src}/compat/freertos_heap.c" "${_src}/compat/seal_compat.c")
  foreach(_t ${target} ${target}_schemes)
    target_include_directories(${_t} PRIVATE "${_src}")
    target_compile_options(${_t} PRIVATE ${_warn})
  endforeach()
  target_include_directories(${target}_schemes PUBLIC ${_cfg} "${_inc}" ${F_INCLUDES})
  # RTMEM_CFG_FREERTOS_HEAP: rtmem/config.h reads the heap options from
  # FreeRTOSConfig.h, in the schemes, the layer and the application alike.
  target_compile_definitions(${target}_schemes PUBLIC
    RTMEM_CFG_FREERTOS_HEAP=1 RTMEM_CFG_FREERTOS_KERNEL=${_kernel} ${F_DEFS})
  if(_kernel)
    target_link_libraries(${target}_schemes PUBLIC rtmem_freertos_kernel)
    if(NOT F_INCLUDES)
      _rtmem_freertos_need_kernel("rtmem_add_freertos_heap(${target} KERNEL)")
    endif()
  endif()
  target_link_libraries(${target}_schemes PUBLIC ${_core})
  target_link_libraries(${target} PUBLIC ${target}_schemes)
endfunction()

# Cross builds (Cortex-M): build the layer for every scheme with
# portBYTE_ALIGNMENT 4 and 8, so it keeps compiling warning-free there.
if(CMAKE_CROSSCOMPILING AND RTMEM_TOP_LEVEL AND NOT DEFINED _RTMEM_PKG_SRC
   AND EXISTS "${_rtmem_frt_root}/tests/freertos_cfg/cross")
  foreach(_s 1 2 3 4 5 6)
    foreach(_a 4 8)
      rtmem_add_freertos_heap(rtm_frt_cross_s${_s}_a${_a}
        CONFIG_DIR "${_rtmem_frt_root}/tests/freertos_cfg/cross"
        DEFS configFRTOS_MEMORY_SCHEME=${_s} portBYTE_ALIGNMENT=${_a})
    endforeach()
  endforeach()
endif()
