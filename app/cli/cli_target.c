#include "cli_target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli_args.h"
#include "commands.h"
#include "core/adapters/minidump_source.h"
#include "core/win32/privilege.h"

static uint32_t damage_seen;
static const char *process_selector;   /* --process: which address space of a kernel dump */
static int selector_beside_others;     /* diff: --process chooses in the kernel-dump side only */
static int kernel_dump_parsed;         /* a target so far was a kernel dump */
static char damaged_path[1024];

void cli_report_damage(const char *spec, const pmm_source *src)
{
    uint32_t damage = pmm_minidump_damage(src);
    if (!damage)
        return;
    for (size_t i = 0; i < pmm_minidump_warning_count(src); i++)
        if (pmm_minidump_warning_damage(src, i))
            cli_error("warning: %s: %s", spec, pmm_minidump_warning(src, i));
    damage_seen |= damage;
    snprintf(damaged_path, sizeof damaged_path, "%s", spec);
}

uint32_t cli_target_damage(const char **path)
{
    *path = damaged_path;
    return damage_seen;
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

static pmm_status process_option_misused(const char *spec, char *message, size_t cap)
{
    snprintf(message, cap, "--process %s chooses a process inside a Windows kernel crash dump, and '%s' is not one "
             "(a pid, a minidump or a saved map is already one process)", process_selector, spec);
    return PMM_ERR_ARG;
}

void cli_allow_process_beside_others(void)
{
    selector_beside_others = 1;
}

int cli_check_process_option_used(const char *spec)
{
    char message[1200];
    if (!process_selector || kernel_dump_parsed)
        return PMM_EXIT_OK;
    process_option_misused(spec, message, sizeof message);
    cli_error("%s", message);
    return PMM_EXIT_USAGE;
}

pmm_status cli_parse_target(const char *spec, const cli_target_options *options, pmm_target *out, char *message,
                            size_t message_cap)
{
    pmm_status st = pmm_target_parse(spec, out, message, message_cap);
    if (st == PMM_OK && out->kind == PMM_TARGET_KERNEL_DUMP)
        kernel_dump_parsed = 1;
    if (st == PMM_OK && out->kind == PMM_TARGET_KERNEL_DUMP && process_selector)
        st = pmm_target_choose(out, process_selector);
    else if (st == PMM_OK && process_selector && !selector_beside_others)
        st = process_option_misused(spec, message, message_cap);
    if (st == PMM_OK && out->kind == PMM_TARGET_PROCESS && options && options->debug_privilege)
        st = pmm_enable_debug_privilege(message, message_cap);
    if (st != PMM_OK)
        pmm_target_free(out);
    return st;
}

int cli_take_process_option(int *argc, char **argv)
{
    int kept = 0;
    for (int i = 0; i < *argc; i++) {
        if (strcmp(argv[i], "--process") != 0) {
            argv[kept++] = argv[i];
            continue;
        }
        if (i + 1 >= *argc || !argv[i + 1][0]) {
            cli_error("--process needs a pid or an image name (or kernel)");
            return -1;
        }
        process_selector = argv[++i];
    }
    *argc = kept;
    argv[kept] = NULL;
    return 0;
}

int cli_is_saved_map(const char *spec)
{
    pmm_target t;
    char message[1200];
    int saved = pmm_target_parse(spec, &t, message, sizeof message) == PMM_OK && t.kind == PMM_TARGET_SAVED_MAP;
    pmm_target_free(&t);
    return saved;
}

pmm_status cli_require_bytes(const pmm_target *t, const char *spec, char *message, size_t cap)
{
    if (pmm_target_has_bytes(t))
        return PMM_OK;
    if (t->kind == PMM_TARGET_KERNEL_DUMP)
        snprintf(message, cap, "'%s' is a Windows kernel crash dump: it holds the whole machine, so a process "
                               "inside it must be chosen with --process PID|NAME (or --process kernel); "
                               "`pmm kdump %s --processes` lists them", spec, spec);
    else
        snprintf(message, cap, "'%s' is a saved map: it holds no memory contents, so only `pmm map` and "
                               "`pmm diff` can read it", spec);
    return PMM_ERR_UNSUPPORTED;
}

pmm_status cli_open_target(const char *spec, const cli_target_options *options, pmm_source *out, char *message,
                           size_t message_cap)
{
    pmm_target t;
    pmm_status st = cli_parse_target(spec, options, &t, message, message_cap);
    if (st != PMM_OK)
        return st;
    if ((st = cli_require_bytes(&t, spec, message, message_cap)) == PMM_OK &&
        (st = pmm_target_open(&t, out, message, message_cap)) == PMM_OK)
        cli_report_damage(spec, out);
    pmm_target_free(&t);
    return st;
}
