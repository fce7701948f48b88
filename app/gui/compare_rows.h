/* The rows of the compare view: one per change of a pmm_map_diff (allocations added, removed and
 * changed, modules, threads, heaps, changed pages), with the text of each cell. Plain C, no
 * windows, so it is unit tested natively; compare_window.c only displays it. */
#ifndef PMM_GUI_COMPARE_ROWS_H
#define PMM_GUI_COMPARE_ROWS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "core/tools/map_diff.h"

typedef enum compare_column {
    COMPARE_COL_CHANGE,
    COMPARE_COL_ADDRESS,
    COMPARE_COL_SIZE,
    COMPARE_COL_TYPE,
    COMPARE_COL_BEFORE,      /* protection in the old map */
    COMPARE_COL_AFTER,       /* protection in the new map */
    COMPARE_COL_DETAILS,
    COMPARE_COL_COUNT
} compare_column;

/* What a row's colour says. */
typedef enum compare_tone { COMPARE_TONE_ADDED, COMPARE_TONE_REMOVED, COMPARE_TONE_CHANGED } compare_tone;

const char *compare_column_name(compare_column column);
size_t compare_rows_count(const pmm_map_diff *diff);
compare_tone compare_rows_tone(const pmm_map_diff *diff, size_t row);
/* The address a row is about (the allocation base for region rows); 0 when none. */
int compare_rows_address(const pmm_map_diff *diff, size_t row, uint64_t *addr);
/* Text of one cell; never NULL. */
const char *compare_rows_cell(const pmm_map_diff *diff, size_t row, compare_column column, char *buf, size_t cap);
/* "Regions: 2 added, 1 removed, 1 changed.  Modules: ..." */
const char *compare_rows_summary(const pmm_map_diff *diff, char *buf, size_t cap);
/* The summary line, the header and every row, cells separated by tabs (UTF-8). 0 on success. */
int compare_rows_write_text(const pmm_map_diff *diff, FILE *f);

#endif
