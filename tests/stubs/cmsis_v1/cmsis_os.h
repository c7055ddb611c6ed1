/*
 * Stand-in for an RTOS's CMSIS-RTOS v1 cmsis_os.h, written for rtmem's tests
 * from the CMSIS-RTOS v1 API documentation; only the memory pool part, with
 * the template's osPoolDef (which supplies no memory). Not the upstream
 * header. RTM_TEST_STUB_CMSIS_OS lets a test prove it is in use.
 */
#ifndef _CMSIS_OS_H
#define _CMSIS_OS_H

#include <stddef.h>
#include <stdint.h>

#define RTM_TEST_STUB_CMSIS_OS 1

#define osCMSIS 0x10002
#define osFeature_Pool 1

typedef enum {
    osOK = 0,
    osEventSignal = 0x08,
    osEventMessage = 0x10,
    osEventMail = 0x20,
    osEventTimeout = 0x40,
    osErrorParameter = 0x80,
    osErrorResource = 0x81,
    osErrorTimeoutResource = 0xC1,
    osErrorISR = 0x82,
    osErrorISRRecursive = 0x83,
    osErrorPriority = 0x84,
    osErrorNoMemory = 0x85,
    osErrorValue = 0x86,
    osErrorOS = 0xFF,
    os_status_reserved = 0x7FFFFFFF
} osStatus;

typedef struct os_pool_cb *osPoolId;

typedef struct os_pool_def {
    uint32_t pool_sz;
    uint32_t item_sz;
    void *pool;
} osPoolDef_t;

#if defined(osObjectsExternal)
#define osPoolDef(name, no, type) extern const osPoolDef_t os_pool_def_##name
#else
#define osPoolDef(name, no, type) const osPoolDef_t os_pool_def_##name = {(no), sizeof(type), NULL}
#endif
#define osPool(name) &os_pool_def_##name

osPoolId osPoolCreate(const osPoolDef_t *pool_def);
void *osPoolAlloc(osPoolId pool_id);
void *osPoolCAlloc(osPoolId pool_id);
osStatus osPoolFree(osPoolId pool_id, void *block);

#endif /* _CMSIS_OS_H */
