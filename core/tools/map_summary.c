#include "map_summary.h"

#include <string.h>

uint64_t pmm_allocation_committed(const pmm_map *map, size_t first, size_t count)
{
    uint64_t committed = 0;
    for (size_t i = first; i < first + count; i++)
        if (map->regions[i].state == PMM_MEM_COMMIT)
            committed += map->regions[i].size;
    return committed;
}

uint32_t pmm_allocation_shared_protect(const pmm_map *map, size_t first, size_t count)
{
    uint32_t shared = 0;
    for (size_t i = first; i < first + count; i++) {
        const pmm_region *r = &map->regions[i];
        if (r->state != PMM_MEM_COMMIT)
            continue;
        if (shared && r->protect != shared)
            return 0;
        shared = r->protect;
    }
    return shared;
}

const char *pmm_map_working_set_note(const pmm_map *map)
{
    if (map->working_set)
        return "";
    if (map->working_set_note)
        return pmm_map_text(map, map->working_set_note);
    return "Working set not available: not measured";
}

void pmm_usage_values(const pmm_usage *u, uint64_t out[PMM_USAGE_COLUMNS])
{
    const uint64_t values[PMM_USAGE_COLUMNS] = {u->committed, u->private_bytes, u->ws_total, u->ws_private,
                                                u->ws_shareable, u->ws_shared, u->ws_locked};
    memcpy(out, values, sizeof values);
}

const char *pmm_usage_column_name(int column)
{
    static const char *const names[PMM_USAGE_COLUMNS] = {"Committed", "Private", "Total WS", "Private WS",
                                                         "Shareable WS", "Shared WS", "Locked WS"};
    return column >= 0 && column < PMM_USAGE_COLUMNS ? names[column] : "?";
}

static int is_writable(uint32_t protect)
{
    uint32_t p = protect & 0xff;
    return p == PMM_PAGE_READWRITE || p == PMM_PAGE_EXECUTE_READWRITE;
}

static int is_copy_on_write(uint32_t protect)
{
    uint32_t p = protect & 0xff;
    return p == PMM_PAGE_WRITECOPY || p == PMM_PAGE_EXECUTE_WRITECOPY;
}

/* VMMap's Private: committed private memory, and in images and mapped views the pages that became
 * private copies. The OS tells that two ways: a written copy-on-write page reads back as RW or
 * RWX in a view mapped copy-on-write, and a resident page of a view that is not shareable is one. */
static uint64_t private_bytes(const pmm_map *map, size_t i)
{
    const pmm_region *r = &map->regions[i];
    if (r->state != PMM_MEM_COMMIT)
        return 0;
    if (r->type == PMM_MEM_PRIVATE)
        return r->size;
    if (is_writable(r->protect) && is_copy_on_write(r->alloc_protect))
        return r->size;
    return map->working_set ? (uint64_t)map->working_set[i].private_pages * PMM_PAGE_SIZE : 0;
}

void pmm_region_usage(const pmm_map *map, size_t i, pmm_usage *out)
{
    const pmm_region *r = &map->regions[i];
    memset(out, 0, sizeof *out);
    out->committed = r->state == PMM_MEM_COMMIT ? r->size : 0;
    out->private_bytes = private_bytes(map, i);
    if (!map->working_set)
        return;
    const pmm_region_ws *ws = &map->working_set[i];
    out->ws_private = (uint64_t)ws->private_pages * PMM_PAGE_SIZE;
    out->ws_shareable = (uint64_t)ws->shareable_pages * PMM_PAGE_SIZE;
    out->ws_total = out->ws_private + out->ws_shareable;
    out->ws_shared = (uint64_t)ws->shared_pages * PMM_PAGE_SIZE;
    out->ws_locked = (uint64_t)ws->locked_pages * PMM_PAGE_SIZE;
}

static void add_usage(pmm_usage *to, const pmm_usage *u)
{
    to->committed += u->committed;
    to->private_bytes += u->private_bytes;
    to->ws_total += u->ws_total;
    to->ws_private += u->ws_private;
    to->ws_shareable += u->ws_shareable;
    to->ws_shared += u->ws_shared;
    to->ws_locked += u->ws_locked;
}

void pmm_regions_usage(const pmm_map *map, size_t first, size_t count, pmm_usage *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = first; i < first + count; i++) {
        pmm_usage u;
        pmm_region_usage(map, i, &u);
        add_usage(out, &u);
    }
}

static void add_to(pmm_kind_totals *t, uint64_t size, const pmm_usage *usage)
{
    t->size += size;
    add_usage(&t->usage, usage);
    t->blocks++;
    if (size > t->largest)
        t->largest = size;
}

void pmm_map_summarize(const pmm_map *map, pmm_map_summary *out)
{
    memset(out, 0, sizeof *out);
    out->has_working_set = map->working_set != NULL;
    for (size_t n = 0; n < map->allocation_count; n++) {
        size_t first, count;
        pmm_map_allocation_regions(map, n, &first, &count);
        const pmm_region *r = &map->regions[first];
        const pmm_region *last = &map->regions[first + count - 1];
        uint64_t size = last->base + last->size - r->base;
        pmm_usage usage;
        pmm_regions_usage(map, first, count, &usage);
        if (r->kind < PMM_KIND_COUNT)
            add_to(&out->kinds[r->kind], size, &usage);
        if (r->kind != PMM_KIND_FREE)
            add_to(&out->total, size, &usage);
    }
}
