/* The region tree as an owner-data ListView over region_rows: a +/- box expands an allocation into
 * its regions and annotations (mouse, Enter, Right/Left, +/-), rows are tinted by region type,
 * headers sort, and Ctrl+C copies the selected rows as tab-separated text. */
#ifndef PMM_GUI_REGION_LIST_H
#define PMM_GUI_REGION_LIST_H

#include <windows.h>
#include <commctrl.h>
#include <stdio.h>
#include "map_changes.h"
#include "region_rows.h"

typedef struct region_list {
    HWND hwnd;
    region_rows *rows;        /* borrowed from the main window */
    HIMAGELIST glyphs;        /* expand/collapse boxes at the current DPI */
    UINT dpi;
    uint32_t pointer_size;    /* of the map shown: sets the Address column's width */
    const map_changes *changes;   /* borrowed: rows to highlight after a refresh (may be NULL) */
    HFONT bold_font;          /* borrowed: the font of highlighted rows */
    int widths_restored;      /* column widths came from the settings: keep them */
    int ws_hidden;            /* the map has no working set: its columns are 0 wide */
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
/* Shows or hides (width 0) the working-set columns, for a map that has them or not. */
void region_list_show_working_set(region_list *list, int show);
void region_list_select_all(region_list *list);
/* The focused row, PMM_NO_INDEX when none. */
size_t region_list_focused(const region_list *list);
/* Selects and focuses row and scrolls it into view. */
void region_list_focus(region_list *list, size_t row);
/* The same for a go-to: the row is scrolled a third of a page down from the top when it would
 * otherwise sit at an edge of the list (the bottom one, where the eye does not look). */
void region_list_reveal(region_list *list, size_t row);
/* "List: row 12 of 345 focused and selected; rows 3 to 40 on screen", for tests (--dump-view). */
int region_list_write_state(const region_list *list, FILE *f);
/* Column widths at 96 DPI, for the settings; and back (0 keeps a column's width). */
int region_list_get_widths(const region_list *list, int *widths, int cap);
void region_list_set_widths(region_list *list, const int *widths, int count);
/* Back to the default widths. */
void region_list_reset_widths(region_list *list);
/* Copies the selected rows (all rows when none is selected) with a header line. */
void region_list_copy(region_list *list, HWND owner);
/* Handles a WM_NOTIFY from the list; returns 1 when it was the list's. */
int region_list_notify(region_list *list, NMHDR *hdr, LRESULT *result);

#endif
