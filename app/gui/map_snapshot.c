#include "map_snapshot.h"

#include <stdio.h>
#include <stdlib.h>
#include "core/formats/saved_map.h"

pmm_status map_snapshot_copy(const pmm_map *map, pmm_map **out, char *message, size_t message_cap)
{
    uint8_t *data = NULL;
    size_t size = 0;
    *out = NULL;
    pmm_status st = pmm_saved_map_encode(map, NULL, &data, &size);
    if (st != PMM_OK) {
        snprintf(message, message_cap, "not enough memory to copy the map");
        return st;
    }
    st = pmm_saved_map_decode(data, size, out, NULL, message, message_cap);
    free(data);
    if (st == PMM_OK)
        (*out)->target.source_kind = map->target.source_kind;   /* a copy, not a file the user saved */
    return st;
}
