/* FreeRTOS-layer test configuration: heap_4, application-allocated ucHeap */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H
#define configFRTOS_MEMORY_SCHEME 4
#define configTOTAL_HEAP_SIZE 4096
#define configAPPLICATION_ALLOCATED_HEAP 1
#include "../common/frt_test_base.h"
#endif
