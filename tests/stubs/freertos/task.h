/* Minimal stand-in for the FreeRTOS kernel's task.h: the calls rtmem's
 * freertos port makes (see FreeRTOS.h; kernel_stub.c implements them for
 * one thread). */
#ifndef INC_TASK_H
#define INC_TASK_H

#ifndef INC_FREERTOS_H
#error "include FreeRTOS.h before task.h"
#endif

void vTaskSuspendAll(void);
BaseType_t xTaskResumeAll(void);
TickType_t xTaskGetTickCount(void);
TaskHandle_t xTaskGetCurrentTaskHandle(void);
uint32_t ulTaskNotifyTake(BaseType_t xClearCountOnExit, TickType_t xTicksToWait);
BaseType_t xTaskNotifyGive(TaskHandle_t xTaskToNotify);

#if configSUPPORT_DYNAMIC_ALLOCATION == 1
/* Stub only: a kernel object taken from pvPortMalloc, as xTaskCreate takes
 * its stack, so a link shows that the kernel's archive finds the
 * application's heap. */
void *pvStubKernelObjectCreate(size_t xSize);
void vStubKernelObjectDelete(void *pv);
#endif

#endif /* INC_TASK_H */
