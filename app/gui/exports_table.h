/* The rows of the exports window: every export of every module of a map (module, name, ordinal,
 * address, forwarder), read through the source, and the subset a find text selects. Plain C, no
 * windows: exports_window.c only displays it. */
#ifndef PMM_GUI_EXPORTS_TABLE_H
#define PMM_GUI_EXPORTS_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include "core/model/map.h"
#include "core/symbols/symbols.h"

typedef enum exports_column {
    EXPORTS_COL_MODULE,
    EXPORTS_COL_NAME,
    EXPORTS_COL_ORDINAL,
    EXPORTS_COL_ADDRESS,
    EXPORTS_COL_KIND,
    EXPORTS_COL_SYMBOLS,     /* which source names the address best, and its name when that differs */
    EXPORTS_COL_FORWARDER,
    EXPORTS_COL_COUNT
} exports_column;

typedef struct export_row {
    uint64_t address;        /* 0 for a forwarder (it has no code here) */
    uint32_t module;         /* index into map->modules */
    uint32_t name;           /* string id; 0 when exported by ordinal only */
    uint32_t forwarder;      /* string id; 0 when not forwarded */
    uint32_t ordinal;
    uint8_t is_data;
} export_row;

typedef struct exports_table {
    const pmm_map *map;      /* borrowed */
    export_row *rows;
    size_t count, cap;
    pmm_strings strings;
    uint32_t *shown;         /* indexes into rows: what the find text leaves */
    size_t shown_count;
    size_t modules_without;  /* modules whose export table could not be read */
    const pmm_symbols *syms; /* borrowed, for the Symbols column; NULL leaves it empty */
} exports_table;

void exports_table_init(exports_table *t);
void exports_table_free(exports_table *t);
/* Reads every module's exports. Fatal only on NOMEM; unreadable modules are counted. */
pmm_status exports_table_build(exports_table *t, pmm_source *src, const pmm_map *map);
/* Shows the rows whose name contains text (ignoring case); "module!text" also requires the module
 * name to start with module. An empty text shows everything. */
pmm_status exports_table_filter(exports_table *t, const char *text);
/* The shown row of the export a symbol match names (shows everything first); PMM_NO_INDEX if none. */
size_t exports_table_show_symbol(exports_table *t, const pmm_symbols *syms, const pmm_symbol_match *match);

const char *exports_column_name(exports_column column);
/* Text of a cell of shown row `row`. Never NULL. */
const char *exports_table_cell(const exports_table *t, size_t row, exports_column column, char *buf, size_t cap);

#endif
