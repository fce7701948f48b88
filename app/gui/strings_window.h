/* The Strings window (Search > Strings...): ANSI and UTF-16 runs of at least N printable
 * characters, as `pmm strings` lists them, in the region types chosen; on a worker (memory_job)
 * with a progress bar and Cancel. The list shows address, encoding, length, where and the text,
 * narrowed by a filter box (text contained, ignoring case);
 * double-click or Enter goes to the string in the main window. Modeless, one per main window. */
#ifndef PMM_GUI_STRINGS_WINDOW_H
#define PMM_GUI_STRINGS_WINDOW_H

#include <windows.h>
#include <stdio.h>
#include "memory_job.h"
#include "tool_host.h"

int strings_window_register(HINSTANCE instance);
HWND strings_window_open(HWND owner, const tool_host *host, target_data *data);
void strings_window_set_target(HWND hwnd, target_data *data);
/* Sets the minimum length (0: keep) and starts the listing. 0 with message when it cannot start. */
int strings_window_start(HWND hwnd, unsigned min_length, char *message, size_t cap);
/* Puts text in the filter box, as if typed: only strings containing it (ignoring case) are shown. */
void strings_window_set_filter(HWND hwnd, const wchar_t *text);
/* The status line, then one line per string (address and cells, tab-separated), for tests. */
int strings_window_write_text(HWND hwnd, FILE *f);

#endif
