/* The main window's status bar: target, pid, bitness, regions, scan time, refresh changes, what
 * was not read, and while a scan runs its progress bar and Cancel button. Each part is as wide as
 * its text (measured with the bar's font), parts with nothing to say are left out, and the target
 * part takes what the others leave (its full name is in the title bar and the target pane), so no
 * part's text is cut at the window's usual sizes. */
#ifndef PMM_GUI_STATUS_BAR_H
#define PMM_GUI_STATUS_BAR_H

#include <windows.h>
#include <stdio.h>

typedef enum status_part {
    STATUS_TARGET, STATUS_PID, STATUS_BITS, STATUS_REGIONS, STATUS_TIME, STATUS_CHANGES, STATUS_WARNINGS,
    STATUS_WORKING_SET, STATUS_PROGRESS, STATUS_PART_COUNT
} status_part;

typedef struct status_bar {
    HWND hwnd, progress, cancel;     /* the progress bar is the bar's child; Cancel sits on top of it */
    HFONT font;                      /* borrowed */
    UINT dpi;
    int busy;                        /* the progress part is shown */
    int width;                       /* the width last laid out */
    char text[STATUS_PART_COUNT][400];   /* UTF-8, as set */
    char tip[STATUS_PART_COUNT][600];    /* UTF-8 tooltip of a part; "" none */
    int shown[STATUS_PART_COUNT];    /* the bar's part index of each; -1 when left out */
} status_bar;

/* Creates the bar, its progress bar and the Cancel button (a child of owner with cancel_id). */
int status_bar_create(status_bar *s, HWND owner, int id, int progress_id, int cancel_id);
void status_bar_set_font(status_bar *s, HFONT font, UINT dpi);
/* Stores a part's text; status_bar_layout shows it. */
void status_bar_set(status_bar *s, status_part part, const char *text);
/* The tooltip of a part (the whole of a long text). */
void status_bar_set_tip(status_bar *s, status_part part, const char *tip);
/* Shows or hides the progress part (bar at 0 and Cancel). */
void status_bar_set_busy(status_bar *s, int busy);
/* Progress in thousandths. */
void status_bar_set_progress(status_bar *s, int permille);
/* The bar's position in thousandths (PBM_GETPOS); -1 when no progress part is shown. */
int status_bar_progress(const status_bar *s);
/* Sizes the parts to their texts in a bar width pixels wide and puts the texts in them. */
void status_bar_layout(status_bar *s, int width);
int status_bar_height(const status_bar *s);
/* The part a click landed on (NM_CLICK's dwItemSpec); STATUS_PART_COUNT when none. */
status_part status_bar_part_at(const status_bar *s, int index);
/* For each part shown: its text as set, as read back from the bar (SB_GETTEXT), the part's width
 * and the text's width measured with the bar's font, and its tooltip (tests, --dump-view status). */
int status_bar_write_state(const status_bar *s, FILE *f);

#endif
