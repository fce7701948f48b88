/* The walk over .debug_info: every unit's DIE tree, reporting functions and inlined calls with
 * their address ranges, and each unit's line program. */
#include "dwarf_internal.h"

#include <stdlib.h>
#include <string.h>
#include "../util/array.h"

typedef struct walk {
    const dwarf_input *in;
    const dbg_sink *sink;
    dwarf_stats *stats;
    dwarf_unit *units;           /* every unit's header and bases, for references across units */
    size_t unit_count, unit_cap;
    dwarf_abbrevs abbrevs;       /* of the unit being walked */
    dwarf_abbrevs other;         /* of a unit a reference leads into */
    uint64_t abbrev_budget;      /* bytes of .debug_abbrev still to be parsed (dwarf_abbrevs_load) */
} walk;

/* Real files parse each table about twice (listing the units, walking them) and a few more for
 * references across units; a walk that would parse much more is being made to go round. */
#define ABBREV_BUDGET_PER_BYTE 8u
#define ABBREV_BUDGET_EXTRA 65536u

/* The attributes of one DIE that matter for naming code. */
typedef struct die {
    uint64_t offset;
    const dwarf_abbrev *abbrev;
    dwarf_value name, linkage_name, low, high, ranges, comp_dir;
    int has_name, has_linkage_name, has_low, has_high, has_ranges, has_comp_dir, has_stmt_list;
    uint64_t origin, specification;   /* .debug_info offsets; 0 for none */
    uint64_t sibling;                 /* a skippable type's next sibling; 0 for none */
    uint64_t call_file, call_line, stmt_list;
    uint64_t str_offsets_base, addr_base, rnglists_base, ranges_base;
    int has_str_offsets_base, has_addr_base, has_rnglists_base, has_ranges_base;
} die;

static int is_code_tag(uint32_t tag)
{
    return tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine || tag == DW_TAG_entry_point;
}

static int is_unit_tag(uint32_t tag)
{
    return tag == DW_TAG_compile_unit || tag == DW_TAG_partial_unit || tag == DW_TAG_skeleton_unit;
}

static void keep_attribute(const walk *w, const dwarf_unit *u, die *d, const dwarf_attr_spec *spec,
                           const dwarf_value *v)
{
    switch (spec->name) {
    case DW_AT_name: d->name = *v; d->has_name = 1; break;
    case DW_AT_linkage_name: case DW_AT_MIPS_linkage_name: d->linkage_name = *v; d->has_linkage_name = 1; break;
    case DW_AT_low_pc: d->low = *v; d->has_low = 1; break;
    case DW_AT_high_pc: d->high = *v; d->has_high = 1; break;
    case DW_AT_ranges: d->ranges = *v; d->has_ranges = 1; break;
    case DW_AT_comp_dir: d->comp_dir = *v; d->has_comp_dir = 1; break;
    case DW_AT_abstract_origin: d->origin = dwarf_reference_target(u, v, w->in->info.size); break;
    case DW_AT_specification: d->specification = dwarf_reference_target(u, v, w->in->info.size); break;
    case DW_AT_sibling: d->sibling = dwarf_reference_target(u, v, w->in->info.size); break;
    case DW_AT_call_file: d->call_file = v->u; break;
    case DW_AT_call_line: d->call_line = v->u; break;
    case DW_AT_stmt_list: d->stmt_list = v->u; d->has_stmt_list = 1; break;
    case DW_AT_str_offsets_base: d->str_offsets_base = v->u; d->has_str_offsets_base = 1; break;
    case DW_AT_addr_base: case DW_AT_GNU_addr_base: d->addr_base = v->u; d->has_addr_base = 1; break;
    case DW_AT_rnglists_base: d->rnglists_base = v->u; d->has_rnglists_base = 1; break;
    case DW_AT_GNU_ranges_base: d->ranges_base = v->u; d->has_ranges_base = 1; break;
    default: break;
    }
}

/* Reads the DIE at the cursor. Returns 0 at a null entry (end of a sibling list) with d->abbrev
 * NULL, -1 on damage, 1 for a DIE; a DIE of a tag nobody needs is skipped without decoding. */
static int read_die(const walk *w, const dwarf_unit *u, const dwarf_abbrevs *abbrevs, byte_cursor *c, die *d)
{
    memset(d, 0, sizeof *d);
    d->offset = bc_offset(c);
    uint64_t code = bc_uleb(c);
    if (c->bad)
        return -1;
    if (code == 0)
        return 0;
    d->abbrev = dwarf_abbrevs_find(abbrevs, code);
    if (!d->abbrev)
        return -1;
    const dwarf_attr_spec *specs = d->abbrev->attr_count ? abbrevs->attrs + d->abbrev->first_attr : NULL;
    int keep = d->abbrev->wanted || d->abbrev->skippable;
    if (!keep && d->abbrev->fixed_size >= 0) {
        bc_skip(c, (uint64_t)d->abbrev->fixed_size);
        return c->bad ? -1 : 1;
    }
    for (uint32_t i = 0; i < d->abbrev->attr_count; i++) {
        dwarf_value v;
        dwarf_read_value(w->in, u, c, &specs[i], &v);
        if (c->bad)
            return -1;
        if (keep)
            keep_attribute(w, u, d, &specs[i], &v);
    }
    return 1;
}

static const char *value_string(const walk *w, const dwarf_unit *u, const dwarf_value *v)
{
    if (dwarf_form_is_strx(v->form))
        return dwarf_resolve_strx(w->in, u, v->u);
    return v->str;
}

static int value_address(const walk *w, const dwarf_unit *u, const dwarf_value *v, uint64_t *out)
{
    if (dwarf_form_is_addrx(v->form))
        return dwarf_resolve_addrx(w->in, u, v->u, out);
    if (v->form != DW_FORM_addr)
        return 0;
    *out = v->u;
    return 1;
}

/* ---- the unit list ------------------------------------------------------------------------------ */

/* The bases a unit's own DIE sets: needed before any of its DIEs (or references into it) is read. */
static void apply_unit_die(const walk *w, dwarf_unit *u, const die *d)
{
    if (d->has_str_offsets_base)
        u->str_offsets_base = d->str_offsets_base;
    else if (u->version >= 5)
        u->str_offsets_base = u->offset_size == 8 ? 16 : 8;   /* the first table's header */
    if (d->has_addr_base)
        u->addr_base = d->addr_base;
    if (d->has_rnglists_base)
        u->rnglists_base = d->rnglists_base;
    if (d->has_ranges_base)
        u->ranges_base = d->ranges_base;
    if (d->has_low)
        value_address(w, u, &d->low, &u->base_address);
    if (d->has_comp_dir)
        u->comp_dir = value_string(w, u, &d->comp_dir);
    if (d->has_stmt_list)
        u->stmt_list = d->stmt_list;
}

static pmm_status add_unit(walk *w, const dwarf_unit *u)
{
    pmm_status st = pmm_array_reserve((void **)&w->units, &w->unit_cap, w->unit_count + 1, sizeof *w->units);
    if (st == PMM_OK)
        w->units[w->unit_count++] = *u;
    return st;
}

/* Reads every unit header and its first DIE. A damaged header ends the list: the next unit's
 * position comes from this one's length. */
static pmm_status list_units(walk *w)
{
    uint64_t offset = 0;
    while (offset < w->in->info.size) {
        dwarf_unit u;
        if (!dwarf_unit_header(w->in, offset, &u)) {
            w->stats->units_damaged++;
            dwarf_note_problem(w->stats, "invalid unit header", offset);
            break;
        }
        u.stmt_list = UINT64_MAX;
        u.lines_from = SIZE_MAX;
        if (dwarf_abbrevs_load(&w->abbrevs, &w->in->abbrev, &u, &w->abbrev_budget) == PMM_OK) {
            byte_cursor c = bc_make(w->in->info.data, u.end);
            bc_seek(&c, u.die_offset);
            die d;
            if (read_die(w, &u, &w->abbrevs, &c, &d) == 1 && is_unit_tag(d.abbrev->tag))
                apply_unit_die(w, &u, &d);
        }
        pmm_status st = add_unit(w, &u);
        if (st != PMM_OK)
            return st;
        offset = u.end;
    }
    return PMM_OK;
}

static dwarf_unit *unit_containing(const walk *w, uint64_t offset)
{
    size_t lo = 0, hi = w->unit_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (w->units[mid].end <= offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < w->unit_count && w->units[lo].die_offset <= offset)
        return &w->units[lo];
    return NULL;
}

/* ---- names ------------------------------------------------------------------------------------- */

/* The DIE's own name, preferring the linkage name as binutils does; NULL when it has neither. */
static const char *own_name(const walk *w, const dwarf_unit *u, const die *d)
{
    const char *name = NULL;
    if (d->has_linkage_name)
        name = value_string(w, u, &d->linkage_name);
    if ((!name || !*name) && d->has_name)
        name = value_string(w, u, &d->name);
    return name && *name ? name : NULL;
}

/* The abbreviation table of unit u: the walked unit's, or another loaded for it. */
static const dwarf_abbrevs *abbrevs_of(walk *w, const dwarf_unit *walked, const dwarf_unit *u)
{
    if (u == walked || dwarf_abbrevs_loaded(&w->abbrevs, u))
        return &w->abbrevs;
    if (dwarf_abbrevs_load(&w->other, &w->in->abbrev, u, &w->abbrev_budget) != PMM_OK)
        return NULL;
    return &w->other;
}

/* The name of the DIE at offset, following abstract origins and specifications (a bounded number
 * of links: a cycle of references ends there). */
static const char *referenced_name(walk *w, const dwarf_unit *walked, uint64_t offset)
{
    for (unsigned links = 0; offset && links < DWARF_MAX_REFERENCE_CHAIN; links++) {
        const dwarf_unit *u = unit_containing(w, offset);
        const dwarf_abbrevs *abbrevs = u ? abbrevs_of(w, walked, u) : NULL;
        if (!abbrevs)
            return NULL;
        byte_cursor c = bc_make(w->in->info.data, u->end);
        bc_seek(&c, offset);
        die d;
        if (read_die(w, u, abbrevs, &c, &d) != 1 || !d.abbrev->wanted)
            return NULL;
        const char *name = own_name(w, u, &d);
        if (name)
            return name;
        offset = d.origin ? d.origin : d.specification;
    }
    if (offset)
        dwarf_note_problem(w->stats, "abstract origins or specifications that go round", offset);
    return NULL;
}

static const char *die_name(walk *w, const dwarf_unit *u, const die *d)
{
    const char *name = own_name(w, u, d);
    if (!name && d->origin)
        name = referenced_name(w, u, d->origin);
    if (!name && d->specification)
        name = referenced_name(w, u, d->specification);
    return name;
}

/* ---- address ranges -------------------------------------------------------------------------- */

typedef struct scope_report {
    walk *w;
    dbg_scope scope;
    pmm_status status;
} scope_report;

static void report_range(scope_report *r, uint64_t low, uint64_t high)
{
    const dwarf_input *in = r->w->in;
    if (r->status != PMM_OK || high <= low || low < in->image_base)
        return;
    uint64_t rva = low - in->image_base;
    if (rva >= in->image_size || high - in->image_base > in->image_size)
        return;
    r->scope.rva = (uint32_t)rva;
    r->scope.size = (uint32_t)(high - low);
    r->status = r->w->sink->scope(r->w->sink->ctx, &r->scope);
    if (r->scope.kind == DBG_SCOPE_INLINED)
        r->w->stats->inlined++;
    else
        r->w->stats->functions++;
}

/* DWARF 2 to 4: pairs of addresses relative to a base, a pair of zeros ends the list, a first
 * address of all ones sets a new base. Each pair takes bytes, so the section's size bounds the loop. */
static void report_ranges_v4(scope_report *r, const dwarf_unit *u, uint64_t offset)
{
    const dwarf_section *s = &r->w->in->ranges;
    byte_cursor c = bc_make(s->data, s->size);
    bc_seek(&c, offset);
    uint64_t all_ones = u->address_size == 8 ? UINT64_MAX : UINT32_MAX;
    uint64_t base = u->base_address;
    while (!c.bad && r->status == PMM_OK) {
        uint64_t begin = bc_uint(&c, u->address_size), end = bc_uint(&c, u->address_size);
        if (c.bad || (begin == 0 && end == 0))
            return;
        if (begin == all_ones)
            base = end;
        else
            report_range(r, base + begin, base + end);
    }
    if (c.bad)
        dwarf_note_problem(r->w->stats, "range list runs past .debug_ranges", offset);
}

enum { DW_RLE_end_of_list = 0, DW_RLE_base_addressx = 1, DW_RLE_startx_endx = 2, DW_RLE_startx_length = 3,
       DW_RLE_offset_pair = 4, DW_RLE_base_address = 5, DW_RLE_start_end = 6, DW_RLE_start_length = 7 };

static uint64_t addrx(const walk *w, const dwarf_unit *u, uint64_t index, int *ok)
{
    uint64_t a = 0;
    if (!dwarf_resolve_addrx(w->in, u, index, &a))
        *ok = 0;
    return a;
}

/* DWARF 5 range list entries. */
static void report_rnglist(scope_report *r, const dwarf_unit *u, uint64_t offset)
{
    const walk *w = r->w;
    byte_cursor c = bc_make(w->in->rnglists.data, w->in->rnglists.size);
    bc_seek(&c, offset);
    uint64_t base = u->base_address;
    while (!c.bad && r->status == PMM_OK) {
        int ok = 1;
        uint64_t a, b;
        switch (bc_u8(&c)) {
        case DW_RLE_end_of_list: return;
        case DW_RLE_base_addressx: base = addrx(w, u, bc_uleb(&c), &ok); break;
        case DW_RLE_startx_endx:
            a = addrx(w, u, bc_uleb(&c), &ok);
            b = addrx(w, u, bc_uleb(&c), &ok);
            if (ok)
                report_range(r, a, b);
            break;
        case DW_RLE_startx_length:
            a = addrx(w, u, bc_uleb(&c), &ok);
            b = bc_uleb(&c);
            if (ok)
                report_range(r, a, a + b);
            break;
        case DW_RLE_offset_pair:
            a = bc_uleb(&c);
            b = bc_uleb(&c);
            report_range(r, base + a, base + b);
            break;
        case DW_RLE_base_address: base = bc_uint(&c, u->address_size); break;
        case DW_RLE_start_end:
            a = bc_uint(&c, u->address_size);
            b = bc_uint(&c, u->address_size);
            report_range(r, a, b);
            break;
        case DW_RLE_start_length:
            a = bc_uint(&c, u->address_size);
            b = bc_uleb(&c);
            report_range(r, a, a + b);
            break;
        default: c.bad = 1; break;
        }
        if (!ok)
            dwarf_note_problem(w->stats, "range list names a missing .debug_addr entry", offset);
    }
    if (c.bad)
        dwarf_note_problem(w->stats, "damaged range list in .debug_rnglists", offset);
}

/* DW_FORM_rnglistx: an index into the offset table that starts at the unit's rnglists_base. */
static int rnglist_offset(const walk *w, const dwarf_unit *u, const dwarf_value *v, uint64_t *offset)
{
    if (v->form != DW_FORM_rnglistx) {
        *offset = v->u;
        return 1;
    }
    const dwarf_section *s = &w->in->rnglists;
    if (v->u > s->size / u->offset_size)
        return 0;
    byte_cursor c = bc_make(s->data, s->size);
    bc_seek(&c, u->rnglists_base + v->u * u->offset_size);
    uint64_t relative = bc_uint(&c, u->offset_size);
    *offset = u->rnglists_base + relative;
    return !c.bad;
}

static void report_die_ranges(scope_report *r, const dwarf_unit *u, const die *d)
{
    const walk *w = r->w;
    if (d->has_ranges) {
        uint64_t offset;
        if (u->version >= 5 || d->ranges.form == DW_FORM_rnglistx) {
            if (rnglist_offset(w, u, &d->ranges, &offset))
                report_rnglist(r, u, offset);
        } else {
            report_ranges_v4(r, u, d->ranges.u + u->ranges_base);
        }
        return;
    }
    uint64_t low, high;
    if (!d->has_low || !d->has_high || !value_address(w, u, &d->low, &low))
        return;
    if (d->high.form == DW_FORM_addr || dwarf_form_is_addrx(d->high.form)) {
        if (!value_address(w, u, &d->high, &high))
            return;
    } else {
        high = low + d->high.u;   /* DWARF 4 on: a constant is the length */
    }
    report_range(r, low, high);
}

static uint32_t call_file_id(const dwarf_unit *u, uint64_t index)
{
    if (index < u->file_index_base || index - u->file_index_base >= u->file_count)
        return 0;
    return u->file_ids[index - u->file_index_base];
}

static pmm_status report_code_die(walk *w, const dwarf_unit *u, const die *d, uint32_t depth)
{
    if (!d->has_ranges && !(d->has_low && d->has_high))
        return PMM_OK;   /* a declaration or an abstract instance: no code of its own */
    scope_report r;
    memset(&r, 0, sizeof r);
    r.w = w;
    r.scope.name = die_name(w, u, d);
    r.scope.kind = d->abbrev->tag == DW_TAG_inlined_subroutine ? DBG_SCOPE_INLINED : DBG_SCOPE_FUNCTION;
    r.scope.origin = DBG_ORIGIN_DWARF;
    r.scope.depth = (uint16_t)depth;
    if (r.scope.kind == DBG_SCOPE_INLINED) {
        r.scope.call_file = call_file_id(u, d->call_file);
        r.scope.call_line = (uint32_t)d->call_line;
    }
    report_die_ranges(&r, u, d);
    return r.status;
}

/* ---- line programs shared by units ----------------------------------------------------------- */

typedef struct unit_line_key {
    uint64_t stmt_list;
    size_t unit;
} unit_line_key;

static int compare_line_keys(const void *a, const void *b)
{
    const unit_line_key *x = a, *y = b;
    if (x->stmt_list != y->stmt_list)
        return x->stmt_list < y->stmt_list ? -1 : 1;
    return x->unit < y->unit ? -1 : x->unit > y->unit;
}

/* Points each unit whose line program an earlier unit has too at that unit: the program is then
 * decoded once (units that all name one large program would otherwise cost its size each). */
static pmm_status share_line_programs(walk *w)
{
    if (w->unit_count < 2)
        return PMM_OK;
    unit_line_key *keys = malloc(w->unit_count * sizeof *keys);
    if (!keys)
        return PMM_ERR_NOMEM;
    for (size_t i = 0; i < w->unit_count; i++) {
        keys[i].stmt_list = w->units[i].stmt_list;
        keys[i].unit = i;
    }
    qsort(keys, w->unit_count, sizeof *keys, compare_line_keys);
    /* Sorted by offset, then unit: the first of each run of equal offsets is the earliest unit. */
    size_t first = 0;
    for (size_t i = 1; i < w->unit_count; i++) {
        if (keys[i].stmt_list != keys[first].stmt_list)
            first = i;
        else if (keys[i].stmt_list != UINT64_MAX)
            w->units[keys[i].unit].lines_from = keys[first].unit;
    }
    free(keys);
    return PMM_OK;
}

/* The unit's line program: decoded, or the files of the earlier unit that decoded it. */
static pmm_status unit_lines(walk *w, dwarf_unit *u, uint64_t stmt_list)
{
    if (u->lines_from != SIZE_MAX) {
        if (stmt_list == u->stmt_list && !u->file_ids) {
            const dwarf_unit *owner = &w->units[u->lines_from];
            u->file_ids = owner->file_ids;
            u->file_count = owner->file_count;
            u->file_index_base = owner->file_index_base;
            return PMM_OK;
        }
        /* A second unit DIE in one unit (hostile): from here the unit keeps files of its own. */
        u->file_ids = NULL;
        u->file_count = 0;
        u->lines_from = SIZE_MAX;
    }
    return dwarf_line_program(w->in, u, stmt_list, w->sink, w->stats);
}

/* ---- the walk -------------------------------------------------------------------------------- */

static void free_unit_files(dwarf_unit *u)
{
    if (u->lines_from == SIZE_MAX)
        free(u->file_ids);
    u->file_ids = NULL;
    u->file_count = 0;
}

static pmm_status walk_unit(walk *w, dwarf_unit *u)
{
    pmm_status loaded = dwarf_abbrevs_load(&w->abbrevs, &w->in->abbrev, u, &w->abbrev_budget);
    if (loaded != PMM_OK) {
        dwarf_note_problem(w->stats, loaded == PMM_ERR_LIMIT ? "abbreviation tables read over and over, stopped at unit"
                                                             : "missing abbreviation table for unit", u->offset);
        return loaded == PMM_ERR_NOMEM ? loaded : PMM_ERR_FORMAT;
    }
    /* depth[level]: how many functions and inlined calls enclose the DIEs at that tree level. */
    uint16_t depth[DWARF_MAX_DEPTH];
    unsigned level = 0;
    depth[0] = 0;
    byte_cursor c = bc_make(w->in->info.data, u->end);
    bc_seek(&c, u->die_offset);
    while (bc_left(&c) > 0) {
        die d;
        int got = read_die(w, u, &w->abbrevs, &c, &d);
        if (got < 0) {
            dwarf_note_problem(w->stats, "damaged DIE", d.offset);
            return PMM_ERR_FORMAT;
        }
        if (got == 0) {
            if (level > 0)
                level--;
            continue;
        }
        pmm_status st = PMM_OK;
        if (level == 0 && is_unit_tag(d.abbrev->tag) && d.has_stmt_list)
            st = unit_lines(w, u, d.stmt_list);
        else if (is_code_tag(d.abbrev->tag))
            st = report_code_die(w, u, &d, depth[level]);
        if (st != PMM_OK && st != PMM_ERR_FORMAT)
            return st;
        /* A type's members hold no code: jump to its next sibling (forward only, inside the unit). */
        if (d.abbrev->skippable && d.sibling) {
            if (d.sibling > bc_offset(&c) && d.sibling < u->end) {
                bc_seek(&c, d.sibling);
                continue;
            }
            dwarf_note_problem(w->stats, "DW_AT_sibling that does not lead forward", d.offset);
        }
        if (d.abbrev->has_children) {
            if (level + 1 >= DWARF_MAX_DEPTH) {
                dwarf_note_problem(w->stats, "DIEs nested too deep", d.offset);
                return PMM_ERR_FORMAT;
            }
            depth[level + 1] = (uint16_t)(depth[level] + (is_code_tag(d.abbrev->tag) ? 1 : 0));
            level++;
        }
    }
    return PMM_OK;
}

pmm_status dwarf_report(const dwarf_input *in, const dbg_sink *sink, dwarf_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    if (!in->info.data || !in->info.size)
        return PMM_ERR_NOT_FOUND;
    walk w;
    memset(&w, 0, sizeof w);
    w.in = in;
    w.sink = sink;
    w.stats = stats;
    dwarf_abbrevs_init(&w.abbrevs);
    dwarf_abbrevs_init(&w.other);
    w.abbrev_budget = (uint64_t)in->abbrev.size * ABBREV_BUDGET_PER_BYTE + ABBREV_BUDGET_EXTRA;
    pmm_status st = list_units(&w);
    if (st == PMM_OK)
        st = share_line_programs(&w);
    /* Files are kept to the end: a later unit may share them. */
    for (size_t i = 0; i < w.unit_count && st == PMM_OK; i++) {
        st = walk_unit(&w, &w.units[i]);
        stats->units++;
        if (st == PMM_ERR_FORMAT) {
            stats->units_damaged++;
            st = PMM_OK;
        }
    }
    for (size_t i = 0; i < w.unit_count; i++)
        free_unit_files(&w.units[i]);
    free(w.units);
    dwarf_abbrevs_free(&w.abbrevs);
    dwarf_abbrevs_free(&w.other);
    return st;
}
