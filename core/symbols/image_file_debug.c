/* What only the image file holds: DWARF in its .debug_* sections (the long section names that
 * identify them are in the file's COFF string table, so memory alone cannot tell which is which)
 * and the COFF symbol table. Section bytes are read whole, each bounded by the file's size. */
#include "image_symbols_internal.h"

#include <stdlib.h>
#include <string.h>
#include "../formats/coff_symbols.h"
#include "../formats/dwarf.h"

/* The bytes of a section as stored in the file: its virtual size of them when that is smaller
 * (the rest of the raw data is alignment padding). */
static pmm_status read_section(image_views *v, const pe_section *sec, uint8_t **data, size_t *size)
{
    uint64_t len = sec->raw_size;
    if (sec->virtual_size && sec->virtual_size < len)
        len = sec->virtual_size;
    if (!len || sec->raw_offset >= v->file_size || len > v->file_size - sec->raw_offset)
        return PMM_ERR_FORMAT;
    *data = malloc((size_t)len);
    if (!*data)
        return PMM_ERR_NOMEM;
    if (pmm_source_read_exact(&v->file_src, sec->raw_offset, *data, (size_t)len) != PMM_OK) {
        free(*data);
        *data = NULL;
        return PMM_ERR_IO;
    }
    *size = (size_t)len;
    return PMM_OK;
}

static void free_sections(dwarf_input *in)
{
    dwarf_section *all[] = {&in->info, &in->abbrev, &in->line, &in->str, &in->line_str, &in->ranges,
                            &in->rnglists, &in->addr, &in->str_offsets};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        free((void *)all[i]->data);
}

pmm_status image_add_dwarf(pmm_image_symbols *s, image_views *v)
{
    if (!v->have_file)
        return PMM_OK;
    dwarf_input in;
    memset(&in, 0, sizeof in);
    in.image_base = v->file.image_base;
    in.image_size = v->file.size_of_image;
    pmm_status st = PMM_OK;
    for (size_t i = 0; i < v->file.section_count && st != PMM_ERR_NOMEM; i++) {
        dwarf_section *slot = dwarf_input_section(&in, v->file.sections[i].name);
        if (slot && !slot->data) {
            uint8_t *data = NULL;
            size_t size = 0;
            st = read_section(v, &v->file.sections[i], &data, &size);
            slot->data = data;
            slot->size = size;
        }
    }
    if (st != PMM_ERR_NOMEM && in.info.data) {
        dwarf_stats stats;
        st = dwarf_report(&in, &s->table.sink, &stats);
        if (st == PMM_OK) {
            if (stats.functions || stats.sequences)
                s->origins |= 1u << DBG_ORIGIN_DWARF;
            image_note(s, "DWARF: %u units, %u function ranges, %u line sequences.", stats.units, stats.functions,
                       stats.sequences);
            if (stats.units_damaged)
                image_note(s, "%u damaged units skipped (%s).", stats.units_damaged, stats.problem);
            else if (stats.problem[0])
                image_note(s, "Damage skipped: %s.", stats.problem);
        }
    }
    free_sections(&in);
    return st == PMM_ERR_NOMEM ? st : PMM_OK;
}

pmm_status image_add_coff(pmm_image_symbols *s, image_views *v)
{
    const pe_image *f = &v->file;
    if (!v->have_file || !f->symbol_table_offset || !f->symbol_count || f->symbol_table_offset >= v->file_size)
        return PMM_OK;
    size_t size = (size_t)(v->file_size - f->symbol_table_offset);
    uint8_t *data = malloc(size);
    if (!data)
        return PMM_ERR_NOMEM;
    if (pmm_source_read_exact(&v->file_src, f->symbol_table_offset, data, size) != PMM_OK) {
        free(data);
        return PMM_OK;
    }
    coff_table t;
    int truncated;
    pmm_status st = coff_table_open(data, size, f->symbol_count, &t, &truncated);
    coff_section_span *spans = malloc((f->section_count ? f->section_count : 1) * sizeof *spans);
    if (st == PMM_OK && !spans)
        st = PMM_ERR_NOMEM;
    if (st == PMM_OK) {
        for (size_t i = 0; i < f->section_count; i++) {
            const pe_section *sec = &f->sections[i];
            spans[i].rva = sec->virtual_address;
            spans[i].size = pe_section_mapped_size(f, sec);
            spans[i].is_code = (sec->characteristics & (PE_SCN_CNT_CODE | PE_SCN_MEM_EXECUTE)) != 0;
        }
        size_t before = s->table.scope_count;
        st = coff_report_symbols(&t, spans, f->section_count, &s->table.sink);
        if (s->table.scope_count > before)
            s->origins |= 1u << DBG_ORIGIN_COFF;
        if (truncated)
            image_note(s, "The COFF symbol table is cut short.");
    } else if (st == PMM_ERR_FORMAT) {
        image_note(s, "The COFF symbol table is damaged.");
        st = PMM_OK;
    }
    free(spans);
    free(data);
    return st;
}
