#include "scan.h"

#include <stdlib.h>
#include <string.h>
#include "analyzers.h"
#include "../util/clock.h"

/* Every analyzer, in the order they run; each entry says why it stands where it does. A new
 * analyzer goes here too. */
static const pmm_analyzer analyzers[] = {
    {"regions", pmm_analyze_regions},   /* first: everything else annotates these regions */
    {"working_set", pmm_analyze_working_set},  /* right after the walk: the pages as they were then */
    {"threads", pmm_analyze_threads},   /* before the PEB: a TEB can tell where the PEB is */
    {"peb", pmm_analyze_peb},
    {"os_heaps", pmm_analyze_os_heaps},       /* after the PEB: its heaps keep their IDs */
    {"heap_signatures", pmm_analyze_heap_signatures},   /* after both: only heaps nobody listed */
    {"modules", pmm_analyze_modules},
    {"pe_images", pmm_analyze_pe_images},
    {"peb_extras", pmm_analyze_peb_extras},   /* what else the PEB points at: ApiSetMap, code pages... */
    {"seh", pmm_analyze_seh},                 /* before stacks, which names the handlers with the frames */
    {"stacks", pmm_analyze_stacks},           /* needs the modules: unwind data and names come from them */
};

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
    size_t count = sizeof analyzers / sizeof analyzers[0];
    scan.stage_count = count;   /* the analyzers after the walk, then finishing and classifying */
    for (size_t i = 0; i < count && st == PMM_OK; i++) {
        scan.stage = i ? i - 1 : 0;
        if (i && pmm_scan_step(&scan, 0, 1))
            st = PMM_ERR_CANCELLED;
        else
            st = analyzers[i].run(&scan);
    }
    scan.stage = count - 1;
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
    if (!o->progress || !scan->stage_count)
        return 0;
    uint64_t share = total ? (done >= total ? 1000 : done * 1000 / total) : 0;
    return o->progress(o->progress_ctx, scan->stage * 1000 + share, scan->stage_count * 1000);
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
