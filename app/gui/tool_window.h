/* The top-level tool windows (exports, find in memory, strings, call stacks, compare): one window
 * class style and one placement rule, so they look and open alike. */
#ifndef PMM_GUI_TOOL_WINDOW_H
#define PMM_GUI_TOOL_WINDOW_H

#include <windows.h>

/* Registers class_name with the application icon, an arrow cursor and the dialog background. */
int tool_window_register(HINSTANCE instance, WNDPROC proc, const wchar_t *class_name);

/* Where a tool window opens, in pixels at 96 DPI: offset from the owner's top-left corner, and size. */
typedef struct tool_window_place {
    int dx, dy, width, height;
} tool_window_place;

/* Creates the window (param reaches WM_NCCREATE) and shows it. NULL when it could not be created;
 * the window procedure's WM_NCDESTROY has then already run. */
HWND tool_window_open(HWND owner, const wchar_t *class_name, const wchar_t *title, DWORD ex_style,
                      tool_window_place place, void *param);

#endif
