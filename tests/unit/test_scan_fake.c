/* The scan over a fake process whose every structure sits at a known address. */
#include "check.h"
#include "fake_source.h"
#include "core/analyzers/scan.h"
#include "core/formats/nt_layout.h"

#include <stdlib.h>

enum {
    IMAGE = 0x140000000ull,
    LOADER = 0x20000,
    PARAMS = 0x20800,
    ENVIRONMENT = 0x20C00,
    HEAP = 0x30000,
    MAPPED = 0x50000,
    SHARED = 0x60000,
    HIDDEN_PE = 0x70000,
    ODD_SIZE = 0x80000,
    STACK_RESERVE = 0x100000,
    STACK_GUARD = 0x1FD000,
    STACK_LIMIT = 0x1FE000,
    STACK_BASE = 0x200000,
    PEB = 0x7fe0000,
    TEB = 0x7ff0000,
};

static void write_utf16(fake_source *f, uint64_t addr, const char *ascii)
{
    for (size_t i = 0; ascii[i]; i++) {
        uint8_t unit[2] = {(uint8_t)ascii[i], 0};
        fake_write(f, addr + 2 * i, unit, 2);
    }
}

static void write_pe_header(fake_source *f, uint64_t base, uint32_t ps)
{
    fake_write(f, base, "MZ", 2);
    fake_write_u32(f, base + 60, 0x80);
    fake_write(f, base + 0x80, "PE\0\0", 4);
    /* The optional header's magic, so the PE analyzer takes it for a real image (no warning). */
    uint8_t magic[2] = {0x0b, ps == 8 ? 0x02 : 0x01};
    fake_write(f, base + 0x80 + 24, magic, 2);
}

/* A 64- or 32-bit process: image, loader data, parameters, heap, mapped views, a stack, TEB, PEB. */
static void build_process(fake_source *f, uint32_t ps)
{
    const pmm_nt_layout *l = pmm_nt_layout_for(ps);
    uint64_t image = ps == 8 ? IMAGE : 0x400000;
    const char *path = "C:\\app\\fake.exe";
    uint64_t entry = LOADER + 0x100, name = LOADER + 0x400;

    fake_add(f, LOADER, 0x2000, LOADER, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE, PMM_PAGE_READWRITE);
    fake_add(f, HEAP, 0x1000, HEAP, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE, PMM_PAGE_READWRITE);
    fake_add(f, HEAP + 0x1000, 0xF000, HEAP, PMM_MEM_RESERVE, PMM_MEM_PRIVATE, 0, PMM_PAGE_READWRITE);
    fake_add(f, MAPPED, 0x1000, MAPPED, PMM_MEM_COMMIT, PMM_MEM_MAPPED, PMM_PAGE_READONLY, PMM_PAGE_READONLY);
    strcpy(f->regions[f->region_count - 1].mapped_name, "C:\\data.bin");
    fake_add(f, SHARED, 0x1000, SHARED, PMM_MEM_COMMIT, PMM_MEM_MAPPED, PMM_PAGE_READWRITE, PMM_PAGE_READWRITE);
    fake_add(f, HIDDEN_PE, 0x1000, HIDDEN_PE, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_EXECUTE_READWRITE,
             PMM_PAGE_EXECUTE_READWRITE);
    fake_add(f, ODD_SIZE, 0x5000, ODD_SIZE, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE, PMM_PAGE_READWRITE);
    fake_add(f, STACK_RESERVE, STACK_GUARD - STACK_RESERVE, STACK_RESERVE, PMM_MEM_RESERVE, PMM_MEM_PRIVATE, 0,
             PMM_PAGE_READWRITE);
    fake_add(f, STACK_GUARD, 0x1000, STACK_RESERVE, PMM_MEM_COMMIT, PMM_MEM_PRIVATE,
             PMM_PAGE_READWRITE | PMM_PAGE_GUARD, PMM_PAGE_READWRITE);
    fake_add(f, STACK_LIMIT, STACK_BASE - STACK_LIMIT, STACK_RESERVE, PMM_MEM_COMMIT, PMM_MEM_PRIVATE,
             PMM_PAGE_READWRITE, PMM_PAGE_READWRITE);
    fake_add(f, image, 0x1000, image, PMM_MEM_COMMIT, PMM_MEM_IMAGE, PMM_PAGE_READONLY, PMM_PAGE_EXECUTE_WRITECOPY);
    fake_add(f, image + 0x1000, 0x1000, image, PMM_MEM_COMMIT, PMM_MEM_IMAGE, PMM_PAGE_EXECUTE_READ,
             PMM_PAGE_EXECUTE_WRITECOPY);
    fake_add(f, PEB, 0x1000, PEB, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE, PMM_PAGE_READWRITE);
    fake_add(f, TEB, 0x2000, TEB, PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_READWRITE, PMM_PAGE_READWRITE);
    fake_add(f, PMM_KUSER_SHARED_DATA, 0x1000, PMM_KUSER_SHARED_DATA, PMM_MEM_COMMIT, PMM_MEM_PRIVATE,
             PMM_PAGE_READONLY, PMM_PAGE_READONLY);

    write_pe_header(f, image, ps);
    write_pe_header(f, HIDDEN_PE, ps);
    fake_write_pointer(f, PEB + l->peb_image_base, ps, image);
    fake_write_pointer(f, PEB + l->peb_ldr, ps, LOADER);
    fake_write_pointer(f, PEB + l->peb_process_parameters, ps, PARAMS);
    fake_write_pointer(f, PEB + l->peb_process_heap, ps, HEAP);
    fake_write_u32(f, HEAP + (ps == 8 ? 0x10 : 0x8), 0xFFEEFFEEu);   /* a heap header's signature */
    /* The loader list: head -> one entry -> head. */
    fake_write_pointer(f, LOADER + l->ldr_in_load_order_list, ps, entry);
    fake_write_pointer(f, entry, ps, LOADER + l->ldr_in_load_order_list);
    fake_write_pointer(f, entry + l->entry_dll_base, ps, image);
    fake_write_pointer(f, entry + l->entry_entry_point, ps, image + 0x1010);
    fake_write_u32(f, entry + l->entry_size_of_image, 0x2000);
    uint8_t length[2] = {(uint8_t)(2 * strlen(path)), 0};
    fake_write(f, entry + l->entry_full_dll_name, length, 2);
    fake_write_pointer(f, entry + l->entry_full_dll_name + l->ustr_buffer, ps, name);
    write_utf16(f, name, path);
    fake_write_u32(f, PARAMS + l->params_maximum_length, 0x400);
    fake_write_pointer(f, PARAMS + l->params_environment, ps, ENVIRONMENT);
    fake_write_pointer(f, PARAMS + l->params_environment_size, ps, 0x100);
    fake_write_pointer(f, TEB + l->teb_self, ps, TEB);
    if (ps == 4)  /* an empty SEH chain, as every real 32-bit thread starts with */
        fake_write_u32(f, TEB + l->teb_exception_list, 0xFFFFFFFFu);
    fake_write_pointer(f, TEB + l->teb_stack_base, ps, STACK_BASE);
    fake_write_pointer(f, TEB + l->teb_stack_limit, ps, STACK_LIMIT);
    fake_write_pointer(f, TEB + l->teb_deallocation_stack, ps, STACK_RESERVE);
    f->threads[0].tid = 7;
    f->threads[0].teb = TEB;
    f->thread_count = 1;
}

static pmm_map *scan_fake(fake_source *f, uint32_t ps)
{
    pmm_source src;
    pmm_map *map = NULL;
    fake_source_open(f, &src, ps);
    src.target.peb = PEB;
    CHECK(pmm_scan_source(&src, NULL, &map) == PMM_OK);
    return map;
}

static const pmm_region *region(const pmm_map *map, uint64_t addr)
{
    size_t i = pmm_map_find(map, addr);
    return i == PMM_NO_INDEX ? NULL : &map->regions[i];
}

static void check_kind(const pmm_map *map, uint64_t addr, pmm_region_kind kind, const char *details)
{
    const pmm_region *r = region(map, addr);
    CHECK(r != NULL);
    if (!r)
        return;
    if (r->kind != kind)
        fprintf(stderr, "  region 0x%llx: kind %s, expected %s\n", (unsigned long long)addr,
                pmm_region_kind_name((pmm_region_kind)r->kind), pmm_region_kind_name(kind));
    CHECK(r->kind == kind);
    if (details)
        CHECK_STR(pmm_map_text(map, r->details), details);
}

static void check_process(uint32_t ps)
{
    fake_source f = {0};
    build_process(&f, ps);
    pmm_map *map = scan_fake(&f, ps);
    if (!map) {
        fake_free(&f);
        return;
    }
    uint64_t image = ps == 8 ? IMAGE : 0x400000;
    check_kind(map, image + 0x1800, PMM_KIND_IMAGE, "C:\\app\\fake.exe");
    check_kind(map, STACK_RESERVE, PMM_KIND_STACK, "Stack (thread 7)");
    check_kind(map, STACK_LIMIT, PMM_KIND_STACK, "Stack (thread 7)");
    check_kind(map, TEB, PMM_KIND_SYSTEM, "TEB (thread 7)");
    check_kind(map, PEB, PMM_KIND_SYSTEM, "PEB");
    check_kind(map, PMM_KUSER_SHARED_DATA, PMM_KIND_SYSTEM, "KUSER_SHARED_DATA");
    check_kind(map, LOADER, PMM_KIND_SYSTEM, "Loader data, Process parameters, Environment");
    check_kind(map, HEAP + 0x2000, PMM_KIND_HEAP, "Heap (ID 1)");
    check_kind(map, MAPPED, PMM_KIND_MAPPED_FILE, "C:\\data.bin");
    check_kind(map, SHARED, PMM_KIND_SHAREABLE, "");
    check_kind(map, HIDDEN_PE, PMM_KIND_PRIVATE, "PE header in non-image memory");
    check_kind(map, ODD_SIZE + 0x5000, PMM_KIND_UNUSABLE, NULL);
    check_kind(map, 0x90000, PMM_KIND_FREE, NULL);
    CHECK_EQ_U64(region(map, ODD_SIZE + 0x5000)->size, 0xB000);

    CHECK_EQ_U64(map->module_count, 1);
    CHECK_EQ_U64(map->modules[0].base, image);
    CHECK_EQ_U64(map->modules[0].entry, image + 0x1010);
    CHECK_STR(pmm_map_text(map, map->modules[0].name), "fake.exe");
    CHECK(map->modules[0].flags & PMM_MODULE_IN_LOADER_LIST);

    CHECK_EQ_U64(map->thread_count, 1);
    CHECK_EQ_U64(map->threads[0].teb, TEB);
    CHECK_EQ_U64(map->threads[0].stack_base, STACK_BASE);
    CHECK_EQ_U64(map->threads[0].stack_limit, STACK_LIMIT);
    CHECK_EQ_U64(map->threads[0].stack_reserve_base, STACK_RESERVE);
    const pmm_annotation *guard = pmm_map_annotation_at(map, STACK_GUARD, PMM_ANN_STACK_GUARD);
    CHECK(guard && guard->owner == 7);

    CHECK_EQ_U64(map->heap_count, 1);
    CHECK(map->heaps[0].flags & PMM_HEAP_DEFAULT);
    for (size_t i = 0; i < map->warning_count; i++)
        fprintf(stderr, "  warning: %s\n", pmm_map_text(map, map->warnings[i]));
    CHECK_EQ_U64(map->warning_count, 0);
    pmm_map_free(map);
    fake_free(&f);
}

TEST_CASE(scan_64_bit_process) { check_process(8); }
TEST_CASE(scan_32_bit_process) { check_process(4); }

TEST_CASE(loader_list_cycle_is_cut_off)
{
    fake_source f = {0};
    build_process(&f, 8);
    const pmm_nt_layout *l = pmm_nt_layout_for(8);
    fake_write_u64(&f, LOADER + 0x100, LOADER + 0x100);  /* the entry's Flink points at itself */
    (void)l;
    pmm_map *map = scan_fake(&f, 8);
    CHECK(map != NULL);
    if (map) {
        CHECK_EQ_U64(map->module_count, 1);
        CHECK(map->warning_count >= 1);
        pmm_map_free(map);
    }
    fake_free(&f);
}

TEST_CASE(target_gone_mid_scan_is_an_error)
{
    fake_source f = {0};
    pmm_source src;
    pmm_map *map = (pmm_map *)1;
    build_process(&f, 8);
    f.gone_after_queries = 3;
    fake_source_open(&f, &src, 8);
    CHECK(pmm_scan_source(&src, NULL, &map) == PMM_ERR_GONE);
    CHECK(map == NULL);
    fake_free(&f);
}

static int cancel_at_once(void *ctx, uint64_t done, uint64_t total)
{
    (void)ctx;
    (void)done;
    (void)total;
    return 1;
}

TEST_CASE(progress_can_cancel)
{
    fake_source f = {0};
    pmm_source src;
    pmm_map *map;
    pmm_scan_options options = {.progress = cancel_at_once};
    build_process(&f, 8);
    fake_source_open(&f, &src, 8);
    CHECK(pmm_scan_source(&src, &options, &map) == PMM_ERR_CANCELLED);
    fake_free(&f);
}

TEST_CASE(garbage_peb_gives_warnings_not_failure)
{
    fake_source f = {0};
    build_process(&f, 8);
    fake_write_u64(&f, PEB + 0x10, 0x12345678);  /* image base pointing nowhere */
    fake_write_u64(&f, TEB + 0x30, 0);           /* TEB.Self wrong */
    pmm_map *map = scan_fake(&f, 8);
    CHECK(map != NULL);
    if (map) {
        CHECK(map->warning_count >= 2);
        CHECK_EQ_U64(map->thread_count, 1);
        CHECK_EQ_U64(map->threads[0].stack_base, 0);
        pmm_map_free(map);
    }
    fake_free(&f);
}

CHECK_MAIN(CASE(scan_64_bit_process), CASE(scan_32_bit_process), CASE(loader_list_cycle_is_cut_off),
           CASE(target_gone_mid_scan_is_an_error), CASE(progress_can_cancel),
           CASE(garbage_peb_gives_warnings_not_failure))
