/* Corrupt or hostile structures in a 32-bit process, fed through a fake source: a TEB whose stack
 * limit is above its base, a looping SEH chain, a loader list that cycles without returning to its
 * head. Each must end as a warning naming what is wrong (the map's "marked invalid" record), never
 * a crash, a hang or a failed scan. The SEH walker is also driven directly with chains that leave
 * the stack, go down, are misaligned or never end. */
#include "check.h"
#include "fake_source.h"
#include "core/analyzers/scan.h"
#include "core/analyzers/seh.h"
#include "core/formats/nt_layout.h"

enum {
    LOADER = 0x20000,
    STACK_RESERVE = 0x100000,
    STACK_LIMIT = 0x1FE000,
    STACK_BASE = 0x200000,
    IMAGE = 0x400000,
    HANDLER = IMAGE + 0x1010,
    PEB = 0x7fe0000,
    TEB_GOOD = 0x7ff0000,
    TEB_BAD_STACK = 0x7ff1000,
    SEH_A = 0x1FF000,
    SEH_B = 0x1FF100,
};

static void add_regions(fake_source *f)
{
    fake_add(f, LOADER, 0x2000, LOADER, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE, PMM_PAGE_READWRITE);
    fake_add(f, STACK_RESERVE, STACK_LIMIT - STACK_RESERVE, STACK_RESERVE, PMM_MEM_RESERVE, PMM_MEM_PRIVATE, 0,
             PMM_PAGE_READWRITE);
    fake_add(f, STACK_LIMIT, STACK_BASE - STACK_LIMIT, STACK_RESERVE, PMM_MEM_COMMIT, PMM_MEM_PRIVATE,
             PMM_PAGE_READWRITE, PMM_PAGE_READWRITE);
    fake_add(f, IMAGE, 0x1000, IMAGE, PMM_MEM_COMMIT, PMM_MEM_IMAGE, PMM_PAGE_READONLY, PMM_PAGE_EXECUTE_WRITECOPY);
    fake_add(f, IMAGE + 0x1000, 0x1000, IMAGE, PMM_MEM_COMMIT, PMM_MEM_IMAGE, PMM_PAGE_EXECUTE_READ,
             PMM_PAGE_EXECUTE_WRITECOPY);
    fake_add(f, PEB, 0x1000, PEB, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE, PMM_PAGE_READWRITE);
    fake_add(f, TEB_GOOD, 0x2000, TEB_GOOD, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE, PMM_PAGE_READWRITE);
}

static void write_teb(fake_source *f, uint64_t teb, uint64_t base, uint64_t limit, uint32_t exception_list)
{
    const pmm_nt_layout *l = pmm_nt_layout_for(4);
    fake_write_u32(f, teb + l->teb_self, (uint32_t)teb);
    fake_write_u32(f, teb + l->teb_stack_base, (uint32_t)base);
    fake_write_u32(f, teb + l->teb_stack_limit, (uint32_t)limit);
    fake_write_u32(f, teb + l->teb_deallocation_stack, STACK_RESERVE);
    fake_write_u32(f, teb + l->teb_exception_list, exception_list);
    fake_write_u32(f, teb + l->teb_peb, PEB);
}

static void write_record(fake_source *f, uint32_t record, uint32_t next)
{
    fake_write_u32(f, record, next);
    fake_write_u32(f, record + 4, HANDLER);
}

/* head -> E1 -> E2 -> E1 -> ...: a cycle that never comes back to the head. */
static void write_cycling_loader_list(fake_source *f)
{
    const pmm_nt_layout *l = pmm_nt_layout_for(4);
    uint32_t head = LOADER + l->ldr_in_load_order_list, e1 = LOADER + 0x100, e2 = LOADER + 0x200;
    fake_write_u32(f, head, e1);
    fake_write_u32(f, e1, e2);
    fake_write_u32(f, e2, e1);
    fake_write_u32(f, e1 + l->entry_dll_base, IMAGE);
    fake_write_u32(f, e1 + l->entry_size_of_image, 0x2000);
}

/* Thread 7: a good stack with a looping SEH chain (A -> B -> A). Thread 8: stack limit above base. */
static void build_hostile_process(fake_source *f)
{
    const pmm_nt_layout *l = pmm_nt_layout_for(4);
    add_regions(f);
    fake_write(f, IMAGE, "MZ", 2);
    fake_write_u32(f, PEB + l->peb_image_base, IMAGE);
    fake_write_u32(f, PEB + l->peb_ldr, LOADER);
    write_cycling_loader_list(f);
    write_teb(f, TEB_GOOD, STACK_BASE, STACK_LIMIT, SEH_A);
    write_record(f, SEH_A, SEH_B);
    write_record(f, SEH_B, SEH_A);
    write_teb(f, TEB_BAD_STACK, STACK_BASE, 0x300000, 0xFFFFFFFFu);
    f->threads[0].tid = 7;
    f->threads[0].teb = TEB_GOOD;
    f->threads[1].tid = 8;
    f->threads[1].teb = TEB_BAD_STACK;
    f->thread_count = 2;
}

static int has_warning(const pmm_map *map, const char *a, const char *b)
{
    for (size_t i = 0; i < map->warning_count; i++) {
        const char *w = pmm_map_text(map, map->warnings[i]);
        if (strstr(w, a) && (!b || strstr(w, b)))
            return 1;
    }
    return 0;
}

static void print_warnings(const pmm_map *map)
{
    for (size_t i = 0; i < map->warning_count; i++)
        fprintf(stderr, "  warning: %s\n", pmm_map_text(map, map->warnings[i]));
}

TEST_CASE(hostile_structures_are_marked_invalid)
{
    fake_source f = {0};
    pmm_source src;
    pmm_map *map = NULL;
    build_hostile_process(&f);
    fake_source_open(&f, &src, 4);
    src.target.peb = PEB;
    CHECK(pmm_scan_source(&src, NULL, &map) == PMM_OK);
    if (!map) {
        fake_free(&f);
        return;
    }
    CHECK_EQ_U64(map->thread_count, 2);
    const pmm_thread *good = pmm_map_thread(map, 7), *bad = pmm_map_thread(map, 8);
    CHECK(good && bad);
    if (good && bad) {
        CHECK(good->flags & PMM_THREAD_TEB_READ);
        CHECK_EQ_U64(good->seh_end, PMM_SEH_BAD_RECORD);
        CHECK_EQ_U64(good->seh_count, 2);   /* A and B, then B's Next goes back down to A */
        if (good->seh_count == 2) {
            CHECK_EQ_U64(map->seh[good->seh_first].record, SEH_A);
            CHECK_EQ_U64(map->seh[good->seh_first + 1].record, SEH_B);
            CHECK_EQ_U64(map->seh[good->seh_first].handler, HANDLER);
        }
        CHECK(!(bad->flags & PMM_THREAD_TEB_READ));
        CHECK_EQ_U64(bad->stack_base, 0);
        CHECK_EQ_U64(bad->seh_end, PMM_SEH_NOT_WALKED);
    }
    CHECK(has_warning(map, "thread 7: invalid SEH chain", "not above the previous record"));
    CHECK(has_warning(map, "thread 8: invalid 32-bit stack", "limit 0x300000, base 0x200000"));
    CHECK(has_warning(map, "invalid loader list", "cycles"));
    CHECK_EQ_U64(map->module_count, 1);
    if (check_failures_in_case)
        print_warnings(map);
    pmm_map_free(map);
    fake_free(&f);
}

/* The walker alone over a stack [STACK_LIMIT, STACK_BASE) and a TEB whose ExceptionList is set per case. */
static pmm_seh_end walk(fake_source *f, uint32_t first, pmm_seh_entry *out, size_t *count, char *why, size_t why_cap)
{
    pmm_source src;
    fake_write_u32(f, TEB_GOOD + pmm_nt_layout_for(4)->teb_exception_list, first);
    fake_source_open(f, &src, 4);
    return pmm_seh_walk(&src, TEB_GOOD, STACK_LIMIT, STACK_BASE, out, PMM_SEH_MAX_RECORDS, count, why, why_cap);
}

TEST_CASE(seh_walker_rejects_bad_chains)
{
    static pmm_seh_entry out[PMM_SEH_MAX_RECORDS];
    fake_source f = {0};
    size_t count;
    char why[160];
    add_regions(&f);

    write_record(&f, SEH_A, SEH_B);
    write_record(&f, SEH_B, 0xFFFFFFFFu);
    CHECK_EQ_U64(walk(&f, SEH_A, out, &count, why, sizeof why), PMM_SEH_COMPLETE);
    CHECK_EQ_U64(count, 2);
    CHECK_EQ_U64(walk(&f, 0xFFFFFFFFu, out, &count, why, sizeof why), PMM_SEH_COMPLETE);
    CHECK_EQ_U64(count, 0);

    write_record(&f, SEH_B, SEH_A);   /* descending: B -> A */
    CHECK_EQ_U64(walk(&f, SEH_A, out, &count, why, sizeof why), PMM_SEH_BAD_RECORD);
    CHECK_EQ_U64(count, 2);
    write_record(&f, SEH_A, SEH_A);   /* a record that points at itself */
    CHECK_EQ_U64(walk(&f, SEH_A, out, &count, why, sizeof why), PMM_SEH_BAD_RECORD);
    CHECK_EQ_U64(count, 1);
    write_record(&f, SEH_A, IMAGE);   /* leaves the stack */
    CHECK_EQ_U64(walk(&f, SEH_A, out, &count, why, sizeof why), PMM_SEH_BAD_RECORD);
    CHECK(strstr(why, "outside the thread's stack") != NULL);
    write_record(&f, SEH_A, SEH_B + 2);   /* misaligned */
    CHECK_EQ_U64(walk(&f, SEH_A, out, &count, why, sizeof why), PMM_SEH_BAD_RECORD);
    CHECK(strstr(why, "aligned") != NULL);
    write_record(&f, SEH_A, STACK_BASE - 4);   /* straddles the top of the stack */
    CHECK_EQ_U64(walk(&f, SEH_A, out, &count, why, sizeof why), PMM_SEH_BAD_RECORD);
    CHECK_EQ_U64(walk(&f, 0, out, &count, why, sizeof why), PMM_SEH_BAD_RECORD);   /* a null list */
    fake_free(&f);
}

TEST_CASE(seh_walker_stops_at_the_record_limit)
{
    static pmm_seh_entry out[PMM_SEH_MAX_RECORDS];
    fake_source f = {0};
    size_t count;
    char why[160];
    add_regions(&f);
    /* An ascending chain longer than the cap, 8 bytes per record from the stack's committed bottom. */
    for (uint32_t i = 0; i < PMM_SEH_MAX_RECORDS + 10; i++)
        write_record(&f, STACK_LIMIT + 8 * i, STACK_LIMIT + 8 * (i + 1));
    CHECK_EQ_U64(walk(&f, STACK_LIMIT, out, &count, why, sizeof why), PMM_SEH_RECORD_LIMIT);
    CHECK_EQ_U64(count, PMM_SEH_MAX_RECORDS);
    fake_free(&f);
}

/* Heaps by signature: a private allocation starting with an NT/Wine heap header (0xFFEEFFEE at 0x8
 * on x86) is a heap; a segment owned by another heap, a bare signature with a garbage owner, and a
 * header in memory that cannot be read are not, and none of them fails the scan. */
TEST_CASE(heaps_found_by_signature)
{
    enum { WINE_HEAP = 0x30000, OWN_HEAP = 0x40000, SEGMENT = 0x50000, GARBAGE = 0x60000, UNREADABLE = 0x70000 };
    fake_source f = {0};
    pmm_source src;
    pmm_map *map = NULL;
    const uint32_t rw = PMM_PAGE_READWRITE;
    fake_add(&f, WINE_HEAP, 0x1000, WINE_HEAP, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, rw, rw);
    fake_add(&f, WINE_HEAP + 0x1000, 0xF000, WINE_HEAP, PMM_MEM_RESERVE, PMM_MEM_PRIVATE, 0, rw);
    fake_add(&f, OWN_HEAP, 0x1000, OWN_HEAP, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, rw, rw);
    fake_add(&f, SEGMENT, 0x1000, SEGMENT, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, rw, rw);
    fake_add(&f, GARBAGE, 0x1000, GARBAGE, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, rw, rw);
    fake_add(&f, UNREADABLE, 0x1000, UNREADABLE, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_NOACCESS, rw);
    fake_write_u32(&f, WINE_HEAP + 8, 0xFFEEFFEEu);        /* Wine: Heap and BaseAddress slots zero */
    fake_write_u32(&f, OWN_HEAP + 8, 0xFFEEFFEEu);         /* NT: _HEAP.Heap and BaseAddress are itself */
    fake_write_u32(&f, OWN_HEAP + 0x18, OWN_HEAP);
    fake_write_u32(&f, OWN_HEAP + 0x1C, OWN_HEAP);
    fake_write_u32(&f, SEGMENT + 8, 0xFFEEFFEEu);          /* a segment of OWN_HEAP */
    fake_write_u32(&f, SEGMENT + 0x18, OWN_HEAP);
    fake_write_u32(&f, SEGMENT + 0x1C, SEGMENT);
    fake_write_u32(&f, GARBAGE + 8, 0xFFEEFFEEu);
    fake_write_u32(&f, GARBAGE + 0x18, 0xDEADBEEF);
    fake_source_open(&f, &src, 4);
    CHECK(pmm_scan_source(&src, NULL, &map) == PMM_OK);
    if (!map) {
        fake_free(&f);
        return;
    }
    CHECK_EQ_U64(map->heap_count, 2);
    for (size_t i = 0; i < map->heap_count; i++)
        CHECK(map->heaps[i].flags & PMM_HEAP_FOUND_BY_SIGNATURE);
    size_t r = pmm_map_find(map, WINE_HEAP + 0x2000);   /* the reserved part belongs to the heap too */
    CHECK(r != PMM_NO_INDEX && map->regions[r].kind == PMM_KIND_HEAP);
    if (r != PMM_NO_INDEX)
        CHECK_STR(pmm_map_text(map, map->regions[r].details), "Heap (ID 1)");
    r = pmm_map_find(map, OWN_HEAP);
    CHECK(r != PMM_NO_INDEX && map->regions[r].kind == PMM_KIND_HEAP);
    r = pmm_map_find(map, GARBAGE);
    CHECK(r != PMM_NO_INDEX && map->regions[r].kind != PMM_KIND_HEAP);
    pmm_map_free(map);
    fake_free(&f);
}

CHECK_MAIN(CASE(hostile_structures_are_marked_invalid), CASE(heaps_found_by_signature), CASE(seh_walker_rejects_bad_chains),
           CASE(seh_walker_stops_at_the_record_limit))
