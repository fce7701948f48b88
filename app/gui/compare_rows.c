#include "compare_rows.h"

#include <inttypes.h>
#include <string.h>
#include "core/util/text.h"

static const char *const column_names[COMPARE_COL_COUNT] = {"Change", "Address", "Size", "Type",
                                                            "Protection before", "Protection after", "Details"};

static const char *const change_names[PMM_DIFF_WHAT_COUNT] = {
    "Allocation added", "Allocation removed", "Allocation changed", "Module loaded", "Module unloaded",
    "Thread started", "Thread exited", "Heap created", "Heap destroyed", "Pages changed", "Finding appeared",
    "Finding gone"};

const char *compare_column_name(compare_column column)
{
    return column < COMPARE_COL_COUNT ? column_names[column] : "";
}

size_t compare_rows_count(const pmm_map_diff *diff)
{
    return diff ? diff->count : 0;
}

static const pmm_diff_entry *entry(const pmm_map_diff *diff, size_t row)
{
    return diff && row < diff->count ? &diff->entries[row] : NULL;
}

compare_tone compare_rows_tone(const pmm_map_diff *diff, size_t row)
{
    const pmm_diff_entry *e = entry(diff, row);
    if (!e)
        return COMPARE_TONE_CHANGED;
    switch (e->what) {
    case PMM_DIFF_REGION_ADDED: case PMM_DIFF_MODULE_LOADED: case PMM_DIFF_THREAD_STARTED:
    case PMM_DIFF_HEAP_CREATED: case PMM_DIFF_FINDING_APPEARED: return COMPARE_TONE_ADDED;
    case PMM_DIFF_REGION_REMOVED: case PMM_DIFF_MODULE_UNLOADED: case PMM_DIFF_THREAD_EXITED:
    case PMM_DIFF_HEAP_DESTROYED: case PMM_DIFF_FINDING_GONE: return COMPARE_TONE_REMOVED;
    default: return COMPARE_TONE_CHANGED;
    }
}

static int is_region_entry(const pmm_diff_entry *e)
{
    return e->what <= PMM_DIFF_REGION_CHANGED;
}

int compare_rows_address(const pmm_map_diff *diff, size_t row, uint64_t *addr)
{
    const pmm_diff_entry *e = entry(diff, row);
    if (!e)
        return 0;
    *addr = is_region_entry(e) ? e->allocation : e->address;
    return 1;
}

/* The region a row is about in one map: the changed range's region, or the allocation's first. */
static const pmm_region *region_in(const pmm_map *map, const pmm_diff_entry *e, size_t allocation)
{
    if (!map || allocation == PMM_NO_INDEX || allocation >= map->allocation_count)
        return NULL;
    if (e->what == PMM_DIFF_REGION_CHANGED) {
        size_t r = pmm_map_find(map, e->address);
        if (r != PMM_NO_INDEX && map->regions[r].alloc_base == e->allocation)
            return &map->regions[r];
    }
    return &map->regions[map->allocation_first[allocation]];
}

static const char *protection(const pmm_region *r, char *buf, size_t cap)
{
    if (!r)
        return "";
    if (r->state == PMM_MEM_RESERVE)
        return "Reserved";
    return r->state == PMM_MEM_COMMIT ? pmm_protect_text(r->protect, buf, cap) : "";
}

/* The first region of the allocation a region row describes: in the new map unless it was removed. */
static const pmm_region *described_allocation(const pmm_map_diff *diff, const pmm_diff_entry *e, const pmm_map **map)
{
    int old_side = e->what == PMM_DIFF_REGION_REMOVED;
    size_t allocation = old_side ? e->old_index : e->new_index;
    *map = old_side ? diff->old_map : diff->new_map;
    if (!*map || allocation == PMM_NO_INDEX || allocation >= (*map)->allocation_count)
        return NULL;
    return &(*map)->regions[(*map)->allocation_first[allocation]];
}

static const char *fields_text(uint32_t fields, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < PMM_DIFF_FIELD_COUNT && used + 1 < cap; i++) {
        if (!(fields & (1u << i)))
            continue;
        int n = snprintf(buf + used, cap - used, "%s%s", used ? ", " : "", pmm_diff_field_name(1u << i));
        if (n < 0)
            break;
        used += (size_t)n < cap - used ? (size_t)n : cap - used - 1;
    }
    return buf;
}

static const char *region_details(const pmm_map_diff *diff, const pmm_diff_entry *e, char *buf, size_t cap)
{
    const pmm_map *map;
    const pmm_region *first = described_allocation(diff, e, &map);
    const char *details = first ? pmm_map_text(map, first->details) : "";
    if (e->what != PMM_DIFF_REGION_CHANGED) {
        snprintf(buf, cap, "%s", details);
        return buf;
    }
    char fields[128], from[24], to[24];
    uint32_t ps = diff->new_map->target.pointer_size;
    snprintf(buf, cap, "%s at %s-%s%s%s", fields_text(e->fields, fields, sizeof fields),
             pmm_address_text(e->address, ps, from, sizeof from), pmm_address_text(e->address + e->size, ps, to, sizeof to),
             details[0] ? "; " : "", details);
    return buf;
}

static const char *list_details(const pmm_map_diff *diff, const pmm_diff_entry *e, char *buf, size_t cap)
{
    const pmm_map *map = e->old_index != PMM_NO_INDEX ? diff->old_map : diff->new_map;
    size_t index = e->old_index != PMM_NO_INDEX ? e->old_index : e->new_index;
    switch (e->what) {
    case PMM_DIFF_MODULE_LOADED: case PMM_DIFF_MODULE_UNLOADED:
        return index < map->module_count ? pmm_map_text(map, map->modules[index].path) : "";
    case PMM_DIFF_THREAD_STARTED: case PMM_DIFF_THREAD_EXITED:
        snprintf(buf, cap, "Thread %u", index < map->thread_count ? (unsigned)map->threads[index].tid : 0u);
        return buf;
    case PMM_DIFF_HEAP_CREATED: case PMM_DIFF_HEAP_DESTROYED:
        snprintf(buf, cap, "Heap (ID %u)", index < map->heap_count ? (unsigned)map->heaps[index].id : 0u);
        return buf;
    case PMM_DIFF_FINDING_APPEARED: case PMM_DIFF_FINDING_GONE:
        if (index < map->integrity.count)
            snprintf(buf, cap, "%s: %s", pmm_map_text(map, map->integrity.items[index].symbol),
                     pmm_map_text(map, map->integrity.items[index].detail));
        return buf;
    default:
        snprintf(buf, cap, "%" PRIu64 " page(s)", e->size / PMM_PAGE_SIZE);
        return buf;
    }
}

static const char *type_text(const pmm_map_diff *diff, const pmm_diff_entry *e)
{
    const pmm_map *map;
    const pmm_region *r;
    switch (e->what) {
    case PMM_DIFF_MODULE_LOADED: case PMM_DIFF_MODULE_UNLOADED: return "Image";
    case PMM_DIFF_THREAD_STARTED: case PMM_DIFF_THREAD_EXITED: return "Thread";
    case PMM_DIFF_HEAP_CREATED: case PMM_DIFF_HEAP_DESTROYED: return "Heap";
    case PMM_DIFF_FINDING_APPEARED: case PMM_DIFF_FINDING_GONE: {
        map = e->old_index != PMM_NO_INDEX ? diff->old_map : diff->new_map;
        size_t i = e->old_index != PMM_NO_INDEX ? e->old_index : e->new_index;
        return i < map->integrity.count ? pmm_finding_kind_title(map->integrity.items[i].kind) : "";
    }
    case PMM_DIFF_PAGES_CHANGED: {
        size_t i = pmm_map_find(diff->new_map, e->address);
        return i == PMM_NO_INDEX ? "" : pmm_region_kind_name((pmm_region_kind)diff->new_map->regions[i].kind);
    }
    default:
        /* The allocation's type is its first region's (the Type column of the main list). */
        r = described_allocation(diff, e, &map);
        return r ? pmm_region_kind_name((pmm_region_kind)r->kind) : "";
    }
}

const char *compare_rows_cell(const pmm_map_diff *diff, size_t row, compare_column column, char *buf, size_t cap)
{
    const pmm_diff_entry *e = entry(diff, row);
    if (!e || cap == 0)
        return "";
    buf[0] = '\0';
    uint32_t ps = diff->new_map->target.pointer_size;
    uint64_t addr = 0;
    switch (column) {
    case COMPARE_COL_CHANGE:
        return e->what < PMM_DIFF_WHAT_COUNT ? change_names[e->what] : "";
    case COMPARE_COL_ADDRESS:
        compare_rows_address(diff, row, &addr);
        return pmm_address_text(addr, ps, buf, cap);
    case COMPARE_COL_SIZE:
        return e->what == PMM_DIFF_THREAD_STARTED || e->what == PMM_DIFF_THREAD_EXITED ? ""
                                                                                       : pmm_size_text(e->size, buf, cap);
    case COMPARE_COL_TYPE:
        return type_text(diff, e);
    case COMPARE_COL_BEFORE:
        return is_region_entry(e) ? protection(region_in(diff->old_map, e, e->old_index), buf, cap) : "";
    case COMPARE_COL_AFTER:
        return is_region_entry(e) ? protection(region_in(diff->new_map, e, e->new_index), buf, cap) : "";
    case COMPARE_COL_DETAILS:
        return is_region_entry(e) ? region_details(diff, e, buf, cap) : list_details(diff, e, buf, cap);
    default:
        return "";
    }
}

const char *compare_rows_summary(const pmm_map_diff *diff, char *buf, size_t cap)
{
    const size_t *c = diff->counts;
    int n = snprintf(buf, cap, "Regions: %zu added, %zu removed, %zu changed.  Modules: %zu loaded, %zu unloaded.  "
                               "Threads: %zu started, %zu exited.  Heaps: %zu created, %zu destroyed.",
                     c[PMM_DIFF_REGION_ADDED], c[PMM_DIFF_REGION_REMOVED], c[PMM_DIFF_REGION_CHANGED],
                     c[PMM_DIFF_MODULE_LOADED], c[PMM_DIFF_MODULE_UNLOADED], c[PMM_DIFF_THREAD_STARTED],
                     c[PMM_DIFF_THREAD_EXITED], c[PMM_DIFF_HEAP_CREATED], c[PMM_DIFF_HEAP_DESTROYED]);
    if (diff->findings_compared && n > 0 && (size_t)n < cap)
        snprintf(buf + n, cap - (size_t)n, "  Findings: %zu appeared, %zu gone.", c[PMM_DIFF_FINDING_APPEARED],
                 c[PMM_DIFF_FINDING_GONE]);
    return buf;
}

int compare_rows_write_text(const pmm_map_diff *diff, FILE *f)
{
    char buf[1200];
    int ok = fprintf(f, "%s\n", compare_rows_summary(diff, buf, sizeof buf)) > 0;
    for (int c = 0; c < COMPARE_COL_COUNT; c++)
        ok &= fprintf(f, "%s%s", c ? "\t" : "", column_names[c]) > 0;
    ok &= fputc('\n', f) != EOF;
    for (size_t row = 0; ok && row < compare_rows_count(diff); row++) {
        for (int c = 0; c < COMPARE_COL_COUNT; c++)
            ok &= fprintf(f, "%s%s", c ? "\t" : "", compare_rows_cell(diff, row, (compare_column)c, buf, sizeof buf)) >= 0;
        ok &= fputc('\n', f) != EOF;
    }
    return ok ? 0 : -1;
}
