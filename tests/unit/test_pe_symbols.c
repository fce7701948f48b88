/* The PE map analyzer and the export resolver on real Wine DLLs laid out in memory as the loader
 * maps them: annotations land at base + RVA from the file's own view, and addresses inside exported
 * functions resolve to module!export+offset and back. */
#include <stdlib.h>
#include "check.h"
#include "pe_walk.h"
#include "core/analyzers/analyzers.h"
#include "core/source/buffer_source.h"
#include "core/source/file_source.h"
#include "core/symbols/symbols.h"

#define WINE_X64_DIR "/usr/lib/x86_64-linux-gnu/wine/x86_64-windows"
#define LOAD_BASE 0x7ff700000000ull

typedef struct loaded_dll {
    pmm_source file_src;
    pe_image file;
    uint8_t *image;
    size_t size;
    pmm_source image_src;
} loaded_dll;

static int load_dll(const char *name, loaded_dll *dll)
{
    char path[512];
    memset(dll, 0, sizeof *dll);
    snprintf(path, sizeof path, "%s/%s", WINE_X64_DIR, name);
    if (pmm_file_source_open(path, &dll->file_src) != PMM_OK)
        return 0;
    if (pe_open(&dll->file_src, 0, PE_LAYOUT_FILE, &dll->file) != PMM_OK) {
        pmm_source_close(&dll->file_src);
        return 0;
    }
    dll->image = pe_map_like_loader(&dll->file, 256u << 20, &dll->size);
    if (!dll->image)
        return 0;
    pe_apply_relocs(&dll->file, dll->image, dll->size, LOAD_BASE);
    pmm_buffer_source_open(dll->image, dll->size, LOAD_BASE, &dll->image_src);
    return 1;
}

static void unload_dll(loaded_dll *dll)
{
    pmm_source_close(&dll->image_src);
    free(dll->image);
    pe_close(&dll->file);
    pmm_source_close(&dll->file_src);
}

static const pmm_annotation *find_annotation(const pmm_map *map, int kind, const char *label)
{
    for (size_t i = 0; i < map->annotation_count; i++)
        if (map->annotations[i].kind == kind && strcmp(pmm_map_text(map, map->annotations[i].label), label) == 0)
            return &map->annotations[i];
    return NULL;
}

TEST_CASE(annotations_match_the_file)
{
    loaded_dll dll;
    if (!load_dll("kernelbase.dll", &dll)) {
        CHECK_SKIP("%s/kernelbase.dll is absent (install wine64)", WINE_X64_DIR);
    }
    pmm_map *map = pmm_map_new();
    pmm_module m = {.base = LOAD_BASE, .size = dll.size, .pointer_size = 8};
    CHECK_EQ_U64(pmm_map_add_module(map, &m, "C:\\windows\\system32\\kernelbase.dll"), PMM_OK);
    pmm_scan scan;
    memset(&scan, 0, sizeof scan);
    scan.src = &dll.image_src;
    scan.map = map;
    CHECK_EQ_U64(pmm_analyze_pe_images(&scan), PMM_OK);
    CHECK_EQ_U64(map->warning_count, 0);

    const pmm_annotation *text = find_annotation(map, PMM_ANN_SECTION, ".text (code)");
    CHECK(text != NULL);
    for (size_t i = 0; text && i < dll.file.section_count; i++)
        if (strcmp(dll.file.sections[i].name, ".text") == 0)
            CHECK_EQ_U64(text->base, LOAD_BASE + dll.file.sections[i].virtual_address);
    CHECK(find_annotation(map, PMM_ANN_SECTION, ".data (data)") != NULL);
    CHECK(find_annotation(map, PMM_ANN_PE_HEADER, "PE header") != NULL);

    const pmm_annotation *exports = find_annotation(map, PMM_ANN_DIRECTORY, "Export Directory");
    CHECK(exports && exports->base == LOAD_BASE + dll.file.directories[PE_DIR_EXPORT].rva);
    CHECK(exports && exports->size == dll.file.directories[PE_DIR_EXPORT].size);
    const pmm_annotation *iat = find_annotation(map, PMM_ANN_DIRECTORY, "IAT");
    CHECK(iat && iat->base == LOAD_BASE + dll.file.directories[PE_DIR_IAT].rva);
    CHECK(find_annotation(map, PMM_ANN_DIRECTORY, "Security Directory") == NULL);
    const pmm_annotation *entry = find_annotation(map, PMM_ANN_ENTRY_POINT, "Entry point");
    CHECK(entry && entry->base == LOAD_BASE + dll.file.entry_point);
    CHECK(text && text->owner == 1);
    pmm_map_free(map);
    unload_dll(&dll);
}

static void count_match(void *ctx, const pmm_symbol *symbol)
{
    (void)symbol;
    ++*(int *)ctx;
}

TEST_CASE(resolver_names_addresses_and_back)
{
    loaded_dll k32, ntdll;
    if (!load_dll("kernel32.dll", &k32)) {
        CHECK_SKIP("%s/kernel32.dll is absent (install wine64)", WINE_X64_DIR);
    }
    pmm_symbols syms;
    pmm_symbols_init(&syms);
    CHECK_EQ_U64(pmm_symbols_add_module(&syms, &k32.image_src, LOAD_BASE, k32.size, "kernel32.dll"), PMM_OK);
    /* A second module, read through its own source at another base: modules are kept apart. */
    int have_ntdll = load_dll("ntdll.dll", &ntdll);
    if (have_ntdll) {
        /* The image was relocated to LOAD_BASE; its bytes say nothing of where it is "loaded"
         * for the resolver, which only uses RVAs, so one image at two bases is fine. */
        CHECK_EQ_U64(pmm_symbols_add_module(&syms, &ntdll.image_src, LOAD_BASE, ntdll.size, "ntdll.dll"), PMM_OK);
        pmm_symbol_module *moved = &syms.modules[1];
        moved->base = 0x7ff800000000ull;
        for (size_t i = 0; i < moved->export_count; i++)
            moved->exports[i].address += 0x7ff800000000ull - LOAD_BASE;
    }
    pmm_symbols_finish(&syms);
    CHECK(syms.modules[0].export_count > 100);

    pe_exports ex;
    CHECK_EQ_U64(pe_read_exports(&k32.file, &ex), PMM_OK);
    const pe_export *create = NULL;
    for (size_t i = 0; i < ex.count; i++)
        if (ex.items[i].name && strcmp(ex.items[i].name, "CreateFileW") == 0)
            create = &ex.items[i];
    CHECK(create != NULL && create->forwarder == NULL);   /* Wine exports a thunk, not a forwarder */
    if (create && !create->forwarder) {
        char text[256];
        CHECK(pmm_symbols_describe(&syms, LOAD_BASE + create->rva, text, sizeof text));
        CHECK_STR(text, "kernel32.dll!CreateFileW");
        CHECK(pmm_symbols_describe(&syms, LOAD_BASE + create->rva + 0x1a, text, sizeof text));
        /* The next export may begin within 0x1a bytes (thunks); then it is named instead. */
        CHECK(strncmp(text, "kernel32.dll!", 13) == 0 && strstr(text, "+0x") != NULL);
        int matches = 0;
        CHECK_EQ_U64(pmm_symbols_find_name(&syms, "kernel32!CreateFileW", count_match, &matches), 1);
        CHECK_EQ_U64(pmm_symbols_find_name(&syms, "KERNEL32.DLL!CreateFileW", NULL, NULL), 1);
        CHECK_EQ_U64(pmm_symbols_find_name(&syms, "ntdll!CreateFileW", NULL, NULL), 0);
        CHECK_EQ_U64(matches, 1);
    }
    pe_exports_free(&ex);
    /* Where the code holding an address starts (what the Disassembly tab decodes forwards from):
     * the start of the x64 function table's entry, named by an export or not. */
    pe_exceptions fx;
    CHECK_EQ_U64(pe_read_exceptions(&k32.file, &fx), PMM_OK);
    size_t starts_checked = 0;
    for (size_t i = 0; i < fx.count; i++) {
        const pe_runtime_function *f = &fx.items[i];
        uint64_t start = 0;
        if (f->end_rva <= f->begin_rva)
            continue;
        CHECK(pmm_symbols_code_start(&syms, LOAD_BASE + f->begin_rva + (f->end_rva - f->begin_rva) / 2, &start));
        CHECK_EQ_U64(start, LOAD_BASE + f->begin_rva);
        starts_checked++;
    }
    CHECK(starts_checked > 100);
    pe_exceptions_free(&fx);
    uint64_t nowhere;
    CHECK(!pmm_symbols_code_start(&syms, 0x1000, &nowhere));
    char text[256];
    CHECK(pmm_symbols_describe(&syms, LOAD_BASE + 0x10, text, sizeof text));
    CHECK_STR(text, "kernel32.dll+0x10");
    CHECK(!pmm_symbols_describe(&syms, 0x1000, text, sizeof text));
    if (have_ntdll) {
        CHECK(pmm_symbols_find_name(&syms, "ntdll.dll!NtClose", NULL, NULL) == 1);
        pmm_symbol_match match;
        CHECK(pmm_symbols_lookup(&syms, 0x7ff800000000ull + 0x20, &match));
        CHECK(match.module && strcmp(pmm_symbols_text(&syms, match.module->name), "ntdll.dll") == 0);
        unload_dll(&ntdll);
    }
    pmm_symbols_free(&syms);
    unload_dll(&k32);
}

TEST_CASE(resolver_keeps_modules_without_exports)
{
    static const uint8_t junk[64] = {'N', 'O'};
    pmm_source src;
    pmm_buffer_source_open(junk, sizeof junk, 0x10000, &src);
    pmm_symbols syms;
    pmm_symbols_init(&syms);
    CHECK_EQ_U64(pmm_symbols_add_module(&syms, &src, 0x10000, 0x1000, "junk.dll"), PMM_OK);
    pmm_symbols_finish(&syms);
    CHECK_EQ_U64(syms.modules[0].status, PMM_ERR_FORMAT);
    char text[64];
    CHECK(pmm_symbols_describe(&syms, 0x10020, text, sizeof text));
    CHECK_STR(text, "junk.dll+0x20");
    pmm_symbols_free(&syms);
    pmm_source_close(&src);
}

CHECK_MAIN(CASE(annotations_match_the_file), CASE(resolver_names_addresses_and_back),
           CASE(resolver_keeps_modules_without_exports))
