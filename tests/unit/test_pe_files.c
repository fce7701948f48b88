/* The PE parser on real files: every PE in Wine's library folders (both layouts, which must agree)
 * and every file of the corkami corpus in ../shared/fixtures/pe (no crash, no sanitizer report). */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "check.h"
#include "test_util.h"
#include "pe_walk.h"
#include "core/source/buffer_source.h"
#include "core/source/file_source.h"

#define WINE_X64_DIR "/usr/lib/x86_64-linux-gnu/wine/x86_64-windows"
#define WINE_X86_DIR "/usr/lib/i386-linux-gnu/wine/i386-windows"
/* Somewhere other than the preferred base, so relocated pointers are exercised. */
#define IMAGE_BASE64 0x180000000ull
#define IMAGE_BASE32 0x10000000ull
#define MAX_TEST_IMAGE (512u << 20)

typedef struct file_list {
    char **paths;
    size_t count;
} file_list;

static int path_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Regular files of dir, sorted; an empty list when the folder is absent. */
static file_list list_files(const char *dir)
{
    file_list list = {NULL, 0};
    DIR *d = opendir(dir);
    if (!d)
        return list;
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char path[4096];
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
            continue;
        if (list.count == cap) {
            cap = cap ? cap * 2 : 256;
            list.paths = realloc(list.paths, cap * sizeof *list.paths);
        }
        list.paths[list.count++] = strdup(path);
    }
    closedir(d);
    qsort(list.paths, list.count, sizeof *list.paths, path_cmp);
    return list;
}

static void free_list(file_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->paths[i]);
    free(list->paths);
}

/* "MZ" followed somewhere by "PE\0\0": Wine's folders also hold import libraries (.a). */
static int starts_with_mz(pmm_source *src)
{
    uint8_t mz[2];
    return pmm_source_read(src, 0, mz, 2) == 2 && mz[0] == 'M' && mz[1] == 'Z';
}

static int same_string(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

static void compare_exports(const char *path, pe_image *file, pe_image *image)
{
    pe_exports a, b;
    pmm_status sa = pe_read_exports(file, &a), sb = pe_read_exports(image, &b);
    CHECK_EQ_U64(sa, sb);
    if (sa == PMM_OK && sb == PMM_OK) {
        CHECK_EQ_U64(a.count, b.count);
        CHECK_STR(a.dll_name, b.dll_name);
        for (size_t i = 0; i < a.count && i < b.count; i++) {
            int same = a.items[i].ordinal == b.items[i].ordinal && a.items[i].rva == b.items[i].rva &&
                       same_string(a.items[i].name, b.items[i].name) &&
                       same_string(a.items[i].forwarder, b.items[i].forwarder) &&
                       a.items[i].is_data == b.items[i].is_data;
            if (!same) {
                fprintf(stderr, "%s: export %zu differs between layouts\n", path, i);
                CHECK(same);
                break;
            }
        }
    }
    if (sa == PMM_OK)
        pe_exports_free(&a);
    if (sb == PMM_OK)
        pe_exports_free(&b);
}

static void compare_imports(const char *path, pe_image *file, pe_image *image, int delay)
{
    pe_imports a, b;
    pmm_status sa = delay ? pe_read_delay_imports(file, &a) : pe_read_imports(file, &a);
    pmm_status sb = delay ? pe_read_delay_imports(image, &b) : pe_read_imports(image, &b);
    CHECK_EQ_U64(sa, sb);
    if (sa == PMM_OK && sb == PMM_OK) {
        CHECK_EQ_U64(a.module_count, b.module_count);
        CHECK_EQ_U64(a.function_count, b.function_count);
        for (size_t i = 0; i < a.module_count && i < b.module_count; i++)
            CHECK_STR(a.modules[i].dll_name, b.modules[i].dll_name);
        for (size_t i = 0; i < a.function_count && i < b.function_count; i++) {
            int same = same_string(a.functions[i].name, b.functions[i].name) &&
                       a.functions[i].by_ordinal == b.functions[i].by_ordinal &&
                       a.functions[i].ordinal == b.functions[i].ordinal &&
                       a.functions[i].hint == b.functions[i].hint &&
                       a.functions[i].iat_rva == b.functions[i].iat_rva;
            if (!same) {
                fprintf(stderr, "%s: import %zu differs between layouts\n", path, i);
                CHECK(same);
                break;
            }
        }
    }
    if (sa == PMM_OK)
        pe_imports_free(&a);
    if (sb == PMM_OK)
        pe_imports_free(&b);
}

static void compare_resources(const char *path, pe_image *file, pe_image *image)
{
    pe_resources a, b;
    pmm_status sa = pe_read_resources(file, &a), sb = pe_read_resources(image, &b);
    CHECK_EQ_U64(sa, sb);
    if (sa == PMM_OK && sb == PMM_OK) {
        CHECK_EQ_U64(a.count, b.count);
        for (size_t i = 0; i < a.count && i < b.count; i++) {
            const pe_resource_node *x = &a.nodes[i], *y = &b.nodes[i];
            int same = x->parent == y->parent && x->level == y->level && x->id == y->id &&
                       same_string(x->name, y->name) && x->data_rva == y->data_rva &&
                       x->data_size == y->data_size;
            if (!same) {
                fprintf(stderr, "%s: resource node %zu differs between layouts\n", path, i);
                CHECK(same);
                break;
            }
        }
    }
    if (sa == PMM_OK)
        pe_resources_free(&a);
    if (sb == PMM_OK)
        pe_resources_free(&b);
}

static void compare_layouts(const char *path, pe_image *file, pmm_source *image_src, uint64_t base)
{
    pe_image image;
    pmm_status st = pe_open(image_src, base, PE_LAYOUT_IMAGE, &image);
    CHECK_EQ_U64(st, PMM_OK);
    if (st != PMM_OK) {
        fprintf(stderr, "%s: image layout does not open\n", path);
        return;
    }
    CHECK_EQ_U64(image.section_count, file->section_count);
    CHECK_EQ_U64(image.entry_point, file->entry_point);
    compare_exports(path, file, &image);
    compare_imports(path, file, &image, 0);
    compare_imports(path, file, &image, 1);
    compare_resources(path, file, &image);
    pe_walk_summary a, b;
    pe_walk_all(file, &a);
    pe_walk_all(&image, &b);
    CHECK_EQ_U64(a.reloc_entries, b.reloc_entries);
    CHECK_EQ_U64(a.runtime_functions, b.runtime_functions);
    CHECK_EQ_U64(a.debug_entries, b.debug_entries);
    CHECK_EQ_U64(a.tls_callbacks, b.tls_callbacks);
    CHECK_EQ_U64(a.has_load_config, b.has_load_config);
    pe_close(&image);
}

/* Parses every PE of a folder in file layout, maps it like the loader and parses that too. */
static size_t check_folder(const char *dir, uint16_t machine)
{
    file_list list = list_files(dir);
    size_t parsed = 0;
    for (size_t i = 0; i < list.count; i++) {
        pmm_source src;
        if (pmm_file_source_open(list.paths[i], &src) != PMM_OK)
            continue;
        if (!starts_with_mz(&src)) {
            pmm_source_close(&src);
            continue;
        }
        pe_image img;
        pmm_status st = pe_open(&src, 0, PE_LAYOUT_FILE, &img);
        if (st != PMM_OK) {
            /* Wine ships a few 16-bit NE modules (.dll16, .exe16): MZ but no PE. */
            CHECK_EQ_U64(st, PMM_ERR_FORMAT);
            pmm_source_close(&src);
            continue;
        }
        CHECK_EQ_U64(img.machine, machine);
        CHECK(img.anomalies == 0);
        size_t size;
        uint8_t *mapped = pe_map_like_loader(&img, MAX_TEST_IMAGE, &size);
        CHECK(mapped != NULL);
        if (mapped) {
            pmm_source image_src;
            uint64_t base = img.pointer_size == 8 ? IMAGE_BASE64 : IMAGE_BASE32;
            pe_apply_relocs(&img, mapped, size, base);
            pmm_buffer_source_open(mapped, size, base, &image_src);
            compare_layouts(list.paths[i], &img, &image_src, base);
            pmm_source_close(&image_src);
            free(mapped);
        }
        pe_close(&img);
        pmm_source_close(&src);
        parsed++;
    }
    free_list(&list);
    return parsed;
}

TEST_CASE(wine_x64_library_folder)
{
    file_list probe = list_files(WINE_X64_DIR);
    size_t present = probe.count;
    free_list(&probe);
    if (!present) {
        CHECK_SKIP("%s is absent (install wine64)", WINE_X64_DIR);
    }
    size_t parsed = check_folder(WINE_X64_DIR, PE_MACHINE_AMD64);
    printf("  %zu x64 PE files parsed in both layouts\n", parsed);
    CHECK(parsed > 300);
}

TEST_CASE(wine_x86_library_folder)
{
    file_list probe = list_files(WINE_X86_DIR);
    size_t present = probe.count;
    free_list(&probe);
    if (!present) {
        CHECK_SKIP("%s is absent (install wine32:i386)", WINE_X86_DIR);
    }
    size_t parsed = check_folder(WINE_X86_DIR, PE_MACHINE_I386);
    printf("  %zu x86 PE files parsed in both layouts\n", parsed);
    CHECK(parsed > 300);
}

static pe_export *find_export(pe_exports *ex, const char *name)
{
    for (size_t i = 0; i < ex->count; i++)
        if (ex->items[i].name && strcmp(ex->items[i].name, name) == 0)
            return &ex->items[i];
    return NULL;
}

/* Facts about Wine 8's version.dll that objdump -p shows as well. */
TEST_CASE(wine_version_dll_details)
{
    pmm_source src;
    if (pmm_file_source_open(WINE_X64_DIR "/version.dll", &src) != PMM_OK) {
        CHECK_SKIP("%s/version.dll is absent", WINE_X64_DIR);
    }
    pe_image img;
    CHECK_EQ_U64(pe_open(&src, 0, PE_LAYOUT_FILE, &img), PMM_OK);
    CHECK_EQ_U64(img.magic, PE_MAGIC_PE32_PLUS);
    CHECK_EQ_U64(img.pointer_size, 8);
    CHECK(img.characteristics & 0x2000);  /* IMAGE_FILE_DLL */
    pe_exports ex;
    CHECK_EQ_U64(pe_read_exports(&img, &ex), PMM_OK);
    CHECK_STR(ex.dll_name, "version.dll");
    CHECK_EQ_U64(ex.count, ex.name_count);
    pe_export *fw = find_export(&ex, "VerLanguageNameA");
    CHECK(fw && fw->forwarder && strcmp(fw->forwarder, "kernel32.VerLanguageNameA") == 0);
    pe_export *fn = find_export(&ex, "GetFileVersionInfoA");
    CHECK(fn && !fn->forwarder && !fn->is_data && fn->rva != 0);
    pe_exports_free(&ex);

    pe_imports im;
    CHECK_EQ_U64(pe_read_imports(&img, &im), PMM_OK);
    int found = 0;
    for (size_t m = 0; m < im.module_count; m++) {
        if (strcmp(im.modules[m].dll_name, "kernel32.dll") != 0)
            continue;
        for (size_t f = 0; f < im.modules[m].function_count; f++) {
            const pe_import_function *fn2 = &im.functions[im.modules[m].first_function + f];
            found |= fn2->name && strcmp(fn2->name, "GetProcAddress") == 0;
        }
    }
    CHECK(found);
    pe_imports_free(&im);

    pe_resources rs;
    CHECK_EQ_U64(pe_read_resources(&img, &rs), PMM_OK);
    CHECK(rs.count >= 3);
    if (rs.count >= 3) {
        CHECK_EQ_U64(rs.nodes[0].id, PE_RT_VERSION);
        CHECK_EQ_U64(rs.nodes[2].level, 2);
        CHECK(rs.nodes[2].is_leaf);
        CHECK(rs.nodes[2].data_size > 0);
    }
    pe_resources_free(&rs);

    pe_exceptions exc;
    CHECK_EQ_U64(pe_read_exceptions(&img, &exc), PMM_OK);
    CHECK(exc.count > 0);
    for (size_t i = 0; i < exc.count; i++)
        CHECK(exc.items[i].begin_rva < exc.items[i].end_rva);
    pe_exceptions_free(&exc);
    pe_close(&img);
    pmm_source_close(&src);
}

/* Every file of the corkami corpus: no crash and no sanitizer report in either layout. */
TEST_CASE(corkami_fixtures)
{
    char dir[4096];
    test_fixture_path("pe", dir, sizeof dir);
    file_list list = list_files(dir);
    if (!list.count) {
        check_skip("no fixtures in %s (PMM_FIXTURES unset or ../shared/fixtures absent)", dir);
        free_list(&list);
        return;
    }
    size_t opened = 0;
    for (size_t i = 0; i < list.count; i++) {
        pmm_source src;
        if (pmm_file_source_open(list.paths[i], &src) != PMM_OK)
            continue;
        pe_image img;
        if (pe_open(&src, 0, PE_LAYOUT_FILE, &img) == PMM_OK) {
            opened++;
            pe_walk_summary s;
            pe_walk_all(&img, &s);
            CHECK(!s.nomem);
            size_t size;
            uint8_t *mapped = pe_map_like_loader(&img, 64u << 20, &size);
            if (mapped) {
                pmm_source image_src;
                pe_apply_relocs(&img, mapped, size, 0x400000);
                pmm_buffer_source_open(mapped, size, 0x400000, &image_src);
                pe_image image;
                if (pe_open(&image_src, 0x400000, PE_LAYOUT_IMAGE, &image) == PMM_OK) {
                    pe_walk_all(&image, &s);
                    CHECK(!s.nomem);
                    pe_close(&image);
                }
                pmm_source_close(&image_src);
                free(mapped);
            }
            pe_close(&img);
        }
        pmm_source_close(&src);
    }
    printf("  %zu of %zu fixtures open as PE\n", opened, list.count);
    CHECK(opened * 10 >= list.count * 9);
    free_list(&list);
}

/* Opens one corkami fixture in file layout; 0 (with a skip message) when the corpus is absent. */
static int open_fixture(const char *name, pmm_source *src, pe_image *img)
{
    char relative[512], path[4096];
    snprintf(relative, sizeof relative, "pe/%s", name);
    test_fixture_path(relative, path, sizeof path);
    if (pmm_file_source_open(path, src) != PMM_OK) {
        check_skip("%s is absent", path);
        return 0;
    }
    pmm_status st = pe_open(src, 0, PE_LAYOUT_FILE, img);
    CHECK_EQ_U64(st, PMM_OK);
    if (st != PMM_OK)
        pmm_source_close(src);
    return st == PMM_OK;
}

static void close_fixture(pmm_source *src, pe_image *img)
{
    pe_close(img);
    pmm_source_close(src);
}

/* What the corkami files are known to hold (checked against winedump where it reads them). */
TEST_CASE(corkami_fixture_details)
{
    pmm_source src;
    pe_image img;
    if (open_fixture("delayimports.exe", &src, &img)) {
        /* A VC6-style descriptor (attributes 0) that mixes VAs and RVAs: winedump gives up on it. */
        pe_imports di;
        CHECK_EQ_U64(pe_read_delay_imports(&img, &di), PMM_OK);
        CHECK_EQ_U64(di.module_count, 1);
        CHECK(di.module_count == 1 && strcmp(di.modules[0].dll_name, "msvcrt.dll") == 0);
        CHECK(di.function_count == 1 && di.functions[0].name && strcmp(di.functions[0].name, "printf") == 0);
        CHECK(di.function_count == 1 && di.functions[0].iat_rva == 0x1140);
        pe_imports_free(&di);
        close_fixture(&src, &img);
    }
    if (open_fixture("tls.exe", &src, &img)) {
        pe_tls tls;
        CHECK_EQ_U64(pe_read_tls(&img, &tls), PMM_OK);
        CHECK_EQ_U64(tls.callback_count, 1);
        CHECK_EQ_U64(tls.callbacks[0], 0x401020);
        close_fixture(&src, &img);
    }
    if (open_fixture("dllbound-ld.exe", &src, &img)) {
        pe_bound_imports bi;
        CHECK_EQ_U64(pe_read_bound_imports(&img, &bi), PMM_OK);
        CHECK(bi.count == 1 && strcmp(bi.items[0].dll_name, "dllbound.dll") == 0);
        CHECK(bi.count == 1 && bi.items[0].timestamp == 0x31415925);
        pe_bound_imports_free(&bi);
        close_fixture(&src, &img);
    }
    if (open_fixture("debug.exe", &src, &img)) {
        pe_debug dbg;
        CHECK_EQ_U64(pe_read_debug(&img, &dbg), PMM_OK);
        CHECK(dbg.count == 1 && dbg.entries[0].type == PE_DEBUG_TYPE_CODEVIEW);
        CHECK(dbg.count == 1 && strcmp(dbg.entries[0].cv_signature, "RSDS") == 0);
        CHECK(dbg.count == 1 && strcmp(dbg.entries[0].pdb_path, "nosymbols.pdb") == 0);
        pe_debug_free(&dbg);
        close_fixture(&src, &img);
    }
    if (open_fixture("cfgbogus.exe", &src, &img)) {
        pe_load_config lc;
        CHECK_EQ_U64(pe_read_load_config(&img, &lc), PMM_OK);
        CHECK_EQ_U64(lc.security_cookie, 0x4010ac);
        CHECK_EQ_U64(lc.guard_flags, PE_GUARD_CF_INSTRUMENTED | PE_GUARD_CF_FUNCTION_TABLE_PRESENT);
        CHECK_EQ_U64(lc.guard_cf_function_count, 6);
        close_fixture(&src, &img);
    }
    if (open_fixture("namedresource.exe", &src, &img)) {
        pe_resources rs;
        CHECK_EQ_U64(pe_read_resources(&img, &rs), PMM_OK);
        CHECK_EQ_U64(rs.count, 3);
        CHECK(rs.count == 3 && rs.nodes[0].name && strcmp(rs.nodes[0].name, "TYPE") == 0);
        CHECK(rs.count == 3 && rs.nodes[1].name && strcmp(rs.nodes[1].name, "RES") == 0);
        CHECK(rs.count == 3 && rs.nodes[2].is_leaf && rs.nodes[2].data_size == 45);
        pe_resources_free(&rs);
        close_fixture(&src, &img);
    }
    if (open_fixture("impbyord.exe", &src, &img)) {
        pe_imports im;
        CHECK_EQ_U64(pe_read_imports(&img, &im), PMM_OK);
        CHECK(im.function_count == 2 && im.functions[1].by_ordinal && im.functions[1].ordinal == 35);
        pe_imports_free(&im);
        pe_exports ex;
        CHECK_EQ_U64(pe_read_exports(&img, &ex), PMM_OK);
        CHECK(ex.count == 1 && ex.items[0].name == NULL && ex.items[0].ordinal == 35);
        pe_exports_free(&ex);
        close_fixture(&src, &img);
    }
    if (open_fixture("65535sects.exe", &src, &img)) {
        CHECK_EQ_U64(img.section_count, 65535);
        close_fixture(&src, &img);
    }
    if (open_fixture("resourceloop.exe", &src, &img)) {
        pe_resources rs;
        CHECK_EQ_U64(pe_read_resources(&img, &rs), PMM_OK);
        CHECK(rs.truncated);   /* the loop is cut at the third level */
        CHECK(rs.count < 100);
        pe_resources_free(&rs);
        close_fixture(&src, &img);
    }
}

CHECK_MAIN(CASE(corkami_fixture_details), CASE(wine_x64_library_folder), CASE(wine_x86_library_folder), CASE(wine_version_dll_details),
           CASE(corkami_fixtures))
