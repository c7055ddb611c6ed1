/*
 * An application with a bug, run as a child process by test_san (ASan) and
 * by the valgrind CTest: heap_4 under rtmem/san.h. usage: san_victim MODE
 *   ok        correct use, then a random workload: no report, exit 0
 *   uaf       writes into a block after freeing it
 *   overrun   writes one byte past the bytes asked for (inside the slack)
 *   header    writes into the block header just before the block
 *   unwatch   frees its blocks, stops watching, then writes the whole arena:
 *             no report (rtm_san_unwatch() makes the span accessible again)
 * The faulty line of each mode is marked BUG: the report must name it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtmem/heap4.h"
#include "rtmem/observe.h"
#include "rtmem/san.h"

static _Alignas(64) uint8_t arena[16384];
static rtm_heap4_t heap;
static rtm_san_t san;

static void workload(void)
{
    char *live[64] = { 0 };
    size_t len[64] = { 0 };
    unsigned x = 7u;
    for (int i = 0; i < 20000; i++) {
        x = x * 1103515245u + 12345u;
        unsigned k = (x >> 8) % 64u;
        if (live[k] == NULL) {
            len[k] = 1u + (x >> 16) % 200u;
            live[k] = rtm_heap4_alloc(&heap, len[k]);
            if (live[k] != NULL) {
                memset(live[k], (int)k, len[k]);
            }
        } else {
            for (size_t j = 0; j < len[k]; j++) {
                if (live[k][j] != (char)k) {
                    fprintf(stderr, "san_victim: block %u damaged\n", k);
                    exit(3);
                }
            }
            if (rtm_heap4_free(&heap, live[k]) != RTM_OK) {
                exit(4);
            }
            live[k] = NULL;
        }
    }
    for (unsigned k = 0; k < 64u; k++) {
        (void)rtm_heap4_free(&heap, live[k]);
    }
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "ok";
    if (rtm_heap4_init(&heap, arena, sizeof arena) != RTM_OK) {
        return 2;
    }
    rtm_san_init(&san);
    if (rtm_san_watch(&san, &heap, arena, sizeof arena) != RTM_OK ||
        rtm_observer_set(rtm_san_observer, &san) != RTM_OK) {
        return 2;
    }
    char *a = rtm_heap4_alloc(&heap, 61);
    char *b = rtm_heap4_alloc(&heap, 64);
    if (a == NULL || b == NULL) {
        return 2;
    }
    strcpy(a, "a message");
    if (strcmp(mode, "uaf") == 0) {
        (void)rtm_heap4_free(&heap, a);
        a[3] = 'X'; /* BUG: uaf */
    } else if (strcmp(mode, "overrun") == 0) {
        a[61] = 'X'; /* BUG: overrun */
    } else if (strcmp(mode, "header") == 0) {
        b[-1] = 'X'; /* BUG: header */
    } else if (strcmp(mode, "unwatch") == 0) {
        (void)rtm_heap4_free(&heap, a);
        (void)rtm_heap4_free(&heap, b);
        (void)rtm_observer_set(NULL, NULL);
        rtm_san_unwatch(&san, &heap);
        memset(arena, 0x5A, sizeof arena); /* the arena reused for something else */
        return san.n == 0u ? 0 : 5;
    } else {
        (void)rtm_heap4_free(&heap, a);
        (void)rtm_heap4_free(&heap, b);
        workload();
        printf("san_victim: ok, %zu events announced\n", san.events);
        return 0;
    }
    return 0;
}
