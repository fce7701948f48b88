/* What the symbol reader harnesses share: whatever a reader reported goes into a module table,
 * which is finished and asked about addresses across the image, as the resolver would. */
#ifndef PMM_FUZZ_SYMBOLS_COMMON_H
#define PMM_FUZZ_SYMBOLS_COMMON_H

#include "core/symbols/symtab.h"

#define FUZZ_IMAGE_SIZE 0x100000u

static inline void fuzz_query(const pmm_symtab *t, uint32_t rva)
{
    pmm_symtab_hit hit;
    pmm_symtab_lookup(t, rva, &hit);
    const pmm_symtab_scope *chain[16];
    pmm_symtab_chain(t, rva, chain, 16);
}

/* Asks at the start, middle and end of the first scopes and line rows, and across the image. */
static inline void fuzz_query_table(pmm_symtab *t)
{
    if (pmm_symtab_finish(t) != PMM_OK)
        return;
    for (size_t i = 0; i < t->scope_count && i < 2000; i++) {
        const pmm_symtab_scope *s = &t->scopes[i];
        fuzz_query(t, s->rva);
        fuzz_query(t, s->rva + (s->end - s->rva) / 2);
        fuzz_query(t, s->end);
    }
    for (size_t i = 0; i < t->row_count && i < 2000; i++)
        fuzz_query(t, t->rows[i].rva);
    for (uint32_t rva = 0; rva < FUZZ_IMAGE_SIZE; rva += 0x3001)
        fuzz_query(t, rva);
}

#endif
