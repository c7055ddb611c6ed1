/* Issue 12 item 10, run by `make test32` (-m32, no cmocka): on a 32-bit
 * target the CMSIS-RTOS2 layer accepts a cb_mem of exactly RTX5's
 * osRtxMemoryPoolCbSize (36 bytes) and the pool works in it. Exit 0 = pass. */
#include <stdio.h>
#include <string.h>

#include "rtmem/cmsis_os2_pool.h"

_Static_assert(sizeof(void *) == 4u, "a 32-bit build");

static _Alignas(4) uint8_t cb[36];
static _Alignas(4) uint8_t mp[4u * 5u * ((14u + 3u) / 4u)]; /* osRtxMemoryPoolMemSize(5, 14) */

#define CHECK(c)                                                   \
    do {                                                           \
        if (!(c)) {                                                \
            fprintf(stderr, "rtx_cb32: line %d: %s\n", __LINE__, #c); \
            return 1;                                              \
        }                                                          \
    } while (0)

int main(void)
{
    CHECK(RTM_OS2_POOL_CB_SIZE == 36u);
    osMemoryPoolAttr_t a = {"rtx36", 0u, cb, sizeof cb, mp, sizeof mp};
    osMemoryPoolAttr_t small = a;
    small.cb_size = 35u;
    CHECK(osMemoryPoolNew(5u, 14u, &small) == NULL);
    osMemoryPoolId_t id = osMemoryPoolNew(5u, 14u, &a);
    CHECK(id == (osMemoryPoolId_t)cb);
    CHECK(osMemoryPoolGetBlockSize(id) == 16u);
    void *b[5];
    for (int i = 0; i < 5; i++) {
        b[i] = osMemoryPoolAlloc(id, 0u);
        CHECK(b[i] != NULL);
        memset(b[i], i, 14u);
    }
    CHECK(osMemoryPoolAlloc(id, 0u) == NULL);
    CHECK(osMemoryPoolFree(id, b[1]) == osOK);
    CHECK(osMemoryPoolFree(id, b[3]) == osOK);
    CHECK(osMemoryPoolFree(id, b[1]) == osErrorParameter); /* double free */
    CHECK(osMemoryPoolFree(id, (uint8_t *)b[2] + 4) == osErrorParameter);
    CHECK(rtm_os2_pool_faults(id) == 2u);
    CHECK(osMemoryPoolGetCount(id) == 3u);
    CHECK(rtm_os2_pool_check(id) == RTM_OK);
    CHECK(osMemoryPoolDelete(id) == osOK);
    CHECK(osMemoryPoolGetCapacity(id) == 0u);
    puts("rtx_cb32: a 36-byte cb_mem accepted and working");
    return 0;
}
