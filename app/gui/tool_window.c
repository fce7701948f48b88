/* The tool windows' shared class registration and placement. */
#include "tool_window.h"
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
