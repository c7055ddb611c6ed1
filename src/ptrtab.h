/*
 * A table of live blocks keyed by address, shared by the leak tracker and
 * the sanitizer announcer: open addressing over a power-of-two array with a
 * fixed window of RTM_LEAK_PROBES slots from the hash. A lookup always scans
 * the whole window (it does not stop at an empty slot), so a delete simply
 * empties its slot and every operation is O(RTM_LEAK_PROBES).
 */
#ifndef RTMEM_PTRTAB_H
#define RTMEM_PTRTAB_H

#include "rtmem/leak.h"

static inline size_t ptab_home(const void *p, size_t cap)
{
    uintptr_t k = (uintptr_t)p >> 3;
    /* Fibonacci hashing folded to 32 bits: the same on 32- and 64-bit hosts */
    uint32_t h = (uint32_t)k ^ (uint32_t)(k >> 16 >> 16);
    h *= 0x9E3779B1u;
    return (size_t)(h ^ (h >> 15)) & (cap - 1u);
}

/* The slot holding p, or NULL. */
static inline rtm_leak_entry_t *ptab_find(rtm_leak_entry_t *tab, size_t cap, const void *p)
{
    size_t i = ptab_home(p, cap);
    for (unsigned k = 0; k < RTM_LEAK_PROBES; k++) {
        if (tab[i].ptr == p) {
            return &tab[i];
        }
        i = (i + 1u) & (cap - 1u);
    }
    return NULL;
}

/* An empty slot in p's window, or NULL when the window is full. */
static inline rtm_leak_entry_t *ptab_slot(rtm_leak_entry_t *tab, size_t cap, const void *p)
{
    size_t i = ptab_home(p, cap);
    for (unsigned k = 0; k < RTM_LEAK_PROBES; k++) {
        if (tab[i].ptr == NULL) {
            return &tab[i];
        }
        i = (i + 1u) & (cap - 1u);
    }
    return NULL;
}

#endif /* RTMEM_PTRTAB_H */
