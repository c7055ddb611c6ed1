/*
 * The malloc guard on the emulated Cortex-M4 with newlib (run.sh test on
 * an386; linked with --wrap for malloc/free/calloc/realloc and newlib's
 * _malloc_r/_free_r/_calloc_r/_realloc_r). Part 1 calls newlib functions one
 * at a time with the guard's recorder on and prints which of them allocate
 * (calls, bytes): the README's list. Part 2 flags an owner real-time and
 * checks that strdup() from it is refused with a fault naming that owner
 * and a return address; run.sh checks the address lies in newlib's strdup.
 */
#define _POSIX_C_SOURCE 200809L /* strdup, setenv, tzset */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rtmem/malloc_guard.h"
#include "rtmem/tlsf.h"
#include "target.h"


static _Alignas(8) uint8_t g_arena[24576];
static rtm_tlsf_t g_tlsf;
RTM_GUARD_OPS_DEFINE(g_ops, tlsf, rtm_tlsf_t);

static struct {
    unsigned calls, allocs, frees;
    size_t bytes;
} g_now;

static void recorder(void *user, const rtm_guard_record_t *r)
{
    (void)user;
    g_now.calls++;
    if (r->call == RTM_GUARD_FREE) {
        g_now.frees++;
    } else {
        g_now.allocs++;
        g_now.bytes += r->size;
    }
}

static struct {
    int count;
    rtm_err_t last;
    const void *caller;
} g_fault;

static void on_fault(void *user, rtm_err_t reason, const void *obj, const void *ptr)
{
    (void)user;
    (void)obj;
    g_fault.count++;
    g_fault.last = reason;
    g_fault.caller = ptr;
}

#define NPROBES 24
static struct {
    const char *what;
    unsigned allocs, frees;
    size_t bytes;
} g_res[NPROBES];
static unsigned g_nres;

static volatile double g_d = 3.25;
static char g_buf[64];
static volatile int g_sink;

static void probe_begin(void)
{
    memset(&g_now, 0, sizeof g_now);
}

static void probe_end(const char *what)
{
    if (g_nres < NPROBES) {
        g_res[g_nres].what = what;
        g_res[g_nres].allocs = g_now.allocs;
        g_res[g_nres].frees = g_now.frees;
        g_res[g_nres].bytes = g_now.bytes;
        g_nres++;
    }
}

#define PROBE(what, stmt) \
    do {                  \
        probe_begin();    \
        stmt;             \
        probe_end(what);  \
    } while (0)

static int cmp_char(const void *a, const void *b)
{
    return *(const char *)a - *(const char *)b;
}

static void probes(void)
{
    time_t t = 1000000000;
    struct tm tmv;
    PROBE("printf(\"%d\") first on stdout", printf("target_guard: probing newlib (%d)\n", 1));
    PROBE("printf(\"%d\") again", printf("target_guard: %d\n", 2));
    PROBE("puts", puts("target_guard: puts"));
    PROBE("sprintf(\"%d\")", g_sink = sprintf(g_buf, "%d", 42));
    PROBE("sprintf(\"%f\") first", g_sink = sprintf(g_buf, "%f", g_d));
    PROBE("sprintf(\"%f\") again", g_sink = sprintf(g_buf, "%f", g_d * 3.0));
    PROBE("printf(\"%f\")", printf("target_guard: %f\n", g_d));
    PROBE("snprintf(\"%g\")", g_sink = snprintf(g_buf, sizeof g_buf, "%g", g_d / 7.0));
    PROBE("fprintf(stderr, \"%d\")", fprintf(stderr, "target_guard: stderr %d\n", 3));
    PROBE("strtod", g_d = strtod("12345.678e3", NULL));
    PROBE("atoi", g_sink = atoi("123"));
    PROBE("strdup (+ free)", free(strdup("rtmem")));
    PROBE("fopen (fails: no _open)", g_sink = fopen("none.txt", "r") != NULL);
    PROBE("setvbuf(stdout, NULL, _IOLBF, 128)", g_sink = setvbuf(stdout, NULL, _IOLBF, 128));
    PROBE("setenv(\"TZ\")", g_sink = setenv("TZ", "CET-1", 1));
    PROBE("tzset with TZ set", tzset());
    PROBE("gmtime", g_sink = gmtime(&t)->tm_year);
    PROBE("localtime", g_sink = localtime(&t)->tm_year);
    PROBE("mktime", (tmv = *gmtime(&t), g_sink = (int)mktime(&tmv)));
    PROBE("asctime", g_sink = asctime(gmtime(&t))[0]);
    PROBE("strftime", g_sink = (int)strftime(g_buf, sizeof g_buf, "%Y-%m-%d %H:%M", gmtime(&t)));
    PROBE("rand", g_sink = rand());
    PROBE("qsort", qsort(g_buf, 8, 1, cmp_char));
}

/* The refused call is newlib's strdup: its return address is in there. */
static void realtime_owner(void)
{
    TGT_EXPECT(rtm_guard_set_realtime(3, true) == RTM_OK);
    rtm_owner_set(3);
    char *s = strdup("real-time");
    rtm_owner_set(RTM_OWNER_NONE);
    TGT_EXPECT(s == NULL);
    TGT_EXPECT(g_fault.count == 1 && g_fault.last == RTM_ERR_SEALED);
    rtm_guard_record_t r;
    TGT_EXPECT(rtm_guard_last_refusal(&r));
    TGT_EXPECT(r.owner == 3 && r.call == RTM_GUARD_MALLOC && r.caller == g_fault.caller);
    printf("target_guard: owner %u refused, caller 0x%08lx\n", (unsigned)r.owner,
           (unsigned long)(uintptr_t)r.caller);
    /* a non-real-time owner is served from the rtmem heap */
    rtm_owner_set(4);
    s = strdup("served");
    TGT_EXPECT(s != NULL && (uint8_t *)s >= g_arena && (uint8_t *)s < g_arena + sizeof g_arena);
    free(s);
    rtm_owner_set(RTM_OWNER_NONE);
}

int main(void)
{
    TGT_EXPECT(rtm_tlsf_init(&g_tlsf, g_arena, sizeof g_arena) == RTM_OK);
    rtm_guard_set_heap(&g_ops, &g_tlsf);
    rtm_guard_set_fault_hook(on_fault, NULL);
    rtm_guard_set_recorder(recorder, NULL);
    probes();
    rtm_guard_set_recorder(NULL, NULL);
    for (unsigned i = 0; i < g_nres; i++) {
        printf("guard: %-36s %s %u alloc, %u free, %lu bytes\n", g_res[i].what,
               g_res[i].allocs != 0u ? "ALLOCATES" : "-        ", g_res[i].allocs,
               g_res[i].frees, (unsigned long)g_res[i].bytes);
    }
    TGT_EXPECT(g_fault.count == 0);
    TGT_EXPECT(rtm_guard_served() > 0u);
    /* every newlib allocation went to the rtmem heap: its check holds */
    TGT_EXPECT(rtm_tlsf_check(&g_tlsf, NULL) == RTM_OK);
    realtime_owner();
    printf("target_guard: %s (%d failures)\n", tgt_failures == 0 ? "passed" : "FAILED", tgt_failures);
    return tgt_failures == 0 ? 0 : 1;
}
