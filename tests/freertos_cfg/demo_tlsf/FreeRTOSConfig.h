/*
 * rtmem's constant-time scheme (6) with a heap size written as an
 * expression of other settings, 32-bit ticks by name.
 * Tests: test_freertos_config.c (FRT_TICK_BITS 32).
 */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H

#define configMINIMAL_STACK_SIZE            ( ( unsigned short ) 256 )
#define configTOTAL_HEAP_SIZE               ( ( size_t ) ( 16 * configMINIMAL_STACK_SIZE * sizeof( uint32_t ) ) )
#define configTICK_TYPE_WIDTH_IN_BITS       TICK_TYPE_WIDTH_32_BITS
#define configUSE_MALLOC_FAILED_HOOK        1
#define configFRTOS_MEMORY_SCHEME           6

void vAssertCalled(const char *file, unsigned long line);
#define configASSERT( x )    if( ( x ) == 0 ) vAssertCalled( __FILE__, __LINE__ )

#endif /* FREERTOS_CONFIG_H */
