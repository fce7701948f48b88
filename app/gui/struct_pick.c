#include "struct_pick.h"

#include <stdio.h>
#include <string.h>
#include "core/formats/nt_layout.h"

#define MAX_SECTIONS 40

static void add(struct_pick *pick, uint64_t address, const pmm_struct_def *def)
{
    if (pick->count < STRUCT_PICK_MAX && def) {
        pick->items[pick->count].address = address;
        pick->items[pick->count].def = def;
        pick->count++;
    }
}

static uint32_t bits_of(const pmm_map *map, const pmm_annotation *a)
{
    return a && (a->bits == 32 || a->bits == 64) ? a->bits : map->target.pointer_size * 8;
}

/* DOS header, NT headers at e_lfanew, then the section headers after the optional header. */
static void pick_pe_headers(pmm_source *src, uint64_t base, struct_pick *pick)
{
    add(pick, base, &pmm_struct_dos_header);
    uint32_t lfanew, signature;
    uint16_t machine_magic, sections, optional_size;
    if (!src || pmm_source_read_u32(src, base + 0x3C, &lfanew) != PMM_OK || lfanew > 0x10000000u ||
        pmm_source_read_u32(src, base + lfanew, &signature) != PMM_OK || signature != 0x00004550u)
        return;
    uint64_t nt = base + lfanew;
    if (pmm_source_read_u16(src, nt + 24, &machine_magic) != PMM_OK ||
        pmm_source_read_u16(src, nt + 6, &sections) != PMM_OK || pmm_source_read_u16(src, nt + 20, &optional_size) != PMM_OK)
        return;
    add(pick, nt, machine_magic == 0x20b ? &pmm_struct_nt_headers64 : &pmm_struct_nt_headers32);
    uint64_t first = nt + 24 + optional_size;
    for (uint16_t i = 0; i < sections && i < MAX_SECTIONS; i++)
        add(pick, first + (uint64_t)i * pmm_struct_section_header.size, &pmm_struct_section_header);
}

/* The loader's module entries, in load order, from PEB_LDR_DATA.InLoadOrderModuleList. */
static void pick_loader_entries(pmm_source *src, uint64_t ldr, uint32_t bits, struct_pick *pick)
{
    uint32_t ps = bits / 8;
    const pmm_nt_layout *l = pmm_nt_layout_for(ps);
    const pmm_struct_def *def = bits == 32 ? &pmm_struct_ldr_entry32 : &pmm_struct_ldr_entry64;
    uint64_t head = ldr + l->ldr_in_load_order_list, entry;
    if (!src || pmm_source_read_pointer(src, head, ps, &entry) != PMM_OK)
        return;
    /* Bounded by the pick's capacity; a cycle that misses the head stops there too. */
    while (entry && entry != head && pick->count < STRUCT_PICK_MAX) {
        add(pick, entry, def);
        if (pmm_source_read_pointer(src, entry, ps, &entry) != PMM_OK)
            break;
    }
}

static const pmm_struct_def *directory_struct(const char *label, uint32_t bits)
{
    if (strcmp(label, "Export Directory") == 0)
        return &pmm_struct_export_directory;
    if (strcmp(label, "Import Directory") == 0)
        return &pmm_struct_import_descriptor;
    if (strcmp(label, "TLS Directory") == 0)
        return bits == 32 ? &pmm_struct_tls32 : &pmm_struct_tls64;
    if (strcmp(label, "Load Configuration Directory") == 0)
        return bits == 32 ? &pmm_struct_load_config32 : &pmm_struct_load_config64;
    return NULL;
}

static int module_bits(const pmm_map *map, uint64_t address)
{
    const pmm_annotation *a = pmm_map_annotation_at(map, address, PMM_ANN_PE_HEADER);
    return bits_of(map, a);
}

/* One annotation starting at the address; returns 1 when it named a structure. */
static int pick_annotation(const pmm_map *map, pmm_source *src, const pmm_annotation *a, struct_pick *pick)
{
    uint32_t bits = bits_of(map, a);
    const char *label = pmm_map_text(map, a->label);
    switch (a->kind) {
    case PMM_ANN_PEB:
        add(pick, a->base, bits == 32 ? &pmm_struct_peb32 : &pmm_struct_peb64);
        snprintf(pick->title, sizeof pick->title, "PEB (%u-bit)", (unsigned)bits);
        return 1;
    case PMM_ANN_TEB:
        add(pick, a->base, bits == 32 ? &pmm_struct_teb32 : &pmm_struct_teb64);
        snprintf(pick->title, sizeof pick->title, "TEB of thread %u (%u-bit)", (unsigned)a->owner, (unsigned)bits);
        return 1;
    case PMM_ANN_PROCESS_PARAMETERS:
        add(pick, a->base, bits == 32 ? &pmm_struct_params32 : &pmm_struct_params64);
        snprintf(pick->title, sizeof pick->title, "Process parameters (%u-bit)", (unsigned)bits);
        return 1;
    case PMM_ANN_KUSER_SHARED_DATA:
        add(pick, a->base, &pmm_struct_kuser);
        snprintf(pick->title, sizeof pick->title, "KUSER_SHARED_DATA");
        return 1;
    case PMM_ANN_LOADER_DATA:
        pick_loader_entries(src, a->base, bits, pick);
        snprintf(pick->title, sizeof pick->title, "Loader module entries (%u-bit, load order)", (unsigned)bits);
        return pick->count > 0;
    case PMM_ANN_PE_HEADER:
    case PMM_ANN_MODULE:
        pick_pe_headers(src, a->base, pick);
        snprintf(pick->title, sizeof pick->title, "PE headers%s%s", label[0] ? " of " : "", label);
        return 1;
    case PMM_ANN_DIRECTORY: {
        const pmm_struct_def *def = directory_struct(label, (uint32_t)module_bits(map, a->base));
        if (!def)
            return 0;
        add(pick, a->base, def);
        snprintf(pick->title, sizeof pick->title, "%s", label);
        return 1;
    }
    default:
        return 0;
    }
}

void struct_pick_at(const pmm_map *map, pmm_source *src, uint64_t address, struct_pick *pick)
{
    memset(pick, 0, sizeof *pick);
    if (!map)
        return;
    for (size_t i = pmm_map_annotation_lower_bound(map, address);
         i < map->annotation_count && map->annotations[i].base == address; i++)
        if (pick_annotation(map, src, &map->annotations[i], pick))
            return;
    /* An image allocation with no header annotation of its own at this row: its module. */
    const pmm_module *m = pmm_map_module_at(map, address);
    if (m && m->base == address) {
        pick_pe_headers(src, address, pick);
        snprintf(pick->title, sizeof pick->title, "PE headers");
    }
}
