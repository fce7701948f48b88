/* VMMap's upper pane: totals per region type (Size, Committed, Private, the working-set columns
 * when the map has them, Blocks, Largest). Selecting a type filters the region list; selecting
 * Total shows everything. */
#ifndef PMM_GUI_SUMMARY_PANE_H
#define PMM_GUI_SUMMARY_PANE_H

#include <windows.h>
#include "core/tools/map_summary.h"

#define SUMMARY_ROW_COUNT (PMM_KIND_COUNT + 1)

typedef struct summary_pane {
    HWND hwnd;
    pmm_map_summary summary;
    int has_map;
    int updating;            /* selection changes made by us, not by the user */
    UINT dpi;
} summary_pane;

HWND summary_pane_create(summary_pane *pane, HWND parent, int id, UINT dpi);
void summary_pane_set_map(summary_pane *pane, const pmm_map *map);
/* Selects the row of a filter from region_rows (REGION_FILTER_ALL selects Total). */
void summary_pane_show_filter(summary_pane *pane, uint32_t filter);
/* Height that shows every row without scrolling. */
int summary_pane_height(const summary_pane *pane);
/* Width that shows every column. */
int summary_pane_width(const summary_pane *pane);
void summary_pane_set_dpi(summary_pane *pane, UINT dpi);
/* Handles a WM_NOTIFY from the pane. Returns 1 when it was the pane's; *filter_changed is set when the
 * user picked a type, with the new filter in *filter. */
int summary_pane_notify(summary_pane *pane, NMHDR *hdr, LRESULT *result, int *filter_changed, uint32_t *filter);

#endif
