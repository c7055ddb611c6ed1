/*
 * An older (V10-era) configuration: 16-bit ticks through
 * configUSE_16_BIT_TICKS, no configTICK_TYPE_WIDTH_IN_BITS, heap_2 with a
 * cast size, no configASSERT, no malloc-failed hook.
 * Tests: test_freertos_config.c (FRT_TICK_BITS 16).
 */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H

#define configUSE_PREEMPTION        1
#define configUSE_16_BIT_TICKS      1
#define configTICK_RATE_HZ          ( ( TickType_t ) 1000 )
#define configMAX_PRIORITIES        ( 4 )
#define configTOTAL_HEAP_SIZE       ( ( size_t ) 8192 )
#define configFRTOS_MEMORY_SCHEME   2

#endif /* FREERTOS_CONFIG_H */
