/* The row model of the findings window (F8): the integrity scan's findings of a map, then what the
 * scan could not check, as rows of text. Plain C (no <windows.h>), unit tested natively. */
#ifndef PMM_GUI_FINDINGS_ROWS_H
#define PMM_GUI_FINDINGS_ROWS_H

#include <stddef.h>
#include <stdint.h>
#include "core/model/map.h"

typedef enum findings_column {
    FINDINGS_COL_KIND,
    FINDINGS_COL_ADDRESS,
    FINDINGS_COL_SIZE,
    FINDINGS_COL_WHERE,          /* module!export+0x.. or module+0x.. */
    FINDINGS_COL_DESTINATION,    /* where a hook, slot or entry point leads */
    FINDINGS_COL_DETAIL,
    FINDINGS_COL_COUNT
} findings_column;

const char *findings_column_name(findings_column column);
/* Findings, then not-checked entries. */
size_t findings_rows_count(const pmm_map *map);
const char *findings_rows_cell(const pmm_map *map, size_t row, findings_column column, char *buf, size_t cap);
/* The address a row is about; 0 when it has none (a process-wide not-checked entry). */
int findings_rows_address(const pmm_map *map, size_t row, uint64_t *address);
/* 1 for a not-checked row (shown in another colour). */
int findings_rows_is_unchecked(const pmm_map *map, size_t row);
/* "15 findings. 8 images: 8 compared in full, 0 in part, 0 not checked; 12,345 K compared." */
const char *findings_rows_summary(const pmm_map *map, char *buf, size_t cap);

#endif
