/* Downstream smoke test: the installed headers and library link and work. */
#include <stdio.h>

#include "rtmem/common.h"
#include "rtmem/port.h"

int main(void)
{
    rtm_port_enter();
    rtm_port_exit();
    printf("rtmem consumer: %s\n", rtm_err_str(RTM_ERR_DOUBLE_FREE));
    return rtm_port_depth() == 0u ? 0 : 1;
}
