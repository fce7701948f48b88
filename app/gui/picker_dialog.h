/* What the two process pickers share: Select Process (the processes of this machine,
 * process_dialog.c) and the processes of a kernel dump (kdump_picker.c). Both use the IDD_PROCESS
 * template (a filter box over a list, a count line, Refresh, OK and Cancel), sit over the main
 * window, move through the list from the filter box and write the same text for --dump-view. */
#ifndef PMM_GUI_PICKER_DIALOG_H
#define PMM_GUI_PICKER_DIALOG_H

#include <windows.h>
#include <commctrl.h>
#include <stdio.h>

typedef struct picker_column {
    const wchar_t *name;
    int width;                   /* at 96 DPI */
    int format;                  /* LVCFMT_LEFT or LVCFMT_RIGHT */
} picker_column;

/* Whether text holds needle, ignoring ASCII case ("" is in everything). */
int picker_contains(const char *text, const char *needle);
/* The filter box's text as UTF-8. */
void picker_filter_text(HWND filter, char *out, size_t cap);
/* Sets up the dialog: icon, minimum size, the list's columns (remembered as memory_name), the
 * filter's cue and its keys (Up, Down, Page Up and Page Down move through the list, as in a
 * launcher). Call from WM_INITDIALOG, then picker_place once the list is filled. */
void picker_init(HWND dialog, HWND filter, HWND list, const picker_column *columns, int count,
                 const char *memory_name, const wchar_t *cue);
/* Lays the controls out and puts the dialog over its owner, kept on the owner's monitor. */
void picker_place(HWND dialog);
/* WM_SIZE and WM_GETMINMAXINFO; returns 1 when msg was one of them. */
int picker_size_message(HWND dialog, UINT msg, LPARAM lparam);
/* The sort arrow on sort_column of the list's header, none on the others. */
void picker_sort_arrows(HWND list, int sort_column, int descending);
/* A click on column's header: sorts by it (again: the other way) with compare, arrows updated. */
void picker_column_click(HWND list, int column, int *sort_column, int *descending, PFNLVCOMPARE compare,
                         LPARAM context);
/* Types utf8 in the filter box (its EN_CHANGE refills the list, as typing does). */
void picker_type(HWND filter, const char *utf8);
/* Cancel: a modeless (preview) dialog is destroyed, a modal one ends with 0. */
void picker_cancel(HWND dialog, int modeless);
/* The lParam of the selected row; 0 when none is selected. */
int picker_selected(HWND list, LPARAM *param);
/* Selects and shows the row whose lParam is param (the first row when none has it). */
void picker_select(HWND list, LPARAM param);
/* "N of M what" under the list; OK is enabled only when a row is shown. */
void picker_show_count(HWND dialog, int shown, size_t total, const char *what);
/* Its placement ("# dialog L T R B", "# owner ..."), "# columns" (widths at 96 DPI), its count
 * line ("# status ..."), then its rows tab-separated as shown (--dump-view). */
int picker_write_text(HWND dialog, HWND list, FILE *f);

#endif
