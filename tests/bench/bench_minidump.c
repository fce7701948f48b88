/* Benchmark for `pmm dump`: a target with N MiB (default 1024) committed and filled
 * (pmm_target_markers --fill-mib N). In the same run, interleaved so both see the same machine:
 *   ours     what `pmm dump PID --format minidump FILE` does: scan the process, gather thread and
 *            handle facts, write the full minidump (Memory64List) through our streaming writer
 *   dbghelp  MiniDumpWriteDump with MiniDumpWithFullMemory into a file
 * printed as ours / dbghelp (goal <= 0.7), best of RUNS runs and the median. Then MB/s of each
 * HiperDrop format (regions, single, sparse, full) over the filled allocations (the full format
 * of a whole 64-bit address space would write gigabytes of zeros), and of our minidump.
 * Writes its files into the current folder and removes them.
 * Usage: bench_minidump.exe TARGET_EXE [MIB] */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/analyzers/scan.h"
#include "core/formats/minidump_write.h"
#include "core/tools/region_dump.h"
#include "core/util/clock.h"
#include "core/win32/dump_win32.h"
#include "core/win32/live_source.h"
#include "bench_stats.h"
#include "bench_target.h"

#define RUNS 3
#define OURS_FILE "bench_minidump_ours.dmp"
#define DBGHELP_FILE "bench_minidump_dbghelp.dmp"

typedef struct phase_times {
    uint64_t scan, facts, write, total, bytes;
} phase_times;

static int write_ours(uint32_t pid, phase_times *t)
{
    uint64_t started = pmm_clock_microseconds();
    pmm_source src;
    pmm_map *map = NULL;
    char message[256];
    if (pmm_live_open(pid, &src, message, sizeof message) != PMM_OK)
        return -1;
    if (pmm_scan_source(&src, NULL, &map) != PMM_OK) {
        pmm_source_close(&src);
        return -1;
    }
    uint64_t scanned = pmm_clock_microseconds();
    pmm_dump_live_facts live;
    pmm_dump_live_facts_gather(pid, map, &live);
    uint64_t facts = pmm_clock_microseconds();
    pmm_md_write_options o = {.memory_mode = PMM_MD_MEMORY_FULL, .system = &live.system, .process = &live.process,
                              .extras = &live.extras};
    pmm_sink sink;
    pmm_md_write_result res;
    int rc = -1;
    if (pmm_sink_open_file(&sink, OURS_FILE, message, sizeof message) == PMM_OK) {
        if (pmm_md_write(&src, map, &o, &sink, &res) == PMM_OK && pmm_sink_commit(&sink) == PMM_OK)
            rc = 0;
        t->bytes = res.file_size;
        pmm_md_write_result_free(&res);
        pmm_sink_close(&sink);
    }
    uint64_t ended = pmm_clock_microseconds();
    pmm_dump_live_facts_free(&live);
    pmm_map_free(map);
    pmm_source_close(&src);
    t->scan = scanned - started;
    t->facts = facts - scanned;
    t->write = ended - facts;
    t->total = ended - started;
    return rc;
}

static uint64_t file_size(const char *path)
{
    WIN32_FILE_ATTRIBUTE_DATA a;
    if (!GetFileAttributesExA(path, GetFileExInfoStandard, &a))
        return 0;
    return (uint64_t)a.nFileSizeHigh << 32 | a.nFileSizeLow;
}

static double mib_per_second(uint64_t bytes, uint64_t microseconds)
{
    return (double)bytes / 1048576.0 / ((double)(microseconds | 1) / 1e6);
}

/* The filled allocations: the committed regions at least 1 MiB large that are private RW memory. */
static void fill_ranges(const pmm_map *map, pmm_dump_ranges *out)
{
    for (size_t i = 0; i < map->region_count; i++) {
        const pmm_region *r = &map->regions[i];
        if (r->state == PMM_MEM_COMMIT && r->type == PMM_MEM_PRIVATE && r->protect == PMM_PAGE_READWRITE &&
            r->size >= (1u << 20))
            pmm_dump_ranges_add(out, r->base, r->size);
    }
}

static void remove_outputs(const char *path, pmm_region_dump_format f, const pmm_dump_ranges *ranges)
{
    char name[600];
    if (f == PMM_RDUMP_REGIONS) {
        for (size_t i = 0; i < ranges->count; i++) {
            snprintf(name, sizeof name, "%s/0x%llx.bin", path, (unsigned long long)ranges->items[i].address);
            DeleteFileA(name);
        }
        snprintf(name, sizeof name, "%s/regions.map", path);
        DeleteFileA(name);
        RemoveDirectoryA(path);
        return;
    }
    DeleteFileA(path);
    snprintf(name, sizeof name, "%s.map", path);
    DeleteFileA(name);
}

/* The floor under every writer: the same regions read in the copier's 1 MiB chunks, written nowhere. */
static void bench_read_floor(uint32_t pid)
{
    pmm_source src;
    pmm_map *map = NULL;
    char message[256];
    if (pmm_live_open(pid, &src, message, sizeof message) != PMM_OK || pmm_scan_source(&src, NULL, &map) != PMM_OK)
        return;
    uint8_t *buf = malloc(1u << 20);
    uint64_t best = UINT64_MAX, bytes = 0;
    for (int run = 0; run < RUNS && buf; run++) {
        uint64_t started = pmm_clock_microseconds();
        bytes = 0;
        for (size_t i = 0; i < map->region_count; i++) {
            const pmm_region *r = &map->regions[i];
            if (!pmm_dump_region_is_saved(r))
                continue;
            for (uint64_t at = 0; at < r->size; at += 1u << 20) {
                size_t n = r->size - at < (1u << 20) ? (size_t)(r->size - at) : (1u << 20);
                bytes += pmm_source_read(&src, r->base + at, buf, n);
            }
        }
        uint64_t took = pmm_clock_microseconds() - started;
        if (took < best)
            best = took;
    }
    if (buf)
        printf("  read-only floor (every saved region read in 1 MiB chunks, nothing written): %.1f ms for %.1f MiB, "
               "%.0f MB/s\n", best / 1000.0, bytes / 1048576.0, mib_per_second(bytes, best));
    free(buf);
    pmm_map_free(map);
    pmm_source_close(&src);
}

static void bench_formats(uint32_t pid)
{
    pmm_source src;
    pmm_map *map = NULL;
    char message[512];
    if (pmm_live_open(pid, &src, message, sizeof message) != PMM_OK || pmm_scan_source(&src, NULL, &map) != PMM_OK) {
        fprintf(stderr, "bench_minidump: cannot scan the target for the format runs\n");
        return;
    }
    pmm_dump_ranges ranges = {0};
    fill_ranges(map, &ranges);
    static const char *const names[] = {"regions", "single", "sparse", "full"};
    printf("  formats over the filled allocations (%zu regions, %.1f MiB), best of %d:\n", ranges.count,
           (double)pmm_dump_ranges_total(&ranges) / 1048576.0, RUNS);
    for (int f = 0; f < 4; f++) {
        uint64_t best = UINT64_MAX, bytes = 0;
        char path[64];
        snprintf(path, sizeof path, "bench_minidump_%s.out", names[f]);
        for (int i = 0; i < RUNS; i++) {
            pmm_region_dump_options o = {(pmm_region_dump_format)f, path, 0, pmm_dump_make_sparse, NULL, NULL};
            pmm_region_dump_result res;
            uint64_t started = pmm_clock_microseconds();
            pmm_status st = pmm_region_dump(&src, &ranges, &o, &res, message, sizeof message);
            uint64_t took = pmm_clock_microseconds() - started;
            if (st != PMM_OK) {
                printf("    %-8s failed: %s\n", names[f], message);
                pmm_region_dump_result_free(&res);
                break;
            }
            bytes = res.bytes;
            if (took < best)
                best = took;
            pmm_region_dump_result_free(&res);
            remove_outputs(path, (pmm_region_dump_format)f, &ranges);
        }
        if (best != UINT64_MAX)
            printf("    %-8s %8.1f ms  %7.0f MB/s\n", names[f], best / 1000.0, mib_per_second(bytes, best));
        fflush(stdout);
    }
    pmm_dump_ranges_free(&ranges);
    pmm_map_free(map);
    pmm_source_close(&src);
}

int main(int argc, char **argv)
{
    bench_target c;
    if (argc < 2) {
        fprintf(stderr, "usage: bench_minidump TARGET_EXE [MIB]\n");
        return 2;
    }
    const char *mib = argc > 2 ? argv[2] : "1024";
    if (bench_target_start(argv[1], "--fill-mib", mib, &c) != 0) {
        fprintf(stderr, "bench_minidump: could not start %s\n", argv[1]);
        return 1;
    }
    char message[512];
    uint64_t ours[RUNS], theirs[RUNS];
    double ratios[RUNS];
    phase_times best_phases = {0};
    uint64_t dbghelp_bytes = 0;
    int dbghelp_runs_skipped = 0;
    printf("minidump bench: %s MiB filled; ours (scan + facts + write) vs dbghelp MiniDumpWithFullMemory\n", mib);
    for (int i = 0; i < RUNS; i++) {   /* interleaved */
        phase_times t;
        if (write_ours(c.pid, &t) != 0) {
            fprintf(stderr, "bench_minidump: our minidump failed\n");
            bench_target_stop(&c);
            return 1;
        }
        ours[i] = t.total;
        if (i == 0 || t.total < best_phases.total)
            best_phases = t;
        DeleteFileA(OURS_FILE);
        if (i > 0 && theirs[0] > 30000000u) {
            /* Wine's dbghelp takes minutes per GiB: one run decides; the ours runs go on. */
            theirs[i] = theirs[0];
            ratios[i] = (double)ours[i] / (double)(theirs[i] | 1);
            dbghelp_runs_skipped++;
            continue;
        }
        uint64_t started = pmm_clock_microseconds();
        if (pmm_dbghelp_write(c.pid, 0x2 /* MiniDumpWithFullMemory */, DBGHELP_FILE, message, sizeof message) != PMM_OK) {
            fprintf(stderr, "bench_minidump: dbghelp failed: %s\n", message);
            bench_target_stop(&c);
            return 1;
        }
        theirs[i] = pmm_clock_microseconds() - started;
        dbghelp_bytes = file_size(DBGHELP_FILE);
        DeleteFileA(DBGHELP_FILE);
        ratios[i] = (double)ours[i] / (double)(theirs[i] | 1);
    }
    bench_sort_u64(ours, RUNS);
    bench_sort_u64(theirs, RUNS);
    bench_sort_double(ratios, RUNS);
    double ratio = (double)ours[0] / (double)(theirs[0] | 1);
    printf("  ours:    %8.1f ms (median %.1f) for a %.1f MiB file, %.0f MB/s; phases of the best run: scan %.1f ms, "
           "thread and handle facts %.1f ms, write %.1f ms\n",
           ours[0] / 1000.0, ours[RUNS / 2] / 1000.0, best_phases.bytes / 1048576.0,
           mib_per_second(best_phases.bytes, ours[0]), best_phases.scan / 1000.0, best_phases.facts / 1000.0,
           best_phases.write / 1000.0);
    printf("  dbghelp: %8.1f ms (median %.1f) for a %.1f MiB file, %.0f MB/s%s\n", theirs[0] / 1000.0,
           theirs[RUNS / 2] / 1000.0, dbghelp_bytes / 1048576.0, mib_per_second(dbghelp_bytes, theirs[0]),
           dbghelp_runs_skipped ? " (one run only: it took over 30 s)" : "");
    printf("  ratio ours/dbghelp: %.3f best-of-%d (goal <= 0.7) %s; per-run ratios min %.3f median %.3f max %.3f\n",
           ratio, RUNS, ratio <= 0.7 ? "MET" : "NOT MET", ratios[0], ratios[RUNS / 2], ratios[RUNS - 1]);
    bench_read_floor(c.pid);
    fflush(stdout);
    bench_formats(c.pid);
    bench_target_stop(&c);
    return 0;
}
