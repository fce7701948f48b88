/* The main window's graphs and Fragmentation view (main_pictures.c). */
#ifndef PMM_GUI_MAIN_PICTURES_H
#define PMM_GUI_MAIN_PICTURES_H

#include <stdio.h>
#include "main_window_internal.h"

int main_pictures_register(HINSTANCE instance);
/* Creates the graphs as a child of the main window. */
int main_pictures_create(main_window *w);
int main_pictures_graphs_height(main_window *w);
void main_pictures_set_font(main_window *w);
void main_pictures_set_dpi(main_window *w, UINT dpi);
/* Before the map on screen goes: the Fragmentation view lets go of it. */
void main_pictures_map_leaving(main_window *w);
/* After a new map is on screen (and the summary pane has its totals). */
void main_pictures_map_changed(main_window *w);
/* 1 when hdr is a click on a graph segment, with the filter it asks for in *filter. */
int main_pictures_notify(main_window *w, NMHDR *hdr, uint32_t *filter);
/* 1 when id was View > Fragmentation. */
int main_pictures_command(main_window *w, int id);
void main_pictures_init_menu(main_window *w, HMENU menu);
void main_pictures_destroy(main_window *w);
/* Unattended --view graphs|fragmentation: 1 opened (capture set), 0 not one of them, -1 failed
 * (message says why). */
int main_pictures_open_view(main_window *w, char *message, size_t cap);
/* --dump-view of those views: 0 written, -1 failed, -2 not one of them. */
int main_pictures_write_view(main_window *w, FILE *f);

#endif
