#include "cli_target.h"

#include <stdio.h>
#include <string.h>
#include "cli_args.h"
#include "core/formats/saved_map.h"
#include "core/source/minidump_source.h"
#include "core/win32/live_source.h"

static int read_magic(const char *path, char magic[4])
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t n = fread(magic, 1, 4, f);
    fclose(f);
    return n == 4;
}

static pmm_status open_file(const char *spec, pmm_source *out, char *message, size_t cap)
{
    char magic[4];
    if (!read_magic(spec, magic)) {
        snprintf(message, cap, "'%s' is neither a process id nor a readable file", spec);
        return PMM_ERR_NOT_FOUND;
    }
    if (memcmp(magic, "MDMP", 4) == 0)
        return pmm_minidump_open(spec, out, message, cap);
    if (memcmp(magic, PMM_SAVED_MAP_MAGIC, 4) == 0 && !pmm_saved_map_is_file(spec)) {
        snprintf(message, cap, "'%s' is too short to be a saved map (truncated?)", spec);
        return PMM_ERR_FORMAT;
    }
    if (memcmp(magic, PMM_SAVED_MAP_MAGIC, 4) == 0) {
        snprintf(message, cap, "'%s' is a saved map: it holds no memory contents, so only `pmm map` and "
                               "`pmm diff` can read it", spec);
        return PMM_ERR_UNSUPPORTED;
    }
    snprintf(message, cap, "'%s' is not a minidump or saved map this build can read", spec);
    return PMM_ERR_FORMAT;
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
