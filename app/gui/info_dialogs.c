#include "info_dialogs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gui_util.h"
#include "res/resource.h"

/* The map's warnings as one CRLF-separated UTF-8 text; the caller frees it. */
static char *warnings_text(const pmm_map *map)
{
    size_t cap = 256;
    for (size_t i = 0; i < map->warning_count; i++)
        cap += strlen(pmm_map_text(map, map->warnings[i])) + 2;
    char *text = malloc(cap);
    if (!text)
        return NULL;
    size_t used = (size_t)snprintf(text, cap, "%zu thing(s) could not be read or are not available:\r\n\r\n",
                                   map->warning_count);
    if (map->warning_count == 0)
        used = (size_t)snprintf(text, cap, "Everything the scan looked for was read.\r\n");
    for (size_t i = 0; i < map->warning_count && used < cap; i++)
        used += (size_t)snprintf(text + used, cap - used, "%s\r\n", pmm_map_text(map, map->warnings[i]));
    return text;
}

static void layout_warnings(HWND hwnd)
{
    RECT client, units = {7, 7, 50, 14};
    GetClientRect(hwnd, &client);
    MapDialogRect(hwnd, &units);
    int margin = units.left, button_w = units.right, button_h = units.bottom;
    int buttons_top = client.bottom - margin - button_h;
    SetWindowPos(GetDlgItem(hwnd, IDC_WARNINGS_TEXT), NULL, margin, margin, client.right - 2 * margin,
                 buttons_top - margin * 2, SWP_NOZORDER);
    SetWindowPos(GetDlgItem(hwnd, IDOK), NULL, client.right - margin - button_w, buttons_top, button_w, button_h,
                 SWP_NOZORDER);
    InvalidateRect(hwnd, NULL, TRUE);
}

/* Both dialogs close on OK, Cancel or Escape. */
static INT_PTR end_on_ok_or_cancel(HWND hwnd, WPARAM wparam)
{
    if (LOWORD(wparam) != IDOK && LOWORD(wparam) != IDCANCEL)
        return FALSE;
    EndDialog(hwnd, 0);
    return TRUE;
}

static INT_PTR CALLBACK warnings_proc(HWND hwnd, UINT msg, WPARAM wparam, LPARAM lparam)
{
    switch (msg) {
    case WM_INITDIALOG: {
        const pmm_map *map = (const pmm_map *)lparam;
        char *text = warnings_text(map);
        size_t len = text ? strlen(text) + 1 : 1;
        wchar_t *wide = malloc(len * sizeof *wide);
        if (wide) {
            gui_utf8_to_wide(text ? text : "", wide, len);
            SetDlgItemTextW(hwnd, IDC_WARNINGS_TEXT, wide);
        }
        free(wide);
        free(text);
        layout_warnings(hwnd);
        SetFocus(GetDlgItem(hwnd, IDOK));
        return FALSE;
    }
    case WM_SIZE:
        layout_warnings(hwnd);
        return TRUE;
    case WM_COMMAND:
        return end_on_ok_or_cancel(hwnd, wparam);
    }
    return FALSE;
}

void warnings_dialog_run(HWND owner, const pmm_map *map)
{
    if (map)
        DialogBoxParamW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDD_WARNINGS), owner, warnings_proc, (LPARAM)map);
}

static INT_PTR CALLBACK about_proc(HWND hwnd, UINT msg, WPARAM wparam, LPARAM lparam)
{
    (void)lparam;
    switch (msg) {
    case WM_INITDIALOG:
        SetDlgItemTextW(hwnd, IDC_ABOUT_VERSION,
                        sizeof(void *) == 8 ? L"Version 0.1.0, 64-bit" : L"Version 0.1.0, 32-bit");
        return TRUE;
    case WM_COMMAND:
        return end_on_ok_or_cancel(hwnd, wparam);
    }
    return FALSE;
}

void about_dialog_run(HWND owner)
{
    DialogBoxParamW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDD_ABOUT), owner, about_proc, 0);
}
