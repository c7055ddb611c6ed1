/*
 * mpu_cost: what exact MPU cover costs for a sample layout (stacks of 1, 1.5,
 * 3 and 5 KiB, partitions of 6 and 10 KiB): per object the bytes an exactly
 * covered placement needs and its padding under ARMv7-M without sub-regions,
 * with sub-regions, and ARMv8-M; then the objects packed first-fit (largest
 * first, each at the lowest address where rtm_mpu_place() says one region
 * covers it exactly and it meets nothing placed), and the memory lost: span
 * minus the objects' sizes (padding plus alignment gaps). Also a test: the
 * figures must order ARMv8-M <= ARMv7-M with <= without sub-regions, and
 * every placement must plan to one region.
 *   build/dev/tests/mpu_cost
 */
#include <stdio.h>
#include <stdlib.h>

#include "rtmem/mpu.h"

static const struct {
    const char *name;
    size_t size;
} objs[] = {
    {"stack 1 KiB", 1024u},   {"stack 1.5 KiB", 1536u},  {"stack 3 KiB", 3072u},
    {"stack 5 KiB", 5120u},   {"partition 6 KiB", 6144u}, {"partition 10 KiB", 10240u},
};
#define N (sizeof objs / sizeof objs[0])
#define BASE 0x20000000u

static const struct {
    const char *name;
    rtm_mpu_arch_t arch;
    int sub;
} rules[] = {
    {"ARMv7-M, no sub-regions", RTM_MPU_ARMV7M, 0},
    {"ARMv7-M, sub-regions", RTM_MPU_ARMV7M, 1},
    {"ARMv8-M", RTM_MPU_ARMV8M, 0},
};

static int fails;
#define CHECK(c)                                                         \
    do {                                                                 \
        if (!(c)) {                                                      \
            printf("mpu_cost: %s:%d: %s\n", __FILE__, __LINE__, #c);     \
            fails++;                                                     \
        }                                                                \
    } while (0)

/* First fit, largest object first; returns the span from BASE. */
static size_t pack(rtm_mpu_arch_t arch, int sub, uintptr_t at[N], size_t need[N])
{
    size_t order[N], end = BASE;
    for (size_t i = 0; i < N; i++) {
        order[i] = i;
    }
    for (size_t i = 0; i < N; i++) { /* by size, descending (N is tiny) */
        for (size_t j = i + 1u; j < N; j++) {
            if (objs[order[j]].size > objs[order[i]].size) {
                size_t t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
    }
    for (size_t k = 0; k < N; k++) {
        size_t i = order[k];
        uintptr_t b = BASE;
        for (;;) {
            b = rtm_mpu_place(arch, sub, b, objs[i].size);
            bool clash = false;
            for (size_t q = 0; q < k; q++) {
                size_t o = order[q];
                if (b < at[o] + need[o] && at[o] < b + need[i]) {
                    clash = true;
                }
            }
            if (!clash) {
                break;
            }
            b += 32u;
        }
        at[i] = b;
        if (b + need[i] > end) {
            end = b + need[i];
        }
        rtm_mpu_range_t r[] = {RTM_MPU_DATA(b, need[i], objs[i].name)};
        rtm_mpu_cfg_t c = {arch, 16u, 0u, (uint8_t)sub, NULL, NULL};
        rtm_mpu_plan_t p;
        CHECK(rtm_mpu_plan(&p, &c, r, 1) == RTM_OK && p.count == 1u);
    }
    return end - BASE;
}

int main(void)
{
    size_t sum = 0, lost[3], padsum[3];
    for (size_t i = 0; i < N; i++) {
        sum += objs[i].size;
    }
    printf("%-18s %8s", "object", "bytes");
    for (size_t r = 0; r < 3u; r++) {
        printf(" | %-28s", rules[r].name);
    }
    printf("\n%-18s %8s", "", "");
    for (size_t r = 0; r < 3u; r++) {
        printf(" | %8s %8s %9s", "need", "padding", "align");
    }
    printf("\n");
    size_t need[3][N];
    for (size_t i = 0; i < N; i++) {
        printf("%-18s %8zu", objs[i].name, objs[i].size);
        for (size_t r = 0; r < 3u; r++) {
            rtm_mpu_fit_t f;
            CHECK(rtm_mpu_fit(rules[r].arch, rules[r].sub, objs[i].size, &f) == RTM_OK);
            need[r][i] = f.need;
            printf(" | %8zu %8zu %9zu", f.need, f.padding, f.align);
        }
        printf("\n");
    }
    for (size_t r = 0; r < 3u; r++) {
        uintptr_t at[N];
        size_t span = pack(rules[r].arch, rules[r].sub, at, need[r]);
        padsum[r] = 0;
        for (size_t i = 0; i < N; i++) {
            padsum[r] += need[r][i] - objs[i].size;
        }
        lost[r] = span - sum;
        printf("%-24s: %zu bytes of objects, padding %zu, packed span %zu, lost %zu (%.1f%%)\n",
               rules[r].name, sum, padsum[r], span, lost[r], 100.0 * (double)lost[r] / (double)sum);
        printf("%-24s  placement:", "");
        for (size_t i = 0; i < N; i++) {
            printf(" %s@+0x%lx", objs[i].name, (unsigned long)(at[i] - BASE));
        }
        printf("\n");
    }
    CHECK(lost[2] <= lost[1] && lost[1] <= lost[0]);
    CHECK(padsum[2] <= padsum[1] && padsum[1] <= padsum[0]);
    return fails == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
