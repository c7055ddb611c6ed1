/* FreeRTOS-layer test configuration: four threads through the posix port (scheme from DEFS) */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H
#ifndef configFRTOS_MEMORY_SCHEME
#define configFRTOS_MEMORY_SCHEME 4
#endif
#define configTOTAL_HEAP_SIZE 65536
#include "../common/frt_test_base.h"
#endif
