/* FreeRTOS-layer test configuration: heap_5 (regions from vPortDefineHeapRegions) */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H
#define configFRTOS_MEMORY_SCHEME 5
#include "../common/frt_test_base.h"
#endif
