/* Shared by the DWARF reader's files: units, abbreviation tables and attribute values. */
#ifndef PMM_DWARF_INTERNAL_H
#define PMM_DWARF_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "byte_cursor.h"
#include "dwarf.h"

enum {
    DW_TAG_array_type = 0x01,
    DW_TAG_class_type = 0x02,
    DW_TAG_entry_point = 0x03,
    DW_TAG_enumeration_type = 0x04,
    DW_TAG_structure_type = 0x13,
    DW_TAG_subroutine_type = 0x15,
    DW_TAG_union_type = 0x17,
    DW_TAG_compile_unit = 0x11,
    DW_TAG_inlined_subroutine = 0x1d,
    DW_TAG_subprogram = 0x2e,
    DW_TAG_partial_unit = 0x3c,
    DW_TAG_skeleton_unit = 0x4a
};

enum {
    DW_AT_sibling = 0x01,
    DW_AT_name = 0x03,
    DW_AT_stmt_list = 0x10,
    DW_AT_low_pc = 0x11,
    DW_AT_high_pc = 0x12,
    DW_AT_comp_dir = 0x1b,
    DW_AT_abstract_origin = 0x31,
    DW_AT_specification = 0x47,
    DW_AT_ranges = 0x55,
    DW_AT_call_file = 0x58,
    DW_AT_call_line = 0x59,
    DW_AT_linkage_name = 0x6e,
    DW_AT_str_offsets_base = 0x72,
    DW_AT_addr_base = 0x73,
    DW_AT_rnglists_base = 0x74,
    DW_AT_MIPS_linkage_name = 0x2007,
    DW_AT_GNU_ranges_base = 0x2132,
    DW_AT_GNU_addr_base = 0x2133
};

enum {
    DW_FORM_addr = 0x01, DW_FORM_block2 = 0x03, DW_FORM_block4 = 0x04, DW_FORM_data2 = 0x05,
    DW_FORM_data4 = 0x06, DW_FORM_data8 = 0x07, DW_FORM_string = 0x08, DW_FORM_block = 0x09,
    DW_FORM_block1 = 0x0a, DW_FORM_data1 = 0x0b, DW_FORM_flag = 0x0c, DW_FORM_sdata = 0x0d,
    DW_FORM_strp = 0x0e, DW_FORM_udata = 0x0f, DW_FORM_ref_addr = 0x10, DW_FORM_ref1 = 0x11,
    DW_FORM_ref2 = 0x12, DW_FORM_ref4 = 0x13, DW_FORM_ref8 = 0x14, DW_FORM_ref_udata = 0x15,
    DW_FORM_indirect = 0x16, DW_FORM_sec_offset = 0x17, DW_FORM_exprloc = 0x18,
    DW_FORM_flag_present = 0x19, DW_FORM_strx = 0x1a, DW_FORM_addrx = 0x1b, DW_FORM_ref_sup4 = 0x1c,
    DW_FORM_strp_sup = 0x1d, DW_FORM_data16 = 0x1e, DW_FORM_line_strp = 0x1f, DW_FORM_ref_sig8 = 0x20,
    DW_FORM_implicit_const = 0x21, DW_FORM_loclistx = 0x22, DW_FORM_rnglistx = 0x23,
    DW_FORM_ref_sup8 = 0x24, DW_FORM_strx1 = 0x25, DW_FORM_strx2 = 0x26, DW_FORM_strx3 = 0x27,
    DW_FORM_strx4 = 0x28, DW_FORM_addrx1 = 0x29, DW_FORM_addrx2 = 0x2a, DW_FORM_addrx3 = 0x2b,
    DW_FORM_addrx4 = 0x2c,
    DW_FORM_GNU_addr_index = 0x1f01, DW_FORM_GNU_str_index = 0x1f02,
    DW_FORM_GNU_ref_alt = 0x1f20, DW_FORM_GNU_strp_alt = 0x1f21
};

#define DWARF_MAX_DEPTH 512u          /* DIE nesting deeper than this is not a real program */
#define DWARF_MAX_REFERENCE_CHAIN 8u  /* origin -> specification -> ... links followed for a name */

typedef struct dwarf_attr_spec {
    uint32_t name;
    uint32_t form;
    int64_t implicit_const;
} dwarf_attr_spec;

typedef struct dwarf_abbrev {
    uint64_t code;
    uint32_t tag;
    uint8_t has_children;
    uint8_t wanted;              /* a tag whose attributes the walk decodes */
    uint8_t skippable;           /* a type whose children hold no code, with a DW_AT_sibling to jump over them */
    uint8_t reserved;
    uint32_t first_attr;         /* into dwarf_abbrevs.attrs */
    uint32_t attr_count;
    int32_t fixed_size;          /* bytes of all attributes when every form has a fixed size, else -1 */
} dwarf_abbrev;

typedef struct dwarf_abbrevs {
    uint64_t offset;             /* in .debug_abbrev; UINT64_MAX when none is loaded */
    dwarf_abbrev *items;         /* by code (ascending) */
    size_t count, cap;
    dwarf_attr_spec *attrs;
    size_t attr_count, attr_cap;
    int dense;                   /* codes are 1..count in order: items[code - 1] */
    uint8_t address_size, offset_size;   /* of the unit it was loaded for: fixed sizes depend on them */
} dwarf_abbrevs;

typedef struct dwarf_unit {
    uint64_t offset;             /* of the unit header in .debug_info */
    uint64_t end;                /* past the unit's last byte */
    uint64_t die_offset;         /* the first DIE */
    uint16_t version;
    uint8_t unit_type;
    uint8_t address_size;
    uint8_t offset_size;         /* 4 or 8 (64-bit DWARF) */
    uint64_t abbrev_offset;
    /* From the unit's own DIE. */
    uint64_t base_address;
    uint64_t str_offsets_base;
    uint64_t addr_base;
    uint64_t rnglists_base;
    uint64_t ranges_base;        /* GNU split DWARF's offset into .debug_ranges */
    const char *comp_dir;
    /* Its line table's files as sink ids, index as the line program counts them. */
    uint32_t *file_ids;
    size_t file_count;
    uint32_t file_index_base;    /* 1 before DWARF 5, 0 from 5 on */
    uint64_t stmt_list;          /* its line program's offset in .debug_line; UINT64_MAX for none */
    size_t lines_from;           /* an earlier unit with the same line program, whose file_ids it
                                    shares (the program is decoded once); SIZE_MAX for none */
} dwarf_unit;

/* One attribute's value as read: numbers in u (or s), text in str, blocks in block. */
typedef struct dwarf_value {
    uint32_t form;
    uint64_t u;
    const char *str;
    const uint8_t *block;
} dwarf_value;

void dwarf_abbrevs_init(dwarf_abbrevs *tab);
/* Loads the table the unit names (kept when it is already the loaded one). *budget is how many
 * more bytes of .debug_abbrev the walk may parse: each load takes what it parsed, and a table that
 * does not fit is refused with PMM_ERR_LIMIT. Hostile units that make one long table be read over
 * and over so cost time in proportion to the section, not to its square. */
pmm_status dwarf_abbrevs_load(dwarf_abbrevs *tab, const dwarf_section *abbrev, const dwarf_unit *u,
                              uint64_t *budget);
void dwarf_abbrevs_free(dwarf_abbrevs *tab);
/* Whether tab holds the table unit u names, read for u's address and offset sizes. */
int dwarf_abbrevs_loaded(const dwarf_abbrevs *tab, const dwarf_unit *u);
const dwarf_abbrev *dwarf_abbrevs_find(const dwarf_abbrevs *tab, uint64_t code);

/* Reads a unit header at offset; 0 when it is invalid (past the end, unknown version). */
int dwarf_unit_header(const dwarf_input *in, uint64_t offset, dwarf_unit *u);
/* Reads one attribute; sets c->bad on damage. A string form resolves to its text (NULL when
 * the offset is bad); strx/addrx forms keep their index in u until dwarf_resolve_* is called. */
void dwarf_read_value(const dwarf_input *in, const dwarf_unit *u, byte_cursor *c, const dwarf_attr_spec *spec,
                      dwarf_value *v);
int dwarf_form_is_strx(uint32_t form);
int dwarf_form_is_addrx(uint32_t form);
int dwarf_form_is_reference(uint32_t form);
const char *dwarf_resolve_strx(const dwarf_input *in, const dwarf_unit *u, uint64_t index);
int dwarf_resolve_addrx(const dwarf_input *in, const dwarf_unit *u, uint64_t index, uint64_t *out);
/* The .debug_info offset a reference value points to, or 0 when it points nowhere valid. */
uint64_t dwarf_reference_target(const dwarf_unit *u, const dwarf_value *v, size_t info_size);

/* Decodes the unit's line program at offset: fills u->file_ids and reports its sequences. */
pmm_status dwarf_line_program(const dwarf_input *in, dwarf_unit *u, uint64_t offset, const dbg_sink *sink,
                              dwarf_stats *stats);

void dwarf_note_problem(dwarf_stats *stats, const char *what, uint64_t offset);

#endif
