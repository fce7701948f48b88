/* pmm.exe: the ProcessMemoryMap engine from the command line. */
#include <stdio.h>
#include <string.h>
#include "commands.h"

static const pmm_command commands[] = {
    {"list", "list processes: pid, bitness, name", cmd_list},
    {"map", "print the annotated memory map of a process, minidump or saved map", cmd_map},
    {"pe", "PE headers, sections and directories of a file or of an image in a process", cmd_pe},
    {"exports", "every module's exports with addresses; --find resolves a name or an address", cmd_exports},
};

static void print_usage(FILE *to)
{
    fputs("usage: pmm COMMAND [ARGS...]   (pmm COMMAND --help for details)\n\ncommands:\n", to);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(to, "  %-10s %s\n", commands[i].name, commands[i].summary);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stderr);
        return PMM_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        print_usage(stdout);
        return PMM_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 2, argv + 2);
    fprintf(stderr, "pmm: unknown command '%s'\n", argv[1]);
    print_usage(stderr);
    return PMM_EXIT_USAGE;
}
