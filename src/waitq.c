/* Wait-queue helpers shared by every port: built only on the rtm_waitq_*
 * primitives that each port implements. */
#include "rtm_internal.h"
#include "rtmem/port.h"

uint32_t rtm_waitq_ticks_left(uint32_t start, uint32_t timeout)
{
    if (timeout == RTM_WAIT_FOREVER) {
        return RTM_WAIT_FOREVER;
    }
    uint32_t spent = rtm_port_ticks() - start;
    return spent >= timeout ? 0u : timeout - spent;
}

static uint32_t waiters_of(rtm_waitq_t *const qs[], size_t n)
{
    uint32_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        sum += rtm_waitq_waiters(qs[i]);
    }
    return sum;
}

rtm_err_t rtm_waitq_drain(rtm_waitq_t *const qs[], size_t n, void (*retire)(void *obj),
                          void *obj)
{
    if (waiters_of(qs, n) == 0u) {
        return RTM_OK;
    }
    if (rtm_port_in_isr()) {
        return RTM_ERR_ISR;
    }
    if (rtm_port_depth() != 1u) {
        return RTM_ERR_STATE;
    }
    rtm_waitq_t nap;
    rtm_err_t err = rtm_waitq_init(&nap);
    if (err != RTM_OK) {
        return err;
    }
    retire(obj);
    for (size_t i = 0; i < n; i++) {
        rtm_waitq_broadcast(qs[i]);
    }
    while (waiters_of(qs, n) > 0u) {
        (void)rtm_waitq_wait(&nap, 1u);
    }
    rtm_waitq_destroy(&nap);
    return RTM_OK;
}
