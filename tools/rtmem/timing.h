/*
 * Timing per BENCH.md: `lfence; rdtsc` before and after each operation on
 * x86-64 (cntvct_el0 on AArch64, CLOCK_MONOTONIC elsewhere), converted to ns
 * with a calibration against CLOCK_MONOTONIC made once at start-up, minus the
 * measured cost of an empty timed region.
 */
#ifndef RTM_TOOL_TIMING_H
#define RTM_TOOL_TIMING_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

static inline uint64_t tm_now(void)
{
#if defined(__x86_64__) || defined(__i386__)
    uint32_t lo, hi;
    __asm__ __volatile__("lfence\n\trdtsc" : "=a"(lo), "=d"(hi) : : "memory");
    return ((uint64_t)hi << 32) | lo;
#elif defined(__aarch64__)
    uint64_t v;
    __asm__ __volatile__("isb\n\tmrs %0, cntvct_el0" : "=r"(v) : : "memory");
    return v;
#else
    struct timespec ts;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
#endif
}

/* Calibrate (about 50 ms) and measure the empty-region cost. Idempotent. */
void tm_init(void);

/* Name of the counter in use ("rdtsc", "cntvct_el0", "clock_gettime"). */
const char *tm_source(void);
double tm_ghz(void);          /* counter ticks per ns */
uint64_t tm_empty_ticks(void); /* median cost of an empty timed region */
double tm_empty_mean_ticks(void); /* its mean (fastest 99%), what means subtract */
/* Replace that mean with one measured again by a workload, in its own loop
 * and process state (W4: see empty_w4_ticks() in pools.h). */
void tm_set_empty_mean_ticks(double mean_ticks);
/* Counter resolution: the smallest step seen between two reads, in ns. Some
 * CPUs (AMD Zen, many VMs) step the TSC by tens of ticks: single operations
 * faster than this read as 0 or one step; the mean over many still resolves. */
double tm_resolution_ns(void);

/* Raw ticks of a timed region; tm_percentiles() removes the empty-region cost. */
static inline uint64_t tm_region(uint64_t t0, uint64_t t1)
{
    return t1 - t0;
}

double tm_to_ns(uint64_t ticks);
/* Sorts v and returns the mean of its n raw samples without the `drop`
 * largest, in ticks (0 when nothing is left). */
double tm_mean_without_largest(uint64_t *v, size_t n, size_t drop);
/* A mean of raw region ticks to ns, minus the mean empty-region cost (never
 * below 0): what tm_percentiles() does for `mean`. */
double tm_mean_net_ns(double mean_ticks);

/* Pin the process to the CPU it runs on; returns that CPU or -1. */
int tm_pin_cpu(void);

/* Percentiles of raw region samples (sorts `v` in place), in ns, each minus
 * the median empty-region cost (never below 0). `mean` is the mean of the
 * fastest 99% minus the same mean of empty regions: on a coarse counter it
 * resolves what a median of 0 or one counter step cannot. */
typedef struct tm_pct {
    double med, p99, p9999, max, mean;
    size_t n;
} tm_pct_t;
tm_pct_t tm_percentiles(uint64_t *v, size_t n);

/* Monotonic wall-clock seconds, for progress lines. */
double tm_wall(void);

#endif
