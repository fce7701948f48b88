/* The main window's commands on map files and dumps: Save Map (Ctrl+S), Compare with Saved Map,
 * Compare Two Saved Maps, Dump Selected Regions and Write Minidump, and the unattended switches
 * that run them (--save-map, --compare, --compare-two, --dump-format/--dump-to). */
#ifndef PMM_GUI_MAIN_FILE_COMMANDS_H
#define PMM_GUI_MAIN_FILE_COMMANDS_H

#include "main_window_internal.h"

/* Returns 1 when id was one of these commands. */
int main_file_command(main_window *w, int id);
/* Before the view of an unattended run: --save-map, --compare/--compare-two, --dump-to. Returns 0
 * when one failed (the error has been reported). */
int main_file_unattended(main_window *w);
/* --view dump-dialog: the Dump Memory dialog, inert, for screenshots. NULL when it cannot open. */
HWND main_file_dump_preview(main_window *w);

#endif
