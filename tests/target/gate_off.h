/* scripts/gate-cost.sh: force-included into the scheme sources of the
 * "no gate" build, so that src/rtm_hooks.h is skipped and the allocation
 * gate compiles to nothing; the difference to the normal build is what the
 * gate costs. Measurement only, never in a product build. */
#define RTMEM_RTM_HOOKS_H
#include "rtmem/hooks.h"
#define RTM_GATE(f, obj, size) ((void)(f), (void)(obj), (void)(size), false)
#define RTM_EVENT(kind, obj, ptr, old, size) ((void)0)
