/* Which regions a dump of the selected rows saves: every committed, readable region (as
 * `pmm dump` would save it) overlapping the rows' address ranges, each once, in address order.
 * Plain C, no windows. */
#ifndef PMM_GUI_DUMP_SELECTION_H
#define PMM_GUI_DUMP_SELECTION_H

#include <stddef.h>
#include <stdint.h>
#include "core/model/map.h"

/* Writes the start of each such region overlapping any [starts[i], ends[i]) to out (at most cap;
 * cap = map->region_count always suffices); returns how many. */
size_t dump_selection_regions(const pmm_map *map, const uint64_t *starts, const uint64_t *ends, size_t range_count,
                              uint64_t *out, size_t cap);

#endif
