/* The rows of the structure view: each structure struct_pick found, decoded with the engine's
 * tables (tools/decode.h, as `pmm decode`), as a heading row ("PEB64 at 0x...") followed by one
 * row per field: Field, Offset, Type, Value (UNICODE_STRINGs followed and shown as text). Plain C. */
#ifndef PMM_GUI_STRUCT_MODEL_H
#define PMM_GUI_STRUCT_MODEL_H

#include <stddef.h>
#include <stdio.h>
#include "core/tools/decode.h"
#include "struct_pick.h"

typedef enum struct_column { STRUCT_COL_FIELD, STRUCT_COL_OFFSET, STRUCT_COL_TYPE, STRUCT_COL_VALUE, STRUCT_COL_COUNT } struct_column;

typedef struct struct_row {
    uint32_t item;               /* index into decoded */
    int32_t field;               /* -1: the heading of the structure */
} struct_row;

typedef struct struct_model {
    pmm_decoded *decoded;
    size_t decoded_count;
    struct_row *rows;
    size_t row_count;
    char title[200];
} struct_model;

void struct_model_init(struct_model *m);
void struct_model_free(struct_model *m);
/* Decodes every picked structure through src. PMM_ERR_NOMEM is the only failure; structures that
 * cannot be read show "??" values. */
pmm_status struct_model_build(struct_model *m, pmm_source *src, const struct_pick *pick);
const char *struct_column_name(struct_column c);
const char *struct_model_cell(const struct_model *m, size_t row, struct_column c, char *buf, size_t cap);
/* The address a field points at (pointers, a UNICODE_STRING's buffer, a LIST_ENTRY's Flink),
 * for following it; 0 when the row holds no readable non-null pointer. */
uint64_t struct_model_target(const struct_model *m, size_t row);
/* The first row of the field named name (any structure); (size_t)-1 when none. */
size_t struct_model_find_field(const struct_model *m, const char *name);
/* The row of the field whose bytes hold addr (else the heading of the structure holding it);
 * (size_t)-1 when no structure shown holds addr. */
size_t struct_model_row_at(const struct_model *m, uint64_t addr);
/* 1 when row is a heading. */
int struct_model_is_heading(const struct_model *m, size_t row);
/* Title line, then the rows with cells separated by tabs (headings without indentation, fields
 * indented two spaces). Returns 0 on success. */
int struct_model_write(const struct_model *m, FILE *f);

#endif
