/* FreeRTOS-layer test configuration: heap_4 */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H
#define configFRTOS_MEMORY_SCHEME 4
#define configTOTAL_HEAP_SIZE 4096
#include "../common/frt_test_base.h"
#endif
