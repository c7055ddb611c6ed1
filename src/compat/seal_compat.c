/*
 * vPortHeapSeal and friends (rtmem/seal_compat.h): the FreeRTOS heap layer's
 * one instance sealed through the allocation gate. Built into the layer's
 * library by rtmem_add_freertos_heap(), beside src/compat/freertos_heap.c.
 */
#include "rtmem/freertos_heap.h"
#include "rtmem/port.h"
#include "rtmem/seal_compat.h"

void vPortHeapSeal(void)
{
    rtm_fault_t *f = rtm_freertos_heap_fault_state();
    rtm_port_enter();
    rtm_seal(f);
    rtm_port_exit();
}

void vPortHeapUnseal(void)
{
    rtm_fault_t *f = rtm_freertos_heap_fault_state();
    rtm_port_enter();
    rtm_unseal(f);
    rtm_port_exit();
}

int xPortHeapIsSealed(void)
{
    rtm_fault_t *f = rtm_freertos_heap_fault_state();
    return rtm_is_sealed(f) ? 1 : 0;
}

rtm_err_t rtm_freertos_heap_seal_at_start(void)
{
    rtm_fault_t *f = rtm_freertos_heap_fault_state();
    if (f == NULL) {
        return RTM_ERR_STATE;
    }
    rtm_port_enter();
    rtm_err_t err = rtm_seal_at_start_add(f);
    rtm_port_exit();
    return err;
}
