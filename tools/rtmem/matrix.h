/*
 * The corruption matrix (issue 15): every scheme and pool kind against the
 * stray writes and bad frees an application makes, each cell run in a child
 * process (fork) so that a crash is an outcome, not the end of the run.
 *
 * A cell's outcome:
 *   detected  a fault hook call or an error code from the call that touched
 *             the damage, before any harm was seen;
 *   harmless  no fault, and after the follow-up calls every live block holds
 *             its contents (shadow copy; bytes the attack itself wrote are
 *             not counted), no two blocks overlap, all lie in the arena, and
 *             the scheme's check() passes;
 *   check     only check() noticed (the calls trusted the damage);
 *   BROKEN    overlap, a block outside the arena, or live data damaged by
 *             the allocator, with no fault raised first;
 *   CRASH     the child died (signal, sanitizer report, hang);
 *   n/a       the attack does not apply (heap_1 frees nothing; heap_3's
 *             blocks belong to the C library).
 * Acceptable: detected, harmless, n/a. The expectations (cells known to fail
 * on the current code, with the reason) are one table in matrix.c.
 */
#ifndef RTM_TOOL_MATRIX_H
#define RTM_TOOL_MATRIX_H

#include <stdbool.h>
#include <stdio.h>

enum mx_outcome { MX_HARMLESS, MX_DETECTED, MX_CHECK_ONLY, MX_BROKEN, MX_NA, MX_CRASH };

#define MX_SCHEMES 9
#define MX_ATTACKS 13

typedef struct mx_result {
    enum mx_outcome out[MX_SCHEMES][MX_ATTACKS];
    int status[MX_SCHEMES][MX_ATTACKS]; /* the child's exit code or -signal */
    unsigned bad;       /* unacceptable cells not listed as expected failures */
    unsigned xfail;     /* unacceptable cells listed as expected failures */
    unsigned xpass;     /* listed cells that are acceptable now */
} mx_result_t;

const char *mx_scheme_name(int s);
const char *mx_attack_name(int a);
const char *mx_outcome_name(enum mx_outcome o);
bool mx_acceptable(enum mx_outcome o);
/* The listed reason when cell (s, a) is an expected failure, else NULL. */
const char *mx_expected_failure(int s, int a);

/* Run one cell in this process (what the child does); returns the outcome.
 * May crash: that is what the fork is for. */
enum mx_outcome mx_cell(int s, int a);

/* Run every cell, each in a child process. */
void mx_run(mx_result_t *r);

/* Print the table and the list of failing cells to `f`. */
void mx_print(const mx_result_t *r, FILE *f);

#endif
