/* The rows of a results list (search hits, strings): an address and a few text cells per row,
 * filled by a worker and shown by an owner-data list view once the worker is done. Plain C. */
#ifndef PMM_GUI_RESULT_ROWS_H
#define PMM_GUI_RESULT_ROWS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "core/util/status.h"

#define RESULT_MAX_CELLS 6

typedef struct result_row {
    uint64_t address;
    char *cells;                 /* cell_count NUL-terminated strings back to back; owned */
} result_row;

typedef struct result_rows {
    result_row *rows;
    size_t count, cap;
    size_t cell_count;           /* text cells per row, after the address */
} result_rows;

void result_rows_init(result_rows *r, size_t cell_count);
void result_rows_free(result_rows *r);
/* Moves everything from src into dst (freeing what dst held); src is left empty. */
void result_rows_move(result_rows *dst, result_rows *src);
/* Appends every row of src to dst; src is left empty. */
pmm_status result_rows_append(result_rows *dst, result_rows *src);
/* Appends a row; cells has cell_count strings (NULL for empty). */
pmm_status result_rows_add(result_rows *r, uint64_t address, const char *const *cells);
/* Text of cell c (0-based, after the address) of row i; "" when out of range. */
const char *result_rows_cell(const result_rows *r, size_t i, size_t c);
/* One line per row: address (hex) then the cells, tab-separated. Returns 0 on success. */
int result_rows_write(const result_rows *r, FILE *f);
/* The same for the rows index[0..count) only. */
int result_rows_write_some(const result_rows *r, const size_t *index, size_t count, FILE *f);
/* Indexes of the rows whose cell `cell` contains needle, ignoring ASCII case, into a new array
 * (free() it); *count of them. NULL with *count 0 when none match or memory ran out. */
size_t *result_rows_filter(const result_rows *r, size_t cell, const char *needle, size_t *count);

#endif
