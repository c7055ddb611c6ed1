/*
 * The fault hook most module tests install: it counts the calls and keeps
 * the last reason. Tests clear g_faults themselves where they count.
 */
#ifndef TEST_FAULT_COUNT_H
#define TEST_FAULT_COUNT_H

#include "rtmem/common.h"

static int g_faults;
static rtm_err_t g_reason;

static void hook(void *user, rtm_err_t reason, const void *obj, const void *ptr)
{
    (void)user;
    (void)obj;
    (void)ptr;
    g_faults++;
    g_reason = reason;
}

#endif /* TEST_FAULT_COUNT_H */
