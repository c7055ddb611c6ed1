/*
 * A static-allocation-only application (configSUPPORT_DYNAMIC_ALLOCATION 0,
 * no heap scheme): the heap layer must compile to nothing.
 * Tests: test_freertos_static.c.
 */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H

#define configSUPPORT_STATIC_ALLOCATION     1
#define configSUPPORT_DYNAMIC_ALLOCATION    0
#define configTICK_TYPE_WIDTH_IN_BITS       TICK_TYPE_WIDTH_32_BITS
#define configTOTAL_HEAP_SIZE               ( ( size_t ) ( 64 * 1024 ) )

#endif /* FREERTOS_CONFIG_H */
