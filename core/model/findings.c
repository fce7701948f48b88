#include "map.h"

#include <string.h>
#include "../util/array.h"
#include "../util/memory_constants.h"

pmm_status pmm_map_add_finding(pmm_map *map, const pmm_finding *finding)
{
    pmm_findings *f = &map->integrity;
    pmm_status st = pmm_array_reserve((void **)&f->items, &f->cap, f->count + 1, sizeof *f->items);
    if (st == PMM_OK)
        f->items[f->count++] = *finding;
    return st;
}

pmm_status pmm_map_add_unchecked(pmm_map *map, const pmm_unchecked *unchecked)
{
    pmm_findings *f = &map->integrity;
    pmm_status st = pmm_array_reserve((void **)&f->unchecked, &f->unchecked_cap, f->unchecked_count + 1,
                                      sizeof *f->unchecked);
    if (st == PMM_OK)
        f->unchecked[f->unchecked_count++] = *unchecked;
    return st;
}

pmm_status pmm_map_add_image_check(pmm_map *map, const pmm_image_check *check)
{
    pmm_findings *f = &map->integrity;
    pmm_status st = pmm_array_reserve((void **)&f->images, &f->image_cap, f->image_count + 1, sizeof *f->images);
    if (st == PMM_OK)
        f->images[f->image_count++] = *check;
    return st;
}

size_t pmm_findings_count_in(const pmm_findings *findings, uint64_t base, uint64_t size)
{
    size_t n = 0;
    for (size_t i = 0; i < findings->count; i++)
        n += findings->items[i].address - base < size;
    return n;
}

/* The pages [*first, *end) of [base, base + size) that finding f touches, when it starts there. */
static int finding_pages(const pmm_finding *f, uint64_t base, uint64_t size, uint64_t *first, uint64_t *end)
{
    if (f->address - base >= size)
        return 0;
    uint64_t room = size - (f->address - base), len = f->size ? f->size : 1;
    uint64_t last = f->address + (len < room ? len : room) - 1;
    *first = f->address / PMM_PAGE_SIZE;
    *end = last / PMM_PAGE_SIZE + 1;
    return 1;
}

/* The lowest page at or above from that a finding touches, and the end of the run of touched pages
 * from there; 0 when there is none. Findings are few, so each step looks at all of them rather
 * than allocating a sorted copy on every paint of a row. */
static int next_run(const pmm_findings *findings, uint64_t base, uint64_t size, uint64_t from, uint64_t *start,
                    uint64_t *end)
{
    int found = 0;
    for (size_t i = 0; i < findings->count; i++) {
        uint64_t first, stop;
        if (finding_pages(&findings->items[i], base, size, &first, &stop) && stop > from &&
            (!found || (first > from ? first : from) < *start)) {
            *start = first > from ? first : from;
            found = 1;
        }
    }
    if (!found)
        return 0;
    *end = *start;
    for (int grew = 1; grew;) {
        grew = 0;
        for (size_t i = 0; i < findings->count; i++) {
            uint64_t first, stop;
            if (finding_pages(&findings->items[i], base, size, &first, &stop) && first <= *end && stop > *end) {
                *end = stop;
                grew = 1;
            }
        }
    }
    return 1;
}

uint64_t pmm_findings_pages_in(const pmm_findings *findings, uint64_t base, uint64_t size)
{
    uint64_t pages = 0, from = 0, start, end;
    while (next_run(findings, base, size, from, &start, &end)) {
        pages += end - start;
        from = end;
    }
    return pages;
}

size_t pmm_findings_image_count(const pmm_findings *findings, uint32_t status)
{
    size_t n = 0;
    for (size_t i = 0; i < findings->image_count; i++)
        n += findings->images[i].status == status;
    return n;
}

const char *pmm_image_check_status_name(uint32_t status)
{
    static const char *const names[] = {"checked", "partly", "not_checked"};
    return status < 3 ? names[status] : "?";
}

static const char *const kind_names[PMM_FINDING_KIND_COUNT] = {
    "inline_hook", "patch", "iat", "delay_iat", "eat", "entry_point", "tls_callback", "header",
    "image_replaced", "file_mismatch", "file_missing", "unlinked_module", "implanted_pe", "private_code",
};

static const char *const kind_titles[PMM_FINDING_KIND_COUNT] = {
    "Inline hook", "Patched bytes", "IAT redirected", "Delay-load IAT redirected", "EAT entry changed",
    "Entry point changed", "TLS callback changed", "PE header changed", "Image replaced (hollowed)",
    "File does not match", "File missing", "Unlinked module", "Implanted PE image", "Private code",
};

const char *pmm_finding_kind_name(uint32_t kind)
{
    return kind < PMM_FINDING_KIND_COUNT ? kind_names[kind] : "?";
}

const char *pmm_finding_kind_title(uint32_t kind)
{
    return kind < PMM_FINDING_KIND_COUNT ? kind_titles[kind] : "?";
}

uint32_t pmm_finding_kind_from_name(const char *name)
{
    for (uint32_t i = 0; i < PMM_FINDING_KIND_COUNT; i++)
        if (strcmp(kind_names[i], name) == 0)
            return i;
    return PMM_FINDING_KIND_COUNT;
}
