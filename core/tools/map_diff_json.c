/* A comparison as JSON: format "pmm-diff", version 1 (schema in README). Region entries carry
 * the allocation's regions from each side in the pmm-map region shape, so a script can see
 * exactly what changed without the two maps. */
#include "map_diff.h"

#include "map_output.h"

static void write_regions_of(pmm_json *json, const char *key, const pmm_map *map, size_t allocation)
{
    size_t first, count;
    if (allocation == PMM_NO_INDEX)
        return;
    pmm_map_allocation_regions(map, allocation, &first, &count);
    pmm_json_key(json, key);
    pmm_json_begin_array(json);
    for (size_t i = first; i < first + count; i++)
        pmm_json_write_region(json, map, &map->regions[i]);
    pmm_json_end_array(json);
}

static void write_fields(pmm_json *json, uint32_t fields)
{
    pmm_json_key(json, "fields");
    pmm_json_begin_array(json);
    for (int i = 0; i < PMM_DIFF_FIELD_COUNT; i++)
        if (fields & (1u << i))
            pmm_json_string(json, pmm_diff_field_name(1u << i));
    pmm_json_end_array(json);
}

static void write_region_entry(pmm_json *json, const pmm_map_diff *diff, const pmm_diff_entry *e)
{
    pmm_json_kv_address(json, "allocation", e->allocation);
    pmm_json_kv_address(json, "address", e->address);
    pmm_json_kv_uint(json, "size", e->size);
    write_fields(json, e->fields);
    write_regions_of(json, "old", diff->old_map, e->old_index);
    write_regions_of(json, "new", diff->new_map, e->new_index);
}

static void write_list_entry(pmm_json *json, const pmm_map_diff *diff, const pmm_diff_entry *e)
{
    const pmm_map *map = e->old_index != PMM_NO_INDEX ? diff->old_map : diff->new_map;
    size_t i = e->old_index != PMM_NO_INDEX ? e->old_index : e->new_index;
    if (e->what == PMM_DIFF_MODULE_LOADED || e->what == PMM_DIFF_MODULE_UNLOADED) {
        pmm_json_kv_address(json, "base", e->address);
        pmm_json_kv_uint(json, "size", e->size);
        pmm_json_kv_string(json, "name", pmm_map_text(map, map->modules[i].name));
        pmm_json_kv_string(json, "path", pmm_map_text(map, map->modules[i].path));
    } else if (e->what == PMM_DIFF_THREAD_STARTED || e->what == PMM_DIFF_THREAD_EXITED) {
        const pmm_thread *t = &map->threads[i];
        pmm_json_kv_uint(json, "tid", t->tid);
        pmm_json_kv_address(json, "teb", t->teb);
        pmm_json_kv_address(json, "stack_base", t->stack_base);
        pmm_json_kv_address(json, "stack_limit", t->stack_limit);
        pmm_json_kv_address(json, "stack_reserve_base", t->stack_reserve_base);
    } else {
        pmm_json_kv_address(json, "address", e->address);
        pmm_json_kv_uint(json, "id", map->heaps[i].id);
    }
}

static void write_pages_entry(pmm_json *json, const pmm_map_diff *diff, const pmm_diff_entry *e)
{
    pmm_json_kv_address(json, "address", e->address);
    pmm_json_kv_uint(json, "size", e->size);
    pmm_json_kv_uint(json, "pages", e->size / PMM_PAGE_SIZE);
    size_t r = pmm_map_find(diff->new_map, e->address);
    const pmm_region *region = r != PMM_NO_INDEX ? &diff->new_map->regions[r] : NULL;
    pmm_json_kv_address(json, "allocation", region ? region->alloc_base : 0);
    pmm_json_kv_string(json, "kind", region ? pmm_region_kind_name((pmm_region_kind)region->kind) : "");
    pmm_json_kv_string(json, "details", region ? pmm_map_text(diff->new_map, region->details) : "");
}

/* The finding as the side that has it reported it. */
static void write_finding_entry(pmm_json *json, const pmm_map_diff *diff, const pmm_diff_entry *e)
{
    const pmm_map *map = e->old_index != PMM_NO_INDEX ? diff->old_map : diff->new_map;
    const pmm_finding *f = &map->integrity.items[e->old_index != PMM_NO_INDEX ? e->old_index : e->new_index];
    pmm_json_kv_string(json, "kind", pmm_finding_kind_name(f->kind));
    pmm_json_kv_address(json, "address", f->address);
    pmm_json_kv_uint(json, "size", f->size);
    pmm_json_kv_string(json, "symbol", pmm_map_text(map, f->symbol));
    if (f->destination) {
        pmm_json_kv_address(json, "destination", f->destination);
        pmm_json_kv_string(json, "destination_symbol", pmm_map_text(map, f->destination_text));
    }
    pmm_json_kv_string(json, "detail", pmm_map_text(map, f->detail));
}

static void write_group(pmm_json *json, const pmm_map_diff *diff, const char *key, pmm_diff_what first,
                        pmm_diff_what last)
{
    pmm_json_key(json, key);
    pmm_json_begin_array(json);
    for (size_t i = 0; i < diff->count; i++) {
        const pmm_diff_entry *e = &diff->entries[i];
        if (e->what < (uint32_t)first || e->what > (uint32_t)last)
            continue;
        pmm_json_begin_object(json);
        pmm_json_kv_string(json, "change", pmm_diff_what_name((pmm_diff_what)e->what));
        if (e->what <= PMM_DIFF_REGION_CHANGED)
            write_region_entry(json, diff, e);
        else if (e->what == PMM_DIFF_PAGES_CHANGED)
            write_pages_entry(json, diff, e);
        else if (e->what >= PMM_DIFF_FINDING_APPEARED)
            write_finding_entry(json, diff, e);
        else
            write_list_entry(json, diff, e);
        pmm_json_end_object(json);
    }
    pmm_json_end_array(json);
}

static void write_summary(pmm_json *json, const pmm_map_diff *diff)
{
    static const char *const keys[PMM_DIFF_WHAT_COUNT] = {
        "regions_added", "regions_removed", "regions_changed", "modules_loaded", "modules_unloaded",
        "threads_started", "threads_exited", "heaps_created", "heaps_destroyed", "page_ranges_changed",
        "findings_appeared", "findings_gone",
    };
    pmm_json_key(json, "summary");
    pmm_json_begin_object(json);
    for (int w = 0; w < PMM_DIFF_WHAT_COUNT; w++)
        pmm_json_kv_uint(json, keys[w], diff->counts[w]);
    pmm_json_kv_uint(json, "pages_changed", diff->pages_changed);
    pmm_json_end_object(json);
}

/* Both sides' usage per type (Free excluded), in the pmm-map summary's keys. */
static void write_kinds(pmm_json *json, const pmm_map_diff *diff)
{
    int ws = diff->working_set_compared;
    pmm_json_kv_bool(json, "working_set_compared", ws);
    pmm_json_key(json, "kinds");
    pmm_json_begin_array(json);
    for (int k = 0; k < PMM_KIND_COUNT; k++) {
        const pmm_kind_totals *a = &diff->old_summary.kinds[k], *b = &diff->new_summary.kinds[k];
        if (k == PMM_KIND_FREE || (a->blocks == 0 && b->blocks == 0))
            continue;
        pmm_json_begin_object(json);
        pmm_json_kv_string(json, "kind", pmm_region_kind_name((pmm_region_kind)k));
        pmm_json_key(json, "old");
        pmm_json_begin_object(json);
        pmm_json_write_usage(json, &a->usage, ws);
        pmm_json_end_object(json);
        pmm_json_key(json, "new");
        pmm_json_begin_object(json);
        pmm_json_write_usage(json, &b->usage, ws);
        pmm_json_end_object(json);
        pmm_json_end_object(json);
    }
    pmm_json_end_array(json);
}

void pmm_map_diff_write_json(const pmm_map_diff *diff, pmm_out *out)
{
    pmm_json json;
    pmm_json_init(&json, out, 1);
    pmm_json_begin_object(&json);
    pmm_json_kv_string(&json, "format", "pmm-diff");
    pmm_json_kv_uint(&json, "version", PMM_DIFF_JSON_VERSION);
    pmm_json_key(&json, "old");
    pmm_json_write_target(&json, &diff->old_map->target);
    pmm_json_key(&json, "new");
    pmm_json_write_target(&json, &diff->new_map->target);
    pmm_json_kv_bool(&json, "pages_compared", diff->pages_compared);
    pmm_json_kv_bool(&json, "findings_compared", diff->findings_compared);
    write_summary(&json, diff);
    write_kinds(&json, diff);
    write_group(&json, diff, "regions", PMM_DIFF_REGION_ADDED, PMM_DIFF_REGION_CHANGED);
    write_group(&json, diff, "modules", PMM_DIFF_MODULE_LOADED, PMM_DIFF_MODULE_UNLOADED);
    write_group(&json, diff, "threads", PMM_DIFF_THREAD_STARTED, PMM_DIFF_THREAD_EXITED);
    write_group(&json, diff, "heaps", PMM_DIFF_HEAP_CREATED, PMM_DIFF_HEAP_DESTROYED);
    write_group(&json, diff, "pages", PMM_DIFF_PAGES_CHANGED, PMM_DIFF_PAGES_CHANGED);
    write_group(&json, diff, "findings", PMM_DIFF_FINDING_APPEARED, PMM_DIFF_FINDING_GONE);
    pmm_json_end_object(&json);
}
