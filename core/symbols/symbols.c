#include "symbols.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../formats/pe.h"
#include "../util/array.h"
#include "../util/names.h"

void pmm_symbols_init(pmm_symbols *syms)
{
    memset(syms, 0, sizeof *syms);
    pmm_strings_init(&syms->strings);
}

void pmm_symbols_free(pmm_symbols *syms)
{
    if (!syms)
        return;
    free(syms->modules);
    free(syms->symbols);
    pmm_strings_free(&syms->strings);
    memset(syms, 0, sizeof *syms);
}

const char *pmm_symbols_text(const pmm_symbols *syms, uint32_t string_id)
{
    return pmm_strings_get(&syms->strings, string_id);
}

static pmm_status add_symbol(pmm_symbols *syms, const pmm_symbol *sym)
{
    pmm_status st = pmm_array_reserve((void **)&syms->symbols, &syms->cap, syms->count + 1, sizeof *syms->symbols);
    if (st == PMM_OK)
        syms->symbols[syms->count++] = *sym;
    return st;
}

/* Forwarders have no address in this module, and an RVA past the image is not one of its own. */
static pmm_status add_exports(pmm_symbols *syms, uint32_t module, const pe_exports *ex, uint64_t base, uint64_t size)
{
    for (size_t i = 0; i < ex->count; i++) {
        const pe_export *e = &ex->items[i];
        if (e->forwarder || e->rva == 0 || (size && e->rva >= size))
            continue;
        pmm_symbol sym;
        memset(&sym, 0, sizeof sym);
        sym.address = base + e->rva;
        sym.module = module;
        sym.ordinal = e->ordinal;
        sym.is_data = e->is_data;
        sym.has_name = e->name != NULL;
        char ordinal_name[32];
        const char *name = e->name;
        if (!name) {
            snprintf(ordinal_name, sizeof ordinal_name, "Ordinal%u", e->ordinal);
            name = ordinal_name;
        }
        pmm_status st = pmm_strings_intern(&syms->strings, name, &sym.name);
        if (st == PMM_OK)
            st = add_symbol(syms, &sym);
        if (st != PMM_OK)
            return st;
        syms->modules[module].export_count++;
    }
    return PMM_OK;
}

pmm_status pmm_symbols_add_module(pmm_symbols *syms, pmm_source *src, uint64_t base, uint64_t size,
                                  const char *name)
{
    pmm_status st = pmm_array_reserve((void **)&syms->modules, &syms->module_cap, syms->module_count + 1,
                                      sizeof *syms->modules);
    if (st != PMM_OK)
        return st;
    uint32_t index = (uint32_t)syms->module_count;
    pmm_symbol_module *m = &syms->modules[syms->module_count++];
    memset(m, 0, sizeof *m);
    m->base = base;
    m->size = size;
    syms->finished = 0;
    pe_image img;
    pe_exports ex;
    m->status = pe_open(src, base, PE_LAYOUT_IMAGE, &img);
    if (m->status == PMM_OK) {
        if (!size)
            m->size = img.size_of_image;
        m->status = pe_read_exports(&img, &ex);
        pe_close(&img);
    }
    if (m->status == PMM_ERR_NOMEM)
        return m->status;
    /* The module's own file name; the export directory's name when the caller has none. */
    const char *label = name && *name ? name : (m->status == PMM_OK && *ex.dll_name ? ex.dll_name : NULL);
    char fallback[32];
    if (!label) {
        snprintf(fallback, sizeof fallback, "module_%" PRIx64, base);
        label = fallback;
    }
    st = pmm_strings_intern(&syms->strings, label, &syms->modules[index].name);
    if (st == PMM_OK && syms->modules[index].status == PMM_OK)
        st = add_exports(syms, index, &ex, base, syms->modules[index].size);
    if (syms->modules[index].status == PMM_OK)
        pe_exports_free(&ex);
    return st;
}

pmm_status pmm_symbols_add_map(pmm_symbols *syms, pmm_source *src, const pmm_map *map)
{
    for (size_t i = 0; i < map->module_count; i++) {
        const pmm_module *m = &map->modules[i];
        pmm_status st = pmm_symbols_add_module(syms, src, m->base, m->size, pmm_map_text(map, m->name));
        if (st != PMM_OK)
            return st;
    }
    return PMM_OK;
}

static int compare_modules(const void *a, const void *b)
{
    const pmm_symbol_module *x = a, *y = b;
    return x->base < y->base ? -1 : x->base > y->base;
}

/* By address; at one address a named export wins over an ordinal-only one, then by ordinal, so
 * the name shown for an address does not depend on the order the tables were read. */
static int compare_symbols(const void *a, const void *b)
{
    const pmm_symbol *x = a, *y = b;
    if (x->address != y->address)
        return x->address < y->address ? -1 : 1;
    if (x->has_name != y->has_name)
        return x->has_name ? -1 : 1;
    return x->ordinal < y->ordinal ? -1 : x->ordinal > y->ordinal;
}

typedef struct tagged_module {
    pmm_symbol_module module;
    uint32_t old_index;
} tagged_module;

static int compare_tagged(const void *a, const void *b)
{
    return compare_modules(&((const tagged_module *)a)->module, &((const tagged_module *)b)->module);
}

/* Symbols refer to modules by index, so sorting the modules remaps those indexes. Returns 0 when
 * out of memory (the modules then stay unsorted, and lookups fall back to a linear scan). */
static int sort_modules(pmm_symbols *syms)
{
    size_t n = syms->module_count;
    if (n < 2)
        return 1;
    tagged_module *t = malloc(n * sizeof *t);
    uint32_t *new_index = malloc(n * sizeof *new_index);
    if (!t || !new_index) {
        free(t);
        free(new_index);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        t[i].module = syms->modules[i];
        t[i].old_index = (uint32_t)i;
    }
    qsort(t, n, sizeof *t, compare_tagged);
    for (size_t i = 0; i < n; i++) {
        syms->modules[i] = t[i].module;
        new_index[t[i].old_index] = (uint32_t)i;
    }
    for (size_t i = 0; i < syms->count; i++)
        syms->symbols[i].module = new_index[syms->symbols[i].module];
    free(t);
    free(new_index);
    return 1;
}

void pmm_symbols_finish(pmm_symbols *syms)
{
    syms->finished = sort_modules(syms);
    if (syms->count > 1)
        qsort(syms->symbols, syms->count, sizeof *syms->symbols, compare_symbols);
}

static const pmm_symbol_module *module_at(const pmm_symbols *syms, uint64_t addr, uint32_t *index)
{
    if (!syms->finished) {
        for (size_t i = 0; i < syms->module_count; i++)
            if (addr - syms->modules[i].base < syms->modules[i].size) {
                *index = (uint32_t)i;
                return &syms->modules[i];
            }
        return NULL;
    }
    size_t lo = 0, hi = syms->module_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (syms->modules[mid].base <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    const pmm_symbol_module *m = &syms->modules[lo - 1];
    if (addr - m->base >= m->size)
        return NULL;
    *index = (uint32_t)(lo - 1);
    return m;
}

/* The last symbol at or below addr, or NULL. Equal addresses: the first of them (the preferred). */
static const pmm_symbol *symbol_at_or_below(const pmm_symbols *syms, uint64_t addr)
{
    size_t lo = 0, hi = syms->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (syms->symbols[mid].address <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    size_t i = lo - 1;
    while (i > 0 && syms->symbols[i - 1].address == syms->symbols[i].address)
        i--;
    return &syms->symbols[i];
}

int pmm_symbols_lookup(const pmm_symbols *syms, uint64_t addr, pmm_symbol_match *out)
{
    memset(out, 0, sizeof *out);
    uint32_t index;
    const pmm_symbol_module *m = module_at(syms, addr, &index);
    if (!m)
        return 0;
    out->module = m;
    const pmm_symbol *s = symbol_at_or_below(syms, addr);
    if (s && s->module == index && s->address >= m->base) {
        out->symbol = s;
        out->offset = addr - s->address;
    } else {
        out->offset = addr - m->base;
    }
    return 1;
}

int pmm_symbols_describe(const pmm_symbols *syms, uint64_t addr, char *buf, size_t cap)
{
    pmm_symbol_match match;
    if (cap)
        buf[0] = '\0';
    if (!pmm_symbols_lookup(syms, addr, &match))
        return 0;
    const char *module = pmm_symbols_text(syms, match.module->name);
    if (match.symbol && match.offset)
        snprintf(buf, cap, "%s!%s+0x%" PRIx64, module, pmm_symbols_text(syms, match.symbol->name), match.offset);
    else if (match.symbol)
        snprintf(buf, cap, "%s!%s", module, pmm_symbols_text(syms, match.symbol->name));
    else
        snprintf(buf, cap, "%s+0x%" PRIx64, module, match.offset);
    return 1;
}

/* "kernel32" matches "kernel32.dll" and "KERNEL32.DLL". */
static int module_matches(const char *module, const char *want, size_t want_len)
{
    size_t len = strlen(module);
    if (len == want_len)
        return pmm_names_equal_n(module, want, len);
    return len > want_len && module[want_len] == '.' && !strchr(module + want_len + 1, '.') &&
           pmm_names_equal_n(module, want, want_len);
}

size_t pmm_symbols_find_name(const pmm_symbols *syms, const char *spec,
                             void (*fn)(void *ctx, const pmm_symbol *symbol), void *ctx)
{
    const char *bang = strchr(spec, '!');
    const char *name = bang ? bang + 1 : spec;
    size_t found = 0;
    for (size_t i = 0; i < syms->count; i++) {
        const pmm_symbol *s = &syms->symbols[i];
        if (strcmp(pmm_symbols_text(syms, s->name), name) != 0)
            continue;
        if (bang && !module_matches(pmm_symbols_text(syms, syms->modules[s->module].name), spec, (size_t)(bang - spec)))
            continue;
        if (fn)
            fn(ctx, s);
        found++;
    }
    return found;
}
