#include "process_dialog.h"

#include <commctrl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "column_memory.h"
#include "core/util/text.h"
#include "core/win32/process_list.h"
#include "gui_util.h"
#include "res/resource.h"

enum { COL_NAME, COL_PID, COL_BITS, COL_USER, COL_PRIVATE, COL_WORKING_SET, COL_COUNT };

typedef struct process_dialog {
    HWND hwnd, list, filter;
    pmm_process_entry *entries;
    size_t count;
    int sort_column, sort_descending;
    uint32_t picked;
    uint32_t own_pid;
    int min_width, min_height;
    int preview;                 /* modeless, for an unattended capture: owns itself */
} process_dialog;

static int contains_ignoring_case(const char *text, const char *needle)
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

static int CALLBACK compare_rows(LPARAM a, LPARAM b, LPARAM context)
{
    process_dialog *d = (process_dialog *)context;
    const pmm_process_entry *x = &d->entries[a], *y = &d->entries[b];
    int c = 0;
    switch (d->sort_column) {
    case COL_NAME: c = lstrcmpiA(x->name, y->name); break;
    case COL_BITS: c = (int)x->bits - (int)y->bits; break;
    case COL_USER: c = lstrcmpiA(x->user, y->user); break;
    case COL_PRIVATE: c = x->private_bytes < y->private_bytes ? -1 : x->private_bytes > y->private_bytes; break;
    case COL_WORKING_SET: c = x->working_set < y->working_set ? -1 : x->working_set > y->working_set; break;
    }
    if (c == 0)
        c = x->pid < y->pid ? -1 : x->pid > y->pid;
    return d->sort_descending ? -c : c;
}

static void update_sort_arrows(process_dialog *d)
{
    HWND header = ListView_GetHeader(d->list);
    for (int c = 0; c < COL_COUNT; c++) {
        HDITEMW item = {0};
        item.mask = HDI_FORMAT;
        Header_GetItem(header, c, &item);
        item.fmt &= ~(HDF_SORTUP | HDF_SORTDOWN);
        if (c == d->sort_column)
            item.fmt |= d->sort_descending ? HDF_SORTDOWN : HDF_SORTUP;
        Header_SetItem(header, c, &item);
    }
}

static void set_cell(HWND list, int item, int column, const char *utf8)
{
    wchar_t text[260];
    gui_utf8_to_wide(utf8, text, 260);
    ListView_SetItemText(list, item, column, text);
}

/* Fills the list with the entries that match the filter, keeping the selected pid selected. */
static void fill_list(process_dialog *d)
{
    wchar_t filter_wide[128];
    char filter[384];
    GetWindowTextW(d->filter, filter_wide, 128);
    WideCharToMultiByte(CP_UTF8, 0, filter_wide, -1, filter, sizeof filter, NULL, NULL);
    filter[sizeof filter - 1] = '\0';

    uint32_t keep = 0;
    int selected = ListView_GetNextItem(d->list, -1, LVNI_SELECTED);
    if (selected >= 0) {
        LVITEMW item = {0};
        item.mask = LVIF_PARAM;
        item.iItem = selected;
        if (ListView_GetItem(d->list, &item))
            keep = d->entries[item.lParam].pid;
    }

    SendMessageW(d->list, WM_SETREDRAW, FALSE, 0);
    ListView_DeleteAllItems(d->list);
    int shown = 0;
    for (size_t i = 0; i < d->count; i++) {
        const pmm_process_entry *e = &d->entries[i];
        char pid_text[16];
        snprintf(pid_text, sizeof pid_text, "%u", (unsigned)e->pid);
        if (!contains_ignoring_case(e->name, filter) && !contains_ignoring_case(pid_text, filter) &&
            !contains_ignoring_case(e->user, filter))
            continue;
        wchar_t text[260];
        LVITEMW item = {0};
        item.mask = LVIF_TEXT | LVIF_PARAM;
        item.iItem = shown;
        item.lParam = (LPARAM)i;
        gui_utf8_to_wide(e->name, text, 260);
        item.pszText = text;
        int at = ListView_InsertItem(d->list, &item);
        swprintf(text, 260, L"%u", (unsigned)e->pid);
        ListView_SetItemText(d->list, at, COL_PID, text);
        if (e->bits)
            swprintf(text, 260, L"%u-bit", (unsigned)e->bits);
        else
            lstrcpyW(text, L"?");
        ListView_SetItemText(d->list, at, COL_BITS, text);
        set_cell(d->list, at, COL_USER, e->user[0] ? e->user : "?");
        char size[40];
        set_cell(d->list, at, COL_PRIVATE, e->has_private ? pmm_size_text(e->private_bytes, size, sizeof size) : "?");
        set_cell(d->list, at, COL_WORKING_SET, e->has_working_set ? pmm_size_text(e->working_set, size, sizeof size) : "?");
        shown++;
    }
    ListView_SortItems(d->list, compare_rows, (LPARAM)d);
    int select = 0;
    for (int i = 0; i < shown; i++) {
        LVITEMW item = {0};
        item.mask = LVIF_PARAM;
        item.iItem = i;
        if (ListView_GetItem(d->list, &item) && d->entries[item.lParam].pid == keep)
            select = i;
    }
    if (shown > 0) {
        ListView_SetItemState(d->list, select, LVIS_SELECTED | LVIS_FOCUSED, LVIS_SELECTED | LVIS_FOCUSED);
        ListView_EnsureVisible(d->list, select, FALSE);
    }
    SendMessageW(d->list, WM_SETREDRAW, TRUE, 0);
    InvalidateRect(d->list, NULL, TRUE);

    wchar_t count_text[64];
    swprintf(count_text, 64, L"%d of %u processes", shown, (unsigned)d->count);
    SetDlgItemTextW(d->hwnd, IDC_PROCESS_COUNT, count_text);
    EnableWindow(GetDlgItem(d->hwnd, IDOK), shown > 0);
}

static void load_processes(process_dialog *d)
{
    free(d->entries);
    d->entries = NULL;
    d->count = 0;
    pmm_process_entry *all = NULL;
    size_t count = 0;
    pmm_status st = pmm_list_processes(&all, &count);
    if (st != PMM_OK) {
        char message[256];
        snprintf(message, sizeof message, "The list of processes could not be read: %s.", pmm_status_text(st));
        gui_error(d->hwnd, message);
        return;
    }
    /* Leave ourselves out: mapping the explorer from inside itself is never what was meant. */
    size_t kept = 0;
    for (size_t i = 0; i < count; i++)
        if (all[i].pid != d->own_pid && all[i].pid != 0)
            all[kept++] = all[i];
    d->entries = all;
    d->count = kept;
    fill_list(d);
}

static int picked_pid(process_dialog *d, uint32_t *pid)
{
    int selected = ListView_GetNextItem(d->list, -1, LVNI_SELECTED);
    if (selected < 0)
        return 0;
    LVITEMW item = {0};
    item.mask = LVIF_PARAM;
    item.iItem = selected;
    if (!ListView_GetItem(d->list, &item))
        return 0;
    *pid = d->entries[item.lParam].pid;
    return 1;
}

/* Up, Down, Page Up and Page Down in the filter box move through the list, as in a launcher. */
static LRESULT CALLBACK filter_subclass(HWND hwnd, UINT msg, WPARAM wparam, LPARAM lparam, UINT_PTR id, DWORD_PTR data)
{
    process_dialog *d = (process_dialog *)data;
    (void)id;
    if (msg == WM_KEYDOWN && (wparam == VK_UP || wparam == VK_DOWN || wparam == VK_PRIOR || wparam == VK_NEXT)) {
        SendMessageW(d->list, msg, wparam, lparam);
        return 0;
    }
    if (msg == WM_NCDESTROY)
        RemoveWindowSubclass(hwnd, filter_subclass, 0);
    return DefSubclassProc(hwnd, msg, wparam, lparam);
}

static void layout(process_dialog *d)
{
    RECT client, r;
    GetClientRect(d->hwnd, &client);
    RECT units = {7, 7, 14, 14};   /* margin, button height in dialog units */
    MapDialogRect(d->hwnd, &units);
    int margin = units.left, button_h = units.bottom;
    RECT button_units = {50, 4, 0, 0};
    MapDialogRect(d->hwnd, &button_units);
    int button_w = button_units.left, gap = button_units.top;
    int width = client.right - 2 * margin;

    GetWindowRect(d->filter, &r);
    MapWindowPoints(NULL, d->hwnd, (POINT *)&r, 2);
    SetWindowPos(d->filter, NULL, r.left, r.top, client.right - margin - r.left, r.bottom - r.top, SWP_NOZORDER);
    int list_top = r.bottom + gap + 1;
    int buttons_top = client.bottom - margin - button_h;
    SetWindowPos(d->list, NULL, margin, list_top, width, buttons_top - gap * 2 - list_top, SWP_NOZORDER);
    int x = client.right - margin - button_w;
    SetWindowPos(GetDlgItem(d->hwnd, IDCANCEL), NULL, x, buttons_top, button_w, button_h, SWP_NOZORDER);
    x -= button_w + gap * 2;
    SetWindowPos(GetDlgItem(d->hwnd, IDOK), NULL, x, buttons_top, button_w, button_h, SWP_NOZORDER);
    x -= button_w + gap * 2;
    SetWindowPos(GetDlgItem(d->hwnd, IDC_PROCESS_REFRESH), NULL, x, buttons_top, button_w, button_h, SWP_NOZORDER);
    HWND count = GetDlgItem(d->hwnd, IDC_PROCESS_COUNT);
    GetWindowRect(count, &r);
    int text_h = r.bottom - r.top;
    SetWindowPos(count, NULL, margin, buttons_top + (button_h - text_h) / 2, x - margin - gap, text_h, SWP_NOZORDER);

    RECT list_rect;
    GetClientRect(d->list, &list_rect);
    int others = 0;
    for (int c = COL_NAME + 1; c < COL_COUNT; c++)
        others += ListView_GetColumnWidth(d->list, c);
    int name_w = list_rect.right - others;
    ListView_SetColumnWidth(d->list, COL_NAME, name_w > 80 ? name_w : 80);
    InvalidateRect(d->hwnd, NULL, TRUE);
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

static BOOL on_init(process_dialog *d)
{
    d->list = GetDlgItem(d->hwnd, IDC_PROCESS_LIST);
    d->filter = GetDlgItem(d->hwnd, IDC_PROCESS_FILTER);
    d->own_pid = GetCurrentProcessId();
    HICON icon = LoadIconW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDI_APP));
    SendMessageW(d->hwnd, WM_SETICON, ICON_SMALL, (LPARAM)icon);
    RECT r;
    GetWindowRect(d->hwnd, &r);
    d->min_width = (r.right - r.left) * 3 / 4;
    d->min_height = (r.bottom - r.top) * 3 / 5;

    ListView_SetExtendedListViewStyle(d->list, LVS_EX_FULLROWSELECT | LVS_EX_DOUBLEBUFFER);
    UINT dpi = gui_dpi_for_window(d->hwnd);
    static const struct { const wchar_t *name; int width, format; } columns[COL_COUNT] = {
        {L"Name", 200, LVCFMT_LEFT},          {L"PID", 60, LVCFMT_RIGHT},
        {L"Bits", 54, LVCFMT_LEFT},           {L"User", 150, LVCFMT_LEFT},
        {L"Private bytes", 96, LVCFMT_RIGHT}, {L"Working set", 96, LVCFMT_RIGHT}};
    for (int c = 0; c < COL_COUNT; c++) {
        LVCOLUMNW col = {0};
        col.mask = LVCF_TEXT | LVCF_WIDTH | LVCF_FMT;
        col.fmt = columns[c].format;
        col.cx = gui_scale(columns[c].width, dpi);
        col.pszText = (wchar_t *)columns[c].name;
        ListView_InsertColumn(d->list, c, &col);
    }
    column_memory_attach(d->list, "processes");
    SendMessageW(d->filter, EM_SETCUEBANNER, TRUE, (LPARAM)L"Name, PID or user");
    SetWindowSubclass(d->filter, filter_subclass, 0, (DWORD_PTR)d);
    update_sort_arrows(d);
    load_processes(d);
    layout(d);
    center_over_owner(d->hwnd);
    SetFocus(d->filter);
    return FALSE;   /* we set the focus */
}

static INT_PTR CALLBACK dialog_proc(HWND hwnd, UINT msg, WPARAM wparam, LPARAM lparam)
{
    process_dialog *d = (process_dialog *)GetWindowLongPtrW(hwnd, DWLP_USER);
    switch (msg) {
    case WM_INITDIALOG:
        d = (process_dialog *)lparam;
        d->hwnd = hwnd;
        SetWindowLongPtrW(hwnd, DWLP_USER, (LONG_PTR)d);
        return on_init(d);
    case WM_SIZE:
        if (d)
            layout(d);
        return TRUE;
    case WM_GETMINMAXINFO:
        if (d && d->min_width) {
            MINMAXINFO *info = (MINMAXINFO *)lparam;
            info->ptMinTrackSize.x = d->min_width;
            info->ptMinTrackSize.y = d->min_height;
        }
        return TRUE;
    case WM_NCDESTROY:
        if (d && d->preview) {
            free(d->entries);
            free(d);
        }
        break;
    case WM_COMMAND:
        switch (LOWORD(wparam)) {
        case IDOK:
            if (!d->preview && picked_pid(d, &d->picked))
                EndDialog(hwnd, 1);
            return TRUE;
        case IDCANCEL:
            if (d->preview)
                DestroyWindow(hwnd);
            else
                EndDialog(hwnd, 0);
            return TRUE;
        case IDC_PROCESS_REFRESH:
            load_processes(d);
            return TRUE;
        case IDC_PROCESS_FILTER:
            if (HIWORD(wparam) == EN_CHANGE)
                fill_list(d);
            return TRUE;
        }
        break;
    case WM_NOTIFY: {
        NMHDR *hdr = (NMHDR *)lparam;
        if (hdr->idFrom != IDC_PROCESS_LIST)
            break;
        if (hdr->code == NM_DBLCLK && ((NMITEMACTIVATE *)hdr)->iItem >= 0 && !d->preview) {
            if (picked_pid(d, &d->picked))
                EndDialog(hwnd, 1);
            return TRUE;
        }
        if (hdr->code == LVN_COLUMNCLICK) {
            int column = ((NMLISTVIEW *)hdr)->iSubItem;
            d->sort_descending = column == d->sort_column ? !d->sort_descending : 0;
            d->sort_column = column;
            ListView_SortItems(d->list, compare_rows, (LPARAM)d);
            update_sort_arrows(d);
            return TRUE;
        }
        break;
    }
    }
    return FALSE;
}

HWND process_dialog_open_preview(HWND owner, const char *filter)
{
    process_dialog *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->preview = 1;
    HWND hwnd = CreateDialogParamW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDD_PROCESS), owner, dialog_proc, (LPARAM)d);
    if (!hwnd) {
        free(d->entries);
        free(d);
        return NULL;
    }
    if (filter) {
        wchar_t text[260];
        gui_utf8_to_wide(filter, text, 260);
        SetWindowTextW(d->filter, text);   /* EN_CHANGE refills the list, as typing does */
    }
    ShowWindow(hwnd, SW_SHOW);
    return hwnd;
}

static int write_rect(FILE *f, const char *name, HWND hwnd)
{
    RECT r;
    if (!hwnd || !GetWindowRect(hwnd, &r))
        return fprintf(f, "# %s none\n", name) < 0 ? -1 : 0;
    return fprintf(f, "# %s %ld %ld %ld %ld\n", name, r.left, r.top, r.right, r.bottom) < 0 ? -1 : 0;
}

int process_dialog_write_text(HWND hwnd, FILE *f)
{
    process_dialog *d = (process_dialog *)GetWindowLongPtrW(hwnd, DWLP_USER);
    if (!d)
        return -1;
    if (write_rect(f, "dialog", hwnd) != 0 || write_rect(f, "owner", GetWindow(hwnd, GW_OWNER)) != 0 ||
        fprintf(f, "# columns") < 0)
        return -1;
    UINT dpi = gui_dpi_for_window(d->list);
    for (int c = 0; c < COL_COUNT; c++)   /* at 96 DPI, as the settings keep them */
        if (fprintf(f, " %d", MulDiv(ListView_GetColumnWidth(d->list, c), 96, (int)dpi)) < 0)
            return -1;
    if (fputc('\n', f) == EOF)
        return -1;
    wchar_t status[128] = L"";
    GetDlgItemTextW(hwnd, IDC_PROCESS_COUNT, status, 128);
    char *status8 = gui_wide_to_utf8_alloc(status);
    int ok = fprintf(f, "# status %s\n", status8 ? status8 : "") >= 0;
    free(status8);
    if (!ok)
        return -1;
    int count = ListView_GetItemCount(d->list);
    for (int i = 0; i < count; i++) {
        for (int c = 0; c < COL_COUNT; c++) {
            wchar_t text[260] = L"";
            ListView_GetItemText(d->list, i, c, text, 260);
            char *utf8 = gui_wide_to_utf8_alloc(text);
            int ok = fprintf(f, "%s%s", c ? "\t" : "", utf8 ? utf8 : "") >= 0;
            free(utf8);
            if (!ok)
                return -1;
        }
        if (fputc('\n', f) == EOF)
            return -1;
    }
    return 0;
}

int process_dialog_run(HWND owner, uint32_t *pid)
{
    process_dialog d;
    memset(&d, 0, sizeof d);
    INT_PTR rc = DialogBoxParamW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDD_PROCESS), owner, dialog_proc, (LPARAM)&d);
    free(d.entries);
    if (rc == 1) {
        *pid = d.picked;
        return 1;
    }
    return 0;
}
