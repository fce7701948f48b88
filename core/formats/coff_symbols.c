/* COFF symbol records (18 bytes each): name (8 bytes inline, or 0 then a u32 string-table offset),
 * value u32, section number i16 (1-based; 0 undefined, -1 absolute, -2 debug), type u16, storage
 * class u8, aux record count u8, followed by that many aux records of the same size. */
#include "coff_symbols.h"

#include <string.h>
#include "byte_cursor.h"

enum {
    COFF_CLASS_EXTERNAL = 2,
    COFF_CLASS_STATIC = 3,
    COFF_CLASS_LABEL = 6
};

pmm_status coff_table_open(const uint8_t *data, size_t size, uint32_t record_count, coff_table *out,
                           int *truncated)
{
    memset(out, 0, sizeof *out);
    *truncated = 0;
    if (record_count > COFF_MAX_SYMBOLS)
        return PMM_ERR_FORMAT;
    size_t records_size = (size_t)record_count * COFF_SYMBOL_RECORD_SIZE;
    out->records = data;
    if (records_size > size) {
        out->record_count = size / COFF_SYMBOL_RECORD_SIZE;
        *truncated = 1;
        return PMM_OK;
    }
    out->record_count = record_count;
    byte_cursor c = bc_make(data + records_size, size - records_size);
    uint32_t strings_size = bc_u32(&c);
    if (c.bad) {
        *truncated = 1;
        return PMM_OK;
    }
    if (strings_size < 4)
        return PMM_ERR_FORMAT;
    if (strings_size > size - records_size) {
        strings_size = (uint32_t)(size - records_size);
        *truncated = 1;
    }
    out->strings = data + records_size;
    out->strings_size = strings_size;
    return PMM_OK;
}

const char *coff_string(const coff_table *t, uint32_t offset)
{
    if (offset < 4)
        return NULL;
    return bc_string_at(t->strings, t->strings_size, offset);
}

const char *coff_long_section_name(const coff_table *t, const char *name)
{
    if (name[0] != '/' || !name[1])
        return NULL;
    uint64_t offset = 0;
    for (const char *p = name + 1; *p; p++) {
        if (*p < '0' || *p > '9' || offset > UINT32_MAX / 10)
            return NULL;
        offset = offset * 10 + (uint64_t)(*p - '0');
    }
    return offset <= UINT32_MAX ? coff_string(t, (uint32_t)offset) : NULL;
}

/* The record's name: inline (up to 8 bytes, not NUL-terminated when all 8 are used) or from the
 * string table. */
static const char *record_name(const coff_table *t, const uint8_t *r, char inline_name[9])
{
    if (r[0] || r[1] || r[2] || r[3]) {
        memcpy(inline_name, r, 8);
        inline_name[8] = '\0';
        return inline_name;
    }
    uint32_t offset = (uint32_t)r[4] | (uint32_t)r[5] << 8 | (uint32_t)r[6] << 16 | (uint32_t)r[7] << 24;
    return coff_string(t, offset);
}

/* Functions and labels: external and static symbols and labels. */
static int is_code_symbol(uint8_t storage_class, const char *name)
{
    return (storage_class == COFF_CLASS_EXTERNAL || storage_class == COFF_CLASS_STATIC ||
            storage_class == COFF_CLASS_LABEL) && name && name[0];
}

pmm_status coff_report_symbols(const coff_table *t, const coff_section_span *sections, size_t section_count,
                               const dbg_sink *sink)
{
    for (size_t i = 0; i < t->record_count; i++) {
        const uint8_t *r = t->records + i * COFF_SYMBOL_RECORD_SIZE;
        byte_cursor c = bc_make(r + 8, COFF_SYMBOL_RECORD_SIZE - 8);
        uint32_t value = bc_u32(&c);
        int16_t section = (int16_t)bc_u16(&c);
        bc_u16(&c);   /* type: MinGW marks functions, but not asm labels; the section decides */
        uint8_t storage_class = bc_u8(&c);
        uint8_t aux = bc_u8(&c);
        char inline_name[9];
        const char *name = record_name(t, r, inline_name);
        size_t skip = aux;
        if (section > 0 && (size_t)section <= section_count && sections[section - 1].is_code &&
            value < sections[section - 1].size && is_code_symbol(storage_class, name)) {
            /* Section symbols (".text", ".text$1") and local labels name nothing, but each marks
             * where an input section starts, so the symbol before it ends there. */
            dbg_scope s = {sections[section - 1].rva + value, 0, name[0] == '.' ? NULL : name, DBG_SCOPE_SYMBOL,
                           DBG_ORIGIN_COFF, 0, 0, 0};
            pmm_status st = sink->scope(sink->ctx, &s);
            if (st != PMM_OK)
                return st;
        }
        i += skip;
    }
    return PMM_OK;
}
