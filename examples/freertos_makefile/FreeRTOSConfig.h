/*
 * FreeRTOSConfig.h of the Makefile example: enough for the kernel's POSIX
 * port too. The heap settings rtmem reads are the last block.
 */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H

#define configUSE_PREEMPTION                  1
#define configUSE_IDLE_HOOK                   0
#define configUSE_TICK_HOOK                   0
#define configTICK_RATE_HZ                    ( 1000 )
#define configMINIMAL_STACK_SIZE              ( ( unsigned short ) 256 )
#define configMAX_PRIORITIES                  ( 5 )
#define configMAX_TASK_NAME_LEN               ( 16 )
#define configTICK_TYPE_WIDTH_IN_BITS         TICK_TYPE_WIDTH_64_BITS
#define configUSE_MUTEXES                     1
#define configUSE_TASK_NOTIFICATIONS          1
#define configUSE_TIMERS                      0
#define configCHECK_FOR_STACK_OVERFLOW        0
#define configSUPPORT_STATIC_ALLOCATION       0
#define INCLUDE_vTaskDelay                    1
#define INCLUDE_vTaskDelete                   1
#define INCLUDE_xTaskGetCurrentTaskHandle     1

/* The heap: rtmem's heap_4 over 32 KiB, written as FreeRTOS's demos do. */
#define configSUPPORT_DYNAMIC_ALLOCATION      1
#define configFRTOS_MEMORY_SCHEME             4
#define configTOTAL_HEAP_SIZE                 ( ( size_t ) ( 32 * 1024 ) )
#define configUSE_MALLOC_FAILED_HOOK          1

extern void vAssertCalled( const char * pcFile, unsigned long ulLine );
#define configASSERT( x )    if( ( x ) == 0 ) vAssertCalled( __FILE__, __LINE__ )

#endif /* FREERTOS_CONFIG_H */
