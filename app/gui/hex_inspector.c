#include "hex_inspector.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "core/tools/search.h"
#include "core/util/utf.h"
#include "hex_model.h"

static const char *const type_names[INSPECT_COUNT] = {
    [INSPECT_INT8] = "Int8",     [INSPECT_UINT8] = "UInt8",   [INSPECT_INT16] = "Int16",
    [INSPECT_UINT16] = "UInt16", [INSPECT_INT32] = "Int32",   [INSPECT_UINT32] = "UInt32",
    [INSPECT_INT64] = "Int64",   [INSPECT_UINT64] = "UInt64", [INSPECT_FLOAT] = "Float",
    [INSPECT_DOUBLE] = "Double", [INSPECT_POINTER] = "Pointer", [INSPECT_ANSI] = "ANSI",
    [INSPECT_UTF16] = "UTF-16",
};

const char *inspect_type_name(inspect_type type)
{
    return type < INSPECT_COUNT ? type_names[type] : "";
}

/* 1 when the first n bytes are all there; otherwise row says which one is missing and why. */
static int have_bytes(const inspect_input *in, size_t n, inspect_row *row)
{
    for (size_t i = 0; i < n; i++) {
        if (i < in->count && in->states[i] == HEX_BYTE_OK)
            continue;
        int outside = i >= in->count || in->states[i] == HEX_BYTE_OUTSIDE;
        row->not_loaded = !outside && in->states[i] == HEX_BYTE_NOT_LOADED;
        if (row->not_loaded)
            snprintf(row->value, sizeof row->value, "-- (" HEX_NOT_LOADED_TEXT ")");
        else
            snprintf(row->value, sizeof row->value, outside ? "?? (past the end of the range at +%zu)"
                                                            : "?? (the byte at +%zu could not be read)", i);
        row->readable = 0;
        return 0;
    }
    row->readable = 1;
    return 1;
}

static uint64_t load(const uint8_t *p, size_t n, int big_endian)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v |= (uint64_t)p[big_endian ? n - 1 - i : i] << (8 * i);
    return v;
}

static void integer_row(const inspect_input *in, size_t n, int is_signed, inspect_row *row)
{
    if (!have_bytes(in, n, row))
        return;
    uint64_t v = load(in->bytes, n, in->big_endian);
    if (is_signed) {
        int64_t s = n == 8 ? (int64_t)v : (int64_t)(v ^ (1ull << (8 * n - 1))) - (int64_t)(1ull << (8 * n - 1));
        snprintf(row->value, sizeof row->value, "%" PRId64, s);
    } else {
        snprintf(row->value, sizeof row->value, "%" PRIu64 " (0x%0*" PRIX64 ")", v, (int)(2 * n), v);
    }
}

/* printf's %g, with the words people use for the special values. */
static void real_text(double v, int digits, char *buf, size_t cap)
{
    if (isnan(v))
        snprintf(buf, cap, "NaN");
    else if (isinf(v))
        snprintf(buf, cap, v < 0 ? "-Infinity" : "Infinity");
    else
        snprintf(buf, cap, "%.*g", digits, v);
}

static void float_row(const inspect_input *in, inspect_row *row)
{
    if (!have_bytes(in, 4, row))
        return;
    uint32_t bits = (uint32_t)load(in->bytes, 4, in->big_endian);
    float f;
    memcpy(&f, &bits, sizeof f);
    real_text(f, 9, row->value, sizeof row->value);
}

static void double_row(const inspect_input *in, inspect_row *row)
{
    if (!have_bytes(in, 8, row))
        return;
    uint64_t bits = load(in->bytes, 8, in->big_endian);
    double d;
    memcpy(&d, &bits, sizeof d);
    real_text(d, 17, row->value, sizeof row->value);
}

static void pointer_row(const inspect_input *in, inspect_row *row)
{
    size_t n = in->pointer_size == 4 ? 4 : 8;
    if (!have_bytes(in, n, row))
        return;
    uint64_t p = load(in->bytes, n, 0);   /* the target's own byte order, whatever is chosen */
    int used = snprintf(row->value, sizeof row->value, "%0*" PRIX64, (int)(2 * n), p);
    size_t at = used > 0 ? (size_t)used : 0, cap = sizeof row->value;
    if (p == 0) {
        snprintf(row->value + at, cap - at, " (NULL)");
        return;
    }
    if (!in->map)
        return;
    pmm_address_context where;
    pmm_describe_address(in->map, NULL, p, &where);
    if (!where.region)
        snprintf(row->value + at, cap - at, " (in no region of the map)");
    else if (where.annotation[0])
        snprintf(row->value + at, cap - at, " -> %s: %s", where.kind, where.annotation);
    else
        snprintf(row->value + at, cap - at, " -> %s", where.kind);
}

/* A character of a string value as shown, escaped where it would not show: controls, a byte of an
 * ANSI string above 0x7F (its meaning depends on the target's code page), a lone surrogate. Returns
 * its length in bytes (UTF-8); *columns is how many characters it takes on screen. */
static size_t shown_char(uint32_t c, size_t unit, char piece[16], size_t *columns)
{
    size_t n;
    if (unit == 1 && c >= 0x80)
        n = (size_t)snprintf(piece, 16, "\\x%02X", (unsigned)c);
    else if (c >= 0xD800 && c < 0xF900)   /* a lone surrogate, or private use: no glyph to show */
        n = (size_t)snprintf(piece, 16, "\\u%04X", (unsigned)c);
    else if (c == '\t' || c == '\r' || c == '\n')
        n = (size_t)snprintf(piece, 16, "\\%c", c == '\t' ? 't' : c == '\r' ? 'r' : 'n');
    else if (c == '\\' || c == '"')
        n = (size_t)snprintf(piece, 16, "\\%c", (char)c);
    else if (c < 0x20 || c == 0x7F)
        n = (size_t)snprintf(piece, 16, "\\x%02X", (unsigned)c);
    else {
        *columns = 1;
        return pmm_utf8_encode(c, piece);
    }
    *columns = n;
    return n;
}

/* The character of a string at byte i (a surrogate pair taken whole): its code, and in *size the
 * bytes it takes. */
static uint32_t char_at(const inspect_input *in, size_t i, size_t unit, size_t *size)
{
    uint32_t c = (uint32_t)load(in->bytes + i, unit, unit == 2 && in->big_endian);
    *size = unit;
    if (unit == 2 && c >= 0xD800 && c < 0xDC00 && i + 4 <= in->count && in->states[i + 2] == HEX_BYTE_OK &&
        in->states[i + 3] == HEX_BYTE_OK) {
        uint32_t low = (uint32_t)load(in->bytes + i + 2, 2, in->big_endian);
        if (low >= 0xDC00 && low < 0xE000) {
            c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
            *size = 4;
        }
    }
    return c;
}

/* How a string value ends: its closing quote, "..." when it runs on, or what stopped it. */
static void string_ending(const inspect_input *in, size_t i, int closed, int missing, char *out, size_t cap)
{
    /* A UTF-16 character may be cut by its second byte. */
    uint8_t state = missing ? (in->states[i] != HEX_BYTE_OK ? in->states[i] : in->states[i + 1]) : HEX_BYTE_OK;
    if (closed)
        snprintf(out, cap, "\"");
    else if (state == HEX_BYTE_UNREADABLE)
        snprintf(out, cap, "... (unreadable from +%zu)", i);
    else if (state == HEX_BYTE_NOT_LOADED)
        snprintf(out, cap, "... (not loaded yet from +%zu)", i);
    else if (missing)
        snprintf(out, cap, "... (the range ends at +%zu)", i);
    else
        snprintf(out, cap, "...");
}

/* Columns left for a string's text beside its quote and ending. */
static size_t text_budget(const char *ending)
{
    size_t left = INSPECT_VALUE_COLUMNS - 1 - strlen(ending);
    return left < INSPECT_STRING_CHARS ? left : INSPECT_STRING_CHARS;
}

/* A NUL-terminated string of unit-byte characters from the cursor, quoted, with what ended it,
 * in at most INSPECT_VALUE_COLUMNS characters on screen: the text is cut short ("...") to leave
 * room for the ending. */
static void string_row(const inspect_input *in, size_t unit, inspect_row *row)
{
    if (!have_bytes(in, unit, row))
        return;
    /* First where and why the string stops, and how many columns all of it takes. */
    size_t i = 0, size, columns = 0, all_columns = 0;
    int closed = 0, missing = 0;
    char piece[16], ending[64];
    for (; i + unit <= in->count; i += size) {
        if (in->states[i] != HEX_BYTE_OK || (unit == 2 && in->states[i + 1] != HEX_BYTE_OK)) {
            missing = 1;
            break;
        }
        uint32_t c = char_at(in, i, unit, &size);
        if (c == 0) {
            closed = 1;
            break;
        }
        shown_char(c, unit, piece, &columns);
        all_columns += columns;
    }
    string_ending(in, i, closed, missing, ending, sizeof ending);
    size_t budget = text_budget(ending);
    if (closed && all_columns > budget) {
        string_ending(in, i, 0, 0, ending, sizeof ending);   /* too long to show whole: "..." */
        budget = text_budget(ending);
    }
    /* Then the text that fits, and the ending. */
    char *out = row->value;
    size_t cap = sizeof row->value, used = 0, shown = 0, stop = i;
    out[used++] = '"';
    for (i = 0; i < stop; i += size) {
        size_t n = shown_char(char_at(in, i, unit, &size), unit, piece, &columns);
        if (shown + columns > budget)
            break;
        memcpy(out + used, piece, n);
        used += n;
        shown += columns;
    }
    snprintf(out + used, cap - used, "%s", ending);
}

void inspect_bytes(const inspect_input *in, inspect_row rows[INSPECT_COUNT])
{
    for (int t = 0; t < INSPECT_COUNT; t++) {
        rows[t].name = type_names[t];
        rows[t].value[0] = '\0';
        rows[t].readable = 0;
        rows[t].not_loaded = 0;
    }
    for (int t = INSPECT_INT8; t <= INSPECT_UINT64; t++)
        integer_row(in, (size_t)1 << ((t - INSPECT_INT8) / 2), (t - INSPECT_INT8) % 2 == 0, &rows[t]);
    float_row(in, &rows[INSPECT_FLOAT]);
    double_row(in, &rows[INSPECT_DOUBLE]);
    pointer_row(in, &rows[INSPECT_POINTER]);
    string_row(in, 1, &rows[INSPECT_ANSI]);
    string_row(in, 2, &rows[INSPECT_UTF16]);
}

void inspect_integer_line(const inspect_row *signed_row, const inspect_row *unsigned_row, size_t columns, char *out,
                          size_t cap)
{
    const char *u = unsigned_row->value, *hex = strstr(u, " (0x");
    size_t digits = hex ? (size_t)(hex - u) : strlen(u);
    if (!signed_row->readable || !unsigned_row->readable) {
        snprintf(out, cap, "%s", signed_row->readable ? u : signed_row->value);
        return;
    }
    if (strlen(signed_row->value) == digits && strncmp(signed_row->value, u, digits) == 0) {
        snprintf(out, cap, "%s", u);   /* a value below the sign bit reads the same both ways */
        return;
    }
    int n = snprintf(out, cap, "%s | %s", signed_row->value, u);
    if (n > 0 && (size_t)n > columns)
        snprintf(out, cap, "%s | %.*s", signed_row->value, (int)digits, u);
}
