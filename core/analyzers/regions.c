/* The region walk: every region from the lowest user address to the highest, in order. */
#include "analyzers.h"

#define DEFAULT_MAX_REGIONS (16u * 1024 * 1024)
#define PROGRESS_EVERY 4096

static uint64_t align_up(uint64_t value, uint64_t alignment)
{
    return (value + alignment - 1) & ~(alignment - 1);
}

/* Free space between an allocation's end and the next 64 KiB boundary can never be allocated:
 * VMMap shows it as "Unusable". Split it off so it is its own region. */
static pmm_status add_free_region(pmm_map *map, const pmm_region_info *info)
{
    uint64_t boundary = align_up(info->base, PMM_ALLOCATION_GRANULARITY);
    if (boundary == info->base || boundary - info->base >= info->size)
        return pmm_map_add_region(map, info);
    pmm_region_info unusable = *info;
    unusable.size = boundary - info->base;
    pmm_status st = pmm_map_add_region(map, &unusable);
    if (st != PMM_OK)
        return st;
    pmm_region_info rest = *info;
    rest.base = boundary;
    rest.size = info->size - unusable.size;
    return pmm_map_add_region(map, &rest);
}

static int report_progress(pmm_scan *scan, uint64_t addr)
{
    const pmm_scan_options *o = scan->options;
    uint64_t total = scan->src->target.highest_address;
    return o->progress && o->progress(o->progress_ctx, addr, total);
}

pmm_status pmm_analyze_regions(pmm_scan *scan)
{
    pmm_map *map = scan->map;
    size_t cap = scan->options->max_regions ? scan->options->max_regions : DEFAULT_MAX_REGIONS;
    uint64_t addr = scan->src->target.lowest_address;
    for (size_t n = 0;; n++) {
        if (n >= cap)
            return PMM_ERR_LIMIT;
        if (n % PROGRESS_EVERY == 0 && report_progress(scan, addr))
            return PMM_ERR_CANCELLED;
        pmm_region_info info;
        pmm_status st = pmm_source_query(scan->src, addr, &info);
        if (st == PMM_END)
            break;
        if (st != PMM_OK)
            return st;
        /* A source must answer with the region at or above addr; anything else would loop. */
        if (info.size == 0 || info.base + info.size <= addr || info.base + info.size < info.base) {
            pmm_map_warn(map, "region walk stopped at 0x%llx: the source returned an inconsistent region",
                         (unsigned long long)addr);
            break;
        }
        if (info.base < addr) {  /* clip a region overlapping one we already have */
            info.size -= addr - info.base;
            info.base = addr;
        }
        st = info.state == PMM_MEM_FREE ? add_free_region(map, &info) : pmm_map_add_region(map, &info);
        if (st != PMM_OK)
            return st;
        addr = info.base + info.size;
        if (addr == 0 || (scan->src->target.highest_address && addr > scan->src->target.highest_address))
            break;
    }
    report_progress(scan, scan->src->target.highest_address);
    return PMM_OK;
}
