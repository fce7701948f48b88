/* What the Hex and Disassembly panes share: a child window of monospaced lines under a caption bar
 * and a column ruler, painted off screen by one function for WM_PAINT and WM_PRINTCLIENT, with its
 * fonts and the size of a character. A pane's own state begins with its line_pane, so the window
 * keeps one pointer for both. */
#ifndef PMM_GUI_LINE_PANE_H
#define PMM_GUI_LINE_PANE_H

#include <windows.h>

typedef struct line_pane line_pane;
/* Draws the whole client area into dc; self is the pane's state. */
typedef void (*line_pane_paint_fn)(void *self, HDC dc, const RECT *client);

struct line_pane {
    HWND hwnd;
    HFONT font, caption_font;    /* caption_font borrowed from the parent */
    int char_w, line_h;
    UINT dpi;
    UINT dlg_code;               /* WM_GETDLGCODE: the keys the pane takes from the dialog manager */
    line_pane_paint_fn paint;
};

/* Creates the window over the pane's state, which begins with p (zeroed by the caller, dlg_code
 * set); sets no fonts. */
HWND line_pane_create(line_pane *p, const wchar_t *class_name, const wchar_t *title, DWORD style, HWND parent, int id,
                      UINT dpi, line_pane_paint_fn paint);

/* The window procedure's start: keeps the state on WM_NCCREATE; the state, NULL before. */
void *line_pane_self(HWND hwnd, UINT msg, LPARAM lParam);
/* The messages every line pane answers alike (painting, no background erase, repaint on focus,
 * dlg_code, the font freed on WM_DESTROY); the rest go to DefWindowProc. */
LRESULT line_pane_default(line_pane *p, UINT msg, WPARAM wParam, LPARAM lParam);

/* The monospaced font at points (10 when 0) and dpi, and the size of its characters. */
void line_pane_set_fonts(line_pane *p, UINT dpi, HFONT caption_font, int points);
/* Lines a wheel turn scrolls, as the system is set; positive: up. */
int line_pane_wheel_lines(int delta);

/* Geometry: the caption bar on top, the ruler below it, the lines from lines_top. */
int line_pane_caption_height(const line_pane *p);
int line_pane_lines_top(const line_pane *p);
int line_pane_left_margin(const line_pane *p);
void line_pane_draw_caption(const line_pane *p, HDC dc, const RECT *client, const char *text);
/* Fills the ruler and writes "Address" in it; returns its text's y for the other column names. */
int line_pane_draw_ruler(const line_pane *p, HDC dc, const RECT *client);

#endif
