/* Compiled by tests/tlsf.cmake with a removed tlsf option defined: the
 * build must stop with config.h's message saying what to do instead. */
#include "rtmem/tlsf.h"

int main(void)
{
    return (int)RTM_TLSF_ALIGN;
}
