/*
 * Minimal stand-in for the FreeRTOS kernel's FreeRTOS.h (V11 names, types
 * and configuration rules), only what rtmem's freertos port and heap layer
 * use, so that both compile, link and run in kernel mode without a kernel
 * checkout. Not a kernel: kernel_stub.c is single-threaded.
 *
 * Laid out as the kernel is: this directory is the kernel's include/,
 * port/ holds portmacro.h; CMakeLists.txt makes the kernel's CMake targets.
 * Written from the FreeRTOS documentation; no kernel text is copied.
 */
#ifndef INC_FREERTOS_H
#define INC_FREERTOS_H

#include <stddef.h>
#include <stdint.h>

/* The names and values the kernel gives configTICK_TYPE_WIDTH_IN_BITS,
 * defined before the configuration is read, as the kernel does. */
#define TICK_TYPE_WIDTH_16_BITS 0
#define TICK_TYPE_WIDTH_32_BITS 1
#define TICK_TYPE_WIDTH_64_BITS 2

#include "FreeRTOSConfig.h"

#if !defined(configUSE_16_BIT_TICKS) && !defined(configTICK_TYPE_WIDTH_IN_BITS)
#error "FreeRTOSConfig.h must define configUSE_16_BIT_TICKS or configTICK_TYPE_WIDTH_IN_BITS"
#endif
#ifndef configUSE_16_BIT_TICKS
#define configUSE_16_BIT_TICKS 0
#endif
#ifndef configTICK_TYPE_WIDTH_IN_BITS
#if configUSE_16_BIT_TICKS == 1
#define configTICK_TYPE_WIDTH_IN_BITS TICK_TYPE_WIDTH_16_BITS
#else
#define configTICK_TYPE_WIDTH_IN_BITS TICK_TYPE_WIDTH_32_BITS
#endif
#endif

/* portable.h: the port's definitions (TickType_t, portMAX_DELAY, ...). */
#include "portmacro.h"

/* portmacro.h / task.h types of a 32-bit port (for xTaskCreateStatic) */
typedef uint32_t StackType_t;
typedef void (*TaskFunction_t)(void *);
typedef struct xSTATIC_TCB {
    void *pxDummy1; /* the kernel keeps the task's top of stack first */
    uint8_t ucDummy[88];
} StaticTask_t;
#ifndef configSTACK_DEPTH_TYPE
#define configSTACK_DEPTH_TYPE uint32_t
#endif

#define pdFALSE ((BaseType_t)0)
#define pdTRUE ((BaseType_t)1)
#define pdPASS pdTRUE

#ifndef portBYTE_ALIGNMENT_MASK
#define portBYTE_ALIGNMENT_MASK (portBYTE_ALIGNMENT - 1)
#endif
#ifndef portPOINTER_SIZE_TYPE
#define portPOINTER_SIZE_TYPE uintptr_t
#endif

#ifndef configASSERT
#define configASSERT(x)
#define configASSERT_DEFINED 0
#else
#define configASSERT_DEFINED 1
#endif
#ifndef configAPPLICATION_ALLOCATED_HEAP
#define configAPPLICATION_ALLOCATED_HEAP 0
#endif
#ifndef configUSE_MALLOC_FAILED_HOOK
#define configUSE_MALLOC_FAILED_HOOK 0
#endif
#ifndef configENABLE_HEAP_PROTECTOR
#define configENABLE_HEAP_PROTECTOR 0
#endif
#ifndef configSUPPORT_DYNAMIC_ALLOCATION
#define configSUPPORT_DYNAMIC_ALLOCATION 1
#endif
#ifndef configSUPPORT_STATIC_ALLOCATION
#define configSUPPORT_STATIC_ALLOCATION 0
#endif
#if configSUPPORT_DYNAMIC_ALLOCATION == 0 && configSUPPORT_STATIC_ALLOCATION == 0
#error "configSUPPORT_STATIC_ALLOCATION and configSUPPORT_DYNAMIC_ALLOCATION cannot both be 0"
#endif
#ifndef traceMALLOC
#define traceMALLOC(pvAddress, uiSize)
#endif
#ifndef traceFREE
#define traceFREE(pvAddress, uiSize)
#endif
#define PRIVILEGED_FUNCTION

/* portable.h */
typedef struct HeapRegion {
    uint8_t *pucStartAddress;
    size_t xSizeInBytes;
} HeapRegion_t;

typedef struct xHeapStats {
    size_t xAvailableHeapSpaceInBytes;
    size_t xSizeOfLargestFreeBlockInBytes;
    size_t xSizeOfSmallestFreeBlockInBytes;
    size_t xNumberOfFreeBlocks;
    size_t xMinimumEverFreeBytesRemaining;
    size_t xNumberOfSuccessfulAllocations;
    size_t xNumberOfSuccessfulFrees;
} HeapStats_t;

void vPortDefineHeapRegions(const HeapRegion_t *const pxHeapRegions) PRIVILEGED_FUNCTION;
void vPortGetHeapStats(HeapStats_t *pxHeapStats);
void *pvPortMalloc(size_t xWantedSize) PRIVILEGED_FUNCTION;
void *pvPortCalloc(size_t xNum, size_t xSize) PRIVILEGED_FUNCTION;
void vPortFree(void *pv) PRIVILEGED_FUNCTION;
void vPortInitialiseBlocks(void) PRIVILEGED_FUNCTION;
size_t xPortGetFreeHeapSize(void) PRIVILEGED_FUNCTION;
size_t xPortGetMinimumEverFreeHeapSize(void) PRIVILEGED_FUNCTION;
void xPortResetHeapMinimumEverFreeHeapSize(void) PRIVILEGED_FUNCTION;
void vPortHeapResetState(void) PRIVILEGED_FUNCTION;

#if configUSE_MALLOC_FAILED_HOOK == 1
void vApplicationMallocFailedHook(void);
#endif
#if configENABLE_HEAP_PROTECTOR == 1
void vApplicationGetRandomHeapCanary(portPOINTER_SIZE_TYPE *pxHeapCanary);
#endif

#endif /* INC_FREERTOS_H */
