/*
 * FreeRTOS-named static queues over rtm_queue, for bare-metal (non-FreeRTOS)
 * builds whose code was written against FreeRTOS's queue API. Only the static
 * creation path exists: nothing is allocated dynamically.
 *
 * In a real FreeRTOS build this header declares nothing: if FreeRTOS.h was
 * included first (INC_FREERTOS_H) or rtmem is built with the freertos port,
 * FreeRTOS's own queue.h owns these names, and src/compat/freertos_queue.c
 * compiles to nothing. The layer is also off with
 * RTMEM_CFG_FREERTOS_QUEUE_COMPAT=0.
 *
 * Timeouts are port ticks (portMAX_DELAY waits forever); the none and
 * cortex_m ports accept only 0. An item size of 0 (FreeRTOS's semaphores) is
 * not supported: xQueueCreateStatic returns NULL.
 */
#ifndef RTMEM_FREERTOS_QUEUE_H
#define RTMEM_FREERTOS_QUEUE_H

#include "rtmem/queue.h"

#if !defined(INC_FREERTOS_H) && RTMEM_CFG_PORT != RTMEM_PORT_FREERTOS && \
    RTMEM_CFG_FREERTOS_QUEUE_COMPAT
#define RTMEM_FREERTOS_QUEUE_ACTIVE 1

#ifdef __cplusplus
extern "C" {
#endif

/* The portable types, as FreeRTOS's ports define them for 32-bit targets. */
typedef long BaseType_t;
typedef unsigned long UBaseType_t;
typedef uint32_t TickType_t;

/* Each guarded: another layer (rtmem/freertos_heap.h) or the application's
 * FreeRTOSConfig.h may have defined them already. */
#ifndef pdFALSE
#define pdFALSE ((BaseType_t)0)
#endif
#ifndef pdTRUE
#define pdTRUE ((BaseType_t)1)
#endif
#ifndef pdPASS
#define pdPASS (pdTRUE)
#endif
#ifndef pdFAIL
#define pdFAIL (pdFALSE)
#endif
#ifndef errQUEUE_EMPTY
#define errQUEUE_EMPTY ((BaseType_t)0)
#endif
#ifndef errQUEUE_FULL
#define errQUEUE_FULL ((BaseType_t)0)
#endif
#ifndef portMAX_DELAY
#define portMAX_DELAY ((TickType_t)0xffffffffUL)
#endif

/* The caller-owned control block (FreeRTOS's StaticQueue_t). */
typedef struct xSTATIC_QUEUE {
    rtm_queue_t q;
} StaticQueue_t;

typedef struct QueueDefinition *QueueHandle_t;

/* Over rtm_queue (rtmem/queue.h): its bounds (O(1) to create, O(item size)
 * to copy an item in or out; a blocking call waits at most xTicksToWait) and
 * its checks. A NULL or uninitialised handle is refused: the calls below
 * return errQUEUE_FULL / errQUEUE_EMPTY, the counts 0. */

/* A queue of uxQueueLength items of uxItemSize bytes in
 * pucQueueStorageBuffer (uxQueueLength * uxItemSize bytes), controlled by
 * *pxQueueBuffer. NULL on a NULL buffer or a zero length or item size. */
QueueHandle_t xQueueCreateStatic(UBaseType_t uxQueueLength, UBaseType_t uxItemSize,
                                 uint8_t *pucQueueStorageBuffer,
                                 StaticQueue_t *pxQueueBuffer);

/* pdPASS, or errQUEUE_FULL when no space came within xTicksToWait. */
BaseType_t xQueueSend(QueueHandle_t xQueue, const void *pvItemToQueue, TickType_t xTicksToWait);

/* pdPASS, or errQUEUE_EMPTY when nothing came within xTicksToWait. */
BaseType_t xQueueReceive(QueueHandle_t xQueue, void *pvBuffer, TickType_t xTicksToWait);

/* Never block; *pxHigherPriorityTaskWoken (may be NULL) is set to pdTRUE when
 * a blocked thread was woken. */
BaseType_t xQueueSendFromISR(QueueHandle_t xQueue, const void *pvItemToQueue,
                             BaseType_t *pxHigherPriorityTaskWoken);
BaseType_t xQueueReceiveFromISR(QueueHandle_t xQueue, void *pvBuffer,
                                BaseType_t *pxHigherPriorityTaskWoken);

/* Items queued / free slots. O(1). */
UBaseType_t uxQueueMessagesWaiting(const QueueHandle_t xQueue);
UBaseType_t uxQueueSpacesAvailable(const QueueHandle_t xQueue);

#ifdef __cplusplus
}
#endif

#else
#define RTMEM_FREERTOS_QUEUE_ACTIVE 0
#endif

#endif /* RTMEM_FREERTOS_QUEUE_H */
