/*
 * Stand-in for the CMSIS-RTOS v1-on-v2 compatibility header (the cmsis_os.h
 * of CMSIS/RTOS2/Template, which RTX5 and CMSIS-FreeRTOS users include),
 * written for rtmem's tests from the CMSIS documentation; only what the
 * memory pool part needs, declared the way that header declares it for an
 * API version >= 2.0. Not the upstream header. RTM_TEST_STUB_CMSIS_OS_V1V2
 * lets a test prove it is in use.
 *
 * What matters to rtmem, as documented: the guard is CMSIS_OS_H_; osCMSIS
 * is 0x20001; cmsis_os2.h is included; osStatus is a 32-bit integer type
 * holding cmsis_os2.h's osStatus_t values, with the v1-only names added as
 * macros (osErrorValue -127 and so on); osPoolId is void *; osPoolDef_t
 * holds pool_sz, item_sz and an osMemoryPoolAttr_t, and osPoolDef leaves
 * that attribute empty (memory from the RTOS).
 */
#ifndef CMSIS_OS_H_
#define CMSIS_OS_H_

#define RTM_TEST_STUB_CMSIS_OS_V1V2 1

#define osCMSIS 0x20001U
#define osFeature_Pool 1

#include "cmsis_os2.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef int32_t osStatus;
#define osEventSignal (0x08)
#define osEventMessage (0x10)
#define osEventMail (0x20)
#define osEventTimeout (0x40)
#define osErrorOS osError
#define osErrorTimeoutResource osErrorTimeout
#define osErrorISRRecursive (-126)
#define osErrorValue (-127)
#define osErrorPriority (-128)

typedef void *osPoolId;

typedef struct os_pool_def {
    uint32_t pool_sz;
    uint32_t item_sz;
    osMemoryPoolAttr_t attr;
} osPoolDef_t;

#if defined(osObjectsExternal)
#define osPoolDef(name, no, type) extern const osPoolDef_t os_pool_def_##name
#else
#define osPoolDef(name, no, type) \
    const osPoolDef_t os_pool_def_##name = {(no), sizeof(type), {NULL, 0U, NULL, 0U, NULL, 0U}}
#endif
#define osPool(name) &os_pool_def_##name

osPoolId osPoolCreate(const osPoolDef_t *pool_def);
void *osPoolAlloc(osPoolId pool_id);
void *osPoolCAlloc(osPoolId pool_id);
osStatus osPoolFree(osPoolId pool_id, void *block);

#ifdef __cplusplus
}
#endif

#endif /* CMSIS_OS_H_ */
