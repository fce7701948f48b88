/* Saved maps and comparison at scale: two synthetic maps of 100,000 regions each (the second with
 * allocations added, removed, re-protected and re-described, as between two snapshots of a busy
 * process), then the best of several runs of: diff, save (encode + write file), load (read +
 * decode). Goals: diff < 100 ms, save and load < 300 ms each. Pure core code: runs natively or
 * under Wine. Usage: bench_saved_map [REGIONS] [FOLDER]   (exit 1 when a goal is missed) */
#include <stdio.h>
#include <stdlib.h>
#include "core/formats/saved_map.h"
#include "core/tools/map_diff.h"
#include "core/util/clock.h"

#define RUNS 5

/* Allocations of two regions (committed RW + reserved) 64 KiB apart; every 97th allocation of
 * the second map is re-protected, every 89th is gone and every 83rd is new. */
static pmm_map *build_map(size_t regions, int changed)
{
    pmm_map *map = pmm_map_new();
    map->target.pointer_size = 8;
    map->target.source_kind = PMM_SOURCE_LIVE;
    snprintf(map->target.name, sizeof map->target.name, "bench.exe");
    uint64_t base = 0x10000000ull;
    char details[64];
    for (size_t n = 0; map->region_count + 2 <= regions; n++, base += 0x10000) {
        int skip = changed ? n % 89 == 0 : n % 83 == 0;
        if (skip)
            continue;
        pmm_region_info a = {base, 0x3000, base, PMM_PAGE_READWRITE, PMM_PAGE_READWRITE, PMM_MEM_COMMIT, PMM_MEM_PRIVATE};
        pmm_region_info b = {base + 0x3000, 0xD000, base, PMM_PAGE_READWRITE, 0, PMM_MEM_RESERVE, PMM_MEM_PRIVATE};
        if (changed && n % 97 == 0)
            a.protect = PMM_PAGE_READONLY;
        if (pmm_map_add_region(map, &a) != PMM_OK || pmm_map_add_region(map, &b) != PMM_OK)
            exit(2);
        snprintf(details, sizeof details, "Heap (ID %zu)", changed && n % 101 == 0 ? n + 1 : n % 5000);
        pmm_map_set_details(map, map->region_count - 2, details);
        pmm_map_add_annotation(map, base, 0x100, PMM_ANN_HEAP, 64, (uint32_t)n, "heap header");
    }
    for (uint32_t t = 0; t < 64; t++) {
        pmm_thread thread = {.tid = 100 + t + (changed && t % 7 == 0 ? 1000 : 0), .teb = 0x7ff00000ull + t * 0x2000};
        pmm_map_add_thread(map, &thread);
    }
    if (pmm_map_finish(map) != PMM_OK)
        exit(2);
    return map;
}

static double best_ms(uint64_t *times)
{
    uint64_t best = times[0];
    for (int i = 1; i < RUNS; i++)
        best = times[i] < best ? times[i] : best;
    return (double)best / 1000.0;
}

static int report(const char *what, double ms, double goal)
{
    printf("  %-28s %8.1f ms   (goal < %.0f ms) %s\n", what, ms, goal, ms < goal ? "ok" : "SLOW");
    return ms < goal;
}

int main(int argc, char **argv)
{
    size_t regions = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 100000;
    char path[1024];
    snprintf(path, sizeof path, "%s/bench_saved_map.pmm", argc > 2 ? argv[2] : ".");
    pmm_map *old_map = build_map(regions, 0), *new_map = build_map(regions, 1);
    uint64_t diff_t[RUNS], save_t[RUNS], load_t[RUNS];
    size_t changes = 0;
    char message[512];
    for (int run = 0; run < RUNS; run++) {
        uint64_t t0 = pmm_clock_microseconds();
        pmm_map_diff diff;
        if (pmm_map_diff_compute(old_map, NULL, new_map, NULL, &diff) != PMM_OK)
            return 2;
        uint64_t t1 = pmm_clock_microseconds();
        changes = diff.count;
        pmm_map_diff_free(&diff);
        if (pmm_saved_map_save(path, new_map, NULL, message, sizeof message) != PMM_OK) {
            fprintf(stderr, "bench_saved_map: %s\n", message);
            return 2;
        }
        uint64_t t2 = pmm_clock_microseconds();
        pmm_map *loaded;
        if (pmm_saved_map_load(path, &loaded, NULL, message, sizeof message) != PMM_OK) {
            fprintf(stderr, "bench_saved_map: %s\n", message);
            return 2;
        }
        uint64_t t3 = pmm_clock_microseconds();
        pmm_map_free(loaded);
        diff_t[run] = t1 - t0;
        save_t[run] = t2 - t1;
        load_t[run] = t3 - t2;
    }
    remove(path);
    printf("bench_saved_map: %zu and %zu regions, %zu changes found (best of %d runs)\n", old_map->region_count,
           new_map->region_count, changes, RUNS);
    int ok = report("diff", best_ms(diff_t), 100);
    ok &= report("save (encode + write file)", best_ms(save_t), 300);
    ok &= report("load (read + decode)", best_ms(load_t), 300);
    pmm_map_free(old_map);
    pmm_map_free(new_map);
    return ok ? 0 : 1;
}
