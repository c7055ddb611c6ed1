/*
 * FreeRTOS layer under FreeRTOSConfig.h files written the way FreeRTOS's
 * demos write them (tests/freertos_cfg/demo_*): casts and expressions in
 * configTOTAL_HEAP_SIZE, the tick width by its TICK_TYPE_WIDTH_ name or by
 * configUSE_16_BIT_TICKS, if-style configASSERT. Each configuration is built
 * twice: without the kernel's headers and against the stub kernel's
 * FreeRTOS.h (KERNEL). FRT_TICK_BITS is the tick width the configuration
 * asks for; the layer must read the same, which shows in the smallest free
 * block of a full heap (portMAX_DELAY as a size_t, as upstream reports it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rtmem/freertos_heap.h"

#if FRT_TICK_BITS == 16
#define EXPECTED_MAX_DELAY ((size_t)0xffffu)
#elif FRT_TICK_BITS == 32
#define EXPECTED_MAX_DELAY ((size_t)0xffffffffu)
#elif FRT_TICK_BITS == 64
#define EXPECTED_MAX_DELAY ((size_t)0xffffffffffffffffull)
#else
#error "FRT_TICK_BITS must be 16, 32 or 64"
#endif

#define SCHEME configFRTOS_MEMORY_SCHEME

/* The application gave configASSERT (FreeRTOS.h defines an empty one and
 * configASSERT_DEFINED 0 when it did not). */
#if defined(configASSERT_DEFINED)
#define APP_ASSERT configASSERT_DEFINED
#elif defined(configASSERT)
#define APP_ASSERT 1
#else
#define APP_ASSERT 0
#endif

static int g_asserts;

void vAssertCalled(const char *file, unsigned long line);
void vAssertCalled(const char *file, unsigned long line)
{
    (void)file;
    (void)line;
    g_asserts++;
}

#if configUSE_MALLOC_FAILED_HOOK == 1
static int g_malloc_failed;
void vApplicationMallocFailedHook(void) { g_malloc_failed++; }
#endif
#if configENABLE_HEAP_PROTECTOR == 1
void vApplicationGetRandomHeapCanary(portPOINTER_SIZE_TYPE *pxHeapCanary)
{
    *pxHeapCanary = (portPOINTER_SIZE_TYPE)0x3c6ef372u;
}
#endif

#if configAPPLICATION_ALLOCATED_HEAP == 1
/* The application's heap, defined the way upstream declares it. */
uint8_t ucHeap[configTOTAL_HEAP_SIZE];
#endif

#if SCHEME == 5
/* Two banks, ascending, as a board with internal and external RAM. */
static _Alignas(8) uint8_t g_bank0[6000];
static _Alignas(8) uint8_t g_bank1[10000];
#define TOTAL (sizeof(g_bank0) + sizeof(g_bank1))
#else
#define TOTAL ((size_t)configTOTAL_HEAP_SIZE)
#endif

static int setup_heap(void **state)
{
    (void)state;
#if SCHEME == 5
    /* Ascending addresses, as heap_5 wants: the compiler places the two
     * arrays in either order. */
    HeapRegion_t lo = {g_bank0, sizeof(g_bank0)};
    HeapRegion_t hi = {g_bank1, sizeof(g_bank1)};
    if ((uintptr_t)g_bank1 < (uintptr_t)g_bank0) {
        HeapRegion_t t = lo;
        lo = hi;
        hi = t;
    }
    HeapRegion_t regions[] = {lo, hi, {NULL, 0}};
    vPortDefineHeapRegions(regions);
    assert_int_equal(rtm_freertos_heap_faults(), 0);
#endif
    return 0;
}

/* Bytes a scheme may keep for itself: heap_2/4/5 a header and alignment,
 * tlsf its control structure (inside the heap). */
#define SLACK 1024u

/* Most blocks the full-heap test takes: 1-byte blocks cost at least 16
 * bytes in every scheme. */
#define MAX_BLOCKS (TOTAL / 16u + 1u)
static void *g_blocks[MAX_BLOCKS];

static void test_heap_is_configTOTAL_HEAP_SIZE(void **state)
{
    (void)state;
    /* The value written with casts reached the layer as the array size:
     * one allocation leaves nearly all of it free, never more. */
    void *p = pvPortMalloc(100);
    assert_non_null(p);
    size_t free_now = xPortGetFreeHeapSize();
    assert_true(free_now + 100u <= TOTAL);
    assert_true(free_now + 100u + SLACK > TOTAL);
#if configAPPLICATION_ALLOCATED_HEAP == 1
    assert_int_equal(sizeof(ucHeap), TOTAL);
    assert_true((uint8_t *)p >= ucHeap && (uint8_t *)p < ucHeap + sizeof(ucHeap));
#endif
    vPortFree(p);
    assert_int_equal(rtm_freertos_heap_check(NULL), RTM_OK);
}

static void test_full_heap_reports_tick_width(void **state)
{
    (void)state;
    /* portMAX_DELAY as the configuration's tick width gives it. */
    assert_int_equal((size_t)portMAX_DELAY, EXPECTED_MAX_DELAY);
    size_t n = 0;
    while (n < MAX_BLOCKS && (g_blocks[n] = pvPortMalloc(1)) != NULL) {
        n++;
    }
    assert_true(n > 0u && n < MAX_BLOCKS);
    HeapStats_t s;
    memset(&s, 0xa5, sizeof(s));
    vPortGetHeapStats(&s);
    assert_int_equal(s.xAvailableHeapSpaceInBytes, 0);
    /* Upstream starts the smallest block at portMAX_DELAY and keeps it when
     * no block is free. */
    assert_int_equal(s.xSizeOfSmallestFreeBlockInBytes, EXPECTED_MAX_DELAY);
#if configUSE_MALLOC_FAILED_HOOK == 1
    assert_int_equal(g_malloc_failed, 1);
#endif
    for (size_t i = 0; i < n; i++) {
        vPortFree(g_blocks[i]);
    }
    assert_int_equal(rtm_freertos_heap_check(NULL), RTM_OK);
    assert_true(xPortGetFreeHeapSize() + SLACK > TOTAL);
}

static void test_assert_style_reaches_application(void **state)
{
    (void)state;
    void *p = pvPortMalloc(40);
    assert_non_null(p);
    vPortFree(p);
    size_t faults = rtm_freertos_heap_faults();
    vPortFree(p); /* double free: refused, reported through configASSERT */
    assert_int_equal(rtm_freertos_heap_faults(), faults + 1u);
    assert_int_equal(rtm_freertos_heap_last_fault(), RTM_ERR_DOUBLE_FREE);
#if APP_ASSERT
    assert_int_equal(g_asserts, 1);
#else
    assert_int_equal(g_asserts, 0);
#endif
    assert_int_equal(rtm_freertos_heap_check(NULL), RTM_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_heap_is_configTOTAL_HEAP_SIZE),
        cmocka_unit_test(test_assert_style_reaches_application),
        /* Last: heap_2 does not coalesce, its heap stays in small blocks. */
        cmocka_unit_test(test_full_heap_reports_tick_width),
    };
    return cmocka_run_group_tests(tests, setup_heap, NULL);
}
