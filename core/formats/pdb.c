/* The PDB info stream (identity and named streams), the DBI stream (modules, optional debug
 * streams such as the section headers) and the public symbols in the symbol record stream. */
#include "pdb_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PDB_STREAM_INFO = 1, PDB_STREAM_DBI = 3 };
enum { DBG_HEADER_SECTION_HEADERS = 5 };
#define SECTION_HEADER_SIZE 40u
#define NO_STREAM 0xffffu

void pdb_note_problem(pdb_stats *stats, const char *what, uint32_t where)
{
    if (!stats->problem[0])
        snprintf(stats->problem, sizeof stats->problem, "%s (at 0x%x)", what, where);
}

static pmm_status fail(char *message, size_t cap, pmm_status st, const char *why)
{
    snprintf(message, cap, "%s", why);
    return st;
}

/* The named stream map after the info header: a string buffer, then a hash table of
 * (string offset -> stream number) pairs in the buckets its "present" bit vector marks. */
static uint32_t find_named_stream(byte_cursor *c, const char *wanted)
{
    uint32_t strings_size = bc_u32(c);
    const uint8_t *strings = bc_bytes(c, strings_size);
    bc_u32(c);   /* entries */
    uint32_t capacity = bc_u32(c);
    uint32_t present_words = bc_u32(c);
    if (c->bad || present_words > bc_left(c) / 4)
        return 0;
    const uint8_t *present = bc_bytes(c, (uint64_t)present_words * 4);
    uint32_t deleted_words = bc_u32(c);
    bc_skip(c, (uint64_t)deleted_words * 4);
    uint64_t buckets = (uint64_t)present_words * 32 < capacity ? (uint64_t)present_words * 32 : capacity;
    for (uint64_t i = 0; i < buckets && !c->bad; i++) {
        if (!(present[i / 8] & (1u << (i % 8))))
            continue;
        uint32_t key = bc_u32(c), stream = bc_u32(c);
        const char *name = bc_string_at(strings, strings_size, key);
        if (!c->bad && name && strcmp(name, wanted) == 0)
            return stream;
    }
    return 0;
}

static pmm_status read_info(pdb_file *pdb, char *message, size_t cap)
{
    uint8_t *data;
    size_t size;
    pmm_status st = msf_read_stream(&pdb->msf, PDB_STREAM_INFO, &data, &size);
    if (st == PMM_ERR_NOMEM)
        return st;
    if (st != PMM_OK || size < 28) {
        free(data);
        return fail(message, cap, PMM_ERR_FORMAT, "the PDB info stream is missing or too short");
    }
    byte_cursor c = bc_make(data, size);
    bc_u32(&c);   /* version */
    bc_u32(&c);   /* signature (a timestamp) */
    pdb->info_age = bc_u32(&c);
    memcpy(pdb->guid, bc_bytes(&c, 16), 16);
    pdb->names_stream = find_named_stream(&c, "/names");
    free(data);
    return PMM_OK;
}

/* Offsets of the DBI substreams, checked to lie inside the stream. */
typedef struct dbi_layout {
    uint32_t modules_offset, modules_size;
    uint32_t debug_header_offset, debug_header_size;
    uint16_t symbol_records_stream;
} dbi_layout;

static int dbi_layout_of(const pdb_file *pdb, dbi_layout *l)
{
    byte_cursor c = bc_make(pdb->dbi, pdb->dbi_size);
    bc_skip(&c, 20);
    l->symbol_records_stream = bc_u16(&c);
    bc_skip(&c, 2);
    uint32_t sizes[6];   /* modules, section contributions, section map, source info, type servers, EC */
    for (int i = 0; i < 4; i++)
        sizes[i] = bc_u32(&c);
    sizes[4] = bc_u32(&c);
    bc_u32(&c);          /* MFC type server index */
    uint32_t debug_header_size = bc_u32(&c);
    sizes[5] = bc_u32(&c);
    if (c.bad)
        return 0;
    uint64_t at = PDB_DBI_HEADER_SIZE;
    l->modules_offset = (uint32_t)at;
    l->modules_size = sizes[0];
    for (int i = 0; i < 6; i++)
        at += sizes[i];
    l->debug_header_offset = (uint32_t)(at <= pdb->dbi_size ? at : 0);
    l->debug_header_size = debug_header_size;
    return (uint64_t)l->modules_offset + l->modules_size <= pdb->dbi_size &&
           at + debug_header_size <= pdb->dbi_size;
}

/* The section header stream that the DBI's optional debug header names: VirtualAddress of each. */
static pmm_status read_section_headers(pdb_file *pdb, const dbi_layout *l)
{
    if (l->debug_header_size < 2 * (DBG_HEADER_SECTION_HEADERS + 1))
        return PMM_OK;
    byte_cursor c = bc_make(pdb->dbi + l->debug_header_offset, l->debug_header_size);
    bc_skip(&c, 2 * DBG_HEADER_SECTION_HEADERS);
    uint16_t stream = bc_u16(&c);
    if (stream == NO_STREAM)
        return PMM_OK;
    uint8_t *data;
    size_t size;
    pmm_status st = msf_read_stream(&pdb->msf, stream, &data, &size);
    if (st != PMM_OK)
        return st == PMM_ERR_NOMEM ? st : PMM_OK;
    size_t count = size / SECTION_HEADER_SIZE;
    pdb->section_rvas = malloc((count ? count : 1) * sizeof *pdb->section_rvas);
    if (!pdb->section_rvas) {
        free(data);
        return PMM_ERR_NOMEM;
    }
    for (size_t i = 0; i < count; i++) {
        byte_cursor h = bc_make(data + i * SECTION_HEADER_SIZE + 12, 4);
        pdb->section_rvas[i] = bc_u32(&h);
    }
    pdb->section_count = count;
    free(data);
    return PMM_OK;
}

pmm_status pdb_open(pmm_source *src, uint64_t file_size, pdb_file *out, char *message, size_t cap)
{
    memset(out, 0, sizeof *out);
    pmm_status st = msf_open(src, file_size, &out->msf, message, cap);
    if (st != PMM_OK)
        return st;
    st = read_info(out, message, cap);
    if (st == PMM_OK) {
        st = msf_read_stream(&out->msf, PDB_STREAM_DBI, &out->dbi, &out->dbi_size);
        if (st == PMM_OK && out->dbi_size < PDB_DBI_HEADER_SIZE)
            st = fail(message, cap, PMM_ERR_FORMAT, "the DBI stream is missing or too short");
        else if (st != PMM_OK && st != PMM_ERR_NOMEM)
            st = fail(message, cap, PMM_ERR_FORMAT, "the DBI stream cannot be read");
    }
    dbi_layout l;
    if (st == PMM_OK && !dbi_layout_of(out, &l))
        st = fail(message, cap, PMM_ERR_FORMAT, "the DBI stream's substream sizes do not fit it");
    if (st == PMM_OK) {
        byte_cursor c = bc_make(out->dbi + 8, 4);
        out->dbi_age = bc_u32(&c);
        st = read_section_headers(out, &l);
    }
    if (st != PMM_OK)
        pdb_close(out);
    return st;
}

void pdb_close(pdb_file *pdb)
{
    msf_close(&pdb->msf);
    free(pdb->dbi);
    free(pdb->section_rvas);
    memset(pdb, 0, sizeof *pdb);
}

int pdb_matches(const pdb_file *pdb, const uint8_t guid[16], uint32_t age)
{
    return memcmp(pdb->guid, guid, 16) == 0 && (pdb->dbi_age ? pdb->dbi_age : pdb->info_age) == age;
}

int pdb_rva(const pdb_context *ctx, uint16_t segment, uint32_t offset, uint32_t *rva)
{
    if (segment == 0 || segment > ctx->section_count)
        return 0;
    uint64_t sum = (uint64_t)ctx->section_rvas[segment - 1] + offset;
    if (sum > UINT32_MAX)
        return 0;
    *rva = (uint32_t)sum;
    return 1;
}

/* S_PUB32: flags u32, offset u32, segment u16, name. */
static pmm_status report_publics(const pdb_context *ctx, const dbi_layout *l)
{
    uint8_t *data;
    size_t size;
    pmm_status st = msf_read_stream(&ctx->pdb->msf, l->symbol_records_stream, &data, &size);
    if (st != PMM_OK)
        return st == PMM_ERR_NOMEM ? st : PMM_OK;
    byte_cursor c = bc_make(data, size);
    while (bc_left(&c) >= 4 && st == PMM_OK) {
        uint16_t length = bc_u16(&c);
        byte_cursor r = bc_make(c.p, length <= bc_left(&c) ? length : bc_left(&c));
        bc_skip(&c, length);
        if (c.bad || length < 2) {
            pdb_note_problem(ctx->stats, "damaged symbol record", (uint32_t)bc_offset(&c));
            break;
        }
        if (bc_u16(&r) != S_PUB32)
            continue;
        bc_u32(&r);
        uint32_t offset = bc_u32(&r), rva;
        uint16_t segment = bc_u16(&r);
        const char *name = bc_cstr(&r);
        if (r.bad || !name || !pdb_rva(ctx, segment, offset, &rva))
            continue;
        dbg_scope s = {rva, 0, name, DBG_SCOPE_SYMBOL, DBG_ORIGIN_PDB, 0, 0, 0};
        st = ctx->sink->scope(ctx->sink->ctx, &s);
        ctx->stats->publics++;
    }
    free(data);
    return st;
}

static pmm_status report_modules(const pdb_context *ctx, const dbi_layout *l)
{
    byte_cursor c = bc_make(ctx->pdb->dbi + l->modules_offset, l->modules_size);
    pmm_status st = PMM_OK;
    /* Each entry takes at least 64 bytes, so the substream's size bounds the loop. */
    while (bc_left(&c) >= PDB_MODULE_INFO_SIZE && st == PMM_OK) {
        st = pdb_report_module(ctx, &c);
        ctx->stats->modules++;
    }
    return st;
}

pmm_status pdb_report(pdb_file *pdb, const uint32_t *image_sections, size_t image_section_count,
                      const dbg_sink *sink, pdb_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    dbi_layout l;
    if (!dbi_layout_of(pdb, &l))
        return PMM_ERR_FORMAT;
    pdb_context ctx = {pdb, sink, stats, pdb->section_rvas, pdb->section_count, NULL, 0};
    if (!pdb->section_count) {
        ctx.section_rvas = image_sections;
        ctx.section_count = image_section_count;
    }
    uint8_t *names = NULL;
    size_t names_size = 0;
    pmm_status st = pdb->names_stream ? msf_read_stream(&pdb->msf, pdb->names_stream, &names, &names_size) : PMM_OK;
    if (st == PMM_ERR_NOMEM)
        return st;
    /* "/names": signature, hash version, then the size of the string buffer that follows. */
    if (names_size >= 12) {
        byte_cursor c = bc_make(names, names_size);
        bc_skip(&c, 8);
        uint32_t buffer_size = bc_u32(&c);
        ctx.names = names + 12;
        ctx.names_size = buffer_size <= names_size - 12 ? buffer_size : names_size - 12;
    }
    st = report_publics(&ctx, &l);
    if (st == PMM_OK)
        st = report_modules(&ctx, &l);
    free(names);
    return st;
}
