/*
 * rtm_queue: a FIFO of fixed-size items copied by value, over storage and a
 * control block the caller supplies (xQueueCreateStatic style): creating one
 * allocates nothing. Every call takes the port's critical section, so queues
 * are safe between threads and interrupts; send and receive may block with a
 * timeout through the port's wait queues (posix; the none and cortex_m ports
 * accept only timeout 0). The *_from_isr variants never block.
 *
 * An item is copied in and out with memcpy inside the critical section, so a
 * call costs O(item_size) with the section held: keep items small (a pointer
 * to a pool block is the usual zero-copy pattern, see examples/pool_queue).
 *
 * "Could not within the timeout" is RTM_ERR_TIMEOUT, also for timeout 0 (the
 * queue was full on send, empty on receive/peek).
 */
#ifndef RTMEM_QUEUE_H
#define RTMEM_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rtmem/common.h"
#include "rtmem/port.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rtm_queue {
    uint8_t *buf;       /* capacity * item_size bytes */
    size_t item_size;
    uint32_t capacity;  /* items */
    uint32_t head;      /* index of the oldest item */
    uint32_t count;     /* items queued */
    uint32_t magic;     /* RTM_QUEUE_MAGIC while initialised */
    rtm_waitq_t not_empty; /* blocked receivers */
    rtm_waitq_t not_full;  /* blocked senders */
    rtm_fault_t fault;
} rtm_queue_t;

/* Storage bytes for `capacity` items of `item_size` bytes: exactly their
 * product (no per-item overhead). */
#define RTM_QUEUE_STORAGE_SIZE(item_size, capacity) ((size_t)(item_size) * (size_t)(capacity))

/* Declare storage for `capacity` items of type T:
 *   RTM_QUEUE_STORAGE(static, q_mem, struct msg *, 8);
 *   rtm_queue_init(&q, sizeof(struct msg *), 8, q_mem, sizeof q_mem);   */
#define RTM_QUEUE_STORAGE(storage, name, T, capacity) \
    storage _Alignas(T) uint8_t name[RTM_QUEUE_STORAGE_SIZE(sizeof(T), (capacity))]

/* Create an empty queue. O(1). Errors: RTM_ERR_NULL (q or storage NULL),
 * RTM_ERR_ARG (item_size or capacity 0, capacity >= UINT32_MAX),
 * RTM_ERR_OVERFLOW (item_size * capacity wraps), RTM_ERR_NO_MEMORY
 * (storage_size < item_size * capacity). */
#define rtm_queue_init RTM_LAYOUT_NAME_(rtm_queue_init) /* link name: rtmem/common.h */
rtm_err_t rtm_queue_init(rtm_queue_t *q, size_t item_size, uint32_t capacity,
                         void *storage, size_t storage_size);

/* Destroy: blocked senders and receivers wake and get RTM_ERR_STATE; returns
 * once they have left. Errors: RTM_ERR_NULL, RTM_ERR_STATE (not initialised,
 * or inside a critical section while threads wait), RTM_ERR_ISR (from an
 * interrupt while threads wait). O(1) without waiters; with waiters it lasts
 * until the woken threads have run (rtm_waitq_drain), not real-time. */
rtm_err_t rtm_queue_deinit(rtm_queue_t *q);

/* Copy `item` to the back, waiting up to `timeout` ticks for space
 * (RTM_WAIT_FOREVER: no limit). Wakes one blocked receiver. O(item_size) per
 * attempt. Errors: RTM_ERR_NULL (q or item NULL), RTM_ERR_STATE (not
 * initialised or deleted meanwhile), RTM_ERR_TIMEOUT (still full),
 * RTM_ERR_ISR (non-zero timeout from an interrupt), RTM_ERR_NOT_SUPPORTED
 * (non-zero timeout on a port that cannot block); a non-zero timeout inside
 * a critical section gives RTM_ERR_STATE when it would have to wait. */
rtm_err_t rtm_queue_send(rtm_queue_t *q, const void *item, uint32_t timeout);

/* Copy the oldest item to `item` and remove it, waiting up to `timeout`
 * ticks. Wakes one blocked sender. O(item_size) per attempt. Errors as
 * rtm_queue_send (empty instead of full). */
rtm_err_t rtm_queue_receive(rtm_queue_t *q, void *item, uint32_t timeout);

/* Interrupt-safe variants: never block (timeout 0). `*woke` (may be NULL) is
 * set to true when a blocked thread was woken, so the ISR can request a
 * context switch. O(item_size). Errors as above. */
rtm_err_t rtm_queue_send_from_isr(rtm_queue_t *q, const void *item, bool *woke);
rtm_err_t rtm_queue_receive_from_isr(rtm_queue_t *q, void *item, bool *woke);

/* Copy the oldest item without removing it; never blocks. O(item_size).
 * RTM_ERR_TIMEOUT when empty; RTM_ERR_NULL, RTM_ERR_STATE. */
rtm_err_t rtm_queue_peek(const rtm_queue_t *q, void *item);

/* Items queued / free slots. O(1). 0 for NULL or uninitialised. */
uint32_t rtm_queue_count(const rtm_queue_t *q);
uint32_t rtm_queue_space(const rtm_queue_t *q);

/* Drop every item and wake all blocked senders. O(1).
 * RTM_ERR_NULL, RTM_ERR_STATE. */
rtm_err_t rtm_queue_reset(rtm_queue_t *q);

/* Install a fault hook (NULL = the default). The fault raised is a NULL item
 * pointer (RTM_ERR_NULL); a NULL or uninitialised queue has no fault state and
 * only returns its error. O(1). */
void rtm_queue_set_fault_hook(rtm_queue_t *q, rtm_fault_fn hook, void *user);

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_QUEUE_H */
