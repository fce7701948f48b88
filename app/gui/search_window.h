/* The Search window (Ctrl+F): a pattern as `pmm search` takes it (ANSI text, optionally ignoring
 * case; UTF-16 text; hex bytes with ?? wildcards; 8/16/32/64-bit integers, signed or not; float;
 * double), region filters and a result cap; the search runs on a worker (memory_job) with a
 * progress bar and Cancel, and the hits fill an owner-data list (address, type, where, symbol,
 * bytes). Double-click or Enter on a hit goes to it in the main window. Modeless, one per main
 * window. */
#ifndef PMM_GUI_SEARCH_WINDOW_H
#define PMM_GUI_SEARCH_WINDOW_H

#include <windows.h>
#include <stdio.h>
#include "memory_job.h"
#include "tool_host.h"

int search_window_register(HINSTANCE instance);
HWND search_window_open(HWND owner, const tool_host *host, target_data *data);
/* The main window shows another target (or the same, rescanned). */
void search_window_set_target(HWND hwnd, target_data *data);
/* Fills in the pattern and starts the search, as if typed: kind is ansi, ansi-nocase, utf16, hex,
 * int8, int16, int32, int64 (u/s prefix: uint32, sint32), float or double. Returns 0 with message
 * filled when the pattern is malformed or the search cannot start. */
int search_window_start(HWND hwnd, const char *kind, const char *text, char *message, size_t cap);
/* Sets the Max results box (a number; 0 for no cap). */
void search_window_set_max(HWND hwnd, const wchar_t *max);
/* Presses More: continues the last search from where the cap stopped it. 0 with message when
 * there is nothing to continue. */
int search_window_more(HWND hwnd, char *message, size_t cap);
/* The status line, then one line per hit (address and cells, tab-separated), for tests. */
int search_window_write_text(HWND hwnd, FILE *f);

#endif
