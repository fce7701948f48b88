/* Map comparison: what is reported for allocations, modules, threads, heaps and pages, and that a
 * region split by a protection change is one change, not a cascade. */
#include "check.h"
#include "saved_map_testlib.h"
#include "core/tools/map_diff.h"

/* A region of a test map: private memory, committed read-write unless said otherwise. */
typedef struct region_spec {
    uint64_t base, size, alloc_base;
    uint32_t state, protect;
} region_spec;

#define FREE_AT(base, size) {base, size, 0, PMM_MEM_FREE, 0}
#define RW_AT(base, size, alloc_base) {base, size, alloc_base, PMM_MEM_COMMIT, PMM_PAGE_READWRITE}

/* free | A: 64 KiB RW | free | B: 4 KiB RW + 60 KiB reserved | free */
static const region_spec base_regions[] = {
    FREE_AT(0x0, 0x10000), RW_AT(0x10000, 0x10000, 0x10000), FREE_AT(0x20000, 0x20000), RW_AT(0x40000, 0x1000, 0x40000),
    {0x41000, 0xF000, 0x40000, PMM_MEM_RESERVE, 0}, FREE_AT(0x50000, 0x100000)};

static pmm_map *map_of(const region_spec *regions, size_t count)
{
    pmm_map *map = pmm_map_new();
    for (size_t i = 0; i < count; i++) {
        const region_spec *r = &regions[i];
        pmm_region_info info = {.base = r->base, .size = r->size, .alloc_base = r->alloc_base, .state = r->state,
                                .type = r->state == PMM_MEM_FREE ? 0 : PMM_MEM_PRIVATE,
                                .protect = r->state == PMM_MEM_COMMIT ? r->protect : 0,
                                .alloc_protect = PMM_PAGE_READWRITE};
        CHECK(pmm_map_add_region(map, &info) == PMM_OK);
    }
    return map;
}
#define MAP_OF(regions) map_of(regions, sizeof regions / sizeof regions[0])

static pmm_map *base_map(void)
{
    return MAP_OF(base_regions);
}

static void finish(pmm_map *map)
{
    CHECK(pmm_map_finish(map) == PMM_OK);
}

/* Two maps and their differences; the maps outlive the diff. */
typedef struct compared {
    pmm_map *a, *b;
    pmm_map_diff diff;
} compared;

/* Finishes a and b and compares them without page checksums. */
static void compare(compared *c, pmm_map *a, pmm_map *b)
{
    c->a = a;
    c->b = b;
    finish(a);
    finish(b);
    CHECK(pmm_map_diff_compute(a, NULL, b, NULL, &c->diff) == PMM_OK);
}

static void compared_free(compared *c)
{
    pmm_map_diff_free(&c->diff);
    pmm_map_free(c->a);
    pmm_map_free(c->b);
}

static const pmm_diff_entry *only_entry(const pmm_map_diff *diff)
{
    CHECK_EQ_U64(diff->count, 1);
    return diff->count == 1 ? &diff->entries[0] : NULL;
}

TEST_CASE(identical_maps_have_no_differences)
{
    compared c;
    compare(&c, base_map(), base_map());
    CHECK_EQ_U64(c.diff.count, 0);
    CHECK(!c.diff.pages_compared);
    mem_text text = {0};
    pmm_out out = mem_text_out(&text);
    pmm_map_diff_write_text(&c.diff, &out);
    CHECK(text.data && strstr(text.data, "No differences.") != NULL);
    free(text.data);
    compared_free(&c);
}

TEST_CASE(split_region_is_one_change)
{
    static const region_spec after[] = {
        FREE_AT(0x0, 0x10000), RW_AT(0x10000, 0x1000, 0x10000),
        {0x11000, 0x2000, 0x10000, PMM_MEM_COMMIT, PMM_PAGE_READONLY},   /* VirtualProtect of two pages */
        RW_AT(0x13000, 0xD000, 0x10000), FREE_AT(0x20000, 0x20000), RW_AT(0x40000, 0x1000, 0x40000),
        {0x41000, 0xF000, 0x40000, PMM_MEM_RESERVE, 0}, FREE_AT(0x50000, 0x100000)};
    compared c;
    compare(&c, base_map(), MAP_OF(after));
    const pmm_diff_entry *e = only_entry(&c.diff);
    if (e) {
        CHECK_EQ_U64(e->what, PMM_DIFF_REGION_CHANGED);
        CHECK_EQ_U64(e->allocation, 0x10000);
        CHECK_EQ_U64(e->address, 0x11000);
        CHECK_EQ_U64(e->size, 0x2000);
        CHECK_EQ_U64(e->fields, PMM_DIFF_PROTECT | PMM_DIFF_BLOCKS);
    }
    compared_free(&c);
}

TEST_CASE(commit_inside_a_reservation_is_one_change)
{
    static const region_spec after[] = {
        FREE_AT(0x0, 0x10000), RW_AT(0x10000, 0x10000, 0x10000), FREE_AT(0x20000, 0x20000),
        RW_AT(0x40000, 0x3000, 0x40000), {0x43000, 0xD000, 0x40000, PMM_MEM_RESERVE, 0}, FREE_AT(0x50000, 0x100000)};
    compared c;
    compare(&c, base_map(), MAP_OF(after));
    const pmm_diff_entry *e = only_entry(&c.diff);
    if (e) {
        CHECK_EQ_U64(e->what, PMM_DIFF_REGION_CHANGED);
        CHECK_EQ_U64(e->address, 0x41000);
        CHECK_EQ_U64(e->size, 0x2000);
        CHECK_EQ_U64(e->fields, PMM_DIFF_STATE);   /* still two regions: no "blocks" */
    }
    compared_free(&c);
}

TEST_CASE(allocations_added_removed_and_resized)
{
    static const region_spec after[] = {
        FREE_AT(0x0, 0x10000),
        RW_AT(0x10000, 0x20000, 0x10000),   /* A grew (same base) */
        RW_AT(0x30000, 0x10000, 0x30000),   /* new in old free space */
        FREE_AT(0x40000, 0x110000)};        /* B freed */
    compared c;
    compare(&c, base_map(), MAP_OF(after));
    pmm_map_diff diff = c.diff;
    CHECK_EQ_U64(diff.count, 3);
    CHECK_EQ_U64(diff.counts[PMM_DIFF_REGION_CHANGED], 1);
    CHECK_EQ_U64(diff.counts[PMM_DIFF_REGION_ADDED], 1);
    CHECK_EQ_U64(diff.counts[PMM_DIFF_REGION_REMOVED], 1);
    if (diff.count == 3) {
        CHECK(diff.entries[0].what == PMM_DIFF_REGION_CHANGED && diff.entries[0].fields == PMM_DIFF_SIZE);
        CHECK(diff.entries[0].address == 0x20000 && diff.entries[0].size == 0x10000);
        CHECK(diff.entries[1].what == PMM_DIFF_REGION_ADDED && diff.entries[1].address == 0x30000 &&
              diff.entries[1].size == 0x10000);
        CHECK(diff.entries[2].what == PMM_DIFF_REGION_REMOVED && diff.entries[2].address == 0x40000 &&
              diff.entries[2].size == 0x10000);
    }
    compared_free(&c);
}

TEST_CASE(details_and_kind_changes)
{
    pmm_map *b = base_map();
    pmm_map_set_details(b, 1, "Heap (ID 2)");
    b->regions[1].kind = PMM_KIND_HEAP;
    compared c;
    compare(&c, base_map(), b);
    const pmm_diff_entry *e = only_entry(&c.diff);
    if (e)
        CHECK_EQ_U64(e->fields, PMM_DIFF_DETAILS | PMM_DIFF_KIND);
    compared_free(&c);
}

TEST_CASE(modules_threads_and_heaps)
{
    pmm_map *a = base_map(), *b = base_map();
    pmm_module m1 = {.base = 0x140000000ull, .size = 0x5000, .pointer_size = 8};
    pmm_module m2 = {.base = 0x180000000ull, .size = 0x3000, .pointer_size = 8};
    pmm_map_add_module(a, &m1, "C:\\app.exe");
    pmm_map_add_module(b, &m2, "C:\\new.dll");   /* listed first: order must not matter */
    pmm_map_add_module(b, &m1, "C:\\app.exe");
    pmm_map_add_module(a, &m2, "C:\\old.dll");   /* same base, other file: unloaded + loaded */
    pmm_thread t1 = {.tid = 10, .teb = 0x1000}, t2 = {.tid = 20, .teb = 0x3000}, t3 = {.tid = 30, .teb = 0x5000};
    pmm_map_add_thread(a, &t1);
    pmm_map_add_thread(a, &t2);
    pmm_map_add_thread(b, &t1);
    pmm_map_add_thread(b, &t3);
    pmm_map_add_heap(a, 0x10000, PMM_HEAP_DEFAULT, NULL);
    pmm_map_add_heap(b, 0x10000, PMM_HEAP_DEFAULT, NULL);
    pmm_map_add_heap(b, 0x40000, 0, NULL);
    compared c;
    compare(&c, a, b);
    pmm_map_diff diff = c.diff;
    CHECK_EQ_U64(diff.counts[PMM_DIFF_MODULE_LOADED], 1);
    CHECK_EQ_U64(diff.counts[PMM_DIFF_MODULE_UNLOADED], 1);
    CHECK_EQ_U64(diff.counts[PMM_DIFF_THREAD_STARTED], 1);
    CHECK_EQ_U64(diff.counts[PMM_DIFF_THREAD_EXITED], 1);
    CHECK_EQ_U64(diff.counts[PMM_DIFF_HEAP_CREATED], 1);
    CHECK_EQ_U64(diff.counts[PMM_DIFF_HEAP_DESTROYED], 0);
    CHECK_EQ_U64(diff.count, 5);
    for (size_t i = 0; i < diff.count; i++) {
        const pmm_diff_entry *e = &diff.entries[i];
        if (e->what == PMM_DIFF_MODULE_LOADED)
            CHECK_STR(pmm_map_text(b, b->modules[e->new_index].path), "C:\\new.dll");
        if (e->what == PMM_DIFF_THREAD_STARTED)
            CHECK_EQ_U64(b->threads[e->new_index].tid, 30);
        if (e->what == PMM_DIFF_THREAD_EXITED)
            CHECK_EQ_U64(a->threads[e->old_index].tid, 20);
        if (e->what == PMM_DIFF_HEAP_CREATED)
            CHECK_EQ_U64(e->address, 0x40000);
    }
    mem_text json = {0};
    pmm_out out = mem_text_out(&json);
    pmm_map_diff_write_json(&diff, &out);
    CHECK(json.data && strstr(json.data, "\"format\": \"pmm-diff\"") && strstr(json.data, "\"change\": \"loaded\"") &&
          strstr(json.data, "\"tid\": 30"));
    free(json.data);
    compared_free(&c);
}

static void add_page(pmm_page_sums *s, uint64_t address, uint64_t hash, uint32_t status)
{
    s->items = realloc(s->items, (s->count + 1) * sizeof *s->items);
    s->items[s->count++] = (pmm_page_sum){address, hash, status, 0};
    s->present = 1;
}

TEST_CASE(changed_pages_are_grouped_into_runs)
{
    pmm_map *a = base_map(), *b = base_map();
    finish(a);
    finish(b);
    pmm_page_sums x = {0}, y = {0};
    for (uint64_t p = 0; p < 16; p++) {
        add_page(&x, 0x10000 + p * 0x1000, p, PMM_PAGE_HASHED);
        uint64_t changed = p == 2 || p == 3 || p == 9;   /* two runs: pages 2-3 and page 9 */
        uint32_t status = p == 12 ? PMM_PAGE_UNREADABLE : PMM_PAGE_HASHED;   /* not a content change */
        add_page(&y, 0x10000 + p * 0x1000, p + changed * 100, status);
    }
    add_page(&y, 0x40000, 5, PMM_PAGE_HASHED);   /* on one side only: not compared */
    pmm_map_diff diff;
    CHECK(pmm_map_diff_compute(a, &x, b, &y, &diff) == PMM_OK);
    CHECK(diff.pages_compared);
    CHECK_EQ_U64(diff.pages_changed, 3);
    CHECK_EQ_U64(diff.count, 2);
    if (diff.count == 2) {
        CHECK(diff.entries[0].address == 0x12000 && diff.entries[0].size == 0x2000);
        CHECK(diff.entries[1].address == 0x19000 && diff.entries[1].size == 0x1000);
    }
    pmm_map_diff_free(&diff);
    /* Only one side with checksums: pages are not compared at all. */
    CHECK(pmm_map_diff_compute(a, NULL, b, &y, &diff) == PMM_OK);
    CHECK(!diff.pages_compared && diff.count == 0);
    pmm_map_diff_free(&diff);
    free(x.items);
    free(y.items);
    pmm_map_free(a);
    pmm_map_free(b);
}

TEST_CASE(scanned_fake_against_itself_after_a_write)
{
    fake_source f;
    testlib_build_fake(&f);
    pmm_map *a = testlib_scan_fake(&f);
    pmm_source src;
    fake_source_open(&f, &src, 8);
    pmm_page_sums x, y;
    CHECK(pmm_page_sums_compute(&src, a, NULL, NULL, &x) == PMM_OK);
    fake_write(&f, 0x11010, "changed", 7);
    pmm_map *b = testlib_scan_fake(&f);
    CHECK(pmm_page_sums_compute(&src, b, NULL, NULL, &y) == PMM_OK);
    pmm_map_diff diff;
    CHECK(pmm_map_diff_compute(a, &x, b, &y, &diff) == PMM_OK);
    const pmm_diff_entry *e = only_entry(&diff);
    if (e) {
        CHECK_EQ_U64(e->what, PMM_DIFF_PAGES_CHANGED);
        CHECK_EQ_U64(e->address, 0x11000);
        CHECK_EQ_U64(e->size, 0x1000);
    }
    mem_text text = {0};
    pmm_out out = mem_text_out(&text);
    pmm_map_diff_write_text(&diff, &out);
    CHECK(text.data && strstr(text.data, "Pages: 1 changed in 1 ranges.") != NULL);
    free(text.data);
    pmm_map_diff_free(&diff);
    pmm_page_sums_free(&x);
    pmm_page_sums_free(&y);
    pmm_map_free(a);
    pmm_map_free(b);
    fake_free(&f);
}

CHECK_MAIN(CASE(identical_maps_have_no_differences), CASE(split_region_is_one_change),
           CASE(commit_inside_a_reservation_is_one_change), CASE(allocations_added_removed_and_resized),
           CASE(details_and_kind_changes), CASE(modules_threads_and_heaps), CASE(changed_pages_are_grouped_into_runs),
           CASE(scanned_fake_against_itself_after_a_write))
