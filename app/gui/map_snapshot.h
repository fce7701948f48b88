/* An independent copy of a map for a worker thread. The window's map can be replaced (and freed)
 * by a refresh while a save, a comparison or a dump is still running, so workers get a copy of
 * their own, made through the saved-map encoding (a few ms per 10,000 regions). Plain C. */
#ifndef PMM_GUI_MAP_SNAPSHOT_H
#define PMM_GUI_MAP_SNAPSHOT_H

#include <stddef.h>
#include "core/model/map.h"

/* On success *out is a finished map equal to map (its source kind included) that the caller frees
 * with pmm_map_free; on failure message says why. */
pmm_status map_snapshot_copy(const pmm_map *map, pmm_map **out, char *message, size_t message_cap);

#endif
