/*
 * Minimal stand-in for the FreeRTOS kernel's FreeRTOS.h (V11 names and
 * types), only what rtmem's freertos port and heap layer use, so that both
 * compile and link in kernel mode without a kernel checkout. Not a kernel.
 */
#ifndef INC_FREERTOS_H
#define INC_FREERTOS_H

#include <stddef.h>
#include <stdint.h>

#include "FreeRTOSConfig.h"

typedef long BaseType_t;
typedef unsigned long UBaseType_t;
typedef uint32_t TickType_t;
typedef void *TaskHandle_t;
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
#define portMAX_DELAY ((TickType_t)0xffffffffUL)

/* portmacro.h of a port with 8-byte alignment (overridable for the test). */
#ifndef portBYTE_ALIGNMENT
#define portBYTE_ALIGNMENT 8
#endif
#define portBYTE_ALIGNMENT_MASK (portBYTE_ALIGNMENT - 1)
#define portPOINTER_SIZE_TYPE uintptr_t

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
