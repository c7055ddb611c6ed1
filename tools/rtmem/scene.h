/*
 * The demo scene's facts: what rtmem-scene saw happen, the expectations it
 * checks, and the scene.tsv file that carries them to `rtmem demo`.
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

#include "rtmem/common.h"
#include "rtmem/stack.h"

#define NTASKS 6u
#define SCENE_MAX_FAULTS 32u

typedef struct scene_fault {
    char where[24];
    char what[96];
} scene_fault_t;

typedef struct scene {
    /* counters the tasks keep */
    unsigned sent, received, bad_samples, messages, bad_messages, log_entries, log_damaged;
    unsigned deep_levels;
    bool deep_returned, intruder_tried, intruder_wrote;
    /* faults reported by hooks (allocators, stacks, the runtime) */
    scene_fault_t faults[SCENE_MAX_FAULTS];
    size_t nfaults;
    /* the expectations, checked at the end */
    unsigned expect_ok, expect_failed;
    FILE *tsv;
} scene_t;

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
