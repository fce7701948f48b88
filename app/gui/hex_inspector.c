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
        if (!outside && in->states[i] == HEX_BYTE_NOT_LOADED)
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

/* Appends a character of a string value, escaped where it would not show: controls, a byte of
 * an ANSI string above 0x7F (its meaning depends on the target's code page), a lone surrogate. */
static void put_char(char *out, size_t cap, size_t *used, uint32_t c, size_t unit)
{
    char piece[16];
    size_t n;
    if (unit == 1 && c >= 0x80)
        n = (size_t)snprintf(piece, sizeof piece, "\\x%02X", (unsigned)c);
    else if (c >= 0xD800 && c < 0xF900)   /* a lone surrogate, or private use: no glyph to show */
        n = (size_t)snprintf(piece, sizeof piece, "\\u%04X", (unsigned)c);
    else if (c == '\t' || c == '\r' || c == '\n')
        n = (size_t)snprintf(piece, sizeof piece, "\\%c", c == '\t' ? 't' : c == '\r' ? 'r' : 'n');
    else if (c == '\\' || c == '"')
        n = (size_t)snprintf(piece, sizeof piece, "\\%c", (char)c);
    else if (c < 0x20 || c == 0x7F)
        n = (size_t)snprintf(piece, sizeof piece, "\\x%02X", (unsigned)c);
    else
        n = pmm_utf8_encode(c, piece);
    if (*used + n + 1 < cap) {
        memcpy(out + *used, piece, n);
        *used += n;
        out[*used] = '\0';
    }
}

/* A NUL-terminated string of unit-byte characters from the cursor, quoted, with what ended it. */
static void string_row(const inspect_input *in, size_t unit, inspect_row *row)
{
    char *out = row->value;
    size_t cap = sizeof row->value, used = 0;
    if (!have_bytes(in, unit, row))
        return;
    out[used++] = '"';
    out[used] = '\0';
    size_t chars = 0, i = 0;
    const char *ending = "...";
    for (; i + unit <= in->count; i += unit) {
        int missing = in->states[i] != HEX_BYTE_OK || (unit == 2 && in->states[i + 1] != HEX_BYTE_OK);
        if (missing) {
            ending = "";
            break;
        }
        uint32_t c = (uint32_t)load(in->bytes + i, unit, unit == 2 && in->big_endian);
        if (c == 0) {
            ending = "\"";
            break;
        }
        if (chars == INSPECT_STRING_CHARS)
            break;
        if (unit == 2 && c >= 0xD800 && c < 0xDC00 && i + 4 <= in->count && in->states[i + 2] == HEX_BYTE_OK &&
            in->states[i + 3] == HEX_BYTE_OK) {
            uint32_t low = (uint32_t)load(in->bytes + i + 2, 2, in->big_endian);
            if (low >= 0xDC00 && low < 0xE000) {
                c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
                i += 2;
            }
        }
        put_char(out, cap, &used, c, unit);
        chars++;
    }
    if (*ending == '\0' && i < in->count && in->states[i] == HEX_BYTE_UNREADABLE)
        snprintf(out + used, cap - used, "... (unreadable from +%zu)", i);
    else if (*ending == '\0' && i < in->count && in->states[i] == HEX_BYTE_NOT_LOADED)
        snprintf(out + used, cap - used, "... (" HEX_NOT_LOADED_TEXT " from +%zu)", i);
    else if (*ending == '\0')
        snprintf(out + used, cap - used, "... (the range ends at +%zu)", i);
    else
        snprintf(out + used, cap - used, "%s", ending);
}

void inspect_bytes(const inspect_input *in, inspect_row rows[INSPECT_COUNT])
{
    for (int t = 0; t < INSPECT_COUNT; t++) {
        rows[t].name = type_names[t];
        rows[t].value[0] = '\0';
        rows[t].readable = 0;
    }
    for (int t = INSPECT_INT8; t <= INSPECT_UINT64; t++)
        integer_row(in, (size_t)1 << ((t - INSPECT_INT8) / 2), (t - INSPECT_INT8) % 2 == 0, &rows[t]);
    float_row(in, &rows[INSPECT_FLOAT]);
    double_row(in, &rows[INSPECT_DOUBLE]);
    pointer_row(in, &rows[INSPECT_POINTER]);
    string_row(in, 1, &rows[INSPECT_ANSI]);
    string_row(in, 2, &rows[INSPECT_UTF16]);
}
