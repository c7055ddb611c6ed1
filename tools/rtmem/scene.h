/*
 * The demo scene: its application (scene_app.c, shared by the host's
 * rtmem-scene and the emulated Cortex-M4's target_demo), the facts it saw
 * happen, the expectations it checks, and the scene.tsv lines that carry
 * them to the report (demo_facts.c).
 *
 * scene.tsv: one fact a line, tab-separated, the kind first:
 *   task   NAME STACK_BYTES USED_MAX ADVISED STATE [METHOD]
 *   heap   NAME TOTAL FREE MIN_EVER LARGEST FREE_BLOCKS USED_BLOCKS FAULTS
 *   pool   NAME CAPACITY USED PEAK BLOCK_SIZE FAULTS
 *   owner  NAME LIVE PEAK ALLOCS FAILS QUOTA_BYTES (0 = no quota)
 *   leak   OWNER FILE:LINE COUNT BYTES
 *   fault  WHERE WHAT
 *   expect ok|FAIL WHAT
 */
#ifndef RTM_TOOL_SCENE_H
#define RTM_TOOL_SCENE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "rtm_rt.h"
#include "rtmem/common.h"
#include "rtmem/hooks.h"
#include "rtmem/stack.h"

#define NTASKS 6u
#define SCENE_MAX_FAULTS 32u
/* How method 3 is named: a guard page on the host, an MPU region on Cortex-M
 * (the target build defines it). */
#ifndef SCENE_GUARD
#define SCENE_GUARD "guard page"
#endif

/* The owners (task i runs as owner i + 1). */
enum { O_SENSOR = 1, O_PROC, O_NET, O_LOGGER, O_DEEP, O_INTRUDER, NOWNERS };
enum { SCENE_DEEP = O_DEEP - 1, SCENE_INTRUDER = O_INTRUDER - 1, SCENE_LOGGER = O_LOGGER - 1 };

/* What an unprivileged task may touch besides its own stack (on Cortex-M
 * one shared MPU region): the logger publishes its newest entry there, the
 * stray pointer the intruder follows, and the intruder says how far it got. */
typedef struct scene_shared {
    char *volatile victim; /* the logger's newest entry */
    char *volatile tried;  /* where the intruder wrote (NULL: it did not try) */
    volatile uint32_t wrote;
} scene_shared_t;

/* The memory a platform lays out for its protection, and its trace sink. */
typedef struct scene_layout {
    uint8_t *stack[NTASKS];
    size_t stack_bytes[NTASKS];
    size_t guard_bytes;   /* method 3's guard at each stack's low end */
    uint8_t *log_mem;     /* the logger's partition */
    size_t log_bytes;
    scene_shared_t *shared;
    rtm_observer_fn trace; /* called for every allocation event */
    void *trace_user;
    bool quick;           /* fewer rounds */
} scene_layout_t;

typedef struct scene_fault {
    char where[24];
    char what[96];
} scene_fault_t;

typedef struct scene {
    /* counters the tasks keep */
    unsigned sent, received, bad_samples, messages, bad_messages, log_entries, log_damaged;
    unsigned deep_levels;
    bool deep_returned;
    /* faults reported by hooks (allocators, stacks, the runtime) */
    scene_fault_t faults[SCENE_MAX_FAULTS];
    size_t nfaults;
    /* the expectations, checked at the end */
    unsigned expect_ok, expect_failed;
    FILE *tsv;
} scene_t;

/* The one scene's facts (scene_app.c); the platform sets its tsv. */
scene_t *scene_get(void);

/* The allocators, queue, leak table and observers over `l` (copied). 0 = ok;
 * else the failed call was said. */
int scene_setup(const scene_layout_t *l);
/* rtm_rt_init, then the six tasks on their stacks (bit i of `unpriv`: task i
 * runs unprivileged). 0 = ok. */
int scene_start(uint16_t unpriv);
rtm_task_t *scene_task(size_t i);
rtm_stack_t *scene_stack(size_t i);
/* The runtime's fault hook (chained by the platform's protection). */
void scene_on_rt_fault(void *user, const rtm_rt_fault_t *f);
/* After rtm_rt_run: the expectations, the leak report, the stray write. */
void scene_check(void);
/* The report's rows (task, heap, pool, owner, fault lines of scene.tsv). */
void scene_report(void);

/* "[scene] ..." on stdout. */
void scene_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Record a fault raised by an allocator, a stack or a partition (fault hook).
 * Async-signal-safe enough for the runtime's fault path: no allocation. */
void scene_fault(scene_t *s, const char *where, rtm_err_t why);
/* Record a task stopped by the runtime: overflow (with the method) or access. */
void scene_task_fault(scene_t *s, const char *task, rtm_err_t err, rtm_stack_method_t method,
                      const void *addr);
/* Number of recorded faults whose text contains `needle`. */
size_t scene_faults_with(const scene_t *s, const char *needle);

/* Check one expectation: prints it, writes an "expect" line, counts it. */
bool scene_expect(scene_t *s, bool ok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A line of scene.tsv (fields tab-separated; the format's kinds above). */
void scene_tsv(scene_t *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

const char *scene_method_name(rtm_stack_method_t m);

#endif
