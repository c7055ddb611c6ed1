/* FreeRTOS-layer test configuration: heap_1, layer-owned heap */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H
#define configFRTOS_MEMORY_SCHEME 1
#define configTOTAL_HEAP_SIZE 4096
#include "../common/frt_test_base.h"
#endif
