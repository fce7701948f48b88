/* Address-to-name resolution from the exports of a target's modules: "kernel32.dll!CreateFileW+0x1a".
 * Built once per target (every module's export table read through the source), then answered by
 * binary search; used by stacks, search results and the hex view. */
#ifndef PMM_SYMBOLS_H
#define PMM_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>
#include "../model/map.h"
#include "../model/strings.h"

typedef struct pmm_symbol_module {
    uint64_t base;
    uint64_t size;
    uint32_t name;           /* string id: the file name, "kernel32.dll" */
    uint32_t export_count;   /* exports with an address in this module */
    pmm_status status;       /* how reading its exports went (PMM_ERR_NOT_FOUND: it has none) */
} pmm_symbol_module;

typedef struct pmm_symbol {
    uint64_t address;
    uint32_t name;           /* string id; "Ordinal12" for an export without a name */
    uint32_t module;         /* index into modules */
    uint32_t ordinal;
    uint8_t is_data;
    uint8_t has_name;
    uint16_t reserved;
} pmm_symbol;

typedef struct pmm_symbols {
    pmm_symbol_module *modules;  /* sorted by base */
    size_t module_count, module_cap;
    pmm_symbol *symbols;         /* sorted by address once finished */
    size_t count, cap;
    pmm_strings strings;
    int finished;                /* modules sorted: lookups may binary-search them */
} pmm_symbols;

/* What an address resolves to. symbol is NULL inside a module before its first export. */
typedef struct pmm_symbol_match {
    const pmm_symbol_module *module;
    const pmm_symbol *symbol;
    uint64_t offset;             /* from the symbol, or from the module base when there is none */
} pmm_symbol_match;

void pmm_symbols_init(pmm_symbols *syms);
void pmm_symbols_free(pmm_symbols *syms);
/* Reads the exports of the image mapped at base. A module whose exports cannot be read is still
 * added (addresses in it resolve to "module+0x..."); its status says why. Fatal only on NOMEM. */
pmm_status pmm_symbols_add_module(pmm_symbols *syms, pmm_source *src, uint64_t base, uint64_t size,
                                  const char *name);
/* Every module of a scanned map. */
pmm_status pmm_symbols_add_map(pmm_symbols *syms, pmm_source *src, const pmm_map *map);
/* Sorts for lookups; call after the last add. */
void pmm_symbols_finish(pmm_symbols *syms);

/* 1 when addr lies in a known module (filling *out), else 0. */
int pmm_symbols_lookup(const pmm_symbols *syms, uint64_t addr, pmm_symbol_match *out);
/* "module!symbol+0x1a", "module!symbol", "module+0x1234"; "" and 0 when addr is in no module. */
int pmm_symbols_describe(const pmm_symbols *syms, uint64_t addr, char *buf, size_t cap);
/* Exports named `spec`, or `module!name` (module matched case-insensitively, with or without
 * its extension). Calls fn for each match; returns the number of matches. */
size_t pmm_symbols_find_name(const pmm_symbols *syms, const char *spec,
                             void (*fn)(void *ctx, const pmm_symbol *symbol), void *ctx);
const char *pmm_symbols_text(const pmm_symbols *syms, uint32_t string_id);

#endif
