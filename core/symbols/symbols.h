/* Names for addresses in a target's modules, and addresses for names.
 *
 * Modules are registered cheaply (base, size, name, image path). Nothing of a module is read
 * until an address in it is named or a name in it is looked up; then its exports and, unless
 * turned off, its debug symbols (a matching PDB, DWARF, the COFF symbol table: image_symbols.h)
 * are loaded once and kept. Debug tables stay within a memory budget: past it, the least recently
 * used module's table is dropped (and loaded again if needed). A name is the best source's: PDB,
 * then DWARF, then COFF symbols, then exports, and an export's name is not used beyond the
 * function it starts (its extent in the x64 function table, or up to the next export): better
 * "module+0x1234" than a wrong name.
 *
 * Used by stacks, search and strings results, the hex view, properties, Go To and pmm symbols.
 * Not thread-safe (lookups load and cache): use one pmm_symbols per thread. Text returned through
 * it (names, files) stays valid until the next call on the same pmm_symbols. */
#ifndef PMM_SYMBOLS_H
#define PMM_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>
#include "image_symbols.h"
#include "../model/map.h"
#include "../model/strings.h"

typedef struct pmm_symbol {
    uint64_t address;
    uint32_t name;           /* string id; "Ordinal12" for an export without a name */
    uint32_t module;         /* index into modules */
    uint32_t ordinal;        /* exports; 0 for a name from debug symbols */
    uint8_t is_data;
    uint8_t has_name;
    uint8_t origin;          /* dbg_origin: DBG_ORIGIN_EXPORT for an export */
    uint8_t reserved;
} pmm_symbol;

typedef struct pmm_symbol_module {
    uint64_t base;
    uint64_t size;
    uint32_t name;           /* string id: the file name, "kernel32.dll" */
    uint32_t path;           /* string id: the image file as the target names it; 0 unknown */
    uint32_t export_count;   /* exports with an address in this module (once read) */
    pmm_status status;       /* how reading its exports went (PMM_ERR_NOT_FOUND: it has none) */
    pmm_source *src;         /* where the image is mapped (not owned); NULL for a file alone */
    pmm_symbol *exports;     /* sorted by address */
    uint8_t exports_read;
    uint8_t debug_state;     /* enum pmm_debug_state */
    uint16_t reserved;
    uint32_t origins;        /* bit 1 << dbg_origin of each source that named something */
    uint32_t note;           /* string id: what was read, what was not found and why */
    pmm_image_symbols *debug;/* the loaded table, or NULL */
    uint64_t last_use;
} pmm_symbol_module;

enum pmm_debug_state { PMM_DEBUG_NOT_READ = 0, PMM_DEBUG_LOADED = 1, PMM_DEBUG_DROPPED = 2, PMM_DEBUG_NONE = 3 };

#define PMM_SYMBOLS_DEFAULT_BUDGET ((size_t)256 << 20)

typedef struct pmm_symbols {
    pmm_symbol_module *modules;  /* sorted by base once finished */
    size_t module_count, module_cap;
    pmm_strings strings;
    int finished;                /* modules sorted: lookups may binary-search them */
    int exports_only;            /* do not read debug symbols */
    char *symbol_path;           /* owned; NULL for none */
    size_t budget;               /* bytes of debug tables kept */
    size_t used;
    uint64_t clock;
    pmm_symbol scratch;          /* the symbol a lookup named from debug symbols */
} pmm_symbols;

/* What an address resolves to. symbol is NULL when no source names it (then offset is from the
 * module's base). */
typedef struct pmm_symbol_match {
    const pmm_symbol_module *module;
    const pmm_symbol *symbol;
    uint64_t offset;             /* from the symbol (the start of the named function's range) */
    uint32_t origin;             /* dbg_origin of the name */
    uint32_t file;               /* string id of the source file; 0 when no line is known */
    uint32_t line;
    uint32_t inlined;            /* string id of the inlined function the address is in, else 0 */
    uint32_t call_file;          /* where that inlined call is, in symbol's function */
    uint32_t call_line;
} pmm_symbol_match;

/* PMM_SYMBOLS_CALLER: the address is a return address; the name and line are those of the call
 * before it (address - 1), the offset is still from the address itself. */
enum { PMM_SYMBOLS_CALLER = 1 };

void pmm_symbols_init(pmm_symbols *syms);
void pmm_symbols_free(pmm_symbols *syms);
/* Where PDBs may be (symbol_path.h syntax; NULL for next to the image only). */
pmm_status pmm_symbols_set_path(pmm_symbols *syms, const char *symbol_path);

/* Registers the image mapped at base (its file at path, which may be NULL or missing). Nothing is
 * read yet. Fatal only on NOMEM. */
pmm_status pmm_symbols_add_image(pmm_symbols *syms, pmm_source *src, uint64_t base, uint64_t size,
                                 const char *name, const char *path);
/* The same without a path, reading the exports now (status says how that went). */
pmm_status pmm_symbols_add_module(pmm_symbols *syms, pmm_source *src, uint64_t base, uint64_t size,
                                  const char *name);
/* Every module of a scanned map (registered only). */
pmm_status pmm_symbols_add_map(pmm_symbols *syms, pmm_source *src, const pmm_map *map);
/* Sorts for lookups; call after the last add. */
void pmm_symbols_finish(pmm_symbols *syms);

/* The best name: 1 when addr lies in a known module (filling *out), else 0. */
int pmm_symbols_lookup(const pmm_symbols *syms, uint64_t addr, pmm_symbol_match *out);
int pmm_symbols_lookup_flags(const pmm_symbols *syms, uint64_t addr, uint32_t flags, pmm_symbol_match *out);
/* The export addr lies in (exports only, as pmm exports --find shows them). */
int pmm_symbols_lookup_export(const pmm_symbols *syms, uint64_t addr, pmm_symbol_match *out);
/* "module!symbol+0x1a", "module!symbol", "module+0x1234"; "" and 0 when addr is in no module. */
int pmm_symbols_describe(const pmm_symbols *syms, uint64_t addr, char *buf, size_t cap);
/* The same text for a match a lookup gave (pmm_symbols_lookup_export's, say). */
void pmm_symbols_describe_match(const pmm_symbols *syms, const pmm_symbol_match *match, char *buf, size_t cap);
/* The same with the source line and inlined call: "module!f+0x1a [src/a.c:12]", or
 * "module!inner [inc/b.h:3] (inlined in f+0x1a at src/a.c:12)". */
int pmm_symbols_describe_line(const pmm_symbols *syms, uint64_t addr, uint32_t flags, char *buf, size_t cap);

/* Exports named `spec`, or `module!name` (module matched case-insensitively, with or without
 * its extension). Calls fn for each match; returns the number of matches. */
size_t pmm_symbols_find_name(const pmm_symbols *syms, const char *spec,
                             void (*fn)(void *ctx, const pmm_symbol *symbol), void *ctx);
/* The same over every source: exports first; when they name nothing, the debug symbols of the
 * module (module!name) or of every module. Each match is a pmm_symbol with its origin. */
size_t pmm_symbols_find(const pmm_symbols *syms, const char *spec,
                        void (*fn)(void *ctx, const pmm_symbol *symbol), void *ctx);
const char *pmm_symbols_text(const pmm_symbols *syms, uint32_t string_id);

/* The start of the function (or code symbol) holding addr, named or not: a known instruction
 * boundary at or below addr. 0 when no source covers addr. */
int pmm_symbols_code_start(const pmm_symbols *syms, uint64_t addr, uint64_t *start);

/* The module's debug table, loading it if needed (NULL when it has none). */
const pmm_image_symbols *pmm_symbols_module_table(const pmm_symbols *syms, size_t module);
/* Bytes of debug tables loaded now. */
size_t pmm_symbols_memory(const pmm_symbols *syms);

#endif
