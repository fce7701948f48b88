/* PE headers: DOS header, NT signature, COFF file header, optional header (PE32 and PE32+),
 * the 16 data directories and the section table. */
#include "pe_internal.h"

#include <stdlib.h>
#include <string.h>
#include "../util/array.h"

#define DOS_HEADER_SIZE 0x40u
#define FILE_HEADER_SIZE 20u
#define OPTIONAL_HEADER_MAX (112u + 8u * PE_DIR_COUNT)  /* PE32+ with all directories */
#define SECTION_HEADER_SIZE 40u
#define COFF_SYMBOL_SIZE 18u

/* Reads len bytes, zero-filling what lies past the readable end: the loader maps whole pages, so
 * a header cut short by the end of a tiny file reads as zeros. Fails when fewer than need bytes
 * are there. */
static pmm_status read_padded(pe_image *img, uint64_t addr, uint8_t *buf, size_t len, size_t need)
{
    memset(buf, 0, len);
    size_t got = pe_read_source_some(img, addr, buf, len);
    return got >= need ? PMM_OK : PMM_ERR_READ;
}

static pmm_status read_dos_header(pe_image *img)
{
    uint8_t dos[DOS_HEADER_SIZE];
    pmm_status st = read_padded(img, img->base, dos, sizeof dos, 2);
    if (st != PMM_OK)
        return st;
    /* Windows XP also accepted the byte-swapped "ZM". */
    if (!(dos[0] == 'M' && dos[1] == 'Z') && !(dos[0] == 'Z' && dos[1] == 'M'))
        return PMM_ERR_FORMAT;
    img->e_lfanew = pmm_le32(dos + 0x3c);
    /* e_lfanew is a LONG: a negative or huge value points nowhere we can follow. */
    if (img->e_lfanew >= PE_MAX_HEADER_OFFSET)
        return PMM_ERR_FORMAT;
    return PMM_OK;
}

static pmm_status read_file_header(pe_image *img)
{
    uint8_t b[4 + FILE_HEADER_SIZE];
    pmm_status st = read_padded(img, img->base + img->e_lfanew, b, sizeof b, 4);
    if (st != PMM_OK)
        return st == PMM_ERR_READ ? PMM_ERR_FORMAT : st;
    if (memcmp(b, "PE\0\0", 4) != 0)
        return PMM_ERR_FORMAT;
    const uint8_t *f = b + 4;
    img->machine = pmm_le16(f + 0);
    img->declared_section_count = pmm_le16(f + 2);
    img->timestamp = pmm_le32(f + 4);
    img->symbol_table_offset = pmm_le32(f + 8);
    img->symbol_count = pmm_le32(f + 12);
    img->optional_header_size = pmm_le16(f + 16);
    img->characteristics = pmm_le16(f + 18);
    return PMM_OK;
}

/* Fields both optional header formats share at the same offsets. */
static void decode_common_optional(pe_image *img, const uint8_t *o)
{
    img->linker_major = o[2];
    img->linker_minor = o[3];
    img->size_of_code = pmm_le32(o + 4);
    img->size_of_initialized_data = pmm_le32(o + 8);
    img->size_of_uninitialized_data = pmm_le32(o + 12);
    img->entry_point = pmm_le32(o + 16);
    img->base_of_code = pmm_le32(o + 20);
    img->section_alignment = pmm_le32(o + 32);
    img->file_alignment = pmm_le32(o + 36);
    img->os_major = pmm_le16(o + 40);
    img->os_minor = pmm_le16(o + 42);
    img->image_major = pmm_le16(o + 44);
    img->image_minor = pmm_le16(o + 46);
    img->subsystem_major = pmm_le16(o + 48);
    img->subsystem_minor = pmm_le16(o + 50);
    img->win32_version = pmm_le32(o + 52);
    img->size_of_image = pmm_le32(o + 56);
    img->size_of_headers = pmm_le32(o + 60);
    img->checksum = pmm_le32(o + 64);
    img->subsystem = pmm_le16(o + 68);
    img->dll_characteristics = pmm_le16(o + 70);
}

static void decode_pe32(pe_image *img, const uint8_t *o)
{
    img->pointer_size = 4;
    img->base_of_data = pmm_le32(o + 24);
    img->image_base = pmm_le32(o + 28);
    img->stack_reserve = pmm_le32(o + 72);
    img->stack_commit = pmm_le32(o + 76);
    img->heap_reserve = pmm_le32(o + 80);
    img->heap_commit = pmm_le32(o + 84);
    img->loader_flags = pmm_le32(o + 88);
    img->rva_and_sizes_count = pmm_le32(o + 92);
}

static void decode_pe32_plus(pe_image *img, const uint8_t *o)
{
    img->pointer_size = 8;
    img->image_base = pmm_le64(o + 24);
    img->stack_reserve = pmm_le64(o + 72);
    img->stack_commit = pmm_le64(o + 80);
    img->heap_reserve = pmm_le64(o + 88);
    img->heap_commit = pmm_le64(o + 96);
    img->loader_flags = pmm_le32(o + 104);
    img->rva_and_sizes_count = pmm_le32(o + 108);
}

static pmm_status read_optional_header(pe_image *img)
{
    uint8_t o[OPTIONAL_HEADER_MAX];
    memset(o, 0, sizeof o);
    uint64_t at = img->base + img->e_lfanew + 4 + FILE_HEADER_SIZE;
    /* The loader reads the whole optional header whatever SizeOfOptionalHeader says, and tiny
     * files end inside it (the rest of their page is zero), so missing bytes read as zero. */
    size_t got = pe_read_source_some(img, at, o, sizeof o);
    if (got < 2)
        return PMM_ERR_FORMAT;
    img->magic = pmm_le16(o);
    size_t dir_offset;
    if (img->magic == PE_MAGIC_PE32) {
        decode_common_optional(img, o);
        decode_pe32(img, o);
        dir_offset = 96;
    } else if (img->magic == PE_MAGIC_PE32_PLUS) {
        decode_common_optional(img, o);
        decode_pe32_plus(img, o);
        dir_offset = 112;
    } else {
        return PMM_ERR_FORMAT;
    }
    size_t full = dir_offset + 8u * PE_DIR_COUNT;
    if (got < full && got < dir_offset + 8u * (size_t)(img->rva_and_sizes_count < PE_DIR_COUNT
                                                          ? img->rva_and_sizes_count : PE_DIR_COUNT))
        img->anomalies |= PE_ANOMALY_HEADER_TRUNCATED;
    if (img->optional_header_size < dir_offset)
        img->anomalies |= PE_ANOMALY_OPTIONAL_SIZE;
    if (img->rva_and_sizes_count > PE_DIR_COUNT)
        img->anomalies |= PE_ANOMALY_DIRECTORY_COUNT;
    uint32_t dirs = img->rva_and_sizes_count < PE_DIR_COUNT ? img->rva_and_sizes_count : PE_DIR_COUNT;
    for (uint32_t i = 0; i < dirs; i++) {
        img->directories[i].rva = pmm_le32(o + dir_offset + 8 * i);
        img->directories[i].size = pmm_le32(o + dir_offset + 8 * i + 4);
    }
    if (img->section_alignment < PMM_PAGE_SIZE)
        img->anomalies |= PE_ANOMALY_LOW_ALIGNMENT;
    return PMM_OK;
}

/* A "/123" name refers to the COFF string table, which only exists in the file. */
static void resolve_long_name(pe_image *img, pe_section *s)
{
    if (img->layout != PE_LAYOUT_FILE || s->name[0] != '/' || !img->symbol_table_offset)
        return;
    uint64_t offset = 0;
    for (const char *p = s->name + 1; *p; p++) {
        if (*p < '0' || *p > '9')
            return;
        offset = offset * 10 + (uint64_t)(*p - '0');
    }
    uint64_t table = (uint64_t)img->symbol_table_offset + (uint64_t)img->symbol_count * COFF_SYMBOL_SIZE;
    char name[sizeof s->name];
    size_t got = pe_read_source_some(img, img->base + table + offset, name, sizeof name - 1);
    name[got] = '\0';
    if (memchr(name, '\0', got + 1) == name)
        return;
    for (char *p = name; *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
            *p = '?';
    memcpy(s->name, name, sizeof name);
}

static void decode_section(const uint8_t *h, pe_section *s)
{
    memset(s, 0, sizeof *s);
    for (int i = 0; i < 8 && h[i]; i++)
        s->name[i] = (h[i] < 0x20 || h[i] >= 0x7f) ? '?' : (char)h[i];
    s->virtual_size = pmm_le32(h + 8);
    s->virtual_address = pmm_le32(h + 12);
    s->raw_size = pmm_le32(h + 16);
    s->raw_offset = pmm_le32(h + 20);
    s->relocations_offset = pmm_le32(h + 24);
    s->linenumbers_offset = pmm_le32(h + 28);
    s->relocation_count = pmm_le16(h + 32);
    s->linenumber_count = pmm_le16(h + 34);
    s->characteristics = pmm_le32(h + 36);
}

static pmm_status read_sections(pe_image *img)
{
    size_t count = img->declared_section_count;
    size_t cap = 0;
    uint64_t at = img->base + img->e_lfanew + 4 + FILE_HEADER_SIZE + img->optional_header_size;
    /* One header at a time through the cache: a file may declare 65535 sections and hold a few,
     * so the array grows with what is actually there. */
    for (size_t i = 0; i < count; i++) {
        uint8_t h[SECTION_HEADER_SIZE];
        if (pe_read_source(img, at + i * SECTION_HEADER_SIZE, h, sizeof h) != PMM_OK) {
            img->anomalies |= PE_ANOMALY_SECTIONS_TRUNCATED;
            break;
        }
        pmm_status st = pmm_array_reserve((void **)&img->sections, &cap, i + 1, sizeof *img->sections);
        if (st != PMM_OK)
            return st;
        decode_section(h, &img->sections[i]);
        resolve_long_name(img, &img->sections[i]);
        img->section_count = i + 1;
    }
    return PMM_OK;
}

/* A stable merge sort of section indexes by VirtualAddress. qsort has no context argument in C11,
 * and images are parsed on several threads, so no global may carry the table. */
static void sort_by_address(uint32_t *order, uint32_t *tmp, size_t n, const pe_section *sections)
{
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = sections[order[j]].virtual_address < sections[order[i]].virtual_address ? order[j++]
                                                                                                  : order[i++];
            while (i < mid)
                tmp[k++] = order[i++];
            while (j < hi)
                tmp[k++] = order[j++];
        }
        memcpy(order, tmp, n * sizeof *order);
    }
}

/* Without the index (out of memory) lookups fall back to a linear scan. */
static void index_sections(pe_image *img)
{
    size_t n = img->section_count;
    if (n < 2)
        return;
    uint32_t *order = malloc(n * sizeof *order);
    uint32_t *tmp = malloc(n * sizeof *tmp);
    if (order && tmp) {
        for (size_t i = 0; i < n; i++)
            order[i] = (uint32_t)i;
        sort_by_address(order, tmp, n, img->sections);
        img->sections_by_address = order;
        order = NULL;
    }
    free(order);
    free(tmp);
}

/* Headers are mapped up to SizeOfHeaders (page-rounded), but never over the first section. */
static uint32_t compute_header_end(const pe_image *img)
{
    uint32_t end = pe_align_up32(img->size_of_headers, img->section_alignment);
    for (size_t i = 0; i < img->section_count; i++)
        if (img->sections[i].virtual_address && img->sections[i].virtual_address < end)
            end = img->sections[i].virtual_address;
    return end;
}

pmm_status pe_open(pmm_source *src, uint64_t base, pe_layout layout, pe_image *out)
{
    memset(out, 0, sizeof *out);
    if (!src || (layout != PE_LAYOUT_FILE && layout != PE_LAYOUT_IMAGE))
        return PMM_ERR_ARG;
    out->src = src;
    out->base = base;
    out->layout = layout;
    pmm_status st = read_dos_header(out);
    if (st == PMM_OK)
        st = read_file_header(out);
    if (st == PMM_OK)
        st = read_optional_header(out);
    if (st == PMM_OK)
        st = read_sections(out);
    if (st != PMM_OK) {
        pe_close(out);
        return st;
    }
    index_sections(out);
    out->header_end = compute_header_end(out);
    out->va_base = layout == PE_LAYOUT_IMAGE ? base : out->image_base;
    return PMM_OK;
}

void pe_close(pe_image *img)
{
    if (!img)
        return;
    free(img->sections);
    free(img->sections_by_address);
    free(img->cache_bytes);
    img->sections = NULL;
    img->sections_by_address = NULL;
    img->cache_bytes = NULL;
    img->section_count = 0;
}

const char *pe_directory_name(unsigned index)
{
    static const char *const names[PE_DIR_COUNT] = {
        "Export Directory", "Import Directory", "Resource Directory", "Exception Directory",
        "Security Directory", "Base Relocation Directory", "Debug Directory",
        "Architecture Directory", "Global Pointer", "TLS Directory", "Load Configuration Directory",
        "Bound Import Directory", "IAT", "Delay Import Directory", "CLR Runtime Header", "Reserved",
    };
    return index < PE_DIR_COUNT ? names[index] : "Unknown Directory";
}

const char *pe_machine_name(uint16_t machine)
{
    switch (machine) {
    case PE_MACHINE_I386: return "x86";
    case PE_MACHINE_AMD64: return "x64";
    case PE_MACHINE_ARM: return "ARM";
    case PE_MACHINE_ARMNT: return "ARM Thumb-2";
    case PE_MACHINE_ARM64: return "ARM64";
    case 0x200: return "IA64";
    case 0: return "unknown";
    }
    return "unknown";
}

const char *pe_subsystem_name(uint16_t subsystem)
{
    switch (subsystem) {
    case 1: return "native";
    case 2: return "windows";
    case 3: return "console";
    case 5: return "os2 console";
    case 7: return "posix console";
    case 8: return "native windows";
    case 9: return "windows ce";
    case 10: return "efi application";
    case 11: return "efi boot service driver";
    case 12: return "efi runtime driver";
    case 13: return "efi rom";
    case 14: return "xbox";
    case 16: return "windows boot application";
    }
    return "unknown";
}
