# Host enforcement of rtm_mpu maps (runtime/host/mpu_host.c): page protection
# switched by the host task runtime's switch hook. Host only; built like the
# runtime itself, without AddressSanitizer (see runtime.cmake).
if(NOT CMAKE_CROSSCOMPILING AND RTMEM_TOP_LEVEL AND NOT RTMEM_PORT STREQUAL "freertos") # as runtime.cmake
  add_library(rtmem_mpu_host STATIC ${PROJECT_SOURCE_DIR}/runtime/host/mpu_host.c)
  target_include_directories(rtmem_mpu_host PUBLIC ${PROJECT_SOURCE_DIR}/runtime/host)
  target_compile_options(rtmem_mpu_host PRIVATE ${RTMEM_WARNINGS})
  target_link_libraries(rtmem_mpu_host PUBLIC rtmem_rt_host)
  if(RTMEM_SANITIZE MATCHES "address")
    target_compile_options(rtmem_mpu_host PRIVATE -fno-sanitize=address)
  endif()
endif()
