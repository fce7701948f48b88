/* The comparison driver and the allocation matching (modules, threads, heaps and pages are in
 * map_diff_lists.c). Both maps' allocations are walked once, in address order, so two maps of
 * 100,000 regions compare in a few milliseconds. */
#include "map_diff.h"

#include <stdlib.h>
#include <string.h>
#include "../util/array.h"

pmm_status pmm_map_diff_add(pmm_map_diff *diff, const pmm_diff_entry *entry)
{
    pmm_status st = pmm_array_reserve((void **)&diff->entries, &diff->cap, diff->count + 1, sizeof *diff->entries);
    if (st != PMM_OK)
        return st;
    diff->entries[diff->count++] = *entry;
    diff->counts[entry->what]++;
    return PMM_OK;
}

typedef struct allocation_view {
    const pmm_map *map;
    size_t index, first, count;
    uint64_t base, end;
} allocation_view;

static void view_allocation(const pmm_map *map, size_t index, allocation_view *v)
{
    v->map = map;
    v->index = index;
    pmm_map_allocation_regions(map, index, &v->first, &v->count);
    const pmm_region *last = &map->regions[v->first + v->count - 1];
    v->base = map->regions[v->first].base;
    v->end = last->base + last->size;
}

/* The next allocation at or after *index that is not free space; 0 when there is none. */
static int next_allocation(const pmm_map *map, size_t *index, allocation_view *v)
{
    for (; *index < map->allocation_count; (*index)++) {
        view_allocation(map, *index, v);
        if (map->regions[v->first].state != PMM_MEM_FREE)
            return 1;
    }
    return 0;
}

static uint32_t region_fields(const allocation_view *a, const pmm_region *x, const allocation_view *b,
                              const pmm_region *y)
{
    uint32_t fields = 0;
    if (x->state != y->state)
        fields |= PMM_DIFF_STATE;
    if (x->state == PMM_MEM_COMMIT && y->state == PMM_MEM_COMMIT && x->protect != y->protect)
        fields |= PMM_DIFF_PROTECT;
    if (x->type != y->type)
        fields |= PMM_DIFF_TYPE;
    if (x->alloc_protect != y->alloc_protect)
        fields |= PMM_DIFF_ALLOC_PROTECT;
    if (x->kind != y->kind)
        fields |= PMM_DIFF_KIND;
    if (strcmp(pmm_map_text(a->map, x->details), pmm_map_text(b->map, y->details)) != 0)
        fields |= PMM_DIFF_DETAILS;
    return fields;
}

/* Walks both allocations' regions over the union of their boundaries; collects what differs and
 * the address range it spans. A boundary that moved always moves with a difference on one side of
 * it (the OS merges equal neighbours), so boundaries themselves are not compared; a different
 * number of regions is reported as "blocks". */
static pmm_status compare_allocation(pmm_map_diff *diff, const allocation_view *a, const allocation_view *b)
{
    uint32_t fields = a->count != b->count ? PMM_DIFF_BLOCKS : 0;
    uint64_t lo = UINT64_MAX, hi = 0, pos = a->base;
    size_t i = a->first, j = b->first;
    const size_t i_end = a->first + a->count, j_end = b->first + b->count;
    while (i < i_end && j < j_end) {   /* each pass advances i or j */
        const pmm_region *x = &a->map->regions[i], *y = &b->map->regions[j];
        uint64_t x_end = x->base + x->size, y_end = y->base + y->size;
        uint64_t seg_end = x_end < y_end ? x_end : y_end;
        uint32_t f = region_fields(a, x, b, y);
        if (f) {
            fields |= f;
            lo = pos < lo ? pos : lo;
            hi = seg_end > hi ? seg_end : hi;
        }
        pos = seg_end;
        i += x_end == seg_end;
        j += y_end == seg_end;
    }
    if (a->end != b->end) {
        fields |= PMM_DIFF_SIZE;
        uint64_t shorter = a->end < b->end ? a->end : b->end, longer = a->end < b->end ? b->end : a->end;
        lo = shorter < lo ? shorter : lo;
        hi = longer > hi ? longer : hi;
    }
    if (!fields)
        return PMM_OK;
    pmm_diff_entry e = {.what = PMM_DIFF_REGION_CHANGED, .fields = fields, .address = lo, .size = hi - lo,
                        .allocation = a->base, .old_index = a->index, .new_index = b->index};
    return pmm_map_diff_add(diff, &e);
}

static pmm_status add_one_sided(pmm_map_diff *diff, pmm_diff_what what, const allocation_view *v)
{
    pmm_diff_entry e = {.what = what, .address = v->base, .size = v->end - v->base, .allocation = v->base,
                        .old_index = what == PMM_DIFF_REGION_REMOVED ? v->index : PMM_NO_INDEX,
                        .new_index = what == PMM_DIFF_REGION_ADDED ? v->index : PMM_NO_INDEX};
    return pmm_map_diff_add(diff, &e);
}

static pmm_status diff_allocations(pmm_map_diff *diff)
{
    size_t i = 0, j = 0;
    allocation_view a, b;
    int has_a = next_allocation(diff->old_map, &i, &a), has_b = next_allocation(diff->new_map, &j, &b);
    pmm_status st = PMM_OK;
    while ((has_a || has_b) && st == PMM_OK) {   /* each pass consumes at least one allocation */
        if (has_a && (!has_b || a.base < b.base)) {
            st = add_one_sided(diff, PMM_DIFF_REGION_REMOVED, &a);
            i++;
        } else if (!has_a || b.base < a.base) {
            st = add_one_sided(diff, PMM_DIFF_REGION_ADDED, &b);
            j++;
        } else {
            st = compare_allocation(diff, &a, &b);
            i++;
            j++;
        }
        has_a = has_a && next_allocation(diff->old_map, &i, &a);
        has_b = has_b && next_allocation(diff->new_map, &j, &b);
    }
    return st;
}

pmm_status pmm_map_diff_compute(const pmm_map *old_map, const pmm_page_sums *old_sums, const pmm_map *new_map,
                                const pmm_page_sums *new_sums, pmm_map_diff *out)
{
    memset(out, 0, sizeof *out);
    out->old_map = old_map;
    out->new_map = new_map;
    pmm_map_summarize(old_map, &out->old_summary);
    pmm_map_summarize(new_map, &out->new_summary);
    out->working_set_compared = out->old_summary.has_working_set && out->new_summary.has_working_set;
    pmm_status st = diff_allocations(out);
    if (st == PMM_OK)
        st = pmm_map_diff_lists(out);
    if (st == PMM_OK)
        st = pmm_map_diff_pages(out, old_sums, new_sums);
    if (st == PMM_OK)
        st = pmm_map_diff_findings(out);
    return st;
}

void pmm_map_diff_free(pmm_map_diff *diff)
{
    free(diff->entries);
    diff->entries = NULL;
    diff->count = diff->cap = 0;
}

const char *pmm_diff_what_name(pmm_diff_what what)
{
    static const char *const names[PMM_DIFF_WHAT_COUNT] = {
        "added", "removed", "changed", "loaded", "unloaded", "started", "exited", "created", "destroyed", "changed",
        "appeared", "gone",
    };
    return (unsigned)what < PMM_DIFF_WHAT_COUNT ? names[what] : "?";
}

const char *pmm_diff_field_name(uint32_t field_bit)
{
    static const char *const names[PMM_DIFF_FIELD_COUNT] = {
        "size", "state", "protect", "type", "alloc_protect", "kind", "details", "blocks",
    };
    for (int i = 0; i < PMM_DIFF_FIELD_COUNT; i++)
        if (field_bit == 1u << i)
            return names[i];
    return "?";
}
