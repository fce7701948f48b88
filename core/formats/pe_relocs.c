/* Base relocations: blocks of 16-bit entries (type in the top 4 bits, page offset below). */
#include "pe_internal.h"

#include <stdlib.h>
#include <string.h>
#include "../util/array.h"

#define RELOC_BLOCK_HEADER 8u

typedef struct reloc_builder {
    pe_relocs *out;
    size_t block_cap, entry_cap;
} reloc_builder;

static pmm_status add_entries(pe_image *img, reloc_builder *b, pe_reloc_block *block, uint32_t entries_rva,
                              uint32_t count)
{
    pe_relocs *out = b->out;
    if (out->entry_count + count > PE_MAX_RELOC_ENTRIES) {
        out->truncated = 1;
        count = (uint32_t)(PE_MAX_RELOC_ENTRIES - out->entry_count);
    }
    block->first_entry = out->entry_count;
    if (count == 0)
        return PMM_OK;
    uint8_t *raw = malloc((size_t)count * 2);
    if (!raw)
        return PMM_ERR_NOMEM;
    pmm_status st = pe_read_rva(img, entries_rva, raw, (size_t)count * 2);
    if (st != PMM_OK) {
        free(raw);
        out->truncated = 1;
        return PMM_OK;
    }
    st = pmm_array_reserve((void **)&out->entries, &b->entry_cap, out->entry_count + count, sizeof *out->entries);
    if (st == PMM_OK) {
        for (uint32_t i = 0; i < count; i++) {
            uint16_t v = pmm_le16(raw + 2 * i);
            pe_reloc_entry *e = &out->entries[out->entry_count++];
            e->raw = v;
            e->type = (uint16_t)(v >> 12);
            e->rva = block->page_rva + (v & 0xFFFu);
        }
        block->entry_count = count;
    }
    free(raw);
    return st;
}

pmm_status pe_read_relocs(pe_image *img, pe_relocs *out)
{
    memset(out, 0, sizeof *out);
    const pe_data_directory *dir = &img->directories[PE_DIR_BASERELOC];
    if (dir->rva == 0 || dir->size == 0)
        return PMM_ERR_NOT_FOUND;
    if (!pe_range_ok(dir->rva, dir->size))
        return PMM_ERR_FORMAT;
    reloc_builder b = {out, 0, 0};
    uint32_t offset = 0;
    pmm_status st = PMM_OK;
    /* Each block advances by at least its 8-byte header, so the walk ends within the directory. */
    while (st == PMM_OK && dir->size - offset >= RELOC_BLOCK_HEADER) {
        uint8_t h[RELOC_BLOCK_HEADER];
        if (pe_read_rva(img, dir->rva + offset, h, sizeof h) != PMM_OK) {
            out->truncated = 1;
            break;
        }
        uint32_t page = pmm_le32(h), size = pmm_le32(h + 4);
        if (size < RELOC_BLOCK_HEADER || size > dir->size - offset) {
            /* The loader rejects this; show what came before it. */
            out->truncated = size != 0 || page != 0;
            break;
        }
        st = pmm_array_reserve((void **)&out->blocks, &b.block_cap, out->block_count + 1, sizeof *out->blocks);
        if (st != PMM_OK)
            break;
        pe_reloc_block *block = &out->blocks[out->block_count++];
        memset(block, 0, sizeof *block);
        block->page_rva = page;
        block->block_size = size;
        st = add_entries(img, &b, block, dir->rva + offset + RELOC_BLOCK_HEADER, (size - RELOC_BLOCK_HEADER) / 2);
        offset += size;
    }
    if (st != PMM_OK)
        pe_relocs_free(out);
    return st;
}

void pe_relocs_free(pe_relocs *rl)
{
    if (!rl)
        return;
    free(rl->blocks);
    free(rl->entries);
    memset(rl, 0, sizeof *rl);
}

const char *pe_reloc_type_name(uint16_t type)
{
    switch (type) {
    case 0: return "ABSOLUTE";
    case 1: return "HIGH";
    case 2: return "LOW";
    case 3: return "HIGHLOW";
    case 4: return "HIGHADJ";
    case 5: return "MACHINE_SPECIFIC_5";
    case 7: return "THUMB_MOV32";
    case 9: return "MACHINE_SPECIFIC_9";
    case 10: return "DIR64";
    }
    return "UNKNOWN";
}
