#include "properties_dialog.h"

#include <commctrl.h>
#include <stdlib.h>
#include <string.h>
#include "gui_util.h"
#include "res/resource.h"

typedef struct properties_dialog {
    HWND hwnd, list;
    address_info info;
} properties_dialog;

static properties_dialog *dialog_of(HWND hwnd)
{
    return (properties_dialog *)GetWindowLongPtrW(hwnd, DWLP_USER);
}

static void layout(properties_dialog *d)
{
    RECT client, units = {7, 7, 50, 14};
    GetClientRect(d->hwnd, &client);
    MapDialogRect(d->hwnd, &units);
    int margin = units.left, button_w = units.right, button_h = units.bottom;
    int buttons_top = client.bottom - margin - button_h;
    SetWindowPos(d->list, NULL, margin, margin, client.right - 2 * margin, buttons_top - 2 * margin, SWP_NOZORDER);
    int x = client.right - margin - button_w;
    SetWindowPos(GetDlgItem(d->hwnd, IDCANCEL), NULL, x, buttons_top, button_w, button_h, SWP_NOZORDER);
    x -= button_w + margin / 2;
    SetWindowPos(GetDlgItem(d->hwnd, IDC_PROPERTIES_COPY), NULL, x, buttons_top, button_w, button_h, SWP_NOZORDER);
    RECT list;
    GetClientRect(d->list, &list);
    int name_w = ListView_GetColumnWidth(d->list, 0);
    ListView_SetColumnWidth(d->list, 1, list.right - name_w > 100 ? list.right - name_w : 100);
    InvalidateRect(d->hwnd, NULL, TRUE);
}

static void fill(properties_dialog *d)
{
    UINT dpi = gui_dpi_for_window(d->hwnd);
    static const wchar_t *const names[2] = {L"Property", L"Value"};
    for (int c = 0; c < 2; c++)
        gui_list_add_column(d->list, c, names[c], c == 0 ? 130 : 400, LVCFMT_LEFT, dpi);
    for (size_t i = 0; i < d->info.count; i++) {
        wchar_t text[700];
        LVITEMW item = {0};
        item.mask = LVIF_TEXT;
        item.iItem = (int)i;
        gui_utf8_to_wide(d->info.facts[i].name, text, 700);
        item.pszText = text;
        int at = ListView_InsertItem(d->list, &item);
        gui_utf8_to_wide(d->info.facts[i].value, text, 700);
        ListView_SetItemText(d->list, at, 1, text);
    }
    char title[128];
    snprintf(title, sizeof title, "Properties of %s", d->info.count ? d->info.facts[0].value : "an address");
    wchar_t wide[128];
    gui_utf8_to_wide(title, wide, 128);
    SetWindowTextW(d->hwnd, wide);
}

static void copy(properties_dialog *d)
{
    size_t cap = 64 + d->info.count * (sizeof d->info.facts[0].name + sizeof d->info.facts[0].value + 4);
    char *text = malloc(cap);
    if (!text)
        return;
    size_t used = 0;
    text[0] = '\0';
    for (size_t i = 0; i < d->info.count && used < cap; i++)
        used += (size_t)snprintf(text + used, cap - used, "%s\t%s\r\n", d->info.facts[i].name, d->info.facts[i].value);
    if (!gui_copy_text(d->hwnd, text))
        gui_error(d->hwnd, "The properties could not be copied to the clipboard. Try again.");
    free(text);
}

static INT_PTR CALLBACK dialog_proc(HWND hwnd, UINT msg, WPARAM wparam, LPARAM lparam)
{
    properties_dialog *d = dialog_of(hwnd);
    switch (msg) {
    case WM_INITDIALOG:
        d = (properties_dialog *)lparam;
        d->hwnd = hwnd;
        d->list = GetDlgItem(hwnd, IDC_PROPERTIES_LIST);
        SetWindowLongPtrW(hwnd, DWLP_USER, (LONG_PTR)d);
        ListView_SetExtendedListViewStyle(d->list, LVS_EX_FULLROWSELECT | LVS_EX_DOUBLEBUFFER | LVS_EX_LABELTIP);
        fill(d);
        layout(d);
        gui_modeless_add(hwnd);
        return TRUE;
    case WM_SIZE:
        if (d)
            layout(d);
        return TRUE;
    case WM_COMMAND:
        switch (LOWORD(wparam)) {
        case IDC_PROPERTIES_COPY: copy(d); return TRUE;
        case IDOK:
        case IDCANCEL: DestroyWindow(hwnd); return TRUE;
        }
        break;
    case WM_DESTROY:
        gui_modeless_remove(hwnd);
        break;
    case WM_NCDESTROY:
        free(d);
        SetWindowLongPtrW(hwnd, DWLP_USER, 0);
        break;
    }
    return FALSE;
}

HWND properties_dialog_open(HWND owner, const address_info *info)
{
    properties_dialog *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->info = *info;
    HWND hwnd = CreateDialogParamW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDD_PROPERTIES), owner, dialog_proc,
                                   (LPARAM)d);
    if (!hwnd) {
        free(d);
        return NULL;
    }
    ShowWindow(hwnd, SW_SHOWNORMAL);
    return hwnd;
}

int properties_dialog_write_text(HWND hwnd, FILE *f)
{
    properties_dialog *d = dialog_of(hwnd);
    if (!d)
        return -1;
    int ok = 1;
    for (size_t i = 0; i < d->info.count && ok; i++)
        ok = fprintf(f, "%s: %s\n", d->info.facts[i].name, d->info.facts[i].value) > 0;
    return ok ? 0 : -1;
}
