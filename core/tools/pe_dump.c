/* PE image dumps in virtual layout (see pe_dump.h). The image is copied into memory first: the
 * headers are fixed up there, and the file is only written once the whole image was read. */
#include "pe_dump.h"

#include <stdio.h>
#include <string.h>
#include "../formats/pe.h"
#include "../util/endian.h"

#define SECTION_HEADER_SIZE 40u
#define COFF_HEADER_SIZE 20u

typedef struct header_offsets {
    uint64_t coff, optional, directories, sections;
} header_offsets;

static pmm_status patch32(pmm_sink *image, uint64_t offset, uint32_t value)
{
    uint8_t b[4];
    pmm_put32(b, value);
    return pmm_sink_patch(image, offset, b, sizeof b);
}

/* "/4"-style names point into the COFF string table, which is never mapped (and whose pointer is
 * cleared), and PE tools refuse a file whose names lead nowhere: such a section is renamed
 * ".long" + its index (".long11"). */
static pmm_status fix_long_name(pmm_sink *image, uint64_t header, const pe_section *s, size_t index)
{
    if (s->name[0] != '/')
        return PMM_OK;
    char text[16];
    uint8_t name[8] = {0};
    snprintf(text, sizeof text, ".long%u", (unsigned)(index % 1000));
    memcpy(name, text, strlen(text) < sizeof name ? strlen(text) : sizeof name);
    return pmm_sink_patch(image, header, name, sizeof name);
}

static pmm_status fix_sections(pe_image *img, pmm_sink *image, const header_offsets *h)
{
    pmm_status st = PMM_OK;
    uint32_t size = img->size_of_image;
    for (size_t i = 0; i < img->section_count && st == PMM_OK; i++) {
        const pe_section *s = &img->sections[i];
        uint64_t at = h->sections + (uint64_t)i * SECTION_HEADER_SIZE;
        uint32_t raw = s->virtual_address < size ? pe_section_mapped_size(img, s) : 0;
        if (raw > size - s->virtual_address)
            raw = size - s->virtual_address;
        uint8_t zeros[12] = {0};
        st = patch32(image, at + 16, raw);                       /* SizeOfRawData */
        if (st == PMM_OK)
            st = patch32(image, at + 20, raw ? s->virtual_address : 0);   /* PointerToRawData */
        if (st == PMM_OK)
            st = pmm_sink_patch(image, at + 24, zeros, sizeof zeros);   /* relocations, line numbers */
        if (st == PMM_OK)
            st = fix_long_name(image, at, s, i);
    }
    return st;
}

static pmm_status fix_headers(pe_image *img, pmm_sink *image, uint64_t base)
{
    header_offsets h;
    h.coff = (uint64_t)img->e_lfanew + 4;
    h.optional = h.coff + COFF_HEADER_SIZE;
    h.directories = h.optional + (img->pointer_size == 8 ? 112 : 96);
    h.sections = h.optional + img->optional_header_size;
    if (h.sections + (uint64_t)img->section_count * SECTION_HEADER_SIZE > image->size ||
        h.directories + 8 * PE_DIR_COUNT > image->size)
        return PMM_ERR_FORMAT;
    uint8_t zeros[8] = {0};
    pmm_status st = pmm_sink_patch(image, h.coff + 8, zeros, 8);        /* COFF symbol table, count */
    if (st == PMM_OK)
        st = patch32(image, h.optional + 64, 0);                          /* CheckSum */
    if (st == PMM_OK && img->pointer_size == 8) {
        uint8_t b[8];
        pmm_put64(b, base);
        st = pmm_sink_patch(image, h.optional + 24, b, sizeof b);        /* ImageBase */
    } else if (st == PMM_OK) {
        st = patch32(image, h.optional + 28, (uint32_t)base);
    }
    if (st == PMM_OK)
        st = pmm_sink_patch(image, h.directories + 8 * PE_DIR_SECURITY, zeros, 8);
    return st == PMM_OK ? fix_sections(img, image, &h) : st;
}

static pmm_status copy_image(pmm_source *src, uint64_t base, uint32_t size, int page_reads, pmm_sink *image,
                             pmm_dump_ranges *unreadable)
{
    pmm_dump_copier copier;
    pmm_status st = pmm_dump_copier_init(&copier, src, page_reads);
    if (st == PMM_OK)
        st = pmm_dump_copy(&copier, base, size, image);
    *unreadable = copier.unreadable;
    memset(&copier.unreadable, 0, sizeof copier.unreadable);
    pmm_dump_copier_free(&copier);
    return st;
}

pmm_status pmm_pe_dump(pmm_source *src, uint64_t base, int page_reads, pmm_sink *sink, pmm_pe_dump_result *result,
                       char *message, size_t message_cap)
{
    memset(result, 0, sizeof *result);
    pe_image img;
    pmm_status st = pe_open(src, base, PE_LAYOUT_IMAGE, &img);
    if (st != PMM_OK) {
        snprintf(message, message_cap, "no readable PE image at 0x%llx: %s", (unsigned long long)base,
                 pmm_status_text(st));
        return st;
    }
    result->size_of_image = img.size_of_image;
    result->section_count = img.section_count;
    result->original_image_base = img.image_base;
    if (img.size_of_image == 0 || img.size_of_image > PMM_PE_DUMP_MAX_IMAGE) {
        snprintf(message, message_cap, "SizeOfImage 0x%x is not a size this dump handles", img.size_of_image);
        pe_close(&img);
        return PMM_ERR_LIMIT;
    }
    pmm_sink image;
    pmm_sink_open_memory(&image, 0);
    st = copy_image(src, base, img.size_of_image, page_reads, &image, &result->unreadable);
    if (st == PMM_OK && (st = fix_headers(&img, &image, base)) == PMM_ERR_FORMAT)
        snprintf(message, message_cap, "the section table at 0x%llx lies outside the image",
                 (unsigned long long)base);
    if (st == PMM_OK) {
        size_t size;
        const uint8_t *bytes = pmm_sink_memory_bytes(&image, &size);
        st = pmm_sink_write(sink, bytes, size);
    }
    pmm_sink_close(&image);
    pe_close(&img);
    return st;
}

void pmm_pe_dump_result_free(pmm_pe_dump_result *result)
{
    pmm_dump_ranges_free(&result->unreadable);
}
