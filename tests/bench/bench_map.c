/* Benchmark for `pmm map`: a target with many allocations, mapped by the engine (scan plus text
 * output, what `pmm map` does after process start-up) against a bare VirtualQueryEx walk of the
 * same process in the same run. Prints the ratio (goal <= 1.5) and map bytes per region (goal
 * <= 256). Usage: bench_map.exe TARGET_EXE [ALLOCATIONS] */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include "core/analyzers/scan.h"
#include "core/tools/map_output.h"
#include "core/util/clock.h"
#include "core/win32/live_source.h"
#include "bench_stats.h"
#include "bench_target.h"

#define RUNS 5

static uint64_t bare_walk(DWORD pid, size_t *regions)
{
    HANDLE h = OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, FALSE, pid);
    MEMORY_BASIC_INFORMATION mbi;
    uint64_t started = pmm_clock_microseconds();
    ULONG_PTR addr = 0;
    *regions = 0;
    while (VirtualQueryEx(h, (LPCVOID)addr, &mbi, sizeof mbi)) {
        (*regions)++;
        ULONG_PTR next = (ULONG_PTR)mbi.BaseAddress + mbi.RegionSize;
        if (next <= addr)
            break;
        addr = next;
    }
    uint64_t elapsed = pmm_clock_microseconds() - started;
    CloseHandle(h);
    return elapsed;
}

static uint64_t engine_map(DWORD pid, size_t *regions, size_t *bytes)
{
    pmm_source src;
    pmm_map *map = NULL;
    char message[256];
    uint64_t started = pmm_clock_microseconds();
    if (pmm_live_open(pid, &src, message, sizeof message) != PMM_OK) {
        fprintf(stderr, "bench_map: %s\n", message);
        exit(1);
    }
    if (pmm_scan_source(&src, NULL, &map) != PMM_OK) {
        fprintf(stderr, "bench_map: scan failed\n");
        exit(1);
    }
    pmm_out out = pmm_out_null();
    pmm_map_write_text(map, &out);
    uint64_t elapsed = pmm_clock_microseconds() - started;
    *regions = map->region_count;
    *bytes = pmm_map_memory(map);
    pmm_map_free(map);
    pmm_source_close(&src);
    return elapsed;
}

int main(int argc, char **argv)
{
    bench_target c;
    uint64_t bare[RUNS], engine[RUNS];
    size_t bare_regions = 0, regions = 0, bytes = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: bench_map TARGET_EXE [ALLOCATIONS]\n");
        return 2;
    }
    const char *allocations = argc > 2 ? argv[2] : "100000";
    if (bench_target_start(argv[1], "--allocations", allocations, &c) != 0) {
        fprintf(stderr, "bench_map: could not start %s\n", argv[1]);
        return 1;
    }
    for (int i = 0; i < RUNS; i++) {  /* interleaved, so both see the same machine state */
        bare[i] = bare_walk(c.pid, &bare_regions);
        engine[i] = engine_map(c.pid, &regions, &bytes);
    }
    bench_target_stop(&c);
    bench_sort_u64(bare, RUNS);
    bench_sort_u64(engine, RUNS);
    double ratio = (double)engine[RUNS / 2] / (double)(bare[RUNS / 2] ? bare[RUNS / 2] : 1);
    double per_region = (double)bytes / (double)(regions ? regions : 1);
    printf("map bench: %s allocations requested, %zu regions (bare walk saw %zu)\n", allocations, regions, bare_regions);
    printf("  bare VirtualQueryEx walk: %.1f ms (median of %d)\n", bare[RUNS / 2] / 1000.0, RUNS);
    printf("  pmm map (scan + text):    %.1f ms (median of %d)\n", engine[RUNS / 2] / 1000.0, RUNS);
    printf("  ratio: %.2f (goal <= 1.50) %s\n", ratio, ratio <= 1.5 ? "MET" : "NOT MET");
    printf("  map memory: %.1f bytes per region (goal <= 256) %s\n", per_region, per_region <= 256 ? "MET" : "NOT MET");
    return 0;
}
