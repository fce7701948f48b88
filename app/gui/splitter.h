/* A horizontal splitter bar between two panes: a thin child window that takes the mouse while it is
 * dragged and tells its parent where the user wants it. The parent owns the layout and decides. */
#ifndef PMM_GUI_SPLITTER_H
#define PMM_GUI_SPLITTER_H

#include <windows.h>

/* Sent to the parent while dragging: wParam = wanted top of the bar in parent client coordinates
 * (a signed int), lParam = the splitter window. */
#define WM_APP_SPLITTER_DRAG (WM_APP + 10)

int splitter_register(HINSTANCE instance);
HWND splitter_create(HWND parent, int id);

#endif
