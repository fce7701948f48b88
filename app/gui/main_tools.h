/* The main window's search, strings, call stacks and integrity windows (main_tools.c) and the Hex |
 * Structure | Disassembly choice of its details pane (main_details.c). Only the main window's files include this. */
#ifndef PMM_GUI_MAIN_TOOLS_H
#define PMM_GUI_MAIN_TOOLS_H

#include <stdio.h>
#include "main_window_internal.h"
#include "tool_host.h"

/* main_tools.c */
int main_tools_register(HINSTANCE instance);
/* Returns 1 when id was one of its commands. */
int main_tools_command(main_window *w, int id);
void main_tools_init_menu(main_window *w, HMENU menu);
/* What the tool windows call back: go to an address, show code, a job's end. */
tool_host main_tools_host(main_window *w);
/* A new map is on screen: the tool windows follow it. */
void main_tools_map_changed(main_window *w);
/* A scan ended without a new map (failed or cancelled): the Integrity window stops waiting for it. */
void main_tools_scan_stopped(main_window *w);
void main_tools_destroy(main_window *w);
/* Unattended --view integrity on a map without findings: scans the target again with the integrity
 * scan, as F8 does, and returns 1; the run goes on (main_finish_unattended) when that map is shown. */
int main_tools_unattended_scan(main_window *w);
/* Unattended: opens the search, strings, stacks, integrity or structure view (--view, --search, --strings).
 * Returns 1 when the view is one of these and is open (w->capture set; w->tools_waiting while a
 * search runs), 0 when it is another view, -1 on failure with message filled. */
int main_tools_open_view(main_window *w, char *message, size_t cap);
/* Writes those views' text; -2 when the view is not one of them. */
int main_tools_write_view(main_window *w, FILE *f);

/* main_details.c */
enum details_pane { DETAILS_HEX, DETAILS_STRUCTURE, DETAILS_DISASM };
int main_details_create(main_window *w);
HDWP main_details_place(main_window *w, HDWP defer, int x, int y, int cx, int cy);
/* A new map (NULL: the old one goes): the disassembly follows it, as the hex view does. */
void main_details_set_map(main_window *w, const pmm_map *map);
/* The hex view shows [start, end) with focus marked when mark is set: decode what starts at focus
 * (or at start) in the structure view, list the instructions from there, and show the pane that
 * fits. */
void main_details_show(main_window *w, uint64_t start, uint64_t end, const char *caption, uint64_t focus, int mark);
/* pane: enum details_pane, or -1 for the next tab. */
void main_details_choose(main_window *w, int pane);
int main_details_pane(const main_window *w);
int main_details_showing_structure(const main_window *w);
/* Whether address lies in committed executable memory (code the Disassembly tab should show). */
int main_address_is_code(const main_window *w, uint64_t address);
int main_details_notify(main_window *w, NMHDR *hdr, LRESULT *result);
void main_details_set_fonts(main_window *w);
void main_details_destroy(main_window *w);

#endif
