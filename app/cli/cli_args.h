/* Option parsing shared by the subcommands: flags, options with values, positionals, --help. */
#ifndef PMM_CLI_ARGS_H
#define PMM_CLI_ARGS_H

#include "core/util/printf_format.h"

typedef struct cli_option {
    const char *name;        /* "--json" */
    const char **value;      /* set for options that take a value; NULL for flags */
    int *present;            /* set to 1 when seen; may be NULL for options with a value */
} cli_option;

enum { CLI_PARSED = -1 };

/* Returns CLI_PARSED when the command should go on; otherwise the exit code to return now
 * (0 after printing usage for --help, 2 after a usage error printed to stderr). */
int cli_parse(int argc, char **argv, const cli_option *options, int option_count, const char **positionals,
              int min_positionals, int max_positionals, int *positional_count, const char *usage);

/* Parses a decimal or 0x-prefixed number (pmm_parse_u64: no octal, nothing past 64 bits); 0 on success. */
int cli_parse_u64(const char *text, unsigned long long *out);

/* Refuses, with a usage error printed, an output name that is empty, names a device (CON, NUL,
 * COM1, \\.\X: pmm_output_name_check) or names the same file as input (NULL: none). Returns
 * CLI_PARSED when output may be written, else PMM_EXIT_USAGE. */
int cli_check_output(const char *output, const char *input);

/* Prints "pmm: <message>" to stderr. */
void cli_error(const char *fmt, ...) PMM_PRINTF_FORMAT(1, 2);

#endif
