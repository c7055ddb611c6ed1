#define _POSIX_C_SOURCE 200809L
/*
 * Zero-copy message passing with a pool and a queue.
 *
 * The producer takes a block from the pool, fills it in place and sends only
 * its pointer through the queue; the consumer reads the message and returns
 * the block to the pool. No message is ever copied, no heap is used, and the
 * pool bounds the messages in flight: when the consumer falls behind, the
 * producer blocks in rtm_pool_alloc_timeout() until a block is freed.
 *
 *   producer: alloc block -> fill -> send &block ---queue---> consumer:
 *             receive &block -> use -> rtm_pool_free(block)
 *
 * On a microcontroller the producer is typically an interrupt handler using
 * rtm_pool_alloc() and rtm_queue_send_from_isr(), which never block.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "rtmem/pool.h"
#include "rtmem/queue.h"

enum { MSGS = 8, QLEN = 4, COUNT = 10000 };

struct msg {
    uint32_t seq;
    uint32_t sum;
    uint8_t payload[48];
};

RTM_POOL_STORAGE(static, g_pool_mem, struct msg, MSGS);
RTM_QUEUE_STORAGE(static, g_queue_mem, struct msg *, QLEN);
static rtm_pool_t g_pool;
static rtm_queue_t g_queue;

static uint32_t checksum(const struct msg *m)
{
    uint32_t s = m->seq;
    for (size_t i = 0; i < sizeof m->payload; i++) {
        s = s * 31u + m->payload[i];
    }
    return s;
}

static void *producer(void *arg)
{
    (void)arg;
    for (uint32_t i = 0; i < COUNT; i++) {
        struct msg *m = rtm_pool_alloc_timeout(&g_pool, RTM_WAIT_FOREVER);
        if (m == NULL) {
            return (void *)1;
        }
        m->seq = i;
        memset(m->payload, (int)(i & 0xFFu), sizeof m->payload);
        m->sum = checksum(m);
        if (rtm_queue_send(&g_queue, &m, RTM_WAIT_FOREVER) != RTM_OK) { /* the pointer only */
            return (void *)1;
        }
    }
    return NULL;
}

int main(void)
{
    if (RTM_POOL_INIT_FOR(&g_pool, g_pool_mem, struct msg, RTM_POOL_DEFAULT) != RTM_OK ||
        rtm_queue_init(&g_queue, sizeof(struct msg *), QLEN, g_queue_mem, sizeof g_queue_mem) !=
            RTM_OK) {
        fprintf(stderr, "init failed\n");
        return 1;
    }
    pthread_t t;
    if (pthread_create(&t, NULL, producer, NULL) != 0) {
        return 1;
    }
    int bad = 0;
    for (uint32_t i = 0; i < COUNT; i++) {
        struct msg *m;
        if (rtm_queue_receive(&g_queue, &m, RTM_WAIT_FOREVER) != RTM_OK) {
            bad++;
            break;
        }
        if (m->seq != i || m->sum != checksum(m)) {
            bad++;
        }
        if (rtm_pool_free(&g_pool, m) != RTM_OK) {
            bad++;
        }
    }
    void *rc;
    pthread_join(t, &rc);
    rtm_pool_stats_t s;
    (void)rtm_pool_stats(&g_pool, &s);
    printf("pool_queue: %d messages, %zu-byte blocks, peak %zu of %zu blocks in flight, %d errors\n",
           COUNT, s.block_size, s.peak_used, s.capacity, bad);
    return (bad == 0 && rc == NULL && s.used_blocks == 0 && rtm_pool_check(&g_pool, NULL) == RTM_OK) ? 0 : 1;
}
