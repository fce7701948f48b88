/* The region tree as an owner-data ListView over region_rows: a +/- box expands an allocation into
 * its regions and annotations (mouse, Enter, Right/Left, +/-), rows are tinted by region type,
 * headers sort, and Ctrl+C copies the selected rows as tab-separated text. */
#ifndef PMM_GUI_REGION_LIST_H
#define PMM_GUI_REGION_LIST_H

#include <windows.h>
#include <commctrl.h>
#include "region_rows.h"

typedef struct region_list {
    HWND hwnd;
    region_rows *rows;        /* borrowed from the main window */
    HIMAGELIST glyphs;        /* expand/collapse boxes at the current DPI */
    UINT dpi;
    uint32_t pointer_size;    /* of the map shown: sets the Address column's width */
} region_list;

HWND region_list_create(region_list *list, HWND parent, int id, region_rows *rows, UINT dpi);
void region_list_destroy(region_list *list);
/* Call after the rows changed (new map, filter, sort, expansion). Keeps the focused allocation on
 * screen when keep_allocation is not PMM_NO_INDEX. */
void region_list_refresh(region_list *list, size_t focus_row);
void region_list_set_dpi(region_list *list, UINT dpi);
/* Gives the Details column the width the others leave (after a resize). */
void region_list_fit(region_list *list);
/* Adjusts the Address column to the bitness of a new map. */
void region_list_set_pointer_size(region_list *list, uint32_t pointer_size);
void region_list_select_all(region_list *list);
/* Copies the selected rows (all rows when none is selected) with a header line. */
void region_list_copy(region_list *list, HWND owner);
/* Handles a WM_NOTIFY from the list; returns 1 when it was the list's. */
int region_list_notify(region_list *list, NMHDR *hdr, LRESULT *result);

#endif
