/* "Select Process": the processes on this machine (name, pid, bitness, user, private bytes and
 * working set where the OS gives them) with a filter box, centred over the main window. */
#ifndef PMM_GUI_PROCESS_DIALOG_H
#define PMM_GUI_PROCESS_DIALOG_H

#include <windows.h>
#include <stdint.h>
#include <stdio.h>

/* Returns 1 and sets *pid when the user picked a process, 0 when cancelled. */
int process_dialog_run(HWND owner, uint32_t *pid);
/* The same dialog, modeless, for an unattended capture (--view processes), with FILTER (or NULL)
 * typed in its filter box; it frees itself. */
HWND process_dialog_open_preview(HWND owner, const char *filter);
/* Its placement ("# dialog L T R B", "# owner ..."), "# columns" (widths at 96 DPI), its count
 * line ("# status ..."), then its
 * rows tab-separated as shown (--dump-view). */
int process_dialog_write_text(HWND hwnd, FILE *f);

#endif
