/*
 * Host enforcement of rtm_mpu maps: page protection (mprotect) switched at
 * every context switch of the host task runtime (runtime/rtm_rt.h), so that
 * only the running task's ranges are accessible while it runs.
 *
 * The page mapping: a range maps to the pages [base, base + size), which must
 * be whole pages (base and size multiples of the page size, 4 KiB on x86-64
 * Linux); a range that is not is RTM_ERR_UNEXPRESSIBLE, never widened to its
 * pages, exactly as the planner refuses an inexpressible MPU region. Rights:
 * R -> PROT_READ, W -> PROT_READ | PROT_WRITE, X -> PROT_EXEC; W or X
 * without R is refused (the MPU has no such access). While a task runs, every
 * range of every other task is PROT_NONE, and so are privileged-only ranges
 * (RTM_MPU_PRIV) of any task; when the runtime returns (no task left) every
 * range gets its rights back, privileged ones read-write, so the caller can
 * check and reuse the memory. Memory in no task's map is left alone: a host
 * process cannot be made unprivileged, so only what the maps name is guarded.
 *
 * A touch of a guarded page raises SIGSEGV; the runtime's handler runs on the
 * task's own signal stack (sigaltstack) and calls rtm_rt_fault(), whose
 * fault hook this module supplies: it writes a MemManage-like record (task,
 * address, si_code as status, the task and range that own the address) and
 * the runtime stops the task; the others run on.
 *
 * Host only (POSIX): never in src/. Not thread-safe: one runtime per process.
 */
#ifndef RTMEM_MPU_HOST_H
#define RTMEM_MPU_HOST_H

#include "rtm_rt.h"
#include "rtmem/mpu.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RTM_HMPU_MAX_TASKS 16u
#define RTM_HMPU_MAX_RECORDS 16u

/* One task's map as enforced on the host. */
typedef struct rtm_hmpu_task {
    rtm_task_t *task;
    const rtm_mpu_range_t *ranges; /* the caller's; must outlive the runtime's run */
    size_t n;
} rtm_hmpu_task_t;

/* The MemManage-like record of one fault. */
typedef struct rtm_hmpu_record {
    const char *task;   /* the task that faulted (and was stopped) */
    uintptr_t addr;     /* the faulting address (MMFAR's counterpart) */
    uint32_t status;    /* si_code: SEGV_ACCERR for a guarded page (MMFSR's counterpart) */
    rtm_err_t err;      /* what the runtime reported (RTM_ERR_ACCESS, ...) */
    const char *owner;  /* the task whose range holds addr, NULL if none */
    const char *range;  /* that range's name, "(no region)" if none */
    int priv;           /* the range hit is privileged only */
} rtm_hmpu_record_t;

typedef struct rtm_hmpu {
    size_t page;
    rtm_hmpu_task_t tasks[RTM_HMPU_MAX_TASKS];
    size_t ntasks;
    rtm_hmpu_record_t records[RTM_HMPU_MAX_RECORDS];
    size_t nrecords;      /* records kept (at most RTM_HMPU_MAX_RECORDS) */
    size_t faults;        /* faults seen */
    size_t protects;      /* mprotect calls made */
    int protect_errors;   /* mprotect calls that failed */
    rtm_rt_fault_fn chain; /* called after the record (may be NULL) */
    void *chain_user;
    rtm_mpu_diag_t diag;  /* why the last rtm_hmpu_add() refused a range */
} rtm_hmpu_t;

/* Reset `m` (no tasks, no records), page size from the system. O(1).
 * NULL -> RTM_ERR_NULL. */
rtm_err_t rtm_hmpu_init(rtm_hmpu_t *m);

/* Enforce `ranges[0..n)` for task `t` (already created): t->ext points at its
 * entry, and its ranges are made PROT_NONE now (it is not running). O(n)
 * mprotect calls. NULL m/t (or ranges with n > 0) -> RTM_ERR_NULL; more than
 * RTM_HMPU_MAX_TASKS tasks -> RTM_ERR_NO_MEMORY; a range that is not whole
 * pages, W or X without R, or size 0 -> RTM_ERR_UNEXPRESSIBLE / RTM_ERR_ARG
 * with m->diag naming the range and the rule; nothing is protected then. */
rtm_err_t rtm_hmpu_add(rtm_hmpu_t *m, rtm_task_t *t, const rtm_mpu_range_t *ranges, size_t n);

/* The range of a stack's memory without its guard (the pages the task may
 * use), read-write, named `name`. O(1). NULL -> RTM_ERR_NULL. */
rtm_err_t rtm_hmpu_stack_range(const rtm_stack_t *s, const char *name, rtm_mpu_range_t *out);

/* Install the switch and fault hooks in the runtime; the fault hook that was
 * there is replaced, `chain` (may be NULL) is called after each record. O(1). */
void rtm_hmpu_install(rtm_hmpu_t *m, rtm_rt_fault_fn chain, void *chain_user);

/* The switch hook: `from`'s ranges PROT_NONE, `to`'s given their rights
 * (privileged ones stay PROT_NONE); to == NULL gives every range its rights
 * back. O(ranges of from and to) mprotect calls. */
void rtm_hmpu_switch(void *user, rtm_task_t *from, rtm_task_t *to);

/* The fault hook: a record of the fault (async-signal-safe: no allocation, no
 * I/O), then `chain`. O(all ranges). */
void rtm_hmpu_on_fault(void *user, const rtm_rt_fault_t *f);

/* Every range its rights back (what to == NULL does). O(all ranges). */
void rtm_hmpu_release(rtm_hmpu_t *m);

#ifdef __cplusplus
}
#endif

#endif /* RTMEM_MPU_HOST_H */
