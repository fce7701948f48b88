/* The map as text (VMMap's detail view, for people) and as JSON (for scripts; schema in README). */
#ifndef PMM_MAP_OUTPUT_H
#define PMM_MAP_OUTPUT_H

#include "../model/map.h"
#include "../util/json_writer.h"
#include "map_summary.h"

#define PMM_MAP_JSON_VERSION 1

void pmm_map_write_text(const pmm_map *map, pmm_out *out);
void pmm_map_write_json(const pmm_map *map, pmm_out *out);

/* Pieces the other JSON writers (saved map, diff) reuse. */
void pmm_json_write_target(pmm_json *json, const pmm_target_info *target);
/* r must be one of map's regions (its usage is looked up by index). */
void pmm_json_write_region(pmm_json *json, const pmm_map *map, const pmm_region *r);
/* "committed", "private" and, when the map has working-set facts, the five "ws_*" keys. */
void pmm_json_write_usage(pmm_json *json, const pmm_usage *u, int has_working_set);

#endif
