/* An application of rtm_pool and rtm_queue, linked against the library by
 * tests/layout.cmake: with the library's options it links and runs; compiled
 * with another layout option it must fail to link (rtmem/common.h, layout
 * key). */
#include <stdio.h>

#include "rtmem/pool.h"
#include "rtmem/queue.h"

RTM_POOL_STORAGE(static, pool_mem, uint32_t, 4);
RTM_QUEUE_STORAGE(static, queue_mem, uint32_t, 4);

int main(void)
{
    rtm_pool_t p;
    rtm_queue_t q;
    if (rtm_pool_init(&p, pool_mem, sizeof pool_mem, sizeof(uint32_t), 0, 0, RTM_POOL_DEFAULT) !=
            RTM_OK ||
        rtm_queue_init(&q, sizeof(uint32_t), 4u, queue_mem, sizeof queue_mem) != RTM_OK) {
        puts("init failed");
        return 1;
    }
    void *b = rtm_pool_alloc(&p);
    int bad = b == NULL || rtm_pool_free(&p, b) != RTM_OK;
    (void)rtm_queue_deinit(&q);
    (void)rtm_pool_deinit(&p);
    return bad;
}
