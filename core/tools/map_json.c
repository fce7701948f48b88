#include "map_output.h"

#include "../util/text.h"
#include "map_summary.h"

static const char *source_name(uint32_t kind)
{
    switch (kind) {
    case PMM_SOURCE_LIVE: return "live";
    case PMM_SOURCE_MINIDUMP: return "minidump";
    case PMM_SOURCE_SAVED: return "saved";
    case PMM_SOURCE_KERNEL_DUMP: return "kernel_dump";
    }
    return "unknown";
}

void pmm_json_write_target(pmm_json *json, const pmm_target_info *t)
{
    pmm_json_begin_object(json);
    pmm_json_kv_string(json, "source", source_name(t->source_kind));
    pmm_json_kv_uint(json, "pid", t->pid);
    pmm_json_kv_string(json, "name", t->name);
    pmm_json_kv_string(json, "path", t->path);
    pmm_json_kv_uint(json, "bits", t->pointer_size * 8);
    pmm_json_kv_bool(json, "wow64", (int)t->wow64);
    pmm_json_kv_uint(json, "tool_bits", t->tool_pointer_size * 8);
    pmm_json_kv_address(json, "peb", t->peb);
    pmm_json_kv_address(json, "peb32", t->peb32);
    pmm_json_end_object(json);
}

void pmm_json_write_region(pmm_json *json, const pmm_map *map, const pmm_region *r)
{
    char prot[32];
    pmm_json_begin_object(json);
    pmm_json_kv_address(json, "address", r->base);
    pmm_json_kv_uint(json, "size", r->size);
    pmm_json_kv_string(json, "state", pmm_state_text(r->state));
    pmm_json_kv_string(json, "type", pmm_type_text(r->type));
    pmm_json_kv_string(json, "protect", pmm_protect_text(r->state == PMM_MEM_COMMIT ? r->protect : 0, prot, sizeof prot));
    pmm_json_kv_uint(json, "protect_value", r->protect);
    pmm_json_kv_address(json, "alloc_base", r->alloc_base);
    pmm_json_kv_string(json, "alloc_protect", pmm_protect_text(r->alloc_protect, prot, sizeof prot));
    pmm_json_kv_uint(json, "alloc_protect_value", r->alloc_protect);
    pmm_json_kv_string(json, "kind", pmm_region_kind_name((pmm_region_kind)r->kind));
    pmm_json_kv_string(json, "details", pmm_map_text(map, r->details));
    if (r->flags & PMM_REGION_PE_HEADER)
        pmm_json_kv_bool(json, "pe_header", 1);
    pmm_usage usage;
    pmm_region_usage(map, (size_t)(r - map->regions), &usage);
    pmm_json_write_usage(json, &usage, map->working_set != NULL);
    pmm_json_end_object(json);
}

static void write_annotations(pmm_json *json, const pmm_map *map)
{
    pmm_json_key(json, "annotations");
    pmm_json_begin_array(json);
    for (size_t i = 0; i < map->annotation_count; i++) {
        const pmm_annotation *a = &map->annotations[i];
        pmm_json_begin_object(json);
        pmm_json_kv_address(json, "address", a->base);
        pmm_json_kv_uint(json, "size", a->size);
        pmm_json_kv_string(json, "kind", pmm_annotation_kind_name((pmm_annotation_kind)a->kind));
        pmm_json_kv_string(json, "label", pmm_map_text(map, a->label));
        if (a->bits)
            pmm_json_kv_uint(json, "bits", a->bits);
        if (a->owner)
            pmm_json_kv_uint(json, "owner", a->owner);
        if (a->invalid)
            pmm_json_kv_string(json, "invalid", pmm_map_text(map, a->invalid));
        pmm_json_end_object(json);
    }
    pmm_json_end_array(json);
}

static void write_modules(pmm_json *json, const pmm_map *map)
{
    pmm_json_key(json, "modules");
    pmm_json_begin_array(json);
    for (size_t i = 0; i < map->module_count; i++) {
        const pmm_module *m = &map->modules[i];
        pmm_json_begin_object(json);
        pmm_json_kv_address(json, "base", m->base);
        pmm_json_kv_uint(json, "size", m->size);
        pmm_json_kv_address(json, "entry", m->entry);
        pmm_json_kv_string(json, "name", pmm_map_text(map, m->name));
        pmm_json_kv_string(json, "path", pmm_map_text(map, m->path));
        pmm_json_kv_uint(json, "bits", m->pointer_size * 8);
        pmm_json_kv_bool(json, "in_loader_list", (m->flags & PMM_MODULE_IN_LOADER_LIST) != 0);
        pmm_json_kv_bool(json, "in_os_list", (m->flags & PMM_MODULE_IN_OS_LIST) != 0);
        pmm_json_kv_bool(json, "header_only", (m->flags & PMM_MODULE_HEADER_ONLY) != 0);
        pmm_json_end_object(json);
    }
    pmm_json_end_array(json);
}

static void write_context(pmm_json *json, const char *key, const pmm_context *c)
{
    if (c->arch == PMM_ARCH_UNKNOWN)
        return;
    pmm_json_key(json, key);
    pmm_json_begin_object(json);
    pmm_json_kv_string(json, "arch", c->arch == PMM_ARCH_X86 ? "x86" : "x64");
    pmm_json_kv_address(json, "ip", c->ip);
    pmm_json_kv_address(json, "sp", c->gpr[PMM_REG_SP]);
    pmm_json_kv_address(json, "fp", c->gpr[PMM_REG_FP]);
    pmm_json_end_object(json);
}

/* The call stack the scan walked, innermost first. */
static void write_frame_list(pmm_json *json, const pmm_map *map, const char *key, uint32_t first, uint32_t count)
{
    pmm_json_key(json, key);
    pmm_json_begin_array(json);
    for (size_t i = first; i < (size_t)first + count && i < map->frame_count; i++) {
        pmm_json_begin_object(json);
        pmm_json_kv_address(json, "address", map->frames[i].address);
        pmm_json_kv_string(json, "symbol", pmm_map_text(map, map->frames[i].symbol));
        pmm_json_end_object(json);
    }
    pmm_json_end_array(json);
}

/* The x86 SEH chain walked by analyzers/seh.c, innermost record first. */
static void write_seh(pmm_json *json, const pmm_map *map, const pmm_thread *t)
{
    pmm_json_key(json, "seh");
    pmm_json_begin_array(json);
    for (size_t i = t->seh_first; i < (size_t)t->seh_first + t->seh_count && i < map->seh_count; i++) {
        pmm_json_begin_object(json);
        pmm_json_kv_address(json, "record", map->seh[i].record);
        pmm_json_kv_address(json, "handler", map->seh[i].handler);
        pmm_json_kv_string(json, "symbol", pmm_map_text(map, map->seh[i].symbol));
        pmm_json_end_object(json);
    }
    pmm_json_end_array(json);
}

static void write_threads(pmm_json *json, const pmm_map *map)
{
    pmm_json_key(json, "threads");
    pmm_json_begin_array(json);
    for (size_t i = 0; i < map->thread_count; i++) {
        const pmm_thread *t = &map->threads[i];
        pmm_json_begin_object(json);
        pmm_json_kv_uint(json, "tid", t->tid);
        pmm_json_kv_address(json, "teb", t->teb);
        pmm_json_kv_address(json, "start_address", t->start_address);
        pmm_json_kv_string(json, "start_symbol", pmm_map_text(map, t->start_symbol));
        pmm_json_kv_address(json, "stack_base", t->stack_base);
        pmm_json_kv_address(json, "stack_limit", t->stack_limit);
        pmm_json_kv_address(json, "stack_reserve_base", t->stack_reserve_base);
        if (t->teb64) {
            pmm_json_kv_address(json, "teb64", t->teb64);
            pmm_json_kv_address(json, "stack64_base", t->stack64_base);
            pmm_json_kv_address(json, "stack64_limit", t->stack64_limit);
            pmm_json_kv_address(json, "stack64_reserve_base", t->stack64_reserve_base);
        }
        write_context(json, "context", &t->context);
        write_context(json, "context32", &t->context32);
        write_frame_list(json, map, "frames", t->frame_first, t->frame_count);
        if (t->teb64) {
            write_frame_list(json, map, "frames64", t->frame64_first, t->frame64_count);
            pmm_json_kv_string(json, "walk64", pmm_walk_end_text((pmm_walk_end)t->walk64_end));
        }
        write_seh(json, map, t);
        pmm_json_end_object(json);
    }
    pmm_json_end_array(json);
}

static void write_heaps(pmm_json *json, const pmm_map *map)
{
    pmm_json_key(json, "heaps");
    pmm_json_begin_array(json);
    for (size_t i = 0; i < map->heap_count; i++) {
        const pmm_heap *h = &map->heaps[i];
        pmm_json_begin_object(json);
        pmm_json_kv_address(json, "address", h->address);
        pmm_json_kv_uint(json, "id", h->id);
        pmm_json_kv_bool(json, "default", (h->flags & PMM_HEAP_DEFAULT) != 0);
        pmm_json_kv_bool(json, "in_peb_list", (h->flags & PMM_HEAP_IN_PEB_LIST) != 0);
        pmm_json_kv_bool(json, "from_peb64", (h->flags & PMM_HEAP_FROM_PEB64) != 0);
        pmm_json_kv_bool(json, "found_by_signature", (h->flags & PMM_HEAP_FOUND_BY_SIGNATURE) != 0);
        if (h->flags & (PMM_HEAP_FROM_DEBUG_INFO | PMM_HEAP_FROM_TOOLHELP))
            pmm_json_kv_string(json, "os_route",
                               (h->flags & PMM_HEAP_FROM_DEBUG_INFO) ? "RtlQueryProcessDebugInformation" : "Toolhelp");
        pmm_json_end_object(json);
    }
    pmm_json_end_array(json);
}

void pmm_json_write_usage(pmm_json *json, const pmm_usage *u, int has_working_set)
{
    pmm_json_kv_uint(json, "committed", u->committed);
    pmm_json_kv_uint(json, "private", u->private_bytes);
    if (!has_working_set)
        return;
    pmm_json_kv_uint(json, "ws_total", u->ws_total);
    pmm_json_kv_uint(json, "ws_private", u->ws_private);
    pmm_json_kv_uint(json, "ws_shareable", u->ws_shareable);
    pmm_json_kv_uint(json, "ws_shared", u->ws_shared);
    pmm_json_kv_uint(json, "ws_locked", u->ws_locked);
}

static void write_totals(pmm_json *json, const pmm_kind_totals *t, int has_working_set)
{
    pmm_json_kv_uint(json, "size", t->size);
    pmm_json_write_usage(json, &t->usage, has_working_set);
    pmm_json_kv_uint(json, "blocks", t->blocks);
    pmm_json_kv_uint(json, "largest", t->largest);
}

static void write_summary(pmm_json *json, const pmm_map *map)
{
    pmm_map_summary s;
    pmm_map_summarize(map, &s);
    pmm_json_key(json, "working_set");
    pmm_json_begin_object(json);
    pmm_json_kv_bool(json, "available", s.has_working_set);
    pmm_json_kv_string(json, "note", pmm_map_working_set_note(map));
    pmm_json_end_object(json);
    pmm_json_key(json, "summary");
    pmm_json_begin_array(json);
    for (int k = 0; k < PMM_KIND_COUNT; k++) {
        pmm_json_begin_object(json);
        pmm_json_kv_string(json, "kind", pmm_region_kind_name((pmm_region_kind)k));
        write_totals(json, &s.kinds[k], s.has_working_set);
        pmm_json_end_object(json);
    }
    pmm_json_end_array(json);
    pmm_json_key(json, "total");
    pmm_json_begin_object(json);
    write_totals(json, &s.total, s.has_working_set);
    pmm_json_kv_uint(json, "largest_free", s.kinds[PMM_KIND_FREE].largest);
    pmm_json_end_object(json);
}

void pmm_map_write_json(const pmm_map *map, pmm_out *out)
{
    pmm_json json;
    pmm_json_init(&json, out, 1);
    pmm_json_begin_object(&json);
    pmm_json_kv_string(&json, "format", "pmm-map");
    pmm_json_kv_uint(&json, "version", PMM_MAP_JSON_VERSION);
    pmm_json_key(&json, "target");
    pmm_json_write_target(&json, &map->target);
    pmm_json_key(&json, "scan");
    pmm_json_begin_object(&json);
    pmm_json_kv_uint(&json, "microseconds", map->scan_microseconds);
    pmm_json_kv_uint(&json, "region_count", map->region_count);
    pmm_json_kv_uint(&json, "allocation_count", map->allocation_count);
    pmm_json_kv_bool(&json, "os_module_list", (map->scan_flags & PMM_SCAN_OS_MODULE_LIST) != 0);
    pmm_json_end_object(&json);
    write_summary(&json, map);
    pmm_json_key(&json, "regions");
    pmm_json_begin_array(&json);
    for (size_t i = 0; i < map->region_count; i++)
        pmm_json_write_region(&json, map, &map->regions[i]);
    pmm_json_end_array(&json);
    write_annotations(&json, map);
    write_modules(&json, map);
    write_threads(&json, map);
    write_heaps(&json, map);
    pmm_json_key(&json, "warnings");
    pmm_json_begin_array(&json);
    for (size_t i = 0; i < map->warning_count; i++)
        pmm_json_string(&json, pmm_map_text(map, map->warnings[i]));
    pmm_json_end_array(&json);
    pmm_json_end_object(&json);
}
