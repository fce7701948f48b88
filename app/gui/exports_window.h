/* The Exports window (Ctrl+E): every export of every module in an owner-data list (module, name,
 * ordinal, address, forwarder) with a find box that takes a name (or module!name), which filters
 * the list, or an address, which is resolved to module!export+0x1a and selects that export.
 * One window per main window; it reads through the main window's target_session. */
#ifndef PMM_GUI_EXPORTS_WINDOW_H
#define PMM_GUI_EXPORTS_WINDOW_H

#include <windows.h>
#include <stdio.h>
#include "target_session.h"
#include "tool_host.h"

int exports_window_register(HINSTANCE instance);
/* Creates the window (or brings it forward) over session; NULL on failure. Double-click or Enter on
 * an export hands its address to host->show_code. */
HWND exports_window_open(HWND owner, target_session *session, const tool_host *host);
/* The session has a new map: read the exports again. */
void exports_window_reload(HWND hwnd);
/* Puts text (UTF-8) in the find box, as if typed. */
void exports_window_find(HWND hwnd, const char *text);
/* Writes the find result line, then the shown rows (tab-separated), for tests (--dump-view). */
int exports_window_write_text(HWND hwnd, FILE *f);

#endif
