/*
 * W3 placement-policy simulator (BENCH.md W3: 64 KiB, W1 size mix, 60% alloc,
 * until the first failure). Not an allocator: an exact model of the holes,
 * searched exhaustively, to learn what fill a placement policy and a block
 * layout can reach at all, before anything is built in O(1).
 *
 *   w3sim POLICY [T] [CTRL] [HDR]      seeds from $S0..$S1 (default 1..200)
 *
 * Layout: HDR-byte header, 8-byte granularity, 16-byte minimum block, CTRL
 * bytes of the arena taken by a control structure (default 680: rtm_tlsf's
 * control structure, region descriptor and sentinel in a 64 KiB arena).
 * Policies (T: the block size above which a block counts as large):
 *   0 best fit (smallest hole that fits; lowest address on a tie)
 *   1 best fit, large blocks carved from the top of their hole
 *   2 address-ordered first fit
 *   3 segregation: small blocks prefer holes below the middle, large above
 *   4 best fit avoiding leftovers smaller than T (unless nothing else fits)
 *   5 best fit, the block carved from the end of the hole whose neighbour
 *     is the smaller live block (a region end counts as 0), so the leftover
 *     lies against the larger one
 *   6 best fit, the block carved from the top when the neighbour above is
 *     smaller than $NEAR bytes (default 256) or the region's end, from the
 *     bottom otherwise, and the other way round for blocks over T: policy
 *     5 with only the neighbour that an O(1) allocator can read (what
 *     rtm_tlsf does (carve_top in src/tlsf.c); T = 2048 there)
 * Layout knobs (environment, for rules that change what a block costs):
 *   MINREST  smallest leftover split off as a hole (default 16, the
 *            minimum block; 8 models a free fragment of header + size copy
 *            that sits on no list and only waits to be merged)
 *   ROUNDL   round blocks over 1024 bytes up to a multiple of ROUNDL bytes
 *            (default 0: 8-byte granularity only), so that freed large
 *            blocks leave holes of fewer distinct sizes
 * Prints the mean and minimum fill (live requested bytes / 65536).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_FULL 65536u
#define MAX_HOLES 8192
#define MAX_LIVE 8192
#define GRAN 8u
#define MIN_BLOCK 16u

typedef struct hole {
    uint32_t a, n;
} hole_t;

typedef struct live {
    uint32_t a, n;
    uint32_t req;
} live_t;

static hole_t holes[MAX_HOLES];
static int nholes;
static live_t live[MAX_LIVE];
static int nlive;
static uint32_t arena, hdr = 4u, big = 1024u, near = 256u, minrest = MIN_BLOCK, roundl;
static int policy;

static uint64_t next(uint64_t *x)
{
    *x ^= *x >> 12;
    *x ^= *x << 25;
    *x ^= *x >> 27;
    return *x * 0x2545F4914F6CDD1DULL;
}

static uint32_t uniform(uint64_t *x, uint32_t a, uint32_t b)
{
    return a + (uint32_t)(next(x) % (uint64_t)(b - a + 1u));
}

static uint32_t size_w1(uint64_t *x)
{
    uint64_t c = next(x) % 100u;
    if (c < 70u) {
        return uniform(x, 8u, 128u);
    }
    return c < 95u ? uniform(x, 129u, 1024u) : uniform(x, 1025u, 4096u);
}

static uint32_t block_of(uint32_t n)
{
    uint32_t b = (n + hdr + GRAN - 1u) / GRAN * GRAN;
    if (roundl > GRAN && n > 1024u) {
        b = (b + roundl - 1u) / roundl * roundl;
    }
    return b < MIN_BLOCK ? MIN_BLOCK : b;
}

static void hole_remove(int i)
{
    memmove(&holes[i], &holes[i + 1], (size_t)(nholes - i - 1) * sizeof holes[0]);
    nholes--;
}

/* Insert a freed block, coalescing with both neighbours. */
static void hole_insert(uint32_t a, uint32_t n)
{
    int i = 0;
    while (i < nholes && holes[i].a < a) {
        i++;
    }
    if (i > 0 && holes[i - 1].a + holes[i - 1].n == a) {
        holes[i - 1].n += n;
        if (i < nholes && holes[i - 1].a + holes[i - 1].n == holes[i].a) {
            holes[i - 1].n += holes[i].n;
            hole_remove(i);
        }
        return;
    }
    if (i < nholes && a + n == holes[i].a) {
        holes[i].a = a;
        holes[i].n += n;
        return;
    }
    memmove(&holes[i + 1], &holes[i], (size_t)(nholes - i) * sizeof holes[0]);
    holes[i].a = a;
    holes[i].n = n;
    nholes++;
}

static int better_fit(int cand, int best)
{
    return best < 0 || holes[cand].n < holes[best].n;
}

/* Policy 3's preference: small blocks below the middle, large above. */
static int prefers(int i, uint32_t need)
{
    uint32_t mid = arena / 2u;
    return need <= big ? holes[i].a < mid : holes[i].a + holes[i].n > mid;
}

/* The hole for a block of `need` bytes (-1: none); *top: carve from its top. */
static int choose(uint32_t need, int *top)
{
    int best = -1, alt = -1;
    *top = (policy == 1 || policy == 3) && need > big;
    for (int i = 0; i < nholes; i++) {
        if (holes[i].n < need) {
            continue;
        }
        switch (policy) {
        case 2:
            return i;
        case 3:
            if (best < 0 || prefers(i, need) > prefers(best, need) ||
                (prefers(i, need) == prefers(best, need) && better_fit(i, best))) {
                best = i;
            }
            break;
        case 4:
            if (holes[i].n - need == 0u || holes[i].n - need >= big) {
                best = better_fit(i, best) ? i : best;
            } else {
                alt = better_fit(i, alt) ? i : alt;
            }
            break;
        default:
            best = better_fit(i, best) ? i : best;
            break;
        }
    }
    return best >= 0 ? best : alt;
}

/* Size of the live block that ends at / starts at address a (0: none, the
 * region's end). A linear search: this is a model, not an allocator. */
static uint32_t live_ending_at(uint32_t a)
{
    for (int k = 0; k < nlive; k++) {
        if (live[k].a + live[k].n == a) {
            return live[k].n;
        }
    }
    return 0u;
}

static uint32_t live_starting_at(uint32_t a)
{
    for (int k = 0; k < nlive; k++) {
        if (live[k].a == a) {
            return live[k].n;
        }
    }
    return 0u;
}

/* Policies 5 and 6: carve from the top of hole i? */
static int carve_top(int i, uint32_t need)
{
    uint32_t above = live_starting_at(holes[i].a + holes[i].n);
    if (policy == 5) {
        return live_ending_at(holes[i].a) > above;
    }
    return (above < near) != (need > big);
}

/* One W3 run: the fill at the first failure. */
static double run(uint64_t seed)
{
    nlive = 0;
    uint64_t bytes = 0, x = seed;
    nholes = 0;
    hole_insert(0u, arena);
    for (;;) {
        if (nlive == 0 || next(&x) % 100u < 60u) {
            uint32_t n = size_w1(&x), need = block_of(n);
            int top, i = choose(need, &top);
            if (i < 0 || nlive == MAX_LIVE) {
                return (double)bytes / (double)ARENA_FULL;
            }
            uint32_t rest = holes[i].n - need;
            if (rest < minrest) {
                need = holes[i].n; /* too small to stand alone */
                rest = 0u;
            }
            if (policy >= 5 && rest > 0u) {
                top = carve_top(i, need);
            }
            uint32_t a = top ? holes[i].a + rest : holes[i].a;
            holes[i].a = top ? holes[i].a : holes[i].a + need;
            holes[i].n = rest;
            if (rest == 0u) {
                hole_remove(i);
            }
            live[nlive++] = (live_t){ a, need, n };
            bytes += n;
        } else {
            int k = (int)(next(&x) % (uint64_t)nlive);
            hole_insert(live[k].a, live[k].n);
            bytes -= live[k].req;
            live[k] = live[--nlive];
        }
    }
}

static unsigned env_or(const char *name, unsigned dflt)
{
    const char *v = getenv(name);
    return v ? (unsigned)strtoul(v, NULL, 10) : dflt;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: w3sim POLICY [T] [CTRL] [HDR]\n");
        return 2;
    }
    policy = atoi(argv[1]);
    big = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 10) : 1024u;
    uint32_t ctrl = argc > 3 ? (uint32_t)strtoul(argv[3], NULL, 10) : 680u;
    hdr = argc > 4 ? (uint32_t)strtoul(argv[4], NULL, 10) : 4u;
    arena = ARENA_FULL - ctrl;
    near = env_or("NEAR", 256u);
    minrest = env_or("MINREST", MIN_BLOCK);
    roundl = env_or("ROUNDL", 0u);
    unsigned s0 = env_or("S0", 1u), s1 = env_or("S1", 200u);
    double sum = 0.0, min = 2.0;
    for (unsigned s = s0; s <= s1; s++) {
        double f = run(s);
        sum += f;
        min = f < min ? f : min;
    }
    printf("policy %d  T %u  ctrl %u  header %u  seeds %u..%u: mean %.4f  min %.4f\n", policy,
           big, ctrl, hdr, s0, s1, sum / (double)(s1 - s0 + 1u), min);
    return 0;
}
