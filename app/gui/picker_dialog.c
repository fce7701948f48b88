#include "picker_dialog.h"

#include <commctrl.h>
#include <stdlib.h>
#include <string.h>
#include "column_memory.h"
#include "gui_util.h"
#include "res/resource.h"

#define PICKER_MIN_SIZE L"pmm.picker.min"   /* window property: the minimum size, packed */

int picker_contains(const char *text, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0)
        return 1;
    for (; *text; text++) {
        size_t i = 0;
        while (i < n && text[i] && (text[i] | 0x20) == (needle[i] | 0x20))
            i++;
        if (i == n)
            return 1;
    }
    return 0;
}

void picker_filter_text(HWND filter, char *out, size_t cap)
{
    wchar_t wide[128];
    GetWindowTextW(filter, wide, 128);
    if (!WideCharToMultiByte(CP_UTF8, 0, wide, -1, out, (int)cap, NULL, NULL) && cap)
        out[0] = '\0';
    if (cap)
        out[cap - 1] = '\0';
}

static LRESULT CALLBACK filter_subclass(HWND hwnd, UINT msg, WPARAM wparam, LPARAM lparam, UINT_PTR id, DWORD_PTR list)
{
    (void)id;
    if (msg == WM_KEYDOWN && (wparam == VK_UP || wparam == VK_DOWN || wparam == VK_PRIOR || wparam == VK_NEXT)) {
        SendMessageW((HWND)list, msg, wparam, lparam);
        return 0;
    }
    if (msg == WM_NCDESTROY)
        RemoveWindowSubclass(hwnd, filter_subclass, 0);
    return DefSubclassProc(hwnd, msg, wparam, lparam);
}

void picker_init(HWND dialog, HWND filter, HWND list, const picker_column *columns, int count,
                 const char *memory_name, const wchar_t *cue)
{
    HICON icon = LoadIconW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDI_APP));
    SendMessageW(dialog, WM_SETICON, ICON_SMALL, (LPARAM)icon);
    RECT r;
    GetWindowRect(dialog, &r);
    int min_w = (r.right - r.left) * 3 / 4, min_h = (r.bottom - r.top) * 3 / 5;
    SetPropW(dialog, PICKER_MIN_SIZE, (HANDLE)(INT_PTR)MAKELONG(min_w, min_h));

    ListView_SetExtendedListViewStyle(list, LVS_EX_FULLROWSELECT | LVS_EX_DOUBLEBUFFER);
    UINT dpi = gui_dpi_for_window(dialog);
    for (int c = 0; c < count; c++)
        gui_list_add_column(list, c, columns[c].name, columns[c].width, columns[c].format, dpi);
    column_memory_attach(list, memory_name);
    SendMessageW(filter, EM_SETCUEBANNER, TRUE, (LPARAM)cue);
    SetWindowSubclass(filter, filter_subclass, 0, (DWORD_PTR)list);
}

static void layout(HWND dialog)
{
    HWND filter = GetDlgItem(dialog, IDC_PROCESS_FILTER), list = GetDlgItem(dialog, IDC_PROCESS_LIST);
    RECT client, r;
    GetClientRect(dialog, &client);
    RECT units = {7, 7, 14, 14};   /* margin, button height in dialog units */
    MapDialogRect(dialog, &units);
    int margin = units.left, button_h = units.bottom;
    RECT button_units = {50, 4, 0, 0};
    MapDialogRect(dialog, &button_units);
    int button_w = button_units.left, gap = button_units.top;
    int width = client.right - 2 * margin;

    GetWindowRect(filter, &r);
    MapWindowPoints(NULL, dialog, (POINT *)&r, 2);
    SetWindowPos(filter, NULL, r.left, r.top, client.right - margin - r.left, r.bottom - r.top, SWP_NOZORDER);
    int list_top = r.bottom + gap + 1;
    int buttons_top = client.bottom - margin - button_h;
    SetWindowPos(list, NULL, margin, list_top, width, buttons_top - gap * 2 - list_top, SWP_NOZORDER);
    int x = client.right - margin - button_w;
    SetWindowPos(GetDlgItem(dialog, IDCANCEL), NULL, x, buttons_top, button_w, button_h, SWP_NOZORDER);
    x -= button_w + gap * 2;
    SetWindowPos(GetDlgItem(dialog, IDOK), NULL, x, buttons_top, button_w, button_h, SWP_NOZORDER);
    HWND refresh = GetDlgItem(dialog, IDC_PROCESS_REFRESH);
    if (IsWindowVisible(refresh)) {
        x -= button_w + gap * 2;
        SetWindowPos(refresh, NULL, x, buttons_top, button_w, button_h, SWP_NOZORDER);
    }
    HWND count = GetDlgItem(dialog, IDC_PROCESS_COUNT);
    GetWindowRect(count, &r);
    int text_h = r.bottom - r.top;
    SetWindowPos(count, NULL, margin, buttons_top + (button_h - text_h) / 2, x - margin - gap, text_h, SWP_NOZORDER);

    /* The first column takes what the others leave. */
    RECT list_rect;
    GetClientRect(list, &list_rect);
    int columns = Header_GetItemCount(ListView_GetHeader(list)), others = 0;
    for (int c = 1; c < columns; c++)
        others += ListView_GetColumnWidth(list, c);
    int first_w = list_rect.right - others;
    ListView_SetColumnWidth(list, 0, first_w > 80 ? first_w : 80);
    InvalidateRect(dialog, NULL, TRUE);
}

/* Over the main window, where the user is looking, kept on its monitor's work area. */
static void center_over_owner(HWND hwnd)
{
    HWND owner = GetWindow(hwnd, GW_OWNER);
    RECT o, r;
    if (!owner || !GetWindowRect(owner, &o) || !GetWindowRect(hwnd, &r))
        return;
    MONITORINFO monitor;
    memset(&monitor, 0, sizeof monitor);
    monitor.cbSize = sizeof monitor;
    GetMonitorInfoW(MonitorFromWindow(owner, MONITOR_DEFAULTTONEAREST), &monitor);
    const RECT *work = &monitor.rcWork;
    int w = r.right - r.left, h = r.bottom - r.top;
    int x = o.left + (o.right - o.left - w) / 2, y = o.top + (o.bottom - o.top - h) / 3;
    x = x + w > work->right ? work->right - w : x;
    y = y + h > work->bottom ? work->bottom - h : y;
    SetWindowPos(hwnd, NULL, x > work->left ? x : work->left, y > work->top ? y : work->top, 0, 0,
                 SWP_NOSIZE | SWP_NOZORDER | SWP_NOACTIVATE);
}

void picker_place(HWND dialog)
{
    layout(dialog);
    center_over_owner(dialog);
}

static int size_message(HWND dialog, UINT msg, LPARAM lparam)
{
    if (msg == WM_SIZE) {
        if (GetPropW(dialog, PICKER_MIN_SIZE))   /* set up: the controls are there */
            layout(dialog);
        return 1;
    }
    if (msg == WM_GETMINMAXINFO) {
        LONG packed = (LONG)(INT_PTR)GetPropW(dialog, PICKER_MIN_SIZE);
        if (packed) {
            MINMAXINFO *info = (MINMAXINFO *)lparam;
            info->ptMinTrackSize.x = LOWORD(packed);
            info->ptMinTrackSize.y = HIWORD(packed);
        }
        return 1;
    }
    if (msg == WM_NCDESTROY)
        RemovePropW(dialog, PICKER_MIN_SIZE);
    return 0;
}

void picker_sort_arrows(HWND list, int sort_column, int descending)
{
    HWND header = ListView_GetHeader(list);
    int columns = Header_GetItemCount(header);
    for (int c = 0; c < columns; c++) {
        HDITEMW item = {0};
        item.mask = HDI_FORMAT;
        Header_GetItem(header, c, &item);
        item.fmt &= ~(HDF_SORTUP | HDF_SORTDOWN);
        if (c == sort_column)
            item.fmt |= descending ? HDF_SORTDOWN : HDF_SORTUP;
        Header_SetItem(header, c, &item);
    }
}

void picker_type(HWND filter, const char *utf8)
{
    wchar_t text[260];
    gui_utf8_to_wide(utf8, text, 260);
    SetWindowTextW(filter, text);
}

static int row_param(HWND list, int row, LPARAM *param)
{
    LVITEMW item = {0};
    item.mask = LVIF_PARAM;
    item.iItem = row;
    if (row < 0 || !ListView_GetItem(list, &item))
        return 0;
    *param = item.lParam;
    return 1;
}

int picker_selected(HWND list, LPARAM *param)
{
    return row_param(list, ListView_GetNextItem(list, -1, LVNI_SELECTED), param);
}

void picker_select(HWND list, LPARAM param)
{
    int shown = ListView_GetItemCount(list), select = 0;
    LPARAM p;
    for (int i = 0; i < shown; i++)
        if (row_param(list, i, &p) && p == param)
            select = i;
    if (shown > 0) {
        ListView_SetItemState(list, select, LVIS_SELECTED | LVIS_FOCUSED, LVIS_SELECTED | LVIS_FOCUSED);
        ListView_EnsureVisible(list, select, FALSE);
    }
}

void picker_show_count(HWND dialog, int shown, size_t total, const char *what)
{
    wchar_t text[96];
    swprintf(text, 96, L"%d of %u %hs", shown, (unsigned)total, what);
    SetDlgItemTextW(dialog, IDC_PROCESS_COUNT, text);
    EnableWindow(GetDlgItem(dialog, IDOK), shown > 0);
}

static int write_rect(FILE *f, const char *name, HWND hwnd)
{
    RECT r;
    if (!hwnd || !GetWindowRect(hwnd, &r))
        return fprintf(f, "# %s none\n", name) < 0 ? -1 : 0;
    return fprintf(f, "# %s %ld %ld %ld %ld\n", name, r.left, r.top, r.right, r.bottom) < 0 ? -1 : 0;
}

static int write_wide(FILE *f, const char *before, const wchar_t *text)
{
    char *utf8 = gui_wide_to_utf8_alloc(text);
    int ok = fprintf(f, "%s%s", before, utf8 ? utf8 : "") >= 0;
    free(utf8);
    return ok ? 0 : -1;
}

int picker_write_text(HWND dialog, HWND list, FILE *f)
{
    if (write_rect(f, "dialog", dialog) != 0 || write_rect(f, "owner", GetWindow(dialog, GW_OWNER)) != 0 ||
        column_memory_write(list, f) != 0)
        return -1;
    wchar_t status[128] = L"";
    GetDlgItemTextW(dialog, IDC_PROCESS_COUNT, status, 128);
    if (write_wide(f, "# status ", status) != 0 || fputc('\n', f) == EOF)
        return -1;
    int count = ListView_GetItemCount(list), columns = Header_GetItemCount(ListView_GetHeader(list));
    for (int i = 0; i < count; i++) {
        for (int c = 0; c < columns; c++) {
            wchar_t text[260] = L"";
            ListView_GetItemText(list, i, c, text, 260);
            if (write_wide(f, c ? "\t" : "", text) != 0)
                return -1;
        }
        if (fputc('\n', f) == EOF)
            return -1;
    }
    return 0;
}

/* ---- the dialog ---- */

static void column_click(picker *p, int column)
{
    p->sort_descending = column == p->sort_column ? !p->sort_descending : 0;
    p->sort_column = column;
    ListView_SortItems(p->list, p->ops->compare, (LPARAM)p);
    picker_sort_arrows(p->list, p->sort_column, p->sort_descending);
}

static void ok(picker *p)
{
    if (!p->preview && p->ops->ok(p))
        EndDialog(p->hwnd, 1);
}

static INT_PTR on_command(picker *p, WPARAM wparam)
{
    switch (LOWORD(wparam)) {
    case IDOK: ok(p); return TRUE;
    case IDCANCEL:
        if (p->preview)
            DestroyWindow(p->hwnd);
        else
            EndDialog(p->hwnd, 0);
        return TRUE;
    case IDC_PROCESS_REFRESH:
        if (p->ops->refresh)
            p->ops->refresh(p);
        return TRUE;
    case IDC_PROCESS_FILTER:
        if (HIWORD(wparam) == EN_CHANGE)
            p->ops->fill(p);
        return TRUE;
    }
    return FALSE;
}

static INT_PTR on_notify(picker *p, NMHDR *hdr)
{
    if (hdr->idFrom != IDC_PROCESS_LIST)
        return FALSE;
    if (hdr->code == NM_DBLCLK && ((NMITEMACTIVATE *)hdr)->iItem >= 0) {
        ok(p);
        return TRUE;
    }
    if (hdr->code == LVN_COLUMNCLICK) {
        column_click(p, ((NMLISTVIEW *)hdr)->iSubItem);
        return TRUE;
    }
    return FALSE;
}

static INT_PTR CALLBACK dialog_proc(HWND hwnd, UINT msg, WPARAM wparam, LPARAM lparam)
{
    picker *p = (picker *)GetWindowLongPtrW(hwnd, DWLP_USER);
    if (size_message(hwnd, msg, lparam))
        return TRUE;
    switch (msg) {
    case WM_INITDIALOG:
        p = (picker *)lparam;
        p->hwnd = hwnd;
        p->list = GetDlgItem(hwnd, IDC_PROCESS_LIST);
        p->filter = GetDlgItem(hwnd, IDC_PROCESS_FILTER);
        SetWindowLongPtrW(hwnd, DWLP_USER, (LONG_PTR)p);
        if (!p->ops->refresh)
            ShowWindow(GetDlgItem(hwnd, IDC_PROCESS_REFRESH), SW_HIDE);
        p->ops->init(p);
        SetFocus(p->filter);
        return FALSE;   /* the focus is set */
    case WM_NCDESTROY:
        if (p && p->preview)
            p->ops->free_preview(p);
        break;
    case WM_COMMAND: return p ? on_command(p, wparam) : FALSE;
    case WM_NOTIFY: return p ? on_notify(p, (NMHDR *)lparam) : FALSE;
    }
    return FALSE;
}

INT_PTR picker_run(HWND owner, picker *p)
{
    p->preview = 0;
    return DialogBoxParamW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDD_PROCESS), owner, dialog_proc, (LPARAM)p);
}

HWND picker_open_preview(HWND owner, picker *p, const char *filter)
{
    p->preview = 1;
    HWND hwnd = CreateDialogParamW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDD_PROCESS), owner, dialog_proc,
                                   (LPARAM)p);
    if (!hwnd)
        return NULL;
    if (filter)
        picker_type(p->filter, filter);
    ShowWindow(hwnd, SW_SHOW);
    return hwnd;
}
