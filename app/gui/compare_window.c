#include "compare_window.h"

#include <commctrl.h>
#include <stdlib.h>
#include <string.h>
#include <windowsx.h>
#include "compare_rows.h"
#include "gui_util.h"
#include "res/resource.h"
#include "tool_window.h"

#define COMPARE_WINDOW_CLASS L"ProcessMemoryMap.Compare"

typedef struct compare_window {
    HWND hwnd, summary, list, status;
    HFONT font;
    UINT dpi;
    compare_result result;
    compare_goto_fn go_to;
    void *go_to_ctx;
} compare_window;

static const int column_width[COMPARE_COL_COUNT] = {130, 140, 80, 100, 120, 120, 420};   /* at 96 DPI */

static compare_window *window_of(HWND hwnd)
{
    return (compare_window *)GetWindowLongPtrW(hwnd, GWLP_USERDATA);
}

void compare_result_free(compare_result *result)
{
    pmm_map_diff_free(&result->diff);
    pmm_map_free(result->old_map);
    pmm_map_free(result->new_map);
    pmm_page_sums_free(&result->old_sums);
    pmm_page_sums_free(&result->new_sums);
    memset(result, 0, sizeof *result);
}

static void set_text(HWND control, const char *utf8)
{
    wchar_t wide[1200];
    gui_utf8_to_wide(utf8, wide, sizeof wide / sizeof wide[0]);
    SetWindowTextW(control, wide);
}

static HWND child(compare_window *w, const wchar_t *cls, DWORD style, DWORD ex_style, int id)
{
    HWND hwnd = CreateWindowExW(ex_style, cls, L"", WS_CHILD | WS_VISIBLE | style, 0, 0, 0, 0, w->hwnd,
                                (HMENU)(INT_PTR)id, GetModuleHandleW(NULL), NULL);
    SendMessageW(hwnd, WM_SETFONT, (WPARAM)w->font, FALSE);
    return hwnd;
}

static void layout(compare_window *w)
{
    RECT client;
    GetClientRect(w->hwnd, &client);
    int margin = gui_scale(6, w->dpi), line = gui_scale(20, w->dpi);
    int width = client.right - 2 * margin;
    SetWindowPos(w->summary, NULL, margin, margin, width, 2 * line, SWP_NOZORDER);
    int list_top = margin + 2 * line + margin;
    int list_h = client.bottom - list_top - margin - line;
    SetWindowPos(w->list, NULL, margin, list_top, width, list_h > 0 ? list_h : 0, SWP_NOZORDER);
    SetWindowPos(w->status, NULL, margin, client.bottom - line, width, line - gui_scale(2, w->dpi), SWP_NOZORDER);
}

static void create_columns(compare_window *w)
{
    for (int c = 0; c < COMPARE_COL_COUNT; c++) {
        wchar_t name[64];
        LVCOLUMNW col = {0};
        gui_utf8_to_wide(compare_column_name((compare_column)c), name, 64);
        col.mask = LVCF_TEXT | LVCF_WIDTH | LVCF_FMT;
        col.fmt = c == COMPARE_COL_SIZE ? LVCFMT_RIGHT : LVCFMT_LEFT;
        col.cx = gui_scale(c == COMPARE_COL_ADDRESS && w->result.new_map->target.pointer_size == 4 ? 90
                                                                                                  : column_width[c],
                           w->dpi);
        col.pszText = name;
        ListView_InsertColumn(w->list, c, &col);
    }
}

static void show_result(compare_window *w)
{
    char text[1600], counts[800];
    snprintf(text, sizeof text, "Old: %s\r\nNew: %s", w->result.old_name, w->result.new_name);
    set_text(w->summary, text);
    compare_rows_summary(&w->result.diff, counts, sizeof counts);
    if (w->result.diff.count == 0)
        snprintf(text, sizeof text, "No differences.  %s", counts);
    else
        snprintf(text, sizeof text, "%s  Double-click a row to go to it; Ctrl+C copies rows.", counts);
    set_text(w->status, text);
    ListView_SetItemCountEx(w->list, (int)compare_rows_count(&w->result.diff), LVSICF_NOINVALIDATEALL);
    if (w->result.diff.count)
        ListView_SetItemState(w->list, 0, LVIS_FOCUSED, LVIS_FOCUSED);   /* focused, not selected: its colour shows */
}

static BOOL OnCreate(HWND hwnd, LPCREATESTRUCTW create)
{
    compare_window *w = window_of(hwnd);
    (void)create;
    w->dpi = gui_dpi_for_window(hwnd);
    w->font = gui_create_ui_font(w->dpi, 0);
    w->summary = child(w, L"STATIC", SS_LEFT | SS_NOPREFIX, 0, IDC_COMPARE_SUMMARY);
    w->list = child(w, WC_LISTVIEWW, WS_TABSTOP | LVS_REPORT | LVS_OWNERDATA | LVS_SHOWSELALWAYS,
                    WS_EX_CLIENTEDGE, IDC_COMPARE_LIST);
    w->status = child(w, L"STATIC", SS_LEFT | SS_ENDELLIPSIS | SS_NOPREFIX, 0, IDC_STATIC);
    if (!w->list)
        return FALSE;
    ListView_SetExtendedListViewStyle(w->list, LVS_EX_FULLROWSELECT | LVS_EX_DOUBLEBUFFER | LVS_EX_LABELTIP);
    create_columns(w);
    layout(w);
    show_result(w);
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
    (void)control;
    (void)code;
    if (id == IDCANCEL)
        DestroyWindow(hwnd);
}

static void get_display_info(compare_window *w, NMLVDISPINFOW *info)
{
    LVITEMW *item = &info->item;
    if (!(item->mask & LVIF_TEXT) || item->cchTextMax <= 0 || item->iItem < 0)
        return;
    char buf[1200];
    const char *text = compare_rows_cell(&w->result.diff, (size_t)item->iItem, (compare_column)item->iSubItem, buf,
                                         sizeof buf);
    gui_utf8_to_wide(text, item->pszText, (size_t)item->cchTextMax);
}

static COLORREF tone_colour(compare_tone tone)
{
    switch (tone) {
    case COMPARE_TONE_ADDED: return RGB(0xD8, 0xF5, 0xD0);
    case COMPARE_TONE_REMOVED: return RGB(0xFA, 0xD4, 0xD4);
    default: return RGB(0xFF, 0xF0, 0xB8);
    }
}

static LRESULT custom_draw(compare_window *w, NMLVCUSTOMDRAW *draw)
{
    switch (draw->nmcd.dwDrawStage) {
    case CDDS_PREPAINT:
        return CDRF_NOTIFYITEMDRAW;
    case CDDS_ITEMPREPAINT:
        draw->clrTextBk = tone_colour(compare_rows_tone(&w->result.diff, (size_t)draw->nmcd.dwItemSpec));
        draw->clrText = RGB(0, 0, 0);
        return CDRF_NEWFONT;
    }
    return CDRF_DODEFAULT;
}

static void go_to_row(compare_window *w, int row)
{
    uint64_t addr;
    if (row < 0 || !compare_rows_address(&w->result.diff, (size_t)row, &addr) || !w->go_to)
        return;
    if (!w->go_to(w->go_to_ctx, addr)) {
        char text[200];
        snprintf(text, sizeof text, "0x%llX is not in the map the main window shows (it was there only in the "
                 "other map). Open that map to see it.", (unsigned long long)addr);
        gui_error(w->hwnd, text);
    }
}

/* Appends to a fixed buffer, keeping it terminated; stops at its end instead of overrunning it. */
static void append(char *buf, size_t cap, size_t *used, const char *a, const char *b)
{
    int n = snprintf(buf + *used, cap - *used, "%s%s", a, b);
    if (n > 0)
        *used += (size_t)n < cap - *used ? (size_t)n : cap - *used - 1;
}

/* Ctrl+C: the selected rows (every row when none is selected) with a header line, tab-separated. */
static void copy_rows(compare_window *w)
{
    size_t rows = compare_rows_count(&w->result.diff), cap = 256 + rows * 600, used = 0;
    char *text = malloc(cap), cell[1200];
    if (!text)
        return;
    text[0] = '\0';
    int any_selected = ListView_GetSelectedCount(w->list) > 0;
    for (int c = 0; c < COMPARE_COL_COUNT; c++)
        append(text, cap, &used, c ? "\t" : "", compare_column_name((compare_column)c));
    for (size_t row = 0; row < rows; row++) {
        if (any_selected && !(ListView_GetItemState(w->list, (int)row, LVIS_SELECTED) & LVIS_SELECTED))
            continue;
        append(text, cap, &used, "\r\n", "");
        for (int c = 0; c < COMPARE_COL_COUNT; c++)
            append(text, cap, &used, c ? "\t" : "",
                   compare_rows_cell(&w->result.diff, row, (compare_column)c, cell, sizeof cell));
    }
    if (!gui_copy_text(w->hwnd, text))
        gui_error(w->hwnd, "The rows could not be copied to the clipboard. Try again.");
    free(text);
}

static LRESULT OnNotify(HWND hwnd, int id, NMHDR *hdr)
{
    compare_window *w = window_of(hwnd);
    (void)id;
    if (hdr->hwndFrom != w->list)
        return 0;
    switch (hdr->code) {
    case LVN_GETDISPINFOW: get_display_info(w, (NMLVDISPINFOW *)hdr); break;
    case NM_CUSTOMDRAW: return custom_draw(w, (NMLVCUSTOMDRAW *)hdr);
    case LVN_ITEMACTIVATE: go_to_row(w, ((NMITEMACTIVATE *)hdr)->iItem); break;
    case LVN_KEYDOWN:
        if (((NMLVKEYDOWN *)hdr)->wVKey == 'C' && GetKeyState(VK_CONTROL) < 0)
            copy_rows(w);
        break;
    }
    return 0;
}

static void OnGetMinMaxInfo(HWND hwnd, LPMINMAXINFO info)
{
    compare_window *w = window_of(hwnd);
    UINT dpi = w && w->dpi ? w->dpi : 96;
    info->ptMinTrackSize.x = gui_scale(520, dpi);
    info->ptMinTrackSize.y = gui_scale(300, dpi);
}

static void OnDestroy(HWND hwnd)
{
    compare_window *w = window_of(hwnd);
    gui_modeless_remove(hwnd);
    if (w->font)
        DeleteObject(w->font);
    w->font = NULL;
}

static LRESULT CALLBACK compare_window_proc(HWND hwnd, UINT msg, WPARAM wParam, LPARAM lParam)
{
    compare_window *w = window_of(hwnd);
    switch (msg) {
    case WM_NCCREATE:
        SetWindowLongPtrW(hwnd, GWLP_USERDATA, (LONG_PTR)((CREATESTRUCTW *)lParam)->lpCreateParams);
        ((compare_window *)((CREATESTRUCTW *)lParam)->lpCreateParams)->hwnd = hwnd;
        break;
    HANDLE_MSG(hwnd, WM_CREATE, OnCreate);
    HANDLE_MSG(hwnd, WM_SIZE, OnSize);
    HANDLE_MSG(hwnd, WM_COMMAND, OnCommand);
    HANDLE_MSG(hwnd, WM_NOTIFY, OnNotify);
    HANDLE_MSG(hwnd, WM_GETMINMAXINFO, OnGetMinMaxInfo);
    HANDLE_MSG(hwnd, WM_DESTROY, OnDestroy);
    case WM_SETFOCUS:
        if (w)
            SetFocus(w->list);
        return 0;
    case WM_NCDESTROY:
        if (w) {
            compare_result_free(&w->result);
            free(w);
        }
        SetWindowLongPtrW(hwnd, GWLP_USERDATA, 0);
        break;
    }
    return DefWindowProcW(hwnd, msg, wParam, lParam);
}

static int register_class(void)
{
    static int registered;
    if (registered)
        return 1;
    registered = tool_window_register(GetModuleHandleW(NULL), compare_window_proc, COMPARE_WINDOW_CLASS);
    return registered;
}

HWND compare_window_open(HWND owner, compare_result *result, compare_goto_fn go_to, void *go_to_ctx)
{
    compare_window *w = register_class() ? calloc(1, sizeof *w) : NULL;
    if (!w) {
        compare_result_free(result);
        return NULL;
    }
    w->result = *result;
    memset(result, 0, sizeof *result);
    /* The diff points at the maps it compared: they moved with the result, so point it there. */
    w->result.diff.old_map = w->result.old_map;
    w->result.diff.new_map = w->result.new_map;
    w->go_to = go_to;
    w->go_to_ctx = go_to_ctx;
    tool_window_place place = {30, 30, 1100, 560};
    /* NULL: WM_NCDESTROY freed w and the result. */
    return tool_window_open(owner, COMPARE_WINDOW_CLASS, L"Compare Maps", WS_EX_CONTROLPARENT, place, w);
}

int compare_window_write_text(HWND hwnd, FILE *f)
{
    compare_window *w = hwnd && IsWindow(hwnd) ? window_of(hwnd) : NULL;
    return w ? compare_rows_write_text(&w->result.diff, f) : -1;
}
