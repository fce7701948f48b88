/* Benchmark for the PE parser.
 *   bench_pe [FOLDER...]        parses every PE file in the folders (default: Wine's x86_64 and
 *                               i386 library folders), every directory of each, and prints files
 *                               per second. Native or under Wine.
 *   bench_pe --exports [PID]    Windows only: reads the exports of every module of a process
 *                               (default: this one, after loading up to 100 system DLLs into it)
 *                               and prints the milliseconds; goal under 50 ms for 100 modules. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../unit/pe_walk.h"
#include "core/source/file_source.h"
#include "core/symbols/symbols.h"
#include "core/util/clock.h"

#ifdef _WIN32
#include <windows.h>
#include "core/analyzers/scan.h"
#include "core/win32/live_source.h"
#include "bench_target.h"
#else
#include <dirent.h>
#endif

#define RUNS 3

typedef struct totals {
    size_t files, pe_files, exports, imports, resources;
    uint64_t bytes;
} totals;

static void parse_file(const char *path, totals *t)
{
    pmm_source src;
    if (pmm_file_source_open(path, &src) != PMM_OK)
        return;
    t->files++;
    t->bytes += pmm_file_source_size(&src);
    pe_image img;
    if (pe_open(&src, 0, PE_LAYOUT_FILE, &img) == PMM_OK) {
        pe_walk_summary s;
        pe_walk_all(&img, &s);
        t->pe_files++;
        t->exports += s.exports;
        t->imports += s.import_functions;
        t->resources += s.resource_nodes;
        pe_close(&img);
    }
    pmm_source_close(&src);
}

#ifdef _WIN32
static void parse_folder(const char *folder, totals *t)
{
    char pattern[MAX_PATH], path[MAX_PATH];
    WIN32_FIND_DATAA fd;
    snprintf(pattern, sizeof pattern, "%s\\*", folder);
    HANDLE h = FindFirstFileA(pattern, &fd);
    if (h == INVALID_HANDLE_VALUE)
        return;
    do {
        if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
            continue;
        snprintf(path, sizeof path, "%s\\%s", folder, fd.cFileName);
        parse_file(path, t);
    } while (FindNextFileA(h, &fd));
    FindClose(h);
}
#else
static void parse_folder(const char *folder, totals *t)
{
    DIR *d = opendir(folder);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char path[4096];
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", folder, e->d_name);
        parse_file(path, t);
    }
    closedir(d);
}
#endif

static int bench_files(int count, char **folders)
{
#ifdef _WIN32
    static char *defaults[] = {"Z:\\usr\\lib\\x86_64-linux-gnu\\wine\\x86_64-windows",
                               "Z:\\usr\\lib\\i386-linux-gnu\\wine\\i386-windows"};
#else
    static char *defaults[] = {"/usr/lib/x86_64-linux-gnu/wine/x86_64-windows", "/usr/lib/i386-linux-gnu/wine/i386-windows"};
#endif
    if (count == 0) {
        folders = defaults;
        count = 2;
    }
    double best = 0;
    totals t;
    for (int run = 0; run < RUNS; run++) {
        memset(&t, 0, sizeof t);
        uint64_t start = pmm_clock_microseconds();
        for (int i = 0; i < count; i++)
            parse_folder(folders[i], &t);
        uint64_t us = pmm_clock_microseconds() - start;
        double rate = us ? (double)t.pe_files * 1e6 / (double)us : 0;
        if (rate > best)
            best = rate;
    }
    if (t.pe_files == 0) {
        fprintf(stderr, "bench_pe: no PE files found (install wine64/wine32 or name folders)\n");
        return 1;
    }
    printf("bench_pe: %zu PE files of %zu (%.1f MB), %zu exports, %zu imports, %zu resource nodes\n", t.pe_files,
           t.files, (double)t.bytes / 1e6, t.exports, t.imports, t.resources);
    printf("bench_pe: %.0f files per second (best of %d runs, every directory decoded)\n", best, RUNS);
    return 0;
}

#ifdef _WIN32
static int bench_exports(const char *pid_text)
{
    DWORD pid = pid_text ? (DWORD)strtoul(pid_text, NULL, 0) : GetCurrentProcessId();
    if (!pid_text)
        bench_load_system_dlls(100);
    pmm_source src;
    char message[512];
    if (pmm_live_open(pid, &src, message, sizeof message) != PMM_OK) {
        fprintf(stderr, "bench_pe: %s\n", message);
        return 1;
    }
    pmm_map *map;
    if (pmm_scan_source(&src, NULL, &map) != PMM_OK) {
        fprintf(stderr, "bench_pe: scan failed\n");
        pmm_source_close(&src);
        return 1;
    }
    uint64_t best = UINT64_MAX;
    size_t symbols = 0;
    for (int run = 0; run < RUNS; run++) {
        pmm_symbols syms;
        pmm_symbols_init(&syms);
        uint64_t start = pmm_clock_microseconds();
        pmm_symbols_add_map(&syms, &src, map);
        pmm_symbols_finish(&syms);
        pmm_symbols_find_name(&syms, "pmm-bench-no-such-export", NULL, NULL);   /* reads every module's exports */
        uint64_t us = pmm_clock_microseconds() - start;
        if (us < best)
            best = us;
        symbols = 0;
        for (size_t i = 0; i < syms.module_count; i++)
            symbols += syms.modules[i].export_count;
        pmm_symbols_free(&syms);
    }
    printf("bench_pe: exports of %zu modules (%zu symbols) of pid %lu in %.1f ms (goal < 50 ms for 100)\n",
           map->module_count, symbols, (unsigned long)pid, (double)best / 1000.0);
    pmm_map_free(map);
    pmm_source_close(&src);
    return 0;
}
#endif

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--exports") == 0) {
#ifdef _WIN32
        return bench_exports(argc > 2 ? argv[2] : NULL);
#else
        fprintf(stderr, "bench_pe: --exports reads a live process: run the Windows build under Wine\n");
        return 2;
#endif
    }
    return bench_files(argc - 1, argv + 1);
}
