#include "map.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../util/array.h"
#include "../util/names.h"

pmm_map *pmm_map_new(void)
{
    pmm_map *map = calloc(1, sizeof *map);
    if (map)
        pmm_strings_init(&map->strings);
    return map;
}

void pmm_map_free(pmm_map *map)
{
    if (!map)
        return;
    free(map->regions);
    free(map->allocation_first);
    free(map->annotations);
    free(map->annotation_max_end);
    free(map->modules);
    free(map->threads);
    free(map->heaps);
    free(map->warnings);
    free(map->frames);
    free(map->seh);
    free(map->integrity.items);
    free(map->integrity.unchecked);
    free(map->integrity.images);
    free(map->working_set);
    pmm_strings_free(&map->strings);
    free(map);
}

pmm_status pmm_map_add_region(pmm_map *map, const pmm_region_info *info)
{
    if (info->size == 0)
        return PMM_ERR_ARG;
    if (map->region_count) {
        const pmm_region *last = &map->regions[map->region_count - 1];
        if (info->base < last->base + last->size)
            return PMM_ERR_ARG;
    }
    pmm_status st = pmm_array_reserve((void **)&map->regions, &map->region_cap, map->region_count + 1,
                                      sizeof *map->regions);
    if (st != PMM_OK)
        return st;
    pmm_region *r = &map->regions[map->region_count++];
    memset(r, 0, sizeof *r);
    r->base = info->base;
    r->size = info->size;
    r->alloc_base = info->state == PMM_MEM_FREE ? info->base : info->alloc_base;
    r->state = info->state;
    r->protect = info->protect;
    r->alloc_protect = info->alloc_protect;
    r->type = info->type;
    r->kind = PMM_KIND_PRIVATE;
    return PMM_OK;
}

pmm_status pmm_map_add_annotation(pmm_map *map, uint64_t base, uint64_t size, pmm_annotation_kind kind,
                                  uint32_t bits, uint32_t owner, const char *label)
{
    uint32_t label_id;
    pmm_status st = pmm_strings_intern(&map->strings, label, &label_id);
    if (st == PMM_OK)
        st = pmm_array_reserve((void **)&map->annotations, &map->annotation_cap, map->annotation_count + 1,
                               sizeof *map->annotations);
    if (st != PMM_OK)
        return st;
    pmm_annotation *a = &map->annotations[map->annotation_count++];
    memset(a, 0, sizeof *a);
    a->base = base;
    a->size = size;
    a->kind = (uint16_t)kind;
    a->bits = (uint16_t)bits;
    a->owner = owner;
    a->label = label_id;
    return PMM_OK;
}

pmm_status pmm_map_add_invalid_annotation(pmm_map *map, uint64_t base, uint64_t size, pmm_annotation_kind kind,
                                          uint32_t bits, uint32_t owner, const char *label, const char *reason)
{
    uint32_t reason_id;
    pmm_status st = pmm_strings_intern(&map->strings, reason && *reason ? reason : "invalid", &reason_id);
    if (st == PMM_OK)
        st = pmm_map_add_annotation(map, base, size, kind, bits, owner, label);
    if (st == PMM_OK)
        map->annotations[map->annotation_count - 1].invalid = reason_id;
    return st;
}

pmm_status pmm_map_mark_invalid(pmm_map *map, uint64_t base, pmm_annotation_kind kind, const char *reason)
{
    for (size_t i = 0; i < map->annotation_count; i++) {
        pmm_annotation *a = &map->annotations[i];
        if (a->base != base || a->kind != kind)
            continue;
        if (a->invalid)
            return PMM_OK;
        return pmm_strings_intern(&map->strings, reason && *reason ? reason : "invalid", &a->invalid);
    }
    return PMM_ERR_NOT_FOUND;
}

size_t pmm_map_invalid_count(const pmm_map *map)
{
    size_t n = 0;
    for (size_t i = 0; i < map->annotation_count; i++)
        n += map->annotations[i].invalid != 0;
    return n;
}

pmm_status pmm_map_set_module_path(pmm_map *map, pmm_module *module, const char *path)
{
    const char *name = pmm_path_base_name(path);
    pmm_status st = pmm_strings_intern(&map->strings, path, &module->path);
    if (st == PMM_OK)
        st = pmm_strings_intern(&map->strings, name, &module->name);
    return st;
}

pmm_status pmm_map_add_module(pmm_map *map, const pmm_module *module, const char *path)
{
    pmm_module copy = *module;
    pmm_status st = pmm_map_set_module_path(map, &copy, path);
    if (st == PMM_OK)
        st = pmm_array_reserve((void **)&map->modules, &map->module_cap, map->module_count + 1,
                               sizeof *map->modules);
    if (st == PMM_OK)
        map->modules[map->module_count++] = copy;
    return st;
}

pmm_status pmm_map_add_thread(pmm_map *map, const pmm_thread *thread)
{
    pmm_status st = pmm_array_reserve((void **)&map->threads, &map->thread_cap, map->thread_count + 1,
                                      sizeof *map->threads);
    if (st == PMM_OK)
        map->threads[map->thread_count++] = *thread;
    return st;
}

pmm_status pmm_map_add_frame(pmm_map *map, const pmm_frame *frame)
{
    pmm_status st = pmm_array_reserve((void **)&map->frames, &map->frame_cap, map->frame_count + 1,
                                      sizeof *map->frames);
    if (st == PMM_OK)
        map->frames[map->frame_count++] = *frame;
    return st;
}

pmm_status pmm_map_add_seh_record(pmm_map *map, const pmm_seh_record *record)
{
    pmm_status st = pmm_array_reserve((void **)&map->seh, &map->seh_cap, map->seh_count + 1, sizeof *map->seh);
    if (st == PMM_OK)
        map->seh[map->seh_count++] = *record;
    return st;
}

pmm_status pmm_map_add_heap(pmm_map *map, uint64_t address, uint32_t flags, pmm_heap **out)
{
    for (size_t i = 0; i < map->heap_count; i++) {
        if (map->heaps[i].address == address) {
            map->heaps[i].flags |= flags;
            if (out)
                *out = &map->heaps[i];
            return PMM_OK;
        }
    }
    pmm_status st = pmm_array_reserve((void **)&map->heaps, &map->heap_cap, map->heap_count + 1,
                                      sizeof *map->heaps);
    if (st != PMM_OK)
        return st;
    pmm_heap *h = &map->heaps[map->heap_count++];
    h->address = address;
    h->id = (uint32_t)map->heap_count;
    h->flags = flags;
    if (out)
        *out = h;
    return PMM_OK;
}

pmm_status pmm_map_warn(pmm_map *map, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    uint32_t id;
    pmm_status st = pmm_strings_intern(&map->strings, text, &id);
    if (st == PMM_OK)
        st = pmm_array_reserve((void **)&map->warnings, &map->warning_cap, map->warning_count + 1,
                               sizeof *map->warnings);
    if (st == PMM_OK)
        map->warnings[map->warning_count++] = id;
    return st;
}

pmm_status pmm_map_set_details(pmm_map *map, size_t region_index, const char *text)
{
    if (region_index >= map->region_count)
        return PMM_ERR_ARG;
    return pmm_strings_intern(&map->strings, text, &map->regions[region_index].details);
}

const char *pmm_map_text(const pmm_map *map, uint32_t string_id)
{
    return pmm_strings_get(&map->strings, string_id);
}

/* Outer annotations sort before the ones nested in them. */
static int compare_annotations(const void *a, const void *b)
{
    const pmm_annotation *x = a, *y = b;
    if (x->base != y->base)
        return x->base < y->base ? -1 : 1;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    return (int)x->kind - (int)y->kind;
}

static pmm_status build_allocation_index(pmm_map *map)
{
    free(map->allocation_first);
    map->allocation_first = NULL;
    map->allocation_count = 0;
    if (map->region_count > UINT32_MAX)
        return PMM_ERR_LIMIT;
    if (map->region_count == 0)
        return PMM_OK;
    map->allocation_first = malloc(map->region_count * sizeof *map->allocation_first);
    if (!map->allocation_first)
        return PMM_ERR_NOMEM;
    for (size_t i = 0; i < map->region_count; i++) {
        const pmm_region *r = &map->regions[i];
        int starts = i == 0 || r->state == PMM_MEM_FREE || map->regions[i - 1].state == PMM_MEM_FREE ||
                     r->alloc_base != map->regions[i - 1].alloc_base;
        if (starts)
            map->allocation_first[map->allocation_count++] = (uint32_t)i;
    }
    return PMM_OK;
}

static pmm_status build_annotation_index(pmm_map *map)
{
    free(map->annotation_max_end);
    map->annotation_max_end = NULL;
    if (map->annotation_count == 0)
        return PMM_OK;
    qsort(map->annotations, map->annotation_count, sizeof *map->annotations, compare_annotations);
    map->annotation_max_end = malloc(map->annotation_count * sizeof *map->annotation_max_end);
    if (!map->annotation_max_end)
        return PMM_ERR_NOMEM;
    uint64_t max_end = 0;
    for (size_t i = 0; i < map->annotation_count; i++) {
        uint64_t end = map->annotations[i].base + map->annotations[i].size;
        if (end > max_end)
            max_end = end;
        map->annotation_max_end[i] = max_end;
    }
    return PMM_OK;
}

pmm_status pmm_map_finish(pmm_map *map)
{
    pmm_status st = build_allocation_index(map);
    if (st == PMM_OK)
        st = build_annotation_index(map);
    return st;
}

size_t pmm_map_find(const pmm_map *map, uint64_t addr)
{
    size_t lo = 0, hi = map->region_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const pmm_region *r = &map->regions[mid];
        if (addr < r->base)
            hi = mid;
        else if (addr - r->base >= r->size)
            lo = mid + 1;
        else
            return mid;
    }
    return PMM_NO_INDEX;
}

size_t pmm_map_find_allocation(const pmm_map *map, size_t region_index)
{
    if (region_index >= map->region_count || map->allocation_count == 0)
        return PMM_NO_INDEX;
    size_t lo = 0, hi = map->allocation_count;  /* last allocation whose first region <= index */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (map->allocation_first[mid] <= region_index)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

void pmm_map_allocation_regions(const pmm_map *map, size_t allocation, size_t *first, size_t *count)
{
    *first = 0;
    *count = 0;
    if (allocation >= map->allocation_count)
        return;
    *first = map->allocation_first[allocation];
    size_t end = allocation + 1 < map->allocation_count ? map->allocation_first[allocation + 1]
                                                         : map->region_count;
    *count = end - *first;
}

size_t pmm_map_annotation_lower_bound(const pmm_map *map, uint64_t addr)
{
    size_t lo = 0, hi = map->annotation_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (map->annotations[mid].base < addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const pmm_annotation *pmm_map_annotation_at(const pmm_map *map, uint64_t addr, int kind)
{
    if (!map->annotation_max_end || addr == UINT64_MAX)
        return NULL;
    const pmm_annotation *best = NULL;
    size_t i = pmm_map_annotation_lower_bound(map, addr + 1);  /* annotations with base <= addr */
    while (i > 0 && map->annotation_max_end[i - 1] > addr) {
        const pmm_annotation *a = &map->annotations[--i];
        if (addr - a->base < a->size && (kind < 0 || a->kind == kind) && (!best || a->size < best->size))
            best = a;
    }
    return best;
}

const pmm_module *pmm_map_module_at(const pmm_map *map, uint64_t addr)
{
    for (size_t i = 0; i < map->module_count; i++) {
        const pmm_module *m = &map->modules[i];
        if (addr >= m->base && addr - m->base < m->size)
            return m;
    }
    return NULL;
}

const pmm_thread *pmm_map_thread(const pmm_map *map, uint32_t tid)
{
    for (size_t i = 0; i < map->thread_count; i++)
        if (map->threads[i].tid == tid)
            return &map->threads[i];
    return NULL;
}

pmm_status pmm_map_enable_working_set(pmm_map *map)
{
    free(map->working_set);
    map->working_set = calloc(map->region_count ? map->region_count : 1, sizeof *map->working_set);
    if (!map->working_set)
        return PMM_ERR_NOMEM;
    map->working_set_note = 0;
    return PMM_OK;
}

pmm_status pmm_map_set_working_set_note(pmm_map *map, const char *why)
{
    free(map->working_set);
    map->working_set = NULL;
    return pmm_strings_intern(&map->strings, why, &map->working_set_note);
}

size_t pmm_map_memory(const pmm_map *map)
{
    return sizeof *map + map->region_cap * sizeof *map->regions +
           map->region_count * sizeof *map->allocation_first +
           map->annotation_cap * (sizeof *map->annotations + sizeof *map->annotation_max_end) +
           map->module_cap * sizeof *map->modules + map->thread_cap * sizeof *map->threads +
           map->heap_cap * sizeof *map->heaps + map->warning_cap * sizeof *map->warnings +
           map->frame_cap * sizeof *map->frames + map->seh_cap * sizeof *map->seh +
           map->integrity.cap * sizeof *map->integrity.items +
           map->integrity.unchecked_cap * sizeof *map->integrity.unchecked +
           map->integrity.image_cap * sizeof *map->integrity.images +
           (map->working_set ? map->region_count * sizeof *map->working_set : 0) +
           pmm_strings_memory(&map->strings);
}

const char *pmm_region_kind_name(pmm_region_kind kind)
{
    static const char *const names[PMM_KIND_COUNT] = {
        "Free", "Unusable", "Image", "Mapped File", "Shareable", "Heap", "Stack", "Private Data", "System",
    };
    return (unsigned)kind < PMM_KIND_COUNT ? names[kind] : "?";
}

const char *pmm_annotation_kind_name(pmm_annotation_kind kind)
{
    static const char *const names[PMM_ANN_COUNT] = {
        "module", "pe_header", "section", "directory", "entry_point", "stack", "stack_guard", "teb", "peb",
        "process_parameters", "environment", "loader_data", "kuser_shared_data", "heap", "mapped_file",
        "system_data", "seh_record", "heap_segment", "heap_block",
    };
    return (unsigned)kind < PMM_ANN_COUNT ? names[kind] : "?";
}

const char *pmm_walk_end_text(pmm_walk_end end)
{
    switch (end) {
    case PMM_WALK_NOT_WALKED: return "not walked: no register context";
    case PMM_WALK_COMPLETE: return "complete";
    case PMM_WALK_BAD_FRAME: return "stopped at a frame outside the stack or a return address outside code";
    case PMM_WALK_NO_UNWIND_INFO: return "stopped: unwind data of an image could not be read";
    case PMM_WALK_READ_FAILED: return "stopped: stack memory could not be read";
    case PMM_WALK_FRAME_LIMIT: return "stopped at the frame limit";
    case PMM_WALK_SP_OFF_STACK: return "not walked: the context's stack pointer is not on this stack";
    }
    return "?";
}

const char *pmm_frame_method_name(pmm_frame_method method)
{
    static const char *const names[] = {"context", "unwind", "leaf", "machine_frame", "frame_pointer", "scan"};
    return (unsigned)method < sizeof names / sizeof names[0] ? names[method] : "?";
}
