/*
 * The task runtime's fault reports as the runtime tests record them: one
 * copy for the host test (test_rt_host.c) and the Cortex-M one
 * (target/target_rt.c). Include after rtm_rt.h; each test installs
 * on_rt_fault with rtm_rt_set_fault_hook() and clears nreports.
 */
#ifndef RT_REPORT_H
#define RT_REPORT_H

#include <string.h>

#include "rtm_rt.h"

typedef struct {
    const char *name;
    rtm_err_t err;
    rtm_stack_method_t method;
    uint32_t status; /* non-zero: caught by the hardware (CFSR, si_code) */
} report_t;

#define RT_REPORTS 16
static report_t reports[RT_REPORTS];
static int nreports;

static void on_rt_fault(void *user, const rtm_rt_fault_t *f)
{
    (void)user;
    if (nreports < RT_REPORTS) {
        reports[nreports++] = (report_t){f->task != NULL ? f->task->name : NULL, f->err, f->method, f->status};
    }
}

/* The first report naming task `name`, NULL if none. */
static const report_t *report_of(const char *name)
{
    for (int i = 0; i < nreports; i++) {
        if (reports[i].name != NULL && strcmp(reports[i].name, name) == 0) {
            return &reports[i];
        }
    }
    return NULL;
}

#endif /* RT_REPORT_H */
