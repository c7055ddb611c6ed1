/* rtmem common: error names, fault reporting, configuration checks. */
#include "rtmem/common.h"

#include "rtm_hooks.h"
#include "rtm_internal.h"

_Static_assert(RTMEM_CFG_ASSERT == 0 || RTMEM_CFG_ASSERT == 1,
               "RTMEM_CFG_ASSERT must be 0 or 1");
_Static_assert(RTMEM_CFG_TEST_HOOKS == 0 || RTMEM_CFG_TEST_HOOKS == 1,
               "RTMEM_CFG_TEST_HOOKS must be 0 or 1");
#if RTMEM_CFG_TEST_HOOKS
size_t rtm_test_steps; /* test builds only (rtm_config_internal.h) */
#endif
_Static_assert(RTMEM_CFG_PORT >= RTMEM_PORT_NONE &&
                   RTMEM_CFG_PORT <= RTMEM_PORT_FREERTOS,
               "RTMEM_CFG_PORT must name a port");
_Static_assert(RTMEM_CFG_PORT_TICK_HZ > 0, "RTMEM_CFG_PORT_TICK_HZ must be > 0");
_Static_assert(sizeof(uintptr_t) >= sizeof(void *), "uintptr_t holds a pointer");

/* The gate word (rtm_hooks.h): here, not in hooks.c, so that reading it
 * does not link the gate's slow half. */
volatile uint32_t rtm_gate_word_;

const char *rtm_err_str(rtm_err_t err)
{
    switch (err) {
    case RTM_OK: return "ok";
    case RTM_ERR_NULL: return "NULL argument";
    case RTM_ERR_ARG: return "argument out of range";
    case RTM_ERR_NO_MEMORY: return "out of memory";
    case RTM_ERR_OVERFLOW: return "size overflow";
    case RTM_ERR_FOREIGN_PTR: return "foreign pointer";
    case RTM_ERR_INTERIOR_PTR: return "interior pointer";
    case RTM_ERR_DOUBLE_FREE: return "double free";
    case RTM_ERR_CORRUPT: return "corrupted header or link";
    case RTM_ERR_BAD_REGION: return "bad region table";
    case RTM_ERR_TIMEOUT: return "timeout";
    case RTM_ERR_ISR: return "not allowed from an interrupt";
    case RTM_ERR_NOT_SUPPORTED: return "not supported";
    case RTM_ERR_BUSY: return "busy";
    case RTM_ERR_QUOTA: return "quota exceeded";
    case RTM_ERR_STATE: return "wrong state";
    case RTM_ERR_SEALED: return "allocation sealed";
    case RTM_ERR_STACK_OVERFLOW: return "stack overflow";
    case RTM_ERR_ACCESS: return "access violation";
    case RTM_ERR_UNEXPRESSIBLE: return "range not expressible by the MPU";
    default: return "unknown error";
    }
}

void rtm_fault_default(void *user, rtm_err_t reason, const void *obj,
                       const void *ptr)
{
    (void)user;
    (void)reason;
    (void)obj;
    (void)ptr;
#if RTMEM_CFG_ASSERT
    RTMEM_TRAP();
#endif
}

void rtm_fault_init(rtm_fault_t *f)
{
    f->hook = NULL;
    f->user = NULL;
    f->count = 0;
    f->last = RTM_OK;
    f->flags = 0;
}

rtm_err_t rtm_fault_raise(rtm_fault_t *f, rtm_err_t reason, const void *obj,
                          const void *ptr)
{
    f->count++;
    f->last = (int16_t)reason;
    if (f->hook != NULL) {
        f->hook(f->user, reason, obj, ptr);
    } else {
        rtm_fault_default(f->user, reason, obj, ptr);
    }
    return reason;
}

rtm_err_t rtm_check_fail(rtm_check_t *r, rtm_err_t err, const void *where,
                         const char *what)
{
    if (r != NULL) {
        r->err = err;
        r->where = where;
        r->what = what;
    }
    return err;
}

/* The one piece of global state in the core: which owner the running context
 * allocates as. A task runtime or RTOS writes it at each switch, so a plain
 * word is enough (a switch is never half-done from a reader's view). */
static volatile rtm_owner_t rtm_owner_now;

rtm_owner_t rtm_owner_current(void)
{
    return rtm_owner_now;
}

void rtm_owner_set(rtm_owner_t owner)
{
    rtm_owner_now = owner;
}
