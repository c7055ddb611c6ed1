/* The consumer's FreeRTOS heap without the kernel (bare metal with the
 * FreeRTOS heap API): heap_4 over a cast size. */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H
#define configTICK_TYPE_WIDTH_IN_BITS   TICK_TYPE_WIDTH_32_BITS
#define configTOTAL_HEAP_SIZE           ( ( size_t ) ( 8 * 1024 ) )
#define configFRTOS_MEMORY_SCHEME       4
#endif
