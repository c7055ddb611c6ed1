/* FreeRTOS-layer test configuration: heap_5, heap protector */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H
#define configFRTOS_MEMORY_SCHEME 5
#define configENABLE_HEAP_PROTECTOR 1
#include "../common/frt_test_base.h"
#endif
