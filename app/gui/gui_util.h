/* Small helpers every window of the explorer shares: DPI, fonts, text conversion, region colours,
 * and error reporting that also works when the window runs unattended (--screenshot, --dump-rows). */
#ifndef PMM_GUI_UTIL_H
#define PMM_GUI_UTIL_H

#include <windows.h>
#include <stddef.h>
#include <stdint.h>

/* Dots per inch of the monitor the window is on (96 before Windows 10 1607). */
UINT gui_dpi_for_window(HWND hwnd);
int gui_scale(int value, UINT dpi);
/* Moves and sizes a child control (a negative size counts as 0), keeping its z-order and activation. */
void gui_place(HWND hwnd, int x, int y, int cx, int cy);
/* The message-box font of the system at dpi; the caller deletes it. */
HFONT gui_create_ui_font(UINT dpi, int bold);
/* A fixed-pitch font of the given size (10 points when 0) at dpi, for the hex and code views; the
 * caller deletes it. */
HFONT gui_create_mono_font(UINT dpi, int points);

/* UTF-8 to UTF-16, truncated to fit, always terminated. */
void gui_utf8_to_wide(const char *text, wchar_t *out, size_t cap);
/* A window's or control's text from UTF-8 (at most 1,199 characters shown). */
void gui_set_text(HWND hwnd, const char *utf8);
/* UTF-16 to newly allocated UTF-8 (free() it); NULL on failure. */
char *gui_wide_to_utf8_alloc(const wchar_t *text);

/* Background of a row of the given pmm_region_kind; light is used for rows nested in an allocation. */
COLORREF gui_kind_colour(int kind, int light);
/* The type's own colour (core/tools/kind_colours.h), for swatches, graphs and pictures. */
COLORREF gui_kind_swatch(int kind);
/* 0xRRGGBB as a COLORREF. */
COLORREF gui_rgb(uint32_t rgb);

/* Registers the class of a child control: its window procedure, class style (CS_DBLCLKS...), cursor
 * (a system IDC_* cursor) and background (NULL: the control paints all of it). 1 on success, also
 * when it already exists. */
int gui_register_child_class(HINSTANCE instance, WNDPROC proc, const wchar_t *class_name, UINT style, LPCWSTR cursor,
                             HBRUSH background);

/* The symbol path the explorer uses (UTF-8; the main window sets it from --symbols, Options or
 * _NT_SYMBOL_PATH). UI thread only: a job copies it when it starts. */
void gui_set_symbol_path(const char *path);
const char *gui_symbol_path(void);

/* Puts UTF-8 text on the clipboard as Unicode text. Returns 1 on success. */
int gui_copy_text(HWND owner, const char *utf8);

/* Adds column index to a report list view: its name, width at 96 DPI (scaled to dpi) and format
 * (LVCFMT_LEFT, LVCFMT_RIGHT). The column's index, -1 on failure. */
int gui_list_add_column(HWND list, int index, const wchar_t *name, int width, int format, UINT dpi);
/* The same with a UTF-8 name. */
int gui_list_add_column_utf8(HWND list, int index, const char *name, int width, int format, UINT dpi);

/* Scrolls a list view so that row (already focused) is a third of a page from the top when it
 * would otherwise sit at the top or bottom edge: where a go-to lands, the eye finds it. */
void gui_list_reveal(HWND list, int row);

/* Modeless windows (exports, properties) get dialog keys (Tab, Esc) from the message loop. */
void gui_modeless_add(HWND hwnd);
void gui_modeless_remove(HWND hwnd);
/* Returns 1 when msg was a dialog key of one of them and has been handled. */
int gui_modeless_dispatch(MSG *msg);

/* Unattended mode: errors are written to stderr instead of shown in a message box. */
void gui_set_unattended(int unattended);
int gui_unattended(void);
/* Shows an error (UTF-8 text) and what to do about it. */
void gui_error(HWND owner, const char *text);

#endif
