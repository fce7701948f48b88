#include "stacks_window.h"

#include <commctrl.h>
#include <stdlib.h>
#include <windowsx.h>
#include "gui_util.h"
#include "res/resource.h"
#include "stacks_model.h"
#include "tool_window.h"

#define STACKS_WINDOW_CLASS L"ProcessMemoryMap.Stacks"

typedef struct stacks_window {
    HWND hwnd, tree, status;
    HFONT font;
    UINT dpi;
    tool_host host;
    stacks_model model;
} stacks_window;

static stacks_window *window_of(HWND hwnd)
{
    return (stacks_window *)GetWindowLongPtrW(hwnd, GWLP_USERDATA);
}

static HTREEITEM insert(stacks_window *w, HTREEITEM parent, size_t line)
{
    wchar_t text[800];
    gui_utf8_to_wide(w->model.lines[line].text, text, 800);
    TVINSERTSTRUCTW insert = {0};
    insert.hParent = parent;
    insert.hInsertAfter = TVI_LAST;
    insert.item.mask = TVIF_TEXT | TVIF_PARAM;
    insert.item.pszText = text;
    insert.item.lParam = (LPARAM)line;
    return (HTREEITEM)SendMessageW(w->tree, TVM_INSERTITEMW, 0, (LPARAM)&insert);
}

static void fill_tree(stacks_window *w)
{
    SendMessageW(w->tree, WM_SETREDRAW, FALSE, 0);
    TreeView_DeleteAllItems(w->tree);
    HTREEITEM thread = NULL, first = NULL;
    for (size_t i = 0; i < w->model.count; i++) {
        if (w->model.lines[i].is_thread) {
            if (thread)
                TreeView_Expand(w->tree, thread, TVE_EXPAND);
            thread = insert(w, TVI_ROOT, i);
            if (!first)
                first = thread;
        } else if (thread) {
            insert(w, thread, i);
        }
    }
    if (thread)
        TreeView_Expand(w->tree, thread, TVE_EXPAND);
    if (first) {
        TreeView_SelectItem(w->tree, first);
        TreeView_EnsureVisible(w->tree, first);
    }
    SendMessageW(w->tree, WM_SETREDRAW, TRUE, 0);
    InvalidateRect(w->tree, NULL, TRUE);
}

static void reload(stacks_window *w, const pmm_map *map)
{
    if (stacks_model_build(&w->model, map) != PMM_OK)
        gui_error(w->hwnd, "Not enough memory to show the call stacks. Close other programs and try again.");
    fill_tree(w);
    char text[300];
    snprintf(text, sizeof text, "%zu threads, %zu frames. Double-click a frame (or press Enter) to go to its address.",
             w->model.threads, w->model.frames);
    wchar_t wide[300];
    gui_utf8_to_wide(text, wide, 300);
    SetWindowTextW(w->status, wide);
    snprintf(text, sizeof text, "Call Stacks - %s", map && map->target.name[0] ? map->target.name : "no target");
    gui_utf8_to_wide(text, wide, 300);
    SetWindowTextW(w->hwnd, wide);
}

static void activate_selection(stacks_window *w)
{
    HTREEITEM item = TreeView_GetSelection(w->tree);
    TVITEMW tv = {0};
    tv.mask = TVIF_PARAM;
    tv.hItem = item;
    if (!item || !TreeView_GetItem(w->tree, &tv) || (size_t)tv.lParam >= w->model.count)
        return;
    const stack_line *line = &w->model.lines[tv.lParam];
    if (line->address && w->host.go_to)
        w->host.go_to(w->host.ctx, line->address);
}

/* Ctrl+C: the selected line, as the window shows it. */
static void copy_selection(stacks_window *w)
{
    HTREEITEM item = TreeView_GetSelection(w->tree);
    TVITEMW tv = {0};
    tv.mask = TVIF_PARAM;
    tv.hItem = item;
    if (item && TreeView_GetItem(w->tree, &tv) && (size_t)tv.lParam < w->model.count)
        gui_copy_text(w->hwnd, w->model.lines[tv.lParam].text);
}

static void layout(stacks_window *w)
{
    RECT client;
    GetClientRect(w->hwnd, &client);
    int m = gui_scale(8, w->dpi), status_h = gui_scale(20, w->dpi);
    SetWindowPos(w->tree, NULL, m, m, client.right - 2 * m, client.bottom - 2 * m - status_h, SWP_NOZORDER);
    SetWindowPos(w->status, NULL, m, client.bottom - m - status_h + gui_scale(4, w->dpi), client.right - 2 * m, status_h,
                 SWP_NOZORDER);
}

static BOOL OnCreate(HWND hwnd, LPCREATESTRUCTW create)
{
    stacks_window *w = window_of(hwnd);
    (void)create;
    w->dpi = gui_dpi_for_window(hwnd);
    w->font = gui_create_ui_font(w->dpi, 0);
    HINSTANCE instance = GetModuleHandleW(NULL);
    w->tree = CreateWindowExW(WS_EX_CLIENTEDGE, WC_TREEVIEWW, L"Call stacks",
                              WS_CHILD | WS_VISIBLE | WS_TABSTOP | TVS_HASBUTTONS | TVS_HASLINES | TVS_LINESATROOT |
                                  TVS_SHOWSELALWAYS | TVS_FULLROWSELECT,
                              0, 0, 0, 0, hwnd, (HMENU)(INT_PTR)IDC_STACKS_TREE, instance, NULL);
    w->status = CreateWindowExW(0, L"STATIC", L"", WS_CHILD | WS_VISIBLE | SS_LEFT | SS_ENDELLIPSIS | SS_NOPREFIX, 0, 0,
                                0, 0, hwnd, (HMENU)(INT_PTR)IDC_STACKS_STATUS, instance, NULL);
    if (!w->tree || !w->status)
        return FALSE;
    SendMessageW(w->tree, WM_SETFONT, (WPARAM)w->font, FALSE);
    SendMessageW(w->status, WM_SETFONT, (WPARAM)w->font, FALSE);
    layout(w);
    gui_modeless_add(hwnd);
    return TRUE;
}

static void OnSize(HWND hwnd, UINT state, int cx, int cy)
{
    (void)state;
    (void)cx;
    (void)cy;
    layout(window_of(hwnd));
}

static void OnCommand(HWND hwnd, int id, HWND control, UINT code)
{
    stacks_window *w = window_of(hwnd);
    (void)control;
    (void)code;
    if (id == IDOK)
        activate_selection(w);
    else if (id == IDCANCEL)
        DestroyWindow(hwnd);
}

static LRESULT OnNotify(HWND hwnd, int id, NMHDR *hdr)
{
    stacks_window *w = window_of(hwnd);
    (void)id;
    if (hdr->hwndFrom == w->tree && (hdr->code == NM_DBLCLK || hdr->code == NM_RETURN)) {
        activate_selection(w);
        return TRUE;
    }
    if (hdr->hwndFrom == w->tree && hdr->code == TVN_KEYDOWN && ((NMTVKEYDOWN *)hdr)->wVKey == 'C' &&
        GetKeyState(VK_CONTROL) < 0)
        copy_selection(w);
    return 0;
}

static void OnDestroy(HWND hwnd)
{
    stacks_window *w = window_of(hwnd);
    gui_modeless_remove(hwnd);
    stacks_model_free(&w->model);
    if (w->font)
        DeleteObject(w->font);
    w->font = NULL;
}

static LRESULT CALLBACK stacks_window_proc(HWND hwnd, UINT msg, WPARAM wParam, LPARAM lParam)
{
    stacks_window *w = window_of(hwnd);
    switch (msg) {
    case WM_NCCREATE:
        SetWindowLongPtrW(hwnd, GWLP_USERDATA, (LONG_PTR)((CREATESTRUCTW *)lParam)->lpCreateParams);
        ((stacks_window *)((CREATESTRUCTW *)lParam)->lpCreateParams)->hwnd = hwnd;
        break;
    HANDLE_MSG(hwnd, WM_CREATE, OnCreate);
    HANDLE_MSG(hwnd, WM_SIZE, OnSize);
    HANDLE_MSG(hwnd, WM_COMMAND, OnCommand);
    HANDLE_MSG(hwnd, WM_NOTIFY, OnNotify);
    HANDLE_MSG(hwnd, WM_DESTROY, OnDestroy);
    case WM_SETFOCUS:
        if (w)
            SetFocus(w->tree);
        return 0;
    case WM_NCDESTROY:
        free(w);
        SetWindowLongPtrW(hwnd, GWLP_USERDATA, 0);
        break;
    }
    return DefWindowProcW(hwnd, msg, wParam, lParam);
}

int stacks_window_register(HINSTANCE instance)
{
    return tool_window_register(instance, stacks_window_proc, STACKS_WINDOW_CLASS);
}

HWND stacks_window_open(HWND owner, const tool_host *host, const pmm_map *map)
{
    stacks_window *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->host = *host;
    stacks_model_init(&w->model);
    tool_window_place place = {60, 40, 820, 600};
    HWND hwnd = tool_window_open(owner, STACKS_WINDOW_CLASS, L"Call Stacks", 0, place, w);
    if (hwnd)
        reload(w, map);
    return hwnd;
}

void stacks_window_reload(HWND hwnd, const pmm_map *map)
{
    stacks_window *w = window_of(hwnd);
    if (w)
        reload(w, map);
}

int stacks_window_write_text(HWND hwnd, FILE *f)
{
    stacks_window *w = window_of(hwnd);
    return w ? stacks_model_write(&w->model, f) : -1;
}
