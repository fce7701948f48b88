/* The preview a scan hands out while it walks (pmm_scan_options.preview): the regions so far in
 * a map of their own, so the caller may keep it while the scan goes on adding to its map. */
#include "analyzers.h"

#include <string.h>
#include "../util/array.h"

pmm_status pmm_scan_preview_map(const pmm_map *map, pmm_map **out)
{
    *out = NULL;
    pmm_map *preview = pmm_map_new();
    if (!preview)
        return PMM_ERR_NOMEM;
    preview->target = map->target;
    preview->scan_flags = PMM_SCAN_PREVIEW;
    pmm_status st = pmm_array_reserve((void **)&preview->regions, &preview->region_cap, map->region_count,
                                      sizeof *preview->regions);
    if (st == PMM_OK) {
        memcpy(preview->regions, map->regions, map->region_count * sizeof *map->regions);
        preview->region_count = map->region_count;
        st = pmm_map_finish(preview);
    }
    for (size_t n = 0; st == PMM_OK && n < preview->allocation_count; n++) {
        size_t first, count;
        pmm_map_allocation_regions(preview, n, &first, &count);
        pmm_region_kind kind = pmm_kind_from_memory_type(&preview->regions[first]);
        for (size_t i = first; i < first + count; i++)
            preview->regions[i].kind = (uint8_t)kind;
    }
    if (st != PMM_OK) {
        pmm_map_free(preview);
        return st;
    }
    *out = preview;
    return PMM_OK;
}
