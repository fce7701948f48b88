/* pmm_target_basic.exe [--exit-after-ms N] [--allocations N]
 *
 * Builds a known address space (see target_basic.h and README.md), prints ONE line of JSON that
 * describes exactly what it made, then serves commands on stdin, one per line:
 *   quit (or end of input)  clean up and exit 0
 *   ping                    answers {"reply":"pong"}, so a test can check the target is alive
 * Exit codes: 0 normal, 1 a setup step failed (reason on stderr), 2 bad command line.
 */
#include "target_basic.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct tb_options {
    unsigned long exit_after_ms;     /* 0: stay until quit */
    unsigned long allocations;
} tb_options;

typedef struct tb_target {
    tb_options options;
    tb_threads threads;
    tb_private private_memory;
    tb_mapping mapping;
    tb_heap heap;
    tb_dll dll;
    tb_bulk bulk;
    volatile LONG finishing;
} tb_target;

static void usage(FILE *out)
{
    fputs("usage: pmm_target_basic [--exit-after-ms N] [--allocations N]\n"
          "Builds a known address space, prints it as one JSON line, then reads commands\n"
          "from stdin: quit (or EOF) exits 0, ping answers {\"reply\":\"pong\"}.\n", out);
}

static int parse_count(const char *text, unsigned long *value)
{
    char *end = NULL;
    if (!text || !*text || *text == '-')
        return -1;
    *value = strtoul(text, &end, 10);
    return *end == '\0' ? 0 : -1;
}

/* Returns 0 to go on, 1 when --help was printed, -1 on a bad command line. */
static int parse_options(int argc, char **argv, tb_options *options)
{
    memset(options, 0, sizeof *options);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 1;
        }
        unsigned long *target = strcmp(argv[i], "--exit-after-ms") == 0 ? &options->exit_after_ms
                              : strcmp(argv[i], "--allocations") == 0   ? &options->allocations
                                                                        : NULL;
        if (!target) {
            fprintf(stderr, "pmm_target_basic: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return -1;
        }
        if (i + 1 >= argc || parse_count(argv[i + 1], target) != 0) {
            fprintf(stderr, "pmm_target_basic: %s needs a non-negative number\n", argv[i]);
            return -1;
        }
        i++;
    }
    return 0;
}

/* Only one of "quit" and the exit timer may clean up; the other finds finishing already set. */
static int begin_finish(tb_target *t)
{
    return InterlockedCompareExchange(&t->finishing, 1, 0) == 0;
}

static void clean_up(tb_target *t)
{
    tb_threads_stop(&t->threads);
    tb_mapping_remove_file(&t->mapping);
}

/* --exit-after-ms: the process vanishes on its own, as if killed, while a scan may be running.
 * TerminateProcess rather than ExitProcess: no DLL detach, no orderly anything. */
static DWORD WINAPI exit_timer_main(void *param)
{
    tb_target *t = param;
    Sleep(t->options.exit_after_ms);
    if (begin_finish(t)) {
        tb_mapping_remove_file(&t->mapping);
        TerminateProcess(GetCurrentProcess(), 0);
    }
    return 0;
}

static int make_address_space(tb_target *t)
{
    SYSTEM_INFO info;
    GetSystemInfo(&info);
    if (tb_threads_make(&t->threads) != 0 || tb_private_make(&t->private_memory) != 0 ||
        tb_mapping_make(&t->mapping, info.dwPageSize) != 0 || tb_heap_make(&t->heap) != 0 ||
        tb_dll_make(&t->dll) != 0)
        return -1;
    tb_bulk_make(&t->bulk, t->options.allocations);
    return 0;
}

static void report_process(tj_writer *w)
{
    wchar_t directory[MAX_PATH * 2] = L"";
    SYSTEM_INFO info;
    BOOL wow64 = FALSE;
    GetSystemInfo(&info);
    IsWow64Process(GetCurrentProcess(), &wow64);
    DWORD len = GetCurrentDirectoryW(MAX_PATH * 2, directory);
    if (len == 0 || len >= MAX_PATH * 2)
        directory[0] = L'\0';

    tj_uint(w, "pid", GetCurrentProcessId());
    tj_uint(w, "bits", sizeof(void *) * 8);
    tj_bool(w, "wow64", wow64);
    tj_address(w, "image_base", (uintptr_t)GetModuleHandleW(NULL));
    tj_address(w, "peb", (uintptr_t)tb_current_peb());
    tj_wstring(w, "command_line", GetCommandLineW());
    tj_wstring(w, "current_directory", directory);
    tj_uint(w, "page_size", info.dwPageSize);
    tj_uint(w, "allocation_granularity", info.dwAllocationGranularity);
}

static int print_report(const tb_target *t)
{
    tj_writer w;
    tj_init(&w);
    tj_begin_object(&w, NULL);
    tj_string(&w, "format", "pmm-target");
    tj_uint(&w, "version", 1);
    report_process(&w);
    tb_threads_report(&t->threads, &w);
    tb_private_report(&t->private_memory, &w);
    tb_mapping_report(&t->mapping, &w);
    tb_heap_report(&t->heap, &w);
    tb_dll_report(&t->dll, &w);
    tb_bulk_report(&t->bulk, &w);
    if (t->options.exit_after_ms)
        tj_uint(&w, "exit_after_ms", t->options.exit_after_ms);
    else
        tj_null(&w, "exit_after_ms");
    tj_end_object(&w);
    int result = tj_print_line(&w);
    tj_free(&w);
    if (result != 0)
        fputs("pmm_target_basic: could not write the report\n", stderr);
    return result;
}

static void serve_commands(void)
{
    char line[256];
    while (tj_next_command(line, sizeof line)) {
        fprintf(stderr, "pmm_target_basic: unknown command '%s'\n", line);
        fflush(stderr);
    }
}

int main(int argc, char **argv)
{
    static tb_target target;      /* static: big, and the exit timer thread points into it */
    int parsed = parse_options(argc, argv, &target.options);
    if (parsed != 0)
        return parsed > 0 ? 0 : 2;

    if (make_address_space(&target) != 0 || print_report(&target) != 0) {
        clean_up(&target);
        return 1;
    }
    if (target.options.exit_after_ms) {
        HANDLE timer = CreateThread(NULL, 0, exit_timer_main, &target, 0, NULL);
        if (!timer) {
            tb_fail("CreateThread (exit timer)");
            clean_up(&target);
            return 1;
        }
        CloseHandle(timer);
    }

    serve_commands();
    if (begin_finish(&target))
        clean_up(&target);
    else
        Sleep(INFINITE);          /* the exit timer is terminating the process */
    return 0;
}
