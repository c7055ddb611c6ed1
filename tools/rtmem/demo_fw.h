/*
 * `rtmem demo`'s firmware sections (demo_fw.c): static allocation with the
 * rtmem/static.h macros, and one task's MPU regions planned for ARMv7-M and
 * ARMv8-M with their register values decoded and stray writes judged from
 * them, plus the scene's page-protection faults (`facts`) on this host.
 */
#ifndef RTM_TOOL_DEMO_FW_H
#define RTM_TOOL_DEMO_FW_H

#include "demo_facts.h"

/* Print both sections on stdout; the number of things that did not behave
 * as the sections expect (0 = all did). Once per process (it runs
 * rtm_static_init_all()). */
unsigned demo_fw_print(const demo_facts_t *facts);

#endif
