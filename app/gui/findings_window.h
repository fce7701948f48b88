/* The Integrity window (F8): what the integrity scan (pmm scan) found in the map the main window
 * shows, then what it could not check, one row each (findings_rows): kind, address, size,
 * module!symbol, destination, detail. The scan itself is the main window's: F8 on a map without
 * findings, or F5 here, scans the target again with the integrity scan (scan_worker), and the map
 * that comes back, findings and all, is what every view shows (the region list marks the modified
 * pages). Double-click or Enter on a row goes to its address in the main window's hex view;
 * Ctrl+C copies the row. */
#ifndef PMM_GUI_FINDINGS_WINDOW_H
#define PMM_GUI_FINDINGS_WINDOW_H

#include <windows.h>
#include <stdio.h>
#include "target_session.h"
#include "tool_host.h"

int findings_window_register(HINSTANCE instance);
/* data: what the main window shows (the window keeps a reference; NULL: nothing). F5 sends
 * ID_VIEW_INTEGRITY_SCAN to owner. */
HWND findings_window_open(HWND owner, const tool_host *host, target_data *data);
/* The main window shows another map: its findings, or what to do to get some. */
void findings_window_set_target(HWND hwnd, target_data *data);
/* The main window started an integrity scan (1), or its scan ended without a map (0). */
void findings_window_set_scanning(HWND hwnd, int scanning);
/* As Enter on row (from 0): the main window goes to its address. 0 when the row has none. */
int findings_window_activate(HWND hwnd, size_t row);
/* The summary line and every row, cells separated by tabs, for tests. */
int findings_window_write_text(HWND hwnd, FILE *f);

#endif
