#include "findings_rows.h"

#include <stdio.h>
#include "core/util/text.h"

static const char *const column_names[FINDINGS_COL_COUNT] = {"Kind", "Address", "Size", "Where", "Destination",
                                                             "Detail"};

const char *findings_column_name(findings_column column)
{
    return column < FINDINGS_COL_COUNT ? column_names[column] : "";
}

size_t findings_rows_count(const pmm_map *map)
{
    return map ? map->integrity.count + map->integrity.unchecked_count : 0;
}

int findings_rows_is_unchecked(const pmm_map *map, size_t row)
{
    return map && row >= map->integrity.count && row < findings_rows_count(map);
}

static const char *module_name(const pmm_map *map, uint32_t number)
{
    return number && number <= map->module_count ? pmm_map_text(map, map->modules[number - 1].name) : "";
}

static const char *finding_cell(const pmm_map *map, const pmm_finding *f, findings_column column, char *buf,
                                size_t cap)
{
    uint32_t ps = map->target.pointer_size;
    switch (column) {
    case FINDINGS_COL_KIND: return pmm_finding_kind_title(f->kind);
    case FINDINGS_COL_ADDRESS: return pmm_address_text(f->address, ps, buf, cap);
    case FINDINGS_COL_SIZE: return pmm_count_text(f->size, buf, cap);
    case FINDINGS_COL_WHERE: return pmm_map_text(map, f->symbol);
    case FINDINGS_COL_DESTINATION: {
        if (!f->destination)
            return "";
        char address[24];
        snprintf(buf, cap, "%s %s", pmm_address_text(f->destination, ps, address, sizeof address),
                 pmm_map_text(map, f->destination_text));
        return buf;
    }
    case FINDINGS_COL_DETAIL: return pmm_map_text(map, f->detail);
    default: return "";
    }
}

static const char *unchecked_cell(const pmm_map *map, const pmm_unchecked *u, findings_column column, char *buf,
                                  size_t cap)
{
    switch (column) {
    case FINDINGS_COL_KIND: return "Not checked";
    case FINDINGS_COL_ADDRESS: return u->address ? pmm_address_text(u->address, map->target.pointer_size, buf, cap) : "";
    case FINDINGS_COL_SIZE:
        return u->size ? pmm_count_text(u->size, buf, cap) : "";
    case FINDINGS_COL_WHERE:
        snprintf(buf, cap, "%s%s%s", module_name(map, u->module), u->module ? ": " : "", pmm_map_text(map, u->what));
        return buf;
    case FINDINGS_COL_DETAIL: return pmm_map_text(map, u->reason);
    default: return "";
    }
}

const char *findings_rows_cell(const pmm_map *map, size_t row, findings_column column, char *buf, size_t cap)
{
    if (!map || cap == 0 || row >= findings_rows_count(map))
        return "";
    buf[0] = '\0';
    const pmm_findings *f = &map->integrity;
    return row < f->count ? finding_cell(map, &f->items[row], column, buf, cap)
                          : unchecked_cell(map, &f->unchecked[row - f->count], column, buf, cap);
}

int findings_rows_address(const pmm_map *map, size_t row, uint64_t *address)
{
    if (!map || row >= findings_rows_count(map))
        return 0;
    const pmm_findings *f = &map->integrity;
    *address = row < f->count ? f->items[row].address : f->unchecked[row - f->count].address;
    return *address != 0;
}

const char *findings_rows_summary(const pmm_map *map, char *buf, size_t cap)
{
    const pmm_findings *f = &map->integrity;
    char size[64];
    snprintf(buf, cap, "%zu finding%s, %zu not checked. %zu images: %zu compared in full, %zu in part, %zu not "
                       "checked; %s compared%s.",
             f->count, f->count == 1 ? "" : "s", f->unchecked_count, f->image_count,
             pmm_findings_image_count(f, PMM_IMAGE_CHECKED), pmm_findings_image_count(f, PMM_IMAGE_PARTLY),
             pmm_findings_image_count(f, PMM_IMAGE_NOT_CHECKED), pmm_size_text(f->summary.bytes_compared, size, sizeof size),
             (f->summary.flags & PMM_INTEGRITY_PROCESS_WIDE) ? "" : "; process-wide checks not run");
    return buf;
}
