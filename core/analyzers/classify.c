/* Decides each allocation's type (VMMap's "Type" column) and its Usage/Details text, from the
 * memory type and the annotations the analyzers left in it. */
#include "analyzers.h"

#include <string.h>

#define DETAILS_CAP 256

typedef struct allocation_view {
    uint64_t base, end;
    size_t first, count;
} allocation_view;

static int is_system_annotation(uint16_t kind)
{
    return kind == PMM_ANN_TEB || kind == PMM_ANN_PEB || kind == PMM_ANN_PROCESS_PARAMETERS ||
           kind == PMM_ANN_ENVIRONMENT || kind == PMM_ANN_LOADER_DATA || kind == PMM_ANN_KUSER_SHARED_DATA ||
           kind == PMM_ANN_SYSTEM_DATA;
}

static void append_label(char *details, const char *label)
{
    size_t used = strlen(details), len = strlen(label);
    if (!*label || strstr(details, label))
        return;
    if (used && used + 2 < DETAILS_CAP) {
        memcpy(details + used, ", ", 3);
        used += 2;
    }
    if (used + len >= DETAILS_CAP)
        len = DETAILS_CAP - used - 1;
    memcpy(details + used, label, len);
    details[used + len] = '\0';
}

/* Collects the labels of annotations of one family that overlap the allocation, including ones
 * that start below it (a stack whose lower part a dump did not save). */
static int collect_labels(const pmm_map *map, const allocation_view *a, int (*wanted)(uint16_t), char *details)
{
    int found = 0;
    size_t first = pmm_map_annotation_lower_bound(map, a->base);
    details[0] = '\0';
    while (first > 0 && map->annotation_max_end[first - 1] > a->base)
        first--;
    for (size_t i = first; i < map->annotation_count; i++) {
        const pmm_annotation *ann = &map->annotations[i];
        if (ann->base >= a->end)
            break;
        if (ann->base + ann->size > a->base && wanted(ann->kind)) {
            append_label(details, pmm_map_text(map, ann->label));
            found = 1;
        }
    }
    return found;
}

static int is_stack(uint16_t kind) { return kind == PMM_ANN_STACK; }
static int is_heap(uint16_t kind) { return kind == PMM_ANN_HEAP; }

static pmm_region_kind classify_private(const pmm_map *map, const allocation_view *a, char *details)
{
    if (collect_labels(map, a, is_stack, details))
        return PMM_KIND_STACK;
    if (collect_labels(map, a, is_heap, details))
        return PMM_KIND_HEAP;
    if (collect_labels(map, a, is_system_annotation, details))
        return PMM_KIND_SYSTEM;
    details[0] = '\0';
    if (map->regions[a->first].flags & PMM_REGION_PE_HEADER)
        strcpy(details, "PE header in non-image memory");
    return PMM_KIND_PRIVATE;
}

static pmm_region_kind classify_mapped(pmm_scan *scan, const allocation_view *a, char *details)
{
    details[0] = '\0';
    if (pmm_source_mapped_file_name(scan->src, a->base, details, DETAILS_CAP) == PMM_OK && details[0])
        return PMM_KIND_MAPPED_FILE;
    if (collect_labels(scan->map, a, is_system_annotation, details))
        return PMM_KIND_SYSTEM;
    details[0] = '\0';
    return PMM_KIND_SHAREABLE;
}

static pmm_region_kind classify_image(pmm_scan *scan, const allocation_view *a, char *details)
{
    const pmm_module *m = pmm_map_module_at(scan->map, a->base);
    details[0] = '\0';
    if (m && m->path)
        strncat(details, pmm_map_text(scan->map, m->path), DETAILS_CAP - 1);
    else
        pmm_source_mapped_file_name(scan->src, a->base, details, DETAILS_CAP);
    return PMM_KIND_IMAGE;
}

pmm_region_kind pmm_kind_from_memory_type(const pmm_region *first)
{
    if (first->state == PMM_MEM_FREE)
        return (first->base % PMM_ALLOCATION_GRANULARITY) ? PMM_KIND_UNUSABLE : PMM_KIND_FREE;
    return first->type == PMM_MEM_IMAGE    ? PMM_KIND_IMAGE
           : first->type == PMM_MEM_MAPPED ? PMM_KIND_SHAREABLE
                                           : PMM_KIND_PRIVATE;
}

static pmm_region_kind classify_allocation(pmm_scan *scan, const allocation_view *a, char *details)
{
    const pmm_region *first = &scan->map->regions[a->first];
    details[0] = '\0';
    if (first->state == PMM_MEM_FREE)
        return pmm_kind_from_memory_type(first);
    if (first->type == PMM_MEM_IMAGE)
        return classify_image(scan, a, details);
    if (first->type == PMM_MEM_MAPPED)
        return classify_mapped(scan, a, details);
    return classify_private(scan->map, a, details);
}

pmm_status pmm_classify_regions(pmm_scan *scan)
{
    pmm_map *map = scan->map;
    char details[DETAILS_CAP];
    for (size_t n = 0; n < map->allocation_count; n++) {
        allocation_view a;
        pmm_map_allocation_regions(map, n, &a.first, &a.count);
        const pmm_region *last = &map->regions[a.first + a.count - 1];
        a.base = map->regions[a.first].base;
        a.end = last->base + last->size;
        pmm_region_kind kind = classify_allocation(scan, &a, details);
        uint32_t details_id;
        pmm_status st = pmm_strings_intern(&map->strings, details, &details_id);
        if (st != PMM_OK)
            return st;
        for (size_t i = a.first; i < a.first + a.count; i++) {
            map->regions[i].kind = (uint8_t)kind;
            map->regions[i].details = details_id;
        }
    }
    return PMM_OK;
}
