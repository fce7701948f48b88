/* "Processes of the Kernel Dump": a kernel dump holds a whole machine, so opening one asks which
 * address space to map. Its processes (PsActiveProcessHead: name, pid, parent, bits, threads,
 * creation time, "crashed here" on the process of the thread running at the crash) and the
 * kernel's address space, with a filter box, over the main window (the
 * IDD_PROCESS template, as Select Process). */
#ifndef PMM_GUI_KDUMP_PICKER_H
#define PMM_GUI_KDUMP_PICKER_H

#include <windows.h>
#include <stdio.h>

/* Returns 1 with selector set ("kernel" or the process's pid in decimal, as pmm_target_choose
 * takes it) when the user picked; 0 when cancelled or when the dump gave nothing to pick (said
 * in a message box). pick_text (unattended runs, NULL otherwise): typed into the filter box, then OK
 * is pressed. */
int kdump_picker_run(HWND owner, const char *path, const char *pick_text, char *selector, size_t cap);
/* The same dialog, modeless, for an unattended capture (--view kdump-processes), with filter (or
 * NULL) typed in its filter box; it frees itself. NULL when the dump gave nothing (said). */
HWND kdump_picker_open_preview(HWND owner, const char *path, const char *filter);
/* As process_dialog_write_text (--dump-view). */
int kdump_picker_write_text(HWND hwnd, FILE *f);

#endif
