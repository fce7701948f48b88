#include "compare_window.h"

#include <commctrl.h>
#include <stdlib.h>
#include <string.h>
#include <windowsx.h>
#include "column_memory.h"
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
    return tool_window_self(hwnd, COMPARE_WINDOW_CLASS);
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

static HWND child(compare_window *w, const wchar_t *cls, DWORD style, DWORD ex_style, int id)
{
    return tool_window_child(w->hwnd, w->font, cls, L"", style, ex_style, id);
}

static void layout(void *self)
{
    compare_window *w = self;
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
        int width = c == COMPARE_COL_ADDRESS && w->result.new_map->target.pointer_size == 4 ? 90 : column_width[c];
        gui_list_add_column_utf8(w->list, c, compare_column_name((compare_column)c), width,
                                 c == COMPARE_COL_SIZE ? LVCFMT_RIGHT : LVCFMT_LEFT, w->dpi);
    }
    column_memory_attach(w->list, "compare");
}

static void show_result(compare_window *w)
{
    char text[1600], counts[800];
    snprintf(text, sizeof text, "Old: %s\r\nNew: %s", w->result.old_name, w->result.new_name);
    gui_set_text(w->summary, text);
    compare_rows_summary(&w->result.diff, counts, sizeof counts);
    if (w->result.diff.count == 0)
        snprintf(text, sizeof text, "No differences.  %s", counts);
    else
        snprintf(text, sizeof text, "%s  Double-click a row to go to it; Ctrl+C copies rows.", counts);
    gui_set_text(w->status, text);
    ListView_SetItemCountEx(w->list, (int)compare_rows_count(&w->result.diff), LVSICF_NOINVALIDATEALL);
    if (w->result.diff.count)
        ListView_SetItemState(w->list, 0, LVIS_FOCUSED, LVIS_FOCUSED);   /* focused, not selected: its colour shows */
}

static int on_create(void *self, HWND hwnd, UINT dpi, HFONT font)
{
    compare_window *w = self;
    w->hwnd = hwnd;
    w->dpi = dpi;
    w->font = font;
    w->summary = child(w, L"STATIC", SS_LEFT | SS_NOPREFIX, 0, IDC_COMPARE_SUMMARY);
    w->list = child(w, WC_LISTVIEWW, WS_TABSTOP | LVS_REPORT | LVS_OWNERDATA | LVS_SHOWSELALWAYS,
                    WS_EX_CLIENTEDGE, IDC_COMPARE_LIST);
    w->status = child(w, L"STATIC", SS_LEFT | SS_ENDELLIPSIS | SS_NOPREFIX, 0, IDC_STATIC);
    if (!w->list)
        return 0;
    ListView_SetExtendedListViewStyle(w->list, LVS_EX_FULLROWSELECT | LVS_EX_DOUBLEBUFFER | LVS_EX_LABELTIP);
    create_columns(w);
    layout(w);
    show_result(w);
    return 1;
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

static LRESULT on_notify(void *self, NMHDR *hdr)
{
    compare_window *w = self;
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

static HWND focus_control(void *self)
{
    return ((compare_window *)self)->list;
}

/* The window owns the result from compare_window_open on, also when it could not be made. */
static void release(void *self)
{
    compare_window *w = self;
    compare_result_free(&w->result);
    free(w);
}

static const tool_window_kind compare_kind = {
    .class_name = COMPARE_WINDOW_CLASS, .title = L"Compare Maps", .ex_style = WS_EX_CONTROLPARENT,
    .place = {30, 30, 1100, 560}, .min_width = 520, .min_height = 300,
    .create = on_create, .layout = layout, .notify = on_notify, .focus = focus_control, .release = release,
};

static int register_class(void)
{
    static int registered;
    if (registered)
        return 1;
    registered = tool_window_register_kind(GetModuleHandleW(NULL), &compare_kind);
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
    return tool_window_open_kind(owner, &compare_kind, w);   /* NULL: w and the result were freed */
}

int compare_window_write_text(HWND hwnd, FILE *f)
{
    compare_window *w = window_of(hwnd);
    return w ? compare_rows_write_text(&w->result.diff, f) : -1;
}
