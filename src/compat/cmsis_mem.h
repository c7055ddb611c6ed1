/* Private to the CMSIS-RTOS pool layers (cmsis_os2_pool.c, cmsis_os_pool.c),
 * which cannot include each other's headers: v1 and v2 both name osOK. */
#ifndef RTMEM_CMSIS_MEM_H
#define RTMEM_CMSIS_MEM_H

#include <stddef.h>

#include "rtmem/common.h"

/* The RTOS's memory: the allocator set by rtm_os2_pool_set_allocator(), else
 * the default one (see rtmem/cmsis_os2_pool.h). NULL when there is none. */
void *rtm_os2_mem_alloc_(size_t size);
void rtm_os2_mem_free_(void *ptr);

/* The fault hook CMSIS pools start with: the fault is counted, nothing traps,
 * and the caller gets its status code in every build. */
void rtm_os2_fault_quiet_(void *user, rtm_err_t why, const void *obj, const void *ptr);

#endif /* RTMEM_CMSIS_MEM_H */
