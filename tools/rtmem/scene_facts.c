/* The demo scene's facts and expectations (see scene.h). */
#include <stdarg.h>
#include <string.h>

#include "scene.h"

const char *scene_method_name(rtm_stack_method_t m)
{
    switch (m) {
    case RTM_STACK_M_SP: return "stack pointer check at a switch";
    case RTM_STACK_M_CANARY: return "canary check at a switch";
    case RTM_STACK_M_GUARD: return SCENE_GUARD;
    case RTM_STACK_M_PSPLIM: return "PSPLIM";
    default: return "-";
    }
}

static void add(scene_t *s, const char *where, const char *what)
{
    if (s->nfaults < SCENE_MAX_FAULTS) {
        scene_fault_t *f = &s->faults[s->nfaults++];
        (void)snprintf(f->where, sizeof f->where, "%s", where);
        (void)snprintf(f->what, sizeof f->what, "%s", what);
    }
}

void scene_fault(scene_t *s, const char *where, rtm_err_t why)
{
    add(s, where, rtm_err_str(why));
}

void scene_task_fault(scene_t *s, const char *task, rtm_err_t err, rtm_stack_method_t method,
                      const void *addr)
{
    char what[96];
    if (err == RTM_ERR_STACK_OVERFLOW) {
        (void)snprintf(what, sizeof what, "stack overflow caught by the %s", scene_method_name(method));
    } else {
        (void)snprintf(what, sizeof what, "%s at %p: task stopped", rtm_err_str(err), addr);
    }
    add(s, task, what);
}

size_t scene_faults_with(const scene_t *s, const char *needle)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nfaults; i++) {
        if (strstr(s->faults[i].where, needle) || strstr(s->faults[i].what, needle)) {
            n++;
        }
    }
    return n;
}

bool scene_expect(scene_t *s, bool ok, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    printf("[scene] %s %s\n", ok ? "ok  " : "FAIL", buf);
    scene_tsv(s, "expect\t%s\t%s", ok ? "ok" : "FAIL", buf);
    if (ok) {
        s->expect_ok++;
    } else {
        s->expect_failed++;
    }
    return ok;
}

void scene_tsv(scene_t *s, const char *fmt, ...)
{
    va_list ap;
    if (!s->tsv) {
        return;
    }
    va_start(ap, fmt);
    vfprintf(s->tsv, fmt, ap);
    va_end(ap);
    fputc('\n', s->tsv);
}

void scene_say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("[scene] ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    fflush(stdout);
}
