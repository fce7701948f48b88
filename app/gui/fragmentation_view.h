/* The Fragmentation view (View > Fragmentation, Ctrl+Shift+F): the address space as a picture
 * (core/tools/map_picture.h), one cell per page or larger block scaled to the window, coloured by
 * type with free space grey and reserved space pale, a 64-bit space as its allocated stretches with
 * the gaps collapsed into labelled bands. Hovering names the region under the mouse in the status
 * line; a click selects it in the main window's list (tool_host.go_to). Painted by one function for
 * WM_PAINT and WM_PRINTCLIENT. It borrows the main window's map, which reloads it (or closes it)
 * before that map goes away. */
#ifndef PMM_GUI_FRAGMENTATION_VIEW_H
#define PMM_GUI_FRAGMENTATION_VIEW_H

#include <windows.h>
#include <stdio.h>
#include "core/model/map.h"
#include "tool_host.h"

int fragmentation_view_register(HINSTANCE instance);
HWND fragmentation_view_open(HWND owner, const tool_host *host, const pmm_map *map);
/* A new map (or NULL): laid out and drawn again. */
void fragmentation_view_reload(HWND hwnd, const pmm_map *map);
/* Unattended runs: moves the mouse to (or clicks) the cell that holds addr, as a user would, and
 * logs what the view said. 0 when addr is not drawn (in a collapsed gap, or no map). */
int fragmentation_view_hover_address(HWND hwnd, uint64_t addr);
int fragmentation_view_click_address(HWND hwnd, uint64_t addr);
/* The layout (cell size, stretches) and the log of hovers, for tests. */
int fragmentation_view_write_text(HWND hwnd, FILE *f);
/* Microseconds the last layout and drawing took (the benchmark reads it). */
uint64_t fragmentation_view_draw_microseconds(HWND hwnd);

#endif
