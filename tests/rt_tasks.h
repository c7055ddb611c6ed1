/*
 * The task runtime tests' tasks, one copy for the host test
 * (test_rt_host.c) and the Cortex-M one (target/target_rt.c): a recursion
 * whose frames are all of one size, and a victim that checks its data each
 * turn. Their sizes differ (a target has little RAM); define them before
 * including this, after rtm_rt.h:
 *   RT_PAD           bytes of each recursion frame's local array
 *   RT_FRAME_ROWS    rows of frame_at (tasks that record their frames)
 *   RT_FRAME_LEVELS  levels a row records
 *   RT_VICTIM_LOCAL  bytes of data in the victim's frame
 *   RT_VICTIM_WORK   loop trips a turn (long enough to be preempted)
 *   RT_VICTIM_BLOCK  bytes of its block (in its partition) it checks
 */
#ifndef RT_TASKS_H
#define RT_TASKS_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "rtm_rt.h"

#if !defined(RT_PAD) || !defined(RT_FRAME_ROWS) || !defined(RT_FRAME_LEVELS) || \
    !defined(RT_VICTIM_LOCAL) || !defined(RT_VICTIM_WORK) || !defined(RT_VICTIM_BLOCK)
#error "define the RT_ sizes before including rt_tasks.h"
#endif

/* ---- Recursion with frames of one size ------------------------------------ */

static uintptr_t frame_at[RT_FRAME_ROWS][RT_FRAME_LEVELS];
static volatile uint32_t spin;

typedef struct {
    int depth;       /* levels to go down */
    int slot;        /* frame_at row, or -1 */
    int bottom;      /* 0: depth levels, yield, return; 1: down to `stop`, spin; 2: down to `stop`, yield, return */
    uintptr_t stop;  /* bottom 1 and 2: recurse until a frame lies below this */
    uint32_t sum;
} dive_t;

__attribute__((noinline, noclone)) static uint32_t dive(dive_t *d, int level)
{
    volatile uint8_t pad[RT_PAD];
    for (int i = 0; i < RT_PAD; i++) {
        pad[i] = (uint8_t)(level + i);
    }
    if (d->slot >= 0 && level < RT_FRAME_LEVELS) {
        frame_at[d->slot][level] = (uintptr_t)pad;
    }
    bool deeper = d->bottom != 0 ? (uintptr_t)pad >= d->stop : level < d->depth;
    if (deeper) {
        return dive(d, level + 1) + pad[level % RT_PAD];
    }
    if (d->bottom == 1) {
        for (;;) {
            spin++; /* the timer switches away; the check stops this task */
        }
    }
    rtm_rt_yield();
    return pad[0];
}

static void dive_task(void *arg)
{
    dive_t *d = arg;
    d->sum = dive(d, 0);
}

/* ---- A victim: data in its frame and in a partition, checked each turn ---- */

typedef struct {
    uint8_t *block;   /* in its partition: RT_VICTIM_BLOCK bytes of 0xE7 */
    int turns;
    bool intact;
    bool done;
    uint32_t work;
} victim_t;

static void victim_task(void *arg)
{
    victim_t *v = arg;
    uint8_t local[RT_VICTIM_LOCAL];
    memset(local, 0x5C, sizeof local);
    v->intact = true;
    for (int t = 0; t < v->turns; t++) {
        for (uint32_t i = 0; i < RT_VICTIM_WORK; i++) {
            v->work += i;
        }
        for (size_t i = 0; i < sizeof local; i++) {
            v->intact = v->intact && local[i] == 0x5C;
        }
        for (size_t i = 0; i < RT_VICTIM_BLOCK; i++) {
            v->intact = v->intact && v->block[i] == 0xE7;
        }
        rtm_rt_yield();
    }
    v->done = true;
}

#endif /* RT_TASKS_H */
