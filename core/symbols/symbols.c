/* The module registry, its exports, and naming addresses from the best source a module has. */
#include "symbols_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../formats/pe.h"
#include "../util/array.h"

void pmm_symbols_init(pmm_symbols *syms)
{
    memset(syms, 0, sizeof *syms);
    pmm_strings_init(&syms->strings);
    syms->budget = PMM_SYMBOLS_DEFAULT_BUDGET;
}

void pmm_symbols_free(pmm_symbols *syms)
{
    if (!syms)
        return;
    for (size_t i = 0; i < syms->module_count; i++) {
        free(syms->modules[i].exports);
        symbols_drop_debug(syms, &syms->modules[i]);
    }
    free(syms->modules);
    free(syms->symbol_path);
    pmm_strings_free(&syms->strings);
    memset(syms, 0, sizeof *syms);
}

pmm_status pmm_symbols_set_path(pmm_symbols *syms, const char *symbol_path)
{
    free(syms->symbol_path);
    syms->symbol_path = NULL;
    if (!symbol_path || !*symbol_path)
        return PMM_OK;
    size_t len = strlen(symbol_path);
    syms->symbol_path = malloc(len + 1);
    if (!syms->symbol_path)
        return PMM_ERR_NOMEM;
    memcpy(syms->symbol_path, symbol_path, len + 1);
    return PMM_OK;
}

const char *pmm_symbols_text(const pmm_symbols *syms, uint32_t string_id)
{
    return pmm_strings_get(&syms->strings, string_id);
}

/* ---- registering modules ------------------------------------------------------------------- */

pmm_status pmm_symbols_add_image(pmm_symbols *syms, pmm_source *src, uint64_t base, uint64_t size,
                                 const char *name, const char *path)
{
    pmm_status st = pmm_array_reserve((void **)&syms->modules, &syms->module_cap, syms->module_count + 1,
                                      sizeof *syms->modules);
    if (st != PMM_OK)
        return st;
    pmm_symbol_module m;
    memset(&m, 0, sizeof m);
    m.base = base;
    m.size = size;
    m.src = src;
    char fallback[32];
    if (!name || !*name) {
        snprintf(fallback, sizeof fallback, "module_%" PRIx64, base);
        name = fallback;
    }
    st = pmm_strings_intern(&syms->strings, name, &m.name);
    if (st == PMM_OK)
        st = pmm_strings_intern(&syms->strings, path, &m.path);
    if (st != PMM_OK)
        return st;
    syms->modules[syms->module_count++] = m;
    syms->finished = 0;
    return PMM_OK;
}

pmm_status pmm_symbols_add_module(pmm_symbols *syms, pmm_source *src, uint64_t base, uint64_t size,
                                  const char *name)
{
    pmm_status st = pmm_symbols_add_image(syms, src, base, size, name, NULL);
    if (st == PMM_OK)
        st = symbols_read_exports(syms, syms->module_count - 1);
    return st;
}

pmm_status pmm_symbols_add_map(pmm_symbols *syms, pmm_source *src, const pmm_map *map)
{
    for (size_t i = 0; i < map->module_count; i++) {
        const pmm_module *m = &map->modules[i];
        pmm_status st = pmm_symbols_add_image(syms, src, m->base, m->size, pmm_map_text(map, m->name),
                                              pmm_map_text(map, m->path));
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

/* Exports refer to their module by index: sorting renumbers them. */
void pmm_symbols_finish(pmm_symbols *syms)
{
    if (syms->module_count > 1)
        qsort(syms->modules, syms->module_count, sizeof *syms->modules, compare_modules);
    for (size_t i = 0; i < syms->module_count; i++)
        for (size_t k = 0; k < syms->modules[i].export_count; k++)
            syms->modules[i].exports[k].module = (uint32_t)i;
    syms->finished = 1;
}

/* ---- exports ------------------------------------------------------------------------------------ */

/* By address; at one address a named export wins over an ordinal-only one, then by ordinal, so
 * the name shown for an address does not depend on the order the tables were read. */
static int compare_exports(const void *a, const void *b)
{
    const pmm_symbol *x = a, *y = b;
    if (x->address != y->address)
        return x->address < y->address ? -1 : 1;
    if (x->has_name != y->has_name)
        return x->has_name ? -1 : 1;
    return x->ordinal < y->ordinal ? -1 : x->ordinal > y->ordinal;
}

/* Forwarders have no address in this module, and an RVA past the image is not one of its own. */
static pmm_status keep_exports(pmm_symbols *syms, uint32_t index, const pe_exports *ex)
{
    pmm_symbol_module *m = &syms->modules[index];
    m->exports = malloc((ex->count ? ex->count : 1) * sizeof *m->exports);
    if (!m->exports)
        return PMM_ERR_NOMEM;
    for (size_t i = 0; i < ex->count; i++) {
        const pe_export *e = &ex->items[i];
        if (e->forwarder || e->rva == 0 || (m->size && e->rva >= m->size))
            continue;
        pmm_symbol *s = &m->exports[m->export_count];
        memset(s, 0, sizeof *s);
        s->address = m->base + e->rva;
        s->module = index;
        s->ordinal = e->ordinal;
        s->is_data = e->is_data;
        s->has_name = e->name != NULL;
        s->origin = DBG_ORIGIN_EXPORT;
        char ordinal_name[32];
        snprintf(ordinal_name, sizeof ordinal_name, "Ordinal%u", e->ordinal);
        pmm_status st = pmm_strings_intern(&syms->strings, e->name ? e->name : ordinal_name, &s->name);
        if (st != PMM_OK)
            return st;
        m->export_count++;
    }
    if (m->export_count > 1)
        qsort(m->exports, m->export_count, sizeof *m->exports, compare_exports);
    return PMM_OK;
}

pmm_status symbols_read_exports(pmm_symbols *syms, size_t index)
{
    pmm_symbol_module *m = &syms->modules[index];
    if (m->exports_read)
        return PMM_OK;
    m->exports_read = 1;
    pe_image img;
    pe_exports ex;
    m->status = m->src ? pe_open(m->src, m->base, PE_LAYOUT_IMAGE, &img) : PMM_ERR_NOT_FOUND;
    if (m->status == PMM_OK) {
        if (!m->size)
            m->size = img.size_of_image;
        m->status = pe_read_exports(&img, &ex);
        pe_close(&img);
    }
    if (m->status == PMM_ERR_NOMEM)
        return m->status;
    if (m->status != PMM_OK)
        return PMM_OK;
    pmm_status st = keep_exports(syms, (uint32_t)index, &ex);
    pe_exports_free(&ex);
    return st;
}

/* ---- lookups ------------------------------------------------------------------------------------ */

size_t symbols_module_at(const pmm_symbols *syms, uint64_t addr)
{
    if (!syms->finished) {
        for (size_t i = 0; i < syms->module_count; i++)
            if (addr - syms->modules[i].base < syms->modules[i].size)
                return i;
        return SIZE_MAX;
    }
    size_t lo = 0, hi = syms->module_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (syms->modules[mid].base <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || addr - syms->modules[lo - 1].base >= syms->modules[lo - 1].size)
        return SIZE_MAX;
    return lo - 1;
}

/* The last export at or below addr in the module (the preferred one of several at one address). */
static const pmm_symbol *export_at_or_below(const pmm_symbol_module *m, uint64_t addr)
{
    size_t lo = 0, hi = m->export_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->exports[mid].address <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    size_t i = lo - 1;
    while (i > 0 && m->exports[i - 1].address == m->exports[i].address)
        i--;
    return &m->exports[i];
}

/* The cache behind a const pmm_symbols is not part of what callers see: lookups fill it. */
static pmm_symbols *cache_of(const pmm_symbols *syms)
{
    return (pmm_symbols *)syms;
}

int pmm_symbols_lookup_export(const pmm_symbols *syms, uint64_t addr, pmm_symbol_match *out)
{
    memset(out, 0, sizeof *out);
    size_t index = symbols_module_at(syms, addr);
    if (index == SIZE_MAX)
        return 0;
    pmm_symbols *s = cache_of(syms);
    if (symbols_read_exports(s, index) != PMM_OK)
        return 0;
    const pmm_symbol_module *m = &s->modules[index];
    out->module = m;
    const pmm_symbol *e = export_at_or_below(m, addr);
    if (e) {
        out->symbol = e;
        out->offset = addr - e->address;
        out->origin = DBG_ORIGIN_EXPORT;
    } else {
        out->offset = addr - m->base;
    }
    return 1;
}

/* Fills the match from a debug table hit: the function (outer scope) names the address, the
 * innermost scope says which inlined call it is in, the line row where the code came from. */
static pmm_status match_from_table(pmm_symbols *s, size_t index, uint64_t addr, uint32_t probe_rva,
                                   pmm_symbol_match *out)
{
    const pmm_symbol_module *m = &s->modules[index];
    const pmm_symtab *t = &m->debug->table;
    pmm_symtab_hit hit;
    if (!pmm_symtab_lookup(t, probe_rva, &hit))
        return PMM_OK;
    pmm_status st = PMM_OK;
    if (hit.outer && hit.outer->name) {
        memset(&s->scratch, 0, sizeof s->scratch);
        s->scratch.address = m->base + hit.outer->rva;
        s->scratch.module = (uint32_t)index;
        s->scratch.has_name = 1;
        s->scratch.origin = hit.outer->origin;
        st = pmm_strings_intern(&s->strings, pmm_symtab_text(t, hit.outer->name), &s->scratch.name);
        out->symbol = &s->scratch;
        out->offset = addr - s->scratch.address;
        out->origin = hit.outer->origin;
    }
    if (st == PMM_OK && hit.inner && hit.inner != hit.outer && hit.inner->kind == DBG_SCOPE_INLINED) {
        const pmm_symtab_scope *chain[64];
        size_t n = pmm_symtab_chain(t, probe_rva, chain, 64);
        const pmm_symtab_scope *call = n >= 2 ? chain[n - 2] : hit.inner;   /* the call in the function itself */
        out->call_line = call->call_line;
        st = pmm_strings_intern(&s->strings, pmm_symtab_text(t, hit.inner->name), &out->inlined);
        if (st == PMM_OK && call->call_file)
            st = pmm_strings_intern(&s->strings, pmm_symtab_text(t, call->call_file), &out->call_file);
    }
    if (st == PMM_OK && hit.has_line && hit.file) {
        out->line = hit.line;
        st = pmm_strings_intern(&s->strings, pmm_symtab_text(t, hit.file), &out->file);
    }
    return st;
}

int pmm_symbols_lookup_flags(const pmm_symbols *syms, uint64_t addr, uint32_t flags, pmm_symbol_match *out)
{
    memset(out, 0, sizeof *out);
    size_t index = symbols_module_at(syms, addr);
    if (index == SIZE_MAX)
        return 0;
    pmm_symbols *s = cache_of(syms);
    const pmm_symbol_module *m = &s->modules[index];
    out->module = m;
    out->offset = addr - m->base;
    uint64_t probe = (flags & PMM_SYMBOLS_CALLER) && addr > m->base ? addr - 1 : addr;
    if (symbols_load_debug(s, index) == PMM_OK && m->debug) {
        if (probe - m->base <= UINT32_MAX)
            match_from_table(s, index, addr, (uint32_t)(probe - m->base), out);
        return 1;
    }
    /* No table (debug symbols off, or no image to read): the nearest export, as before. */
    pmm_symbol_match e;
    if (pmm_symbols_lookup_export(syms, probe, &e) && e.symbol) {
        out->symbol = e.symbol;
        out->offset = addr - e.symbol->address;
        out->origin = DBG_ORIGIN_EXPORT;
    }
    return 1;
}

int pmm_symbols_lookup(const pmm_symbols *syms, uint64_t addr, pmm_symbol_match *out)
{
    return pmm_symbols_lookup_flags(syms, addr, 0, out);
}

void pmm_symbols_describe_match(const pmm_symbols *syms, const pmm_symbol_match *match, char *buf, size_t cap)
{
    const char *module = pmm_symbols_text(syms, match->module->name);
    if (match->symbol && match->offset)
        snprintf(buf, cap, "%s!%s+0x%" PRIx64, module, pmm_symbols_text(syms, match->symbol->name), match->offset);
    else if (match->symbol)
        snprintf(buf, cap, "%s!%s", module, pmm_symbols_text(syms, match->symbol->name));
    else
        snprintf(buf, cap, "%s+0x%" PRIx64, module, match->offset);
}

int pmm_symbols_describe(const pmm_symbols *syms, uint64_t addr, char *buf, size_t cap)
{
    pmm_symbol_match match;
    if (cap)
        buf[0] = '\0';
    if (!pmm_symbols_lookup(syms, addr, &match))
        return 0;
    pmm_symbols_describe_match(syms, &match, buf, cap);
    return 1;
}

/* "./dlls/x.c" reads better as "dlls/x.c". */
static const char *file_text(const pmm_symbols *syms, uint32_t id)
{
    const char *f = pmm_symbols_text(syms, id);
    return strncmp(f, "./", 2) == 0 ? f + 2 : f;
}

int pmm_symbols_describe_line(const pmm_symbols *syms, uint64_t addr, uint32_t flags, char *buf, size_t cap)
{
    pmm_symbol_match match;
    if (cap)
        buf[0] = '\0';
    if (!pmm_symbols_lookup_flags(syms, addr, flags, &match))
        return 0;
    char where[512];
    pmm_symbols_describe_match(syms, &match, where, sizeof where);
    char line[300] = "";
    if (match.file && match.line)
        snprintf(line, sizeof line, " [%s:%u]", file_text(syms, match.file), match.line);
    if (!match.inlined) {
        snprintf(buf, cap, "%s%s", where, line);
        return 1;
    }
    const char *bang = strchr(where, '!');
    char call[300] = "";
    if (match.call_file && match.call_line)
        snprintf(call, sizeof call, " at %s:%u", file_text(syms, match.call_file), match.call_line);
    snprintf(buf, cap, "%s!%s%s (inlined in %s%s)", pmm_symbols_text(syms, match.module->name),
             pmm_symbols_text(syms, match.inlined), line, bang ? bang + 1 : where, call);
    return 1;
}
