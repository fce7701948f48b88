/* Opens what a TARGET argument names: a process id, a minidump file, or a saved map. */
#ifndef PMM_CLI_TARGET_H
#define PMM_CLI_TARGET_H

#include <stddef.h>
#include "core/source/source.h"

typedef struct cli_target_options {
    int debug_privilege;   /* --debug-privilege: enable SeDebugPrivilege before opening a pid */
} cli_target_options;

/* On failure prints nothing; message says what went wrong and what to do. */
pmm_status cli_open_target(const char *spec, const cli_target_options *options, pmm_source *out,
                           char *message, size_t message_cap);

#endif
