/*
 * rtm_queue: a ring of `capacity` fixed-size slots.
 *
 *   buf: [ . . A B C . . ]     head = 2, count = 3
 *              ^head  ^ (head + count) % capacity = next free slot
 *
 * All state changes happen inside the port's critical section (written out
 * inline where the port allows, port_section.h; a wait inside it is fine
 * there: that port's waits never block, so never release it); a blocked
 * sender waits on `not_full`, a blocked receiver on `not_empty`, and each
 * successful operation signals one waiter of the other side.
 */
#include "rtmem/queue.h"

#include <string.h>

#include "port_section.h"
#include "rtm_internal.h"

#define QUEUE_MAGIC 0x51554555u /* "QUEU" */

static inline uint8_t *slot(const rtm_queue_t *q, uint32_t i)
{
    return q->buf + (size_t)i * q->item_size;
}

/* Index n places after i (i < capacity, n <= capacity), modulo the
 * capacity: i + n itself would wrap 32 bits once the capacity passes 2^31. */
static inline uint32_t advance(const rtm_queue_t *q, uint32_t i, uint32_t n)
{
    RTM_ASSERT(i < q->capacity && n <= q->capacity);
    uint32_t room = q->capacity - i;
    return n >= room ? n - room : i + n;
}

rtm_err_t rtm_queue_init(rtm_queue_t *q, size_t item_size, uint32_t capacity,
                         void *storage, size_t storage_size)
{
    if (q == NULL || storage == NULL) {
        return RTM_ERR_NULL;
    }
    if (item_size == 0u || capacity == 0u || capacity == UINT32_MAX) {
        return RTM_ERR_ARG;
    }
    if (rtm_mul_overflows(item_size, capacity)) {
        return RTM_ERR_OVERFLOW;
    }
    if (storage_size < item_size * capacity) {
        return RTM_ERR_NO_MEMORY;
    }
    memset(q, 0, sizeof *q);
    q->buf = (uint8_t *)storage;
    q->item_size = item_size;
    q->capacity = capacity;
    rtm_fault_init(&q->fault);
    rtm_err_t err = rtm_waitq_init(&q->not_empty);
    if (err != RTM_OK) {
        return err;
    }
    err = rtm_waitq_init(&q->not_full);
    if (err != RTM_OK) {
        rtm_waitq_destroy(&q->not_empty);
        return err;
    }
    q->magic = QUEUE_MAGIC;
    return RTM_OK;
}

/* The queue is dying: woken senders and receivers see it and give up. */
static void retire_queue(void *obj)
{
    ((rtm_queue_t *)obj)->magic = 0;
}

rtm_err_t rtm_queue_deinit(rtm_queue_t *q)
{
    if (q == NULL) {
        return RTM_ERR_NULL;
    }
    rtm_port_lock();
    if (q->magic != QUEUE_MAGIC) {
        rtm_port_unlock();
        return RTM_ERR_STATE;
    }
    rtm_waitq_t *const qs[] = {&q->not_empty, &q->not_full};
    rtm_err_t err = rtm_waitq_drain(qs, 2u, retire_queue, q);
    if (err == RTM_OK) {
        q->magic = 0;
        q->count = 0;
        rtm_waitq_destroy(&q->not_empty);
        rtm_waitq_destroy(&q->not_full);
    }
    rtm_port_unlock();
    return err;
}

typedef enum { OP_SEND, OP_RECEIVE } op_t;

/* One attempt inside the critical section: true when done. */
static bool try_op(rtm_queue_t *q, op_t op, void *item, bool *woke)
{
    bool w;
    RTM_ASSERT(q->count <= q->capacity && q->head < q->capacity); /* the ring's shape */
    if (op == OP_SEND) {
        if (q->count == q->capacity) {
            return false;
        }
        memcpy(slot(q, advance(q, q->head, q->count)), item, q->item_size);
        q->count++;
        w = rtm_waitq_waiters(&q->not_empty) > 0u;
        rtm_waitq_signal(&q->not_empty);
    } else {
        if (q->count == 0u) {
            return false;
        }
        memcpy(item, slot(q, q->head), q->item_size);
        q->head = advance(q, q->head, 1u);
        q->count--;
        w = rtm_waitq_waiters(&q->not_full) > 0u;
        rtm_waitq_signal(&q->not_full);
    }
    if (woke != NULL) {
        *woke = *woke || w;
    }
    return true;
}

/* Send or receive with a timeout. After every wake-up the operation is tried
 * again, so a slot that appears just as the time runs out is still used and a
 * signal taken by a waiter that timed out is not lost to the others. */
static rtm_err_t transfer(rtm_queue_t *q, op_t op, void *item, uint32_t timeout, bool *woke)
{
    if (q == NULL) {
        return RTM_ERR_NULL;
    }
    if (woke != NULL) {
        *woke = false;
    }
    rtm_section_t sec = rtm_section_enter_();
    rtm_err_t err = RTM_OK;
    if (q->magic != QUEUE_MAGIC) {
        err = RTM_ERR_STATE;
    } else if (item == NULL) {
        err = rtm_fault_raise(&q->fault, RTM_ERR_NULL, q, NULL);
    } else if (timeout != 0u && rtm_port_in_isr()) {
        err = RTM_ERR_ISR;
    }
    if (err != RTM_OK) {
        rtm_section_exit_(sec);
        return err;
    }
    rtm_waitq_t *wq = op == OP_SEND ? &q->not_full : &q->not_empty;
    /* timeout 0 (every ISR call) has no time to count: a failed try ends
     * without reading the clock again (the start is read either way: a
     * second test of the timeout here costs more code at -Os than it saves) */
    uint32_t start = rtm_port_ticks();
    for (;;) {
        if (try_op(q, op, item, woke)) {
            break;
        }
        uint32_t left = timeout != 0u ? rtm_waitq_ticks_left(start, timeout) : 0u;
        if (left == 0u) {
            err = RTM_ERR_TIMEOUT;
            break;
        }
        err = rtm_waitq_wait(wq, left);
        if (q->magic != QUEUE_MAGIC) {
            err = RTM_ERR_STATE; /* deleted while we slept */
            break;
        }
        if (err != RTM_OK && err != RTM_ERR_TIMEOUT) {
            break; /* cannot block here: not supported, state */
        }
        err = RTM_OK;
    }
    rtm_section_exit_(sec);
    return err;
}

rtm_err_t rtm_queue_send(rtm_queue_t *q, const void *item, uint32_t timeout)
{
    /* transfer() only reads through `item` when sending. */
    return transfer(q, OP_SEND, (void *)(uintptr_t)item, timeout, NULL);
}

rtm_err_t rtm_queue_receive(rtm_queue_t *q, void *item, uint32_t timeout)
{
    return transfer(q, OP_RECEIVE, item, timeout, NULL);
}

rtm_err_t rtm_queue_send_from_isr(rtm_queue_t *q, const void *item, bool *woke)
{
    return transfer(q, OP_SEND, (void *)(uintptr_t)item, 0u, woke);
}

rtm_err_t rtm_queue_receive_from_isr(rtm_queue_t *q, void *item, bool *woke)
{
    return transfer(q, OP_RECEIVE, item, 0u, woke);
}

rtm_err_t rtm_queue_peek(const rtm_queue_t *q, void *item)
{
    if (q == NULL) {
        return RTM_ERR_NULL;
    }
    rtm_section_t sec = rtm_section_enter_();
    rtm_err_t err = RTM_OK;
    if (q->magic != QUEUE_MAGIC) {
        err = RTM_ERR_STATE;
    } else if (item == NULL) {
        err = rtm_fault_raise(&((rtm_queue_t *)(uintptr_t)q)->fault, RTM_ERR_NULL, q, NULL);
    } else if (q->count == 0u) {
        err = RTM_ERR_TIMEOUT;
    } else {
        memcpy(item, slot(q, q->head), q->item_size);
    }
    rtm_section_exit_(sec);
    return err;
}

uint32_t rtm_queue_count(const rtm_queue_t *q)
{
    if (q == NULL) {
        return 0u;
    }
    rtm_section_t sec = rtm_section_enter_();
    uint32_t n = q->magic == QUEUE_MAGIC ? q->count : 0u;
    rtm_section_exit_(sec);
    return n;
}

uint32_t rtm_queue_space(const rtm_queue_t *q)
{
    if (q == NULL) {
        return 0u;
    }
    rtm_section_t sec = rtm_section_enter_();
    uint32_t n = q->magic == QUEUE_MAGIC ? q->capacity - q->count : 0u;
    rtm_section_exit_(sec);
    return n;
}

rtm_err_t rtm_queue_reset(rtm_queue_t *q)
{
    if (q == NULL) {
        return RTM_ERR_NULL;
    }
    rtm_section_t sec = rtm_section_enter_();
    rtm_err_t err = RTM_ERR_STATE;
    if (q->magic == QUEUE_MAGIC) {
        q->head = 0;
        q->count = 0;
        rtm_waitq_broadcast(&q->not_full);
        err = RTM_OK;
    }
    rtm_section_exit_(sec);
    return err;
}

void rtm_queue_set_fault_hook(rtm_queue_t *q, rtm_fault_fn hook, void *user)
{
    if (q != NULL) {
        q->fault.hook = hook;
        q->fault.user = user;
    }
}
