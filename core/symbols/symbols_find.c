/* Names to addresses: exports first (cheap, and what "module!Export" usually means), then the
 * debug symbols of the named module or, for a bare name, of every module. */
#include "symbols_internal.h"

#include <string.h>
#include "../util/names.h"

/* "kernel32" matches "kernel32.dll" and "KERNEL32.DLL". */
static int module_matches(const char *module, const char *want, size_t want_len)
{
    size_t len = strlen(module);
    if (len == want_len)
        return pmm_names_equal_n(module, want, len);
    return len > want_len && module[want_len] == '.' && !strchr(module + want_len + 1, '.') &&
           pmm_names_equal_n(module, want, want_len);
}

typedef struct name_spec {
    const char *module;          /* NULL for any module */
    size_t module_len;
    const char *name;
} name_spec;

static name_spec parse_spec(const char *spec)
{
    const char *bang = strchr(spec, '!');
    name_spec n = {bang ? spec : NULL, bang ? (size_t)(bang - spec) : 0, bang ? bang + 1 : spec};
    return n;
}

static int wanted_module(const pmm_symbols *syms, const name_spec *n, size_t index)
{
    return !n->module || module_matches(pmm_symbols_text(syms, syms->modules[index].name), n->module, n->module_len);
}

size_t pmm_symbols_find_name(const pmm_symbols *syms, const char *spec,
                             void (*fn)(void *ctx, const pmm_symbol *symbol), void *ctx)
{
    pmm_symbols *s = (pmm_symbols *)syms;   /* the cache is not part of what callers see */
    name_spec n = parse_spec(spec);
    size_t found = 0;
    for (size_t i = 0; i < s->module_count; i++) {
        if (!wanted_module(s, &n, i) || symbols_read_exports(s, i) != PMM_OK)
            continue;
        const pmm_symbol_module *m = &s->modules[i];
        for (size_t k = 0; k < m->export_count; k++) {
            if (strcmp(pmm_symbols_text(s, m->exports[k].name), n.name) != 0)
                continue;
            if (fn)
                fn(ctx, &m->exports[k]);
            found++;
        }
    }
    return found;
}

/* Functions and symbols (not inlined calls) of one module's table named n->name, each address once. */
static size_t find_in_table(pmm_symbols *s, size_t index, const char *name,
                            void (*fn)(void *ctx, const pmm_symbol *symbol), void *ctx)
{
    const pmm_image_symbols *d = s->modules[index].debug;
    const pmm_symtab *t = &d->table;
    size_t found = 0;
    uint64_t last = UINT64_MAX;
    for (size_t i = 0; i < t->scope_count; i++) {
        const pmm_symtab_scope *c = &t->scopes[i];
        if (c->kind == DBG_SCOPE_INLINED || !c->name || strcmp(pmm_symtab_text(t, c->name), name) != 0)
            continue;
        uint64_t address = s->modules[index].base + c->rva;
        if (address == last)
            continue;
        last = address;
        pmm_symbol sym;
        memset(&sym, 0, sizeof sym);
        sym.address = address;
        sym.module = (uint32_t)index;
        sym.has_name = 1;
        sym.origin = c->origin;
        if (pmm_strings_intern(&s->strings, name, &sym.name) != PMM_OK)
            break;
        if (fn)
            fn(ctx, &sym);
        found++;
    }
    return found;
}

size_t pmm_symbols_find(const pmm_symbols *syms, const char *spec,
                        void (*fn)(void *ctx, const pmm_symbol *symbol), void *ctx)
{
    size_t found = pmm_symbols_find_name(syms, spec, fn, ctx);
    if (found)
        return found;
    pmm_symbols *s = (pmm_symbols *)syms;
    name_spec n = parse_spec(spec);
    for (size_t i = 0; i < s->module_count; i++)
        if (wanted_module(s, &n, i) && symbols_load_debug(s, i) == PMM_OK && s->modules[i].debug)
            found += find_in_table(s, i, n.name, fn, ctx);
    return found;
}
