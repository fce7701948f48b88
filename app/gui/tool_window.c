/* The tool windows' shared class registration, placement and window procedure. */
#include "tool_window.h"

#include <stdlib.h>
#include <wchar.h>
#include "gui_util.h"
#include "res/resource.h"

int tool_window_register(HINSTANCE instance, WNDPROC proc, const wchar_t *class_name)
{
    WNDCLASSEXW wc = {0};
    wc.cbSize = sizeof wc;
    wc.lpfnWndProc = proc;
    wc.hInstance = instance;
    wc.hIcon = LoadIconW(instance, MAKEINTRESOURCEW(IDI_APP));
    wc.hCursor = LoadCursorW(NULL, (LPCWSTR)IDC_ARROW);
    wc.hbrBackground = (HBRUSH)(COLOR_BTNFACE + 1);
    wc.lpszClassName = class_name;
    return RegisterClassExW(&wc) != 0;
}

HWND tool_window_open(HWND owner, const wchar_t *class_name, const wchar_t *title, DWORD ex_style,
                      tool_window_place place, void *param)
{
    RECT r;
    GetWindowRect(owner, &r);
    UINT dpi = gui_dpi_for_window(owner);
    HWND hwnd = CreateWindowExW(ex_style, class_name, title, WS_OVERLAPPEDWINDOW | WS_CLIPCHILDREN,
                                r.left + gui_scale(place.dx, dpi), r.top + gui_scale(place.dy, dpi),
                                gui_scale(place.width, dpi), gui_scale(place.height, dpi), owner, NULL,
                                GetModuleHandleW(NULL), param);
    if (hwnd)
        ShowWindow(hwnd, SW_SHOWNORMAL);
    return hwnd;
}

HWND tool_window_child(HWND parent, HFONT font, const wchar_t *cls, const wchar_t *text, DWORD style,
                       DWORD ex_style, int id)
{
    HWND hwnd = CreateWindowExW(ex_style, cls, text, WS_CHILD | WS_VISIBLE | style, 0, 0, 0, 0, parent,
                                (HMENU)(INT_PTR)id, GetModuleHandleW(NULL), NULL);
    SendMessageW(hwnd, WM_SETFONT, (WPARAM)font, FALSE);
    return hwnd;
}

/* What the shared procedure keeps for one window (its GWLP_USERDATA). */
typedef struct tool_frame {
    const tool_window_kind *kind;
    void *self;
    UINT dpi;                    /* 0 until WM_CREATE */
    HFONT font;
} tool_frame;

/* The messages every tool window handles alike; returns 1 with *result set when msg was one. */
static int handle_common(HWND hwnd, tool_frame *f, UINT msg, WPARAM wParam, LPARAM lParam, LRESULT *result)
{
    const tool_window_kind *kind = f->kind;
    *result = 0;
    switch (msg) {
    case WM_CREATE:
        f->dpi = gui_dpi_for_window(hwnd);
        f->font = gui_create_ui_font(f->dpi, 0);
        if (!kind->create(f->self, hwnd, f->dpi, f->font)) {
            *result = -1;
            return 1;
        }
        gui_modeless_add(hwnd);
        return 1;
    case WM_SIZE:
        kind->layout(f->self);
        return 1;
    case WM_GETMINMAXINFO:
        if (!kind->min_width)
            return 0;
        ((MINMAXINFO *)lParam)->ptMinTrackSize.x = gui_scale(kind->min_width, f->dpi ? f->dpi : 96);
        ((MINMAXINFO *)lParam)->ptMinTrackSize.y = gui_scale(kind->min_height, f->dpi ? f->dpi : 96);
        return 1;
    case WM_SETFOCUS:
        if (!kind->focus)
            return 0;
        SetFocus(kind->focus(f->self));
        return 1;
    case WM_COMMAND:
        if (kind->command)
            kind->command(f->self, LOWORD(wParam), HIWORD(wParam));
        else if (LOWORD(wParam) == IDCANCEL)
            DestroyWindow(hwnd);
        return 1;
    case WM_NOTIFY:
        if (!kind->notify)
            return 0;
        *result = kind->notify(f->self, (NMHDR *)lParam);
        return 1;
    case WM_APP_JOB_PROGRESS:
        if (!kind->job_progress)
            return 0;
        kind->job_progress(f->self, (gui_job *)lParam, wParam);
        return 1;
    case WM_APP_JOB_DONE:
        if (!kind->job_done)
            return 0;
        kind->job_done(f->self, (gui_job *)lParam);
        return 1;
    case WM_DESTROY:
        gui_modeless_remove(hwnd);
        if (kind->destroy)
            kind->destroy(f->self);
        if (f->font)
            DeleteObject(f->font);
        f->font = NULL;
        return 1;
    }
    return 0;
}

static LRESULT CALLBACK tool_window_proc(HWND hwnd, UINT msg, WPARAM wParam, LPARAM lParam)
{
    tool_frame *f = (tool_frame *)GetWindowLongPtrW(hwnd, GWLP_USERDATA);
    if (msg == WM_NCCREATE) {
        f = ((CREATESTRUCTW *)lParam)->lpCreateParams;
        SetWindowLongPtrW(hwnd, GWLP_USERDATA, (LONG_PTR)f);
    }
    LRESULT result;
    if (f && msg == WM_NCDESTROY) {
        f->kind->release(f->self);
        free(f);
        SetWindowLongPtrW(hwnd, GWLP_USERDATA, 0);
    } else if (f && handle_common(hwnd, f, msg, wParam, lParam, &result)) {
        return result;
    }
    return DefWindowProcW(hwnd, msg, wParam, lParam);
}

int tool_window_register_kind(HINSTANCE instance, const tool_window_kind *kind)
{
    return tool_window_register(instance, tool_window_proc, kind->class_name);
}

HWND tool_window_open_kind(HWND owner, const tool_window_kind *kind, void *self)
{
    tool_frame *f = calloc(1, sizeof *f);
    if (!f) {
        kind->release(self);
        return NULL;
    }
    f->kind = kind;
    f->self = self;
    /* NULL: WM_NCDESTROY released self and freed f. */
    return tool_window_open(owner, kind->class_name, kind->title, kind->ex_style, kind->place, f);
}

void *tool_window_self(HWND hwnd, const wchar_t *class_name)
{
    if (!hwnd || GetWindowLongPtrW(hwnd, GWLP_WNDPROC) != (LONG_PTR)tool_window_proc)
        return NULL;
    tool_frame *f = (tool_frame *)GetWindowLongPtrW(hwnd, GWLP_USERDATA);
    return f && wcscmp(f->kind->class_name, class_name) == 0 ? f->self : NULL;
}
