#include "splitter.h"

#include <windowsx.h>
#include "gui_util.h"

#define SPLITTER_CLASS L"ProcessMemoryMap.Splitter"

/* Where in the bar the drag started, so the bar does not jump to the pointer. */
static int grab_offset;

static void OnLButtonDown(HWND hwnd, BOOL dbl, int x, int y, UINT keys)
{
    (void)dbl;
    (void)x;
    (void)keys;
    grab_offset = y;
    SetCapture(hwnd);
}

static void OnMouseMove(HWND hwnd, int x, int y, UINT keys)
{
    (void)keys;
    if (GetCapture() != hwnd)
        return;
    POINT p = {x, y};
    HWND parent = GetParent(hwnd);
    MapWindowPoints(hwnd, parent, &p, 1);
    SendMessageW(parent, WM_APP_SPLITTER_DRAG, (WPARAM)(INT_PTR)(p.y - grab_offset), (LPARAM)hwnd);
}

static void OnLButtonUp(HWND hwnd, int x, int y, UINT keys)
{
    (void)x;
    (void)y;
    (void)keys;
    if (GetCapture() == hwnd)
        ReleaseCapture();
}

static LRESULT CALLBACK splitter_proc(HWND hwnd, UINT msg, WPARAM wParam, LPARAM lParam)
{
    switch (msg) {
    HANDLE_MSG(hwnd, WM_LBUTTONDOWN, OnLButtonDown);
    HANDLE_MSG(hwnd, WM_MOUSEMOVE, OnMouseMove);
    HANDLE_MSG(hwnd, WM_LBUTTONUP, OnLButtonUp);
    }
    return DefWindowProcW(hwnd, msg, wParam, lParam);
}

int splitter_register(HINSTANCE instance)
{
    return gui_register_child_class(instance, splitter_proc, SPLITTER_CLASS, 0, (LPCWSTR)IDC_SIZENS,
                                    (HBRUSH)(COLOR_BTNFACE + 1));
}

HWND splitter_create(HWND parent, int id)
{
    return CreateWindowExW(0, SPLITTER_CLASS, NULL, WS_CHILD | WS_VISIBLE, 0, 0, 0, 0, parent, (HMENU)(INT_PTR)id,
                           GetModuleHandleW(NULL), NULL);
}
