/* The subcommands of pmm.exe. Each takes the arguments after its own name, prints its result to
 * stdout, its errors to stderr, and returns the process exit code (0 success, 1 failure, 2 usage). */
#ifndef PMM_CLI_COMMANDS_H
#define PMM_CLI_COMMANDS_H

enum { PMM_EXIT_OK = 0, PMM_EXIT_FAILURE = 1, PMM_EXIT_USAGE = 2 };

typedef struct pmm_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
} pmm_command;

int cmd_list(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_pe(int argc, char **argv);
int cmd_exports(int argc, char **argv);
int cmd_minidump(int argc, char **argv);

#endif
