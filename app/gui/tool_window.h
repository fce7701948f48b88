/* The top-level tool windows (exports, find in memory, strings, call stacks, compare, fragmentation):
 * one window class style, one placement rule and one window procedure, so they look, open and
 * close alike. A window says what is its own in a tool_window_kind; tool_window.c answers the
 * messages every tool window handles the same way (creation with the UI font, sizing, minimum
 * size, focus, Escape, the modeless-dialog list, a gui_job's messages, destruction). */
#ifndef PMM_GUI_TOOL_WINDOW_H
#define PMM_GUI_TOOL_WINDOW_H

#include <windows.h>
#include "gui_job.h"

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

/* One kind of tool window. self is the window's own state, given to tool_window_open_kind. */
typedef struct tool_window_kind {
    const wchar_t *class_name, *title;
    DWORD ex_style;
    tool_window_place place;
    int min_width, min_height;   /* the smallest size at 96 DPI; 0: no minimum */
    /* WM_CREATE: keeps hwnd, dpi and font (the UI font, deleted by tool_window.c) and makes the
     * controls; 0 fails the creation. */
    int (*create)(void *self, HWND hwnd, UINT dpi, HFONT font);
    void (*layout)(void *self);                          /* WM_SIZE */
    void (*command)(void *self, int id, UINT code);      /* NULL: Escape (IDCANCEL) closes */
    LRESULT (*notify)(void *self, NMHDR *hdr);           /* NULL: none */
    HWND (*focus)(void *self);                           /* the control WM_SETFOCUS gives the focus; NULL: none */
    void (*job_progress)(void *self, gui_job *job, WPARAM position);   /* WM_APP_JOB_PROGRESS; NULL: none */
    void (*job_done)(void *self, gui_job *job);          /* WM_APP_JOB_DONE; NULL: none */
    void (*destroy)(void *self);                         /* WM_DESTROY: frees what self holds; NULL: nothing */
    void (*release)(void *self);   /* WM_NCDESTROY, or the window could not be made: frees self */
} tool_window_kind;

int tool_window_register_kind(HINSTANCE instance, const tool_window_kind *kind);
/* Creates and shows the window over self. NULL when it could not be created; self has then been
 * released. */
HWND tool_window_open_kind(HWND owner, const tool_window_kind *kind, void *self);
/* The state of hwnd when it is a tool window of class_name, else NULL. */
void *tool_window_self(HWND hwnd, const wchar_t *class_name);

/* A child control of parent in font, placed later by the window's layout. */
HWND tool_window_child(HWND parent, HFONT font, const wchar_t *cls, const wchar_t *text, DWORD style,
                       DWORD ex_style, int id);

#endif
