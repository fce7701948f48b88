/* Where the code around an address starts: what a disassembly needs to find instruction
 * boundaries before an address (decoding backwards is ambiguous; decoding forwards from a
 * function's first byte is not). */
#include "symbols_internal.h"

#include <string.h>

int pmm_symbols_code_start(const pmm_symbols *syms, uint64_t addr, uint64_t *start)
{
    size_t index = symbols_module_at(syms, addr);
    if (index == SIZE_MAX)
        return 0;
    pmm_symbols *s = (pmm_symbols *)syms;   /* lookups fill the cache behind a const resolver */
    const pmm_symbol_module *m = &s->modules[index];
    if (symbols_load_debug(s, index) == PMM_OK && m->debug) {
        /* The outermost scope: the function (named or not: the x64 function table's entries
         * without an export stay nameless), or a code symbol measured to the next one. */
        pmm_symtab_hit hit;
        if (addr - m->base > UINT32_MAX || !pmm_symtab_lookup(&m->debug->table, (uint32_t)(addr - m->base), &hit) ||
            !hit.outer)
            return 0;
        *start = m->base + hit.outer->rva;
        return 1;
    }
    pmm_symbol_match e;
    if (!pmm_symbols_lookup_export(syms, addr, &e) || !e.symbol || e.symbol->is_data)
        return 0;
    *start = e.symbol->address;
    return 1;
}
