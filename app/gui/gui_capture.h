/* Output for unattended runs and tests: a picture of a window and the rows of the region list. */
#ifndef PMM_GUI_CAPTURE_H
#define PMM_GUI_CAPTURE_H

#include <windows.h>
#include "region_rows.h"

/* Writes what the window shows (frame included) as a 24-bit BMP. Returns 0 on success. */
int gui_save_window_bmp(HWND hwnd, const wchar_t *path);
/* Writes every row of the model, one per line, cells separated by tabs (UTF-8). Returns 0 on success. */
int gui_write_rows(const region_rows *rows, const wchar_t *path);

#endif
