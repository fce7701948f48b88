#include "cli_target.h"

#include <stdio.h>
#include "cli_args.h"
#include "core/adapters/minidump_source.h"
#include "core/adapters/target_kind.h"
#include "core/win32/live_source.h"
#include "core/win32/privilege.h"

static pmm_status open_file(const char *spec, pmm_source *out, char *message, size_t cap)
{
    switch (pmm_file_kind_of(spec)) {
    case PMM_FILE_UNREADABLE:
        snprintf(message, cap, "'%s' is neither a process id nor a readable file", spec);
        return PMM_ERR_NOT_FOUND;
    case PMM_FILE_MINIDUMP:
        return pmm_minidump_open(spec, out, message, cap);
    case PMM_FILE_KERNEL_DUMP:
        snprintf(message, cap, "'%s' is a Windows kernel crash dump: it holds the whole machine, so a process "
                               "inside it must be chosen, which this version cannot do yet; `pmm kdump %s` shows "
                               "what the dump holds", spec, spec);
        return PMM_ERR_UNSUPPORTED;
    case PMM_FILE_SAVED_MAP_TRUNCATED:
        snprintf(message, cap, "'%s' is too short to be a saved map (truncated?)", spec);
        return PMM_ERR_FORMAT;
    case PMM_FILE_SAVED_MAP:
        snprintf(message, cap, "'%s' is a saved map: it holds no memory contents, so only `pmm map` and "
                               "`pmm diff` can read it", spec);
        return PMM_ERR_UNSUPPORTED;
    default:
        snprintf(message, cap, "'%s' is not a minidump or saved map this build can read", spec);
        return PMM_ERR_FORMAT;
    }
}

pmm_status cli_open_target(const char *spec, const cli_target_options *options, pmm_source *out, char *message,
                           size_t message_cap)
{
    unsigned long long pid;
    message[0] = '\0';
    if (cli_parse_u64(spec, &pid) != 0)
        return open_file(spec, out, message, message_cap);
    if (pid > 0xFFFFFFFFull) {
        snprintf(message, message_cap, "%s is not a valid process id", spec);
        return PMM_ERR_ARG;
    }
    if (options && options->debug_privilege) {
        pmm_status st = pmm_enable_debug_privilege(message, message_cap);
        if (st != PMM_OK)
            return st;
    }
    return pmm_live_open((uint32_t)pid, out, message, message_cap);
}
