#include "findings_window.h"

#include <commctrl.h>
#include <stdlib.h>
#include <string.h>
#include "findings_rows.h"
#include "gui_util.h"
#include "res/resource.h"
#include "tool_window.h"

#define FINDINGS_WINDOW_CLASS L"ProcessMemoryMap.Findings"

typedef struct findings_window {
    HWND hwnd, owner, list, status;
    UINT dpi;
    tool_host host;
    target_data *data;               /* the main window's map and source (a reference); NULL: none */
    const pmm_map *map;              /* data's map when it has been scanned, else NULL: no rows */
    int scanning;                    /* the main window scans the target with the integrity scan */
} findings_window;

static const int column_widths[FINDINGS_COL_COUNT] = {185, 125, 65, 260, 300, 520};

static findings_window *window_of(HWND hwnd)
{
    return tool_window_self(hwnd, FINDINGS_WINDOW_CLASS);
}

static void show_status(findings_window *w)
{
    char text[600], summary[400];
    const pmm_map *map = w->data ? w->data->map : NULL;
    if (w->scanning)
        snprintf(text, sizeof text, "Scanning the target and comparing every image with its file: the main window "
                 "shows how far it is (Esc there cancels).");
    else if (w->map)
        snprintf(text, sizeof text, "%s Enter or double-click: go to the address. F5: scan again.",
                 findings_rows_summary(w->map, summary, sizeof summary));
    else if (!map)
        snprintf(text, sizeof text, "No target is shown.");
    else if (pmm_target_has_bytes(&w->data->target))
        snprintf(text, sizeof text, "Not scanned yet: press F5 to compare every image with its file.");
    else
        snprintf(text, sizeof text, "This saved map was saved without an integrity scan (pmm save --scan, or File > "
                 "Save Map after F8); open the process or a minidump to scan it.");
    gui_set_text(w->status, text);
}

/* Shows data's findings (none when its map was not scanned). */
static void show_data(findings_window *w, target_data *data)
{
    target_data *old = w->data;
    w->data = target_data_acquire(data);
    target_data_release(old);
    const pmm_map *map = data ? data->map : NULL;
    w->map = map && (map->integrity.summary.flags & PMM_INTEGRITY_SCANNED) ? map : NULL;
    char title[400];
    snprintf(title, sizeof title, "Integrity - %s", map ? map->target.name : "no target");
    gui_set_text(w->hwnd, title);
    size_t rows = findings_rows_count(w->map);
    ListView_SetItemCountEx(w->list, (int)rows, 0);
    InvalidateRect(w->list, NULL, TRUE);
    if (rows)
        ListView_SetItemState(w->list, 0, LVIS_FOCUSED | LVIS_SELECTED, LVIS_FOCUSED | LVIS_SELECTED);
    show_status(w);
}

/* F5: the main window scans the target again, with the integrity scan. */
static void scan_again(findings_window *w)
{
    SendMessageW(w->owner, WM_COMMAND, MAKEWPARAM(ID_VIEW_INTEGRITY_SCAN, 0), 0);
}

/* The text of a row: every cell, tab-separated. */
static void row_text(const findings_window *w, size_t row, char *buf, size_t cap)
{
    size_t used = 0;
    char cell[1200];
    buf[0] = '\0';
    for (int c = 0; c < FINDINGS_COL_COUNT && used + 1 < cap; c++) {
        int n = snprintf(buf + used, cap - used, "%s%s", c ? "\t" : "",
                         findings_rows_cell(w->map, row, (findings_column)c, cell, sizeof cell));
        if (n < 0)
            break;
        used += (size_t)n < cap - used ? (size_t)n : cap - used - 1;
    }
}

static int activate(findings_window *w, size_t row)
{
    uint64_t address;
    if (row >= findings_rows_count(w->map) || !findings_rows_address(w->map, row, &address) || !w->host.go_to)
        return 0;
    w->host.go_to(w->host.ctx, address);
    return 1;
}

static LRESULT on_list_notify(findings_window *w, NMHDR *hdr)
{
    switch (hdr->code) {
    case LVN_GETDISPINFOW: {
        NMLVDISPINFOW *info = (NMLVDISPINFOW *)hdr;
        if (info->item.mask & LVIF_TEXT) {
            char cell[1200];
            gui_utf8_to_wide(findings_rows_cell(w->map, (size_t)info->item.iItem, (findings_column)info->item.iSubItem,
                                                cell, sizeof cell),
                             info->item.pszText, (size_t)info->item.cchTextMax);
        }
        return 0;
    }
    case NM_DBLCLK:
        activate(w, (size_t)((NMITEMACTIVATE *)hdr)->iItem);
        return 0;
    case NM_RETURN:
        activate(w, (size_t)ListView_GetNextItem(w->list, -1, LVNI_FOCUSED));
        return TRUE;
    case NM_CUSTOMDRAW: {
        NMLVCUSTOMDRAW *draw = (NMLVCUSTOMDRAW *)hdr;
        if (draw->nmcd.dwDrawStage == CDDS_PREPAINT)
            return CDRF_NOTIFYITEMDRAW;
        if (draw->nmcd.dwDrawStage == CDDS_ITEMPREPAINT &&
            findings_rows_is_unchecked(w->map, (size_t)draw->nmcd.dwItemSpec))
            draw->clrText = GetSysColor(COLOR_GRAYTEXT);
        return CDRF_DODEFAULT;
    }
    case LVN_KEYDOWN: {
        WORD key = ((NMLVKEYDOWN *)hdr)->wVKey;
        int focused = ListView_GetNextItem(w->list, -1, LVNI_FOCUSED);
        if (key == VK_F5)
            scan_again(w);
        else if (key == 'C' && GetKeyState(VK_CONTROL) < 0 && focused >= 0) {
            char text[4000];
            row_text(w, (size_t)focused, text, sizeof text);
            gui_copy_text(w->hwnd, text);
        }
        return 0;
    }
    }
    return 0;
}

static void layout(void *self)
{
    findings_window *w = self;
    RECT client;
    GetClientRect(w->hwnd, &client);
    int m = gui_scale(8, w->dpi), status_h = gui_scale(20, w->dpi);
    SetWindowPos(w->list, NULL, m, m, client.right - 2 * m, client.bottom - 2 * m - status_h, SWP_NOZORDER);
    SetWindowPos(w->status, NULL, m, client.bottom - m - status_h + gui_scale(4, w->dpi), client.right - 2 * m,
                 status_h, SWP_NOZORDER);
}

static int add_columns(findings_window *w)
{
    for (int c = 0; c < FINDINGS_COL_COUNT; c++) {
        if (gui_list_add_column_utf8(w->list, c, findings_column_name((findings_column)c), column_widths[c],
                                     c == FINDINGS_COL_SIZE ? LVCFMT_RIGHT : LVCFMT_LEFT, w->dpi) < 0)
            return 0;
    }
    return 1;
}

static int on_create(void *self, HWND hwnd, UINT dpi, HFONT font)
{
    findings_window *w = self;
    w->hwnd = hwnd;
    w->dpi = dpi;
    w->list = tool_window_child(hwnd, font, WC_LISTVIEWW, L"Findings",
                                WS_TABSTOP | LVS_REPORT | LVS_OWNERDATA | LVS_SHOWSELALWAYS | LVS_SINGLESEL,
                                WS_EX_CLIENTEDGE, IDC_FINDINGS_LIST);
    w->status = tool_window_child(hwnd, font, L"STATIC", L"", SS_LEFT | SS_ENDELLIPSIS | SS_NOPREFIX, 0,
                                  IDC_FINDINGS_STATUS);
    if (!w->list || !w->status)
        return 0;
    ListView_SetExtendedListViewStyle(w->list, LVS_EX_FULLROWSELECT | LVS_EX_DOUBLEBUFFER | LVS_EX_LABELTIP);
    if (!add_columns(w))
        return 0;
    layout(w);
    return 1;
}

static void on_command(void *self, int id, UINT code)
{
    findings_window *w = self;
    (void)code;
    if (id == IDOK)
        activate(w, (size_t)ListView_GetNextItem(w->list, -1, LVNI_FOCUSED));
    else if (id == IDCANCEL)
        DestroyWindow(w->hwnd);
}

static LRESULT on_notify(void *self, NMHDR *hdr)
{
    findings_window *w = self;
    return hdr->hwndFrom == w->list ? on_list_notify(w, hdr) : 0;
}

static HWND focus_control(void *self)
{
    return ((findings_window *)self)->list;
}

static void on_destroy(void *self)
{
    findings_window *w = self;
    target_data_release(w->data);
    w->data = NULL;
    w->map = NULL;
}

static const tool_window_kind findings_kind = {
    .class_name = FINDINGS_WINDOW_CLASS, .title = L"Integrity", .place = {40, 60, 1000, 520},
    .create = on_create, .layout = layout, .command = on_command, .notify = on_notify,
    .focus = focus_control, .destroy = on_destroy, .release = free,
};

int findings_window_register(HINSTANCE instance)
{
    return tool_window_register_kind(instance, &findings_kind);
}

HWND findings_window_open(HWND owner, const tool_host *host, target_data *data)
{
    findings_window *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->owner = owner;
    w->host = *host;
    HWND hwnd = tool_window_open_kind(owner, &findings_kind, w);
    if (hwnd)
        show_data(w, data);
    return hwnd;
}

void findings_window_set_target(HWND hwnd, target_data *data)
{
    findings_window *w = window_of(hwnd);
    if (!w)
        return;
    w->scanning = 0;
    show_data(w, data);
}

void findings_window_set_scanning(HWND hwnd, int scanning)
{
    findings_window *w = window_of(hwnd);
    if (!w)
        return;
    w->scanning = scanning;
    show_status(w);
}

int findings_window_activate(HWND hwnd, size_t row)
{
    findings_window *w = window_of(hwnd);
    return w && activate(w, row);
}

int findings_window_write_text(HWND hwnd, FILE *f)
{
    findings_window *w = window_of(hwnd);
    if (!w)
        return -1;
    char text[4000];
    if (w->map)
        fprintf(f, "%s\n", findings_rows_summary(w->map, text, sizeof text));
    for (size_t i = 0; i < findings_rows_count(w->map); i++) {
        row_text(w, i, text, sizeof text);
        fprintf(f, "%s\n", text);
    }
    return ferror(f) ? -1 : 0;
}
