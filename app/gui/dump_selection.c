#include "dump_selection.h"

#include <stdlib.h>
#include "core/formats/minidump_write.h"

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Sorts and drops repeats: an allocation row and its own region rows name the same regions. */
static size_t sort_unique(uint64_t *items, size_t n)
{
    if (n < 2)
        return n;
    qsort(items, n, sizeof *items, compare_u64);
    size_t kept = 1;
    for (size_t i = 1; i < n; i++)
        if (items[i] != items[kept - 1])
            items[kept++] = items[i];
    return kept;
}

size_t dump_selection_regions(const pmm_map *map, const uint64_t *starts, const uint64_t *ends, size_t range_count,
                              uint64_t *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < range_count; i++) {
        size_t r = pmm_map_find(map, starts[i]);
        for (; r != PMM_NO_INDEX && r < map->region_count && map->regions[r].base < ends[i] && n < cap; r++)
            if (pmm_dump_region_is_saved(&map->regions[r]))
                out[n++] = map->regions[r].base;
        if (n == cap)
            n = sort_unique(out, n);   /* room again, unless every region is already in */
    }
    return sort_unique(out, n);
}
