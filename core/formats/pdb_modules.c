/* One module (object file) of a PDB: its symbol stream holds the functions (S_*PROC32 with their
 * code size, S_THUNK32), followed by C11 lines (not read) and C13 debug subsections: a file
 * checksum table and line blocks per function. */
#include "pdb_internal.h"

#include <stdlib.h>
#include <string.h>
#include "../util/array.h"

enum { DEBUG_S_LINES = 0xf2, DEBUG_S_FILECHKSMS = 0xf4 };
enum { CV_LINES_HAVE_COLUMNS = 1 };
#define CV_SIGNATURE_C13 4u
#define MAX_LINES_PER_BLOCK 0x100000u

typedef struct module_entry {
    uint16_t stream;
    uint32_t symbols_size;       /* including the 4-byte signature */
    uint32_t c11_size, c13_size;
} module_entry;

static int read_entry(byte_cursor *c, module_entry *m)
{
    size_t start = bc_offset(c);
    bc_skip(c, 34);
    m->stream = bc_u16(c);
    m->symbols_size = bc_u32(c);
    m->c11_size = bc_u32(c);
    m->c13_size = bc_u32(c);
    bc_skip(c, PDB_MODULE_INFO_SIZE - 48);
    bc_cstr(c);   /* module name */
    bc_cstr(c);   /* object file name */
    size_t used = bc_offset(c) - start;
    bc_skip(c, (4 - used % 4) % 4);
    return !c->bad;
}

static pmm_status report_proc(const pdb_context *ctx, byte_cursor *r, uint16_t kind)
{
    uint32_t size, offset, rva;
    uint16_t segment;
    if (kind == S_THUNK32) {
        bc_skip(r, 12);
        offset = bc_u32(r);
        segment = bc_u16(r);
        size = bc_u16(r);
        bc_u8(r);
    } else {
        bc_skip(r, 12);
        size = bc_u32(r);
        bc_skip(r, 12);
        offset = bc_u32(r);
        segment = bc_u16(r);
        bc_u8(r);
    }
    const char *name = bc_cstr(r);
    if (r->bad || !name || !pdb_rva(ctx, segment, offset, &rva) || (uint64_t)rva + size > UINT32_MAX)
        return PMM_OK;
    dbg_scope s = {rva, size, name, DBG_SCOPE_FUNCTION, DBG_ORIGIN_PDB, 0, 0, 0};
    ctx->stats->functions++;
    return ctx->sink->scope(ctx->sink->ctx, &s);
}

static int is_proc(uint16_t kind)
{
    return kind == S_GPROC32 || kind == S_LPROC32 || kind == S_GPROC32_ID || kind == S_LPROC32_ID ||
           kind == S_LPROC32_DPC || kind == S_LPROC32_DPC_ID || kind == S_THUNK32;
}

static pmm_status report_symbols(const pdb_context *ctx, const uint8_t *data, size_t size)
{
    byte_cursor c = bc_make(data, size);
    pmm_status st = PMM_OK;
    while (bc_left(&c) >= 4 && st == PMM_OK) {
        uint16_t length = bc_u16(&c);
        if (length < 2 || length > bc_left(&c)) {
            pdb_note_problem(ctx->stats, "damaged module symbol record", (uint32_t)bc_offset(&c));
            return PMM_ERR_FORMAT;
        }
        byte_cursor r = bc_make(c.p, length);
        bc_skip(&c, length);
        uint16_t kind = bc_u16(&r);
        if (is_proc(kind))
            st = report_proc(ctx, &r, kind);
    }
    return st;
}

/* ---- C13 lines ------------------------------------------------------------------------------- */

typedef struct line_blocks {
    dbg_line_row *rows;
    size_t count, cap;
} line_blocks;

/* The source file a checksum entry names: its first field is an offset into "/names". */
static pmm_status file_id_at(const pdb_context *ctx, const byte_cursor *checksums, uint32_t offset, uint32_t *id)
{
    *id = 0;
    if (!checksums)
        return PMM_OK;
    byte_cursor c = *checksums;
    bc_seek(&c, offset);
    uint32_t name_offset = bc_u32(&c);
    const char *name = c.bad ? NULL : bc_string_at(ctx->names, ctx->names_size, name_offset);
    if (!name || !*name)
        return PMM_OK;
    return ctx->sink->file(ctx->sink->ctx, name, id);
}

/* A DEBUG_S_LINES subsection: a code range (offset, segment, flags, size), then blocks of
 * (file checksum offset, line count, block size) with 8-byte line entries and, when flagged,
 * 4-byte column entries after them. All of it becomes one line sequence. */
static pmm_status report_lines(const pdb_context *ctx, byte_cursor *s, const byte_cursor *checksums,
                               line_blocks *rows)
{
    uint32_t code_offset = bc_u32(s);
    uint16_t segment = bc_u16(s);
    uint16_t flags = bc_u16(s);
    uint32_t code_size = bc_u32(s);
    uint32_t start;
    if (s->bad || !pdb_rva(ctx, segment, code_offset, &start) || (uint64_t)start + code_size > UINT32_MAX)
        return PMM_OK;
    rows->count = 0;
    while (bc_left(s) >= 12) {
        uint32_t file_offset = bc_u32(s), lines = bc_u32(s);
        bc_u32(s);   /* block size */
        uint64_t entry_bytes = (uint64_t)lines * ((flags & CV_LINES_HAVE_COLUMNS) ? 12 : 8);
        if (lines > MAX_LINES_PER_BLOCK || entry_bytes > bc_left(s)) {
            pdb_note_problem(ctx->stats, "line block larger than its subsection", (uint32_t)bc_offset(s));
            return PMM_ERR_FORMAT;
        }
        uint32_t file;
        pmm_status st = file_id_at(ctx, checksums, file_offset, &file);
        if (st == PMM_OK)
            st = pmm_array_reserve((void **)&rows->rows, &rows->cap, rows->count + lines, sizeof *rows->rows);
        if (st != PMM_OK)
            return st;
        for (uint32_t i = 0; i < lines; i++) {
            uint32_t offset = bc_u32(s), line = bc_u32(s) & 0xffffff;
            if (offset < code_size) {
                dbg_line_row r = {start + offset, file, line};
                rows->rows[rows->count++] = r;
            }
        }
        if (flags & CV_LINES_HAVE_COLUMNS)
            bc_skip(s, (uint64_t)lines * 4);
        ctx->stats->line_blocks++;
    }
    if (!rows->count)
        return PMM_OK;
    pmm_status st = dbg_sort_rows(rows->rows, rows->count);
    if (st != PMM_OK)
        return st;
    return ctx->sink->sequence(ctx->sink->ctx, rows->rows, rows->count, start + code_size);
}

/* Subsections: kind u32, length u32, data padded to 4 bytes. The checksums are found first,
 * since line blocks refer to them and may come before them. */
static pmm_status report_c13(const pdb_context *ctx, const uint8_t *data, size_t size)
{
    byte_cursor checksums;
    int have_checksums = 0;
    for (int pass = 0; pass < 2; pass++) {
        byte_cursor c = bc_make(data, size);
        line_blocks rows = {NULL, 0, 0};
        pmm_status st = PMM_OK;
        while (bc_left(&c) >= 8 && st == PMM_OK) {
            uint32_t kind = bc_u32(&c), length = bc_u32(&c);
            if (length > bc_left(&c)) {
                pdb_note_problem(ctx->stats, "C13 subsection runs past its module", (uint32_t)bc_offset(&c));
                st = PMM_ERR_FORMAT;
                break;
            }
            byte_cursor s = bc_make(c.p, length);
            bc_skip(&c, length);
            size_t padding = (4 - length % 4) % 4;
            bc_skip(&c, padding < bc_left(&c) ? padding : bc_left(&c));
            if (pass == 0 && kind == DEBUG_S_FILECHKSMS) {
                checksums = s;
                have_checksums = 1;
            } else if (pass == 1 && kind == DEBUG_S_LINES) {
                st = report_lines(ctx, &s, have_checksums ? &checksums : NULL, &rows);
            }
        }
        free(rows.rows);
        if (st != PMM_OK)
            return st;
    }
    return PMM_OK;
}

pmm_status pdb_report_module(const pdb_context *ctx, byte_cursor *c)
{
    module_entry m;
    if (!read_entry(c, &m)) {
        pdb_note_problem(ctx->stats, "damaged module entry in the DBI stream", (uint32_t)bc_offset(c));
        ctx->stats->modules_damaged++;
        return PMM_OK;
    }
    if (m.stream == 0xffff || m.symbols_size < 4)
        return PMM_OK;
    uint8_t *data;
    size_t size;
    pmm_status st = msf_read_stream(&ctx->pdb->msf, m.stream, &data, &size);
    if (st != PMM_OK) {
        ctx->stats->modules_damaged++;
        return st == PMM_ERR_NOMEM ? st : PMM_OK;
    }
    byte_cursor sig = bc_make(data, size);
    uint64_t c13_at = (uint64_t)m.symbols_size + m.c11_size;
    if (bc_u32(&sig) != CV_SIGNATURE_C13 || m.symbols_size > size || c13_at + m.c13_size > size) {
        pdb_note_problem(ctx->stats, "module stream smaller than its DBI entry says", m.stream);
        ctx->stats->modules_damaged++;
        free(data);
        return PMM_OK;
    }
    pmm_status symbols = report_symbols(ctx, data + 4, m.symbols_size - 4);
    pmm_status lines = symbols == PMM_OK || symbols == PMM_ERR_FORMAT
                           ? report_c13(ctx, data + c13_at, m.c13_size) : PMM_OK;
    free(data);
    if (symbols == PMM_ERR_FORMAT || lines == PMM_ERR_FORMAT)
        ctx->stats->modules_damaged++;
    if (symbols != PMM_OK && symbols != PMM_ERR_FORMAT)
        return symbols;
    return lines == PMM_ERR_FORMAT ? PMM_OK : lines;
}
