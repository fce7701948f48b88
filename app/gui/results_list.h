/* An owner-data list view over result_rows (search hits, strings): the address column, then the
 * rows' text cells. Activating a row (double-click, Enter) hands its address to the window;
 * Ctrl+C copies the focused row. */
#ifndef PMM_GUI_RESULTS_LIST_H
#define PMM_GUI_RESULTS_LIST_H

#include <windows.h>
#include <commctrl.h>
#include <stdint.h>
#include <stdio.h>
#include "result_rows.h"

typedef struct results_column {
    const char *name;
    int width;                   /* at 96 DPI */
    int right_aligned;
} results_column;

typedef struct results_list {
    HWND hwnd;
    const result_rows *rows;     /* borrowed; NULL: empty */
    const size_t *shown;         /* borrowed: the rows shown, in order; NULL: all of them */
    size_t shown_count;
    int address_digits;          /* 8 or 16 */
    char note[300];              /* a last row saying why the list stops (a cap); "" for none */
    int note_column;             /* the column that shows it (the widest text column) */
} results_list;

/* columns[0] is the address column. Returns the list view, NULL on failure. */
HWND results_list_create(results_list *l, HWND parent, int id, const results_column *columns, size_t count, UINT dpi);
/* Shows rows (NULL: none) and removes the note. */
void results_list_set_rows(results_list *l, const result_rows *rows, uint32_t pointer_size);
/* Shows only rows shown[0..count) (NULL: all); the array stays the caller's. */
void results_list_set_shown(results_list *l, const size_t *shown, size_t count);
/* A last row after the results, "..." in the address column and note in the widest text column
 * (NULL or "" removes it): where the list stops short, the list itself says so. */
void results_list_set_note(results_list *l, const char *note);
/* The note as --dump-view writes it after the rows: "...<TAB>note"; nothing when there is none. */
int results_list_write_note(const results_list *l, FILE *f);
/* The focused row's address; 0 when there is none. */
int results_list_focused(const results_list *l, uint64_t *address);
/* Handles the list's notifications. Returns 1 when hdr was the list's; *activated is set to 1 (and
 * *address filled) when the user activated a row. */
int results_list_notify(results_list *l, NMHDR *hdr, int *activated, uint64_t *address);

#endif
