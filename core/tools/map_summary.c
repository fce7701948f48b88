#include "map_summary.h"

#include <string.h>

uint64_t pmm_allocation_committed(const pmm_map *map, size_t first, size_t count)
{
    uint64_t committed = 0;
    for (size_t i = first; i < first + count; i++)
        if (map->regions[i].state == PMM_MEM_COMMIT)
            committed += map->regions[i].size;
    return committed;
}

uint32_t pmm_allocation_shared_protect(const pmm_map *map, size_t first, size_t count)
{
    uint32_t shared = 0;
    for (size_t i = first; i < first + count; i++) {
        const pmm_region *r = &map->regions[i];
        if (r->state != PMM_MEM_COMMIT)
            continue;
        if (shared && r->protect != shared)
            return 0;
        shared = r->protect;
    }
    return shared;
}

static void add_to(pmm_kind_totals *t, uint64_t size, uint64_t committed)
{
    t->size += size;
    t->committed += committed;
    t->blocks++;
    if (size > t->largest)
        t->largest = size;
}

void pmm_map_summarize(const pmm_map *map, pmm_map_summary *out)
{
    memset(out, 0, sizeof *out);
    for (size_t n = 0; n < map->allocation_count; n++) {
        size_t first, count;
        pmm_map_allocation_regions(map, n, &first, &count);
        const pmm_region *r = &map->regions[first];
        const pmm_region *last = &map->regions[first + count - 1];
        uint64_t size = last->base + last->size - r->base;
        uint64_t committed = pmm_allocation_committed(map, first, count);
        if (r->kind < PMM_KIND_COUNT)
            add_to(&out->kinds[r->kind], size, committed);
        if (r->kind != PMM_KIND_FREE)
            add_to(&out->total, size, committed);
    }
}
