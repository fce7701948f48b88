/* The subcommands of pmm.exe. Each takes the arguments after its own name, prints its result to
 * stdout, its errors to stderr, and returns the process exit code (0 success, 1 failure, 2 usage). */
#ifndef PMM_CLI_COMMANDS_H
#define PMM_CLI_COMMANDS_H

#include "core/analyzers/scan.h"
#include "core/tools/search.h"

enum { PMM_EXIT_OK = 0, PMM_EXIT_FAILURE = 1, PMM_EXIT_USAGE = 2 };

typedef struct pmm_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
    /* pmm_md_damage bits of a minidump target the answer depends on: when the dump is damaged
     * there, the command's output is incomplete, and it exits 1 (after printing it). */
    uint32_t depends_on;
} pmm_command;

int cmd_list(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_save(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_pe(int argc, char **argv);
int cmd_exports(int argc, char **argv);
int cmd_minidump(int argc, char **argv);
int cmd_kdump(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_strings(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_symbols(int argc, char **argv);

/* Shared by pmm search and pmm strings (cmd_search.c). */
typedef struct cli_scope_args {
    const char *range;       /* --range START-END */
    const char *kind;        /* --kind image,private,mapped */
    int executable, writable;
} cli_scope_args;

/* CLI_PARSED, or PMM_EXIT_USAGE after printing what is wrong. */
int cli_parse_scope(const cli_scope_args *args, pmm_search_scope *scope, const char *usage);
int cmd_stacks(int argc, char **argv);
int cmd_decode(int argc, char **argv);
int cmd_disasm(int argc, char **argv);

#endif
