/* FreeRTOS configuration of test_frt_stack (stub kernel headers): the
 * switch hook wired to rtmem's stack checks as an application would. */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H
#define configCHECK_FOR_STACK_OVERFLOW 0
#define configTICK_TYPE_WIDTH_IN_BITS TICK_TYPE_WIDTH_32_BITS
#define configSUPPORT_STATIC_ALLOCATION 1
void rtm_frt_switched_out(void *tcb);
#define traceTASK_SWITCHED_OUT() rtm_frt_switched_out((void *)pxCurrentTCB)
#endif
