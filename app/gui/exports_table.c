#include "exports_table.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/formats/pe.h"
#include "core/util/text.h"

void exports_table_init(exports_table *t)
{
    memset(t, 0, sizeof *t);
    pmm_strings_init(&t->strings);
}

void exports_table_free(exports_table *t)
{
    free(t->rows);
    free(t->shown);
    pmm_strings_free(&t->strings);
    exports_table_init(t);
}

static pmm_status push(exports_table *t, const export_row *row)
{
    if (t->count == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 1024;
        export_row *rows = realloc(t->rows, cap * sizeof *rows);
        if (!rows)
            return PMM_ERR_NOMEM;
        t->rows = rows;
        t->cap = cap;
    }
    t->rows[t->count++] = *row;
    return PMM_OK;
}

static pmm_status add_module(exports_table *t, pmm_source *src, const pmm_map *map, size_t index)
{
    const pmm_module *m = &map->modules[index];
    pe_exports ex;
    pmm_status st = pe_read_exports_at(src, m->base, &ex);
    if (st == PMM_ERR_NOMEM)
        return st;
    if (st != PMM_OK) {
        t->modules_without += st != PMM_ERR_NOT_FOUND;
        return PMM_OK;
    }
    for (size_t i = 0; i < ex.count && st == PMM_OK; i++) {
        const pe_export *e = &ex.items[i];
        export_row row = {0};
        row.module = (uint32_t)index;
        row.ordinal = e->ordinal;
        row.is_data = e->is_data;
        row.address = e->forwarder || !e->rva ? 0 : m->base + e->rva;
        st = pmm_strings_intern(&t->strings, e->name, &row.name);
        if (st == PMM_OK)
            st = pmm_strings_intern(&t->strings, e->forwarder, &row.forwarder);
        if (st == PMM_OK)
            st = push(t, &row);
    }
    pe_exports_free(&ex);
    return st;
}

pmm_status exports_table_build(exports_table *t, pmm_source *src, const pmm_map *map)
{
    exports_table_free(t);
    t->map = map;
    pmm_status st = PMM_OK;
    for (size_t i = 0; i < map->module_count && st == PMM_OK; i++)
        st = add_module(t, src, map, i);
    if (st == PMM_OK)
        st = exports_table_filter(t, "");
    return st;
}

static int contains_ignoring_case(const char *text, const char *needle)
{
    size_t n = strlen(needle);
    for (; *text; text++) {
        size_t i = 0;
        while (i < n && text[i] && tolower((unsigned char)text[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return 1;
    }
    return n == 0;
}

static int starts_with_ignoring_case(const char *text, const char *prefix, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!text[i] || tolower((unsigned char)text[i]) != tolower((unsigned char)prefix[i]))
            return 0;
    return 1;
}

pmm_status exports_table_filter(exports_table *t, const char *text)
{
    free(t->shown);
    t->shown_count = 0;
    t->shown = malloc((t->count ? t->count : 1) * sizeof *t->shown);
    if (!t->shown)
        return PMM_ERR_NOMEM;
    const char *bang = strchr(text, '!');
    const char *name = bang ? bang + 1 : text;
    size_t module_len = bang ? (size_t)(bang - text) : 0;
    for (size_t i = 0; i < t->count; i++) {
        const export_row *r = &t->rows[i];
        if (module_len &&
            !starts_with_ignoring_case(pmm_map_text(t->map, t->map->modules[r->module].name), text, module_len))
            continue;
        if (!contains_ignoring_case(pmm_strings_get(&t->strings, r->name), name))
            continue;
        t->shown[t->shown_count++] = (uint32_t)i;
    }
    return PMM_OK;
}

size_t exports_table_show_symbol(exports_table *t, const pmm_symbols *syms, const pmm_symbol_match *match)
{
    if (exports_table_filter(t, "") != PMM_OK || !match->symbol)
        return PMM_NO_INDEX;
    const char *wanted = pmm_symbols_text(syms, match->symbol->name);
    for (size_t k = 0; k < t->shown_count; k++) {
        const export_row *r = &t->rows[t->shown[k]];
        if (r->address != match->symbol->address || t->map->modules[r->module].base != match->module->base)
            continue;
        /* Several names can share an address: prefer the one the resolver chose. */
        if (!match->symbol->has_name || strcmp(pmm_strings_get(&t->strings, r->name), wanted) == 0)
            return k;
    }
    for (size_t k = 0; k < t->shown_count; k++)
        if (t->rows[t->shown[k]].address == match->symbol->address)
            return k;
    return PMM_NO_INDEX;
}

const char *exports_column_name(exports_column column)
{
    static const char *const names[EXPORTS_COL_COUNT] = {"Module", "Name", "Ordinal", "Address", "Kind",
                                                         "Symbols", "Forwarded to"};
    return (unsigned)column < EXPORTS_COL_COUNT ? names[column] : "";
}

/* "dwarf" when the best source names the export's address by the export's own name (the usual
 * case: debug data confirms it), else "dwarf: RtlFoo+0x10" with the name that source gives. */
static const char *symbols_cell(const exports_table *t, const export_row *r, char *buf, size_t cap)
{
    pmm_symbol_match m;
    if (!t->syms || !r->address || !pmm_symbols_lookup(t->syms, r->address, &m) || !m.symbol)
        return "";
    const char *origin = pmm_symbol_origin_name(m.origin);
    const char *name = pmm_symbols_text(t->syms, m.symbol->name);
    if (m.offset == 0 && r->name && strcmp(name, pmm_strings_get(&t->strings, r->name)) == 0)
        return origin;
    if (m.offset)
        snprintf(buf, cap, "%s: %s+0x%llx", origin, name, (unsigned long long)m.offset);
    else
        snprintf(buf, cap, "%s: %s", origin, name);
    return buf;
}

const char *exports_table_cell(const exports_table *t, size_t row, exports_column column, char *buf, size_t cap)
{
    if (cap)
        buf[0] = '\0';
    if (row >= t->shown_count)
        return "";
    const export_row *r = &t->rows[t->shown[row]];
    switch (column) {
    case EXPORTS_COL_MODULE: return pmm_map_text(t->map, t->map->modules[r->module].name);
    case EXPORTS_COL_NAME:
        if (r->name)
            return pmm_strings_get(&t->strings, r->name);
        return "[by ordinal]";
    case EXPORTS_COL_ORDINAL: snprintf(buf, cap, "%u", (unsigned)r->ordinal); return buf;
    case EXPORTS_COL_ADDRESS:
        if (!r->address)
            return "";
        return pmm_address_text(r->address, t->map->target.pointer_size, buf, cap);
    case EXPORTS_COL_KIND: return r->forwarder ? "Forwarder" : !r->address ? "Empty" : r->is_data ? "Data" : "Code";
    case EXPORTS_COL_SYMBOLS: return symbols_cell(t, r, buf, cap);
    case EXPORTS_COL_FORWARDER: return pmm_strings_get(&t->strings, r->forwarder);
    default: return "";
    }
}
