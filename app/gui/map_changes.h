/* What changed between two scans of the same target, for the F5 highlight: each region of the new
 * map is new (no region started at its address before), changed (same address, but another size,
 * state or protection) or unchanged. Deliberately small and separate from the engine's map diff so
 * that one can replace it later. Free space is never marked: it changes whenever a neighbour does.
 * Plain C, no windows. */
#ifndef PMM_GUI_MAP_CHANGES_H
#define PMM_GUI_MAP_CHANGES_H

#include <stddef.h>
#include <stdint.h>
#include "core/model/map.h"

enum map_change { MAP_CHANGE_NONE, MAP_CHANGE_CHANGED, MAP_CHANGE_NEW };

typedef struct map_changes {
    uint8_t *regions;        /* map_change per region of the new map; NULL when not compared */
    uint8_t *allocations;    /* per allocation: the strongest change of its regions */
    size_t region_count, allocation_count;
    size_t changed, added, removed;
} map_changes;

void map_changes_init(map_changes *c);
void map_changes_free(map_changes *c);
/* Compares; on failure (out of memory) c is left empty. */
pmm_status map_changes_compute(map_changes *c, const pmm_map *old_map, const pmm_map *new_map);
/* MAP_CHANGE_* of a region or allocation of the new map (NONE when nothing was compared). */
int map_changes_region(const map_changes *c, size_t region);
int map_changes_allocation(const map_changes *c, size_t allocation);

#endif
