/* The map as text (VMMap's detail view, for people) and as JSON (for scripts; schema in README). */
#ifndef PMM_MAP_OUTPUT_H
#define PMM_MAP_OUTPUT_H

#include "../model/map.h"
#include "../util/json_writer.h"

#define PMM_MAP_JSON_VERSION 1

void pmm_map_write_text(const pmm_map *map, pmm_out *out);
void pmm_map_write_json(const pmm_map *map, pmm_out *out);

/* Pieces the other JSON writers (saved map, diff) reuse. */
void pmm_json_write_target(pmm_json *json, const pmm_target_info *target);
void pmm_json_write_region(pmm_json *json, const pmm_map *map, const pmm_region *r);

#endif
