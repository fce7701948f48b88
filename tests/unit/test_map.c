#include "check.h"
#include "core/model/map.h"

static void add(pmm_map *map, uint64_t base, uint64_t size, uint64_t alloc_base, uint32_t state)
{
    pmm_region_info info = {.base = base, .size = size, .alloc_base = alloc_base, .state = state,
                            .type = state == PMM_MEM_FREE ? 0 : PMM_MEM_PRIVATE, .protect = PMM_PAGE_READWRITE};
    CHECK(pmm_map_add_region(map, &info) == PMM_OK);
}

/* Three allocations: [0x10000: 2 regions], free, [0x30000: 3 regions]. */
static pmm_map *sample_map(void)
{
    pmm_map *map = pmm_map_new();
    add(map, 0x10000, 0x1000, 0x10000, PMM_MEM_COMMIT);
    add(map, 0x11000, 0xF000, 0x10000, PMM_MEM_RESERVE);
    add(map, 0x20000, 0x10000, 0, PMM_MEM_FREE);
    add(map, 0x30000, 0x1000, 0x30000, PMM_MEM_COMMIT);
    add(map, 0x31000, 0x1000, 0x30000, PMM_MEM_RESERVE);
    add(map, 0x32000, 0x2000, 0x30000, PMM_MEM_COMMIT);
    CHECK(pmm_map_finish(map) == PMM_OK);
    return map;
}

TEST_CASE(find_by_address)
{
    pmm_map *map = sample_map();
    CHECK_EQ_U64(pmm_map_find(map, 0x10000), 0);
    CHECK_EQ_U64(pmm_map_find(map, 0x11fff), 1);
    CHECK_EQ_U64(pmm_map_find(map, 0x2ffff), 2);
    CHECK_EQ_U64(pmm_map_find(map, 0x33fff), 5);
    CHECK(pmm_map_find(map, 0x34000) == PMM_NO_INDEX);
    CHECK(pmm_map_find(map, 0xffff) == PMM_NO_INDEX);
    pmm_map_free(map);
}

TEST_CASE(allocations_group_regions)
{
    pmm_map *map = sample_map();
    size_t first, count;
    CHECK_EQ_U64(map->allocation_count, 3);
    pmm_map_allocation_regions(map, 0, &first, &count);
    CHECK_EQ_U64(first, 0);
    CHECK_EQ_U64(count, 2);
    pmm_map_allocation_regions(map, 2, &first, &count);
    CHECK_EQ_U64(first, 3);
    CHECK_EQ_U64(count, 3);
    CHECK_EQ_U64(pmm_map_find_allocation(map, 4), 2);
    CHECK_EQ_U64(pmm_map_find_allocation(map, 2), 1);
    pmm_map_free(map);
}

TEST_CASE(regions_must_ascend)
{
    pmm_map *map = pmm_map_new();
    pmm_region_info a = {.base = 0x20000, .size = 0x1000, .state = PMM_MEM_COMMIT};
    pmm_region_info b = {.base = 0x10000, .size = 0x1000, .state = PMM_MEM_COMMIT};
    pmm_region_info empty = {.base = 0x30000, .size = 0, .state = PMM_MEM_COMMIT};
    CHECK(pmm_map_add_region(map, &a) == PMM_OK);
    CHECK(pmm_map_add_region(map, &b) == PMM_ERR_ARG);
    CHECK(pmm_map_add_region(map, &empty) == PMM_ERR_ARG);
    pmm_map_free(map);
}

TEST_CASE(innermost_annotation_wins)
{
    pmm_map *map = sample_map();
    pmm_map_add_annotation(map, 0x30000, 0x4000, PMM_ANN_MODULE, 64, 0, "outer");
    pmm_map_add_annotation(map, 0x31000, 0x1000, PMM_ANN_SECTION, 0, 0, ".text");
    pmm_map_add_annotation(map, 0x10000, 0x100, PMM_ANN_PEB, 64, 0, "PEB");
    CHECK(pmm_map_finish(map) == PMM_OK);
    const pmm_annotation *a = pmm_map_annotation_at(map, 0x31800, -1);
    CHECK(a && a->kind == PMM_ANN_SECTION);
    a = pmm_map_annotation_at(map, 0x32800, -1);
    CHECK(a && a->kind == PMM_ANN_MODULE);
    a = pmm_map_annotation_at(map, 0x31800, PMM_ANN_MODULE);
    CHECK(a && a->kind == PMM_ANN_MODULE);
    CHECK(pmm_map_annotation_at(map, 0x10100, -1) == NULL);
    CHECK_STR(pmm_map_text(map, pmm_map_annotation_at(map, 0x10000, -1)->label), "PEB");
    pmm_map_free(map);
}

TEST_CASE(heaps_deduplicate_and_merge_flags)
{
    pmm_map *map = pmm_map_new();
    pmm_heap *h;
    CHECK(pmm_map_add_heap(map, 0x1000, PMM_HEAP_IN_PEB_LIST, &h) == PMM_OK);
    CHECK_EQ_U64(h->id, 1);
    CHECK(pmm_map_add_heap(map, 0x2000, PMM_HEAP_IN_PEB_LIST, &h) == PMM_OK);
    CHECK(pmm_map_add_heap(map, 0x1000, PMM_HEAP_DEFAULT, &h) == PMM_OK);
    CHECK_EQ_U64(map->heap_count, 2);
    CHECK_EQ_U64(h->id, 1);
    CHECK_EQ_U64(h->flags, PMM_HEAP_IN_PEB_LIST | PMM_HEAP_DEFAULT);
    pmm_map_free(map);
}

/* A structure found corrupt carries its reason; the first reason given stays. */
TEST_CASE(annotations_marked_invalid)
{
    pmm_map *map = pmm_map_new();
    CHECK(pmm_map_add_annotation(map, 0x1000, 0x100, PMM_ANN_TEB, 64, 5, "TEB (thread 5)") == PMM_OK);
    CHECK(pmm_map_add_invalid_annotation(map, 0x2000, 8, PMM_ANN_SEH_RECORD, 32, 5, "SEH record (thread 5)",
                                         "SEH chain loops") == PMM_OK);
    CHECK_EQ_U64(pmm_map_invalid_count(map), 1);
    CHECK(pmm_map_mark_invalid(map, 0x1000, PMM_ANN_PEB, "wrong kind") == PMM_ERR_NOT_FOUND);
    CHECK(pmm_map_mark_invalid(map, 0x1000, PMM_ANN_TEB, "stack limit above base") == PMM_OK);
    CHECK(pmm_map_mark_invalid(map, 0x1000, PMM_ANN_TEB, "a second reason") == PMM_OK);
    CHECK(pmm_map_finish(map) == PMM_OK);
    CHECK_EQ_U64(pmm_map_invalid_count(map), 2);
    const pmm_annotation *a = pmm_map_annotation_at(map, 0x1010, PMM_ANN_TEB);
    CHECK(a && strcmp(pmm_map_text(map, a->invalid), "stack limit above base") == 0);
    a = pmm_map_annotation_at(map, 0x2004, -1);
    CHECK(a && strcmp(pmm_map_text(map, a->invalid), "SEH chain loops") == 0);
    CHECK_STR(pmm_annotation_kind_name(PMM_ANN_SEH_RECORD), "seh_record");
    CHECK_STR(pmm_annotation_kind_name(PMM_ANN_HEAP_SEGMENT), "heap_segment");
    CHECK_STR(pmm_annotation_kind_name(PMM_ANN_HEAP_BLOCK), "heap_block");
    pmm_map_free(map);
}

CHECK_MAIN(CASE(find_by_address), CASE(allocations_group_regions), CASE(regions_must_ascend),
           CASE(innermost_annotation_wins), CASE(heaps_deduplicate_and_merge_flags), CASE(annotations_marked_invalid))
