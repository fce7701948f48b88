/* SeDebugPrivilege, for reading processes of other users (--debug-privilege). */
#ifndef PMM_PRIVILEGE_H
#define PMM_PRIVILEGE_H

#include <stddef.h>
#include "../util/status.h"

/* Enables SeDebugPrivilege in our own token. PMM_ERR_ACCESS (message says why: it is granted
 * only to administrators) when it cannot. */
pmm_status pmm_enable_debug_privilege(char *message, size_t message_cap);

#endif
