/* FreeRTOS-layer test configuration: heap_3 (C library malloc) */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H
#define configFRTOS_MEMORY_SCHEME 3
#include "../common/frt_test_base.h"
#endif
