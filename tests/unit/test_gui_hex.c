/* The hex view's plain-C parts, natively under the sanitizers: the cursor and selection
 * (hex_selection), what copying puts on the clipboard (hex, text, C array; unreadable bytes never
 * as zeros), the data inspector (every type, both byte orders, unreadable and missing bytes),
 * find within the view (hex_find) and a scan's preview, whose bytes are not loaded yet, over a map from a fake source through the real scan:
 *
 *   DATA_BASE   8 KiB private RW, then 8 KiB reserved in the same allocation (unreadable)
 *   CODE_BASE   4 KiB image RX (a pointer target) */
#include <stdlib.h>
#include "app/gui/hex_find.h"
#include "app/gui/hex_inspector.h"
#include "app/gui/hex_selection.h"
#include "check.h"
#include "core/analyzers/scan.h"
#include "fake_source.h"

#define DATA_BASE 0x10000ull
#define CODE_BASE 0x40000ull

typedef struct fixture {
    fake_source fake;
    pmm_source src;
    pmm_map *map;
    hex_model *model;
} fixture;

static size_t read_source(void *ctx, uint64_t addr, void *buf, size_t len)
{
    return pmm_source_read(ctx, addr, buf, len);
}

static void fixture_open(fixture *f)
{
    memset(&f->fake, 0, sizeof f->fake);
    uint8_t *data = fake_add(&f->fake, DATA_BASE, 0x2000, DATA_BASE, PMM_MEM_COMMIT, PMM_MEM_PRIVATE,
                             PMM_PAGE_READWRITE, PMM_PAGE_READWRITE);
    fake_add(&f->fake, DATA_BASE + 0x2000, 0x2000, DATA_BASE, PMM_MEM_RESERVE, PMM_MEM_PRIVATE, 0, PMM_PAGE_READWRITE);
    fake_add(&f->fake, CODE_BASE, 0x1000, CODE_BASE, PMM_MEM_COMMIT, PMM_MEM_IMAGE, PMM_PAGE_EXECUTE_READ,
             PMM_PAGE_EXECUTE_WRITECOPY);
    for (int i = 0; i < 0x2000; i++)
        data[i] = (uint8_t)i;
    pmm_source scan_src;
    fake_source_open(&f->fake, &scan_src, 8);
    CHECK(pmm_scan_source(&scan_src, NULL, &f->map) == PMM_OK);
    pmm_source_close(&scan_src);
    fake_source_open(&f->fake, &f->src, 8);
    f->model = calloc(1, sizeof *f->model);
    hex_model_init(f->model, read_source, &f->src);
    hex_model_set_map(f->model, f->map, PMM_PAGE_SIZE);
    hex_model_set_range(f->model, DATA_BASE, DATA_BASE + 0x4000);
}

static void fixture_close(fixture *f)
{
    free(f->model);
    pmm_source_close(&f->src);
    pmm_map_free(f->map);
    fake_free(&f->fake);
}

TEST_CASE(selection_moves_and_stays_in_range)
{
    hex_selection s;
    hex_selection_reset(&s, 0x1000, 0x1100, 0x0800);
    CHECK_EQ_U64(s.cursor, 0x1000);                      /* clamped up */
    CHECK_EQ_U64(hex_selection_length(&s), 1);           /* the cursor byte alone */
    hex_selection_move_by(&s, 0x20, 1);
    CHECK_EQ_U64(hex_selection_first(&s), 0x1000);
    CHECK_EQ_U64(hex_selection_length(&s), 0x21);
    CHECK(hex_selection_contains(&s, 0x1020) && !hex_selection_contains(&s, 0x1021));
    /* Backwards past the anchor: the selection flips to the other side. */
    hex_selection_move_to(&s, 0x1010, 0);
    hex_selection_move_by(&s, -0x100, 1);
    CHECK_EQ_U64(s.cursor, 0x1000);
    CHECK_EQ_U64(hex_selection_first(&s), 0x1000);
    CHECK_EQ_U64(hex_selection_length(&s), 0x11);
    hex_selection_move_by(&s, INT64_MAX, 0);
    CHECK_EQ_U64(s.cursor, 0x10FF);                      /* the last byte, not past it */
    CHECK_EQ_U64(hex_selection_length(&s), 1);
    hex_selection_move_by(&s, INT64_MIN + 1, 0);
    CHECK_EQ_U64(s.cursor, 0x1000);
    hex_selection_select_all(&s);
    CHECK_EQ_U64(hex_selection_first(&s), 0x1000);
    CHECK_EQ_U64(hex_selection_length(&s), 0x100);
    hex_selection_reset(&s, 0x2000, 0x2000, 0x2000);
    CHECK_EQ_U64(hex_selection_length(&s), 0);
    CHECK(!hex_selection_contains(&s, 0x2000));
}

TEST_CASE(copy_as_hex_text_and_c_array)
{
    fixture f;
    fixture_open(&f);
    hex_selection s;
    char message[300] = "";
    hex_selection_reset(&s, DATA_BASE, DATA_BASE + 0x4000, DATA_BASE + 0x41);
    hex_selection_move_by(&s, 17, 1);                    /* 0x41..0x52: 18 bytes */
    char *hex = hex_selection_copy(&s, f.model, HEX_COPY_HEX, message, sizeof message);
    CHECK_STR(hex, "41 42 43 44 45 46 47 48 49 4A 4B 4C 4D 4E 4F 50\r\n51 52");
    free(hex);
    char *text = hex_selection_copy(&s, f.model, HEX_COPY_TEXT, message, sizeof message);
    CHECK_STR(text, "ABCDEFGHIJKLMNOPQR");
    free(text);
    hex_selection_reset(&s, DATA_BASE, DATA_BASE + 0x4000, DATA_BASE + 0x7E);
    hex_selection_move_by(&s, 2, 1);                     /* 7E 7F 80: one printable, two not */
    text = hex_selection_copy(&s, f.model, HEX_COPY_TEXT, message, sizeof message);
    CHECK_STR(text, "~..");
    free(text);
    hex_selection_reset(&s, DATA_BASE, DATA_BASE + 0x4000, DATA_BASE + 0x0A);
    hex_selection_move_by(&s, 12, 1);                    /* 13 bytes: one full line of 12 and one more */
    char *array = hex_selection_copy(&s, f.model, HEX_COPY_C_ARRAY, message, sizeof message);
    CHECK_STR(array, "/* 000000000001000A, 13 bytes */\r\nunsigned char data[13] = {\r\n"
                     "    0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15,\r\n"
                     "    0x16\r\n};\r\n");
    free(array);
    fixture_close(&f);
}

TEST_CASE(unreadable_bytes_are_never_copied_as_zeros)
{
    fixture f;
    fixture_open(&f);
    hex_selection s;
    char message[300] = "";
    /* The last 2 readable bytes and the first 3 of the reserved part. */
    hex_selection_reset(&s, DATA_BASE, DATA_BASE + 0x4000, DATA_BASE + 0x1FFE);
    hex_selection_move_by(&s, 4, 1);
    char *hex = hex_selection_copy(&s, f.model, HEX_COPY_HEX, message, sizeof message);
    CHECK_STR(hex, "FE FF ?? ?? ??");
    free(hex);
    CHECK(hex_selection_copy(&s, f.model, HEX_COPY_TEXT, message, sizeof message) == NULL);
    CHECK(strstr(message, "3 of the 5 selected bytes could not be read") != NULL);
    CHECK(strstr(message, "0000000000012000") != NULL);
    message[0] = '\0';
    CHECK(hex_selection_copy(&s, f.model, HEX_COPY_C_ARRAY, message, sizeof message) == NULL);
    CHECK(strstr(message, "could not be read") != NULL);
    /* Too much for the clipboard: refused, not cut short. */
    hex_model_set_range(f.model, DATA_BASE, DATA_BASE + HEX_COPY_MAX_BYTES + 1);
    hex_selection_reset(&s, DATA_BASE, DATA_BASE + HEX_COPY_MAX_BYTES + 1, DATA_BASE);
    hex_selection_select_all(&s);
    message[0] = '\0';
    CHECK(hex_selection_copy(&s, f.model, HEX_COPY_HEX, message, sizeof message) == NULL);
    CHECK(strstr(message, "at most") != NULL);
    fixture_close(&f);
}

static void inspect_at(const uint8_t *bytes, size_t n, int big_endian, const pmm_map *map, inspect_row *rows)
{
    uint8_t states[INSPECT_WINDOW];
    memset(states, HEX_BYTE_OK, sizeof states);
    inspect_input in = {bytes, states, n, big_endian, 8, map};
    inspect_bytes(&in, rows);
}

TEST_CASE(inspector_reads_every_type_in_both_byte_orders)
{
    static const uint8_t bytes[8] = {0xFE, 0xFF, 0x00, 0x80, 0x01, 0x02, 0x03, 0x84};
    inspect_row le[INSPECT_COUNT], be[INSPECT_COUNT];
    inspect_at(bytes, sizeof bytes, 0, NULL, le);
    inspect_at(bytes, sizeof bytes, 1, NULL, be);
    CHECK_STR(le[INSPECT_INT8].value, "-2");
    CHECK_STR(le[INSPECT_UINT8].value, "254 (0xFE)");
    CHECK_STR(be[INSPECT_INT8].value, "-2");             /* one byte has no order */
    CHECK_STR(le[INSPECT_INT16].value, "-2");
    CHECK_STR(le[INSPECT_UINT16].value, "65534 (0xFFFE)");
    CHECK_STR(be[INSPECT_INT16].value, "-257");
    CHECK_STR(be[INSPECT_UINT16].value, "65279 (0xFEFF)");
    CHECK_STR(le[INSPECT_INT32].value, "-2147418114");   /* 0x8000FFFE */
    CHECK_STR(le[INSPECT_UINT32].value, "2147549182 (0x8000FFFE)");
    CHECK_STR(be[INSPECT_INT32].value, "-16842624");     /* 0xFEFF0080 */
    CHECK_STR(be[INSPECT_UINT32].value, "4278124672 (0xFEFF0080)");
    CHECK_STR(le[INSPECT_INT64].value, "-8934295030307160066");   /* 0x840302018000FFFE */
    CHECK_STR(le[INSPECT_UINT64].value, "9512449043402391550 (0x840302018000FFFE)");
    CHECK_STR(be[INSPECT_INT64].value, "-72338519241915516");     /* 0xFEFF008001020384 */
    CHECK_STR(be[INSPECT_UINT64].value, "18374405554467636100 (0xFEFF008001020384)");
    CHECK_STR(le[INSPECT_POINTER].value, "840302018000FFFE");
    CHECK_STR(be[INSPECT_POINTER].value, "840302018000FFFE");   /* always the target's order */
    for (int t = 0; t < INSPECT_COUNT; t++)
        CHECK(le[t].readable && be[t].readable);

    static const uint8_t one_and_a_half_le[8] = {0x00, 0x00, 0xC0, 0x3F, 0, 0, 0, 0};
    static const uint8_t one_and_a_half_be[8] = {0x3F, 0xC0, 0x00, 0x00, 0, 0, 0, 0};
    static const uint8_t pi_le[8] = {0x18, 0x2D, 0x44, 0x54, 0xFB, 0x21, 0x09, 0x40};
    static const uint8_t pi_be[8] = {0x40, 0x09, 0x21, 0xFB, 0x54, 0x44, 0x2D, 0x18};
    static const uint8_t nan_le[8] = {0x00, 0x00, 0xC0, 0x7F, 0, 0, 0, 0};
    static const uint8_t minus_infinity_le[8] = {0, 0, 0, 0, 0, 0, 0xF0, 0xFF};
    inspect_row r[INSPECT_COUNT];
    inspect_at(one_and_a_half_le, 8, 0, NULL, r);
    CHECK_STR(r[INSPECT_FLOAT].value, "1.5");
    inspect_at(one_and_a_half_be, 8, 1, NULL, r);
    CHECK_STR(r[INSPECT_FLOAT].value, "1.5");
    inspect_at(pi_le, 8, 0, NULL, r);
    CHECK_STR(r[INSPECT_DOUBLE].value, "3.1415926535897931");
    inspect_at(pi_be, 8, 1, NULL, r);
    CHECK_STR(r[INSPECT_DOUBLE].value, "3.1415926535897931");
    inspect_at(nan_le, 8, 0, NULL, r);
    CHECK_STR(r[INSPECT_FLOAT].value, "NaN");
    inspect_at(minus_infinity_le, 8, 0, NULL, r);
    CHECK_STR(r[INSPECT_DOUBLE].value, "-Infinity");
    CHECK_STR(r[INSPECT_FLOAT].value, "0");
}

TEST_CASE(inspector_strings_and_pointers)
{
    fixture f;
    fixture_open(&f);
    inspect_row r[INSPECT_COUNT];
    static const uint8_t ansi[] = "Tab\there \"q\"\x01\xE9";
    inspect_at(ansi, sizeof ansi, 0, NULL, r);
    CHECK_STR(r[INSPECT_ANSI].value, "\"Tab\\there \\\"q\\\"\\x01\\xE9\"");
    /* "Hé" and U+1F600 (a surrogate pair), little- and big-endian. */
    static const uint8_t utf16_le[] = {'H', 0, 0xE9, 0, 0x3D, 0xD8, 0x00, 0xDE, 0, 0};
    static const uint8_t utf16_be[] = {0, 'H', 0, 0xE9, 0xD8, 0x3D, 0xDE, 0x00, 0, 0};
    inspect_at(utf16_le, sizeof utf16_le, 0, NULL, r);
    CHECK_STR(r[INSPECT_UTF16].value, "\"H\xC3\xA9\xF0\x9F\x98\x80\"");
    inspect_at(utf16_be, sizeof utf16_be, 1, NULL, r);
    CHECK_STR(r[INSPECT_UTF16].value, "\"H\xC3\xA9\xF0\x9F\x98\x80\"");
    /* A private-use character has no glyph: shown as its code. */
    static const uint8_t private_use[] = {0xF0, 0xF0, 'x', 0, 0, 0};
    inspect_at(private_use, sizeof private_use, 0, NULL, r);
    CHECK_STR(r[INSPECT_UTF16].value, "\"\\uF0F0x\"");
    /* A long string is cut with "...", not run on. */
    uint8_t long_text[INSPECT_WINDOW];
    memset(long_text, 'a', sizeof long_text);
    inspect_at(long_text, sizeof long_text, 0, NULL, r);
    CHECK(strlen(r[INSPECT_ANSI].value) == 1 + INSPECT_STRING_CHARS + 3);
    /* Pointers: into the image, NULL, and into no region. */
    uint8_t p[8];
    uint64_t target = CODE_BASE + 0x10;
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(target >> (8 * i));
    inspect_at(p, 8, 1, f.map, r);
    CHECK(strstr(r[INSPECT_POINTER].value, "0000000000040010 -> Image") == r[INSPECT_POINTER].value);
    memset(p, 0, sizeof p);
    inspect_at(p, 8, 0, f.map, r);
    CHECK_STR(r[INSPECT_POINTER].value, "0000000000000000 (NULL)");
    memset(p, 0xFF, sizeof p);
    inspect_at(p, 8, 0, f.map, r);
    CHECK_STR(r[INSPECT_POINTER].value, "FFFFFFFFFFFFFFFF (in no region of the map)");
    fixture_close(&f);
}

/* Characters a value takes on screen: one per UTF-8 character. */
static size_t columns_of(const char *text)
{
    size_t n = 0;
    for (; *text; text++)
        n += ((unsigned char)*text & 0xC0) != 0x80;
    return n;
}

/* What the inspector pane has room for at its default width: strings, escapes and endings
 * included, never more than INSPECT_VALUE_COLUMNS; the 64-bit line without its hex part when both
 * readings with it would not fit. */
TEST_CASE(inspector_values_fit_their_column)
{
    inspect_row r[INSPECT_COUNT];
    uint8_t bytes[INSPECT_WINDOW], states[INSPECT_WINDOW];
    /* Bytes that each need an escape (\xF0, \uF0F0), with no end in the window. */
    memset(bytes, 0xF0, sizeof bytes);
    inspect_at(bytes, sizeof bytes, 0, NULL, r);
    CHECK_STR(r[INSPECT_ANSI].value, "\"\\xF0\\xF0\\xF0\\xF0\\xF0\\xF0\\xF0\\xF0\\xF0\\xF0...");
    CHECK(columns_of(r[INSPECT_UTF16].value) <= INSPECT_VALUE_COLUMNS);
    CHECK(strncmp(r[INSPECT_UTF16].value, "\"\\uF0F0\\uF0F0", 13) == 0);
    /* A closed string too long to show whole is cut with "..." instead of its closing quote. */
    memset(bytes, 'b', sizeof bytes);
    bytes[45] = 0;
    inspect_at(bytes, sizeof bytes, 0, NULL, r);
    CHECK_EQ_U64(strlen(r[INSPECT_ANSI].value), 1 + INSPECT_STRING_CHARS + 3);
    CHECK(strcmp(r[INSPECT_ANSI].value + 1 + INSPECT_STRING_CHARS, "...") == 0);
    bytes[30] = 0;   /* one that fits keeps it */
    inspect_at(bytes, sizeof bytes, 0, NULL, r);
    CHECK_EQ_U64(strlen(r[INSPECT_ANSI].value), 1 + 30 + 1);
    /* Text cut short to leave room for what stopped it, for each reason. */
    static const uint8_t reasons[] = {HEX_BYTE_UNREADABLE, HEX_BYTE_NOT_LOADED, HEX_BYTE_OUTSIDE};
    static const char *const endings[] = {"... (unreadable from +60)", "... (not loaded yet from +60)",
                                          "... (the range ends at +60)"};
    for (size_t k = 0; k < sizeof reasons; k++) {
        memset(bytes, 'c', sizeof bytes);
        memset(states, HEX_BYTE_OK, sizeof states);
        memset(states + 60, reasons[k], sizeof states - 60);
        inspect_input in = {bytes, states, sizeof bytes, 0, 8, NULL};
        inspect_bytes(&in, r);
        for (int t = INSPECT_ANSI; t <= INSPECT_UTF16; t++) {
            const char *v = r[t].value;
            CHECK_EQ_U64(columns_of(v), INSPECT_VALUE_COLUMNS);
            CHECK(strlen(v) > strlen(endings[k]) && strcmp(v + strlen(v) - strlen(endings[k]), endings[k]) == 0);
        }
    }
    /* Integers: one reading when both agree; the hex part left out only where it would not fit. */
    static const uint8_t small[8] = {0x50, 0x50, 0x41, 0x4D, 0x2D, 0x4D, 0x4D, 0x50};
    static const uint8_t minus_one[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    char line[200];
    inspect_at(small, 8, 0, NULL, r);
    inspect_integer_line(&r[INSPECT_INT64], &r[INSPECT_UINT64], 48, line, sizeof line);
    CHECK_STR(line, "5786365953205948496 (0x504D4D2D4D415050)");
    inspect_integer_line(&r[INSPECT_INT8], &r[INSPECT_UINT8], 48, line, sizeof line);
    CHECK_STR(line, "80 (0x50)");
    inspect_at(minus_one, 8, 0, NULL, r);
    inspect_integer_line(&r[INSPECT_INT8], &r[INSPECT_UINT8], 48, line, sizeof line);
    CHECK_STR(line, "-1 | 255 (0xFF)");
    inspect_integer_line(&r[INSPECT_INT64], &r[INSPECT_UINT64], 48, line, sizeof line);
    CHECK_STR(line, "-1 | 18446744073709551615 (0xFFFFFFFFFFFFFFFF)");
    inspect_integer_line(&r[INSPECT_INT64], &r[INSPECT_UINT64], 40, line, sizeof line);
    CHECK_STR(line, "-1 | 18446744073709551615");
    /* The widest 64-bit line fits without its hex part. */
    static const uint8_t sign_bit[8] = {0, 0, 0, 0, 0, 0, 0, 0x80};
    inspect_at(sign_bit, 8, 0, NULL, r);
    inspect_integer_line(&r[INSPECT_INT64], &r[INSPECT_UINT64], INSPECT_VALUE_COLUMNS, line, sizeof line);
    CHECK_STR(line, "-9223372036854775808 | 9223372036854775808");
    /* Without its bytes the line says why. */
    memset(states, HEX_BYTE_UNREADABLE, sizeof states);
    inspect_input none = {minus_one, states, 8, 0, 8, NULL};
    inspect_bytes(&none, r);
    inspect_integer_line(&r[INSPECT_INT64], &r[INSPECT_UINT64], 48, line, sizeof line);
    CHECK_STR(line, "?? (the byte at +0 could not be read)");
    CHECK(!r[INSPECT_INT64].not_loaded);
}

TEST_CASE(inspector_says_what_could_not_be_read)
{
    fixture f;
    fixture_open(&f);
    /* Through the model: 3 readable bytes before the reserved part, then nothing. */
    uint8_t bytes[INSPECT_WINDOW], states[INSPECT_WINDOW];
    hex_model_bytes(f.model, DATA_BASE + 0x1FFD, INSPECT_WINDOW, bytes, states);
    inspect_input in = {bytes, states, INSPECT_WINDOW, 0, 8, f.map};
    inspect_row r[INSPECT_COUNT];
    inspect_bytes(&in, r);
    CHECK(r[INSPECT_UINT8].readable);
    CHECK_STR(r[INSPECT_UINT16].value, "65277 (0xFEFD)");
    CHECK(!r[INSPECT_INT32].readable && !r[INSPECT_UINT32].readable && !r[INSPECT_FLOAT].readable);
    CHECK_STR(r[INSPECT_INT32].value, "?? (the byte at +3 could not be read)");
    CHECK_STR(r[INSPECT_POINTER].value, "?? (the byte at +3 could not be read)");
    CHECK_STR(r[INSPECT_ANSI].value, "\"\\xFD\\xFE\\xFF... (unreadable from +3)");
    /* Past the end of the range. */
    hex_model_set_range(f.model, DATA_BASE, DATA_BASE + 0x10);
    hex_model_bytes(f.model, DATA_BASE + 0xE, INSPECT_WINDOW, bytes, states);
    inspect_bytes(&in, r);
    CHECK_STR(r[INSPECT_UINT16].value, "3854 (0x0F0E)");
    CHECK_STR(r[INSPECT_INT64].value, "?? (past the end of the range at +2)");
    CHECK_STR(r[INSPECT_UTF16].value, "\"\xE0\xBC\x8E... (the range ends at +2)");   /* U+0F0E */
    /* Every value read from a byte the model marked unreadable is refused, whatever the buffer held. */
    memset(states, HEX_BYTE_UNREADABLE, sizeof states);
    memset(bytes, 0, sizeof bytes);
    inspect_bytes(&in, r);
    for (int t = 0; t < INSPECT_COUNT; t++) {
        CHECK(!r[t].readable);
        CHECK(strstr(r[t].value, "could not be read") != NULL);
    }
    fixture_close(&f);
}

static size_t counting_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
    (void)addr, (void)buf, (void)len;
    (*(int *)ctx)++;
    return 0;
}

/* A scan's preview has no source yet: its bytes are not loaded, which is not "unreadable". */
TEST_CASE(a_preview_has_no_bytes_loaded_yet)
{
    fixture f;
    fixture_open(&f);
    pmm_map *preview = NULL;
    CHECK(pmm_scan_preview_map(f.map, &preview) == PMM_OK && preview);
    if (!preview) {
        fixture_close(&f);
        return;
    }
    int reads = 0;
    hex_model m;
    hex_model_init(&m, counting_read, &reads);
    hex_model_set_map(&m, preview, PMM_PAGE_SIZE);
    hex_model_set_range(&m, DATA_BASE, DATA_BASE + 0x4000);
    uint8_t bytes[INSPECT_WINDOW], states[INSPECT_WINDOW];
    hex_model_bytes(&m, DATA_BASE + 0x1FFC, INSPECT_WINDOW, bytes, states);   /* committed and reserved */
    for (size_t i = 0; i < INSPECT_WINDOW; i++)
        CHECK_EQ_U64(states[i], HEX_BYTE_NOT_LOADED);
    char line[200];
    hex_model_format_line(&m, 0, line, sizeof line);
    CHECK_STR(line, "0000000000010000  -- -- -- -- -- -- -- --  -- -- -- -- -- -- -- --");
    inspect_row r[INSPECT_COUNT];
    inspect_input in = {bytes, states, INSPECT_WINDOW, 0, 8, preview};
    inspect_bytes(&in, r);
    for (int t = 0; t < INSPECT_COUNT; t++) {
        CHECK(!r[t].readable && r[t].not_loaded);   /* drawn grey: not an error */
        CHECK_STR(r[t].value, "-- (" HEX_NOT_LOADED_TEXT ")");
    }
    hex_selection s;
    hex_selection_reset(&s, DATA_BASE, DATA_BASE + 0x4000, DATA_BASE);
    hex_selection_move_by(&s, 3, 1);
    for (int format = HEX_COPY_HEX; format <= HEX_COPY_C_ARRAY; format++) {
        char message[300] = "";
        CHECK(hex_selection_copy(&s, &m, (hex_copy_format)format, message, sizeof message) == NULL);
        CHECK(strstr(message, HEX_NOT_LOADED_TEXT) != NULL && strstr(message, "could not be read") == NULL);
    }
    CHECK_EQ_U64(reads, 0);   /* nothing was read through a source the preview does not have */
    /* The finished map of the same target reads its bytes again. */
    hex_model_set_map(&m, f.map, PMM_PAGE_SIZE);
    hex_model_set_range(&m, DATA_BASE, DATA_BASE + 0x4000);
    hex_model_bytes(&m, DATA_BASE, 1, bytes, states);
    CHECK(reads > 0 && states[0] == HEX_BYTE_UNREADABLE);   /* counting_read gives nothing back */
    pmm_map_free(preview);
    fixture_close(&f);
}

static pmm_search_pattern compile(pmm_search_kind kind, const char *text)
{
    pmm_search_spec spec = {kind, text, 0, 0, 0, 0};
    pmm_search_pattern p;
    char message[200];
    CHECK(pmm_search_compile(&spec, &p, message, sizeof message) == PMM_OK);
    return p;
}

TEST_CASE(find_in_view_spans_pages_and_skips_unreadable_bytes)
{
    fixture f;
    fixture_open(&f);
    uint64_t at = 0;
    /* FE FF 00 01 recurs every 256 bytes, once across the page boundary (0x0FFE..0x1001). */
    pmm_search_pattern across = compile(PMM_SEARCH_HEX, "FE FF 00 01");
    CHECK(hex_find_next(f.model, &across, DATA_BASE, UINT64_MAX, &at) == HEX_FIND_FOUND);
    CHECK_EQ_U64(at, DATA_BASE + 0xFE);                  /* the first one is in the first page */
    CHECK(hex_find_next(f.model, &across, DATA_BASE + 0xF00, UINT64_MAX, &at) == HEX_FIND_FOUND);
    CHECK_EQ_U64(at, DATA_BASE + 0xFFE);                 /* across the page boundary */
    CHECK(hex_find_next(f.model, &across, at + 1, UINT64_MAX, &at) == HEX_FIND_FOUND);
    CHECK_EQ_U64(at, DATA_BASE + 0x10FE);
    /* Wildcards, and a step limit that stops and goes on without losing the straddling match. */
    pmm_search_pattern wild = compile(PMM_SEARCH_HEX, "FF ?? 01");
    CHECK(hex_find_next(f.model, &wild, DATA_BASE + 0xF01, PMM_PAGE_SIZE, &at) == HEX_FIND_STOPPED);
    CHECK(at > DATA_BASE + 0xF01 && at <= DATA_BASE + 0xFFF);
    CHECK(hex_find_next(f.model, &wild, at, UINT64_MAX, &at) == HEX_FIND_FOUND);
    CHECK_EQ_U64(at, DATA_BASE + 0xFFF);
    /* The bytes FF then the reserved part: never a match, though a zero-filled read would be one. */
    pmm_search_pattern into_reserved = compile(PMM_SEARCH_HEX, "FE FF 00");
    CHECK(hex_find_next(f.model, &into_reserved, DATA_BASE + 0x1F00, UINT64_MAX, &at) == HEX_FIND_NOT_FOUND);
    pmm_search_pattern text = compile(PMM_SEARCH_ANSI, "ABC");
    CHECK(hex_find_next(f.model, &text, DATA_BASE, UINT64_MAX, &at) == HEX_FIND_FOUND);
    CHECK_EQ_U64(at, DATA_BASE + 0x41);
    /* Nothing before from, and nothing that would end past the range. */
    hex_model_set_range(f.model, DATA_BASE, DATA_BASE + 0x43);
    CHECK(hex_find_next(f.model, &text, DATA_BASE, UINT64_MAX, &at) == HEX_FIND_NOT_FOUND);
    pmm_search_pattern_free(&across);
    pmm_search_pattern_free(&wild);
    pmm_search_pattern_free(&into_reserved);
    pmm_search_pattern_free(&text);
    fixture_close(&f);
}

CHECK_MAIN(CASE(selection_moves_and_stays_in_range), CASE(copy_as_hex_text_and_c_array),
           CASE(unreadable_bytes_are_never_copied_as_zeros), CASE(inspector_reads_every_type_in_both_byte_orders),
           CASE(inspector_strings_and_pointers), CASE(inspector_values_fit_their_column),
           CASE(inspector_says_what_could_not_be_read),
           CASE(find_in_view_spans_pages_and_skips_unreadable_bytes), CASE(a_preview_has_no_bytes_loaded_yet))
