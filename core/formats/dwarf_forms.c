/* DWARF's encoding layer: unit headers, abbreviation tables and attribute forms (DWARF 2 to 5 and
 * the GNU forms MinGW's gcc writes). */
#include "dwarf_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../util/array.h"

enum { DW_UT_compile = 1, DW_UT_type = 2, DW_UT_partial = 3, DW_UT_skeleton = 4, DW_UT_split_compile = 5,
       DW_UT_split_type = 6 };

void dwarf_note_problem(dwarf_stats *stats, const char *what, uint64_t offset)
{
    if (!stats->problem[0])
        snprintf(stats->problem, sizeof stats->problem, "%s at offset 0x%llx", what, (unsigned long long)offset);
}

static const char *const section_names[] = {
    ".debug_info", ".debug_abbrev", ".debug_line", ".debug_str", ".debug_line_str", ".debug_ranges",
    ".debug_rnglists", ".debug_addr", ".debug_str_offsets"
};

dwarf_section *dwarf_input_section(dwarf_input *in, const char *name)
{
    dwarf_section *slots[] = {&in->info, &in->abbrev, &in->line, &in->str, &in->line_str, &in->ranges,
                              &in->rnglists, &in->addr, &in->str_offsets};
    for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++)
        if (strcmp(name, section_names[i]) == 0)
            return slots[i];
    return NULL;
}

/* ---- abbreviation tables ------------------------------------------------------------------ */

void dwarf_abbrevs_init(dwarf_abbrevs *tab)
{
    memset(tab, 0, sizeof *tab);
    tab->offset = UINT64_MAX;
}

void dwarf_abbrevs_free(dwarf_abbrevs *tab)
{
    free(tab->items);
    free(tab->attrs);
    dwarf_abbrevs_init(tab);
}

/* Size of a form's value when it does not depend on the data, else -1. */
static int fixed_form_size(uint32_t form, uint8_t address_size, uint8_t offset_size)
{
    switch (form) {
    case DW_FORM_addr: return address_size;
    case DW_FORM_data1: case DW_FORM_ref1: case DW_FORM_flag: case DW_FORM_strx1: case DW_FORM_addrx1: return 1;
    case DW_FORM_data2: case DW_FORM_ref2: case DW_FORM_strx2: case DW_FORM_addrx2: return 2;
    case DW_FORM_strx3: case DW_FORM_addrx3: return 3;
    case DW_FORM_data4: case DW_FORM_ref4: case DW_FORM_ref_sup4: case DW_FORM_strx4: case DW_FORM_addrx4: return 4;
    case DW_FORM_data8: case DW_FORM_ref8: case DW_FORM_ref_sig8: case DW_FORM_ref_sup8: return 8;
    case DW_FORM_data16: return 16;
    case DW_FORM_flag_present: case DW_FORM_implicit_const: return 0;
    case DW_FORM_strp: case DW_FORM_sec_offset: case DW_FORM_line_strp: case DW_FORM_strp_sup:
    case DW_FORM_GNU_ref_alt: case DW_FORM_GNU_strp_alt: return offset_size;
    default: return -1;
    }
}

static int is_wanted_tag(uint32_t tag)
{
    return tag == DW_TAG_compile_unit || tag == DW_TAG_partial_unit || tag == DW_TAG_skeleton_unit ||
           tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine || tag == DW_TAG_entry_point;
}

/* Types: their children (members, enumerators, parameters, bounds) never hold code. */
static int is_type_with_members(uint32_t tag)
{
    return tag == DW_TAG_structure_type || tag == DW_TAG_union_type || tag == DW_TAG_class_type ||
           tag == DW_TAG_enumeration_type || tag == DW_TAG_subroutine_type || tag == DW_TAG_array_type;
}

static int has_attribute(const dwarf_abbrevs *tab, const dwarf_abbrev *a, uint32_t name)
{
    for (uint32_t i = 0; i < a->attr_count; i++)
        if (tab->attrs[a->first_attr + i].name == name)
            return 1;
    return 0;
}

static pmm_status add_abbrev(dwarf_abbrevs *tab, const dwarf_abbrev *a)
{
    pmm_status st = pmm_array_reserve((void **)&tab->items, &tab->cap, tab->count + 1, sizeof *tab->items);
    if (st == PMM_OK)
        tab->items[tab->count++] = *a;
    return st;
}

static pmm_status add_attr(dwarf_abbrevs *tab, const dwarf_attr_spec *s)
{
    pmm_status st = pmm_array_reserve((void **)&tab->attrs, &tab->attr_cap, tab->attr_count + 1, sizeof *tab->attrs);
    if (st == PMM_OK)
        tab->attrs[tab->attr_count++] = *s;
    return st;
}

static int compare_abbrevs(const void *a, const void *b)
{
    const dwarf_abbrev *x = a, *y = b;
    return x->code < y->code ? -1 : x->code > y->code;
}

/* Reads the attribute specifications and adds up their sizes while every form has a fixed one,
 * so a DIE whose attributes nobody needs is skipped in one step. */
static pmm_status read_abbrev_attrs(dwarf_abbrevs *tab, byte_cursor *c, dwarf_abbrev *a, uint8_t address_size,
                                    uint8_t offset_size)
{
    a->first_attr = (uint32_t)tab->attr_count;
    for (;;) {
        /* Two statements: the order in which an initializer list is evaluated is unspecified. */
        dwarf_attr_spec s;
        s.name = (uint32_t)bc_uleb(c);
        s.form = (uint32_t)bc_uleb(c);
        s.implicit_const = 0;
        if (c->bad)
            return PMM_ERR_FORMAT;
        if (s.name == 0 && s.form == 0)
            return PMM_OK;
        if (s.form == DW_FORM_implicit_const)
            s.implicit_const = bc_sleb(c);
        int size = fixed_form_size(s.form, address_size, offset_size);
        if (size < 0 || a->fixed_size < 0)
            a->fixed_size = -1;
        else
            a->fixed_size += size;
        pmm_status st = add_attr(tab, &s);
        if (st != PMM_OK)
            return st;
        a->attr_count++;
    }
}

/* The entries from the cursor to the table's closing 0, sorted by code. */
static pmm_status read_abbrevs(dwarf_abbrevs *tab, byte_cursor *c, const dwarf_unit *u)
{
    int sorted = 1;
    /* Each entry takes at least 3 bytes, so the section's size bounds the loop. */
    for (;;) {
        dwarf_abbrev a;
        memset(&a, 0, sizeof a);
        a.code = bc_uleb(c);
        if (c->bad)
            return PMM_ERR_FORMAT;
        if (a.code == 0)
            break;
        a.tag = (uint32_t)bc_uleb(c);
        a.has_children = bc_u8(c) != 0;
        a.wanted = (uint8_t)is_wanted_tag(a.tag);
        pmm_status st = read_abbrev_attrs(tab, c, &a, u->address_size, u->offset_size);
        a.skippable = (uint8_t)(a.has_children && is_type_with_members(a.tag) && has_attribute(tab, &a, DW_AT_sibling));
        if (st == PMM_OK)
            st = add_abbrev(tab, &a);
        if (st != PMM_OK)
            return st;
        if (tab->count > 1 && tab->items[tab->count - 2].code >= a.code)
            sorted = 0;
    }
    if (!sorted)
        qsort(tab->items, tab->count, sizeof *tab->items, compare_abbrevs);
    tab->dense = 1;
    for (size_t i = 0; i < tab->count && tab->dense; i++)
        tab->dense = tab->items[i].code == i + 1;
    return PMM_OK;
}

int dwarf_abbrevs_loaded(const dwarf_abbrevs *tab, const dwarf_unit *u)
{
    return tab->offset == u->abbrev_offset && tab->address_size == u->address_size &&
           tab->offset_size == u->offset_size;
}

pmm_status dwarf_abbrevs_load(dwarf_abbrevs *tab, const dwarf_section *abbrev, const dwarf_unit *u,
                              uint64_t *budget)
{
    uint64_t offset = u->abbrev_offset;
    if (dwarf_abbrevs_loaded(tab, u))
        return PMM_OK;
    tab->count = 0;
    tab->attr_count = 0;
    tab->offset = UINT64_MAX;
    if (!abbrev->data || offset >= abbrev->size)
        return PMM_ERR_FORMAT;
    int limited = abbrev->size - offset > *budget;
    byte_cursor c = bc_make(abbrev->data, limited ? (size_t)(offset + *budget) : abbrev->size);
    bc_seek(&c, offset);
    pmm_status st = read_abbrevs(tab, &c, u);
    if (st == PMM_ERR_FORMAT && limited && c.bad) {
        *budget = 0;
        return PMM_ERR_LIMIT;
    }
    *budget -= bc_offset(&c) - offset;
    if (st != PMM_OK)
        return st;
    tab->offset = offset;
    tab->address_size = u->address_size;
    tab->offset_size = u->offset_size;
    return PMM_OK;
}

const dwarf_abbrev *dwarf_abbrevs_find(const dwarf_abbrevs *tab, uint64_t code)
{
    if (tab->dense)
        return code >= 1 && code <= tab->count ? &tab->items[code - 1] : NULL;
    size_t lo = 0, hi = tab->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (tab->items[mid].code < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < tab->count && tab->items[lo].code == code ? &tab->items[lo] : NULL;
}

/* ---- unit headers ----------------------------------------------------------------------------- */

int dwarf_unit_header(const dwarf_input *in, uint64_t offset, dwarf_unit *u)
{
    memset(u, 0, sizeof *u);
    byte_cursor c = bc_make(in->info.data, in->info.size);
    bc_seek(&c, offset);
    uint64_t length = bc_u32(&c);
    u->offset_size = 4;
    if (length == 0xffffffffu) {
        length = bc_u64(&c);
        u->offset_size = 8;
    } else if (length >= 0xfffffff0u) {
        return 0;
    }
    if (c.bad || length > bc_left(&c))
        return 0;
    u->offset = offset;
    u->end = bc_offset(&c) + length;
    u->version = bc_u16(&c);
    if (u->version < 2 || u->version > 5)
        return 0;
    if (u->version >= 5) {
        u->unit_type = bc_u8(&c);
        u->address_size = bc_u8(&c);
        u->abbrev_offset = u->offset_size == 8 ? bc_u64(&c) : bc_u32(&c);
        if (u->unit_type == DW_UT_skeleton || u->unit_type == DW_UT_split_compile)
            bc_skip(&c, 8);                       /* dwo id */
        else if (u->unit_type == DW_UT_type || u->unit_type == DW_UT_split_type)
            bc_skip(&c, 8 + u->offset_size);      /* type signature, type offset */
    } else {
        u->unit_type = DW_UT_compile;
        u->abbrev_offset = u->offset_size == 8 ? bc_u64(&c) : bc_u32(&c);
        u->address_size = bc_u8(&c);
    }
    if (c.bad || bc_offset(&c) > u->end || (u->address_size != 4 && u->address_size != 8))
        return 0;
    u->die_offset = bc_offset(&c);
    u->file_index_base = u->version >= 5 ? 0 : 1;
    return 1;
}

/* ---- attribute values -------------------------------------------------------------------------- */

int dwarf_form_is_strx(uint32_t form)
{
    return form == DW_FORM_strx || form == DW_FORM_strx1 || form == DW_FORM_strx2 || form == DW_FORM_strx3 ||
           form == DW_FORM_strx4 || form == DW_FORM_GNU_str_index;
}

int dwarf_form_is_addrx(uint32_t form)
{
    return form == DW_FORM_addrx || form == DW_FORM_addrx1 || form == DW_FORM_addrx2 || form == DW_FORM_addrx3 ||
           form == DW_FORM_addrx4 || form == DW_FORM_GNU_addr_index;
}

int dwarf_form_is_reference(uint32_t form)
{
    return form == DW_FORM_ref1 || form == DW_FORM_ref2 || form == DW_FORM_ref4 || form == DW_FORM_ref8 ||
           form == DW_FORM_ref_udata || form == DW_FORM_ref_addr;
}

static const char *string_in(const dwarf_section *s, uint64_t offset)
{
    return bc_string_at(s->data, s->size, offset);
}

const char *dwarf_resolve_strx(const dwarf_input *in, const dwarf_unit *u, uint64_t index)
{
    if (index > in->str_offsets.size / u->offset_size)
        return NULL;
    /* Before DWARF 5 (GNU split DWARF) there is no base attribute: the table starts at 0. */
    uint64_t at = u->str_offsets_base + index * u->offset_size;
    if (at < u->str_offsets_base || at > in->str_offsets.size || in->str_offsets.size - at < u->offset_size)
        return NULL;
    byte_cursor c = bc_make(in->str_offsets.data, in->str_offsets.size);
    bc_seek(&c, at);
    uint64_t offset = bc_uint(&c, u->offset_size);
    return c.bad ? NULL : string_in(&in->str, offset);
}

int dwarf_resolve_addrx(const dwarf_input *in, const dwarf_unit *u, uint64_t index, uint64_t *out)
{
    if (index > in->addr.size / u->address_size)
        return 0;
    uint64_t at = u->addr_base + index * u->address_size;
    if (at < u->addr_base || at > in->addr.size || in->addr.size - at < u->address_size)
        return 0;
    byte_cursor c = bc_make(in->addr.data, in->addr.size);
    bc_seek(&c, at);
    *out = bc_uint(&c, u->address_size);
    return !c.bad;
}

uint64_t dwarf_reference_target(const dwarf_unit *u, const dwarf_value *v, size_t info_size)
{
    uint64_t target;
    if (v->form == DW_FORM_ref_addr) {
        target = v->u;
    } else if (dwarf_form_is_reference(v->form)) {
        if (v->u >= u->end - u->offset)
            return 0;
        target = u->offset + v->u;
    } else {
        return 0;
    }
    return target < info_size ? target : 0;
}

static void read_block(byte_cursor *c, uint64_t len, dwarf_value *v)
{
    v->u = len;
    v->block = bc_bytes(c, len);
}

/* DW_FORM_indirect names the form in the data; a chain of them is bounded here. */
#define MAX_INDIRECT 4

void dwarf_read_value(const dwarf_input *in, const dwarf_unit *u, byte_cursor *c, const dwarf_attr_spec *spec,
                      dwarf_value *v)
{
    uint32_t form = spec->form;
    for (int i = 0; form == DW_FORM_indirect && i < MAX_INDIRECT; i++)
        form = (uint32_t)bc_uleb(c);
    memset(v, 0, sizeof *v);
    v->form = form;
    switch (form) {
    case DW_FORM_addr: v->u = bc_uint(c, u->address_size); break;
    case DW_FORM_data1: case DW_FORM_ref1: case DW_FORM_flag: case DW_FORM_strx1: case DW_FORM_addrx1:
        v->u = bc_u8(c); break;
    case DW_FORM_data2: case DW_FORM_ref2: case DW_FORM_strx2: case DW_FORM_addrx2: v->u = bc_u16(c); break;
    case DW_FORM_strx3: case DW_FORM_addrx3: v->u = bc_uint(c, 3); break;
    case DW_FORM_data4: case DW_FORM_ref4: case DW_FORM_ref_sup4: case DW_FORM_strx4: case DW_FORM_addrx4:
        v->u = bc_u32(c); break;
    case DW_FORM_data8: case DW_FORM_ref8: case DW_FORM_ref_sig8: case DW_FORM_ref_sup8: v->u = bc_u64(c); break;
    case DW_FORM_data16: bc_skip(c, 16); break;
    case DW_FORM_sdata: v->u = (uint64_t)bc_sleb(c); break;
    case DW_FORM_udata: case DW_FORM_ref_udata: case DW_FORM_strx: case DW_FORM_addrx: case DW_FORM_loclistx:
    case DW_FORM_rnglistx: case DW_FORM_GNU_addr_index: case DW_FORM_GNU_str_index:
        v->u = bc_uleb(c); break;
    case DW_FORM_string: v->str = bc_cstr(c); break;
    case DW_FORM_strp: v->u = bc_uint(c, u->offset_size); v->str = string_in(&in->str, v->u); break;
    case DW_FORM_line_strp: v->u = bc_uint(c, u->offset_size); v->str = string_in(&in->line_str, v->u); break;
    case DW_FORM_ref_addr:
        /* DWARF 2 wrote it address-sized, later versions offset-sized. */
        v->u = bc_uint(c, u->version <= 2 ? u->address_size : u->offset_size); break;
    case DW_FORM_sec_offset: case DW_FORM_strp_sup: case DW_FORM_GNU_ref_alt: case DW_FORM_GNU_strp_alt:
        v->u = bc_uint(c, u->offset_size); break;
    case DW_FORM_flag_present: v->u = 1; break;
    case DW_FORM_implicit_const: v->u = (uint64_t)spec->implicit_const; break;
    case DW_FORM_block1: read_block(c, bc_u8(c), v); break;
    case DW_FORM_block2: read_block(c, bc_u16(c), v); break;
    case DW_FORM_block4: read_block(c, bc_u32(c), v); break;
    case DW_FORM_block: case DW_FORM_exprloc: read_block(c, bc_uleb(c), v); break;
    default: c->bad = 1; break;   /* an unknown form: its size is unknown, so the unit ends here */
    }
}

