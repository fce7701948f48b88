/* The integrity scan over a fake process: Wine's version.dll (x64 and x86) laid out and relocated by
 * this test's own small loader at a base the file does not prefer, then changed byte by byte; and
 * the hook-shape matcher on hand-written sequences. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "test_util.h"
#include "fake_source.h"
#include "core/analyzers/scan.h"
#include "core/formats/apiset.h"
#include "core/formats/pe.h"
#include "core/formats/saved_map.h"
#include "core/source/buffer_source.h"
#include "core/tools/map_diff.h"
#include "core/tools/hook_shapes.h"
#include "core/tools/integrity.h"

#define WINE_X64 "/usr/lib/x86_64-linux-gnu/wine/x86_64-windows/version.dll"
#define WINE_X86 "/usr/lib/i386-linux-gnu/wine/i386-windows/version.dll"
#define STUB_BASE_OFFSET 0x100000u   /* the private RWX stub allocation, above the image */

/* ---- a loader independent of core/ ------------------------------------------------------------- */

static uint32_t u16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t u32(const uint8_t *p) { return u16(p) | u16(p + 2) << 16; }
static uint64_t u64(const uint8_t *p) { return u32(p) | (uint64_t)u32(p + 4) << 32; }

typedef struct file_bytes {
    uint8_t *data;
    size_t size;
} file_bytes;

static int read_file(const char *path, file_bytes *out)
{
    out->data = test_read_file(path, &out->size);
    return out->data != NULL;
}

static int write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(data, 1, size, f) == size;
    if (f)
        fclose(f);
    return ok;
}

typedef struct pe_facts {
    uint32_t nt, optional, sections, section_count, pointer_size, size_of_image, size_of_headers;
    uint64_t image_base;
    uint32_t reloc_rva, reloc_size, export_rva;
} pe_facts;

static void facts(const uint8_t *f, pe_facts *p)
{
    p->nt = u32(f + 0x3c);
    p->optional = p->nt + 24;
    p->section_count = u16(f + p->nt + 6);
    p->sections = p->optional + u16(f + p->nt + 20);
    p->pointer_size = u16(f + p->optional) == 0x20b ? 8 : 4;
    p->image_base = p->pointer_size == 8 ? u64(f + p->optional + 24) : u32(f + p->optional + 28);
    p->size_of_image = u32(f + p->optional + 56);
    p->size_of_headers = u32(f + p->optional + 60);
    uint32_t dirs = p->optional + (p->pointer_size == 8 ? 112 : 96);
    p->export_rva = u32(f + dirs);
    p->reloc_rva = u32(f + dirs + 5 * 8);
    p->reloc_size = u32(f + dirs + 5 * 8 + 4);
}

/* Sections at their RVAs, then DIR64/HIGHLOW fixups for the new base. */
static void lay_out(const file_bytes *file, const pe_facts *p, uint8_t *image, uint64_t base)
{
    const uint8_t *f = file->data;
    memcpy(image, f, p->size_of_headers);
    for (uint32_t i = 0; i < p->section_count; i++) {
        const uint8_t *s = f + p->sections + 40 * i;
        uint32_t vs = u32(s + 8), va = u32(s + 12), raw = u32(s + 16), off = u32(s + 20);
        memcpy(image + va, f + off, raw < vs || !vs ? raw : vs);
    }
    uint64_t delta = base - p->image_base;
    for (uint32_t at = p->reloc_rva; at + 8 <= p->reloc_rva + p->reloc_size;) {
        uint32_t page = u32(image + at), size = u32(image + at + 4);
        for (uint32_t e = 8; e + 2 <= size; e += 2) {
            uint32_t entry = u16(image + at + e), type = entry >> 12;
            uint8_t *q = image + page + (entry & 0xFFF);
            uint64_t v = type == 10 ? u64(q) + delta : u32(q) + (uint32_t)delta;
            for (uint32_t b = 0; b < (type == 10 ? 8u : type == 3 ? 4u : 0u); b++)
                q[b] = (uint8_t)(v >> (8 * b));
        }
        at += size;
    }
}

/* The RVA of the first named export that is not a forwarder. */
static uint32_t first_export(const uint8_t *image, const pe_facts *p)
{
    const uint8_t *d = image + p->export_rva;
    return u32(image + u32(d + 28));
}

/* ---- the fake process --------------------------------------------------------------------------- */

typedef struct process {
    fake_source fake;
    pe_facts pe;
    file_bytes file;
    uint64_t base;
    uint8_t *image;       /* the image's bytes in the fake */
    uint8_t *stubs;       /* a private RWX allocation above it */
} process;

static int make_process(process *p, const char *dll, const char *path_in_map)
{
    memset(p, 0, sizeof *p);
    if (!read_file(dll, &p->file)) {
        check_skip("%s is absent (install Wine)", dll);
        return 0;
    }
    facts(p->file.data, &p->pe);
    p->base = p->pe.pointer_size == 8 ? 0x180000000ull : 0x20000000u;
    uint64_t size = (p->pe.size_of_image + 0xFFFu) & ~0xFFFull;
    p->image = fake_add(&p->fake, p->base, size, p->base, PMM_MEM_COMMIT, PMM_MEM_IMAGE, PMM_PAGE_EXECUTE_READ,
                        PMM_PAGE_EXECUTE_WRITECOPY);
    snprintf(p->fake.regions[0].mapped_name, sizeof p->fake.regions[0].mapped_name, "%s", path_in_map);
    lay_out(&p->file, &p->pe, p->image, p->base);
    p->stubs = fake_add(&p->fake, p->base + STUB_BASE_OFFSET * 16, 0x1000, p->base + STUB_BASE_OFFSET * 16,
                        PMM_MEM_COMMIT, PMM_MEM_PRIVATE, PMM_PAGE_EXECUTE_READWRITE, PMM_PAGE_EXECUTE_READWRITE);
    memset(p->stubs, 0xC3, 0x1000);
    return 1;
}

static void free_process(process *p)
{
    fake_free(&p->fake);
    free(p->file.data);
}

static uint64_t stub_address(const process *p)
{
    return p->base + STUB_BASE_OFFSET * 16;
}

static pmm_map *scan(process *p)
{
    pmm_source src;
    pmm_map *map = NULL;
    fake_source_open(&p->fake, &src, p->pe.pointer_size);
    CHECK(pmm_scan_source(&src, NULL, &map) == PMM_OK);
    if (map)
        CHECK(pmm_integrity_scan(&src, map, NULL, NULL) == PMM_OK);
    return map;
}

static size_t count_kind(const pmm_map *map, uint32_t kind)
{
    size_t n = 0;
    for (size_t i = 0; i < map->integrity.count; i++)
        n += map->integrity.items[i].kind == kind;
    return n;
}

static const pmm_finding *find_kind(const pmm_map *map, uint32_t kind)
{
    for (size_t i = 0; i < map->integrity.count; i++)
        if (map->integrity.items[i].kind == kind)
            return &map->integrity.items[i];
    return NULL;
}

static const pmm_unchecked *find_unchecked(const pmm_map *map, const char *reason_part)
{
    for (size_t i = 0; i < map->integrity.unchecked_count; i++)
        if (strstr(pmm_map_text(map, map->integrity.unchecked[i].reason), reason_part))
            return &map->integrity.unchecked[i];
    return NULL;
}

static void print_findings(const pmm_map *map)
{
    pmm_out out = pmm_out_file(stdout);
    pmm_integrity_write_text(map, &out);
}

/* ---- cases -------------------------------------------------------------------------------------- */

/* Relocated and unchanged: nothing but the private stub allocation is found, and the imports that
 * name modules this fake process does not have are listed as not checked, not as clean. */
static void clean_image(const char *dll)
{
    process p;
    if (!make_process(&p, dll, dll))
        return;
    CHECK(p.base != p.pe.image_base);
    pmm_map *map = scan(&p);
    if (!map)
        return;
    CHECK_EQ_U64(map->integrity.count, 1);
    const pmm_finding *f = find_kind(map, PMM_FINDING_PRIVATE_CODE);
    CHECK(f && f->address == stub_address(&p) && f->size == 0x1000);
    CHECK_EQ_U64(map->integrity.image_count, 1);
    CHECK(map->integrity.summary.bytes_compared > 0x8000);
    CHECK(find_unchecked(map, "kernel32.dll is not loaded") != NULL);
    CHECK(find_unchecked(map, "loader list could not be read") != NULL);
    if (map->integrity.count != 1)
        print_findings(map);
    pmm_map_free(map);
    free_process(&p);
}

TEST_CASE(clean_relocated_x64) { clean_image(WINE_X64); }
TEST_CASE(clean_relocated_x86) { clean_image(WINE_X86); }

/* jmp rel32 at an export, to the stub; a byte of read-only data; an EAT entry; a header field. */
static void changes(const char *dll)
{
    process p;
    if (!make_process(&p, dll, dll))
        return;
    uint32_t fn = first_export(p.image, &p.pe);
    uint64_t at = p.base + fn, to = stub_address(&p) + 0x40;
    uint8_t jmp[5] = {0xE9};
    uint32_t rel = (uint32_t)(to - (at + 5));
    memcpy(jmp + 1, &rel, 4);
    memcpy(p.image + fn, jmp, 5);
    uint32_t eat = u32(p.image + p.pe.export_rva + 28);
    uint32_t old_rva = u32(p.image + eat + 4);
    p.image[eat + 4] ^= 0x10;                                     /* the second export's RVA */
    p.image[p.pe.optional + 44] ^= 0x01;                          /* MajorImageVersion */
    uint32_t rdata = p.pe.export_rva + 4;                         /* the export directory's TimeDateStamp */
    p.image[rdata] ^= 0xFF;
    pmm_map *map = scan(&p);
    if (!map)
        return;
    const pmm_finding *hook = find_kind(map, PMM_FINDING_INLINE_HOOK);
    CHECK(hook && hook->address == at && hook->size == 5 && hook->destination == to);
    if (hook)
        CHECK(strstr(pmm_map_text(map, hook->destination_text), "Private Data") != NULL);
    const pmm_finding *e = find_kind(map, PMM_FINDING_EAT);
    CHECK(e && e->address == p.base + eat + 4 && e->destination == p.base + (old_rva ^ 0x10));
    const pmm_finding *h = find_kind(map, PMM_FINDING_HEADER);
    CHECK(h && h->address == p.base + p.pe.optional + 44 && h->size == 1);
    if (h)
        CHECK(strstr(pmm_map_text(map, h->detail), "MajorImageVersion") != NULL);
    const pmm_finding *patch = find_kind(map, PMM_FINDING_PATCH);
    CHECK(patch && patch->address == p.base + rdata && patch->size == 1);
    CHECK_EQ_U64(map->integrity.count, 5);  /* the four and the stubs' private code */
    if (map->integrity.count != 5)
        print_findings(map);
    pmm_map_free(map);
    free_process(&p);
}

TEST_CASE(changes_x64) { changes(WINE_X64); }
TEST_CASE(changes_x86) { changes(WINE_X86); }

/* Most of the code section replaced: one finding for the section, not one per run. */
TEST_CASE(hollowed_code_section)
{
    process p;
    if (!make_process(&p, WINE_X64, WINE_X64))
        return;
    const uint8_t *text = p.file.data + p.pe.sections;
    uint32_t va = u32(text + 12), vs = u32(text + 8);
    uint32_t seed = 12345;
    for (uint32_t i = 0; i < vs; i++) {
        p.image[va + i] = (uint8_t)test_random(&seed);
    }
    pmm_map *map = scan(&p);
    if (!map)
        return;
    CHECK_EQ_U64(count_kind(map, PMM_FINDING_IMAGE_REPLACED), 1);
    CHECK_EQ_U64(count_kind(map, PMM_FINDING_INLINE_HOOK) + count_kind(map, PMM_FINDING_PATCH), 0);
    const pmm_finding *f = find_kind(map, PMM_FINDING_IMAGE_REPLACED);
    CHECK(f && f->address == p.base + va);
    pmm_map_free(map);
    free_process(&p);
}

/* The file named by the mapping: gone, not a PE, cut short, or with a relocation past the image. */
static const pmm_map *hostile(process *p, const char *path, const void *bytes, size_t size, pmm_map **out)
{
    if (bytes)
        CHECK(write_file(path, bytes, size));
    else
        remove(path);
    *out = scan(p);
    remove(path);
    return *out;
}

TEST_CASE(hostile_files)
{
    process p;
    const char *path = "test_integrity_hostile.dll";
    if (!make_process(&p, WINE_X64, path))
        return;
    pmm_map *map;
    if (hostile(&p, path, NULL, 0, &map)) {
        CHECK(find_kind(map, PMM_FINDING_FILE_MISSING) != NULL);
        CHECK(find_unchecked(map, "is not there") != NULL);
        CHECK_EQ_U64(pmm_findings_image_count(&map->integrity, PMM_IMAGE_NOT_CHECKED), 1);
        pmm_map_free(map);
    }
    if (hostile(&p, path, "not a PE image\n", 15, &map)) {
        CHECK(find_kind(map, PMM_FINDING_FILE_MISMATCH) != NULL);
        CHECK(find_unchecked(map, "not a PE image") != NULL);
        pmm_map_free(map);
    }
    if (hostile(&p, path, p.file.data, p.file.size / 2, &map)) {
        CHECK(find_unchecked(map, "runs past the end of the file") != NULL);
        CHECK_EQ_U64(map->integrity.count, 1);   /* the stubs only: nothing is said about the image */
        pmm_map_free(map);
    }
    uint8_t *bad = malloc(p.file.size);
    memcpy(bad, p.file.data, p.file.size);
    /* The first relocation block's page moved past SizeOfImage. */
    for (uint32_t i = 0; i < p.pe.section_count; i++) {
        const uint8_t *s = p.file.data + p.pe.sections + 40 * i;
        uint32_t va = u32(s + 12), off = u32(s + 20);
        if (p.pe.reloc_rva >= va && p.pe.reloc_rva < va + u32(s + 16)) {
            uint32_t page_at = off + (p.pe.reloc_rva - va), beyond = p.pe.size_of_image;
            memcpy(bad + page_at, &beyond, 4);
        }
    }
    if (hostile(&p, path, bad, p.file.size, &map)) {
        CHECK(find_unchecked(map, "overflows the image") != NULL);
        CHECK_EQ_U64(pmm_findings_image_count(&map->integrity, PMM_IMAGE_NOT_CHECKED), 1);
        pmm_map_free(map);
    }
    free(bad);
    free_process(&p);
}

/* Pages that cannot be read are listed as not checked, with their exact range. */
TEST_CASE(unreadable_pages)
{
    process p;
    if (!make_process(&p, WINE_X64, WINE_X64))
        return;
    /* Split the image: a no-access page in the middle of .text. */
    fake_region *image = &p.fake.regions[0];
    uint64_t hole = p.base + 0x2000;
    fake_source split = {0};
    uint8_t *a = fake_add(&split, p.base, 0x2000, p.base, PMM_MEM_COMMIT, PMM_MEM_IMAGE, PMM_PAGE_EXECUTE_READ,
                          PMM_PAGE_EXECUTE_WRITECOPY);
    memcpy(a, image->bytes, 0x2000);
    snprintf(split.regions[0].mapped_name, sizeof split.regions[0].mapped_name, "%s", WINE_X64);
    fake_add(&split, hole, 0x1000, p.base, PMM_MEM_COMMIT, PMM_MEM_IMAGE, PMM_PAGE_NOACCESS,
             PMM_PAGE_EXECUTE_WRITECOPY);
    uint64_t rest = image->info.size - 0x3000;
    uint8_t *b = fake_add(&split, hole + 0x1000, rest, p.base, PMM_MEM_COMMIT, PMM_MEM_IMAGE, PMM_PAGE_EXECUTE_READ,
                          PMM_PAGE_EXECUTE_WRITECOPY);
    memcpy(b, image->bytes + 0x3000, (size_t)rest);
    pmm_source src;
    pmm_map *map = NULL;
    fake_source_open(&split, &src, 8);
    CHECK(pmm_scan_source(&src, NULL, &map) == PMM_OK);
    if (map) {
        CHECK(pmm_integrity_scan(&src, map, NULL, NULL) == PMM_OK);
        const pmm_unchecked *u = find_unchecked(map, "memory could not be read");
        CHECK(u && u->address == hole && u->size == 0x1000);
        CHECK_EQ_U64(pmm_findings_image_count(&map->integrity, PMM_IMAGE_PARTLY), 1);
        CHECK_EQ_U64(map->integrity.count, 0);
        pmm_map_free(map);
    }
    fake_free(&split);
    free_process(&p);
}

/* Findings survive a saved map unchanged, a damaged finding record is refused with its reason, and
 * a diff of a clean and a hooked map lists exactly the findings that appeared. */
TEST_CASE(saved_maps_and_diff)
{
    process p;
    if (!make_process(&p, WINE_X64, WINE_X64))
        return;
    pmm_map *clean = scan(&p);
    p.image[first_export(p.image, &p.pe)] = 0xE9;
    pmm_map *hooked = scan(&p);
    if (!clean || !hooked)
        return;
    uint8_t *data = NULL;
    size_t size = 0;
    CHECK(pmm_saved_map_encode(hooked, NULL, &data, &size) == PMM_OK);
    pmm_map *loaded = NULL;
    char message[256];
    CHECK(pmm_saved_map_decode(data, size, &loaded, NULL, message, sizeof message) == PMM_OK);
    if (loaded) {
        const pmm_findings *a = &hooked->integrity, *b = &loaded->integrity;
        CHECK_EQ_U64(b->count, a->count);
        CHECK_EQ_U64(b->unchecked_count, a->unchecked_count);
        CHECK_EQ_U64(b->image_count, a->image_count);
        CHECK(b->summary.flags & PMM_INTEGRITY_SCANNED);
        for (size_t i = 0; i < a->count && i < b->count; i++) {
            CHECK(a->items[i].kind == b->items[i].kind && a->items[i].address == b->items[i].address);
            CHECK_STR(pmm_map_text(loaded, b->items[i].detail), pmm_map_text(hooked, a->items[i].detail));
            CHECK_STR(pmm_map_text(loaded, b->items[i].memory_bytes), pmm_map_text(hooked, a->items[i].memory_bytes));
        }
        for (size_t i = 0; i < a->unchecked_count && i < b->unchecked_count; i++)
            CHECK_STR(pmm_map_text(loaded, b->unchecked[i].reason), pmm_map_text(hooked, a->unchecked[i].reason));
        pmm_map_free(loaded);
    }
    /* The first finding's kind byte made unknown, the checksum made right again. */
    static const uint8_t kind_offset_in_record = 24;
    for (size_t at = 32; data && at + 16 <= size - 8;) {
        uint32_t id = u32(data + at), length = u32(data + at + 8);
        if (id == 17) {   /* findings */
            data[at + 16 + kind_offset_in_record] = 0x7F;
            uint64_t sum = pmm_checksum64(data, size - 8);
            for (int b = 0; b < 8; b++)
                data[size - 8 + b] = (uint8_t)(sum >> (8 * b));
            CHECK(pmm_saved_map_decode(data, size, &loaded, NULL, message, sizeof message) == PMM_ERR_FORMAT);
            CHECK(strstr(message, "finding 0 has an unknown kind") != NULL);
            break;
        }
        at += 16 + length;
    }
    free(data);
    pmm_map_diff diff;
    CHECK(pmm_map_diff_compute(clean, NULL, hooked, NULL, &diff) == PMM_OK);
    CHECK(diff.findings_compared);
    CHECK_EQ_U64(diff.counts[PMM_DIFF_FINDING_APPEARED], 1);
    CHECK_EQ_U64(diff.counts[PMM_DIFF_FINDING_GONE], 0);
    pmm_map_diff_free(&diff);
    pmm_map_free(clean);
    pmm_map_free(hooked);
    free_process(&p);
}

/* Pages a range's findings touch: overlapping and adjacent findings counted once, a finding running
 * past the range cut at its end, one starting before the range not counted, order irrelevant. */
TEST_CASE(findings_pages_in_a_range)
{
    pmm_findings f;
    memset(&f, 0, sizeof f);
    pmm_finding items[] = {
        {.address = 0x13000, .size = 0x2000},    /* pages 0x13, 0x14 */
        {.address = 0x10ffe, .size = 4},         /* pages 0x10, 0x11 */
        {.address = 0x11000, .size = 1},         /* page 0x11 again */
        {.address = 0x14800, .size = 0},         /* page 0x14 again (a size of 0 still touches its byte) */
        {.address = 0x1f000, .size = 0x5000},    /* page 0x1f, the rest past the range */
        {.address = 0x0f000, .size = 0x3000},    /* starts before the range: not the range's */
    };
    f.items = items;
    f.count = sizeof items / sizeof items[0];
    CHECK_EQ_U64(pmm_findings_count_in(&f, 0x10000, 0x10000), 5);
    CHECK_EQ_U64(pmm_findings_pages_in(&f, 0x10000, 0x10000), 5);
    CHECK_EQ_U64(pmm_findings_pages_in(&f, 0x13000, 0x1000), 1);   /* 0x13000's first page only */
    CHECK_EQ_U64(pmm_findings_pages_in(&f, 0x20000, 0x10000), 0);
    CHECK_EQ_U64(pmm_findings_pages_in(&f, 0x10000, 0), 0);
}

/* ---- API set schema ------------------------------------------------------------------------------ */

#define WINE_APISET "/usr/lib/x86_64-linux-gnu/wine/x86_64-windows/apisetschema.dll"

/* The schema Wine's loader uses, from the .apiset section of its apisetschema.dll (what PEB.ApiSetMap
 * points at): contracts resolve by the name up to its last hyphen, in any case, with or without
 * ".dll"; names that are not contracts or not listed resolve to nothing. */
TEST_CASE(apiset_schema)
{
    file_bytes f;
    if (!read_file(WINE_APISET, &f)) {
        check_skip("%s is absent (install Wine)", WINE_APISET);
        return;
    }
    pmm_source src;
    pe_image img;
    pmm_apiset set = {0};
    CHECK(pmm_buffer_source_open(f.data, f.size, 0, &src) == PMM_OK);
    CHECK(pe_open(&src, 0, PE_LAYOUT_FILE, &img) == PMM_OK);
    for (size_t i = 0; i < img.section_count; i++) {
        if (strcmp(img.sections[i].name, ".apiset") != 0)
            continue;
        uint32_t size = img.sections[i].virtual_size;
        uint8_t *bytes = malloc(size);
        CHECK(pe_read_rva(&img, img.sections[i].virtual_address, bytes, size) == PMM_OK);
        CHECK(pmm_apiset_from_bytes(bytes, size, &set) == PMM_OK);
        free(bytes);
    }
    pe_close(&img);
    pmm_source_close(&src);
    CHECK(set.count > 400);
    static const struct { const char *name, *host; } cases[] = {
        {"api-ms-win-core-synch-l1-2-0.dll", "kernelbase.dll"},   /* listed as ...-l1-2-1: the version is not hashed */
        {"API-MS-WIN-BASE-UTIL-L1-1-0", "advapi32.dll"},
        {"api-ms-win-appmodel-runtime-l1-1-2.dll", "kernelbase.dll"},
        {"api-ms-win-core-synch-ansi-l1-1-0.dll", "kernel32.dll"},
        {"ext-ms-win-wlan-scard-l1-1-0.dll", "winscard.dll"},
    };
    char host[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CHECK(pmm_apiset_resolve(&set, cases[i].name, strlen(cases[i].name), "test.dll", host, sizeof host) == PMM_OK);
        CHECK_STR(host, cases[i].host);
    }
    static const char *const unknown[] = {"api-ms-win-no-such-contract-l1-1-0.dll", "kernel32.dll", "api-", "ext-x"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        CHECK(pmm_apiset_resolve(&set, unknown[i], strlen(unknown[i]), NULL, host, sizeof host) == PMM_ERR_NOT_FOUND);
    /* Damaged: a count past the schema's size, a version Windows 8 used, a schema cut short. */
    uint8_t bad[64] = {6};
    bad[12] = 0xFF, bad[13] = 0xFF, bad[16] = 28;
    pmm_apiset damaged;
    CHECK(pmm_apiset_from_bytes(bad, sizeof bad, &damaged) == PMM_ERR_FORMAT);
    bad[0] = 4;
    CHECK(pmm_apiset_from_bytes(bad, sizeof bad, &damaged) == PMM_ERR_UNSUPPORTED);
    CHECK(pmm_apiset_from_bytes(bad, 8, &damaged) == PMM_ERR_FORMAT);
    pmm_apiset_free(&set);
    free(f.data);
}

/* ---- hook shapes --------------------------------------------------------------------------------- */

static void expect_shape(const uint8_t *code, size_t n, uint64_t at, uint32_t ps, uint32_t kind, uint32_t length,
                         uint64_t target, int indirect)
{
    pmm_hook_shape s;
    CHECK(pmm_hook_shape_match(code, n, at, ps, &s));
    CHECK_EQ_U64(s.kind, kind);
    CHECK_EQ_U64(s.length, length);
    CHECK_EQ_U64(s.target, target);
    CHECK_EQ_U64(s.indirect, indirect);
}

TEST_CASE(hook_shapes)
{
    static const uint8_t jmp[] = {0xE9, 0xFB, 0x0F, 0x00, 0x00};
    expect_shape(jmp, 5, 0x1000, 8, PMM_HOOK_JMP_REL32, 5, 0x2000, 0);
    static const uint8_t jmp_back[] = {0xE9, 0x00, 0xF0, 0xFF, 0xFF};
    expect_shape(jmp_back, 5, 0x10000, 4, PMM_HOOK_JMP_REL32, 5, 0xF005, 0);
    static const uint8_t call[] = {0xE8, 0x00, 0x00, 0x00, 0x00};
    expect_shape(call, 5, 0x1000, 8, PMM_HOOK_CALL_REL32, 5, 0x1005, 0);
    static const uint8_t short_jmp[] = {0xEB, 0xF9};
    expect_shape(short_jmp, 2, 0x1007, 8, PMM_HOOK_JMP_REL8, 2, 0x1002, 0);
    static const uint8_t rip[] = {0xFF, 0x25, 0, 0, 0, 0, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11};
    expect_shape(rip, 14, 0x1000, 8, PMM_HOOK_JMP_MEM, 14, 0x1006, 1);
    static const uint8_t abs32[] = {0xFF, 0x25, 0x78, 0x56, 0x34, 0x12};
    expect_shape(abs32, 6, 0x1000, 4, PMM_HOOK_JMP_MEM, 6, 0x12345678, 1);
    static const uint8_t mov_jmp[] = {0x48, 0xB8, 1, 2, 3, 4, 5, 6, 7, 8, 0xFF, 0xE0};
    expect_shape(mov_jmp, 12, 0x1000, 8, PMM_HOOK_MOV_JMP, 12, 0x0807060504030201ull, 0);
    static const uint8_t r11[] = {0x49, 0xBB, 1, 2, 3, 4, 5, 6, 7, 8, 0x41, 0xFF, 0xE3};
    expect_shape(r11, 13, 0x1000, 8, PMM_HOOK_MOV_JMP, 13, 0x0807060504030201ull, 0);
    static const uint8_t push_ret64[] = {0x48, 0xB8, 1, 2, 3, 4, 5, 6, 7, 8, 0x50, 0xC3};
    expect_shape(push_ret64, 12, 0x1000, 8, PMM_HOOK_MOV_PUSH_RET, 12, 0x0807060504030201ull, 0);
    static const uint8_t mov_jmp32[] = {0xB8, 0x78, 0x56, 0x34, 0x12, 0xFF, 0xE0};
    expect_shape(mov_jmp32, 7, 0x1000, 4, PMM_HOOK_MOV_JMP, 7, 0x12345678, 0);
    static const uint8_t push_ret[] = {0x68, 0x78, 0x56, 0x34, 0x12, 0xC3};
    expect_shape(push_ret, 6, 0x1000, 4, PMM_HOOK_PUSH_RET, 6, 0x12345678, 0);
    static const uint8_t push_mov_ret[] = {0x68, 0x78, 0x56, 0x34, 0x12, 0xC7, 0x44, 0x24, 0x04, 0xFF, 0x7F, 0, 0,
                                           0xC3};
    expect_shape(push_mov_ret, 14, 0x1000, 8, PMM_HOOK_PUSH_RET, 14, 0x00007FFF12345678ull, 0);
    /* Not hooks: an ordinary prologue, a jmp cut short, mov eax without a jump, jmp reg of another register. */
    static const uint8_t prologue[] = {0x55, 0x48, 0x89, 0xE5};
    static const uint8_t cut[] = {0xE9, 0x00, 0x00};
    static const uint8_t mov_only[] = {0xB8, 1, 0, 0, 0, 0x90, 0x90};
    static const uint8_t wrong_reg[] = {0xB8, 1, 0, 0, 0, 0xFF, 0xE1};
    pmm_hook_shape s;
    CHECK(!pmm_hook_shape_match(prologue, 4, 0x1000, 8, &s));
    CHECK(!pmm_hook_shape_match(cut, 3, 0x1000, 8, &s));
    CHECK(!pmm_hook_shape_match(mov_only, 7, 0x1000, 4, &s));
    CHECK(!pmm_hook_shape_match(wrong_reg, 7, 0x1000, 4, &s));
}

CHECK_MAIN(CASE(clean_relocated_x64), CASE(clean_relocated_x86), CASE(changes_x64), CASE(changes_x86),
           CASE(hollowed_code_section), CASE(hostile_files), CASE(unreadable_pages), CASE(saved_maps_and_diff), CASE(apiset_schema),
           CASE(findings_pages_in_a_range),
           CASE(hook_shapes))
