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
    return tool_window_self(hwnd, STACKS_WINDOW_CLASS);
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
    snprintf(text, sizeof text, "%zu threads, %zu frames. Double-click a frame (or press Enter) to see its code in the Disassembly tab.",
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
    if (line->address && w->host.show_code)
        w->host.show_code(w->host.ctx, line->address);
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

static void layout(void *self)
{
    stacks_window *w = self;
    RECT client;
    GetClientRect(w->hwnd, &client);
    int m = gui_scale(8, w->dpi), status_h = gui_scale(20, w->dpi);
    SetWindowPos(w->tree, NULL, m, m, client.right - 2 * m, client.bottom - 2 * m - status_h, SWP_NOZORDER);
    SetWindowPos(w->status, NULL, m, client.bottom - m - status_h + gui_scale(4, w->dpi), client.right - 2 * m, status_h,
                 SWP_NOZORDER);
}

static int on_create(void *self, HWND hwnd, UINT dpi, HFONT font)
{
    stacks_window *w = self;
    w->hwnd = hwnd;
    w->dpi = dpi;
    w->font = font;
    w->tree = tool_window_child(hwnd, font, WC_TREEVIEWW, L"Call stacks",
                                WS_TABSTOP | TVS_HASBUTTONS | TVS_HASLINES | TVS_LINESATROOT | TVS_SHOWSELALWAYS |
                                    TVS_FULLROWSELECT,
                                WS_EX_CLIENTEDGE, IDC_STACKS_TREE);
    w->status = tool_window_child(hwnd, font, L"STATIC", L"", SS_LEFT | SS_ENDELLIPSIS | SS_NOPREFIX, 0,
                                  IDC_STACKS_STATUS);
    if (!w->tree || !w->status)
        return 0;
    layout(w);
    return 1;
}

static void on_command(void *self, int id, UINT code)
{
    stacks_window *w = self;
    (void)code;
    if (id == IDOK)
        activate_selection(w);
    else if (id == IDCANCEL)
        DestroyWindow(w->hwnd);
}

static LRESULT on_notify(void *self, NMHDR *hdr)
{
    stacks_window *w = self;
    if (hdr->hwndFrom == w->tree && (hdr->code == NM_DBLCLK || hdr->code == NM_RETURN)) {
        activate_selection(w);
        return TRUE;
    }
    if (hdr->hwndFrom == w->tree && hdr->code == TVN_KEYDOWN && ((NMTVKEYDOWN *)hdr)->wVKey == 'C' &&
        GetKeyState(VK_CONTROL) < 0)
        copy_selection(w);
    return 0;
}

static HWND focus_control(void *self)
{
    return ((stacks_window *)self)->tree;
}

static void on_destroy(void *self)
{
    stacks_model_free(&((stacks_window *)self)->model);
}

static const tool_window_kind stacks_kind = {
    .class_name = STACKS_WINDOW_CLASS, .title = L"Call Stacks", .place = {60, 40, 820, 600},
    .create = on_create, .layout = layout, .command = on_command, .notify = on_notify,
    .focus = focus_control, .destroy = on_destroy, .release = free,
};

int stacks_window_register(HINSTANCE instance)
{
    return tool_window_register_kind(instance, &stacks_kind);
}

HWND stacks_window_open(HWND owner, const tool_host *host, const pmm_map *map)
{
    stacks_window *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->host = *host;
    stacks_model_init(&w->model);
    HWND hwnd = tool_window_open_kind(owner, &stacks_kind, w);
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
