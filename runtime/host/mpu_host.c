/* Host enforcement of rtm_mpu maps with page protection (see mpu_host.h). */
#define _GNU_SOURCE 1
#include "mpu_host.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const char RULE_PAGE[] =
    "host page protection covers whole pages: base and size must be multiples of the page size";
static const char RULE_RIGHTS[] = "the MPU has no write-only or execute-only access (W or X needs R)";
static const char RULE_EMPTY[] = "a range must not be empty";

rtm_err_t rtm_hmpu_init(rtm_hmpu_t *m)
{
    if (m == NULL) {
        return RTM_ERR_NULL;
    }
    memset(m, 0, sizeof *m);
    long p = sysconf(_SC_PAGESIZE);
    m->page = p > 0 ? (size_t)p : 4096u;
    m->diag.rule = "ok";
    m->diag.name = "?";
    return RTM_OK;
}

static int prot_of(const rtm_mpu_range_t *r, int running)
{
    if (running && (r->access & RTM_MPU_PRIV) != 0u) {
        return PROT_NONE; /* a task never gets a privileged-only range */
    }
    int prot = PROT_NONE;
    if ((r->access & RTM_MPU_R) != 0u) {
        prot |= PROT_READ;
    }
    if ((r->access & RTM_MPU_W) != 0u) {
        prot |= PROT_WRITE;
    }
    if ((r->access & RTM_MPU_X) != 0u) {
        prot |= PROT_EXEC;
    }
    if (!running && (r->access & RTM_MPU_PRIV) != 0u) {
        prot |= PROT_READ | PROT_WRITE;
    }
    return prot;
}

static void protect(rtm_hmpu_t *m, const rtm_mpu_range_t *r, int prot)
{
    m->protects++;
    if (mprotect((void *)r->base, r->size, prot) != 0) {
        m->protect_errors++;
    }
}

static rtm_err_t refuse(rtm_hmpu_t *m, const rtm_mpu_range_t *r, size_t i, rtm_err_t e,
                        const char *rule)
{
    m->diag.err = e;
    m->diag.index = i;
    m->diag.name = r->name != NULL ? r->name : "?";
    m->diag.base = r->base;
    m->diag.size = r->size;
    m->diag.rule = rule;
    /* an exact page cover of this size: rounded up to whole pages */
    m->diag.fit.size = r->size;
    m->diag.fit.need = r->size == 0u ? 0u : RTM_ALIGN_UP(r->size, m->page);
    m->diag.fit.align = m->page;
    m->diag.fit.padding = m->diag.fit.need - r->size;
    m->diag.fit.regions = 1u;
    return e;
}

rtm_err_t rtm_hmpu_add(rtm_hmpu_t *m, rtm_task_t *t, const rtm_mpu_range_t *ranges, size_t n)
{
    if (m == NULL || t == NULL || (ranges == NULL && n > 0u)) {
        return RTM_ERR_NULL;
    }
    if (m->ntasks >= RTM_HMPU_MAX_TASKS) {
        return RTM_ERR_NO_MEMORY;
    }
    for (size_t i = 0; i < n; i++) {
        const rtm_mpu_range_t *r = &ranges[i];
        if (r->size == 0u) {
            return refuse(m, r, i, RTM_ERR_ARG, RULE_EMPTY);
        }
        if ((r->access & (RTM_MPU_W | RTM_MPU_X)) != 0u && (r->access & RTM_MPU_R) == 0u) {
            return refuse(m, r, i, RTM_ERR_UNEXPRESSIBLE, RULE_RIGHTS);
        }
        if (r->base % m->page != 0u || r->size % m->page != 0u) {
            return refuse(m, r, i, RTM_ERR_UNEXPRESSIBLE, RULE_PAGE);
        }
    }
    rtm_hmpu_task_t *e = &m->tasks[m->ntasks++];
    e->task = t;
    e->ranges = ranges;
    e->n = n;
    t->ext = e;
    for (size_t i = 0; i < n; i++) {
        protect(m, &ranges[i], PROT_NONE);
    }
    return RTM_OK;
}

rtm_err_t rtm_hmpu_stack_range(const rtm_stack_t *s, const char *name, rtm_mpu_range_t *out)
{
    if (s == NULL || out == NULL) {
        return RTM_ERR_NULL;
    }
    uintptr_t lo = (uintptr_t)s->base, hi = lo + s->size, glo, ghi;
    if (rtm_stack_guard(s, &glo, &ghi) == RTM_OK) {
        if (glo == lo) {
            lo = ghi; /* grows down: the guard is at the base */
        } else {
            hi = glo;
        }
    }
    rtm_mpu_range_t r = RTM_MPU_STACK(lo, (size_t)(hi - lo), name);
    *out = r;
    return RTM_OK;
}

void rtm_hmpu_install(rtm_hmpu_t *m, rtm_rt_fault_fn chain, void *chain_user)
{
    m->chain = chain;
    m->chain_user = chain_user;
    rtm_rt_set_switch_hook(rtm_hmpu_switch, m);
    rtm_rt_set_fault_hook(rtm_hmpu_on_fault, m);
}

/* Whether task entry e lists exactly this range (a shared one): then a switch
 * between two tasks that both have it leaves it alone. */
static bool lists(const rtm_hmpu_task_t *e, const rtm_mpu_range_t *r)
{
    for (size_t i = 0; e != NULL && i < e->n; i++) {
        if (e->ranges[i].base == r->base && e->ranges[i].size == r->size &&
            e->ranges[i].access == r->access) {
            return true;
        }
    }
    return false;
}

void rtm_hmpu_release(rtm_hmpu_t *m)
{
    for (size_t k = 0; k < m->ntasks; k++) {
        for (size_t i = 0; i < m->tasks[k].n; i++) {
            protect(m, &m->tasks[k].ranges[i], prot_of(&m->tasks[k].ranges[i], 0));
        }
    }
}

void rtm_hmpu_switch(void *user, rtm_task_t *from, rtm_task_t *to)
{
    rtm_hmpu_t *m = user;
    if (to == NULL) {
        rtm_hmpu_release(m);
        return;
    }
    const rtm_hmpu_task_t *f = from != NULL ? from->ext : NULL, *t = to->ext;
    if (from == to) {
        return;
    }
    for (size_t i = 0; f != NULL && i < f->n; i++) {
        if (!lists(t, &f->ranges[i])) {
            protect(m, &f->ranges[i], PROT_NONE);
        }
    }
    for (size_t i = 0; t != NULL && i < t->n; i++) {
        if (!lists(f, &t->ranges[i]) || from == NULL) {
            protect(m, &t->ranges[i], prot_of(&t->ranges[i], 1));
        }
    }
}

void rtm_hmpu_on_fault(void *user, const rtm_rt_fault_t *f)
{
    rtm_hmpu_t *m = user;
    m->faults++;
    if (m->nrecords < RTM_HMPU_MAX_RECORDS) {
        rtm_hmpu_record_t *r = &m->records[m->nrecords++];
        uintptr_t a = (uintptr_t)f->addr;
        r->task = f->task != NULL ? f->task->name : "?";
        r->addr = a;
        r->status = f->status;
        r->err = f->err;
        r->owner = NULL;
        r->range = "(no region)";
        r->priv = 0;
        for (size_t k = 0; k < m->ntasks; k++) {
            for (size_t i = 0; i < m->tasks[k].n; i++) {
                const rtm_mpu_range_t *g = &m->tasks[k].ranges[i];
                if (a >= g->base && a - g->base < g->size) {
                    r->owner = m->tasks[k].task->name;
                    r->range = g->name != NULL ? g->name : "?";
                    r->priv = (g->access & RTM_MPU_PRIV) != 0u;
                }
            }
        }
    }
    if (m->chain != NULL) {
        m->chain(m->chain_user, f);
    }
}
