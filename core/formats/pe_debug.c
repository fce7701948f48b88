/* The debug directory, with CodeView records decoded: the PDB path, GUID and age a symbol server
 * needs to find the matching PDB. */
#include "pe_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEBUG_ENTRY_SIZE 28u
#define RSDS_HEADER 24u      /* "RSDS", GUID, age */
#define NB10_HEADER 16u      /* "NB10", offset, signature, age */

/* Where the record's bytes are: in a file the raw pointer always works (debug data is often not
 * mapped at all); in a mapped image only the RVA does. */
static pmm_status read_debug_data(pe_image *img, const pe_debug_entry *e, uint8_t *buf, size_t len)
{
    if (img->layout == PE_LAYOUT_FILE && e->data_file_offset)
        return pe_read_source(img, img->base + e->data_file_offset, buf, len);
    if (e->data_rva)
        return pe_read_rva(img, e->data_rva, buf, len);
    return PMM_ERR_NOT_FOUND;
}

static void copy_path(pe_debug_entry *e, const uint8_t *p, size_t len)
{
    size_t n = 0;
    while (n < len && n < sizeof e->pdb_path - 1 && p[n]) {
        /* Paths are bytes in the build machine's code page; keep ASCII, mark the rest. */
        e->pdb_path[n] = (p[n] < 0x20 || p[n] >= 0x7f) ? '?' : (char)p[n];
        n++;
    }
    e->pdb_path[n] = '\0';
}

static void decode_codeview(pe_image *img, pe_debug_entry *e)
{
    uint8_t buf[NB10_HEADER + RSDS_HEADER + sizeof e->pdb_path];
    size_t len = e->data_size < sizeof buf ? e->data_size : sizeof buf;
    if (len < NB10_HEADER || read_debug_data(img, e, buf, len) != PMM_OK)
        return;
    if (memcmp(buf, "RSDS", 4) == 0 && len >= RSDS_HEADER) {
        memcpy(e->cv_signature, "RSDS", 5);
        memcpy(e->guid, buf + 4, 16);
        e->age = pmm_le32(buf + 20);
        copy_path(e, buf + RSDS_HEADER, len - RSDS_HEADER);
    } else if (memcmp(buf, "NB10", 4) == 0) {
        memcpy(e->cv_signature, "NB10", 5);
        e->pdb_signature = pmm_le32(buf + 8);
        e->age = pmm_le32(buf + 12);
        copy_path(e, buf + NB10_HEADER, len - NB10_HEADER);
    }
}

static void decode_entry(const uint8_t *d, pe_debug_entry *e)
{
    memset(e, 0, sizeof *e);
    e->characteristics = pmm_le32(d + 0);
    e->timestamp = pmm_le32(d + 4);
    e->major_version = pmm_le16(d + 8);
    e->minor_version = pmm_le16(d + 10);
    e->type = pmm_le32(d + 12);
    e->data_size = pmm_le32(d + 16);
    e->data_rva = pmm_le32(d + 20);
    e->data_file_offset = pmm_le32(d + 24);
}

pmm_status pe_read_debug(pe_image *img, pe_debug *out)
{
    memset(out, 0, sizeof *out);
    const pe_data_directory *dir = &img->directories[PE_DIR_DEBUG];
    if (dir->rva == 0 || dir->size < DEBUG_ENTRY_SIZE)
        return PMM_ERR_NOT_FOUND;
    size_t count = dir->size / DEBUG_ENTRY_SIZE;
    if (count > PE_MAX_DEBUG_ENTRIES) {
        count = PE_MAX_DEBUG_ENTRIES;
        out->truncated = 1;
    }
    out->entries = calloc(count, sizeof *out->entries);
    if (!out->entries)
        return PMM_ERR_NOMEM;
    for (size_t i = 0; i < count; i++) {
        uint8_t d[DEBUG_ENTRY_SIZE];
        uint64_t rva = (uint64_t)dir->rva + i * DEBUG_ENTRY_SIZE;
        if (rva + DEBUG_ENTRY_SIZE > 0xFFFFFFFFu || pe_read_rva(img, (uint32_t)rva, d, sizeof d) != PMM_OK) {
            out->truncated = 1;
            break;
        }
        pe_debug_entry *e = &out->entries[out->count++];
        decode_entry(d, e);
        if (e->type == PE_DEBUG_TYPE_CODEVIEW)
            decode_codeview(img, e);
    }
    return PMM_OK;
}

void pe_debug_free(pe_debug *dbg)
{
    if (!dbg)
        return;
    free(dbg->entries);
    memset(dbg, 0, sizeof *dbg);
}

const char *pe_debug_type_name(uint32_t type)
{
    switch (type) {
    case 0: return "unknown";
    case 1: return "COFF";
    case 2: return "CodeView";
    case 3: return "FPO";
    case 4: return "Misc";
    case 5: return "Exception";
    case 6: return "Fixup";
    case 7: return "OMAP to source";
    case 8: return "OMAP from source";
    case 9: return "Borland";
    case 10: return "Reserved10";
    case 11: return "CLSID";
    case 12: return "VC feature";
    case 13: return "POGO";
    case 14: return "ILTCG";
    case 15: return "MPX";
    case 16: return "Repro";
    case 20: return "Extended DLL characteristics";
    }
    return "other";
}

const char *pe_guid_text(const uint8_t g[16], char *buf, size_t cap)
{
    /* Data1..Data3 are little-endian integers; Data4 is bytes in order. */
    snprintf(buf, cap, "{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}", pmm_le32(g), pmm_le16(g + 4),
             pmm_le16(g + 6), g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
    return buf;
}
