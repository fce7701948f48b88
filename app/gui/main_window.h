/* The frame: summary pane on top, region list below, status bar with the scan's progress; menus and
 * accelerators route here. The window owns the map on screen and the scan job that makes the next. */
#ifndef PMM_GUI_MAIN_WINDOW_H
#define PMM_GUI_MAIN_WINDOW_H

#include <windows.h>
#include <stdint.h>

typedef struct main_options {
    uint32_t pid;
    int has_pid;
    const wchar_t *screenshot;     /* unattended: capture the window to this BMP, then exit */
    const wchar_t *dump_rows;      /* unattended: write the list's rows to this file, then exit */
    uint32_t filter;               /* region_rows filter to start with (REGION_FILTER_ALL) */
    int expand_all;
    int hide_free;
} main_options;

int main_window_register(HINSTANCE instance);
/* Creates and shows the main window; NULL on failure. */
HWND main_window_create(HINSTANCE instance, const main_options *options, int show);

#endif
