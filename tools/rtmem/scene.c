/*
 * rtmem-scene: the demo's application (scene_app.c) on the host task runtime,
 * with the library built as firmware would build it for debugging (events on
 * for leak tracking and the trace, hardening on). Here each task's stack and
 * the logger's partition are page-aligned so that runtime/host/mpu_host.c
 * can make another task's memory PROT_NONE while a task runs, the guard is a
 * page, and the trace is written as TRACE.md text. The scene writes what
 * happened to OUT/scene.tsv, one fact a line, for the report `rtmem demo`
 * prints and draws, and exits 1 if anything did not behave as it should.
 * tests/target/target_demo.c runs the same scene on the emulated Cortex-M4.
 *
 * usage: rtmem-scene OUT_DIR [--quick]
 */
#define _GNU_SOURCE 1
#include <stdio.h>
#include <string.h>

#include "decode.h"
#include "mpu_host.h"
#include "rtm_rt.h"
#include "scene.h"

#define PAGE 4096u
#define STACK_BYTES (48u * 1024u)
#define DEEP_STACK (32u * 1024u)
#define LOG_PART (8u * 1024u)

static _Alignas(PAGE) uint8_t stacks[NTASKS][STACK_BYTES];
static _Alignas(PAGE) uint8_t log_mem[LOG_PART];
static scene_shared_t shared; /* in no task's map: every task may touch it */
static trace_writer_t tracer;
static rtm_hmpu_t prot;
static rtm_mpu_range_t ranges[NTASKS][2];

static const char *const names[NTASKS] = { "sensor", "proc", "net", "logger", "deep", "intruder" };

/* Each task may touch its own stack (and the logger its partition) and the
 * shared objects, which lie in no task's map; everything else of another
 * task is PROT_NONE while it runs. */
static int protect(size_t i)
{
    size_t n = 1;
    if (rtm_hmpu_stack_range(scene_stack(i), names[i], &ranges[i][0]) != RTM_OK) {
        return 1;
    }
    if (i == SCENE_LOGGER) {
        ranges[i][1] = ranges[i][0];
        ranges[i][1].base = (uintptr_t)log_mem;
        ranges[i][1].size = sizeof log_mem;
        ranges[i][1].name = "logger partition";
        n = 2;
    }
    rtm_err_t e = rtm_hmpu_add(&prot, scene_task(i), ranges[i], n);
    if (e != RTM_OK) {
        scene_say("protection refused task %s's map: %s", names[i], rtm_err_str(e));
    }
    return e != RTM_OK;
}

static int start_tasks(void)
{
    if (scene_start(0u) != 0 || rtm_hmpu_init(&prot) != RTM_OK) {
        return 1;
    }
    rtm_hmpu_install(&prot, scene_on_rt_fault, NULL);
    for (size_t i = 0; i < NTASKS; i++) {
        if (protect(i) != 0) {
            return 1;
        }
    }
    return 0;
}

static int setup(FILE *trace, bool quick)
{
    scene_layout_t l = { .guard_bytes = PAGE, .log_mem = log_mem, .log_bytes = sizeof log_mem,
                         .shared = &shared, .trace = trace_writer_observer, .trace_user = &tracer,
                         .quick = quick };
    for (size_t i = 0; i < NTASKS; i++) {
        l.stack[i] = stacks[i];
        l.stack_bytes[i] = i == SCENE_DEEP ? DEEP_STACK : STACK_BYTES;
    }
    if (trace_writer_open(&tracer, trace) != 0) {
        scene_say("set-up: trace_writer_open failed");
        return 1;
    }
    return scene_setup(&l);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: rtmem-scene OUT_DIR [--quick]\n");
        return 2;
    }
    scene_t *sc = scene_get();
    bool quick = argc > 2 && strcmp(argv[2], "--quick") == 0;
    char path[4096];
    (void)snprintf(path, sizeof path, "%s/scene.trace", argv[1]);
    FILE *trace = fopen(path, "w");
    (void)snprintf(path, sizeof path, "%s/scene.tsv", argv[1]);
    sc->tsv = fopen(path, "w");
    if (!trace || !sc->tsv || setup(trace, quick) != 0 || start_tasks() != 0) {
        fprintf(stderr, "rtmem-scene: set-up failed (%s)\n", argv[1]);
        return 1;
    }
    scene_say("6 tasks on their own stacks (guard page, canary, SP check), preempted every 2 ms");
    rtm_rt_run(2000u);
    rtm_hmpu_release(&prot);
    scene_say("all tasks ended after %u switches; %zu protection faults recorded",
              rtm_rt_switch_count(), prot.nrecords);
    for (size_t i = 0; i < prot.nrecords; i++) {
        const rtm_hmpu_record_t *r = &prot.records[i];
        scene_say("protection: task %s touched %#lx in %s's %s: stopped", r->task,
                  (unsigned long)r->addr, r->owner ? r->owner : "nobody", r->range);
    }
    scene_check();
    rtm_observer_set(NULL, NULL);
    trace_writer_close(&tracer);
    scene_report();
    fclose(trace);
    fclose(sc->tsv);
    for (size_t i = 0; i < NTASKS; i++) { /* guard pages off: the memory is plain again */
        (void)rtm_task_delete(scene_task(i));
    }
    scene_say("%u expectations met, %u not", sc->expect_ok, sc->expect_failed);
    return sc->expect_failed ? 1 : 0;
}
