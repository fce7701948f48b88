/* Structure decoding: reads each field of a table through the source and renders its value. */
#include "decode.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_USTR_BYTES 0xFFFEu   /* UNICODE_STRING.Length is 16 bits */
#define MAX_FIELD_BYTES 1024u    /* char/wchar/byte arrays: longest read */

static uint64_t le(const uint8_t *b, size_t n)
{
    uint64_t v = 0;
    for (size_t i = n; i-- > 0;)
        v = v << 8 | b[i];
    return v;
}

static void render_flags(pmm_decoded_field *f)
{
    size_t used = (size_t)snprintf(f->text, sizeof f->text, "0x%" PRIx64, f->value);
    const char *sep = " (";
    uint64_t rest = f->value;
    for (const pmm_bit_name *b = f->field->bits; b && b->name && used < sizeof f->text; b++) {
        if ((f->value & b->mask) != b->mask || !b->mask)
            continue;
        used += (size_t)snprintf(f->text + used, sizeof f->text - used, "%s%s", sep, b->name);
        sep = "|";
        rest &= ~b->mask;
    }
    if (used < sizeof f->text && rest != f->value && rest)
        used += (size_t)snprintf(f->text + used, sizeof f->text - used, "|0x%" PRIx64, rest);
    if (used < sizeof f->text && rest != f->value)
        snprintf(f->text + used, sizeof f->text - used, ")");
}

static void render_guid(pmm_decoded_field *f, const uint8_t *b)
{
    snprintf(f->text, sizeof f->text, "{%08" PRIX32 "-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
             (uint32_t)le(b, 4), (unsigned)le(b + 4, 2), (unsigned)le(b + 6, 2), b[8], b[9], b[10], b[11], b[12],
             b[13], b[14], b[15]);
}

/* 100 ns units since 1601-01-01 as an ISO 8601 UTC time (civil-from-days, Howard Hinnant). */
static void render_time(pmm_decoded_field *f)
{
    uint64_t seconds = f->value / 10000000u;
    if (f->value == 0 || seconds < 11644473600ull || seconds > 11644473600ull + 253402300799ull) {
        snprintf(f->text, sizeof f->text, "0x%" PRIx64, f->value);
        return;
    }
    int64_t unix_seconds = (int64_t)(seconds - 11644473600ull);
    int64_t days = unix_seconds / 86400, rem = unix_seconds % 86400;
    int64_t z = days + 719468, era = z / 146097, doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153, day = doy - (153 * mp + 2) / 5 + 1, month = mp < 10 ? mp + 3 : mp - 9;
    int64_t year = yoe + era * 400 + (month <= 2);
    snprintf(f->text, sizeof f->text, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)year, (int)month, (int)day,
             (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
}

static void render_bytes(pmm_decoded_field *f, const uint8_t *b, size_t n)
{
    size_t used = 0;
    for (size_t i = 0; i < n && used + 3 < sizeof f->text; i++)
        used += (size_t)snprintf(f->text + used, sizeof f->text - used, i ? " %02x" : "%02x", b[i]);
}

/* A UNICODE_STRING: Length and MaximumLength, then the buffer pointer after alignment padding. */
static void decode_ustr(pmm_source *src, pmm_decoded_field *f, const uint8_t *b, uint32_t pointer_size)
{
    uint16_t length = (uint16_t)le(b, 2), maximum = (uint16_t)le(b + 2, 2);
    f->value = le(b + pointer_size, pointer_size);
    f->value2 = (uint64_t)length | (uint64_t)maximum << 16;
    f->text[0] = '\0';
    if (f->value && length && length <= MAX_USTR_BYTES && !(length & 1) &&
        pmm_source_read_utf16(src, f->value, length, f->text, sizeof f->text) == PMM_OK)
        f->string_read = 1;
}

static void decode_field(pmm_source *src, uint64_t base, pmm_decoded_field *f)
{
    const pmm_field *def = f->field;
    uint8_t b[MAX_FIELD_BYTES];
    size_t size = def->size < sizeof b ? def->size : sizeof b;
    f->address = base + def->offset;
    if (pmm_source_read_exact(src, f->address, b, size) != PMM_OK) {
        snprintf(f->text, sizeof f->text, "(unreadable)");
        return;
    }
    f->readable = 1;
    switch ((pmm_field_type)def->type) {
    case PMM_FIELD_U8: case PMM_FIELD_U16: case PMM_FIELD_U32: case PMM_FIELD_U64:
    case PMM_FIELD_POINTER32: case PMM_FIELD_POINTER64:
        f->value = le(b, size > 8 ? 8 : size);
        snprintf(f->text, sizeof f->text, "0x%" PRIx64, f->value);
        break;
    case PMM_FIELD_FLAGS:
        f->value = le(b, size > 8 ? 8 : size);
        render_flags(f);
        break;
    case PMM_FIELD_USTR32: decode_ustr(src, f, b, 4); break;
    case PMM_FIELD_USTR64: decode_ustr(src, f, b, 8); break;
    case PMM_FIELD_LIST32: case PMM_FIELD_LIST64: {
        size_t half = def->type == PMM_FIELD_LIST32 ? 4 : 8;
        f->value = le(b, half);
        f->value2 = le(b + half, half);
        snprintf(f->text, sizeof f->text, "Flink 0x%" PRIx64 ", Blink 0x%" PRIx64, f->value, f->value2);
        break;
    }
    case PMM_FIELD_GUID: if (size >= 16) render_guid(f, b); break;
    case PMM_FIELD_FILETIME: f->value = le(b, 8); render_time(f); break;
    case PMM_FIELD_KSYSTEM_TIME: f->value = le(b, 8); snprintf(f->text, sizeof f->text, "0x%" PRIx64, f->value); break;
    case PMM_FIELD_CHARS: {
        size_t n = 0;
        while (n < size && b[n] && n + 1 < sizeof f->text) {
            f->text[n] = (b[n] >= 0x20 && b[n] < 0x7f) ? (char)b[n] : '?';
            n++;
        }
        f->text[n] = '\0';
        break;
    }
    case PMM_FIELD_WCHARS:
        pmm_source_read_utf16(src, f->address, (uint32_t)(size & ~(size_t)1), f->text, sizeof f->text);
        break;
    case PMM_FIELD_BYTES: render_bytes(f, b, size > 64 ? 64 : size); break;
    }
}

pmm_status pmm_decode(pmm_source *src, uint64_t address, const pmm_struct_def *def, pmm_decoded *out)
{
    memset(out, 0, sizeof out[0]);
    out->def = def;
    out->address = address;
    out->fields = calloc(def->field_count ? def->field_count : 1, sizeof *out->fields);
    if (!out->fields)
        return PMM_ERR_NOMEM;
    for (size_t i = 0; i < def->field_count; i++) {
        out->fields[i].field = &def->fields[i];
        if (address > UINT64_MAX - def->fields[i].offset - def->fields[i].size) {
            snprintf(out->fields[i].text, sizeof out->fields[i].text, "(beyond the address space)");
            continue;
        }
        decode_field(src, address, &out->fields[i]);
        out->readable_count += out->fields[i].readable != 0;
    }
    return out->readable_count ? PMM_OK : PMM_ERR_READ;
}

void pmm_decoded_free(pmm_decoded *d)
{
    if (d) {
        free(d->fields);
        memset(d, 0, sizeof *d);
    }
}

const pmm_decoded_field *pmm_decoded_field_named(const pmm_decoded *d, const char *name)
{
    for (size_t i = 0; d->fields && i < d->def->field_count; i++)
        if (strcmp(d->fields[i].field->name, name) == 0)
            return &d->fields[i];
    return NULL;
}
