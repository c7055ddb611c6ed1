/* The freertos consumer's configuration (see ../CMakeLists.txt). */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H

#ifndef APP_HEAP_KB
#error "APP_HEAP_KB comes from the freertos_config target (or RTMEM_FREERTOS_DEFINES)"
#endif

#define configTICK_TYPE_WIDTH_IN_BITS      TICK_TYPE_WIDTH_32_BITS
#define configSUPPORT_DYNAMIC_ALLOCATION   1
#define configTOTAL_HEAP_SIZE              ( ( size_t ) ( APP_HEAP_KB * 1024 ) )
#define configUSE_MALLOC_FAILED_HOOK       1
#define configFRTOS_MEMORY_SCHEME          4

#endif /* FREERTOS_CONFIG_H */
