/* Timing: see timing.h. */
#include "timing.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>

static uint64_t tm_empty_cost;
static double empty_mean;
static uint64_t resolution;
static double ticks_per_ns = 1.0;
static int ready;

double tm_wall(void)
{
    struct timespec ts;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Mean of the first (fastest) m of a sorted sample set. */
static double mean_of_fastest(const uint64_t *sorted, size_t m)
{
    double sum = 0.0;
    for (size_t i = 0; i < m; i++) {
        sum += (double)sorted[i];
    }
    return m ? sum / (double)m : 0.0;
}

/* Mean of the fastest 99% of a sorted sample set: one preemption on a shared
 * machine lasts thousands of times a short op and would otherwise swamp its
 * mean. */
static double trimmed_mean(const uint64_t *sorted, size_t n)
{
    return mean_of_fastest(sorted, n - n / 100u);
}

double tm_mean_without_largest(uint64_t *v, size_t n, size_t drop)
{
    qsort(v, n, sizeof *v, cmp_u64);
    return mean_of_fastest(v, drop < n ? n - drop : 0u);
}

void tm_init(void)
{
    if (ready) {
        return;
    }
    ready = 1;
    /* Three 15 ms windows; keep the median rate (a preemption only skews one). */
    double rates[3];
    for (int k = 0; k < 3; k++) {
        double w0 = tm_wall();
        uint64_t c0 = tm_now();
        double w1;
        do {
            w1 = tm_wall();
        } while (w1 - w0 < 0.015);
        uint64_t c1 = tm_now();
        rates[k] = (double)(c1 - c0) / ((w1 - w0) * 1e9);
    }
    double lo = rates[0] < rates[1] ? rates[0] : rates[1];
    double hi = rates[0] < rates[1] ? rates[1] : rates[0];
    ticks_per_ns = rates[2] < lo ? lo : (rates[2] > hi ? hi : rates[2]);
    if (ticks_per_ns <= 0.0) {
        ticks_per_ns = 1.0;
    }
    enum { N = 20001 };
    uint64_t *v = malloc(N * sizeof *v);
    if (!v) {
        return;
    }
    for (size_t i = 0; i < N; i++) {
        uint64_t t0 = tm_now();
        uint64_t t1 = tm_now();
        v[i] = t1 - t0;
    }
    qsort(v, N, sizeof *v, cmp_u64);
    tm_empty_cost = v[N / 2];
    empty_mean = trimmed_mean(v, N);
    resolution = UINT64_MAX;
    for (size_t i = 0; i < N; i++) {
        uint64_t t0 = tm_now(), t1;
        do {
            t1 = tm_now();
        } while (t1 == t0);
        resolution = (t1 - t0) < resolution ? t1 - t0 : resolution;
    }
    free(v);
}

const char *tm_source(void)
{
#if defined(__x86_64__) || defined(__i386__)
    return "lfence;rdtsc";
#elif defined(__aarch64__)
    return "cntvct_el0";
#else
    return "clock_gettime";
#endif
}

double tm_ghz(void)
{
    return ticks_per_ns;
}

double tm_empty_mean_ticks(void)
{
    return empty_mean;
}

void tm_set_empty_mean_ticks(double mean_ticks)
{
    empty_mean = mean_ticks;
}

uint64_t tm_empty_ticks(void)
{
    return tm_empty_cost;
}

double tm_resolution_ns(void)
{
    return tm_to_ns(resolution);
}

double tm_to_ns(uint64_t ticks)
{
    return (double)ticks / ticks_per_ns;
}

int tm_pin_cpu(void)
{
    int cpu = sched_getcpu();
    if (cpu < 0) {
        return -1;
    }
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET((size_t)cpu, &set);
    return sched_setaffinity(0, sizeof set, &set) == 0 ? cpu : -1;
}

/* Index of the q-quantile (nearest rank) in a sorted set of n. */
static size_t rank(size_t n, double q)
{
    double r = q * (double)n;
    size_t i = (size_t)r;
    if ((double)i < r) {
        i++;
    }
    return i == 0u ? 0u : (i > n ? n - 1u : i - 1u);
}

double tm_mean_net_ns(double mean_ticks)
{
    double net = mean_ticks - empty_mean;
    return net > 0.0 ? net / ticks_per_ns : 0.0;
}

static double net_ns(uint64_t raw)
{
    return tm_to_ns(raw > tm_empty_cost ? raw - tm_empty_cost : 0u);
}

tm_pct_t tm_percentiles(uint64_t *v, size_t n)
{
    tm_pct_t p;
    memset(&p, 0, sizeof p);
    p.n = n;
    if (n == 0u) {
        return p;
    }
    qsort(v, n, sizeof *v, cmp_u64);
    p.med = net_ns(v[rank(n, 0.5)]);
    p.p99 = net_ns(v[rank(n, 0.99)]);
    p.p9999 = net_ns(v[rank(n, 0.9999)]);
    p.max = net_ns(v[n - 1u]);
    p.mean = tm_mean_net_ns(trimmed_mean(v, n));
    return p;
}
