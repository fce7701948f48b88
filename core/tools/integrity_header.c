/* The PE header in memory against the file's: each changed run becomes a finding naming the
 * fields it covers; a changed AddressOfEntryPoint is an entry-point finding. */
#include "integrity_internal.h"

#include <stdio.h>
#include <string.h>

typedef struct header_field {
    uint16_t offset, size;
    const char *name;
} header_field;

static const header_field coff_fields[] = {
    {0, 2, "Machine"}, {2, 2, "NumberOfSections"}, {4, 4, "TimeDateStamp"}, {8, 4, "PointerToSymbolTable"},
    {12, 4, "NumberOfSymbols"}, {16, 2, "SizeOfOptionalHeader"}, {18, 2, "Characteristics"},
};

/* The optional header fields both formats share at the same offsets, then each format's own. */
static const header_field optional_common[] = {
    {0, 2, "Magic"}, {2, 1, "MajorLinkerVersion"}, {3, 1, "MinorLinkerVersion"}, {4, 4, "SizeOfCode"},
    {8, 4, "SizeOfInitializedData"}, {12, 4, "SizeOfUninitializedData"}, {16, 4, "AddressOfEntryPoint"},
    {20, 4, "BaseOfCode"}, {32, 4, "SectionAlignment"}, {36, 4, "FileAlignment"},
    {40, 2, "MajorOperatingSystemVersion"}, {42, 2, "MinorOperatingSystemVersion"},
    {44, 2, "MajorImageVersion"}, {46, 2, "MinorImageVersion"}, {48, 2, "MajorSubsystemVersion"},
    {50, 2, "MinorSubsystemVersion"}, {52, 4, "Win32VersionValue"}, {56, 4, "SizeOfImage"},
    {60, 4, "SizeOfHeaders"}, {64, 4, "CheckSum"}, {68, 2, "Subsystem"}, {70, 2, "DllCharacteristics"},
};

static const header_field optional_pe32[] = {
    {24, 4, "BaseOfData"}, {28, 4, "ImageBase"}, {72, 4, "SizeOfStackReserve"}, {76, 4, "SizeOfStackCommit"},
    {80, 4, "SizeOfHeapReserve"}, {84, 4, "SizeOfHeapCommit"}, {88, 4, "LoaderFlags"},
    {92, 4, "NumberOfRvaAndSizes"},
};

static const header_field optional_pe32_plus[] = {
    {24, 8, "ImageBase"}, {72, 8, "SizeOfStackReserve"}, {80, 8, "SizeOfStackCommit"},
    {88, 8, "SizeOfHeapReserve"}, {96, 8, "SizeOfHeapCommit"}, {104, 4, "LoaderFlags"},
    {108, 4, "NumberOfRvaAndSizes"},
};

static const header_field section_fields[] = {
    {0, 8, "Name"}, {8, 4, "VirtualSize"}, {12, 4, "VirtualAddress"}, {16, 4, "SizeOfRawData"},
    {20, 4, "PointerToRawData"}, {24, 4, "PointerToRelocations"}, {28, 4, "PointerToLinenumbers"},
    {32, 2, "NumberOfRelocations"}, {34, 2, "NumberOfLinenumbers"}, {36, 4, "Characteristics"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *find_field(const header_field *fields, size_t count, uint32_t offset)
{
    for (size_t i = 0; i < count; i++)
        if (offset >= fields[i].offset && offset < (uint32_t)fields[i].offset + fields[i].size)
            return fields[i].name;
    return NULL;
}

static uint32_t optional_offset(const pe_image *f)
{
    return f->e_lfanew + 4 + 20;
}

static uint32_t directories_offset(const pe_image *f)
{
    return optional_offset(f) + (f->pointer_size == 8 ? 112 : 96);
}

static uint32_t section_table_offset(const pe_image *f)
{
    return optional_offset(f) + f->optional_header_size;
}

/* "optional header AddressOfEntryPoint", "section header .text VirtualSize", ... for the header
 * byte at offset, described by the file's own layout. */
static void field_name(const pe_image *f, uint32_t offset, char *buf, size_t cap)
{
    uint32_t nt = f->e_lfanew, opt = optional_offset(f), dirs = directories_offset(f);
    uint32_t sections = section_table_offset(f);
    const char *name;
    if (offset < 0x40)
        snprintf(buf, cap, offset >= 0x3c ? "DOS header e_lfanew" : "DOS header");
    else if (offset < nt)
        snprintf(buf, cap, "DOS stub");
    else if (offset < nt + 4)
        snprintf(buf, cap, "PE signature");
    else if (offset < opt)
        snprintf(buf, cap, "file header %s", find_field(coff_fields, COUNT(coff_fields), offset - nt - 4));
    else if (offset < dirs && (name = find_field(optional_common, COUNT(optional_common), offset - opt)))
        snprintf(buf, cap, "optional header %s", name);
    else if (offset < dirs && (name = f->pointer_size == 8
                                          ? find_field(optional_pe32_plus, COUNT(optional_pe32_plus), offset - opt)
                                          : find_field(optional_pe32, COUNT(optional_pe32), offset - opt)))
        snprintf(buf, cap, "optional header %s", name);
    else if (offset >= dirs && offset < dirs + 8 * PE_DIR_COUNT && offset < sections)
        snprintf(buf, cap, "data directory %s %s", pe_directory_name((offset - dirs) / 8),
                 (offset - dirs) % 8 < 4 ? "RVA" : "Size");
    else if (offset >= sections && (offset - sections) / 40 < f->section_count)
        snprintf(buf, cap, "section header %s %s", f->sections[(offset - sections) / 40].name,
                 find_field(section_fields, COUNT(section_fields), (offset - sections) % 40));
    else
        snprintf(buf, cap, "header bytes after the section table");
}

/* The fields a run covers, at most three named. */
static void run_fields(const pe_image *f, const integrity_run *run, char *buf, size_t cap)
{
    char one[128], last[128] = "";
    size_t used = 0, named = 0;
    buf[0] = '\0';
    for (uint32_t off = run->rva; off < run->rva + run->length && used < cap; off++) {
        field_name(f, off, one, sizeof one);
        if (strcmp(one, last) == 0)
            continue;
        snprintf(last, sizeof last, "%s", one);
        if (++named > 3) {
            used += (size_t)snprintf(buf + used, cap - used, ", ...");
            break;
        }
        used += (size_t)snprintf(buf + used, cap - used, "%s%s", named > 1 ? ", " : "", one);
    }
}

static int covers(const integrity_run *run, uint32_t offset, uint32_t size)
{
    return run->rva < offset + size && offset < run->rva + run->length;
}

static pmm_status report_run(integrity_ctx *ctx, integrity_image *img, const integrity_run *run)
{
    uint8_t file[INTEGRITY_SHOWN_BYTES], memory[INTEGRITY_SHOWN_BYTES];
    uint32_t n = run->length < INTEGRITY_SHOWN_BYTES ? run->length : INTEGRITY_SHOWN_BYTES;
    int have = integrity_expected_bytes(img, run->rva, file, n) == PMM_OK &&
               pmm_source_read_exact(ctx->src, img->base + run->rva, memory, n) == PMM_OK;
    char fields[400];
    run_fields(&img->file, run, fields, sizeof fields);
    integrity_finding_args a = {PMM_FINDING_HEADER, integrity_module_number(img), img->base + run->rva,
                                run->length, 0, have ? file : NULL, have ? memory : NULL, n, 1};
    uint32_t ep = optional_offset(&img->file) + 16;
    if (covers(run, ep, 4) && img->memory_open) {
        a.kind = PMM_FINDING_ENTRY_POINT;
        a.destination = img->base + img->memory.entry_point;
        return integrity_add_finding(ctx, &a, "the header's AddressOfEntryPoint changed from RVA 0x%x to 0x%x (%s)",
                                     img->file.entry_point, img->memory.entry_point, fields);
    }
    return integrity_add_finding(ctx, &a, "%u header byte(s) changed: %s", run->length, fields);
}

pmm_status integrity_compare_header(integrity_ctx *ctx, integrity_image *img)
{
    uint32_t length = img->file.size_of_headers;
    if (length > img->file.header_end)
        length = img->file.header_end;
    if (length > img->size)
        length = (uint32_t)img->size;
    /* The loader writes the base it chose into ImageBase when it relocates an image. */
    uint32_t image_base = optional_offset(&img->file) + (img->file.pointer_size == 8 ? 24 : 28);
    pmm_status st = PMM_OK;
    if (img->delta && img->memory_open && img->memory.image_base == img->base)
        st = integrity_exclude(img, image_base, img->file.pointer_size);
    img->run_count = 0;
    img->differing_bytes = 0;
    if (st == PMM_OK)
        st = integrity_compare_range(ctx, img, 0, length, "PE header");
    if (st == PMM_ERR_READ) {
        img->partial = 1;
        return integrity_add_unchecked(ctx, integrity_module_number(img), img->base, length, "PE header",
                                       "the file's header could not be read");
    }
    for (size_t i = 0; st == PMM_OK && i < img->run_count; i++)
        st = report_run(ctx, img, &img->runs[i]);
    return st;
}
