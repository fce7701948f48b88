/* Loading a module's debug table on first need, and keeping the loaded tables within the budget
 * by dropping the least recently used ones. */
#include "symbols_internal.h"

#include <stdlib.h>
#include <string.h>

void symbols_drop_debug(pmm_symbols *syms, pmm_symbol_module *m)
{
    if (!m->debug)
        return;
    size_t bytes = pmm_symtab_memory(&m->debug->table);
    syms->used = syms->used > bytes ? syms->used - bytes : 0;
    pmm_image_symbols_free(m->debug);
    free(m->debug);
    m->debug = NULL;
    m->debug_state = PMM_DEBUG_DROPPED;
}

static void keep_within_budget(pmm_symbols *syms, const pmm_symbol_module *keep)
{
    while (syms->used > syms->budget) {
        pmm_symbol_module *oldest = NULL;
        for (size_t i = 0; i < syms->module_count; i++) {
            pmm_symbol_module *m = &syms->modules[i];
            if (m->debug && m != keep && (!oldest || m->last_use < oldest->last_use))
                oldest = m;
        }
        if (!oldest)
            return;
        symbols_drop_debug(syms, oldest);
    }
}

pmm_status symbols_load_debug(pmm_symbols *syms, size_t index)
{
    pmm_symbol_module *m = &syms->modules[index];
    m->last_use = ++syms->clock;
    if (m->debug || m->debug_state == PMM_DEBUG_NONE || syms->exports_only)
        return PMM_OK;
    pmm_image_symbols *loaded = malloc(sizeof *loaded);
    if (!loaded)
        return PMM_ERR_NOMEM;
    pmm_image_request req = {m->src, m->base, m->path ? pmm_symbols_text(syms, m->path) : NULL, syms->symbol_path};
    pmm_status st = pmm_image_symbols_load(&req, loaded);
    pmm_status noted = pmm_strings_intern(&syms->strings, loaded->note, &m->note);
    if (st != PMM_OK) {
        free(loaded);
        m->debug_state = PMM_DEBUG_NONE;
        return st == PMM_ERR_NOMEM ? st : noted;
    }
    m->debug = loaded;
    m->origins = loaded->origins;
    m->debug_state = PMM_DEBUG_LOADED;
    if (!m->size)
        m->size = loaded->image_size;
    syms->used += pmm_symtab_memory(&loaded->table);
    keep_within_budget(syms, m);
    return noted;
}

const pmm_image_symbols *pmm_symbols_module_table(const pmm_symbols *syms, size_t module)
{
    pmm_symbols *s = (pmm_symbols *)syms;   /* the cache is not part of what callers see */
    if (module >= s->module_count || symbols_load_debug(s, module) != PMM_OK)
        return NULL;
    return s->modules[module].debug;
}

size_t pmm_symbols_memory(const pmm_symbols *syms)
{
    return syms->used;
}
