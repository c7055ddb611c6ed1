/*
 * Stand-in for a FreeRTOS port's portmacro.h (see ../FreeRTOS.h): the tick
 * type and portMAX_DELAY follow configTICK_TYPE_WIDTH_IN_BITS as in the
 * kernel's ports; 8-byte alignment unless the test overrides it.
 */
#ifndef PORTMACRO_H
#define PORTMACRO_H

#include <stdint.h>

typedef long BaseType_t;
typedef unsigned long UBaseType_t;
typedef void *TaskHandle_t;

#if configTICK_TYPE_WIDTH_IN_BITS == TICK_TYPE_WIDTH_16_BITS
typedef uint16_t TickType_t;
#define portMAX_DELAY ((TickType_t)0xffffU)
#elif configTICK_TYPE_WIDTH_IN_BITS == TICK_TYPE_WIDTH_32_BITS
typedef uint32_t TickType_t;
#define portMAX_DELAY ((TickType_t)0xffffffffUL)
#elif configTICK_TYPE_WIDTH_IN_BITS == TICK_TYPE_WIDTH_64_BITS
typedef uint64_t TickType_t;
#define portMAX_DELAY ((TickType_t)0xffffffffffffffffULL)
#else
#error "configTICK_TYPE_WIDTH_IN_BITS has a value the kernel refuses"
#endif

#ifndef portBYTE_ALIGNMENT
#define portBYTE_ALIGNMENT 8
#endif

/* Critical sections: one nesting count for tasks, a saved mask for ISRs
 * (kernel_stub.c); a yield request from an ISR is only recorded. */
void vPortEnterCritical(void);
void vPortExitCritical(void);
UBaseType_t ulPortSetInterruptMaskFromISR(void);
void vPortClearInterruptMaskFromISR(UBaseType_t uxSavedStatus);
void vPortYieldFromISR(BaseType_t xSwitchRequired);
BaseType_t xPortIsInsideInterrupt(void);
#define portENTER_CRITICAL() vPortEnterCritical()
#define portEXIT_CRITICAL() vPortExitCritical()
#define portSET_INTERRUPT_MASK_FROM_ISR() ulPortSetInterruptMaskFromISR()
#define portCLEAR_INTERRUPT_MASK_FROM_ISR(x) vPortClearInterruptMaskFromISR(x)
#define portYIELD_FROM_ISR(x) vPortYieldFromISR(x)
#define portEND_SWITCHING_ISR(x) vPortYieldFromISR(x)

#endif /* PORTMACRO_H */
