/* Long section names of a mapped image (core/formats/pe_long_names.c) on Wine's own DLLs, which
 * carry DWARF in sections named "/4", "/19", ...: the file of the same build gives every name; a
 * file of another build, a missing file, a file that is not PE and no path at all leave every "/N"
 * and say why. The image is laid out from the file the way the loader maps it. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include "check.h"
#include "fake_source.h"
#include "pe_walk.h"
#include "core/formats/pe_long_names.h"
#include "core/source/buffer_source.h"
#include "core/source/file_source.h"

#define WINE_X64_DIR "/usr/lib/x86_64-linux-gnu/wine/x86_64-windows"
#define MAPPED_BASE 0x180000000ull
#define MAX_TEST_IMAGE (64u << 20)

/* A DLL of Wine's x64 folder as a file and as the loader maps it. */
typedef struct dll_views {
    char path[512];
    pmm_source file_src, image_src;
    pe_image file, image;
    uint8_t *mapped;
    size_t mapped_size;
} dll_views;

static int open_views(const char *name, dll_views *v)
{
    memset(v, 0, sizeof *v);
    snprintf(v->path, sizeof v->path, "%s/%s", WINE_X64_DIR, name);
    if (pmm_file_source_open(v->path, &v->file_src) != PMM_OK) {
        check_skip("%s is absent (install wine64)", v->path);
        return 0;
    }
    CHECK_EQ_U64(pe_open(&v->file_src, 0, PE_LAYOUT_FILE, &v->file), PMM_OK);
    v->mapped = pe_map_like_loader(&v->file, MAX_TEST_IMAGE, &v->mapped_size);
    CHECK(v->mapped != NULL);
    pmm_buffer_source_open(v->mapped, v->mapped_size, MAPPED_BASE, &v->image_src);
    CHECK_EQ_U64(pe_open(&v->image_src, MAPPED_BASE, PE_LAYOUT_IMAGE, &v->image), PMM_OK);
    return 1;
}

/* Reopens the mapped view after its bytes were changed. */
static void reopen_image(dll_views *v)
{
    pe_close(&v->image);
    CHECK_EQ_U64(pe_open(&v->image_src, MAPPED_BASE, PE_LAYOUT_IMAGE, &v->image), PMM_OK);
}

static void close_views(dll_views *v)
{
    pe_close(&v->image);
    pmm_source_close(&v->image_src);
    free(v->mapped);
    pe_close(&v->file);
    pmm_source_close(&v->file_src);
}

static unsigned slash_names(const pe_image *img)
{
    unsigned n = 0;
    for (size_t i = 0; i < img->section_count; i++)
        n += img->sections[i].name[0] == '/';
    return n;
}

TEST_CASE(same_build_gives_every_name)
{
    dll_views v;
    if (!open_views("kernel32.dll", &v))
        return;
    unsigned long_names = slash_names(&v.image);
    CHECK(long_names > 0);               /* Wine's DLLs carry .debug_* sections */
    CHECK_EQ_U64(slash_names(&v.file), 0);
    pe_long_names_result r;
    CHECK_EQ_U64(pe_long_names_resolve(&v.image, v.path, &r), PMM_OK);
    CHECK_EQ_U64(r.outcome, PE_LONG_NAMES_RESOLVED);
    CHECK_EQ_U64(r.resolved, long_names);
    CHECK_EQ_U64(r.unresolved, 0);
    CHECK_STR(r.file, v.path);
    CHECK_STR(r.reason, "");
    for (size_t i = 0; i < v.image.section_count; i++)
        CHECK_STR(v.image.sections[i].name, v.file.sections[i].name);
    /* Nothing left to resolve the second time. */
    CHECK_EQ_U64(pe_long_names_resolve(&v.image, v.path, &r), PMM_OK);
    CHECK_EQ_U64(r.outcome, PE_LONG_NAMES_NONE_NEEDED);
    CHECK_EQ_U64(r.resolved + r.unresolved, 0);
    close_views(&v);
}

TEST_CASE(another_build_leaves_the_numbers)
{
    dll_views v;
    if (!open_views("kernel32.dll", &v))
        return;
    unsigned long_names = slash_names(&v.image);
    pe_long_names_result r;
    /* Another DLL: the first field that differs is named. */
    char other[512];
    snprintf(other, sizeof other, "%s/%s", WINE_X64_DIR, "user32.dll");
    CHECK_EQ_U64(pe_long_names_resolve(&v.image, other, &r), PMM_OK);
    CHECK_EQ_U64(r.outcome, PE_LONG_NAMES_NOT_SAME_BUILD);
    CHECK(strstr(r.reason, "not the same build") != NULL);
    CHECK_EQ_U64(r.unresolved, long_names);
    CHECK_EQ_U64(slash_names(&v.image), long_names);
    /* The same file but a timestamp changed in memory. */
    uint32_t at = v.image.e_lfanew + 8;
    v.mapped[at] ^= 1;
    reopen_image(&v);
    CHECK_EQ_U64(pe_long_names_resolve(&v.image, v.path, &r), PMM_OK);
    CHECK_EQ_U64(r.outcome, PE_LONG_NAMES_NOT_SAME_BUILD);
    CHECK(strstr(r.reason, "timestamp") != NULL);
    CHECK_EQ_U64(r.resolved, 0);
    CHECK_EQ_U64(slash_names(&v.image), long_names);
    v.mapped[at] ^= 1;
    /* A section moved: names are copied by position, so the RVAs must agree too. */
    uint32_t first_section = v.image.e_lfanew + 24 + v.image.optional_header_size;
    v.mapped[first_section + 12 + 1] ^= 0x10;
    reopen_image(&v);
    CHECK_EQ_U64(pe_long_names_resolve(&v.image, v.path, &r), PMM_OK);
    CHECK_EQ_U64(r.outcome, PE_LONG_NAMES_NOT_SAME_BUILD);
    CHECK(strstr(r.reason, "section 1 at RVA") != NULL);
    CHECK_EQ_U64(slash_names(&v.image), long_names);
    close_views(&v);
}

TEST_CASE(no_file_leaves_the_numbers)
{
    dll_views v;
    if (!open_views("kernel32.dll", &v))
        return;
    unsigned long_names = slash_names(&v.image);
    pe_long_names_result r;
    CHECK_EQ_U64(pe_long_names_resolve(&v.image, "/nonexistent/pmm/kernel32.dll", &r), PMM_OK);
    CHECK_EQ_U64(r.outcome, PE_LONG_NAMES_FILE_NOT_FOUND);
    CHECK_STR(r.file, "/nonexistent/pmm/kernel32.dll");
    CHECK(strstr(r.reason, "cannot be opened") != NULL);
    CHECK_EQ_U64(pe_long_names_resolve(&v.image, "/proc/self/exe", &r), PMM_OK);   /* ELF, not PE */
    CHECK_EQ_U64(r.outcome, PE_LONG_NAMES_FILE_NOT_PE);
    CHECK_EQ_U64(pe_long_names_resolve(&v.image, "", &r), PMM_OK);
    CHECK_EQ_U64(r.outcome, PE_LONG_NAMES_NO_PATH);
    CHECK_EQ_U64(pe_long_names_resolve(&v.image, NULL, &r), PMM_OK);
    CHECK_EQ_U64(r.outcome, PE_LONG_NAMES_NO_PATH);
    CHECK(r.reason[0] != '\0');
    CHECK_EQ_U64(r.unresolved, long_names);
    CHECK_EQ_U64(slash_names(&v.image), long_names);
    close_views(&v);
}

/* The file a source names for an image: its mapped file name (no module list here), the NT
 * "\??\" prefix removed; a source without names gives "". */
TEST_CASE(file_of_image_from_the_source)
{
    dll_views v;
    if (!open_views("kernel32.dll", &v))
        return;
    char path[1024];
    CHECK_EQ_U64(pe_long_names_file_of(&v.image, path, sizeof path), PMM_OK);
    CHECK_STR(path, "");   /* a buffer source names no file */

    fake_source fake;
    memset(&fake, 0, sizeof fake);
    uint8_t *bytes = fake_add(&fake, MAPPED_BASE, v.mapped_size, MAPPED_BASE, PMM_MEM_COMMIT, PMM_MEM_IMAGE,
                              PMM_PAGE_READONLY, PMM_PAGE_READONLY);
    memcpy(bytes, v.mapped, v.mapped_size);
    char named[sizeof v.path + 8];
    snprintf(named, sizeof named, "\\??\\%s", v.path);
    size_t len = strlen(named);
    CHECK(len < sizeof fake.regions[0].mapped_name);
    if (len >= sizeof fake.regions[0].mapped_name) {
        fake_free(&fake);
        close_views(&v);
        return;
    }
    memcpy(fake.regions[0].mapped_name, named, len + 1);
    pmm_source src;
    fake_source_open(&fake, &src, 8);
    pe_image img;
    CHECK_EQ_U64(pe_open(&src, MAPPED_BASE, PE_LAYOUT_IMAGE, &img), PMM_OK);
    CHECK_EQ_U64(pe_long_names_file_of(&img, path, sizeof path), PMM_OK);
    CHECK_STR(path, v.path);
    pe_long_names_result r;
    CHECK_EQ_U64(pe_long_names_resolve(&img, path, &r), PMM_OK);
    CHECK_EQ_U64(r.outcome, PE_LONG_NAMES_RESOLVED);
    pe_close(&img);
    pmm_source_close(&src);
    fake_free(&fake);
    close_views(&v);
}

CHECK_MAIN(CASE(same_build_gives_every_name), CASE(another_build_leaves_the_numbers),
           CASE(no_file_leaves_the_numbers), CASE(file_of_image_from_the_source))
