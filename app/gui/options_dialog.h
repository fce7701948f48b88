/* Options: what the explorer remembers that a user may want to set by hand (settings.h): the
 * symbol path, the folder dumps are suggested in and the hex view's font size. */
#ifndef PMM_GUI_OPTIONS_DIALOG_H
#define PMM_GUI_OPTIONS_DIALOG_H

#include <windows.h>
#include <stdio.h>
#include "settings.h"

/* Modal; focus_control is the control to start in (IDC_OPTIONS_*). On OK (1) s holds the values
 * checked: a folder that exists, a font size in range. */
int options_dialog_run(HWND owner, gui_settings *s, int focus_control);
/* The same dialog, modeless and inert, for an unattended capture (--view options); it frees itself. */
HWND options_dialog_open_preview(HWND owner, const gui_settings *s);
/* Each field as "name<TAB>value" (--dump-view). */
int options_dialog_write_text(HWND hwnd, FILE *f);

#endif
