/* FreeRTOS-layer test configuration: scheme 6 (rtm_tlsf) */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H
#define configFRTOS_MEMORY_SCHEME 6
#define configTOTAL_HEAP_SIZE 16384
#include "../common/frt_test_base.h"
#endif
