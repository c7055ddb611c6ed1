/*
 * Static allocation on the emulated Cortex-M4 (run.sh test, an386): objects
 * declared with rtmem/static.h's macros, heap_1 ready at link time, the
 * others after rtm_static_init_all() walks the rtm_static_init section that
 * arm-none-eabi-ld collected (with --gc-sections). The ELF is also the
 * example scripts/static-report.py is tested on (tests/static_report.cmake).
 */
#include <stdio.h>

#include "rtmem/static.h"
#include "target.h"

struct sample {
    uint16_t channel;
    int32_t value;
};

RTM_HEAP1_DEFINE(boot_heap, 2048);
RTM_HEAP4_DEFINE(app_heap, 8192);
RTM_HEAP2_DEFINE(msg_heap, 1024);
RTM_HEAP5_DEFINE(big_heap, 4096);
RTM_TLSF_DEFINE(rt_heap, 16384);
RTM_TLSF_DEFINE_IN(dma_heap, 4096, RTM_IN_SECTION(".ram2"));
RTM_POOL_DEFINE(sample_pool, struct sample, 32);
RTM_QUEUE_DEFINE(sample_queue, struct sample *, 8);

static int g_hook_runs;
static rtm_err_t board_objects(void)
{
    g_hook_runs++;
    return RTM_OK;
}
RTM_STATIC_INIT_FN(board_init, board_objects);

int main(void)
{
    void *boot = rtm_heap1_alloc(&boot_heap, 100); /* no init call: link time */
    TGT_EXPECT(boot != NULL);
    TGT_EXPECT(rtm_static_count() == 8u);
    TGT_EXPECT(rtm_static_init_all(NULL) == RTM_OK);
    TGT_EXPECT(g_hook_runs == 1);
    struct sample *s = rtm_pool_alloc(&sample_pool);
    TGT_EXPECT(s != NULL);
    if (s != NULL) {
        s->value = 42;
        TGT_EXPECT(rtm_queue_send(&sample_queue, &s, 0) == RTM_OK);
        struct sample *got = NULL;
        TGT_EXPECT(rtm_queue_receive(&sample_queue, &got, 0) == RTM_OK && got == s);
        TGT_EXPECT(rtm_pool_free(&sample_pool, s) == RTM_OK);
    }
    void *a = rtm_heap4_alloc(&app_heap, 300);
    void *b = rtm_heap2_alloc(&msg_heap, 30);
    void *c = rtm_heap5_alloc(&big_heap, 300);
    void *d = rtm_tlsf_alloc(&rt_heap, 3000);
    void *e = rtm_tlsf_aligned_alloc(&dma_heap, 32, 512);
    TGT_EXPECT(a != NULL && b != NULL && c != NULL && d != NULL && e != NULL);
    TGT_EXPECT(((uintptr_t)e & 31u) == 0u);
    TGT_EXPECT(rtm_heap4_free(&app_heap, a) == RTM_OK && rtm_heap2_free(&msg_heap, b) == RTM_OK);
    TGT_EXPECT(rtm_heap5_free(&big_heap, c) == RTM_OK && rtm_tlsf_free(&rt_heap, d) == RTM_OK);
    TGT_EXPECT(rtm_tlsf_free(&dma_heap, e) == RTM_OK);
    TGT_EXPECT(rtm_tlsf_check(&dma_heap, NULL) == RTM_OK && rtm_heap4_check(&app_heap, NULL) == RTM_OK);
    printf("target_static: %s: %u records, %d failures\n", tgt_failures == 0 ? "passed" : "FAILED",
           (unsigned)rtm_static_count(), tgt_failures);
    return tgt_failures == 0 ? 0 : 1;
}
