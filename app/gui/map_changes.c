#include "map_changes.h"

#include <stdlib.h>
#include <string.h>

void map_changes_init(map_changes *c)
{
    memset(c, 0, sizeof *c);
}

void map_changes_free(map_changes *c)
{
    free(c->regions);
    free(c->allocations);
    map_changes_init(c);
}

static int differs(const pmm_region *a, const pmm_region *b)
{
    return a->size != b->size || a->state != b->state || a->protect != b->protect || a->type != b->type;
}

/* Both region arrays are sorted by address, so one merge pass pairs them. */
static void compare_regions(map_changes *c, const pmm_map *old_map, const pmm_map *new_map)
{
    size_t i = 0, j = 0;
    while (j < new_map->region_count) {
        const pmm_region *n = &new_map->regions[j];
        while (i < old_map->region_count && old_map->regions[i].base < n->base) {
            if (old_map->regions[i].state != PMM_MEM_FREE)
                c->removed++;
            i++;
        }
        int change = MAP_CHANGE_NONE;
        if (n->state != PMM_MEM_FREE) {
            if (i >= old_map->region_count || old_map->regions[i].base != n->base)
                change = MAP_CHANGE_NEW;
            else if (differs(&old_map->regions[i], n))
                change = MAP_CHANGE_CHANGED;
        }
        c->regions[j] = (uint8_t)change;
        c->added += change == MAP_CHANGE_NEW;
        c->changed += change == MAP_CHANGE_CHANGED;
        if (i < old_map->region_count && old_map->regions[i].base == n->base)
            i++;
        j++;
    }
    for (; i < old_map->region_count; i++)
        if (old_map->regions[i].state != PMM_MEM_FREE)
            c->removed++;
}

pmm_status map_changes_compute(map_changes *c, const pmm_map *old_map, const pmm_map *new_map)
{
    map_changes_free(c);
    if (!old_map || !new_map)
        return PMM_OK;
    c->regions = calloc(new_map->region_count ? new_map->region_count : 1, 1);
    c->allocations = calloc(new_map->allocation_count ? new_map->allocation_count : 1, 1);
    if (!c->regions || !c->allocations) {
        map_changes_free(c);
        return PMM_ERR_NOMEM;
    }
    c->region_count = new_map->region_count;
    c->allocation_count = new_map->allocation_count;
    compare_regions(c, old_map, new_map);
    for (size_t a = 0; a < new_map->allocation_count; a++) {
        size_t first, count;
        pmm_map_allocation_regions(new_map, a, &first, &count);
        uint8_t strongest = MAP_CHANGE_NONE;
        for (size_t k = first; k < first + count; k++)
            if (c->regions[k] > strongest)
                strongest = c->regions[k];
        c->allocations[a] = strongest;
    }
    return PMM_OK;
}

int map_changes_region(const map_changes *c, size_t region)
{
    return c->regions && region < c->region_count ? c->regions[region] : MAP_CHANGE_NONE;
}

int map_changes_allocation(const map_changes *c, size_t allocation)
{
    return c->allocations && allocation < c->allocation_count ? c->allocations[allocation] : MAP_CHANGE_NONE;
}
