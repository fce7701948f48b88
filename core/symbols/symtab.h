/* One module's symbols as lookup tables: the functions, inlined calls and code symbols of the
 * module (from PDB, DWARF, COFF symbols and exports, best source first) flattened into address
 * segments that each know their innermost and outermost scope, and the line rows of every line
 * sequence merged into one sorted array. Built through the dbg_sink the readers in core/formats
 * call, then finished once; lookups are binary searches. Addresses are RVAs. */
#ifndef PMM_SYMTAB_H
#define PMM_SYMTAB_H

#include <stddef.h>
#include <stdint.h>
#include "../formats/debug_sink.h"
#include "../model/strings.h"

#define PMM_SYMTAB_NONE UINT32_MAX

typedef struct pmm_symtab_scope {
    uint32_t rva;
    uint32_t end;                /* exclusive; a symbol's is measured at finish */
    uint32_t name;               /* string id; 0 when the source gave none */
    uint32_t call_file;          /* inlined: string id of the calling file, and its line */
    uint32_t call_line;
    uint32_t order;              /* report order: at equal extents the later (inner) scope wins */
    uint8_t kind;                /* dbg_scope_kind */
    uint8_t origin;              /* dbg_origin */
    uint16_t depth;
} pmm_symtab_scope;

typedef struct pmm_symtab_row {
    uint32_t rva;
    uint32_t file;               /* string id; PMM_SYMTAB_NONE where a sequence ends */
    uint32_t line;
} pmm_symtab_row;

typedef struct pmm_symtab_segment {
    uint32_t rva;                /* covers [rva, next segment's rva) */
    uint32_t inner;              /* scope index, or PMM_SYMTAB_NONE for a gap */
    uint32_t outer;
} pmm_symtab_segment;

typedef struct pmm_symtab_sequence {
    uint32_t first_row, count;
    uint32_t start, end;
} pmm_symtab_sequence;

typedef struct pmm_symtab {
    pmm_strings strings;         /* names and file paths */
    pmm_symtab_scope *scopes;    /* sorted by rva once finished */
    size_t scope_count, scope_cap;
    pmm_symtab_row *rows;
    size_t row_count, row_cap;
    pmm_symtab_segment *segments;
    size_t segment_count;
    pmm_symtab_sequence *sequences;   /* while building */
    size_t sequence_count, sequence_cap;
    uint32_t limit;              /* the image's size: nothing reaches past it */
    uint32_t *code_ends;         /* sorted section ends, so a symbol is not measured into the next section */
    size_t code_end_count;
    /* Where each page's segments and rows start (the count of those below the page), so that a
     * lookup searches a few entries instead of the whole arrays. */
    uint32_t *segment_pages, *row_pages;
    uint32_t page_shift;
    size_t page_count;
    dbg_sink sink;               /* feeds this table */
} pmm_symtab;

/* A table for an image of image_size bytes whose sections end at section_ends (any order). */
pmm_status pmm_symtab_init(pmm_symtab *t, uint32_t image_size, const uint32_t *section_ends, size_t count);
void pmm_symtab_free(pmm_symtab *t);
/* Measures symbols, sorts, builds segments and the merged line rows. */
pmm_status pmm_symtab_finish(pmm_symtab *t);

typedef struct pmm_symtab_hit {
    const pmm_symtab_scope *inner;   /* the innermost scope at the address (an inlined call, or the function) */
    const pmm_symtab_scope *outer;   /* the function it lies in (== inner when nothing is inlined there) */
    int has_line;                    /* a line row covers the address */
    uint32_t file;                   /* its file's string id (0: the reader could not name it) */
    uint32_t line;                   /* 0: code the compiler tied to no line */
} pmm_symtab_hit;

/* 1 when a scope or a line row covers rva. */
int pmm_symtab_lookup(const pmm_symtab *t, uint32_t rva, pmm_symtab_hit *hit);
/* The scopes at rva from the innermost out (inlined calls, then their function), up to cap. */
size_t pmm_symtab_chain(const pmm_symtab *t, uint32_t rva, const pmm_symtab_scope **out, size_t cap);
const char *pmm_symtab_text(const pmm_symtab *t, uint32_t id);
size_t pmm_symtab_memory(const pmm_symtab *t);

#endif
