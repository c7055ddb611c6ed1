/* FreeRTOS-named static queues over rtm_queue (see rtmem/freertos_queue.h). */
#include "rtmem/freertos_queue.h"

#include "rtm_internal.h"

#if RTMEM_FREERTOS_QUEUE_ACTIVE

static rtm_queue_t *q_of(QueueHandle_t h) { return (rtm_queue_t *)(void *)h; }

QueueHandle_t xQueueCreateStatic(UBaseType_t uxQueueLength, UBaseType_t uxItemSize,
                                 uint8_t *pucQueueStorageBuffer,
                                 StaticQueue_t *pxQueueBuffer)
{
    if (pxQueueBuffer == NULL || uxQueueLength == 0u || uxQueueLength >= UINT32_MAX ||
        rtm_mul_overflows((size_t)uxQueueLength, (size_t)uxItemSize)) {
        return NULL;
    }
    size_t bytes = (size_t)uxQueueLength * (size_t)uxItemSize;
    if (rtm_queue_init(&pxQueueBuffer->q, (size_t)uxItemSize, (uint32_t)uxQueueLength,
                       pucQueueStorageBuffer, bytes) != RTM_OK) {
        return NULL;
    }
    return (QueueHandle_t)(void *)&pxQueueBuffer->q;
}

BaseType_t xQueueSend(QueueHandle_t xQueue, const void *pvItemToQueue, TickType_t xTicksToWait)
{
    return rtm_queue_send(q_of(xQueue), pvItemToQueue, xTicksToWait) == RTM_OK ? pdPASS
                                                                                : errQUEUE_FULL;
}

BaseType_t xQueueReceive(QueueHandle_t xQueue, void *pvBuffer, TickType_t xTicksToWait)
{
    return rtm_queue_receive(q_of(xQueue), pvBuffer, xTicksToWait) == RTM_OK ? pdPASS
                                                                              : errQUEUE_EMPTY;
}

static void report_woken(bool woke, BaseType_t *pxHigherPriorityTaskWoken)
{
    if (woke && pxHigherPriorityTaskWoken != NULL) {
        *pxHigherPriorityTaskWoken = pdTRUE;
    }
}

BaseType_t xQueueSendFromISR(QueueHandle_t xQueue, const void *pvItemToQueue,
                             BaseType_t *pxHigherPriorityTaskWoken)
{
    bool woke = false;
    rtm_err_t err = rtm_queue_send_from_isr(q_of(xQueue), pvItemToQueue, &woke);
    report_woken(woke, pxHigherPriorityTaskWoken);
    return err == RTM_OK ? pdPASS : errQUEUE_FULL;
}

BaseType_t xQueueReceiveFromISR(QueueHandle_t xQueue, void *pvBuffer,
                                BaseType_t *pxHigherPriorityTaskWoken)
{
    bool woke = false;
    rtm_err_t err = rtm_queue_receive_from_isr(q_of(xQueue), pvBuffer, &woke);
    report_woken(woke, pxHigherPriorityTaskWoken);
    return err == RTM_OK ? pdPASS : errQUEUE_EMPTY;
}

UBaseType_t uxQueueMessagesWaiting(const QueueHandle_t xQueue)
{
    return (UBaseType_t)rtm_queue_count(q_of(xQueue));
}

UBaseType_t uxQueueSpacesAvailable(const QueueHandle_t xQueue)
{
    return (UBaseType_t)rtm_queue_space(q_of(xQueue));
}

#else
/* A FreeRTOS build: FreeRTOS's queue.c provides these names. */
typedef int rtm_freertos_queue_unused_t;
#endif
