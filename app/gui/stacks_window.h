/* The Call Stacks window (F4): a tree of the target's threads, each expanding to its call stack,
 * innermost frame first, as module!export+offset (stacks_model). Double-click or Enter on a frame
 * goes to its address in the main window; Ctrl+C copies the selected line. Modeless, one per main window; it copies what it shows,
 * and the main window reloads it when a new map arrives. */
#ifndef PMM_GUI_STACKS_WINDOW_H
#define PMM_GUI_STACKS_WINDOW_H

#include <windows.h>
#include <stdio.h>
#include "core/model/map.h"
#include "tool_host.h"

int stacks_window_register(HINSTANCE instance);
HWND stacks_window_open(HWND owner, const tool_host *host, const pmm_map *map);
void stacks_window_reload(HWND hwnd, const pmm_map *map);
/* The lines shown, threads flush left and frames indented, for tests. */
int stacks_window_write_text(HWND hwnd, FILE *f);

#endif
