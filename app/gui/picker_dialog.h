/* What the two process pickers share: Select Process (the processes of this machine,
 * process_dialog.c) and the processes of a kernel dump (kdump_picker.c). Both use the IDD_PROCESS
 * template (a filter box over a list, a count line, Refresh, OK and Cancel), sit over the main
 * window, move through the list from the filter box and write the same text for --dump-view. */
#ifndef PMM_GUI_PICKER_DIALOG_H
#define PMM_GUI_PICKER_DIALOG_H

#include <windows.h>
#include <commctrl.h>
#include <stdio.h>

typedef struct picker picker;

/* What each picker does; the dialog procedure (here) does the rest. */
typedef struct picker_ops {
    void (*init)(picker *p);      /* WM_INITDIALOG: picker_init, the rows, picker_place */
    void (*fill)(picker *p);      /* the filter changed: the rows again */
    int (*ok)(picker *p);         /* OK or a double-click on a row: 1 ends a modal picker with 1 */
    void (*refresh)(picker *p);   /* Refresh; NULL: the picker hides the button */
    void (*free_preview)(picker *p);   /* a preview's window is gone: free the picker */
    PFNLVCOMPARE compare;         /* two rows by p->sort_column; its context is the picker */
} picker_ops;

/* The first member of each picker's state. */
struct picker {
    const picker_ops *ops;
    HWND hwnd, list, filter;
    int sort_column, sort_descending;
    int preview;                  /* modeless, for an unattended capture: owns itself */
};

/* Runs p as a modal dialog (the IDD_PROCESS template) over owner: 1 when ops->ok ended it, 0 when
 * cancelled. */
INT_PTR picker_run(HWND owner, picker *p);
/* The same, modeless (for an unattended capture), with filter (or NULL) typed in its filter box;
 * from then on the window owns p (ops->free_preview). NULL when it could not be created (p is
 * still the caller's). */
HWND picker_open_preview(HWND owner, picker *p, const char *filter);

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
/* The sort arrow on sort_column of the list's header, none on the others. */
void picker_sort_arrows(HWND list, int sort_column, int descending);
/* Types utf8 in the filter box (its EN_CHANGE refills the list, as typing does). */
void picker_type(HWND filter, const char *utf8);
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
