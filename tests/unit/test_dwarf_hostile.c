/* The DWARF reader on hostile sections built here byte by byte: references that cycle, a sibling
 * link that points backwards, damaged abbreviations (unknown tables, DW_FORM_indirect naming
 * itself, DIEs nested without end), line programs that run backwards, and every truncation of a
 * valid build. Each must end (no hang), say what was wrong (dwarf_stats.problem) and still read
 * what was sound. The sections are copied to buffers of their exact size, so ASan catches any read
 * past their end. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "core/formats/dwarf.h"

#define IMAGE_BASE 0x180000000ull
#define IMAGE_SIZE 0x10000u

/* ---- a byte builder ---------------------------------------------------------------------------- */

typedef struct bytes {
    uint8_t data[65536];
    size_t size;
} bytes;

static void put8(bytes *b, uint64_t v)
{
    if (b->size < sizeof b->data)
        b->data[b->size++] = (uint8_t)v;
}

static void put_le(bytes *b, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        put8(b, v >> (8 * i));
}

static void put_uleb(bytes *b, uint64_t v)
{
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        put8(b, byte | (v ? 0x80 : 0));
    } while (v);
}

static void put_sleb(bytes *b, int64_t v)
{
    for (;;) {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        int done = (v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40));
        put8(b, byte | (done ? 0 : 0x80));
        if (done)
            return;
    }
}

static void put_str(bytes *b, const char *s)
{
    do
        put8(b, (uint8_t)*s);
    while (*s++);
}

static void patch32(bytes *b, size_t at, uint32_t v)
{
    for (unsigned i = 0; i < 4; i++)
        b->data[at + i] = (uint8_t)(v >> (8 * i));
}

/* ---- the abbreviation table every unit here uses (offset 0) ------------------------------------ */

enum {
    TAG_member = 0x0d, TAG_lexical_block = 0x0b, TAG_compile_unit = 0x11, TAG_structure_type = 0x13,
    TAG_subprogram = 0x2e,
    AT_sibling = 0x01, AT_name = 0x03, AT_stmt_list = 0x10, AT_low_pc = 0x11, AT_high_pc = 0x12,
    AT_abstract_origin = 0x31,
    FORM_addr = 0x01, FORM_data4 = 0x06, FORM_string = 0x08, FORM_ref4 = 0x13, FORM_indirect = 0x16,
    FORM_sec_offset = 0x17
};

enum {
    AB_UNIT = 1,          /* compile unit: name, stmt_list */
    AB_FUNCTION,          /* subprogram: name, low_pc, high_pc (length) */
    AB_FUNCTION_ORIGIN,   /* subprogram: abstract_origin, low_pc, high_pc */
    AB_ABSTRACT,          /* subprogram without code: abstract_origin */
    AB_DECLARATION,       /* subprogram without code: name */
    AB_TYPE,              /* structure with members: sibling */
    AB_MEMBER,            /* member: name */
    AB_INDIRECT_NAME,     /* subprogram: name in a form the data names (DW_FORM_indirect) */
    AB_BLOCK,             /* lexical block with children, no attributes */
    AB_BARE_UNIT          /* compile unit without a line program: name */
};

static void abbrev(bytes *b, unsigned code, unsigned tag, int children, const unsigned *attrs, size_t n)
{
    put_uleb(b, code);
    put_uleb(b, tag);
    put8(b, children);
    for (size_t i = 0; i < n; i++)
        put_uleb(b, attrs[i]);
    put8(b, 0);
    put8(b, 0);
}

static void build_abbrevs(bytes *b)
{
    static const unsigned unit[] = {AT_name, FORM_string, AT_stmt_list, FORM_sec_offset};
    static const unsigned function[] = {AT_name, FORM_string, AT_low_pc, FORM_addr, AT_high_pc, FORM_data4};
    static const unsigned with_origin[] = {AT_abstract_origin, FORM_ref4, AT_low_pc, FORM_addr, AT_high_pc, FORM_data4};
    static const unsigned abstract[] = {AT_abstract_origin, FORM_ref4};
    static const unsigned declaration[] = {AT_name, FORM_string};
    static const unsigned type[] = {AT_sibling, FORM_ref4};
    static const unsigned indirect[] = {AT_name, FORM_indirect};
    b->size = 0;
    abbrev(b, AB_UNIT, TAG_compile_unit, 1, unit, 4);
    abbrev(b, AB_FUNCTION, TAG_subprogram, 0, function, 6);
    abbrev(b, AB_FUNCTION_ORIGIN, TAG_subprogram, 0, with_origin, 6);
    abbrev(b, AB_ABSTRACT, TAG_subprogram, 0, abstract, 2);
    abbrev(b, AB_DECLARATION, TAG_subprogram, 0, declaration, 2);
    abbrev(b, AB_TYPE, TAG_structure_type, 1, type, 2);
    abbrev(b, AB_MEMBER, TAG_member, 0, declaration, 2);
    abbrev(b, AB_INDIRECT_NAME, TAG_subprogram, 0, indirect, 2);
    abbrev(b, AB_BLOCK, TAG_lexical_block, 1, NULL, 0);
    abbrev(b, AB_BARE_UNIT, TAG_compile_unit, 1, declaration, 2);
    put8(b, 0);
}

/* ---- units and DIEs (DWARF 4, 32-bit offsets, 8-byte addresses) -------------------------------- */

#define UNIT_HEADER_SIZE 11u     /* length, version, abbreviation offset, address size */

/* Starts a unit; returns its offset, which ref4 values count from. */
static size_t unit_begin(bytes *b, uint32_t abbrev_offset)
{
    size_t start = b->size;
    put_le(b, 0, 4);          /* unit_length, patched by unit_end */
    put_le(b, 4, 2);          /* version */
    put_le(b, abbrev_offset, 4);
    put8(b, 8);               /* address size */
    return start;
}

static void unit_end(bytes *b, size_t start)
{
    patch32(b, start, (uint32_t)(b->size - start - 4));
}

#define NO_LINES UINT32_MAX

static void die_unit(bytes *b, const char *name, uint32_t stmt_list)
{
    put_uleb(b, stmt_list == NO_LINES ? AB_BARE_UNIT : AB_UNIT);
    put_str(b, name);
    if (stmt_list != NO_LINES)
        put_le(b, stmt_list, 4);
}

/* A unit and its unit DIE; unit_close ends the DIE's children and sets the unit's length. */
static size_t unit_open(bytes *b, uint32_t abbrev_offset, const char *name, uint32_t stmt_list)
{
    size_t start = unit_begin(b, abbrev_offset);
    die_unit(b, name, stmt_list);
    return start;
}

static void unit_close(bytes *b, size_t start)
{
    put8(b, 0);
    unit_end(b, start);
}

static void die_function(bytes *b, const char *name, uint32_t rva, uint32_t size)
{
    put_uleb(b, AB_FUNCTION);
    put_str(b, name);
    put_le(b, IMAGE_BASE + rva, 8);
    put_le(b, size, 4);
}

static void die_function_origin(bytes *b, uint32_t origin, uint32_t rva, uint32_t size)
{
    put_uleb(b, AB_FUNCTION_ORIGIN);
    put_le(b, origin, 4);
    put_le(b, IMAGE_BASE + rva, 8);
    put_le(b, size, 4);
}

static void die_abstract(bytes *b, uint32_t origin)
{
    put_uleb(b, AB_ABSTRACT);
    put_le(b, origin, 4);
}

/* A structure whose children are a member and a function (children of a type hold no code in
 * real programs: the function shows whether the walk went through them or jumped over them).
 * Returns where its DW_AT_sibling is, for patch32. */
static size_t die_type(bytes *b, const char *inner, uint32_t inner_rva)
{
    put_uleb(b, AB_TYPE);
    size_t sibling_at = b->size;
    put_le(b, 0, 4);
    put_uleb(b, AB_MEMBER);
    put_str(b, "member");
    die_function(b, inner, inner_rva, 0x10);
    put8(b, 0);
    return sibling_at;
}

/* ---- a sink that records what the reader reported ---------------------------------------------- */

#define MAX_SCOPES 16
#define MAX_ROWS 16

typedef struct recorded {
    uint32_t scope_count;
    struct { uint32_t rva, size; char name[64]; } scopes[MAX_SCOPES];
    uint32_t sequence_count;
    uint32_t row_count;
    dbg_line_row rows[MAX_ROWS];   /* of every sequence, in the order reported */
    uint32_t end_rva;              /* of the last sequence */
    uint32_t file_count;
} recorded;

static pmm_status record_file(void *ctx, const char *path, uint32_t *id)
{
    (void)path;
    recorded *r = ctx;
    *id = ++r->file_count;
    return PMM_OK;
}

static pmm_status record_scope(void *ctx, const dbg_scope *scope)
{
    recorded *r = ctx;
    if (r->scope_count < MAX_SCOPES) {
        r->scopes[r->scope_count].rva = scope->rva;
        r->scopes[r->scope_count].size = scope->size;
        snprintf(r->scopes[r->scope_count].name, sizeof r->scopes[0].name, "%s", scope->name ? scope->name : "");
    }
    r->scope_count++;
    return PMM_OK;
}

static pmm_status record_sequence(void *ctx, const dbg_line_row *rows, size_t count, uint32_t end_rva)
{
    recorded *r = ctx;
    for (size_t i = 0; i < count && r->row_count < MAX_ROWS; i++)
        r->rows[r->row_count++] = rows[i];
    r->end_rva = end_rva;
    r->sequence_count++;
    return PMM_OK;
}

/* Runs the reader over copies of the sections of exactly their size. */
static pmm_status report(const bytes *info, size_t info_size, const bytes *abbrevs, size_t abbrev_size,
                         const bytes *line, size_t line_size, recorded *r, dwarf_stats *stats)
{
    uint8_t *copies[3] = {malloc(info_size ? info_size : 1), malloc(abbrev_size ? abbrev_size : 1),
                          malloc(line_size ? line_size : 1)};
    dwarf_input in;
    memset(&in, 0, sizeof in);
    in.image_base = IMAGE_BASE;
    in.image_size = IMAGE_SIZE;
    memcpy(copies[0], info->data, info_size);
    in.info.data = copies[0], in.info.size = info_size;
    memcpy(copies[1], abbrevs->data, abbrev_size);
    in.abbrev.data = copies[1], in.abbrev.size = abbrev_size;
    if (line) {
        memcpy(copies[2], line->data, line_size);
        in.line.data = copies[2], in.line.size = line_size;
    }
    memset(r, 0, sizeof *r);
    dbg_sink sink = {r, record_file, record_scope, record_sequence};
    pmm_status st = dwarf_report(&in, &sink, stats);
    for (int i = 0; i < 3; i++)
        free(copies[i]);
    return st;
}

/* One case's sections and what the reader made of them (static: the sections are large). */
typedef struct scene {
    bytes abbrevs, info, line;   /* line.size 0: no .debug_line */
    recorded r;
    dwarf_stats stats;
} scene;

static void scene_reset(scene *s)
{
    memset(s, 0, sizeof *s);
    build_abbrevs(&s->abbrevs);
}

static pmm_status scene_report(scene *s)
{
    return report(&s->info, s->info.size, &s->abbrevs, s->abbrevs.size, s->line.size ? &s->line : NULL,
                  s->line.size, &s->r, &s->stats);
}

static const char *name_at(const recorded *r, uint32_t rva)
{
    for (uint32_t i = 0; i < r->scope_count && i < MAX_SCOPES; i++)
        if (r->scopes[i].rva == rva)
            return r->scopes[i].name;
    return "(not reported)";
}

typedef struct named_rva {
    uint32_t rva;
    const char *name;            /* "" unnamed, "(not reported)" */
} named_rva;

static void check_names(const recorded *r, const named_rva *expected, size_t count)
{
    for (size_t i = 0; i < count; i++)
        CHECK_STR(name_at(r, expected[i].rva), expected[i].name);
}

/* ---- cases ----------------------------------------------------------------------------------- */

/* A -> B -> A, C -> C: the name search stops after a few links and the function stays unnamed;
 * a chain that does end in a name (F -> G -> H) is still followed. */
TEST_CASE(references_that_cycle_end_unnamed)
{
    static scene s;
    scene_reset(&s);
    bytes *info = &s.info;
    size_t u = unit_open(info, 0, "cycles.c", NO_LINES);
    size_t a = info->size - u;
    size_t b = a + 1 + 4 + 8 + 4;              /* A's size: code, origin, low, high */
    size_t c = b + 1 + 4;                      /* B's size */
    die_function_origin(info, (uint32_t)b, 0x1000, 0x10);
    die_abstract(info, (uint32_t)a);
    die_abstract(info, (uint32_t)c);
    die_function_origin(info, (uint32_t)c, 0x1100, 0x10);
    size_t f = info->size - u;
    size_t g = f + 1 + 4 + 8 + 4, h = g + 1 + 4;
    die_function_origin(info, (uint32_t)g, 0x1200, 0x10);
    die_abstract(info, (uint32_t)h);
    put_uleb(info, AB_DECLARATION);
    put_str(info, "named_after_two_links");
    die_function(info, "after_the_cycles", 0x1300, 0x10);
    unit_close(info, u);

    CHECK(scene_report(&s) == PMM_OK);
    CHECK_EQ_U64(s.stats.units, 1);
    CHECK_EQ_U64(s.stats.units_damaged, 0);
    CHECK(strstr(s.stats.problem, "abstract origins or specifications that go round") != NULL);
    CHECK_EQ_U64(s.stats.functions, 4);
    static const named_rva expected[] = {
        {0x1000, ""}, {0x1100, ""}, {0x1200, "named_after_two_links"}, {0x1300, "after_the_cycles"},
    };
    check_names(&s.r, expected, sizeof expected / sizeof expected[0]);
}

/* A type's DW_AT_sibling that points at itself, back to the unit's DIE or past the unit is not
 * followed (the walk goes through the type's children instead); one that points forward is. */
TEST_CASE(sibling_links_backwards_are_not_followed)
{
    static scene s;
    scene_reset(&s);
    bytes *info = &s.info;
    size_t u = unit_open(info, 0, "siblings.c", NO_LINES);
    size_t unit_die = UNIT_HEADER_SIZE;
    size_t self = info->size - u;
    patch32(info, die_type(info, "inside_a_looping_type", 0x1400), (uint32_t)self);
    patch32(info, die_type(info, "inside_a_backward_type", 0x1500), (uint32_t)unit_die);
    patch32(info, die_type(info, "inside_a_type_pointing_out", 0x1600), 0xfffffff0u);
    die_function(info, "after_the_types", 0x1000, 0x20);
    size_t forward = die_type(info, "jumped_over", 0x1700);
    patch32(info, forward, (uint32_t)(info->size - u));
    die_function(info, "after_a_forward_link", 0x1100, 0x20);
    unit_close(info, u);

    CHECK(scene_report(&s) == PMM_OK);
    CHECK_EQ_U64(s.stats.units_damaged, 0);
    CHECK(strstr(s.stats.problem, "DW_AT_sibling that does not lead forward") != NULL);
    CHECK_EQ_U64(s.r.scope_count, 5);
    static const named_rva expected[] = {
        {0x1400, "inside_a_looping_type"}, {0x1500, "inside_a_backward_type"},
        {0x1600, "inside_a_type_pointing_out"}, {0x1000, "after_the_types"}, {0x1700, "(not reported)"},
        {0x1100, "after_a_forward_link"},
    };
    check_names(&s.r, expected, sizeof expected / sizeof expected[0]);
}

/* Four units: one whose abbreviation table is past the section, one whose DIE names its form
 * through DW_FORM_indirect again and again, one with lexical blocks nested without end, and a
 * sound one. The first three are counted damaged with the first problem named; the last is read.
 * Then each damage on its own (the units from it on) names itself. */
TEST_CASE(damaged_abbreviations_spoil_their_unit_only)
{
    static scene s;
    scene_reset(&s);
    bytes *info = &s.info;
    unit_close(info, unit_open(info, 0x7fff, "missing_table.c", NO_LINES));

    size_t second = info->size;
    size_t u = unit_open(info, 0, "indirect.c", NO_LINES);
    put_uleb(info, AB_INDIRECT_NAME);
    for (int i = 0; i < 64; i++)
        put_uleb(info, FORM_indirect);
    put_uleb(info, FORM_string);
    put_str(info, "never_reached");
    unit_close(info, u);

    size_t third = info->size;
    u = unit_open(info, 0, "deep.c", NO_LINES);
    for (int i = 0; i < 2000; i++)
        put_uleb(info, AB_BLOCK);
    unit_end(info, u);

    u = unit_open(info, 0, "sound.c", NO_LINES);
    die_function(info, "still_read", 0x2000, 0x40);
    unit_close(info, u);

    static const struct { const char *problem; uint32_t units, damaged; } expected[] = {
        {"missing abbreviation table for unit at offset 0x0", 4, 3},
        {"damaged DIE", 3, 2},
        {"DIEs nested too deep", 2, 1},
    };
    size_t starts[] = {0, second, third};
    bytes whole = *info;
    for (size_t i = 0; i < 3; i++) {
        memcpy(info->data, whole.data + starts[i], whole.size - starts[i]);
        info->size = whole.size - starts[i];
        CHECK(scene_report(&s) == PMM_OK);
        CHECK(strstr(s.stats.problem, expected[i].problem) != NULL);
        CHECK_EQ_U64(s.stats.units, expected[i].units);
        CHECK_EQ_U64(s.stats.units_damaged, expected[i].damaged);
        CHECK_EQ_U64(s.r.scope_count, 1);
        CHECK_STR(name_at(&s.r, 0x2000), "still_read");
    }
}

/* ---- line programs ---------------------------------------------------------------------------- */

enum { LNS_copy = 1, LNS_advance_line = 3, LNE_end_sequence = 1, LNE_set_address = 2 };

/* A DWARF 4 line program header with one file, a.c; line_end sets its length. */
static void line_begin(bytes *b)
{
    static const uint8_t standard_lengths[12] = {0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1};
    b->size = 0;
    put_le(b, 0, 4);                 /* unit_length */
    put_le(b, 4, 2);                 /* version */
    size_t header_length_at = b->size;
    put_le(b, 0, 4);                 /* header_length */
    put8(b, 1);                      /* minimum instruction length */
    put8(b, 1);                      /* maximum operations per instruction */
    put8(b, 1);                      /* default is_stmt */
    put8(b, (uint8_t)-5);            /* line_base */
    put8(b, 14);                     /* line_range */
    put8(b, 13);                     /* opcode_base */
    for (int i = 0; i < 12; i++)
        put8(b, standard_lengths[i]);
    put8(b, 0);                      /* no include directories */
    put_str(b, "a.c");
    put_uleb(b, 0);
    put_uleb(b, 0);
    put_uleb(b, 0);
    put8(b, 0);                      /* end of files */
    patch32(b, header_length_at, (uint32_t)(b->size - header_length_at - 4));
}

static void line_end(bytes *b)
{
    patch32(b, 0, (uint32_t)(b->size - 4));
}

static void line_set_address(bytes *b, uint32_t rva)
{
    put8(b, 0);
    put_uleb(b, 9);
    put8(b, LNE_set_address);
    put_le(b, IMAGE_BASE + rva, 8);
}

static void line_row(bytes *b, int64_t line_delta)
{
    put8(b, LNS_advance_line);
    put_sleb(b, line_delta);
    put8(b, LNS_copy);
}

static void line_end_sequence(bytes *b)
{
    put8(b, 0);
    put_uleb(b, 1);
    put8(b, LNE_end_sequence);
}

/* A whole program with one row: line 1 + line_delta from rva to end_rva. */
static void line_one_sequence(bytes *b, uint32_t rva, int64_t line_delta, uint32_t end_rva)
{
    line_begin(b);
    line_set_address(b, rva);
    line_row(b, line_delta);
    line_set_address(b, end_rva);
    line_end_sequence(b);
    line_end(b);
}

/* The addresses of a sequence go down and up again: its rows come out sorted by address. A
 * sequence that ends below where it began is dropped. */
TEST_CASE(line_programs_running_backwards_are_sorted_or_dropped)
{
    static scene s;
    scene_reset(&s);
    bytes *line = &s.line;
    line_begin(line);
    line_set_address(line, 0x1100);
    line_row(line, 9);              /* line 10 */
    line_set_address(line, 0x1000);
    line_row(line, 10);             /* line 20 */
    line_set_address(line, 0x1080);
    line_row(line, -15);            /* line 5 */
    line_set_address(line, 0x1200);
    line_end_sequence(line);
    line_set_address(line, 0x3000);
    line_row(line, 1);
    line_set_address(line, 0x2f00);
    line_end_sequence(line);
    line_end(line);
    unit_close(&s.info, unit_open(&s.info, 0, "a.c", 0));

    CHECK(scene_report(&s) == PMM_OK);
    CHECK_EQ_U64(s.stats.units_damaged, 0);
    CHECK_EQ_U64(s.r.sequence_count, 1);
    CHECK_EQ_U64(s.r.row_count, 3);
    static const uint32_t rvas[] = {0x1000, 0x1080, 0x1100}, lines[] = {20, 5, 10};
    for (size_t i = 0; i < 3; i++) {
        CHECK_EQ_U64(s.r.rows[i].rva, rvas[i]);
        CHECK_EQ_U64(s.r.rows[i].line, lines[i]);
    }
    CHECK_EQ_U64(s.r.end_rva, 0x1200);
}

/* Many units name one line program: it is decoded (and its rows reported) once, and every unit's
 * functions are still read. */
TEST_CASE(units_sharing_a_line_program_decode_it_once)
{
    static scene s;
    scene_reset(&s);
    line_one_sequence(&s.line, 0x1000, 6, 0x1800);
    for (uint32_t i = 0; i < 150; i++) {
        size_t u = unit_open(&s.info, 0, "shared.c", 0);
        die_function(&s.info, "f", 0x1000 + 0x10 * i, 0x10);
        unit_close(&s.info, u);
    }

    CHECK(scene_report(&s) == PMM_OK);
    CHECK_STR(s.stats.problem, "");
    CHECK_EQ_U64(s.stats.units, 150);
    CHECK_EQ_U64(s.r.scope_count, 150);
    CHECK_EQ_U64(s.r.sequence_count, 1);
    CHECK_EQ_U64(s.r.file_count, 1);
}

/* Units that take two long abbreviation tables in turns make each be read again for every unit:
 * past eight times the section's size the reader stops and says so (the units are listed first,
 * so here it stops before any function is read). The same units all on one table are read whole. */
TEST_CASE(abbreviation_tables_read_over_and_over_are_cut_off)
{
    static scene s;
    scene_reset(&s);
    bytes *ab = &s.abbrevs;
    ab->size--;                                /* the table's closing 0 comes after the filler */
    for (unsigned code = 100; code < 1600; code++)
        abbrev(ab, code, TAG_member, 0, NULL, 0);
    put8(ab, 0);
    size_t second = ab->size;
    memcpy(ab->data + second, ab->data, second);
    ab->size = 2 * second;

    for (int alternate = 0; alternate < 2; alternate++) {
        s.info.size = 0;
        for (uint32_t i = 0; i < 60; i++) {
            size_t u = unit_open(&s.info, alternate && (i & 1) ? (uint32_t)second : 0, "turns.c", NO_LINES);
            die_function(&s.info, "f", 0x1000 + 0x10 * i, 0x10);
            unit_close(&s.info, u);
        }
        CHECK(scene_report(&s) == PMM_OK);
        CHECK_EQ_U64(s.stats.units, 60);
        if (!alternate) {
            CHECK_STR(s.stats.problem, "");
            CHECK_EQ_U64(s.r.scope_count, 60);
        } else {
            CHECK(strstr(s.stats.problem, "abbreviation tables read over and over") != NULL);
            CHECK(s.r.scope_count < 60);
            CHECK_EQ_U64(s.stats.units_damaged, 60 - s.r.scope_count);
        }
    }
}

/* Every strict prefix of each section of a sound build: the reader ends, reads no byte past the
 * cut and says what was wrong. */
TEST_CASE(every_truncation_is_named)
{
    static scene s;
    scene_reset(&s);
    line_one_sequence(&s.line, 0x1000, 41, 0x1040);
    size_t u = unit_open(&s.info, 0, "a.c", 0);
    die_function(&s.info, "whole", 0x1000, 0x40);
    unit_close(&s.info, u);

    CHECK(scene_report(&s) == PMM_OK);
    CHECK_STR(s.stats.problem, "");
    CHECK_EQ_U64(s.r.scope_count, 1);
    CHECK_EQ_U64(s.r.sequence_count, 1);

    const bytes *info = &s.info, *ab = &s.abbrevs, *line = &s.line;
    recorded *r = &s.r;
    dwarf_stats *stats = &s.stats;
    size_t unnamed = 0;
    for (size_t cut = 1; cut < info->size; cut++) {
        CHECK(report(info, cut, ab, ab->size, line, line->size, r, stats) == PMM_OK);
        unnamed += stats->problem[0] == 0;
    }
    for (size_t cut = 1; cut < ab->size; cut++) {
        CHECK(report(info, info->size, ab, cut, line, line->size, r, stats) == PMM_OK);
        unnamed += stats->problem[0] == 0;
    }
    for (size_t cut = 1; cut < line->size; cut++) {
        CHECK(report(info, info->size, ab, ab->size, line, cut, r, stats) == PMM_OK);
        unnamed += stats->problem[0] == 0;
        CHECK_EQ_U64(r->scope_count, 1);    /* the functions do not need the line program */
    }
    CHECK_EQ_U64(unnamed, 0);
}

CHECK_MAIN(CASE(references_that_cycle_end_unnamed), CASE(sibling_links_backwards_are_not_followed),
           CASE(damaged_abbreviations_spoil_their_unit_only),
           CASE(line_programs_running_backwards_are_sorted_or_dropped),
           CASE(units_sharing_a_line_program_decode_it_once), CASE(abbreviation_tables_read_over_and_over_are_cut_off),
           CASE(every_truncation_is_named))
