/* The row model behind the region list: a pmm_map flattened into the rows a tree-list shows.
 * Allocation rows at the top level; an expanded allocation shows its regions and, under each region,
 * the annotations that start in it (sections, stacks, TEBs, heaps...). Filtering, sorting and the
 * text of every cell live here, away from any window, so this file is plain C (no <windows.h>) and
 * can be unit tested natively. */
#ifndef PMM_GUI_REGION_ROWS_H
#define PMM_GUI_REGION_ROWS_H

#include <stddef.h>
#include <stdint.h>
#include "core/model/map.h"

typedef enum region_column {
    REGION_COL_ADDRESS,
    REGION_COL_TYPE,
    REGION_COL_SIZE,
    REGION_COL_COMMITTED,      /* Committed to Locked WS: the pmm_usage columns, in their order */
    REGION_COL_PRIVATE,
    REGION_COL_WS_TOTAL,
    REGION_COL_WS_PRIVATE,
    REGION_COL_WS_SHAREABLE,
    REGION_COL_WS_SHARED,
    REGION_COL_WS_LOCKED,
    REGION_COL_PROTECTION,
    REGION_COL_INITIAL,
    REGION_COL_BLOCKS,
    REGION_COL_DETAILS,
    REGION_COL_COUNT
} region_column;

typedef enum region_row_kind {
    REGION_ROW_ALLOCATION,
    REGION_ROW_REGION,
    REGION_ROW_ANNOTATION
} region_row_kind;

enum region_row_flags {
    REGION_ROW_EXPANDABLE = 1,
    REGION_ROW_EXPANDED = 2
};

typedef struct region_row {
    uint8_t kind;        /* region_row_kind */
    uint8_t depth;       /* 0 for allocations */
    uint8_t flags;       /* region_row_flags */
    uint8_t region_kind; /* pmm_region_kind of the allocation the row belongs to (for colour) */
    uint32_t index;      /* allocation, region or annotation index in the map */
} region_row;

/* Bit per pmm_region_kind for region_rows_set_filter. */
#define REGION_FILTER_ALL ((1u << PMM_KIND_COUNT) - 1u)

typedef struct region_rows {
    const pmm_map *map;           /* borrowed: the caller keeps it alive while the rows exist */
    region_row *rows;
    size_t count, cap;
    uint8_t *expanded;            /* per allocation */
    uint32_t *order;              /* allocations in display order (sorted) */
    uint32_t filter;              /* REGION_FILTER_ALL or bits of pmm_region_kind */
    int show_free;
    int sort_column;              /* region_column */
    int sort_descending;
} region_rows;

void region_rows_init(region_rows *rows);
void region_rows_free(region_rows *rows);

/* Points the model at a new map (or NULL) and rebuilds it; expansion is reset, filter and sort kept. */
pmm_status region_rows_set_map(region_rows *rows, const pmm_map *map);

pmm_status region_rows_set_filter(region_rows *rows, uint32_t filter);
pmm_status region_rows_set_show_free(region_rows *rows, int show_free);
pmm_status region_rows_sort(region_rows *rows, region_column column, int descending);

/* Expand or collapse the allocation a row belongs to. Returns the new index of that allocation's
 * row (PMM_NO_INDEX when the row is not there). */
size_t region_rows_set_expanded(region_rows *rows, size_t row, int expanded);
pmm_status region_rows_expand_all(region_rows *rows, int expanded);
/* Rebuilds the rows after the caller changed rows->expanded directly (to restore a previous view). */
void region_rows_rebuild(region_rows *rows);

/* Index of the allocation row above row (itself for an allocation row). */
size_t region_rows_parent(const region_rows *rows, size_t row);
/* The row showing allocation n, or PMM_NO_INDEX when it is filtered out. */
size_t region_rows_find_allocation(const region_rows *rows, size_t allocation);
/* First allocation row at or after start (wrapping) whose address text starts with prefix,
 * ignoring case; PMM_NO_INDEX if none. For type-to-find. */
size_t region_rows_find_prefix(const region_rows *rows, size_t start, const char *prefix);

/* Makes the region holding addr visible: shows its type (and free space) when the filter hides it,
 * expands its allocation, and returns the row of the region (or of the allocation when it has a
 * single region); PMM_NO_INDEX when no region holds addr. */
size_t region_rows_reveal(region_rows *rows, uint64_t addr);
/* The address range a row stands for: the allocation, the region or the annotation. 0 when none. */
int region_rows_range(const region_rows *rows, size_t row, uint64_t *start, uint64_t *end);

const char *region_column_name(region_column column);
/* A working-set column (Total WS to Locked WS): hidden when the map has no working-set facts. */
int region_column_is_working_set(region_column column);
/* Text of one cell, as shown (no indentation). Never NULL. */
const char *region_rows_cell(const region_rows *rows, size_t row, region_column column, char *buf, size_t cap);
/* All cells of a row separated by sep, the address indented two spaces per depth. Returns buf. */
const char *region_rows_format(const region_rows *rows, size_t row, char sep, char *buf, size_t cap);
/* The column names separated by sep. */
const char *region_rows_format_header(char sep, char *buf, size_t cap);

/* Display names of annotation kinds ("Section", "TEB", ...). */
const char *region_annotation_kind_text(int kind);

#endif
