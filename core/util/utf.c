#include "utf.h"

size_t pmm_utf8_encode(uint32_t cp, char enc[4])
{
    if (cp < 0x80) {
        enc[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        enc[0] = (char)(0xC0 | (cp >> 6));
        enc[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        enc[0] = (char)(0xE0 | (cp >> 12));
        enc[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        enc[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    enc[0] = (char)(0xF0 | (cp >> 18));
    enc[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    enc[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    enc[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static uint32_t unit_at(const uint8_t *bytes, size_t i)
{
    return (uint32_t)bytes[2 * i] | ((uint32_t)bytes[2 * i + 1] << 8);
}

size_t pmm_utf16le_to_utf8(const uint8_t *bytes, size_t count, char *out, size_t cap)
{
    size_t used = 0;
    if (cap == 0)
        return 0;
    for (size_t i = 0; i < count; i++) {
        uint32_t cp = unit_at(bytes, i);
        if (cp == 0)
            break;
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < count) {
            uint32_t low = unit_at(bytes, i + 1);
            if (low >= 0xDC00 && low <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                i++;
            } else {
                cp = 0xFFFD;
            }
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            cp = 0xFFFD;
        }
        char enc[4];
        size_t n = pmm_utf8_encode(cp, enc);
        if (used + n >= cap)
            break;
        for (size_t k = 0; k < n; k++)
            out[used++] = enc[k];
    }
    out[used] = '\0';
    return used;
}
