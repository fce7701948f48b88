/* Compiles a search request (text, hex, number) into bytes and masks. Every error names what is
 * wrong with the user's text, because that text is all the user can change. */
#include "search_pattern.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t ascii_lower(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
}

static int is_ascii_letter(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static pmm_status allocate(pmm_search_pattern *p, size_t length)
{
    memset(p, 0, sizeof *p);
    p->value = calloc(length, 1);
    p->mask = malloc(length);
    p->flags = calloc(length, 1);
    if (!p->value || !p->mask || !p->flags) {
        pmm_search_pattern_free(p);
        return PMM_ERR_NOMEM;
    }
    memset(p->mask, 0xff, length);
    p->length = length;
    return PMM_OK;
}

/* ---- text ------------------------------------------------------------------------------------- */

/* Decodes one UTF-8 sequence at s; returns its length, 0 when malformed. */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t n = (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3 : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
    if (!n)
        return 0;
    uint32_t v = s[0] & (0x7f >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3f);
    }
    static const uint32_t min_for_length[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < min_for_length[n] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return n;
}

static void put_text_byte(pmm_search_pattern *p, size_t i, uint8_t byte, int ignore_case)
{
    if (ignore_case && is_ascii_letter(byte)) {
        p->flags[i] = PMM_BYTE_FOLD;
        byte = ascii_lower(byte);
    }
    p->value[i] = byte;
}

static pmm_status compile_ansi(const pmm_search_spec *spec, pmm_search_pattern *out, char *message, size_t cap)
{
    size_t n = strlen(spec->text);
    if (n > PMM_SEARCH_MAX_PATTERN)
        return pmm_fail(message, cap, PMM_ERR_ARG, "the text is %zu bytes long; at most %u are allowed", n,
                        PMM_SEARCH_MAX_PATTERN);
    pmm_status st = allocate(out, n);
    for (size_t i = 0; st == PMM_OK && i < n; i++)
        put_text_byte(out, i, (uint8_t)spec->text[i], spec->ignore_case);
    return st;
}

static pmm_status compile_utf16(const pmm_search_spec *spec, pmm_search_pattern *out, char *message, size_t cap)
{
    const unsigned char *s = (const unsigned char *)spec->text;
    size_t n = strlen(spec->text);
    if (n * 2 > PMM_SEARCH_MAX_PATTERN)
        return pmm_fail(message, cap, PMM_ERR_ARG, "the text is too long; at most %u UTF-16 bytes are allowed",
                        PMM_SEARCH_MAX_PATTERN);
    pmm_status st = allocate(out, n * 4);   /* a UTF-8 byte never yields more than 4 UTF-16 bytes */
    size_t used = 0;
    for (size_t i = 0; st == PMM_OK && i < n;) {
        uint32_t cp;
        size_t len = utf8_decode(s + i, &cp);
        if (!len) {
            pmm_search_pattern_free(out);
            return pmm_fail(message, cap, PMM_ERR_ARG, "the text is not valid UTF-8 (at byte %zu)", i);
        }
        i += len;
        uint16_t units[2] = {(uint16_t)cp, 0};
        size_t count = 1;
        if (cp >= 0x10000) {
            units[0] = (uint16_t)(0xd800 + ((cp - 0x10000) >> 10));
            units[1] = (uint16_t)(0xdc00 + ((cp - 0x10000) & 0x3ff));
            count = 2;
        }
        for (size_t u = 0; u < count; u++) {
            /* Only ASCII letters fold: the high byte of such a unit is zero and stays exact. */
            put_text_byte(out, used++, (uint8_t)units[u], spec->ignore_case && units[u] < 0x80);
            put_text_byte(out, used++, (uint8_t)(units[u] >> 8), 0);
        }
    }
    if (st == PMM_OK)
        out->length = used;
    return st;
}

/* ---- hex -------------------------------------------------------------------------------------- */

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* One byte from two characters: hex digits or '?' per nibble. */
static int hex_byte(char hi, char lo, uint8_t *value, uint8_t *mask)
{
    int h = hi == '?' ? 0 : hex_digit(hi), l = lo == '?' ? 0 : hex_digit(lo);
    if (h < 0 || l < 0)
        return -1;
    *value = (uint8_t)(h << 4 | l);
    *mask = (uint8_t)((hi == '?' ? 0 : 0xf0) | (lo == '?' ? 0 : 0x0f));
    return 0;
}

static int is_separator(char c)
{
    return c == ' ' || c == '\t' || c == ',' || c == '\n' || c == '\r';
}

/* Tokens are runs of hex digits and '?' (an even number of them, two per byte) between blanks or
 * commas; a lone "?" is a whole-byte wildcard, as in most hex editors. */
static pmm_status compile_hex(const pmm_search_spec *spec, pmm_search_pattern *out, char *message, size_t cap)
{
    const char *t = spec->text;
    size_t n = strlen(t);
    pmm_status st = allocate(out, n / 2 + 1);
    size_t used = 0;
    for (size_t i = 0; st == PMM_OK && i < n;) {
        if (is_separator(t[i])) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < n && !is_separator(t[i]))
            i++;
        size_t len = i - start;
        const char *token = t + start;
        if (len > 2 && token[0] == '0' && (token[1] == 'x' || token[1] == 'X')) {
            token += 2;
            len -= 2;
        }
        if (len == 1 && token[0] == '?') {
            out->value[used] = 0;
            out->mask[used++] = 0;
            continue;
        }
        for (size_t k = 0; k + 1 < len; k += 2, used++)
            if (hex_byte(token[k], token[k + 1], &out->value[used], &out->mask[used]) != 0) {
                pmm_search_pattern_free(out);
                return pmm_fail(message, cap, PMM_ERR_ARG,
                                "'%.*s' is not hex bytes (use pairs like 4D 5A, ?? for any byte)", (int)(i - start),
                                t + start);
            }
        if (len % 2) {
            pmm_search_pattern_free(out);
            return pmm_fail(message, cap, PMM_ERR_ARG, "'%.*s' has an odd number of hex digits", (int)(i - start),
                            t + start);
        }
    }
    if (st != PMM_OK)
        return st;
    if (used > PMM_SEARCH_MAX_PATTERN) {
        pmm_search_pattern_free(out);
        return pmm_fail(message, cap, PMM_ERR_ARG, "the pattern is %zu bytes long; at most %u are allowed", used,
                        PMM_SEARCH_MAX_PATTERN);
    }
    out->length = used;
    return PMM_OK;
}

/* ---- numbers ---------------------------------------------------------------------------------- */

/* Decimal, or hex with 0x: a leading 0 is not octal here, since nobody means 010 as 8. */
static int parse_magnitude(const char *text, uint64_t *out)
{
    int base = 10;
    if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        base = 16;
        text += 2;
    }
    if (!*text || hex_digit(*text) < 0 || (base == 10 && hex_digit(*text) > 9))
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, base);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

static void put_le(pmm_search_pattern *p, uint64_t v, size_t bytes)
{
    for (size_t i = 0; i < bytes; i++)
        p->value[i] = (uint8_t)(v >> (8 * i));
}

static pmm_status compile_int(const pmm_search_spec *spec, pmm_search_pattern *out, char *message, size_t cap)
{
    unsigned w = spec->width;
    if (w != 8 && w != 16 && w != 32 && w != 64)
        return pmm_fail(message, cap, PMM_ERR_ARG, "the integer width must be 8, 16, 32 or 64 (not %u)", w);
    const char *t = spec->text;
    int negative = t[0] == '-';
    if (negative && !spec->is_signed)
        return pmm_fail(message, cap, PMM_ERR_ARG, "'%s' is negative; add --signed to search for a signed integer", t);
    uint64_t magnitude;
    if (parse_magnitude(t + negative, &magnitude) != 0)
        return pmm_fail(message, cap, PMM_ERR_ARG, "'%s' is not an integer (decimal, or hex with 0x)", t);
    uint64_t max_unsigned = w == 64 ? UINT64_MAX : ((uint64_t)1 << w) - 1;
    uint64_t max_positive = spec->is_signed ? max_unsigned >> 1 : max_unsigned;
    uint64_t max_negative = max_positive + 1;   /* |INT_MIN| of that width */
    if (negative ? magnitude > max_negative : magnitude > max_positive)
        return pmm_fail(message, cap, PMM_ERR_ARG, "%s does not fit in a %s %u-bit integer", t,
                        spec->is_signed ? "signed" : "unsigned", w);
    uint64_t bits = negative ? (uint64_t)0 - magnitude : magnitude;   /* two's complement */
    pmm_status st = allocate(out, w / 8);
    if (st == PMM_OK)
        put_le(out, bits, w / 8);
    return st;
}

static pmm_status compile_real(const pmm_search_spec *spec, pmm_search_pattern *out, char *message, size_t cap)
{
    const char *t = spec->text;
    char *end;
    errno = 0;
    double d = strtod(t, &end);
    if (end == t || *end || isspace((unsigned char)t[0]))
        return pmm_fail(message, cap, PMM_ERR_ARG, "'%s' is not a number", t);
    if (errno == ERANGE && isinf(d))
        return pmm_fail(message, cap, PMM_ERR_ARG, "%s is out of range for a double", t);
    /* Underflow to zero would search for 0.0, which matches everywhere: refused like overflow. */
    if (errno == ERANGE && d == 0.0)
        return pmm_fail(message, cap, PMM_ERR_ARG, "%s is too small for a double (it would become 0)", t);
    pmm_status st;
    if (spec->kind == PMM_SEARCH_FLOAT) {
        if (isfinite(d) && fabs(d) > 3.4028234663852886e38)
            return pmm_fail(message, cap, PMM_ERR_ARG, "%s is out of range for a float", t);
        if (d != 0.0 && (float)d == 0.0f)
            return pmm_fail(message, cap, PMM_ERR_ARG, "%s is too small for a float (it would become 0)", t);
        float f = (float)d;
        uint32_t bits;
        memcpy(&bits, &f, 4);
        if ((st = allocate(out, 4)) == PMM_OK)
            put_le(out, bits, 4);
    } else {
        uint64_t bits;
        memcpy(&bits, &d, 8);
        if ((st = allocate(out, 8)) == PMM_OK)
            put_le(out, bits, 8);
    }
    return st;
}

/* ---- anchor ----------------------------------------------------------------------------------- */

/* How common a byte value is in a typical process's memory (rough, relative): zeros and 0xff
 * fill most pages, then small integers, then text. The anchor is the rarest fixed byte, so the
 * byte search stops as seldom as possible on places that then fail to match. */
static unsigned byte_commonness(uint8_t b)
{
    if (b == 0x00)
        return 1000;
    if (b == 0xff)
        return 200;
    if (b < 0x10)
        return 60;
    if (b == ' ' || b == 'e' || b == 't' || b == 'a' || b == 'o' || b == 'i' || b == 'n' || b == 's')
        return 40;
    if (b >= 0x20 && b < 0x7f)
        return 20;
    if (b < 0x20)
        return 15;
    return 10;
}

static unsigned byte_cost(const pmm_search_pattern *p, size_t i)
{
    return byte_commonness(p->value[i]) * (p->flags[i] & PMM_BYTE_FOLD ? 2u : 1u);
}

static uint8_t other_case(const pmm_search_pattern *p, size_t i)
{
    return (p->flags[i] & PMM_BYTE_FOLD) ? (uint8_t)(p->value[i] - 32) : p->value[i];
}

/* The rarest fully fixed byte, then the rarest other one (the farther from the anchor on a tie,
 * so the two tests are as independent as the pattern allows). */
static void choose_anchor(pmm_search_pattern *p)
{
    unsigned best = UINT32_MAX, second = UINT32_MAX;
    p->has_anchor = 0;
    for (size_t i = 0; i < p->length; i++)
        if (p->mask[i] == 0xff && byte_cost(p, i) < best) {
            best = byte_cost(p, i);
            p->has_anchor = 1;
            p->anchor_offset = i;
        }
    if (!p->has_anchor)
        return;
    p->anchor_byte = p->value[p->anchor_offset];
    p->anchor_alt = other_case(p, p->anchor_offset);
    p->second_offset = p->anchor_offset;
    for (size_t i = 0; i < p->length; i++)
        if (p->mask[i] == 0xff && i != p->anchor_offset && byte_cost(p, i) <= second) {
            second = byte_cost(p, i);
            p->second_offset = i;
        }
    p->second_byte = p->value[p->second_offset];
    p->second_alt = other_case(p, p->second_offset);
}

static unsigned fixed_bits(uint8_t mask)
{
    unsigned n = 0;
    for (; mask; mask &= (uint8_t)(mask - 1))
        n++;
    return n;
}

static void set_probe(pmm_search_pattern *p, unsigned i, size_t offset)
{
    p->probe_offset[i] = offset;
    p->probe_value[i] = p->value[offset];
    p->probe_mask[i] = p->mask[offset];
    p->probe_fold[i] = (p->flags[offset] & PMM_BYTE_FOLD) ? 0x20 : 0;
}

/* The scanner's two probes: the anchor and the second byte, or with no fully fixed byte the two
 * with the most fixed bits (nibble wildcards); none when every bit is a wildcard. */
static void choose_probes(pmm_search_pattern *p)
{
    p->plain = 1;
    for (size_t i = 0; i < p->length; i++)
        if (p->mask[i] != 0xff || (p->flags[i] & PMM_BYTE_FOLD))
            p->plain = 0;
    p->probes = 0;
    if (p->has_anchor) {
        set_probe(p, 0, p->anchor_offset);
        set_probe(p, 1, p->second_offset);
        p->probes = 2;
        return;
    }
    size_t best[2] = {0, 0};
    unsigned bits[2] = {0, 0};
    for (size_t i = 0; i < p->length; i++) {
        unsigned n = fixed_bits(p->mask[i]);
        if (n > bits[0]) {
            best[1] = best[0];
            bits[1] = bits[0];
            best[0] = i;
            bits[0] = n;
        } else if (n > bits[1]) {
            best[1] = i;
            bits[1] = n;
        }
    }
    if (!bits[0])
        return;
    set_probe(p, 0, best[0]);
    set_probe(p, 1, bits[1] ? best[1] : best[0]);
    p->probes = 2;
}

/* ---- entry points ----------------------------------------------------------------------------- */

pmm_status pmm_search_compile(const pmm_search_spec *spec, pmm_search_pattern *out, char *message,
                              size_t message_cap)
{
    memset(out, 0, sizeof *out);
    if (message && message_cap)
        message[0] = '\0';
    if (!spec || !spec->text || !spec->text[0])
        return pmm_fail(message, message_cap, PMM_ERR_ARG, "the search pattern is empty");
    if (spec->alignment > 4096 || (spec->alignment & (spec->alignment - 1)))
        return pmm_fail(message, message_cap, PMM_ERR_ARG, "the alignment must be a power of two up to 4096 (not %u)",
                        spec->alignment);
    pmm_status st;
    switch (spec->kind) {
    case PMM_SEARCH_ANSI: st = compile_ansi(spec, out, message, message_cap); break;
    case PMM_SEARCH_UTF16: st = compile_utf16(spec, out, message, message_cap); break;
    case PMM_SEARCH_HEX: st = compile_hex(spec, out, message, message_cap); break;
    case PMM_SEARCH_INT: st = compile_int(spec, out, message, message_cap); break;
    case PMM_SEARCH_FLOAT:
    case PMM_SEARCH_DOUBLE: st = compile_real(spec, out, message, message_cap); break;
    default: return pmm_fail(message, message_cap, PMM_ERR_ARG, "unknown kind of search pattern");
    }
    if (st == PMM_ERR_NOMEM)
        pmm_fail(message, message_cap, st, "out of memory compiling the pattern");
    if (st != PMM_OK)
        return st;
    if (out->length == 0) {
        pmm_search_pattern_free(out);
        return pmm_fail(message, message_cap, PMM_ERR_ARG, "the search pattern is empty");
    }
    out->alignment = spec->alignment ? spec->alignment : 1;
    choose_anchor(out);
    choose_probes(out);
    out->simd = pmm_search_simd_best();
    return PMM_OK;
}

void pmm_search_pattern_free(pmm_search_pattern *pattern)
{
    free(pattern->value);
    free(pattern->mask);
    free(pattern->flags);
    memset(pattern, 0, sizeof *pattern);
}

const char *pmm_search_kind_name(pmm_search_kind kind)
{
    switch (kind) {
    case PMM_SEARCH_ANSI: return "ansi";
    case PMM_SEARCH_UTF16: return "utf16";
    case PMM_SEARCH_HEX: return "hex";
    case PMM_SEARCH_INT: return "int";
    case PMM_SEARCH_FLOAT: return "float";
    case PMM_SEARCH_DOUBLE: return "double";
    }
    return "?";
}
