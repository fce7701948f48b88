#include "hex_selection.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define C_ARRAY_PER_LINE 12
#define COPY_CHUNK 4096

static uint64_t clamp(const hex_selection *s, uint64_t addr)
{
    if (s->end <= s->start || addr < s->start)
        return s->start;
    return addr >= s->end ? s->end - 1 : addr;
}

void hex_selection_reset(hex_selection *s, uint64_t start, uint64_t end, uint64_t addr)
{
    s->start = start;
    s->end = end > start ? end : start;
    s->cursor = s->anchor = clamp(s, addr);
}

void hex_selection_move_to(hex_selection *s, uint64_t addr, int extend)
{
    s->cursor = clamp(s, addr);
    if (!extend)
        s->anchor = s->cursor;
}

void hex_selection_move_by(hex_selection *s, int64_t delta, int extend)
{
    uint64_t to;
    if (delta < 0)
        to = (uint64_t)-delta > s->cursor - s->start ? s->start : s->cursor - (uint64_t)-delta;
    else
        to = (uint64_t)delta > UINT64_MAX - s->cursor ? UINT64_MAX : s->cursor + (uint64_t)delta;
    hex_selection_move_to(s, to, extend);
}

void hex_selection_select_all(hex_selection *s)
{
    s->anchor = s->start;
    s->cursor = clamp(s, s->end ? s->end - 1 : 0);
}

uint64_t hex_selection_first(const hex_selection *s)
{
    return s->anchor < s->cursor ? s->anchor : s->cursor;
}

uint64_t hex_selection_length(const hex_selection *s)
{
    if (s->end <= s->start)
        return 0;
    uint64_t last = s->anchor > s->cursor ? s->anchor : s->cursor;
    return last - hex_selection_first(s) + 1;
}

int hex_selection_contains(const hex_selection *s, uint64_t addr)
{
    uint64_t first = hex_selection_first(s);
    return hex_selection_length(s) && addr >= first && addr - first < hex_selection_length(s);
}

/* ---- copying ---- */

/* Characters a copy of n bytes can take at most, terminator included. */
static size_t copy_bound(hex_copy_format format, size_t n)
{
    switch (format) {
    case HEX_COPY_HEX: return n * 3 + (n / HEX_BYTES_PER_LINE + 1) * 2 + 1;
    case HEX_COPY_TEXT: return n + 1;
    case HEX_COPY_C_ARRAY: return 128 + n * 6 + (n / C_ARRAY_PER_LINE + 1) * 6;
    }
    return 0;
}

static size_t put_byte(char *out, hex_copy_format format, uint8_t byte, uint8_t state, size_t i, size_t n)
{
    static const char digits[] = "0123456789ABCDEF";
    size_t k = 0;
    switch (format) {
    case HEX_COPY_HEX:
        out[k++] = state == HEX_BYTE_OK ? digits[byte >> 4] : '?';
        out[k++] = state == HEX_BYTE_OK ? digits[byte & 15] : '?';
        if (i + 1 < n) {
            if ((i + 1) % HEX_BYTES_PER_LINE == 0) {
                out[k++] = '\r';
                out[k++] = '\n';
            } else {
                out[k++] = ' ';
            }
        }
        break;
    case HEX_COPY_TEXT:
        out[k++] = byte >= 0x20 && byte < 0x7F ? (char)byte : '.';
        break;
    case HEX_COPY_C_ARRAY:
        if (i % C_ARRAY_PER_LINE == 0)
            k += (size_t)sprintf(out + k, "    ");
        k += (size_t)sprintf(out + k, "0x%02X%s", byte, i + 1 < n ? "," : "");
        k += (size_t)sprintf(out + k, "%s", (i + 1) % C_ARRAY_PER_LINE == 0 || i + 1 == n ? "\r\n" : " ");
        break;
    }
    return k;
}

/* The first unreadable byte in [first, first + n); 0 with *count 0 when all are readable. */
static uint64_t first_unreadable(hex_model *m, uint64_t first, size_t n, size_t *count)
{
    uint8_t bytes[COPY_CHUNK], states[COPY_CHUNK];
    uint64_t found = 0;
    *count = 0;
    for (size_t done = 0; done < n;) {
        size_t step = n - done < COPY_CHUNK ? n - done : COPY_CHUNK;
        hex_model_bytes(m, first + done, step, bytes, states);
        for (size_t i = 0; i < step; i++)
            if (states[i] != HEX_BYTE_OK && (*count)++ == 0)
                found = first + done + i;
        done += step;
    }
    return found;
}

char *hex_selection_copy(const hex_selection *s, hex_model *m, hex_copy_format format, char *message, size_t cap)
{
    uint64_t first = hex_selection_first(s), length = hex_selection_length(s);
    if (length == 0) {
        snprintf(message, cap, "Nothing is selected.");
        return NULL;
    }
    if (length > HEX_COPY_MAX_BYTES) {
        snprintf(message, cap, "%" PRIu64 " bytes are selected; at most %u can be copied. Use File > Dump Selected "
                 "Regions for more.", length, HEX_COPY_MAX_BYTES);
        return NULL;
    }
    if (m->not_loaded) {   /* not even as ??: that would say they cannot be read */
        snprintf(message, cap, "The selected bytes are " HEX_NOT_LOADED_TEXT "; copy them once it has ended.");
        return NULL;
    }
    size_t n = (size_t)length, unreadable = 0;
    if (format != HEX_COPY_HEX) {
        uint64_t at = first_unreadable(m, first, n, &unreadable);
        if (unreadable) {
            snprintf(message, cap, "%zu of the %zu selected bytes could not be read (the first at %0*" PRIX64 "). "
                     "Text and C arrays cannot show them; Copy as Hex shows them as ??.", unreadable, n,
                     m->pointer_size == 4 ? 8 : 16, at);
            return NULL;
        }
    }
    char *out = malloc(copy_bound(format, n));
    if (!out) {
        snprintf(message, cap, "Not enough memory to copy %zu bytes.", n);
        return NULL;
    }
    size_t used = 0;
    if (format == HEX_COPY_C_ARRAY)
        used += (size_t)sprintf(out, "/* %0*" PRIX64 ", %zu bytes */\r\nunsigned char data[%zu] = {\r\n",
                                m->pointer_size == 4 ? 8 : 16, first, n, n);
    uint8_t bytes[COPY_CHUNK], states[COPY_CHUNK];
    for (size_t done = 0; done < n;) {
        size_t step = n - done < COPY_CHUNK ? n - done : COPY_CHUNK;
        hex_model_bytes(m, first + done, step, bytes, states);
        for (size_t i = 0; i < step; i++)
            used += put_byte(out + used, format, bytes[i], states[i], done + i, n);
        done += step;
    }
    if (format == HEX_COPY_C_ARRAY)
        used += (size_t)sprintf(out + used, "};\r\n");
    out[used] = '\0';
    return out;
}
