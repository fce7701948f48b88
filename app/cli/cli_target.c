#include "cli_target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli_args.h"
#include "commands.h"
#include "core/adapters/minidump_source.h"
#include "core/adapters/target_kind.h"
#include "core/win32/live_source.h"
#include "core/win32/privilege.h"

static uint32_t damage_seen;
static char damaged_path[1024];

/* A damaged stream is said on stderr, as `pmm minidump` does, whatever the output format. */
static void report_damage(const char *path, const pmm_source *src)
{
    uint32_t damage = pmm_minidump_damage(src);
    if (!damage)
        return;
    for (size_t i = 0; i < pmm_minidump_warning_count(src); i++)
        if (pmm_minidump_warning_damage(src, i))
            cli_error("warning: %s: %s", path, pmm_minidump_warning(src, i));
    damage_seen |= damage;
    snprintf(damaged_path, sizeof damaged_path, "%s", path);
}

uint32_t cli_target_damage(const char **path)
{
    *path = damaged_path;
    return damage_seen;
}

static pmm_status open_file(const char *spec, pmm_source *out, char *message, size_t cap)
{
    switch (pmm_file_kind_of(spec)) {
    case PMM_FILE_UNREADABLE:
        snprintf(message, cap, "'%s' is neither a process id nor a readable file", spec);
        return PMM_ERR_NOT_FOUND;
    case PMM_FILE_MINIDUMP: {
        pmm_status st = pmm_minidump_open(spec, out, message, cap);
        if (st == PMM_OK)
            report_damage(spec, out);
        return st;
    }
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

/* Digits only (or 0x and hex digits): meant as a process id. */
static int looks_like_number(const char *spec)
{
    size_t skip = spec[0] == '0' && (spec[1] == 'x' || spec[1] == 'X') ? 2 : 0;
    return spec[skip] && strspn(spec + skip, skip ? "0123456789abcdefABCDEF" : "0123456789") == strlen(spec + skip);
}

const char *cli_symbol_path(const char *option)
{
    if (option)
        return option;
    const char *env = getenv("_NT_SYMBOL_PATH");
    return env && *env ? env : NULL;
}

int cli_target_exit_code(pmm_status st)
{
    return st == PMM_ERR_ARG ? PMM_EXIT_USAGE : PMM_EXIT_FAILURE;
}

pmm_status cli_open_target(const char *spec, const cli_target_options *options, pmm_source *out, char *message,
                           size_t message_cap)
{
    unsigned long long pid;
    message[0] = '\0';
    if (cli_parse_u64(spec, &pid) != 0) {
        if (looks_like_number(spec) && pmm_file_kind_of(spec) == PMM_FILE_UNREADABLE) {
            snprintf(message, message_cap, "'%s' is not a process id: write it in decimal without leading zeros "
                     "(or as 0x...), up to 4294967295", spec);
            return PMM_ERR_ARG;
        }
        return open_file(spec, out, message, message_cap);
    }
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
