/* Minimal stand-in for the FreeRTOS kernel's task.h: the calls rtmem's
 * freertos port makes (compile-only checks; see FreeRTOS.h). */
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
TaskHandle_t xTaskCreateStatic(TaskFunction_t pxTaskCode, const char *const pcName,
                               const configSTACK_DEPTH_TYPE uxStackDepth, void *const pvParameters,
                               UBaseType_t uxPriority, StackType_t *const puxStackBuffer,
                               StaticTask_t *const pxTaskBuffer);
void vApplicationStackOverflowHook(TaskHandle_t xTask, char *pcTaskName);

#endif /* INC_TASK_H */
