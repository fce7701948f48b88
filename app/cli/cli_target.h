/* What a TARGET argument names (a process id, a minidump, a saved map, a kernel dump), as a
 * pmm_target, and the console tool's wording for targets a command cannot use. */
#ifndef PMM_CLI_TARGET_H
#define PMM_CLI_TARGET_H

#include <stddef.h>
#include "core/tools/target.h"

typedef struct cli_target_options {
    int debug_privilege;   /* --debug-privilege: enable SeDebugPrivilege before opening a pid */
    const char *symbol_path;   /* where PDBs may be, for naming code addresses (cli_symbol_path) */
} cli_target_options;

/* --symbols' value when given, else the _NT_SYMBOL_PATH environment variable, else NULL (PDBs
 * are then looked for beside their images only). */
const char *cli_symbol_path(const char *option);

/* Parses spec (and enables the debug privilege when asked); a kernel dump gets the --process
 * selector (cli_take_process_option). On failure prints nothing; message says what went wrong
 * and what to do. Free *out with pmm_target_free. */
pmm_status cli_parse_target(const char *spec, const cli_target_options *options, pmm_target *out, char *message,
                            size_t message_cap);

/* Takes "--process PID|NAME|kernel" out of the arguments (any command's: it chooses the address
 * space of every kernel dump among its targets; other targets ignore it) and keeps it for
 * cli_parse_target. 0, or -1 (said on stderr) when the option has no value. */
int cli_take_process_option(int *argc, char **argv);

/* --process given where no target is a kernel dump is a usage error: cli_parse_target refuses
 * such a target (exit 2), unless cli_allow_process_beside_others was called (diff: one side may be
 * a kernel dump, the other a live process); then, and for commands that read a plain file (pe FILE,
 * disasm FILE --section), cli_check_process_option_used(spec) says so when no kernel dump was
 * among the targets and returns PMM_EXIT_USAGE (PMM_EXIT_OK otherwise). */
void cli_allow_process_beside_others(void);
int cli_check_process_option_used(const char *spec);

/* Non-zero when spec names a saved-map file (not a pid, not a minidump). */
int cli_is_saved_map(const char *spec);

/* PMM_OK when t has memory contents; else PMM_ERR_UNSUPPORTED, and message says what to use
 * instead (spec is what the user typed). */
pmm_status cli_require_bytes(const pmm_target *t, const char *spec, char *message, size_t message_cap);

/* Parses spec and opens a source over its memory; a saved map or a kernel dump without a chosen
 * process is refused with what to use instead. On failure prints nothing; message says why. */
pmm_status cli_open_target(const char *spec, const cli_target_options *options, pmm_source *out,
                           char *message, size_t message_cap);

/* Says on stderr what a minidump source opened for spec has damaged (as `pmm minidump` does,
 * whatever the output format) and remembers it for cli_target_damage. Other sources: nothing. */
void cli_report_damage(const char *spec, const pmm_source *src);
/* The pmm_md_damage bits of every minidump opened so far (their damage warnings were printed on
 * stderr when each was opened), and in *path the last damaged one. */
uint32_t cli_target_damage(const char **path);

/* The exit code for a target that could not be opened or read: 2 for a malformed TARGET, else 1. */
int cli_target_exit_code(pmm_status st);

#endif
