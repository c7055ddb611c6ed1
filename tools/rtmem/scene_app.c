/*
 * The demo scene's application, shared by the host (tools/rtmem/scene.c, on
 * runtime/host) and the emulated Cortex-M4 (tests/target/target_demo.c, on
 * runtime/cortex_m with the real MPU): the tasks, the allocators they use,
 * the expectations and the report rows (see scene.h). Each platform lays out
 * the memory its protection needs (scene_layout_t), protects the tasks,
 * records the trace and runs the scheduler; everything else is here, so
 * both runs are the same scene.
 *
 *   sensor   samples into pool blocks, their pointers through a static queue
 *   proc     receives them, checks and frees them; scratch from a quota
 *   net      variable-sized messages on the shared tlsf heap, under a quota
 *   logger   its own partition (heap_4 inside); one call site leaks
 *   deep     recurses past its stack: the guard catches it
 *   intruder writes into the logger's partition: the protection stops it
 *
 * Freestanding enough for newlib: stdio only for snprintf and the facts.
 */
#include <stdio.h>
#include <string.h>

#include "rtm_rt.h"
#include "rtmem/alloc.h"
#include "rtmem/heap4.h"
#include "rtmem/leak.h"
#include "rtmem/observe.h"
#include "rtmem/partition.h"
#include "rtmem/pool.h"
#include "rtmem/port.h"
#include "rtmem/queue.h"
#include "rtmem/stack.h"
#include "rtmem/tlsf.h"
#include "scene.h"

#define SHARED_HEAP (24u * 1024u)
/* Sizes printed as unsigned long: newlib as Debian builds it has no %zu. */
#define ZU(x) ((unsigned long)(x))
#define SAMPLES 12u

static const char *const owner_names[NOWNERS] = { "-", "sensor", "proc", "net", "logger", "deep",
                                                  "intruder" };

/* ---- Static storage: every object of the scene is declared at compile time
 * (the stacks and the logger's partition are the platform's: scene_layout_t) */

static _Alignas(8) uint8_t shared_mem[SHARED_HEAP];
static _Alignas(8) uint8_t stray_mem[2048];
static _Alignas(8) uint8_t queue_mem[8u * sizeof(void *)];

static rtm_tlsf_t shared_heap, stray_heap;
static rtm_heap4_t log_heap;
static rtm_partition_t log_part;
static rtm_quota_t quota;
static rtm_quota_owner_t quota_rows[4];
static rtm_pool_t pool;
static rtm_queue_t queue;
static rtm_stack_t stack_of[NTASKS];
static rtm_task_t task_of[NTASKS];
static rtm_leak_t leaks;
static rtm_leak_entry_t leak_tab[512];
static rtm_owner_stats_t owner_stats[NOWNERS];
static rtm_fanout_t fan;
static scene_layout_t lay;

static scene_t sc; /* what happened */

/* ---- Helpers ---------------------------------------------------------------- */

/* Allocator state is shared by preemptible tasks: the port's critical
 * section (the host's blocks SIGVTALRM, Cortex-M's masks interrupts) around
 * each call and its observers. */
#define CRIT(stmt)         \
    do {                   \
        rtm_port_enter();  \
        stmt;              \
        rtm_port_exit();   \
    } while (0)

static void count_fault(void *user, rtm_err_t why, const void *obj, const void *ptr)
{
    (void)obj;
    (void)ptr;
    scene_fault(&sc, (const char *)user, why);
}

static uint32_t sum32(const uint32_t *v, size_t n)
{
    uint32_t s = 0x9e3779b9u;
    for (size_t i = 0; i < n; i++) {
        s = (s ^ v[i]) * 16777619u;
    }
    return s;
}

/* ---- The tasks ------------------------------------------------------------------ */

typedef struct sample {
    uint32_t seq;
    uint32_t v[SAMPLES];
    uint32_t sum;
} sample_t;

RTM_POOL_STORAGE(static, pool_mem, sample_t, 16); /* 16 samples in flight at most */

static void sensor(void *arg)
{
    (void)arg;
    unsigned n = lay.quick ? 200u : 2000u;
    for (uint32_t i = 0; i < n;) {
        sample_t *s;
        CRIT(s = rtm_pool_alloc(&pool));
        if (!s) {
            rtm_rt_yield(); /* every block is in flight: let proc catch up */
            continue;
        }
        s->seq = i;
        for (uint32_t k = 0; k < SAMPLES; k++) {
            s->v[k] = i * 31u + k * k;
        }
        s->sum = sum32(s->v, SAMPLES);
        rtm_err_t e;
        CRIT(e = rtm_queue_send(&queue, &s, 0));
        if (e != RTM_OK) {
            CRIT((void)rtm_pool_free(&pool, s));
            rtm_rt_yield();
            continue;
        }
        sc.sent++;
        i++;
        if (i % 8u == 0u) {
            rtm_rt_yield();
        }
    }
}

static void proc(void *arg)
{
    (void)arg;
    unsigned n = lay.quick ? 200u : 2000u;
    void *scratch = NULL;
    while (sc.received + sc.bad_samples < n) {
        sample_t *s = NULL;
        rtm_err_t e;
        CRIT(e = rtm_queue_receive(&queue, &s, 0));
        if (e != RTM_OK) {
            rtm_rt_yield();
            continue;
        }
        if (s->sum != sum32(s->v, SAMPLES) || s->seq != sc.received + sc.bad_samples) {
            sc.bad_samples++;
        } else {
            sc.received++;
        }
        if (s->seq % 10u == 0u) { /* a result buffer on the shared heap, under proc's quota */
            CRIT((void)rtm_quota_free(&quota, scratch); scratch = NULL;
                 (void)rtm_quota_alloc_current(&quota, 96u + (s->seq % 7u) * 16u, &scratch));
        }
        CRIT((void)rtm_pool_free(&pool, s));
    }
    CRIT((void)rtm_quota_free(&quota, scratch));
}

static void net(void *arg)
{
    (void)arg;
    void *msg[12] = { 0 };
    size_t len[12] = { 0 };
    uint32_t rng = 12345u;
    unsigned rounds = lay.quick ? 600u : 6000u;
    for (unsigned r = 0; r < rounds; r++) {
        unsigned k = r % 12u;
        if (msg[k]) {
            const uint8_t *b = msg[k];
            for (size_t i = 0; i < len[k]; i++) {
                if (b[i] != (uint8_t)(k + i)) {
                    sc.bad_messages++;
                    break;
                }
            }
            CRIT((void)rtm_quota_free(&quota, msg[k]));
            msg[k] = NULL;
        }
        rng = rng * 1103515245u + 12345u;
        size_t n = 24u + (rng >> 16) % 700u;
        rtm_err_t e;
        CRIT(e = rtm_quota_alloc_current(&quota, n, &msg[k]));
        if (e == RTM_OK) {
            memset(msg[k], 0, n);
            for (size_t i = 0; i < n; i++) {
                ((uint8_t *)msg[k])[i] = (uint8_t)(k + i);
            }
            len[k] = n;
            sc.messages++;
        } else {
            msg[k] = NULL;
        }
        if (r % 16u == 0u) {
            rtm_rt_yield();
        }
    }
    for (unsigned k = 0; k < 12u; k++) {
        CRIT((void)rtm_quota_free(&quota, msg[k]));
    }
}

/* The logger keeps its last 16 entries; one call site (the "slow path" of
 * a formatter) forgets to free what it made: the leak the report names. */
static char *log_ring[16];
static uint32_t log_sums[16];

static char *log_entry(unsigned i)
{
    char *e;
    CRIT(e = RTM_ALLOC_AT(rtm_partition_alloc(&log_part, 48u)));
    if (e) {
        (void)snprintf(e, 48u, "entry %u: queue %u, pool %lu used", i, sc.received,
                       ZU(rtm_pool_used(&pool)));
    }
    return e;
}

static void leaky_formatter(unsigned i)
{
    char *tmp;
    CRIT(tmp = RTM_ALLOC_AT(rtm_partition_alloc(&log_part, 40u)));
    if (tmp) {
        (void)snprintf(tmp, 40u, "slow path %u", i);
    } /* never freed */
}

static void logger(void *arg)
{
    (void)arg;
    unsigned n = lay.quick ? 150u : 400u;
    for (unsigned i = 0; i < n; i++) {
        unsigned k = i % 16u;
        CRIT((void)rtm_partition_free(&log_part, log_ring[k]));
        log_ring[k] = log_entry(i);
        log_sums[k] = log_ring[k] ? sum32((const uint32_t *)(void *)log_ring[k], 12u) : 0u;
        lay.shared->victim = log_ring[k]; /* the newest entry, where others can see it */
        if (i % 25u == 24u) {
            leaky_formatter(i);
        }
        sc.log_entries++;
        rtm_rt_yield();
    }
    for (unsigned k = 0; k < 16u; k++) { /* the victim's data, checked at the end */
        if (log_ring[k] && log_sums[k] != sum32((const uint32_t *)(void *)log_ring[k], 12u)) {
            sc.log_damaged++;
        }
        CRIT((void)rtm_partition_free(&log_part, log_ring[k]));
        log_ring[k] = NULL;
    }
}

/* Recursion with a frame of its own size, deeper than the stack allows
 * (the limit is far beyond any stack: only the guard stops it). */
static volatile uint32_t sink;
static volatile unsigned dive_limit = 1u << 20;
__attribute__((noinline)) static uint32_t dive(unsigned level)
{
    volatile uint8_t frame[480];
    frame[0] = (uint8_t)level;
    frame[sizeof frame - 1u] = (uint8_t)(level >> 8);
    sc.deep_levels = level;
    if (level % 8u == 0u) {
        rtm_rt_yield();
    }
    return (level < dive_limit ? dive(level + 1u) : 0u) + frame[0] + frame[sizeof frame - 1u];
}

static void deep(void *arg)
{
    (void)arg;
    sink = dive(1u);
    sc.deep_returned = true; /* never: the guard stops it first */
}

/* Unprivileged on Cortex-M: it touches only its stack and the shared area,
 * which it is given as its argument. */
static void intruder(void *arg)
{
    scene_shared_t *mb = arg;
    for (int i = 0; i < 20; i++) {
        rtm_rt_yield();
    }
    /* A stray pointer into another task's partition: the logger's entry. */
    char *victim = mb->victim;
    mb->tried = victim;
    if (victim) {
        memcpy(victim, "OWNED BY INTRUDER", 17); /* the protection stops this write */
        mb->wrote = 1u;
    }
}

/* ---- Set-up, run, checks ---------------------------------------------------------------- */

static const struct {
    const char *name;
    rtm_task_fn fn;
    rtm_owner_t owner;
} plan[NTASKS] = {
    { "sensor", sensor, O_SENSOR }, { "proc", proc, O_PROC },   { "net", net, O_NET },
    { "logger", logger, O_LOGGER }, { "deep", deep, O_DEEP },   { "intruder", intruder, O_INTRUDER },
};

void scene_on_rt_fault(void *user, const rtm_rt_fault_t *f)
{
    (void)user;
    scene_task_fault(&sc, f->task ? f->task->name : "?", f->err, f->method, f->addr);
}

static void observe(void *user, rtm_ev_kind_t kind, const void *obj, const void *ptr,
                    const void *old, size_t size)
{
    rtm_port_enter(); /* the tables are shared by every task */
    rtm_fanout_observer(user, kind, obj, ptr, old, size);
    rtm_port_exit();
}

/* One set-up call: says which one failed, and why. */
static int step(int got, int ok, const char *what)
{
    if (got != ok) {
        scene_say("set-up: %s failed (%s)", what, got < 0 ? rtm_err_str((rtm_err_t)got) : "error");
    }
    return got != ok;
}

int scene_setup(const scene_layout_t *l)
{
    int bad = 0;
    lay = *l;
    bad |= step(rtm_tlsf_init(&shared_heap, shared_mem, sizeof shared_mem), RTM_OK, "rtm_tlsf_init");
    rtm_tlsf_set_fault_hook(&shared_heap, count_fault, "shared heap");
    rtm_alloc_t shared = rtm_alloc_bind(&rtm_alloc_tlsf, &shared_heap);
    bad |= step(rtm_quota_init(&quota, &shared, quota_rows, 4, count_fault, "quota"), RTM_OK, "rtm_quota_init");
    rtm_quota_set_range(&quota, shared_mem, shared_mem + sizeof shared_mem);
    bad |= step(rtm_quota_set(&quota, O_NET, 4096u, 12u), RTM_OK, "rtm_quota_set");
    bad |= step(rtm_quota_set(&quota, O_PROC, 512u, 2u), RTM_OK, "rtm_quota_set");
    rtm_partition_cfg_t pc = { "logger", O_LOGGER, &rtm_alloc_heap4, &log_heap, 0, count_fault,
                               "logger partition" };
    bad |= step(rtm_partition_init(&log_part, lay.log_mem, lay.log_bytes, &pc), RTM_OK, "rtm_partition_init");
    bad |= step(RTM_POOL_INIT_FOR(&pool, pool_mem, sample_t, RTM_POOL_DEFAULT), RTM_OK,
                "rtm_pool_init");
    rtm_pool_set_fault_hook(&pool, count_fault, "sample pool");
    bad |= step(rtm_queue_init(&queue, sizeof(void *), 8u, queue_mem, sizeof queue_mem), RTM_OK, "rtm_queue_init");
    bad |= step(rtm_leak_init(&leaks, leak_tab, 512u, owner_stats, NOWNERS), RTM_OK, "rtm_leak_init");
    rtm_fanout_init(&fan);
    bad |= step(rtm_fanout_add(&fan, rtm_leak_observer, &leaks), RTM_OK, "rtm_fanout_add");
    bad |= step(rtm_fanout_add(&fan, lay.trace, lay.trace_user), RTM_OK, "rtm_fanout_add");
    bad |= step(rtm_observer_set(observe, &fan), RTM_OK, "rtm_observer_set");
    rtm_leak_checkpoint(&leaks);
    return bad;
}

static rtm_partition_t *const logger_parts[1] = { &log_part };

int scene_start(uint16_t unpriv)
{
    rtm_rt_init();
    for (size_t i = 0; i < NTASKS; i++) {
        rtm_stack_cfg_t c = { plan[i].name, &task_of[i],
                              RTM_STACK_M_SP | RTM_STACK_M_CANARY | RTM_STACK_M_GUARD, 0u,
                              lay.guard_bytes, count_fault, "stack" };
        bool lg = plan[i].owner == O_LOGGER;
        uint16_t flags = (unpriv & (1u << i)) != 0u ? RTM_TASK_UNPRIV : 0u;
        rtm_task_cfg_t t = { plan[i].name, plan[i].fn, lay.shared, &stack_of[i],
                             lg ? logger_parts : NULL, lg ? 1u : 0u, &quota, plan[i].owner, flags };
        if (rtm_stack_init(&stack_of[i], lay.stack[i], lay.stack_bytes[i], &c) != RTM_OK ||
            rtm_task_create(&task_of[i], &t) != RTM_OK) {
            scene_say("could not create task %s", plan[i].name);
            return 1;
        }
    }
    return 0;
}

scene_t *scene_get(void)
{
    return &sc;
}

rtm_task_t *scene_task(size_t i)
{
    return &task_of[i];
}

rtm_stack_t *scene_stack(size_t i)
{
    return &stack_of[i];
}

/* ---- After the run ------------------------------------------------------------------ */

/* A deliberate overrun of 16 bytes past a block into its neighbour's header,
 * as a buggy module would write it (hidden from ASan: it is the point). */
__attribute__((no_sanitize("address"), noinline)) static void overrun(void *p, size_t n)
{
    memset(p, 0xEE, n + 16u);
}

static void stray_write(void)
{
    rtm_check_t ck;
    (void)rtm_tlsf_init(&stray_heap, stray_mem, sizeof stray_mem);
    rtm_tlsf_set_fault_hook(&stray_heap, count_fault, "message buffers");
    void *a = rtm_tlsf_alloc(&stray_heap, 40u), *b = rtm_tlsf_alloc(&stray_heap, 40u);
    size_t before = stray_heap.fault.count;
    overrun(a, rtm_tlsf_usable_size(&stray_heap, a));
    memset(&ck, 0, sizeof ck);
    rtm_err_t ce = rtm_tlsf_check(&stray_heap, &ck);
    rtm_err_t fe = rtm_tlsf_free(&stray_heap, a);
    scene_say("stray write: 16 bytes past a 40-byte block; check says \"%s\" (%s), free of the "
        "damaged block returns %s (its neighbour %p stays allocated)", ck.what ? ck.what : "?",
        rtm_err_str(ce), rtm_err_str(fe), b);
    scene_expect(&sc, ce != RTM_OK, "the heap check finds the overrun (%s)", rtm_err_str(ce));
    scene_expect(&sc, fe != RTM_OK && stray_heap.fault.count > before,
                 "the damaged block is refused with a fault, not followed (%s)", rtm_err_str(fe));
}

static void report_tasks(void)
{
    for (size_t i = 0; i < NTASKS; i++) {
        rtm_stack_advice_t adv;
        memset(&adv, 0, sizeof adv);
        (void)rtm_stack_advise(&stack_of[i], 25u, &adv);
        const char *st = task_of[i].state == RTM_TASK_DONE ? "done"
                         : task_of[i].state == RTM_TASK_FAULTED ? "stopped" : "other";
        scene_tsv(&sc, "task\t%s\t%lu\t%lu\t%lu\t%s\t%s", plan[i].name,
                  ZU(rtm_stack_usable(&stack_of[i])), ZU(rtm_stack_used_max(&stack_of[i])),
                  ZU(adv.advised_bytes), st, rtm_err_str(task_of[i].why));
    }
}

static void report_heap(const char *name, const rtm_alloc_t *a)
{
    rtm_stats_t st;
    memset(&st, 0, sizeof st);
    (void)rtm_alloc_stats(a, &st);
    scene_tsv(&sc, "heap\t%s\t%lu\t%lu\t%lu\t%lu\t%lu\t%lu\t%lu", name, ZU(st.total_bytes),
              ZU(st.free_bytes), ZU(st.min_ever_free), ZU(st.largest_free), ZU(st.free_blocks),
              ZU(st.used_blocks), ZU(st.faults));
}

static void report_owners(void)
{
    for (rtm_owner_t o = 1; o < NOWNERS; o++) {
        const rtm_owner_stats_t *os = rtm_leak_owner(&leaks, o);
        rtm_quota_owner_t q;
        size_t quota_bytes = rtm_quota_owner_stats(&quota, o, &q) == RTM_OK ? q.max_bytes : 0u;
        size_t fails = os ? os->fails : 0u;
        fails += quota_bytes ? q.over_quota : 0u;
        scene_tsv(&sc, "owner\t%s\t%lu\t%lu\t%lu\t%lu\t%lu", owner_names[o],
                  ZU(os ? os->live_bytes : 0u), ZU(quota_bytes ? q.use.peak_bytes : (os ? os->peak_bytes : 0u)),
                  ZU(os ? os->allocs : 0u), ZU(fails), ZU(quota_bytes));
    }
}

static size_t report_leaks(void)
{
    rtm_leak_group_t g[8];
    size_t total = 0, n = rtm_leak_report(&leaks, g, 8, &total);
    for (size_t i = 0; i < n; i++) {
        const char *f = g[i].file ? strrchr(g[i].file, '/') : NULL;
        scene_tsv(&sc, "leak\t%s\t%s:%u\t%lu\t%lu", g[i].owner < NOWNERS ? owner_names[g[i].owner] : "?",
                  f ? f + 1 : (g[i].file ? g[i].file : "(untagged)"), (unsigned)g[i].line, ZU(g[i].count), ZU(g[i].bytes));
        scene_say("leak: %s holds %lu blocks (%lu bytes) from %s:%u", g[i].owner < NOWNERS
            ? owner_names[g[i].owner] : "?", ZU(g[i].count), ZU(g[i].bytes), f ? f + 1 : "?", (unsigned)g[i].line);
    }
    return n == 1u && g[0].owner == O_LOGGER && g[0].file != NULL ? g[0].count : 0u;
}

static void check_scene(unsigned n_samples, unsigned n_log)
{
    scene_expect(&sc, sc.received == n_samples && sc.bad_samples == 0u,
                 "proc received all %u samples through the pool and the queue, intact (%u bad)",
                 sc.received, sc.bad_samples);
    scene_expect(&sc, rtm_pool_used(&pool) == 0u, "every pool block came back (%lu in use)",
                 ZU(rtm_pool_used(&pool)));
    scene_expect(&sc, sc.messages > 0u && sc.bad_messages == 0u,
                 "net built %u messages on the shared heap, none damaged", sc.messages);
    rtm_quota_owner_t q;
    (void)rtm_quota_owner_stats(&quota, O_NET, &q);
    scene_expect(&sc, q.over_quota > 0u && q.use.live_bytes == 0u,
                 "net's quota refused %lu allocations and the other owners were not affected",
                 ZU(q.over_quota));
    scene_expect(&sc, task_of[4].state == RTM_TASK_FAULTED && !sc.deep_returned &&
                          scene_faults_with(&sc, SCENE_GUARD) > 0u,
                 "deep overflowed its stack at level %u and the " SCENE_GUARD " caught it",
                 sc.deep_levels);
    scene_expect(&sc, task_of[5].state == RTM_TASK_FAULTED && lay.shared->tried != NULL && !lay.shared->wrote,
                 "intruder's write into the logger's partition was stopped by the protection "
                 "(state %u, tried %d, wrote %u)", task_of[5].state, lay.shared->tried != NULL,
                 (unsigned)lay.shared->wrote);
    scene_expect(&sc, sc.log_damaged == 0u && sc.log_entries == n_log,
                 "the logger ran to the end with its entries intact (%u damaged)", sc.log_damaged);
    for (size_t i = 0; i < 4u; i++) {
        scene_expect(&sc, task_of[i].state == RTM_TASK_DONE, "%s ran to completion", plan[i].name);
    }
    rtm_check_t ck;
    memset(&ck, 0, sizeof ck);
    scene_expect(&sc, rtm_quota_check(&quota, &ck) == RTM_OK && rtm_partition_check(&log_part, &ck) == RTM_OK,
                 "the shared heap, its quotas and the partition pass their checks");
}

/* The checks after the run (and the stray write, which the trace records). */
void scene_check(void)
{
    unsigned n_samples = lay.quick ? 200u : 2000u, n_log = lay.quick ? 150u : 400u;
    check_scene(n_samples, n_log);
    size_t leaked = report_leaks();
    scene_expect(&sc, leaked == n_log / 25u,
                 "the leak report names the logger and one call site: %lu blocks", ZU(leaked));
    stray_write();
}

void scene_report(void)
{
    report_tasks();
    rtm_alloc_t a = rtm_alloc_bind(&rtm_alloc_tlsf, &shared_heap);
    report_heap("shared (tlsf)", &a);
    report_heap("logger partition (heap_4)", &log_part.alloc);
    rtm_pool_stats_t ps;
    memset(&ps, 0, sizeof ps);
    (void)rtm_pool_stats(&pool, &ps);
    scene_tsv(&sc, "pool\tsamples\t%lu\t%lu\t%lu\t%lu\t%lu", ZU(rtm_pool_capacity(&pool)),
              ZU(rtm_pool_used(&pool)), ZU(ps.peak_used), ZU(rtm_pool_block_size(&pool)),
              ZU(ps.faults));
    report_owners();
    for (size_t i = 0; i < sc.nfaults; i++) {
        scene_tsv(&sc, "fault\t%s\t%s", sc.faults[i].where, sc.faults[i].what);
    }
}
