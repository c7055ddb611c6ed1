/*
 * heap_5 the way multi-bank demos configure it: no configTOTAL_HEAP_SIZE
 * (the regions come from vPortDefineHeapRegions), 16-bit ticks by their
 * TICK_TYPE_WIDTH_ name, do-while configASSERT.
 * Tests: test_freertos_config.c (FRT_TICK_BITS 16).
 */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H

#define configUSE_PREEMPTION                1
#define configTICK_RATE_HZ                  ( ( TickType_t ) 100 )
#define configMAX_PRIORITIES                ( 5 )
#define configMINIMAL_STACK_SIZE            ( ( unsigned short ) 100 )
#define configTICK_TYPE_WIDTH_IN_BITS       TICK_TYPE_WIDTH_16_BITS
#define configSUPPORT_DYNAMIC_ALLOCATION    ( 1 )
#define configUSE_MALLOC_FAILED_HOOK        ( 1 )
#define configFRTOS_MEMORY_SCHEME           ( 5 )

void vAssertCalled(const char *file, unsigned long line);
#define configASSERT( x )                              \
    do {                                               \
        if( ( x ) == 0 ) {                             \
            vAssertCalled( __FILE__, __LINE__ );       \
        }                                              \
    } while( 0 )

#endif /* FREERTOS_CONFIG_H */
