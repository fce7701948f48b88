/* What the debug-information readers (DWARF, PDB, COFF symbol tables) find, and where they put it.
 * Each reader walks its format and calls a sink for every source file, function or inlined call
 * and line sequence; core/symbols builds the per-module lookup tables from those calls. The
 * readers keep nothing, so each stays a walk over checked bytes, and one table format serves all.
 * Addresses are RVAs (from the image base); code beyond 4 GiB of the base is not an image's. */
#ifndef PMM_DEBUG_SINK_H
#define PMM_DEBUG_SINK_H

#include <stddef.h>
#include <stdint.h>
#include "../util/status.h"

/* Where a name came from, best first: a better source hides a worse one where both cover an address. */
typedef enum dbg_origin {
    DBG_ORIGIN_NONE = 0,
    DBG_ORIGIN_PDB = 1,
    DBG_ORIGIN_DWARF = 2,
    DBG_ORIGIN_COFF = 3,      /* COFF symbol table: names without sizes */
    DBG_ORIGIN_EXPORT = 4     /* the export table: the last resort */
} dbg_origin;

typedef enum dbg_scope_kind {
    DBG_SCOPE_FUNCTION = 1,   /* a function (or one of its address ranges) */
    DBG_SCOPE_INLINED = 2,    /* a call inlined into a function */
    DBG_SCOPE_SYMBOL = 3      /* a code symbol without a known size (public, COFF, export) */
} dbg_scope_kind;

typedef struct dbg_scope {
    uint32_t rva;
    uint32_t size;            /* DBG_SCOPE_SYMBOL: 0 until the table measures it to the next symbol */
    const char *name;         /* valid during the call only */
    uint8_t kind;             /* dbg_scope_kind */
    uint8_t origin;           /* dbg_origin */
    uint16_t depth;           /* 0 for a function, 1 + the depth of the scope it was inlined into */
    uint32_t call_file;       /* DBG_SCOPE_INLINED: where the call is (a file id; 0 unknown) */
    uint32_t call_line;
} dbg_scope;

typedef struct dbg_line_row {
    uint32_t rva;
    uint32_t file;            /* a file id from the sink's file op */
    uint32_t line;
} dbg_line_row;

typedef struct dbg_sink {
    void *ctx;
    /* An id for a source file path (equal paths, equal ids; never 0). */
    pmm_status (*file)(void *ctx, const char *path, uint32_t *id);
    pmm_status (*scope)(void *ctx, const dbg_scope *scope);
    /* One line sequence: rows in address order, covering [rows[0].rva, end_rva). */
    pmm_status (*sequence)(void *ctx, const dbg_line_row *rows, size_t count, uint32_t end_rva);
} dbg_sink;

/* Sorts rows by address, keeping rows at one address in their order (the last of them is the one
 * that counts). Readers call it when a program or table was not already in order. PMM_ERR_NOMEM. */
pmm_status dbg_sort_rows(dbg_line_row *rows, size_t count);

#endif
