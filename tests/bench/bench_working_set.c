/* Benchmark of the working-set facts: this process commits N MiB (default 1024) of private memory
 * and writes every page, then maps itself (Wine tells a working set only to the process itself)
 * with and without asking which pages are resident, interleaved, and times the OS alone answering
 * the same questions (QueryWorkingSetEx over every committed page, batches of 4096, nothing
 * counted). Prints the medians, the ratio with/without (goal <= 1.3) and the engine's own share.
 * Usage: bench_working_set.exe [MIB] */
#include <windows.h>
#include <psapi.h>
#include <stdio.h>
#include <stdlib.h>
#include "core/analyzers/scan.h"
#include "core/tools/map_summary.h"
#include "core/util/clock.h"
#include "core/win32/live_source.h"
#include "bench_stats.h"

#define RUNS 5

static uint64_t scan_self(uint32_t flags, uint64_t *resident)
{
    pmm_source src;
    pmm_map *map = NULL;
    char message[256];
    pmm_scan_options options = {.flags = flags};
    uint64_t started = pmm_clock_microseconds();
    if (pmm_live_open(GetCurrentProcessId(), &src, message, sizeof message) != PMM_OK ||
        pmm_scan_source(&src, &options, &map) != PMM_OK) {
        fprintf(stderr, "bench_working_set: scan failed %s\n", message);
        exit(1);
    }
    uint64_t elapsed = pmm_clock_microseconds() - started;
    pmm_map_summary s;
    pmm_map_summarize(map, &s);
    *resident = s.total.usage.ws_total;
    pmm_map_free(map);
    pmm_source_close(&src);
    return elapsed;
}

/* The OS's own time for the questions the scan asks: every committed page, in batches. */
static uint64_t bare_queries(void)
{
    static PSAPI_WORKING_SET_EX_INFORMATION info[PMM_WS_MAX_BATCH];
    MEMORY_BASIC_INFORMATION mbi;
    uint64_t started = pmm_clock_microseconds();
    for (ULONG_PTR addr = 0; VirtualQuery((LPCVOID)addr, &mbi, sizeof mbi); addr += mbi.RegionSize) {
        if (mbi.State != MEM_COMMIT)
            continue;
        ULONG_PTR base = (ULONG_PTR)mbi.BaseAddress, pages = mbi.RegionSize / 4096;
        for (ULONG_PTR done = 0; done < pages;) {
            ULONG_PTR n = pages - done < PMM_WS_MAX_BATCH ? pages - done : PMM_WS_MAX_BATCH;
            for (ULONG_PTR i = 0; i < n; i++)
                info[i].VirtualAddress = (PVOID)(base + (done + i) * 4096);
            QueryWorkingSetEx(GetCurrentProcess(), info, (DWORD)(n * sizeof info[0]));
            done += n;
        }
        if ((ULONG_PTR)mbi.BaseAddress + mbi.RegionSize < addr)
            break;
    }
    return pmm_clock_microseconds() - started;
}

int main(int argc, char **argv)
{
    size_t mib = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 1024;
    size_t size = mib << 20;
    uint8_t *block = mib ? VirtualAlloc(NULL, size, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE) : NULL;
    if (!block) {
        fprintf(stderr, "bench_working_set: cannot commit %zu MiB (error %lu)\n", mib, (unsigned long)GetLastError());
        return 1;
    }
    for (size_t at = 0; at < size; at += 4096)
        block[at] = 1;
    uint64_t bare[RUNS], full[RUNS], os[RUNS], resident = 0, ignored;
    for (int i = 0; i < RUNS; i++) {   /* interleaved, so all see the same machine state */
        bare[i] = scan_self(PMM_SCAN_NO_WORKING_SET, &ignored);
        full[i] = scan_self(0, &resident);
        os[i] = bare_queries();
    }
    bench_sort_u64(bare, RUNS);
    bench_sort_u64(full, RUNS);
    bench_sort_u64(os, RUNS);
    double ratio = (double)full[RUNS / 2] / (double)(bare[RUNS / 2] ? bare[RUNS / 2] : 1);
    printf("working-set bench: %zu MiB committed and touched; Total WS measured %llu MiB\n", mib,
           (unsigned long long)(resident >> 20));
    printf("  scan without working set: %.1f ms (median of %d, best %.1f)\n", bare[RUNS / 2] / 1000.0, RUNS,
           bare[0] / 1000.0);
    printf("  scan with working set:    %.1f ms (median of %d, best %.1f)\n", full[RUNS / 2] / 1000.0, RUNS,
           full[0] / 1000.0);
    printf("  QueryWorkingSetEx alone over the same pages: %.1f ms (median of %d)\n", os[RUNS / 2] / 1000.0, RUNS);
    printf("  ratio: %.2f (goal <= 1.30) %s\n", ratio, ratio <= 1.3 ? "MET" : "NOT MET");
    printf("  engine's own share of the added time: %.1f ms (with - without - the OS's answers)\n",
           ((double)full[RUNS / 2] - (double)bare[RUNS / 2] - (double)os[RUNS / 2]) / 1000.0);
    return 0;
}
