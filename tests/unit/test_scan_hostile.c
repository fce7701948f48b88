/* Corrupt or hostile structures in a 32-bit process, fed through a fake source: a TEB whose stack
 * limit is above its base, a looping SEH chain, a loader list that cycles without returning to its
 * head, a stack pointer outside the stack its TEB describes, a heap the PEB lists whose header has
 * no heap signature. Each must end as exactly one marked-invalid annotation (pmm_annotation.invalid,
 * "[invalid: ...]" in the text map, "invalid" in JSON) on the structure at fault, plus a warning
 * with the values, never a crash, a hang or a failed scan. The SEH walker is also driven directly
 * with chains that leave the stack, go down, are misaligned or never end. Also here: the heaps the
 * OS lists (the source's `heaps` op, faked) and the 64-bit side of WOW64 threads. */
#include "check.h"
#include "fake_source.h"
#include "core/analyzers/scan.h"
#include "core/analyzers/seh.h"
#include "core/formats/nt_layout.h"
#include "core/tools/map_output.h"
#include "core/util/clock.h"

#include <stdlib.h>

enum {
    LOADER = 0x20000,
    STACK_RESERVE = 0x100000,
    STACK_LIMIT = 0x1FE000,
    STACK_BASE = 0x200000,
    IMAGE = 0x400000,
    HANDLER = IMAGE + 0x1010,
    HEAP_GOOD = 0x600000,
    HEAP_BAD = 0x610000,
    HEAP_LIST = 0x7fe0800,   /* in the PEB page */
    PEB = 0x7fe0000,
    TEB_GOOD = 0x7ff0000,
    TEB_BAD_STACK = 0x7ff1000,
    TEB_BAD_SP = 0x7ff2000,
    SP_OUTSIDE = 0x500000,
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
    fake_add(f, HEAP_GOOD, 0x1000, HEAP_GOOD, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE, PMM_PAGE_READWRITE);
    fake_add(f, HEAP_BAD, 0x1000, HEAP_BAD, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE, PMM_PAGE_READWRITE);
    fake_add(f, PEB, 0x1000, PEB, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE, PMM_PAGE_READWRITE);
    fake_add(f, TEB_GOOD, 0x3000, TEB_GOOD, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE, PMM_PAGE_READWRITE);
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

static void set_x86_context(pmm_thread_info *t, uint32_t ip, uint32_t sp)
{
    t->context.arch = PMM_ARCH_X86;
    t->context.ip = ip;
    t->context.gpr[PMM_REG_SP] = sp;
    t->context.gpr[PMM_REG_FP] = 0;
}

/* PEB.ProcessHeaps = {HEAP_GOOD}; PEB.ProcessHeap = HEAP_BAD, whose header has no signature. */
static void write_heaps(fake_source *f)
{
    const pmm_nt_layout *l = pmm_nt_layout_for(4);
    fake_write_u32(f, HEAP_GOOD + 8, 0xFFEEFFEEu);
    fake_write_u32(f, HEAP_BAD + 8, 0x12345678u);
    fake_write_u32(f, HEAP_LIST, HEAP_GOOD);
    fake_write_u32(f, PEB + l->peb_number_of_heaps, 1);
    fake_write_u32(f, PEB + l->peb_process_heaps, HEAP_LIST);
    fake_write_u32(f, PEB + l->peb_process_heap, HEAP_BAD);
}

/* Thread 7: a good stack with a looping SEH chain (A -> B -> A) and its stack pointer inside.
 * Thread 8: stack limit above base. Thread 9: a good TEB, its stack pointer far outside the stack. */
static void build_hostile_process(fake_source *f)
{
    const pmm_nt_layout *l = pmm_nt_layout_for(4);
    add_regions(f);
    fake_write(f, IMAGE, "MZ", 2);
    fake_write_u32(f, PEB + l->peb_image_base, IMAGE);
    fake_write_u32(f, PEB + l->peb_ldr, LOADER);
    write_cycling_loader_list(f);
    write_heaps(f);
    write_teb(f, TEB_GOOD, STACK_BASE, STACK_LIMIT, SEH_A);
    write_record(f, SEH_A, SEH_B);
    write_record(f, SEH_B, SEH_A);
    write_teb(f, TEB_BAD_STACK, STACK_BASE, 0x300000, 0xFFFFFFFFu);
    write_teb(f, TEB_BAD_SP, STACK_BASE, STACK_LIMIT, 0xFFFFFFFFu);
    f->threads[0].tid = 7;
    f->threads[0].teb = TEB_GOOD;
    set_x86_context(&f->threads[0], HANDLER, STACK_BASE - 0x800);
    f->threads[1].tid = 8;
    f->threads[1].teb = TEB_BAD_STACK;
    f->threads[2].tid = 9;
    f->threads[2].teb = TEB_BAD_SP;
    set_x86_context(&f->threads[2], HANDLER, SP_OUTSIDE);
    f->thread_count = 3;
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

/* The one annotation of that kind at base, NULL when there is none or more than one. */
static const pmm_annotation *annotation(const pmm_map *map, uint64_t base, pmm_annotation_kind kind, uint32_t owner)
{
    const pmm_annotation *found = NULL;
    for (size_t i = 0; i < map->annotation_count; i++) {
        const pmm_annotation *a = &map->annotations[i];
        if (a->base == base && a->kind == kind && (!owner || a->owner == owner)) {
            if (found)
                return NULL;
            found = a;
        }
    }
    return found;
}

static void check_invalid(const pmm_map *map, uint64_t base, pmm_annotation_kind kind, uint32_t owner,
                          const char *reason)
{
    const pmm_annotation *a = annotation(map, base, kind, owner);
    CHECK(a != NULL);
    if (!a) {
        fprintf(stderr, "  no single %s annotation at 0x%llx\n", pmm_annotation_kind_name(kind), (unsigned long long)base);
        return;
    }
    CHECK_STR(pmm_map_text(map, a->invalid), reason);
}

static char *map_as_text(const pmm_map *map, int json)
{
    char *data = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&data, &size);
    if (!f)
        return NULL;
    pmm_out out = pmm_out_file(f);
    if (json)
        pmm_map_write_json(map, &out);
    else
        pmm_map_write_text(map, &out);
    fclose(f);
    return data;
}

TEST_CASE(hostile_structures_are_marked_invalid)
{
    fake_source f = {0};
    pmm_source src;
    pmm_map *map = NULL;
    build_hostile_process(&f);
    fake_source_open(&f, &src, 4);
    src.target.peb = PEB;
    uint64_t started = pmm_clock_microseconds();
    CHECK(pmm_scan_source(&src, NULL, &map) == PMM_OK);
    CHECK(pmm_clock_microseconds() - started < 5000000);   /* every walk is bounded: no hang */
    if (!map) {
        fake_free(&f);
        return;
    }
    CHECK_EQ_U64(map->thread_count, 3);
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
    /* The warnings keep the values. */
    CHECK(has_warning(map, "thread 7: invalid SEH chain", "not above the previous record"));
    CHECK(has_warning(map, "thread 8: invalid 32-bit stack", "limit 0x300000, base 0x200000"));
    CHECK(has_warning(map, "invalid loader list", "cycles"));
    CHECK(has_warning(map, "thread 9: 32-bit stack pointer 0x500000 is outside its stack", NULL));
    CHECK(has_warning(map, "heap at 0x610000", "signature 0x12345678"));
    CHECK_EQ_U64(map->module_count, 1);

    /* Exactly one marked-invalid annotation per corrupt structure, where the fault is. */
    check_invalid(map, TEB_BAD_STACK, PMM_ANN_TEB, 8, "stack limit above base");
    check_invalid(map, SEH_B, PMM_ANN_SEH_RECORD, 7, "SEH chain loops");   /* B's Next points back at A */
    check_invalid(map, LOADER, PMM_ANN_LOADER_DATA, 0, "loader list cycles");
    check_invalid(map, STACK_RESERVE, PMM_ANN_STACK, 9, "stack pointer outside the stack");
    check_invalid(map, HEAP_BAD, PMM_ANN_HEAP, 0, "heap header has a bad signature");
    CHECK_EQ_U64(pmm_map_invalid_count(map), 5);
    /* ... and none on what is sound: thread 7's stack holds its stack pointer, HEAP_GOOD is a heap. */
    const pmm_annotation *a = annotation(map, STACK_RESERVE, PMM_ANN_STACK, 7);
    CHECK(a && !a->invalid);
    a = annotation(map, HEAP_GOOD, PMM_ANN_HEAP, 0);
    CHECK(a && !a->invalid);
    a = annotation(map, TEB_GOOD, PMM_ANN_TEB, 7);
    CHECK(a && !a->invalid);

    /* The marks in both printed forms. */
    char *text = map_as_text(map, 0), *json = map_as_text(map, 1);
    CHECK(text && strstr(text, "[invalid: stack limit above base]"));
    CHECK(text && strstr(text, "[invalid: SEH chain loops]"));
    CHECK(text && strstr(text, "[invalid: loader list cycles]"));
    CHECK(text && strstr(text, "Invalid structures (5)"));
    CHECK(json && strstr(json, "\"invalid\": \"stack limit above base\""));
    CHECK(json && strstr(json, "\"invalid\": \"heap header has a bad signature\""));
    if (check_failures_in_case) {
        print_warnings(map);
        fprintf(stderr, "%s\n", text ? text : "");
    }
    free(text);
    free(json);
    pmm_map_free(map);
    fake_free(&f);
}

/* A TEB whose ExceptionList itself points outside the stack marks the TEB; a record that leaves
 * the stack marks that record; a chain that goes down (not back to a record seen) is named so. */
TEST_CASE(seh_bad_links_are_marked_where_they_are_stored)
{
    static const struct {
        uint32_t first, a_next;
        uint64_t where;
        pmm_annotation_kind kind;
        const char *reason;
    } cases[] = {
        {IMAGE, 0, TEB_GOOD, PMM_ANN_TEB, "SEH record outside the stack"},
        {SEH_B, SEH_A, SEH_B, PMM_ANN_SEH_RECORD, "SEH chain goes down the stack"},
        {SEH_A, IMAGE, SEH_A, PMM_ANN_SEH_RECORD, "SEH record outside the stack"},
        {SEH_A, SEH_B + 2, SEH_A, PMM_ANN_SEH_RECORD, "SEH record misaligned"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fake_source f = {0};
        pmm_source src;
        pmm_map *map = NULL;
        add_regions(&f);
        write_teb(&f, TEB_GOOD, STACK_BASE, STACK_LIMIT, cases[i].first);
        write_record(&f, SEH_A, cases[i].a_next);
        write_record(&f, SEH_B, SEH_A);   /* B is above A: B -> A descends (A was never seen when B comes first) */
        f.threads[0].tid = 7;
        f.threads[0].teb = TEB_GOOD;
        f.thread_count = 1;
        fake_source_open(&f, &src, 4);
        CHECK(pmm_scan_source(&src, NULL, &map) == PMM_OK);
        if (map) {
            check_invalid(map, cases[i].where, cases[i].kind, 7, cases[i].reason);
            CHECK_EQ_U64(pmm_map_invalid_count(map), 1);
        }
        pmm_map_free(map);
        fake_free(&f);
    }
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

/* WOW64: the 64-bit side of a 32-bit thread (64-bit TEB, 64-bit stack, x64 context) is walked
 * when the x64 context's stack pointer is on the 64-bit stack, and left alone (saying why) when it
 * is not, as under Wine, where the "x64" context of a 32-bit thread holds the 32-bit registers. */
TEST_CASE(wow64_64bit_stack_walked_only_when_its_sp_is_on_it)
{
    enum { STACK64_LOW = 0x300000, STACK64_HIGH = 0x310000, TEB64_A = TEB_GOOD, TEB64_B = 0x7ff8000 };
    fake_source f = {0};
    pmm_source src;
    pmm_map *map = NULL;
    const pmm_nt_layout *l64 = pmm_nt_layout_for(8);
    add_regions(&f);
    fake_add(&f, STACK64_LOW, STACK64_HIGH - STACK64_LOW, STACK64_LOW, PMM_MEM_COMMIT, PMM_MEM_PRIVATE,
             PMM_PAGE_READWRITE, PMM_PAGE_READWRITE);
    fake_add(&f, TEB64_B, 0x3000, TEB64_B, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE, PMM_PAGE_READWRITE);
    for (int i = 0; i < 2; i++) {
        uint64_t teb64 = i ? TEB64_B : TEB64_A;
        fake_write_u64(&f, teb64 + l64->teb_self, teb64);
        fake_write_u64(&f, teb64 + l64->teb_stack_base, STACK64_HIGH);
        fake_write_u64(&f, teb64 + l64->teb_stack_limit, STACK64_LOW);
        fake_write_u64(&f, teb64 + l64->teb_deallocation_stack, STACK64_LOW);
        write_teb(&f, teb64 + 0x2000, STACK_BASE, STACK_LIMIT, 0xFFFFFFFFu);   /* the 32-bit TEB, 0x2000 above */
        pmm_thread_info *t = &f.threads[i];
        t->tid = 20 + (uint32_t)i;
        t->teb = teb64;
        set_x86_context(t, HANDLER, STACK_BASE - 0x100);
        t->context32 = t->context;
        t->context.arch = PMM_ARCH_X64;
        t->context.ip = 0x7ff812340000ull;   /* in no module: a leaf whose return address is at [rsp] */
        t->context.gpr[PMM_REG_SP] = i ? STACK_BASE - 0x100 : STACK64_HIGH - 0x100;   /* B: on the 32-bit stack */
    }
    f.thread_count = 2;
    fake_write_u64(&f, STACK64_HIGH - 0x100, 0);   /* the leaf returns to 0: the walk ends there */
    fake_source_open(&f, &src, 4);
    src.target.wow64 = 1;
    CHECK(pmm_scan_source(&src, NULL, &map) == PMM_OK);
    if (!map) {
        fake_free(&f);
        return;
    }
    const pmm_thread *a = pmm_map_thread(map, 20), *b = pmm_map_thread(map, 21);
    CHECK(a && b);
    if (a && b) {
        CHECK(a->flags & PMM_THREAD_TEB64_READ);
        CHECK_EQ_U64(a->teb, TEB64_A + 0x2000);
        CHECK_EQ_U64(a->walk64_end, PMM_WALK_COMPLETE);
        CHECK_EQ_U64(a->frame64_count, 1);
        if (a->frame64_count == 1)
            CHECK_EQ_U64(map->frames[a->frame64_first].address, 0x7ff812340000ull);
        CHECK_EQ_U64(b->walk64_end, PMM_WALK_SP_OFF_STACK);
        CHECK_EQ_U64(b->frame64_count, 0);
        CHECK(a->frame_bits == 32 && a->frame_count >= 1);   /* the 32-bit walk is still there */
    }
    char *json = map_as_text(map, 1);
    CHECK(json && strstr(json, "\"frames64\"") && strstr(json, "\"walk64\": \"not walked: the context's stack pointer"));
    free(json);
    pmm_map_free(map);
    fake_free(&f);
}

/* The source's `heaps` op (RtlQueryProcessDebugInformation / Toolhelp on Windows), faked: what the
 * OS lists is labelled, checked like target memory (entries outside every allocation and absurd
 * blocks are dropped), and a route that fails leaves a warning and the rest of the map intact. */
enum { OS_HEAP = 0x620000, OS_SEGMENT = 0x630000 };
static uint32_t os_heaps_flags_seen;
static int os_heaps_fail;

static pmm_status fake_os_heaps(void *impl, uint32_t flags, pmm_heap_entry **out, size_t *count, char *message,
                                size_t cap)
{
    static const pmm_heap_entry entries[] = {
        {PMM_HEAP_ENTRY_HEAP, PMM_HEAP_ENTRY_FROM_DEBUG_INFO, HEAP_GOOD, HEAP_GOOD, 0x1000, 0},
        {PMM_HEAP_ENTRY_HEAP, PMM_HEAP_ENTRY_FROM_DEBUG_INFO, OS_HEAP, OS_HEAP, 0x2000, 0},
        {PMM_HEAP_ENTRY_SEGMENT, PMM_HEAP_ENTRY_FROM_DEBUG_INFO, OS_HEAP, OS_HEAP + 0x40, 0x1000, 0x1000},
        {PMM_HEAP_ENTRY_SEGMENT, PMM_HEAP_ENTRY_FROM_DEBUG_INFO, OS_HEAP, OS_SEGMENT + 0x40, 0x1000, 0x1000},
        {PMM_HEAP_ENTRY_SEGMENT, PMM_HEAP_ENTRY_FROM_DEBUG_INFO, OS_HEAP, 0x9990000, 0x1000, 0x1000},  /* nowhere */
        {PMM_HEAP_ENTRY_BLOCK, PMM_HEAP_ENTRY_FROM_DEBUG_INFO | PMM_HEAP_ENTRY_BUSY, OS_HEAP, OS_HEAP + 0x100, 0x20, 0},
        {PMM_HEAP_ENTRY_BLOCK, PMM_HEAP_ENTRY_FROM_DEBUG_INFO, OS_HEAP, OS_HEAP + 0x120, 0x40, 0},
        {PMM_HEAP_ENTRY_BLOCK, PMM_HEAP_ENTRY_FROM_DEBUG_INFO, OS_HEAP, OS_HEAP + 0x200, ~0ull - 0x100, 0},  /* absurd */
        {PMM_HEAP_ENTRY_BLOCK, PMM_HEAP_ENTRY_FROM_DEBUG_INFO, 0x12345000, OS_HEAP + 0x300, 0x10, 0},  /* no such heap */
    };
    (void)impl;
    os_heaps_flags_seen = flags;
    *out = NULL;
    *count = 0;
    if (os_heaps_fail) {
        snprintf(message, cap, "RtlQueryProcessDebugInformation: returned success but listed no heaps");
        return PMM_ERR_NOT_FOUND;
    }
    size_t n = sizeof entries / sizeof entries[0];
    if (!(flags & PMM_HEAP_QUERY_BLOCKS))
        n = 5;
    *out = malloc(n * sizeof **out);
    if (!*out)
        return PMM_ERR_NOMEM;
    memcpy(*out, entries, n * sizeof **out);
    *count = n;
    snprintf(message, cap, "fake");
    return PMM_OK;
}

static pmm_map *scan_with_os_heaps(fake_source *f, uint32_t scan_flags)
{
    pmm_source src;
    pmm_map *map = NULL;
    static pmm_source_ops ops;
    fake_source_open(f, &src, 4);
    ops = *src.ops;
    ops.heaps = fake_os_heaps;
    src.ops = &ops;
    src.target.peb = PEB;
    pmm_scan_options options = {0};
    options.flags = scan_flags;
    CHECK(pmm_scan_source(&src, &options, &map) == PMM_OK);
    return map;
}

static size_t count_kind(const pmm_map *map, pmm_annotation_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < map->annotation_count; i++)
        n += map->annotations[i].kind == kind;
    return n;
}

TEST_CASE(heaps_the_os_lists_are_labelled)
{
    fake_source f = {0};
    const pmm_nt_layout *l = pmm_nt_layout_for(4);
    add_regions(&f);
    fake_add(&f, OS_HEAP, 0x1000, OS_HEAP, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE, PMM_PAGE_READWRITE);
    fake_add(&f, OS_SEGMENT, 0x1000, OS_SEGMENT, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE, PMM_PAGE_READWRITE);
    fake_write(&f, IMAGE, "MZ", 2);
    fake_write_u32(&f, PEB + l->peb_image_base, IMAGE);
    write_heaps(&f);   /* the PEB lists HEAP_GOOD (ID 1) and HEAP_BAD (ID 2) */

    os_heaps_fail = 0;
    pmm_map *map = scan_with_os_heaps(&f, 0);
    CHECK(map != NULL);
    if (map) {
        CHECK_EQ_U64(os_heaps_flags_seen, 0);
        CHECK_EQ_U64(map->heap_count, 3);   /* the PEB's two keep IDs 1 and 2; the OS adds OS_HEAP as 3 */
        CHECK(map->heap_count == 3 && map->heaps[0].address == HEAP_GOOD &&
              (map->heaps[0].flags & PMM_HEAP_FROM_DEBUG_INFO) && (map->heaps[0].flags & PMM_HEAP_IN_PEB_LIST));
        CHECK(map->heap_count == 3 && map->heaps[2].address == OS_HEAP && map->heaps[2].id == 3 &&
              map->heaps[2].flags == PMM_HEAP_FROM_DEBUG_INFO);
        size_t r = pmm_map_find(map, OS_SEGMENT);   /* a segment that is an allocation of its own */
        CHECK(r != PMM_NO_INDEX && map->regions[r].kind == PMM_KIND_HEAP);
        if (r != PMM_NO_INDEX)
            CHECK_STR(pmm_map_text(map, map->regions[r].details), "Heap (ID 3)");
        const pmm_annotation *a = annotation(map, OS_SEGMENT, PMM_ANN_HEAP_SEGMENT, 3);
        CHECK(a && a->size == 0x1000);
        CHECK(annotation(map, OS_HEAP, PMM_ANN_HEAP_SEGMENT, 3) != NULL);
        CHECK_EQ_U64(count_kind(map, PMM_ANN_HEAP_SEGMENT), 2);   /* the one in no allocation is dropped */
        CHECK_EQ_U64(count_kind(map, PMM_ANN_HEAP_BLOCK), 0);     /* blocks only when asked for */
        CHECK(!has_warning(map, "heap segments", NULL));
        pmm_map_free(map);
    }

    map = scan_with_os_heaps(&f, PMM_SCAN_HEAP_BLOCKS);
    if (map) {
        CHECK_EQ_U64(os_heaps_flags_seen, PMM_HEAP_QUERY_BLOCKS);
        CHECK_EQ_U64(count_kind(map, PMM_ANN_HEAP_BLOCK), 2);   /* the absurd one and the orphan are dropped */
        const pmm_annotation *a = annotation(map, OS_HEAP + 0x100, PMM_ANN_HEAP_BLOCK, 3);
        CHECK(a && a->size == 0x20 && strcmp(pmm_map_text(map, a->label), "Heap block (busy)") == 0);
        a = annotation(map, OS_HEAP + 0x120, PMM_ANN_HEAP_BLOCK, 3);
        CHECK(a && strcmp(pmm_map_text(map, a->label), "Heap block (free)") == 0);
        char *json = map_as_text(map, 1);
        CHECK(json && strstr(json, "\"os_route\": \"RtlQueryProcessDebugInformation\""));
        free(json);
        pmm_map_free(map);
    }

    os_heaps_fail = 1;
    map = scan_with_os_heaps(&f, 0);
    if (map) {
        CHECK(has_warning(map, "heap segments as the OS lists them are not available", "listed no heaps"));
        CHECK_EQ_U64(map->heap_count, 2);
        CHECK_EQ_U64(count_kind(map, PMM_ANN_HEAP_SEGMENT), 0);
        pmm_map_free(map);
    }
    fake_free(&f);
}

CHECK_MAIN(CASE(hostile_structures_are_marked_invalid), CASE(heaps_the_os_lists_are_labelled), CASE(wow64_64bit_stack_walked_only_when_its_sp_is_on_it),
           CASE(seh_bad_links_are_marked_where_they_are_stored),
           CASE(heaps_found_by_signature), CASE(seh_walker_rejects_bad_chains),
           CASE(seh_walker_stops_at_the_record_limit))
