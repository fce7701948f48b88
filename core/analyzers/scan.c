#include "scan.h"

#include <stdlib.h>
#include <string.h>
#include "analyzers.h"
#include "../util/clock.h"

/* Every analyzer, in the order they run; each entry says why it stands where it does. A new
 * analyzer goes here too. The weights share the progress after the walk roughly as the time of a
 * big scan does (heap signatures and modules read every region; stacks name frames). */
static const pmm_analyzer analyzers[] = {
    {"regions", pmm_analyze_regions, 0},   /* first: everything else annotates these regions */
    {"working_set", pmm_analyze_working_set, 1},  /* right after the walk: the pages as they were then */
    {"threads", pmm_analyze_threads, 1},   /* before the PEB: a TEB can tell where the PEB is */
    {"peb", pmm_analyze_peb, 1},
    {"os_heaps", pmm_analyze_os_heaps, 1},       /* after the PEB: its heaps keep their IDs */
    {"heap_signatures", pmm_analyze_heap_signatures, 4},   /* after both: only heaps nobody listed */
    {"modules", pmm_analyze_modules, 4},
    {"pe_images", pmm_analyze_pe_images, 1},
    {"peb_extras", pmm_analyze_peb_extras, 1},   /* what else the PEB points at: ApiSetMap, code pages... */
    {"seh", pmm_analyze_seh, 1},                 /* before stacks, which names the handlers with the frames */
    {"stacks", pmm_analyze_stacks, 2},           /* needs the modules: unwind data and names come from them */
};
#define ANALYZER_COUNT (sizeof analyzers / sizeof analyzers[0])
#define FINISH_WEIGHT 1   /* pmm_map_finish and classifying */

/* Points the progress at analyzer i (the walk for 0, finishing for ANALYZER_COUNT). */
static void enter_stage(pmm_scan *scan, size_t i)
{
    const uint64_t walk = (uint64_t)PMM_SCAN_PROGRESS_TOTAL / 1000 * PMM_SCAN_WALK_SHARE;
    unsigned before = 0, all = FINISH_WEIGHT;
    for (size_t n = 1; n < ANALYZER_COUNT; n++) {
        all += analyzers[n].weight;
        if (n < i)
            before += analyzers[n].weight;
    }
    if (i == 0) {
        scan->stage_from = 0;
        scan->stage_span = walk;
        return;
    }
    unsigned weight = i < ANALYZER_COUNT ? analyzers[i].weight : FINISH_WEIGHT;
    scan->stage_from = walk + (PMM_SCAN_PROGRESS_TOTAL - walk) * before / all;
    scan->stage_span = (PMM_SCAN_PROGRESS_TOTAL - walk) * weight / all;
}

/* A target that exited during the scan may have answered some queries before it went: say so
 * rather than present a partial map as the whole. */
static pmm_status check_still_alive(pmm_scan *scan, pmm_status st)
{
    if (st == PMM_OK || st == PMM_ERR_READ || st == PMM_ERR_FORMAT)
        if (pmm_source_alive(scan->src) == PMM_ERR_GONE)
            return PMM_ERR_GONE;
    return st;
}

#define MAX_SOURCE_NOTES 256

static pmm_status copy_source_notes(pmm_scan *scan)
{
    const char *note;
    for (size_t i = 0; i < MAX_SOURCE_NOTES && (note = pmm_source_note(scan->src, i)); i++) {
        pmm_status st = pmm_map_warn(scan->map, "%s", note);
        if (st != PMM_OK)
            return st;
    }
    return PMM_OK;
}

pmm_status pmm_scan_source(pmm_source *src, const pmm_scan_options *options, pmm_map **out)
{
    static const pmm_scan_options defaults = {0};
    *out = NULL;
    pmm_map *map = pmm_map_new();
    if (!map)
        return PMM_ERR_NOMEM;
    map->target = src->target;
    pmm_scan scan;
    memset(&scan, 0, sizeof scan);
    scan.src = src;
    scan.map = map;
    scan.options = options ? options : &defaults;

    uint64_t started = pmm_clock_microseconds();
    pmm_status st = copy_source_notes(&scan);
    for (size_t i = 0; i < ANALYZER_COUNT && st == PMM_OK; i++) {
        enter_stage(&scan, i);
        if (i && pmm_scan_step(&scan, 0, 1))
            st = PMM_ERR_CANCELLED;
        else
            st = analyzers[i].run(&scan);
    }
    enter_stage(&scan, ANALYZER_COUNT);
    if (st == PMM_OK && pmm_scan_step(&scan, 0, 1))
        st = PMM_ERR_CANCELLED;
    if (st == PMM_OK)
        st = pmm_map_finish(map);
    if (st == PMM_OK)
        st = pmm_classify_regions(&scan);
    st = check_still_alive(&scan, st);
    if (st != PMM_OK) {
        pmm_map_free(map);
        return st;
    }
    map->scan_microseconds = pmm_clock_microseconds() - started;
    *out = map;
    return PMM_OK;
}

int pmm_scan_step(pmm_scan *scan, uint64_t done, uint64_t total)
{
    const pmm_scan_options *o = scan->options;
    if (!o->progress)
        return 0;
    /* In floating point: done * span could overflow for a walk counted in bytes. */
    uint64_t share = total ? (done >= total ? scan->stage_span
                                            : (uint64_t)((double)done / (double)total * (double)scan->stage_span))
                           : 0;
    return o->progress(o->progress_ctx, scan->stage_from + share, PMM_SCAN_PROGRESS_TOTAL);
}

int pmm_scan_allocation_extent(const pmm_map *map, uint64_t addr, uint64_t *base, uint64_t *size)
{
    size_t i = pmm_map_find(map, addr);
    if (i == PMM_NO_INDEX || map->regions[i].state == PMM_MEM_FREE)
        return 0;
    uint64_t alloc = map->regions[i].alloc_base;
    size_t first = i, last = i;
    while (first > 0 && map->regions[first - 1].state != PMM_MEM_FREE &&
           map->regions[first - 1].alloc_base == alloc)
        first--;
    while (last + 1 < map->region_count && map->regions[last + 1].state != PMM_MEM_FREE &&
           map->regions[last + 1].alloc_base == alloc)
        last++;
    *base = map->regions[first].base;
    *size = map->regions[last].base + map->regions[last].size - *base;
    return 1;
}
