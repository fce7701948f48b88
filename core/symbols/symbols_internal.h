/* Shared by the files of the resolver. */
#ifndef PMM_SYMBOLS_INTERNAL_H
#define PMM_SYMBOLS_INTERNAL_H

#include "symbols.h"

/* Reads the module's exports once. */
pmm_status symbols_read_exports(pmm_symbols *syms, size_t index);
/* Loads the module's debug table once (again after it was dropped). PMM_OK also when the module
 * has none (debug stays NULL, debug_state says so); PMM_ERR_NOMEM. */
pmm_status symbols_load_debug(pmm_symbols *syms, size_t index);
void symbols_drop_debug(pmm_symbols *syms, pmm_symbol_module *m);
/* Index of the module containing addr, or SIZE_MAX. */
size_t symbols_module_at(const pmm_symbols *syms, uint64_t addr);

#endif
