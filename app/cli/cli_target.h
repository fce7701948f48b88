/* Opens what a TARGET argument names: a process id, a minidump file, or a saved map. */
#ifndef PMM_CLI_TARGET_H
#define PMM_CLI_TARGET_H

#include <stddef.h>
#include "core/source/source.h"

typedef struct cli_target_options {
    int debug_privilege;   /* --debug-privilege: enable SeDebugPrivilege before opening a pid */
    const char *symbol_path;   /* where PDBs may be, for naming code addresses (cli_symbol_path) */
} cli_target_options;

/* --symbols' value when given, else the _NT_SYMBOL_PATH environment variable, else NULL (PDBs
 * are then looked for beside their images only). */
const char *cli_symbol_path(const char *option);

/* On failure prints nothing; message says what went wrong and what to do. PMM_ERR_ARG when spec
 * is no valid process id (a number with a leading zero, "010", would be octal to C and ten to a
 * person: refused) and no file of that name exists. */
pmm_status cli_open_target(const char *spec, const cli_target_options *options, pmm_source *out,
                           char *message, size_t message_cap);

/* The pmm_md_damage bits of every minidump opened so far (their damage warnings were printed on
 * stderr when each was opened), and in *path the last damaged one. */
uint32_t cli_target_damage(const char **path);

/* The exit code for a target that could not be opened or read: 2 for a malformed TARGET, else 1. */
int cli_target_exit_code(pmm_status st);

#endif
