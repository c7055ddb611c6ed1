/*
 * Stand-in for an RTOS's cmsis_os2.h, written for rtmem's tests from the
 * CMSIS-RTOS2 API documentation (names, types, values); only the parts the
 * memory pool API touches, declared the way the API specifies them. Not the
 * upstream header. RTM_TEST_STUB_CMSIS_OS2 lets a test prove it is in use.
 */
#ifndef CMSIS_OS2_H_
#define CMSIS_OS2_H_

#include <stddef.h>
#include <stdint.h>

#define RTM_TEST_STUB_CMSIS_OS2 1

#ifdef __cplusplus
extern "C" {
#endif

#define osWaitForever 0xFFFFFFFFU

typedef enum {
    osOK = 0,
    osError = -1,
    osErrorTimeout = -2,
    osErrorResource = -3,
    osErrorParameter = -4,
    osErrorNoMemory = -5,
    osErrorISR = -6,
    osErrorSafetyClass = -7,
    osStatusReserved = 0x7FFFFFFF
} osStatus_t;

typedef void *osMemoryPoolId_t;

typedef struct {
    const char *name;
    uint32_t attr_bits;
    void *cb_mem;
    uint32_t cb_size;
    void *mp_mem;
    uint32_t mp_size;
} osMemoryPoolAttr_t;

osMemoryPoolId_t osMemoryPoolNew(uint32_t block_count, uint32_t block_size,
                                 const osMemoryPoolAttr_t *attr);
const char *osMemoryPoolGetName(osMemoryPoolId_t mp_id);
void *osMemoryPoolAlloc(osMemoryPoolId_t mp_id, uint32_t timeout);
osStatus_t osMemoryPoolFree(osMemoryPoolId_t mp_id, void *block);
uint32_t osMemoryPoolGetCapacity(osMemoryPoolId_t mp_id);
uint32_t osMemoryPoolGetBlockSize(osMemoryPoolId_t mp_id);
uint32_t osMemoryPoolGetCount(osMemoryPoolId_t mp_id);
uint32_t osMemoryPoolGetSpace(osMemoryPoolId_t mp_id);
osStatus_t osMemoryPoolDelete(osMemoryPoolId_t mp_id);

#ifdef __cplusplus
}
#endif

#endif /* CMSIS_OS2_H_ */
