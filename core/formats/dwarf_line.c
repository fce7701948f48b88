/* DWARF line programs (versions 2 to 5): the header's directory and file tables become sink file
 * ids, the state machine's rows become line sequences. File paths are joined the way binutils
 * joins them (compilation directory, include directory, file name), so they compare equal to
 * addr2line's. */
#include "dwarf_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../util/array.h"

enum { DW_LNS_copy = 1, DW_LNS_advance_pc, DW_LNS_advance_line, DW_LNS_set_file, DW_LNS_set_column,
       DW_LNS_negate_stmt, DW_LNS_set_basic_block, DW_LNS_const_add_pc, DW_LNS_fixed_advance_pc };
enum { DW_LNE_end_sequence = 1, DW_LNE_set_address = 2, DW_LNE_define_file = 3 };
enum { DW_LNCT_path = 1, DW_LNCT_directory_index = 2 };

#define MAX_FORMAT_ENTRIES 16u    /* content descriptions per directory or file entry */

typedef struct line_header {
    dwarf_unit form_unit;        /* the unit's sizes with the line table's own offset size */
    uint64_t program_start, program_end;
    uint8_t min_inst_length, max_ops, default_is_stmt, opcode_base;
    int8_t line_base;
    uint8_t line_range;
    const uint8_t *opcode_lengths;   /* opcode_base - 1 entries */
    const char **dirs;
    size_t dir_count, dir_cap;
    uint16_t version;
} line_header;

typedef struct line_row {
    uint64_t address;
    uint32_t file;               /* a sink file id */
    uint32_t line;
} line_row;

typedef struct line_state {
    const dwarf_input *in;
    dwarf_unit *unit;
    const dbg_sink *sink;
    dwarf_stats *stats;
    line_header h;
    line_row *rows;              /* the sequence being decoded */
    size_t row_count, row_cap;
    int rows_unsorted;
    dbg_line_row *out;           /* the same rows as RVAs, for the sink */
    size_t out_cap;
} line_state;

static int is_absolute(const char *path)
{
    return path[0] == '/' || path[0] == '\\' ||
           (((path[0] | 0x20) >= 'a' && (path[0] | 0x20) <= 'z') && path[1] == ':');
}

/* binutils' rule: a relative file name goes under its directory, and a relative directory (or
 * none) under the compilation directory. dir is the index into dirs, already made 0-based
 * (SIZE_MAX for "no directory"). */
static void join_path(const line_state *s, const char *name, size_t dir, char *out, size_t cap)
{
    if (is_absolute(name) || strcmp(name, "<unknown>") == 0) {
        snprintf(out, cap, "%s", name);
        return;
    }
    const char *subdir = dir < s->h.dir_count ? s->h.dirs[dir] : NULL;
    const char *base = (!subdir || !is_absolute(subdir)) ? s->unit->comp_dir : NULL;
    if (!base) {
        base = subdir;
        subdir = NULL;
    }
    if (!base)
        snprintf(out, cap, "%s", name);
    else if (subdir)
        snprintf(out, cap, "%s/%s/%s", base, subdir, name);
    else
        snprintf(out, cap, "%s/%s", base, name);
}

static pmm_status add_file(line_state *s, const char *name, uint64_t dir_index)
{
    /* A file without a name (an offset into .debug_line_str that leads nowhere) is not joined
     * to any folder: binutils calls it "<unknown>" too. */
    if (!name || !*name)
        name = "<unknown>";
    /* Before DWARF 5, directory 0 is the compilation directory and the list starts at 1. */
    size_t dir = SIZE_MAX;
    if (dir_index < SIZE_MAX)
        dir = s->h.version >= 5 ? (size_t)dir_index : (dir_index ? (size_t)dir_index - 1 : SIZE_MAX);
    char path[1024];
    join_path(s, name, dir, path, sizeof path);
    uint32_t id;
    pmm_status st = s->sink->file(s->sink->ctx, path, &id);
    if (st != PMM_OK)
        return st;
    dwarf_unit *u = s->unit;
    size_t cap = u->file_count;
    uint32_t *grown = realloc(u->file_ids, (cap + 1) * sizeof *grown);
    if (!grown)
        return PMM_ERR_NOMEM;
    u->file_ids = grown;
    u->file_ids[u->file_count++] = id;
    return PMM_OK;
}

static pmm_status add_dir(line_state *s, const char *dir)
{
    pmm_status st = pmm_array_reserve((void **)&s->h.dirs, &s->h.dir_cap, s->h.dir_count + 1, sizeof *s->h.dirs);
    if (st == PMM_OK)
        s->h.dirs[s->h.dir_count++] = dir ? dir : "";
    return st;
}

/* DWARF 2 to 4: NUL-terminated directory strings, then file entries (name, directory index,
 * time, size), each list ended by an empty string. */
static pmm_status read_tables_v4(line_state *s, byte_cursor *c)
{
    for (;;) {
        const char *dir = bc_cstr(c);
        if (!dir)
            return PMM_ERR_FORMAT;
        if (!*dir)
            break;
        pmm_status st = add_dir(s, dir);
        if (st != PMM_OK)
            return st;
    }
    for (;;) {
        const char *name = bc_cstr(c);
        if (!name)
            return PMM_ERR_FORMAT;
        if (!*name)
            return PMM_OK;
        uint64_t dir = bc_uleb(c);
        bc_uleb(c);
        bc_uleb(c);
        if (c->bad)
            return PMM_ERR_FORMAT;
        pmm_status st = add_file(s, name, dir);
        if (st != PMM_OK)
            return st;
    }
}

/* DWARF 5: each table is described by (content type, form) pairs, then its entries. */
static pmm_status read_table_v5(line_state *s, byte_cursor *c, int files)
{
    uint8_t format_count = bc_u8(c);
    if (format_count > MAX_FORMAT_ENTRIES)
        return PMM_ERR_FORMAT;
    dwarf_attr_spec formats[MAX_FORMAT_ENTRIES];
    for (uint8_t i = 0; i < format_count; i++) {
        formats[i].name = (uint32_t)bc_uleb(c);
        formats[i].form = (uint32_t)bc_uleb(c);
        formats[i].implicit_const = 0;
    }
    uint64_t count = bc_uleb(c);
    if (c->bad || count > bc_left(c))
        return PMM_ERR_FORMAT;
    for (uint64_t n = 0; n < count; n++) {
        const char *path = NULL;
        uint64_t dir = 0;
        for (uint8_t i = 0; i < format_count; i++) {
            dwarf_value v;
            dwarf_read_value(s->in, &s->h.form_unit, c, &formats[i], &v);
            if (formats[i].name == DW_LNCT_path)
                path = dwarf_form_is_strx(v.form) ? dwarf_resolve_strx(s->in, s->unit, v.u) : v.str;
            else if (formats[i].name == DW_LNCT_directory_index)
                dir = v.u;
        }
        if (c->bad)
            return PMM_ERR_FORMAT;
        pmm_status st = files ? add_file(s, path, dir) : add_dir(s, path);
        if (st != PMM_OK)
            return st;
    }
    return PMM_OK;
}

static pmm_status read_header(line_state *s, uint64_t offset)
{
    line_header *h = &s->h;
    byte_cursor c = bc_make(s->in->line.data, s->in->line.size);
    bc_seek(&c, offset);
    h->form_unit = *s->unit;
    uint64_t length = bc_u32(&c);
    h->form_unit.offset_size = 4;
    if (length == 0xffffffffu) {
        length = bc_u64(&c);
        h->form_unit.offset_size = 8;
    }
    if (c.bad || length > bc_left(&c))
        return PMM_ERR_FORMAT;
    h->program_end = bc_offset(&c) + length;
    uint16_t version = bc_u16(&c);
    if (version < 2 || version > 5)
        return PMM_ERR_FORMAT;
    h->version = version;
    /* Row and call-site file numbers count from 1 before DWARF 5, from 0 after. */
    s->unit->file_index_base = version >= 5 ? 0 : 1;
    if (version >= 5) {
        h->form_unit.address_size = bc_u8(&c);
        bc_u8(&c);   /* segment selector size */
    }
    uint64_t header_length = bc_uint(&c, h->form_unit.offset_size);
    if (c.bad || header_length > h->program_end - bc_offset(&c))
        return PMM_ERR_FORMAT;
    h->program_start = bc_offset(&c) + header_length;
    h->min_inst_length = bc_u8(&c);
    h->max_ops = version >= 4 ? bc_u8(&c) : 1;
    h->default_is_stmt = bc_u8(&c);
    h->line_base = (int8_t)bc_u8(&c);
    h->line_range = bc_u8(&c);
    h->opcode_base = bc_u8(&c);
    h->opcode_lengths = bc_bytes(&c, h->opcode_base ? h->opcode_base - 1u : 0u);
    if (c.bad || h->line_range == 0 || h->max_ops == 0 || h->opcode_base == 0)
        return PMM_ERR_FORMAT;
    /* The tables end where the program starts; a header that claims less is damaged. */
    byte_cursor tables = bc_make(s->in->line.data, h->program_start);
    bc_seek(&tables, bc_offset(&c));
    pmm_status st;
    if (version >= 5) {
        st = read_table_v5(s, &tables, 0);
        if (st == PMM_OK)
            st = read_table_v5(s, &tables, 1);
    } else {
        st = read_tables_v4(s, &tables);
    }
    return st;
}

/* ---- the state machine ------------------------------------------------------------------------ */

static pmm_status add_row(line_state *s, uint64_t address, uint64_t file, uint64_t line)
{
    if (s->row_count && address < s->rows[s->row_count - 1].address)
        s->rows_unsorted = 1;
    pmm_status st = pmm_array_reserve((void **)&s->rows, &s->row_cap, s->row_count + 1, sizeof *s->rows);
    if (st != PMM_OK)
        return st;
    const dwarf_unit *u = s->unit;
    line_row *r = &s->rows[s->row_count++];
    r->address = address;
    r->file = file >= u->file_index_base && file - u->file_index_base < u->file_count
                  ? u->file_ids[file - u->file_index_base] : 0;
    r->line = (uint32_t)line;
    return PMM_OK;
}

/* A sequence that is not wholly inside the image (code the linker discarded sits at address 0)
 * is dropped. A program may run backwards (hostile or odd input): the rows are then sorted, so
 * lookups stay sound. */
static pmm_status end_sequence(line_state *s, uint64_t end_address)
{
    const dwarf_input *in = s->in;
    size_t n = s->row_count;
    int unsorted = s->rows_unsorted;
    s->row_count = 0;
    s->rows_unsorted = 0;
    if (n == 0)
        return PMM_OK;
    uint64_t low = UINT64_MAX;
    for (size_t i = 0; i < n; i++)
        low = s->rows[i].address < low ? s->rows[i].address : low;
    if (low < in->image_base || end_address <= low || end_address - in->image_base > in->image_size)
        return PMM_OK;
    pmm_status st = pmm_array_reserve((void **)&s->out, &s->out_cap, n, sizeof *s->out);
    if (st != PMM_OK)
        return st;
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        if (s->rows[i].address < end_address) {
            dbg_line_row r = {(uint32_t)(s->rows[i].address - in->image_base), s->rows[i].file, s->rows[i].line};
            s->out[kept++] = r;
        }
    if (unsorted && (st = dbg_sort_rows(s->out, kept)) != PMM_OK)
        return st;
    s->stats->sequences++;
    return kept ? s->sink->sequence(s->sink->ctx, s->out, kept, (uint32_t)(end_address - in->image_base)) : PMM_OK;
}

static pmm_status extended_op(line_state *s, byte_cursor *c, uint64_t *address, int *ended)
{
    uint64_t len = bc_uleb(c);
    if (c->bad || len == 0 || len > bc_left(c))
        return PMM_ERR_FORMAT;
    byte_cursor op = bc_make(c->p, (size_t)len);
    bc_skip(c, len);
    switch (bc_u8(&op)) {
    case DW_LNE_end_sequence: *ended = 1; break;
    case DW_LNE_set_address:
        *address = bc_uint(&op, (unsigned)(len - 1 <= 8 ? len - 1 : 8));
        break;
    case DW_LNE_define_file: {
        const char *name = bc_cstr(&op);
        uint64_t dir = bc_uleb(&op);
        if (op.bad)
            return PMM_ERR_FORMAT;
        return add_file(s, name, dir);
    }
    default: break;   /* set_discriminator and vendor operations: nothing to keep */
    }
    return op.bad ? PMM_ERR_FORMAT : PMM_OK;
}

static pmm_status run_program(line_state *s)
{
    const line_header *h = &s->h;
    byte_cursor c = bc_make(s->in->line.data, h->program_end);
    bc_seek(&c, h->program_start);
    uint64_t address = 0, file = 1, line = 1, op_index = 0;
    pmm_status st = PMM_OK;
    /* Every operation consumes at least one byte, so the program's size bounds the loop. */
    while (bc_left(&c) > 0 && st == PMM_OK) {
        uint8_t opcode = bc_u8(&c);
        uint64_t advance = 0;
        int row = 0, ended = 0;
        if (opcode >= h->opcode_base) {
            uint8_t adjusted = (uint8_t)(opcode - h->opcode_base);
            advance = adjusted / h->line_range;
            line += (uint64_t)(int64_t)(h->line_base + adjusted % h->line_range);
            row = 1;
        } else if (opcode == 0) {
            st = extended_op(s, &c, &address, &ended);
            row = ended;
        } else {
            switch (opcode) {
            case DW_LNS_copy: row = 1; break;
            case DW_LNS_advance_pc: advance = bc_uleb(&c); break;
            case DW_LNS_advance_line: line += (uint64_t)bc_sleb(&c); break;
            case DW_LNS_set_file: file = bc_uleb(&c); break;
            case DW_LNS_const_add_pc: advance = (255u - h->opcode_base) / h->line_range; break;
            case DW_LNS_fixed_advance_pc: address += bc_u16(&c); op_index = 0; break;
            default:
                for (uint8_t i = 0; i < h->opcode_lengths[opcode - 1]; i++)
                    bc_uleb(&c);
                break;
            }
        }
        if (advance) {
            address += h->min_inst_length * ((op_index + advance) / h->max_ops);
            op_index = (op_index + advance) % h->max_ops;
        }
        if (ended && st == PMM_OK) {
            /* The end row only marks where the last row's code ends. */
            st = end_sequence(s, address);
            address = 0, file = 1, line = 1, op_index = 0;
        } else if (row && st == PMM_OK) {
            st = add_row(s, address, file, line);
        }
    }
    if (st == PMM_OK && c.bad)
        st = PMM_ERR_FORMAT;
    return st;
}

pmm_status dwarf_line_program(const dwarf_input *in, dwarf_unit *u, uint64_t offset, const dbg_sink *sink,
                              dwarf_stats *stats)
{
    line_state s;
    memset(&s, 0, sizeof s);
    s.in = in;
    s.unit = u;
    s.sink = sink;
    s.stats = stats;
    if (!in->line.data || offset >= in->line.size) {
        dwarf_note_problem(stats, "line program offset outside .debug_line", offset);
        return PMM_ERR_FORMAT;
    }
    pmm_status st = read_header(&s, offset);
    if (st == PMM_OK)
        st = run_program(&s);
    if (st == PMM_ERR_FORMAT)
        dwarf_note_problem(stats, "damaged line program", offset);
    free(s.rows);
    free(s.out);
    free(s.h.dirs);
    return st;
}
