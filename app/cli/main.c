/* pmm.exe: the ProcessMemoryMap engine from the command line. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli_target.h"
#include "commands.h"
#include "core/adapters/minidump_source.h"
#include "core/symbols/symbol_path.h"
#include "core/tools/target.h"
#include "core/win32/live_source.h"
#include "core/win32/symbol_download.h"

enum {
    MEMORY = PMM_MD_DAMAGE_MEMORY,
    REGIONS = PMM_MD_DAMAGE_REGIONS,
    THREADS = PMM_MD_DAMAGE_THREADS,
    MODULES = PMM_MD_DAMAGE_MODULES,
    ANY = PMM_MD_DAMAGE_ANY
};

/* save and dump write what the dump holds, with its warnings, and exit 0 (1 means "nothing was
 * kept"); minidump reports damage itself. */
static const pmm_command commands[] = {
    {"list", "list processes: pid, bitness, name", cmd_list, 0},
    {"map", "print the annotated memory map of a process, minidump or saved map", cmd_map, ANY},
    {"save", "save the annotated map of a process to a file (optionally with page checksums)", cmd_save, 0},
    {"diff", "compare two maps (saved, minidump or live): regions, modules, threads, heaps, pages", cmd_diff, ANY},
    {"pe", "PE headers, sections and directories of a file or of an image in a process", cmd_pe, MEMORY},
    {"exports", "every module's exports with addresses; --find resolves a name or an address", cmd_exports,
     MODULES | MEMORY},
    {"stacks", "call stacks of a process's threads (x64 unwind data, x86 frame chain)", cmd_stacks,
     THREADS | MODULES | MEMORY},
    {"symbols", "name addresses (function, file:line) and find names: PDB, DWARF, COFF symbols, exports",
     cmd_symbols, MODULES},
    {"decode", "decode a structure: peb, teb TID, params, kuser, or ADDRESS TYPE", cmd_decode, THREADS | MEMORY},
    {"disasm", "disassemble x86/x64 code at an address, or a section of a PE file", cmd_disasm, MODULES | MEMORY},
    {"dump", "write memory out: minidump (ours or dbghelp's), region dumps, or an image as a PE file", cmd_dump, 0},
    {"minidump", "the streams of a minidump file: system, exception, threads, modules, memory", cmd_minidump, 0},
    {"kdump", "a kernel crash dump: header, bug check, physical memory, modules, reads, translations", cmd_kdump, 0},
    {"search", "find text, hex bytes (with wildcards) or numbers in memory; where each hit is", cmd_search,
     MEMORY | REGIONS},
    {"strings", "ANSI and UTF-16 strings in memory, like the strings view of VMMap", cmd_strings, MEMORY | REGIONS},
    {"scan", "integrity scan: code and read-only data against the files on disk; hooks, patches, implants", cmd_scan,
     MODULES | MEMORY},
};

/* A command that finished on a dump damaged where its answer depends on it fails after all. */
static int check_damage(const pmm_command *command, int rc)
{
    const char *path = NULL;
    uint32_t damage = cli_target_damage(&path) & command->depends_on;
    if (rc != PMM_EXIT_OK || !damage)
        return rc;
    fprintf(stderr, "pmm: %s is damaged where `pmm %s` depends on it (see the warnings above): its output is "
                    "incomplete\n", path, command->name);
    return PMM_EXIT_FAILURE;
}

static void print_usage(FILE *to)
{
    fputs("usage: pmm COMMAND [ARGS...] [--process PID|NAME|kernel]   (pmm COMMAND --help for details)\n"
          "  --process chooses the address space of a kernel crash dump TARGET: a process in it (by pid or\n"
          "  image name; `pmm kdump FILE --processes` lists them) or the kernel's\n\ncommands:\n", to);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(to, "  %-10s %s\n", commands[i].name, commands[i].summary);
}

/* Called on the live source's watchdog thread when a query of an exited process never returned:
 * no output of this run can be complete, so say so and end the process at once. */
static void on_stuck_target(uint32_t pid, void *ctx)
{
    (void)ctx;
    fprintf(stderr, "pmm: process %u exited during the operation and Windows never answered our last "
                    "query of it; no output was produced\n", (unsigned)pid);
    fflush(stderr);
    TerminateProcess(GetCurrentProcess(), PMM_EXIT_FAILURE);
}

static int run(int argc, char **argv)
{
    pmm_live_set_stuck_handler(on_stuck_target, NULL);
    pmm_target_set_process_opener(pmm_live_open);
    pmm_symbol_path_set_downloader(pmm_win32_symbol_download);
    if (argc < 2) {
        print_usage(stderr);
        return PMM_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        print_usage(stdout);
        return PMM_EXIT_OK;
    }
    if (cli_take_process_option(&argc, argv) != 0)
        return PMM_EXIT_USAGE;
    if (argc < 2) {
        print_usage(stderr);
        return PMM_EXIT_USAGE;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return check_damage(&commands[i], commands[i].run(argc - 2, argv + 2));
    fprintf(stderr, "pmm: unknown command '%s'\n", argv[1]);
    print_usage(stderr);
    return PMM_EXIT_USAGE;
}

/* Every command's output ends here, so nothing exits 0 without all of it: a write or the final
 * flush or close of stdout that failed (disk full, a closed pipe, a wineserver gone) fails the run. */
static int finish_output(int rc)
{
    int failed = fflush(stdout) != 0 || ferror(stdout);
    failed |= fclose(stdout) != 0;
    if (!failed)
        return rc;
    fputs("pmm: writing the output failed (disk full or closed pipe?); what was written is incomplete\n", stderr);
    return rc == PMM_EXIT_OK ? PMM_EXIT_FAILURE : rc;
}

/* A malloc'd UTF-8 copy of a wide string, or NULL. */
static char *to_utf8(const wchar_t *wide)
{
    int n = WideCharToMultiByte(CP_UTF8, 0, wide, -1, NULL, 0, NULL, NULL);
    char *text = n > 0 ? malloc((size_t)n) : NULL;
    if (text && WideCharToMultiByte(CP_UTF8, 0, wide, -1, text, n, NULL, NULL) != n) {
        free(text);
        text = NULL;
    }
    return text;
}

/* The arguments as UTF-8, as the engine takes paths and texts: the ANSI code page that main()
 * would get cannot spell every file name (a minidump under C:\Users\José) or search text. */
int wmain(int argc, wchar_t **wargv)
{
    char **argv = calloc((size_t)argc + 1, sizeof *argv);
    if (!argv) {
        fputs("pmm: out of memory\n", stderr);
        return PMM_EXIT_FAILURE;
    }
    for (int i = 0; i < argc; i++)
        if (!(argv[i] = to_utf8(wargv[i]))) {
            fputs("pmm: out of memory or an argument that is not valid UTF-16\n", stderr);
            return PMM_EXIT_FAILURE;
        }
    int rc = finish_output(run(argc, argv));
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    free(argv);
    return rc;
}
